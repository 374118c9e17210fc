"""Short plain text in a table cell, drawn as a one-line paragraph draws it, without a paragraph.

A ReportLab ``Paragraph`` parses its text as markup, breaks it into lines and is wrapped again when
its table draws: for a cell holding "Complete", "12/03/2024" or a score's digits, most of the time a
report takes. ``PlainLine`` draws such text in the same place, with the same PDF text operators, so
the page looks the same to the pixel and reads back the same. ``cell_text`` chooses: a ``PlainLine``
for plain text that fits its cell on one line, a paragraph (of ``to_markup``) for anything else.

Importing this module imports ReportLab: the reports that use it import it where they build.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from riskdesk.reports.text import to_markup

_ALIGNMENTS = (TA_LEFT, TA_CENTER, TA_RIGHT)
#: Style settings a ``PlainLine`` does not draw, at the values that draw nothing: a style with any
#: other value is left to a paragraph.
_NOTHING_MORE = {"spaceBefore": 0, "spaceAfter": 0, "firstLineIndent": 0, "backColor": None, "borderWidth": 0,
                 "textTransform": None, "endDots": None, "wordWrap": None, "shaping": 0}
#: Points kept spare on the line, so text a paragraph might just wrap (its own sum of word widths)
#: is left to the paragraph.
_SPARE = 0.01


class PlainLine(Flowable):
    """``text`` on one line in ``style``: what ``Paragraph(text, style)`` draws for such plain text
    (no markup, no run of spaces, nothing the report font lacks), in the same place. The text must
    fit on one line (``fits``); an empty one takes no height, as an empty paragraph."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, (self.style.leading if self.text else 0.0)  # as a paragraph
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Whole where it fits, else nothing (a line cannot be split), as a one-line paragraph."""
        return [self] if self.wrap(availWidth, availHeight)[1] <= availHeight else []

    def draw(self) -> None:
        if not self.text:
            return
        st, canv = self.style, self.canv
        canv.saveState()
        canv.setFillColor(st.textColor)
        # As a paragraph draws its line: begun at the indent on the first baseline, moved across to
        # align it, ended with a new line (text extraction reads the move as the space before).
        text = canv.beginText(st.leftIndent, self.height - st.fontSize)
        text.setFont(st.fontName, st.fontSize, st.leading)
        spare = self.width - st.leftIndent - st.rightIndent - stringWidth(self.text, st.fontName, st.fontSize)
        dx = {TA_LEFT: 0.0, TA_CENTER: spare / 2, TA_RIGHT: spare}[st.alignment]
        if abs(dx) > 1e-6:
            text.setXPos(dx)
        text.textLine(self.text)
        canv.drawText(text)
        canv.restoreState()


def is_plain(text: str) -> bool:
    """Text a paragraph prints as it is, on one line if there is room: printable ASCII (the report
    font has every glyph, nothing is right to left), no line break, no space at either end and no
    run of spaces (a paragraph would keep those with no-break spaces)."""
    return text.isascii() and text.isprintable() and "  " not in text and text == text.strip()


def fits(text: str, style: ParagraphStyle, width: float) -> bool:
    """Whether ``style`` can draw ``text`` as a ``PlainLine`` in a cell ``width`` points wide (inside
    its padding): a plain style (left, centred or right; no space around, indent of the first line,
    fill, border or change of case) and room for the whole text on the line."""
    return (style.alignment in _ALIGNMENTS
            and all(getattr(style, name) == value for name, value in _NOTHING_MORE.items())
            and stringWidth(text, style.fontName, style.fontSize)
            <= width - style.leftIndent - style.rightIndent - _SPARE)


def cell_text(text: Any, style: ParagraphStyle, width: float) -> Flowable:
    """User or report text for a table cell ``width`` points wide inside its padding: a ``PlainLine``
    when it is plain and fits on one line, else a paragraph of ``to_markup(text)``."""
    if isinstance(text, str) and is_plain(text) and fits(text, style, width):
        return PlainLine(text, style)
    return Paragraph(to_markup(text), style)
