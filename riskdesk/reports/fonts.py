"""The report font: DejaVu Sans, shipped in ``riskdesk/resources/fonts`` (Bitstream Vera licence).

The PDF base-14 fonts only cover Latin-1 (no ŵ ŷ, no €, no ↔), so the reports embed a
TrueType family. Fonts are registered on first use, not at import, because importing this
module is part of opening the print dialog; their parse is kept in the user cache folder between
runs (:mod:`riskdesk.reports.font_cache`).

Characters DejaVu Sans lacks (CJK, most emoji, Devanagari…) print in a **fallback font**
found at run time: first ``resources/fonts`` (a packaged build copies them there), then
the directories in ``RISKDESK_FONT_PATH``, then the system's font folders (Debian's
fonts-noto-core, fonts-droid-fallback, fonts-nanum and fonts-symbola; Windows' and macOS's own). A
character no font found can draw is reported by :func:`unprintable` (by Unicode name)
before saving, never silently printed as a box.
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskdesk.domain.snapshot import RegisterSnapshot

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
REGULAR = "RiskDesk-Sans"
BOLD = "RiskDesk-Sans-Bold"
ITALIC = "RiskDesk-Sans-Oblique"
BOLD_ITALIC = "RiskDesk-Sans-BoldOblique"
FAMILY = REGULAR
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_lock = threading.Lock()


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _fix_to_unicode_cmap() -> None:
    """Make ReportLab write characters beyond U+FFFF correctly in the ToUnicode CMap.

    ReportLab 4 writes ``<1F600>`` (odd-length hex, invalid) for 😀, so the glyph prints
    but copy/paste, search and screen readers lose it. The PDF spec wants UTF-16BE, i.e.
    the surrogate pair ``<D83DDE00>``. Output for BMP characters is unchanged. Patched
    once, process-wide, only when the reports register their fonts.
    """
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_riskdesk_fixed", False):
        return

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        text = original(fontname, subset)
        if all(v <= 0xFFFF for v in subset):
            return text
        wrong = {"<%02X> <%04X>" % (i, v): f"<{i:02X}> <{_utf16_hex(v)}>"  # noqa: UP031 (ReportLab's format)
                 for i, v in enumerate(subset) if v > 0xFFFF}
        return "\n".join(wrong.get(line, line) for line in text.split("\n"))

    make_to_unicode_cmap._riskdesk_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def register_fonts() -> str:
    """Register the report font family with ReportLab (idempotent, thread-safe).

    Returns:
        The family name to use in paragraph styles.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    from riskdesk.reports.font_cache import load_font

    with _lock:
        _fix_to_unicode_cmap()
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(load_font(name, FONT_DIR / filename))  # parsed once, then cached
        # <b>/<i> inside a Paragraph look fonts up through these mappings.
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return FAMILY


@cache
def _cmap(font_name: str = REGULAR) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def missing_glyphs(text: str | None, font_name: str = REGULAR) -> set[str]:
    """The characters of ``text`` that the report font cannot draw.

    Whitespace is ignored (it needs no glyph). Control characters are reported: the
    reports strip them (see :func:`riskdesk.reports.text.clean_text`). ReportLab prints a
    missing character as an empty box or a blank; it never fails on one.

    Args:
        text: Any text.
        font_name: A registered font name; the regular face by default.

    Returns:
        The set of characters with no glyph in the font's cmap.
    """
    if not text:
        return set()
    cmap = _cmap(font_name)
    return {ch for ch in set(text) if not ch.isspace() and ord(ch) not in cmap}


# -- fallback fonts ------------------------------------------------------------------------------

