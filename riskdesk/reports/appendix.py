"""Appendix A as PDF: the corporate risk register as the committee receives it.

Landscape A4, built with ReportLab platypus from a :class:`RegisterSnapshot` only. The
order follows the published Leicestershire appendix (17 November 2023):

1. title, then (optional) "Movements since the CRR was last presented";
2. the register table, grouped under category headings, header repeated on every page;
3. the department key and the * / ** footnotes;
4. "Risks removed since …";
5. the impact and likelihood criteria and the coloured 5 × 5 scoring matrix.

**Part B** (``part="B"``) is the exempt appendix: the title says so, a not-for-publication
notice follows it, and it holds only the exempt risks (categories without one are left
out) plus the department key and footnotes needed to read the table. Movements, removed
risks and the criteria are *not* repeated: they are public and already in Part A, and an
amended or removed exempt risk must not leak into the public part through them — the
snapshot records neither as exempt, so the integrator should keep exempt risks out of
``Movements`` (see the report).

Output is byte-identical for the same snapshot (ReportLab invariant mode: fixed dates and
document id) so a past cycle reprints exactly.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    SetTopFlowables,
    Spacer,
    Table,
    TableStyle,
)

from riskdesk.domain.direction import Direction
from riskdesk.domain.scoring import Score, ScoringScheme
from riskdesk.domain.snapshot import RegisterSnapshot, ScoreLine, SnapshotRisk
from riskdesk.reports import _common as c
from riskdesk.reports import appendix_appetite as appetite
from riskdesk.reports._common import ReportCancelled
from riskdesk.reports.fonts import BOLD, ITALIC, REGULAR, register_fonts
from riskdesk.reports.plain_line import PlainLine
from riskdesk.reports.text import clean_text, para, paras, to_markup

__all__ = ["ReportCancelled", "write_appendix_pdf", "write_movements_section"]

PAGE = landscape(A4)
MARGIN = 28  # pt; the published appendix uses narrow margins to give the update column room
FOOTER_Y = 14
AVAIL_W = PAGE[0] - 2 * MARGIN

HEADER_BG = colors.HexColor("#d9e2f3")
CATEGORY_BG = colors.HexColor("#e7e6e6")
GRID = colors.HexColor("#7f7f7f")
#: Register columns: ref, dept, description, current I/L/S, target I/L/S, update, direction.
SCORE_W = 29.0
REGISTER_WIDTHS = (30.0, 42.0, 146.0, *(SCORE_W,) * 6, 0.0, 98.0)
REGISTER_WIDTHS = (*REGISTER_WIDTHS[:9], AVAIL_W - sum(REGISTER_WIDTHS), REGISTER_WIDTHS[10])
#: A row may only split across pages if at least this much (pt) of it stays on the first
#: page; smaller slivers move whole to the next page instead.
MIN_SPLIT = 30

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


# -- styles ------------------------------------------------------------------------------------


class _Styles:
    """Paragraph styles, built after the fonts are registered."""

    def __init__(self) -> None:
        family = register_fonts()
        # bulletFontName too: ReportLab's default bullet font is Helvetica (Latin-1 only).
        base = ParagraphStyle("base", fontName=family, bulletFontName=family, fontSize=7.5, leading=9.2,
                              alignment=TA_LEFT)
        self.body = base
        self.bullet = ParagraphStyle("bullet", parent=base, leftIndent=8, bulletIndent=0)
        self.bold = ParagraphStyle("bold", parent=base, fontName=BOLD)
        self.centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
        # Scores print black (or white on a dark band fill), bold and a little larger than the
        # text, so a number on a red cell reads as clearly as one on white.
        self.score = ParagraphStyle("score", parent=base, fontName=BOLD, fontSize=10, leading=11.5,
                                    alignment=TA_CENTER, textColor=colors.black)
        self.score_note = ParagraphStyle("score_note", parent=self.score, fontSize=7, leading=8.4)
        self.matrix_score = ParagraphStyle("matrix_score", parent=self.score, fontSize=11, leading=13)
        self.update_line = ParagraphStyle("update_line", parent=base, spaceAfter=1.5)
        self.update_heading = ParagraphStyle("update_heading", parent=base, fontName=BOLD, spaceBefore=1.5)
        self._inked: dict[tuple[str, str], ParagraphStyle] = {}
        # 5 pt so "Decreased" fits a score column whole (it would split mid-word at 6 pt).
        self.note = ParagraphStyle("note", parent=base, fontName=ITALIC, fontSize=5, leading=6,
                                   alignment=TA_CENTER)
        self.small_centre = ParagraphStyle("small_centre", parent=base, fontSize=6.5, leading=7.8,
                                           alignment=TA_CENTER)
        self.head = ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=7, leading=8.4, alignment=TA_CENTER)
        self.head_small = ParagraphStyle("head_small", parent=self.head, fontSize=6, leading=7.2)
        self.category = ParagraphStyle("category", parent=base, fontName=BOLD, fontSize=8.5, leading=10.5)
        self.category_note = ParagraphStyle("category_note", parent=base, fontName=ITALIC)
        self.title = ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=14, leading=17, spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=9, leading=11, spaceAfter=8)
        self.notice = ParagraphStyle("notice", parent=base, fontName=BOLD, fontSize=9, leading=11, spaceAfter=8,
                                     textColor=colors.HexColor("#c00000"))
        self.h2 = ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6,
                                 spaceAfter=4)
        self.h3 = ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=9, leading=11, spaceBefore=6,
                                 spaceAfter=2)
        self.text = ParagraphStyle("text", parent=base, fontSize=8, leading=9.8, spaceAfter=2.5)
        self.text_bullet = ParagraphStyle("text_bullet", parent=self.text, leftIndent=14, bulletIndent=4)
        self.footer = ParagraphStyle("footer", parent=base, fontSize=7)

    def on_fill(self, style: ParagraphStyle, rgb: str) -> ParagraphStyle:
        """``style`` with a legible ink on the fill ``rgb`` (see ``_common.score_ink``)."""
        key = (style.name, rgb)
        if key not in self._inked:
            self._inked[key] = ParagraphStyle(f"{style.name}_{rgb}", parent=style,
                                              textColor=colors.HexColor(c.score_ink(rgb)))
        return self._inked[key]


# -- small flowables ---------------------------------------------------------------------------


class DirectionArrow(Flowable):
    """The direction-of-travel arrow, drawn with lines (no font glyph needed).

    ↔ for level, ↓ for down, ↑ for up, as in the published register.
    """

    def __init__(self, direction: Direction, size: float = 11) -> None:
        super().__init__()
        self.direction = direction
        self.size = size
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (self.size * 2 if self.direction is Direction.LEVEL else self.size), self.size

    def draw(self) -> None:
        cv = self.canv
        s = self.size
        head = s * 0.32
        cv.saveState()
        cv.setLineWidth(1.1)
        cv.setStrokeColor(colors.black)
        cv.setFillColor(colors.black)
        if self.direction is Direction.LEVEL:
            y = s / 2
            cv.line(head, y, 2 * s - head, y)
            self._head(0, y, head, "left")
            self._head(2 * s, y, head, "right")
        else:
            x = s / 2
            if self.direction is Direction.DOWN:
                cv.line(x, s, x, head)
                self._head(x, 0, head, "down")
            else:
                cv.line(x, 0, x, s - head)
                self._head(x, s, head, "up")
        cv.restoreState()

    def _head(self, x: float, y: float, h: float, way: str) -> None:
        points = {
            "left": (x, y, x + h * 1.4, y + h, x + h * 1.4, y - h),
            "right": (x, y, x - h * 1.4, y + h, x - h * 1.4, y - h),
            "down": (x, y, x - h, y + h * 1.4, x + h, y + h * 1.4),
            "up": (x, y, x - h, y - h * 1.4, x + h, y - h * 1.4),
        }[way]
        path = self.canv.beginPath()
        path.moveTo(points[0], points[1])
        path.lineTo(points[2], points[3])
        path.lineTo(points[4], points[5])
        path.close()
        self.canv.drawPath(path, stroke=0, fill=1)


def _score(text: str, style: ParagraphStyle) -> Flowable:
    """A score cell's text: a ``PlainLine`` for plain digits (a risk has six; a paragraph each was a
    tenth of the time an appendix took to build), a paragraph for anything marked up."""
    return PlainLine(text, style) if text.isdigit() else Paragraph(text, style)


class _RowMarker(Flowable):
    """Zero-size flowable in each risk row: drawing it reports progress and checks cancel.

    Rows are drawn in page order, so this is the most honest progress a platypus build
    offers without a second layout pass.
    """

    def __init__(self, tracker: _Tracker, index: int) -> None:
        super().__init__()
        self.tracker = tracker
        self.index = index

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return [self]

    def draw(self) -> None:
        self.tracker.row_drawn(self.index)


class _VerticalText(Flowable):
    """A short label turned 90° (the "Impact" axis title of the matrix)."""

    def __init__(self, text: str, font: str, size: float) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size * 1.3, stringWidth(self.text, self.font, self.size)

    def draw(self) -> None:
        cv = self.canv
        cv.saveState()
        cv.setFont(self.font, self.size)
        cv.rotate(90)
        cv.drawString(0, -self.size, self.text)
        cv.restoreState()


class _Tracker:
    """Calls ``progress`` and ``cancelled`` for the build."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.total = total
        self.progress = progress
        self.cancelled = cancelled
        self.done = 0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReportCancelled("appendix cancelled")

    def row_drawn(self, index: int) -> None:
        self.check()
        # A split row draws its marker once (it stays in the first half); max() guards anyway.
        if index + 1 > self.done:
            self.done = index + 1
            if self.progress is not None:
                self.progress(self.done, self.total)

    def finished(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


# -- page furniture ----------------------------------------------------------------------------


def _numbered_canvas(footer_left: str, created: datetime, footer_note: str = "") -> type[Canvas]:
    """A Canvas class that writes "Page X of Y" once the page count is known.

    ``footer_note`` (optional) prints centred in the footer, e.g. an audit seal.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            _stamp(self, created)

        def showPage(self) -> None:
            # Hold the page until save(): Y is unknown until the last page is laid out.
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setFont(REGULAR, 7)
            self.setFillColor(colors.HexColor("#404040"))
            self.drawString(MARGIN, FOOTER_Y, footer_left)
            self.drawRightString(PAGE[0] - MARGIN, FOOTER_Y, f"Page {self._pageNumber} of {total}")
            if footer_note:
                self.drawCentredString(PAGE[0] / 2, FOOTER_Y - 8, footer_note)
            self.restoreState()

    return NumberedCanvas


def _stamp(canvas: Canvas, when: datetime) -> None:
    """Set the PDF's CreationDate/ModDate to ``when`` (UTC), not the build time or 2000-01-01.

    Invariant mode keeps the document id fixed; the date is the cycle's own, so a reprint
    is byte-identical and the date is true.
    """
    import calendar

    ts = canvas._doc._timeStamp
    utc = when.astimezone(UTC) if when.tzinfo else when
    ts.t = calendar.timegm(utc.timetuple())
    ts.lt = utc.timetuple()
    ts.YMDhms = tuple(ts.lt)[:6]
    ts.dhh = ts.dmm = 0
    ts.tzname = "UTC"


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: BinaryIO, tracker: _Tracker, **kwargs: Any) -> None:
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, invariant=1, **kwargs)
        self.tracker = tracker
        frame = Frame(MARGIN, MARGIN, AVAIL_W, PAGE[1] - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def afterPage(self) -> None:
        # Sections without risk rows (criteria, long movements) still honour cancel per page.
        self.tracker.check()


# -- cells -------------------------------------------------------------------------------------


def _band_rgb(scheme: ScoringScheme, score: int) -> str:
    return scheme.band_for(score).rgb


def _band_colour(scheme: ScoringScheme, score: int) -> colors.Color:
    return colors.HexColor(_band_rgb(scheme, score))


def _update_cell(risk: SnapshotRisk, codes: frozenset[str], st: _Styles) -> list[Flowable]:
    """The update text; a line that is only a department code ("CR", "E&T") or a group
    heading ("Risks currently scoring below 15") prints bold, as in the published 2.4 and 7.2."""
    from riskdesk.reports.pagination import KeepWithNext

    out: list[Flowable] = []
    heading: Flowable | None = None
    for line in clean_text(risk.update).split("\n"):
        stripped = line.strip()
        if heading is not None and stripped:
            # A department label is never left alone at the foot of a page.
            first, *more = (paras(line, st.update_line, st.bullet)
                            if not c.is_update_heading(stripped, codes)
                            else [Paragraph(to_markup(stripped), st.update_heading)])
            out += [KeepWithNext(heading, first), *more]
            heading = None
            continue
        if heading is not None:
            continue  # a blank line right under a heading: the heading goes with the next text
        if c.is_update_heading(stripped, codes):
            heading = Paragraph(to_markup(stripped), st.update_heading)
        elif stripped:
            out += paras(line, st.update_line, st.bullet)
        elif out:
            out.append(Paragraph("&#160;", st.update_line))  # the gap the author left
    if heading is not None:
        out.append(heading)
    return out


def _score_text(score: int, mark: bool) -> str:
    """A current score, with the appetite mark (a little smaller than the digits) when it is above appetite."""
    return f'{score}<font size="7">{appetite.MARK}</font>' if mark else str(score)


def _line_cells(line: ScoreLine, st: _Styles, scheme: ScoringScheme, mark: bool = False) -> list[list[Flowable]]:
    """The six score cells (current I, L, S; target I, L, S) of one scoring line (``mark``: above appetite)."""
    cur = line.current
    impact: list[Flowable] = [_score(str(cur.impact), st.score)]
    if line.label:
        impact.insert(0, para(line.label, st.note))
    if line.note:
        impact.append(para(line.note, st.note))
    cells: list[list[Flowable]] = [impact, [_score(str(cur.likelihood), st.score)],
                                   [_score(_score_text(cur.score, mark),
                                           st.on_fill(st.score, _band_rgb(scheme, cur.score)))]]
    tgt: Score | None = line.target
    if tgt is None:
        cells += [[], [], []]
    else:
        cells += [[_score(str(tgt.impact), st.score)], [_score(str(tgt.likelihood), st.score)],
                  [_score(str(tgt.score), st.on_fill(st.score, _band_rgb(scheme, tgt.score)))]]
    return cells


def _stacked_scores(risk: SnapshotRisk, snapshot: RegisterSnapshot, st: _Styles) -> list[Table]:
    """Several scoring lines (risk 7.2): each score column holds a small table, one row per line.

    All six little tables share the same row heights so the lines stay level across the
    columns, and the score rows carry their own band colour.
    """
    from riskdesk.reports.pagination import Unsplittable

    scheme = snapshot.scheme
    per_line = [_line_cells(line, st, scheme, appetite.marked(snapshot, risk, line.current.score))
                for line in risk.lines]
    heights = []
    for cells in per_line:
        h = max(sum(f.wrap(SCORE_W - 2, 1000)[1] for f in cell) for cell in cells)
        heights.append(h + 6)
    out = []
    for col in range(6):
        data = [[cells[col]] for cells in per_line]
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), 1),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, -2), 0.5, GRID),
        ]
        if col in (2, 5):
            for i, line in enumerate(risk.lines):
                score = line.current if col == 2 else line.target
                if score is not None:
                    style.append(("BACKGROUND", (0, i), (0, i), _band_colour(scheme, score.score)))
        # Several scoring lines move as one: a line is never split from its row.
        out.append(Unsplittable(data, colWidths=[SCORE_W], rowHeights=heights, style=TableStyle(style)))
    return out


def _direction_cell(risk: SnapshotRisk, st: _Styles) -> list[Flowable]:
    # An imported register that gave no direction stores the words "Not stated": print no arrow the file never gave.
    if risk.direction_text.strip().lower() == "not stated":
        return [para(risk.direction_text, st.small_centre)]
    return [DirectionArrow(risk.direction), Spacer(1, 2), para(risk.direction_text, st.small_centre)]


def _description_cell(risk: SnapshotRisk, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = []
    if risk.service_area.strip():
        out.append(para(risk.service_area, st.bold))
    out += paras(risk.description, st.body)
    return out


# -- register table ----------------------------------------------------------------------------


def _header_rows(snapshot: RegisterSnapshot, st: _Styles) -> list[list[Any]]:
    h = st.head
    sub = st.head_small
    impact = Paragraph(to_markup(c.column(snapshot, "impact")), sub)
    # "Likelihood" is wider than a score column; break it where the published table does.
    likelihood_text = c.column(snapshot, "likelihood")
    if likelihood_text == "Likelihood":
        likelihood = Paragraph("Like-<br/>lihood", sub)
    else:
        likelihood = Paragraph(to_markup(likelihood_text), sub)
    score = Paragraph(to_markup(c.column(snapshot, "score")), sub)
    row0 = [
        para(c.column(snapshot, "ref"), h),
        para(c.column(snapshot, "departments"), h),
        para(c.column(snapshot, "description"), h),
        para(c.column(snapshot, "current"), h), "", "",
        para(c.column(snapshot, "target"), h), "", "",
        para(c.column(snapshot, "update"), h),
        para(c.column(snapshot, "direction"), h),
    ]
    row1 = ["", "", "", impact, likelihood, score, impact, likelihood, score, "", ""]
    return [row0, row1]


#: Risks per register table. The register prints as a run of short tables rather than one
#: LongTable: ReportLab re-filters every style command of the rest of a table at each page
#: split, so one table with per-row SPAN/BACKGROUND commands costs pages × rows. Short
#: tables keep that work per page constant, so the cost grows linearly with the register.
CHUNK_ROWS = 24
_CELL_PAD = 3


def _ref_width(snapshot: RegisterSnapshot, part: str, st: _Styles) -> float:
    """The ref column: wide enough for the longest ref on one line ("ICT-001", not "ICT-0 / 01")."""
    refs = [clean_text(r.ref) for r in c.risks_for(snapshot, part)]
    widest = max((stringWidth(ref, BOLD, st.bold.fontSize) for ref in refs), default=0.0)
    # Cap at a fifth of the page: a ref longer than that is text, and wraps.
    return min(max(REGISTER_WIDTHS[0], widest + 2 * _CELL_PAD + 1), AVAIL_W / 5)


def register_widths(snapshot: RegisterSnapshot, part: str = "A") -> list[float]:
    """Register column widths (pt); the update column gives up what the ref column needs."""
    widths = list(REGISTER_WIDTHS)
    ref = _ref_width(snapshot, part, _Styles())
    widths[9] -= ref - widths[0]
    widths[0] = ref
    return widths


_BODY_STYLE: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
    ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
    ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
    ("TOPPADDING", (0, 0), (-1, -1), _CELL_PAD),
    ("BOTTOMPADDING", (0, 0), (-1, -1), _CELL_PAD),
    ("ALIGN", (10, 0), (10, -1), "CENTER"),  # the drawn arrow centres like the words
    ("LEFTPADDING", (3, 0), (8, -1), 1),
    ("RIGHTPADDING", (3, 0), (8, -1), 1),
]


def _header_table(snapshot: RegisterSnapshot, st: _Styles, widths: list[float]) -> Table:
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (2, 1)),
        ("SPAN", (3, 0), (5, 0)), ("SPAN", (6, 0), (8, 0)), ("SPAN", (9, 0), (9, 1)), ("SPAN", (10, 0), (10, 1)),
        ("BACKGROUND", (0, 0), (-1, 1), HEADER_BG),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("LEFTPADDING", (3, 0), (8, -1), 1),
        ("RIGHTPADDING", (3, 0), (8, -1), 1),
    ]
    return Table(_header_rows(snapshot, st), colWidths=widths, style=TableStyle(style), hAlign="LEFT")


def _risk_row(risk: SnapshotRisk, r: int, st: _Styles, snapshot: RegisterSnapshot, codes: frozenset[str],
              tracker: _Tracker, index: int, style: list[tuple[Any, ...]]) -> list[Any]:
    scheme = snapshot.scheme
    row: list[Any] = [
        [_RowMarker(tracker, index), para(risk.ref, st.bold)],
        para(risk.departments_text, st.body),
        _description_cell(risk, st),
    ]
    if len(risk.lines) == 1:
        line = risk.lines[0]
        row += _line_cells(line, st, scheme, appetite.marked(snapshot, risk, line.current.score))
        style.append(("BACKGROUND", (5, r), (5, r), _band_colour(scheme, line.current.score)))
        if line.target is not None:
            style.append(("BACKGROUND", (8, r), (8, r), _band_colour(scheme, line.target.score)))
    else:
        row += _stacked_scores(risk, snapshot, st)
        style += [("LEFTPADDING", (3, r), (8, r), 0), ("RIGHTPADDING", (3, r), (8, r), 0),
                  ("TOPPADDING", (3, r), (8, r), 0), ("BOTTOMPADDING", (3, r), (8, r), 0)]
    row.append(_update_cell(risk, codes, st))
    row.append(_direction_cell(risk, st))
    return row


def _register_tables(snapshot: RegisterSnapshot, part: str, st: _Styles, tracker: _Tracker) -> list[Flowable]:
    """The register: its header (repeated at the top of every page it runs onto) and short tables."""
    from riskdesk.reports.pagination import RegisterChunk

    widths = register_widths(snapshot, part)
    header = _header_table(snapshot, st, widths)
    codes = c.department_codes(snapshot)
    index = 0
    out: list[Flowable] = [CondPageBreak(header.wrap(AVAIL_W, PAGE[1])[1] + 60), SetTopFlowables([header], show=True)]
    for cat in c.categories_for(snapshot, part):
        data: list[list[Any]] = [[para(cat.heading, st.category)] + [""] * 10]
        style: list[tuple[Any, ...]] = [*_BODY_STYLE, ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), CATEGORY_BG)]
        if cat.note:
            data.append([para(cat.note, st.category_note)] + [""] * 10)
            style.append(("SPAN", (0, 1), (-1, 1)))
        lead = len(data)  # a category heading never ends a page alone (RegisterChunk.lead)
        risks = list(cat.risks)
        while True:
            for risk in risks[:CHUNK_ROWS]:
                data.append(_risk_row(risk, len(data), st, snapshot, codes, tracker, index, style))
                index += 1
            chunk = RegisterChunk(data, colWidths=widths, style=TableStyle(style), hAlign="LEFT",
                                  splitByRow=1, splitInRow=MIN_SPLIT)
            chunk.lead = lead
            out.append(chunk)
            risks = risks[CHUNK_ROWS:]
            if not risks:
                break
            data, style, lead = [], list(_BODY_STYLE), 0
    out.append(SetTopFlowables([]))
    return out


# -- sections after the table ------------------------------------------------------------------


def _key_and_footnotes(snapshot: RegisterSnapshot, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = []
    if snapshot.appetite_mark:
        out.append(Paragraph(to_markup(appetite.key_line()), st.text))
    if snapshot.department_key:
        out.append(Paragraph("Department", st.h3))
        for code, name in snapshot.department_key:
            out.append(Paragraph(f"{to_markup(code)} = {to_markup(name)}", st.text))
    for note in snapshot.footnotes:
        out.append(Paragraph(f"{to_markup(note.marker)}{to_markup(note.text)}", st.text))
        for item in note.items:
            out.append(Paragraph(to_markup(item), st.text_bullet, bulletText="•"))
    return [Spacer(1, 8), KeepTogether(out)] if out else []


def _removed_section(snapshot: RegisterSnapshot, st: _Styles) -> list[Flowable]:
    scheme = snapshot.scheme
    widths = [40.0, 40.0, 0.0, 52.0, 0.0, 58.0]
    free = AVAIL_W - sum(widths)
    widths[2], widths[4] = free * 0.47, free * 0.53
    head = ["CRR Risk No", "Dept.", "Risk Description", "Current Risk Score", "Reason", "Date of Removal"]
    data: list[list[Any]] = [[para(h, st.head) for h in head]]
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for i, risk in enumerate(c.public_removed(snapshot), start=1):
        score_cell: list[Flowable] = [_score(str(risk.score), st.on_fill(st.score, _band_rgb(scheme, risk.score)))]
        il = c.removed_il(risk.impact, risk.likelihood)
        if il:
            score_cell.append(Paragraph(il, st.on_fill(st.score_note, _band_rgb(scheme, risk.score))))
        data.append([
            para(risk.ref, st.bold), para(risk.department, st.body), paras(risk.description, st.body),
            score_cell, paras(risk.reason, st.body), para(c.short_date(risk.removed_on), st.centre),
        ])
        style.append(("BACKGROUND", (3, i), (3, i), _band_colour(scheme, risk.score)))
    if not c.public_removed(snapshot):
        data.append([para("None.", st.body)] + [""] * 5)
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = LongTable(data, colWidths=widths, repeatRows=1, splitByRow=0, splitInRow=MIN_SPLIT,
                      style=TableStyle(style), hAlign="LEFT")
    return [Paragraph(to_markup(c.removed_title(snapshot)), st.h2), table]


def _impact_table(scheme: ScoringScheme, st: _Styles) -> list[Flowable]:
    dims = scheme.criteria_dimensions()
    heads = list(scheme.impact_columns) if len(scheme.impact_columns) == len(dims) + 2 else \
        ["Scale", "Description", *dims]
    widths = [38.0, 72.0]
    rest = (AVAIL_W - sum(widths)) / max(len(dims), 1)
    widths += [rest] * len(dims)
    data: list[list[Any]] = [[para(h, st.head) for h in heads]]
    for level in scheme.impact_levels:
        data.append([Paragraph(str(level.level), st.score), para(level.label, st.bold)]
                    + [paras(text, st.body) for _, text in level.criteria])
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=0, splitInRow=MIN_SPLIT, hAlign="LEFT",
                  style=TableStyle([("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out: list[Flowable] = [Paragraph("Risk Impact Measurement Criteria", st.h2), table]
    if scheme.impact_note:
        out += [Spacer(1, 3), para(scheme.impact_note, st.text)]
    return out


def _likelihood_table(scheme: ScoringScheme, st: _Styles) -> list[Flowable]:
    heads = ["Rating Scale", "Likelihood", "Example of Loss/Event Frequency", "Probability %"]
    widths = [50.0, 110.0, 0.0, 80.0]
    widths[2] = AVAIL_W - sum(widths)
    data: list[list[Any]] = [[para(h, st.head) for h in heads]]
    for level in scheme.likelihood_levels:
        data.append([Paragraph(str(level.level), st.score), para(level.label, st.bold), paras(level.frequency, st.body),
                     para(level.probability, st.centre)])
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                  style=TableStyle([("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out: list[Flowable] = [Paragraph("Risk Likelihood Measurement Criteria", st.h2), table]
    if scheme.likelihood_note:
        out += [Spacer(1, 3), para(scheme.likelihood_note, st.text)]
    return out


def _matrix(scheme: ScoringScheme, st: _Styles) -> list[Flowable]:
    """The coloured matrix: impact n→1 down the side, likelihood 1→n along the bottom (n = 3 to 6)."""
    # register governance (issue 16): the size comes from the scheme (a council may use 4 × 4).
    n = scheme.size
    cell_w, cell_h = 62.0 * 5 / max(n, 5), 30.0
    widths = [16.0, 104.0] + [cell_w] * n
    last_col, last_row = 1 + n, n - 1
    data: list[list[Any]] = []
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (0, last_row)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, last_row), "CENTER"),
        ("GRID", (2, 0), (last_col, last_row), 0.75, colors.black),
        ("BOX", (1, 0), (1, last_row), 0.75, colors.black),
        ("LINEBELOW", (1, 0), (1, last_row - 1), 0.5, GRID),
        ("SPAN", (2, n + 2), (last_col, n + 2)),
    ]
    levels = range(1, n + 1)
    for row, impact in enumerate(reversed(levels)):
        label = Paragraph(f"<b>{impact}</b> {to_markup(scheme.impact_axis_label(impact))}", st.body)
        first = _VerticalText("Impact", BOLD, 8) if row == 0 else ""
        data.append([first, label] + [Paragraph(str(impact * lk), st.on_fill(st.matrix_score, _band_rgb(scheme, impact * lk)))
                                    for lk in levels])
        for col, lk in enumerate(levels, start=2):
            style.append(("BACKGROUND", (col, row), (col, row), _band_colour(scheme, impact * lk)))
    data.append(["", ""] + [Paragraph(f"<b>{lk}</b>", st.centre) for lk in levels])
    data.append(["", ""] + [para(scheme.likelihood_axis_label(lk), st.small_centre) for lk in levels])
    data.append(["", "", Paragraph("<b>Likelihood*</b>", st.centre)] + [""] * (n - 1))
    table = Table(data, colWidths=widths, rowHeights=[cell_h] * n + [None, None, None], hAlign="LEFT",
                  style=TableStyle(style))
    out: list[Flowable] = [Paragraph("Risk Scoring Matrix", st.h2), table]
    if scheme.matrix_footnote:
        out += [Spacer(1, 4), para(scheme.matrix_footnote, st.text)]
    return [KeepTogether(out)]


# -- movements ---------------------------------------------------------------------------------


def _movements_flowables(snapshot: RegisterSnapshot, st: _Styles) -> list[Flowable]:
    """"Movements since the CRR was last presented": added, removed, amended, score changes."""
    moves = c.public_movements_of(snapshot)
    out: list[Flowable] = [Paragraph(to_markup(c.movements_title(snapshot)), st.h2)]
    if moves is None:
        out.append(para("Not recorded for this cycle.", st.text))
        return out
    none = para("None.", st.text)

    out.append(Paragraph("Risk(s) added", st.h3))
    if not moves.added:
        out.append(none)
    for risk in moves.added:
        out.append(Paragraph(f"<b>{to_markup(risk.ref)} {to_markup(risk.departments_text)}</b>", st.text))
        out += paras(risk.description, st.text, st.text_bullet)

    out.append(Paragraph("Risk(s) removed", st.h3))
    if not moves.removed:
        out.append(para("None.", st.text))
    for gone in moves.removed:
        out.append(Paragraph(f"<b>{to_markup(gone.ref)} {to_markup(gone.department)}</b>", st.text))
        out += paras(gone.description, st.text, st.text_bullet)
        out.append(Paragraph(f"Reason – {to_markup(gone.reason)}", st.text))

    out.append(Paragraph("Risk(s) amended", st.h3))
    if not moves.amended:
        out.append(para("None.", st.text))
    for amended in moves.amended:
        block: list[Flowable] = [
            Paragraph(f"<b>{to_markup(amended.ref)} {to_markup(amended.department)}</b>", st.text),
            Paragraph(f"<b>Change from:</b> {to_markup(amended.change_from)}", st.text),
            Paragraph(f"<b>Change to:</b> {to_markup(amended.change_to)}", st.text),
            Paragraph(f"<b>Rationale –</b> {to_markup(amended.rationale)}", st.text),
            Spacer(1, 4),
        ]
        out.append(KeepTogether(block))

    out.append(Paragraph("Score changes", st.h3))
    if not moves.score_changes:
        out.append(para("None.", st.text))
    for change in moves.score_changes:
        out.append(Paragraph(f"<b>{to_markup(change.ref)}</b> – "
                             f"{to_markup(c.score_change_text(change.previous, change.current))}", st.text))
    return out


def write_movements_section(snapshot: RegisterSnapshot, out: str | Path | BinaryIO, *,
                            created: datetime | date | None = None) -> None:
    """Write only the movements section as its own PDF (for the covering report).

    Args:
        snapshot: The register snapshot; ``snapshot.movements`` may be None.
        out: A path or a writable binary file.
    """
    st = _Styles()
    story: list[Flowable] = [Paragraph(to_markup(c.appendix_title(snapshot, "A")), st.title)]
    story += _movements_flowables(snapshot, st)
    _build(story, out, _Tracker(0, None, None), f"{c.movements_title(snapshot)} – {c.meeting_line(snapshot)}",
           snapshot, c.movements_title(snapshot), created)


# -- the document ------------------------------------------------------------------------------


def _story(snapshot: RegisterSnapshot, part: str, st: _Styles, tracker: _Tracker,
           include_movements: bool) -> list[Flowable]:
    title = c.appendix_title(snapshot, part)
    story: list[Flowable] = [
        para(title, st.title),
        para(c.subtitle(snapshot), st.subtitle),
    ]
    if part == "B":
        story.append(para(c.EXEMPT_NOTICE, st.notice))
    if part == "A" and include_movements and snapshot.movements is not None:
        story += _movements_flowables(snapshot, st)
        story += [PageBreak(), para(title, st.title)]
    story += _register_tables(snapshot, part, st, tracker)
    story += _key_and_footnotes(snapshot, st)
    if part == "A":
        story += [PageBreak(), *_removed_section(snapshot, st)]
        story += [PageBreak(), *_impact_table(snapshot.scheme, st)]
        story += [CondPageBreak(200), *_likelihood_table(snapshot.scheme, st)]
        story += [CondPageBreak(330), *_matrix(snapshot.scheme, st)]
    return story


def created_at(snapshot: RegisterSnapshot, created: datetime | date | None) -> datetime:
    """The date a PDF says it was made: the cycle's presented time, else its meeting date."""
    if isinstance(created, datetime):
        return created
    day = created if isinstance(created, date) else snapshot.meeting_date
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _build(story: Sequence[Flowable], out: str | Path | BinaryIO, tracker: _Tracker, footer_left: str,
           snapshot: RegisterSnapshot, title: str, created: datetime | date | None = None,
           footer_note: str = "") -> None:
    buffer = io.BytesIO()
    doc = _Doc(buffer, tracker, title=title, author=snapshot.council, subject=c.meeting_line(snapshot),
               creator="riskdesk")
    note = " · ".join(part for part in (clean_text(footer_note), snapshot.seal_line) if part)
    doc.build(list(story), canvasmaker=_numbered_canvas(footer_left, created_at(snapshot, created), note))
    data = buffer.getvalue()
    # Written only once complete, so a cancelled or failed build leaves no half file behind.
    if isinstance(out, str | Path):
        Path(out).write_bytes(data)
    else:
        out.write(data)


def write_appendix_pdf(
    snapshot: RegisterSnapshot,
    out: str | Path | BinaryIO,
    *,
    part: str = "A",
    include_movements: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    created: datetime | date | None = None,
    footer_note: str = "",
) -> None:
    """Write the committee appendix as a landscape A4 PDF.

    Args:
        snapshot: The register as presented; the only input.
        out: A file path, or a writable binary file object (written once, at the end).
        part: "A" (public: every non-exempt risk, movements, removed risks, criteria) or
            "B" (exempt risks only, with the key and footnotes; see the module docstring).
        include_movements: Part A only: print "Movements since the CRR was last presented"
            as the first section (skipped anyway when ``snapshot.movements`` is None). Off by
            default: the published appendix does not hold them (they belong to the covering
            report, see :func:`write_movements_section`).
        progress: Called as ``progress(done, total)`` while risk rows are laid out (total is
            the number of risks printed). Called on the building thread; a UI must marshal.
        cancelled: Polled at every risk row and every page; returning True stops the build.
        created: The PDF's creation date: the cycle's presented time (default: its meeting
            date), so reprints are byte-identical and the date is true.
        footer_note: An optional line printed centred under the footer (an audit seal).

    Raises:
        ReportCancelled: ``cancelled`` returned True; nothing has been written to ``out``.
        ValueError: ``part`` is not "A" or "B".
    """
    part = c.check_part(part)
    tracker = _Tracker(len(c.risks_for(snapshot, part)), progress, cancelled)
    tracker.check()
    if progress is not None:
        progress(0, tracker.total)
    st = _Styles()
    story = _story(snapshot, part, st, tracker, include_movements)
    title = c.appendix_title(snapshot, part)
    _build(story, out, tracker, f"{title} – {c.meeting_line(snapshot)}", snapshot, title, created, footer_note)
    tracker.finished()
