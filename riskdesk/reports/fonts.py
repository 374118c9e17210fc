"""The report font: DejaVu Sans, shipped in ``riskdesk/resources/fonts`` (Bitstream Vera licence).

The PDF base-14 fonts only cover Latin-1 (no ŵ ŷ, no €, no ↔), so the reports embed a
TrueType family. Fonts are registered on first use, not at import, because importing this
module is part of opening the print dialog.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

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
    from reportlab.pdfbase.ttfonts import TTFont

    with _lock:
        _fix_to_unicode_cmap()
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in _FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
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