#: Fallback font files, tried in this order for a character the report font lacks. Only
#: TrueType-outline fonts: ReportLab cannot embed CFF (.otf) fonts such as Noto Sans CJK.
FALLBACK_FILES: tuple[str, ...] = (
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansGurmukhi-Regular.ttf",
    "NotoSansGujarati-Regular.ttf",
    "NotoSansTamil-Regular.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansSymbols-Regular.ttf",
    "NotoSansSymbols2-Regular.ttf",
    "NotoSansMath-Regular.ttf",
    "DroidSansFallbackFull.ttf",  # Chinese and Japanese (fonts-droid-fallback)
    "NanumGothic.ttf",  # Korean Hangul (fonts-nanum)
    "Symbola_hint.ttf",  # monochrome emoji (fonts-symbola)
    "Symbola.ttf",
    "seguisym.ttf",  # Windows: Segoe UI Symbol (emoji, symbols)
    "simsunb.ttf",  # Windows: SimSun-ExtB
)
_SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/truetype/ancient-scripts",
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "C:/Windows/Fonts",
    "/System/Library/Fonts/Supplemental",
    "/Library/Fonts",
)
#: Characters that need no glyph of their own: joiners, variation selectors, bidi marks.
_NO_GLYPH_CATEGORIES = ("Cf", "Mn", "Me")


def _font_dirs() -> Iterator[Path]:
    yield FONT_DIR
    yield FONT_DIR / "fallback"
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller build
    if bundle:
        yield Path(bundle) / "riskdesk" / "resources" / "fonts" / "fallback"
    for item in os.environ.get("RISKDESK_FONT_PATH", "").split(os.pathsep):
        if item.strip():
            yield Path(item)
    for item in _SYSTEM_DIRS:
        yield Path(item)


@cache
def fallback_font_files() -> tuple[Path, ...]:
    """The fallback font files found on this machine, in :data:`FALLBACK_FILES` order."""
    found: list[Path] = []
    for name in FALLBACK_FILES:
        for folder in _font_dirs():
            path = folder / name
            if path.is_file():
                found.append(path)
                break
    return tuple(found)


def _fallback_name(path: Path) -> str:
    return "RiskDesk-Fallback-" + path.stem


@cache
def _fallback_cmap(path: Path) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        return frozenset(TTFontFile(str(path)).charToGlyph)
    except Exception:  # an unreadable or CFF font: skip it, the character is reported instead
        return frozenset()


@cache
def font_for(ch: str) -> str | None:
    """The font that prints ``ch``: the report font, a registered fallback, or None."""
    code = ord(ch)
    if code in _cmap(REGULAR):
        return REGULAR
    for path in fallback_font_files():
        if code in _fallback_cmap(path):
            return _register_fallback(path)
    return None


def _register_fallback(path: Path) -> str:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = _fallback_name(path)
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
            # <b>/<i> around fallback text keep the fallback face (it has no bold).
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(name, bold, italic, name)
    return name


def needs_no_glyph(ch: str) -> bool:
    """Whitespace, joiners, variation selectors and combining marks drawn with their base."""
    return ch.isspace() or unicodedata.category(ch) in _NO_GLYPH_CATEGORIES


def unprintable(text: str | None) -> set[str]:
    """Characters of ``text`` that neither the report font nor any fallback found can draw."""
    if not text:
        return set()
    return {ch for ch in set(text)
            if not needs_no_glyph(ch) and unicodedata.category(ch) != "Cc" and font_for(ch) is None}


def describe(ch: str) -> str:
    """"U+1F984 UNICORN FACE (🦄)": how a missing character is named to the user."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')} ({ch})"


def unprintable_in_snapshot(snapshot: RegisterSnapshot, part: str = "A") -> dict[str, list[str]]:
    """Every character the appendix cannot print, named, with the refs (or sections) holding it."""
    from riskdesk.reports import _common as c

    found: dict[str, list[str]] = {}

    def check(where: str, text: str | None) -> None:
        for ch in sorted(unprintable(text)):
            refs = found.setdefault(describe(ch), [])
            if where not in refs:
                refs.append(where)

    check("title", f"{snapshot.council} {c.appendix_title(snapshot, part)} {snapshot.meeting_title}")
    for cat in c.categories_for(snapshot, part):
        check("category headings", cat.heading)
        for risk in cat.risks:
            for value in (risk.ref, risk.departments_text, risk.service_area, risk.description, risk.update,
                          risk.direction_text):
                check(risk.ref, value)
    for code, name in snapshot.department_key:
        check("department key", f"{code} {name}")
    for note in snapshot.footnotes:
        check("footnotes", " ".join((note.marker, note.text, *note.items)))
    for gone in c.public_removed(snapshot) if part == "A" else ():
        check(gone.ref, f"{gone.department} {gone.description} {gone.reason}")
    return found
