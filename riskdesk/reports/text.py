"""User text → ReportLab Paragraph markup, safely.

ReportLab parses Paragraph text as XML-ish markup: ``R&D`` becomes ``R&D;``, an unclosed
``<b>`` raises, ``</para>`` ends the paragraph. Every piece of text that a person typed
goes through :func:`clean_text` and :func:`to_markup` before it reaches a Paragraph, so it
prints exactly as typed. Only markup this module writes itself (``<br/>``, ``&#160;``) and
markup the report layout adds around escaped text (``<b>…</b>``) reaches the parser.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph

#: C0 controls other than tab/newline/CR, DEL and the C1 block: no glyph, and some
#: (NUL, form feed) upset PDF viewers or the XML parser.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: Vertical tab, form feed and the Unicode line/paragraph separators mean "new line".
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029\x85]")
#: Lone surrogates (text decoded with surrogateescape, pasted from broken sources).
_SURROGATES = re.compile("[\ud800-\udfff]")
#: Noncharacters U+FFFE/U+FFFF cannot be encoded in a PDF string sensibly.
_NONCHARS = re.compile("[\ufffe\uffff]")
_SPACE_RUN = re.compile(" {2,}")
TAB_WIDTH = 4
BULLET = "•"


def clean_text(text: Any) -> str:
    """Return ``text`` as printable plain text; never raises.

    * ``None`` becomes ``""``; anything else that is not a ``str`` goes through ``str()``.
    * Line endings (``\\r\\n``, ``\\r``, vertical tab, form feed, U+0085, U+2028, U+2029)
      become ``\\n``.
    * A tab becomes four spaces (a PDF has no tab stops in a table cell).
    * Every other C0 control character (U+0000–U+001F except tab and newline), DEL and
      the C1 controls (U+007F–U+009F) are **removed**: they have no glyph and NUL in
      particular breaks the markup parser.
    * Lone surrogates and the noncharacters U+FFFE/U+FFFF are replaced with U+FFFD.

    Args:
        text: Whatever the user typed (or ``None``).

    Returns:
        Plain text, still unescaped.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # a broken __str__ must not stop a committee report
            return ""
    text = _LINE_BREAKS.sub("\n", text)
    text = text.replace("\t", " " * TAB_WIDTH)
    text = _CONTROLS.sub("", text)
    text = _SURROGATES.sub("\ufffd", text)
    return _NONCHARS.sub("\ufffd", text)


def _keep_spaces(match: re.Match[str]) -> str:
    # The parser collapses runs of spaces; alternate a breaking space with no-break
    # spaces so the run survives but the line can still wrap at its start.
    return " " + "&#160;" * (len(match.group(0)) - 1)


#: Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo…, and their presentation forms).
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ESCAPES = {'"': "&quot;", "'": "&#39;"}


def escape(text: str, entities: dict[str, str]) -> str:
    """``xml.sax.saxutils.escape``, to the letter: ``& < >`` (``html.escape``, which ReportLab's
    parser has imported already), then ``entities``. Importing ``xml.sax.saxutils`` imports
    ``urllib.request`` and with it ``http.client``, ``ssl`` and ``email``: 22 ms of the 380 ms that
    ``riskdesk appendix`` takes to print the published register."""
    text = html.escape(text, quote=False)
    for char, entity in entities.items():
        text = text.replace(char, entity)
    return text


def visual_order(line: str) -> str:
    """A line with right-to-left text, as it must be drawn left to right on the page.

    Arabic letters take their joined forms first (arabic-reshaper), then the Unicode
    bidirectional algorithm (python-bidi) orders the runs: ``סיכון`` prints as the reader
    expects instead of letter-reversed. Lines without RTL letters are returned unchanged.
    A cell's line is reordered as a whole, so an RTL line that wraps in a narrow cell keeps
    its words right to left within each printed line only approximately.
    """
    if not _RTL.search(line):
        return line
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(line))


def _with_fallback_fonts(plain: str) -> str:
    """Escape ``plain``; runs the report font cannot draw get ``<font name=…>`` of a fallback."""
    if plain.isascii():
        return escape(plain, _ESCAPES)
    from riskdesk.reports.fonts import REGULAR, font_for, needs_no_glyph

    out: list[str] = []
    run: list[str] = []
    current = REGULAR

    def flush() -> None:
        if run:
            body = escape("".join(run), _ESCAPES)
            out.append(body if current == REGULAR else f'<font name="{current}">{body}</font>')
            run.clear()

    for ch in plain:
        # Joiners and variation selectors stay in the run they belong to.
        font = current if needs_no_glyph(ch) else (font_for(ch) or REGULAR)
        if font != current:
            flush()
            current = font
        run.append(ch)
    flush()
    return "".join(out)


def to_markup(text: Any) -> str:
    """Escape user text for a ReportLab Paragraph.

    ``& < >`` and quotes are escaped, newlines become ``<br/>``, runs of spaces are kept
    with no-break spaces, and :func:`clean_text` rules apply first. Right-to-left lines are
    shaped and put in visual order; characters the report font lacks are set in a
    fallback font (see :mod:`riskdesk.reports.fonts`).

    Args:
        text: Raw user text (may be ``None``).

    Returns:
        Markup that renders exactly the characters typed.
    """
    plain = "\n".join(visual_order(line) for line in clean_text(text).split("\n"))
    escaped = _with_fallback_fonts(plain)
    escaped = _SPACE_RUN.sub(_keep_spaces, escaped)
    # Leading spaces on a line are dropped by the parser; make the first one no-break too.
    lines = [("&#160;" + line[1:]) if line.startswith(" ") else line for line in escaped.split("\n")]
    return "<br/>".join(lines)


def para(text: Any, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """A Paragraph showing ``text`` exactly as typed.

    Args:
        text: Raw user text; ``None`` and empty give an empty paragraph.
        style: The paragraph style.
        bold: Wrap the (escaped) text in ``<b>``.

    Returns:
        A Paragraph that never raises on any input.
    """
    from reportlab.platypus import Paragraph

    markup = to_markup(text)
    if bold and markup:
        markup = f"<b>{markup}</b>"
    return Paragraph(markup, style)


def paras(text: Any, style: ParagraphStyle, bullet_style: ParagraphStyle | None = None) -> list[Flowable]:
    """One Paragraph per line of ``text``, bullet lines (``• …``) with a hanging indent.

    A list of paragraphs (rather than one paragraph with ``<br/>``) lets a table row
    split between lines of a long update, and lets bullets wrap under their text as in
    the published register.

    Args:
        text: Raw multi-line user text.
        style: Style for ordinary lines.
        bullet_style: Style for lines starting with ``•``; it should set ``leftIndent``,
            ``bulletIndent`` and ``bulletFontName`` (ReportLab's default bullet font is
            Helvetica, which prints "•" as an unmappable glyph). When None, bullet
            lines print as ordinary lines.

    Returns:
        A list of flowables (possibly empty for empty text).
    """
    from reportlab.platypus import Paragraph

    out: list[Flowable] = []
    for line in clean_text(text).split("\n"):
        stripped = line.lstrip()
        if bullet_style is not None and stripped.startswith(BULLET):
            body = stripped[len(BULLET):].lstrip()
            out.append(Paragraph(to_markup(body), bullet_style, bulletText=BULLET))
        elif line.strip():
            out.append(Paragraph(to_markup(line), style))
        elif out:
            # A blank line between blocks: an empty paragraph keeps the gap the author left.
            out.append(Paragraph("&#160;", style))
    return out
