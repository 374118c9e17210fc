"""Appendix A as an editable Word document (python-docx).

Same sections, order and Part A / Part B rules as :mod:`riskdesk.reports.appendix` (see
its docstring), so officers can tidy wording before the agenda is published. Differences
that suit Word better:

* the direction of travel is the arrow character (↑ ↔ ↓) in a larger size, not a drawing;
* a risk with several scoring lines (7.2) gets one table row per line, with the reference,
  description, update and direction cells merged down, so each score cell has its own
  band colour;
* rows may break across pages (Word's default), so long updates are kept whole.

All text goes through :func:`riskdesk.reports.text.clean_text` because lxml rejects
control characters and lone surrogates.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from riskdesk.domain.scoring import ScoringScheme
from riskdesk.domain.snapshot import RegisterSnapshot, ScoreLine, SnapshotRisk
from riskdesk.reports import _common as c
from riskdesk.reports import appendix_appetite as appetite
from riskdesk.reports.text import BULLET, clean_text

__all__ = ["write_appendix_docx", "write_movements_docx"]

FONT = "Arial"
BODY_PT = 8
PAGE_W, PAGE_H = Mm(297), Mm(210)
MARGIN = Mm(10)
HEADER_FILL = "D9E2F3"
CATEGORY_FILL = "E7E6E6"
#: Register column widths in mm (total 277 = A4 landscape less 2 × 10 mm).
REGISTER_MM = (11, 17, 52, 10, 10, 10, 10, 10, 10, 102, 35)


# -- low-level helpers -------------------------------------------------------------------------


def _shade(cell: _Cell, rgb: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), rgb.lstrip("#").upper())
    tc_pr.append(shd)


def _repeat_header(table: Table, rows: int) -> None:
    """Mark the first ``rows`` rows as header rows Word repeats on every page (w:tblHeader)."""
    for row in table.rows[:rows]:
        tr_pr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _set_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Give the grid (w:tblGrid) the same widths as the cells (w:tcW), and a fixed layout.

    LibreOffice lays a table out from its grid; python-docx writes an equal-width grid, so
    without this the description and update columns print narrow and the appendix triples
    in length there while Word, which reads the cells, looks right.
    """
    table.autofit = False
    twips = [round(Mm(w).twips) for w in widths_mm]
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), twips, strict=False):
        col.set(qn("w:w"), str(w))
    tbl_pr = table._tbl.tblPr
    for tag, attrs in (("w:tblW", {"w:w": str(sum(twips)), "w:type": "dxa"}), ("w:tblLayout", {"w:type": "fixed"})):
        el = tbl_pr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            tbl_pr.append(el)
        for key, value in attrs.items():
            el.set(qn(key), value)
    # A merged cell spans grid columns: its width is the sum of the columns it covers.
    for row in table.rows:
        col = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.get_or_add_tcPr()
            width = sum(twips[col:col + span])
            tcw = tc.tcPr.find(qn("w:tcW"))
            if tcw is None:
                tcw = OxmlElement("w:tcW")
                tc.tcPr.insert(0, tcw)
            tcw.set(qn("w:w"), str(width))
            tcw.set(qn("w:type"), "dxa")
            col += span


def _write(paragraph: Paragraph, text: Any, *, bold: bool = False, italic: bool = False, size: float | None = None,
           align: Any = None, colour: str | None = None) -> Paragraph:
    run = paragraph.add_run(clean_text(text))
    if colour is not None:
        run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    run.bold = bold or None
    run.italic = italic or None
    if size is not None:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _cell_text(cell: _Cell, text: Any, **kw: Any) -> None:
    """Replace the cell's content with one paragraph of ``text``."""
    _write(cell.paragraphs[0], text, **kw)


def _cell_lines(cell: _Cell, text: Any, *, first: bool = True, codes: frozenset[str] | None = None) -> None:
    """One paragraph per line; bullet lines get a hanging indent like a Word list.

    With ``codes``, a line that is only a department code or a group heading is bold.
    """
    lines = [line for line in clean_text(text).split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if (i == 0 and first) else cell.add_paragraph()
        stripped = line.lstrip()
        if stripped.startswith(BULLET):
            body = stripped[len(BULLET):].lstrip()
            p.paragraph_format.left_indent = Mm(3)
            p.paragraph_format.first_line_indent = Mm(-3)
            p.add_run(f"{BULLET}\t{body}")
            p.paragraph_format.tab_stops.add_tab_stop(Mm(3))
        elif codes is not None and c.is_update_heading(line, codes):
            p.add_run(line.strip()).bold = True
            p.paragraph_format.keep_with_next = True  # a department label stays with its text
        else:
            p.add_run(line)


def _heading(doc: Any, text: str, size: float = 11) -> None:
    p = doc.add_paragraph()
    _write(p, text, bold=True, size=size)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(3)
    p.paragraph_format.keep_with_next = True


def _page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field(paragraph: Paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def _new_document(snapshot: RegisterSnapshot, title: str) -> Any:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_W, PAGE_H
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    props = doc.core_properties
    props.title = clean_text(title)
    props.author = clean_text(snapshot.council)
    props.subject = clean_text(c.meeting_line(snapshot))
    # Two footer paragraphs rather than tab stops: the Footer style's own tab stops are
    # set for portrait Letter and would misplace a tabbed page number.
    _write(section.footer.paragraphs[0], f"{title} – {c.meeting_line(snapshot)}", size=7)
    seal = f"{snapshot.seal_line} · " if snapshot.seal_line else ""  # a presented cycle's audit seal
    pages = _write(section.footer.add_paragraph(), f"{seal}Page ", size=7, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _field(pages, "PAGE")
    _write(pages, " of ", size=7)
    _field(pages, "NUMPAGES")
    return doc


# -- sections ----------------------------------------------------------------------------------


def _movements(doc: Any, snapshot: RegisterSnapshot) -> None:
    moves = c.public_movements_of(snapshot)
    _heading(doc, c.movements_title(snapshot), 12)
    if moves is None:
        doc.add_paragraph(clean_text("Not recorded for this cycle."))
        return
    _heading(doc, "Risk(s) added", 9)
    if not moves.added:
        doc.add_paragraph("None.")
    for risk in moves.added:
        _write(doc.add_paragraph(), f"{risk.ref} {risk.departments_text}", bold=True)
        _write(doc.add_paragraph(), risk.description)
    _heading(doc, "Risk(s) removed", 9)
    if not moves.removed:
        doc.add_paragraph("None.")
    for gone in moves.removed:
        _write(doc.add_paragraph(), f"{gone.ref} {gone.department}", bold=True)
        _write(doc.add_paragraph(), gone.description)
        _write(doc.add_paragraph(), f"Reason – {clean_text(gone.reason)}")
    _heading(doc, "Risk(s) amended", 9)
    if not moves.amended:
        doc.add_paragraph("None.")
    for amended in moves.amended:
        p = _write(doc.add_paragraph(), f"{amended.ref} {amended.department}", bold=True)
        p.paragraph_format.space_before = Pt(4)
        p.paragraph_format.keep_with_next = True
        for label, text in (("Change from: ", amended.change_from), ("Change to: ", amended.change_to),
                            ("Rationale – ", amended.rationale)):
            p = doc.add_paragraph()
            _write(p, label, bold=True)
            _write(p, text)
    _heading(doc, "Score changes", 9)
    if not moves.score_changes:
        doc.add_paragraph("None.")
    for change in moves.score_changes:
        p = doc.add_paragraph()
        _write(p, f"{change.ref} – ", bold=True)
        _write(p, c.score_change_text(change.previous, change.current))


def _score_cells(cells: Sequence[_Cell], line: ScoreLine, scheme: ScoringScheme, mark: bool = False) -> None:
    """The six score cells of one scoring line (``mark``: its current score is above appetite)."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    cur = line.current
    if line.label:
        _cell_text(cells[0], line.label, size=6, align=centre)
        _write(cells[0].add_paragraph(), cur.impact, bold=True, align=centre)
    else:
        _cell_text(cells[0], cur.impact, bold=True, align=centre)
    if line.note:
        _write(cells[0].add_paragraph(), line.note, italic=True, size=6, align=centre)
    _cell_text(cells[1], cur.likelihood, bold=True, align=centre)
    ink = c.score_ink(scheme.band_for(cur.score).rgb)
    _cell_text(cells[2], cur.score, bold=True, align=centre, colour=ink)
    if mark:
        # A run of its own, a little smaller than the digits, as in the PDF.
        _write(cells[2].paragraphs[0], appetite.MARK, bold=True, size=6, colour=ink)
    _shade(cells[2], scheme.band_for(cur.score).rgb)
    if line.target is not None:
        tgt = line.target
        _cell_text(cells[3], tgt.impact, bold=True, align=centre)
        _cell_text(cells[4], tgt.likelihood, bold=True, align=centre)
        _cell_text(cells[5], tgt.score, bold=True, align=centre, colour=c.score_ink(scheme.band_for(tgt.score).rgb))
        _shade(cells[5], scheme.band_for(tgt.score).rgb)


def _risk_rows(table: Table, risk: SnapshotRisk, snapshot: RegisterSnapshot, codes: frozenset[str]) -> None:
    rows = [table.add_row() for _ in risk.lines]
    for row, line in zip(rows, risk.lines, strict=True):
        _score_cells(row.cells[3:9], line, snapshot.scheme, appetite.marked(snapshot, risk, line.current.score))
    top = rows[0].cells
    _cell_text(top[0], risk.ref, bold=True)
    _cell_text(top[1], risk.departments_text)
    if risk.service_area.strip():
        _cell_text(top[2], risk.service_area, bold=True)
        _cell_lines(top[2], risk.description, first=False)
    else:
        _cell_lines(top[2], risk.description)
    _cell_lines(top[9], risk.update, codes=codes)
    # An imported register that gave no direction stores "Not stated": no arrow the file never gave.
    stated = risk.direction_text.strip().lower() != "not stated"
    _cell_text(top[10], risk.direction.arrow if stated else "", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(top[10].add_paragraph(), risk.direction_text, align=WD_ALIGN_PARAGRAPH.CENTER)
    if len(rows) > 1:
        for col in (0, 1, 2, 9, 10):
            top[col].merge(rows[-1].cells[col])


def register_mm(snapshot: RegisterSnapshot, part: str = "A") -> list[float]:
    """Register column widths (mm): the ref column fits the longest ref on one line
    (Word's default cell margins are 1.9 mm a side), taken from the update column."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widest_pt = max((stringWidth(clean_text(r.ref), "Helvetica-Bold", BODY_PT)  # Arial's metrics
                     for r in c.risks_for(snapshot, part)), default=0.0)
    ref = min(max(REGISTER_MM[0], widest_pt / 72 * 25.4 + 2 * 1.9 + 0.6), 50.0)
    widths = list(REGISTER_MM)
    widths[9] -= ref - widths[0]
    widths[0] = round(ref, 1)
    return widths


def _register(doc: Any, snapshot: RegisterSnapshot, part: str) -> None:
    codes = c.department_codes(snapshot)
    table = doc.add_table(rows=2, cols=11)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    h0, h1 = table.rows[0].cells, table.rows[1].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for col, key in ((0, "ref"), (1, "departments"), (2, "description"), (9, "update"), (10, "direction")):
        _cell_text(h0[col], c.column(snapshot, key), bold=True, align=centre)
        h0[col].merge(h1[col])
    _cell_text(h0[3], c.column(snapshot, "current"), bold=True, align=centre)
    _cell_text(h0[6], c.column(snapshot, "target"), bold=True, align=centre)
    for start in (3, 6):
        for offset, key in enumerate(("impact", "likelihood", "score")):
            text = c.column(snapshot, key)
            # "Likelihood" is wider than a score column: break it where the published table does
            # (and as the PDF does), not wherever the word processor runs out of room.
            text = "Like-\nlihood" if text == "Likelihood" else text
            _cell_text(h1[start + offset], text, bold=True, size=6, align=centre)
    h0[3].merge(h0[5])
    h0[6].merge(h0[8])
    for cell in (*table.rows[0].cells, *table.rows[1].cells):
        _shade(cell, HEADER_FILL)
    _repeat_header(table, 2)

    for cat in c.categories_for(snapshot, part):
        row = table.add_row().cells
        merged = row[0].merge(row[-1])
        _cell_text(merged, cat.heading, bold=True, size=9)
        _shade(merged, CATEGORY_FILL)
        if cat.note:
            row = table.add_row().cells
            _cell_text(row[0].merge(row[-1]), cat.note, italic=True)
        for risk in cat.risks:
            _risk_rows(table, risk, snapshot, codes)
    widths = register_mm(snapshot, part)
    _set_widths(table, widths)
    _narrow_margins(table, (3, 4, 5, 6, 7, 8))
    _header_heights(table, widths, {col: c.column(snapshot, key) for col, key in (
        (0, "ref"), (1, "departments"), (2, "description"), (9, "update"), (10, "direction"))},
        [h0[3].text, h0[6].text], [h1[k].text for k in (3, 4, 5, 6, 7, 8)])


def _lines(text: str, width_mm: float, size: float, spare_mm: float = 0.0) -> int:
    """Lines ``text`` takes in bold Arial at ``size`` pt in a column ``width_mm`` wide (Word's
    default cell margins taken off, and ``spare_mm`` more)."""
    from reportlab.lib.utils import simpleSplit

    width_pt = max(width_mm - 2 * 1.9 - spare_mm, 1.0) / 25.4 * 72
    return sum(max(1, len(simpleSplit(part, "Helvetica-Bold", size, width_pt)))  # Arial's metrics
               for part in clean_text(text).split("\n"))


def _line_pt(size: float) -> float:
    """One line of Arial at ``size`` pt under the document's 1.15 line spacing (Arial's own line is 1.15 em)."""
    return size * 1.15 * 1.15


def _header_heights(table: Table, widths: Sequence[float], merged: dict[int, str], groups: Sequence[str],
                    subheads: Sequence[str]) -> None:
    """Give the two header rows "at least" heights that hold the tallest heading.

    The ref, department, description, update and direction headings are merged down both
    header rows. Laying out the first page, LibreOffice grows the second row to fit them; in the
    header rows it repeats on later pages it does not, so the repeated header kept only the
    rows' own heights and cut "CRR Risk No." and "(Residual Risk Score over the next 12 months)"
    to their first lines. Heights with the rule "atLeast" (never "exact", which clips in any
    word processor) make every copy of the header as tall as its text.
    """
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    group_mm = (sum(widths[3:6]), sum(widths[6:9]))
    top = max(_lines(t, w, BODY_PT) for t, w in zip(groups, group_mm, strict=True)) * _line_pt(BODY_PT)
    sub = max(_lines(t, widths[3 + i] + 2 * 1.9 - 2 * 0.5, 6) for i, t in enumerate(subheads)) * _line_pt(6)
    # The merged headings are the ones that clip: 1 mm to spare, so no word processor wraps them
    # into more lines than counted here. (A row's own text grows its row wherever it repeats.)
    tallest = max(_lines(t, widths[col], BODY_PT, spare_mm=1.0) for col, t in merged.items()) * _line_pt(BODY_PT)
    for row, height in zip(table.rows[:2], (top, max(sub, tallest - top)), strict=True):
        row.height = Pt(round(height + 0.5, 1))
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _narrow_margins(table: Table, columns: Sequence[int], twips: int = 28) -> None:
    """Score cells get 0.5 mm side margins (Word's 1.9 mm leave 6 mm of a 10 mm column)."""
    for row in table.rows:
        col = 0
        for tc in row._tr.tc_lst:
            if col in columns and tc.grid_span == 1:
                tc_pr = tc.get_or_add_tcPr()
                mar = OxmlElement("w:tcMar")
                for side in ("left", "right"):
                    el = OxmlElement(f"w:{side}")
                    el.set(qn("w:w"), str(twips))
                    el.set(qn("w:type"), "dxa")
                    mar.append(el)
                tc_pr.append(mar)
            col += tc.grid_span


def _key_and_footnotes(doc: Any, snapshot: RegisterSnapshot) -> None:
    if snapshot.appetite_mark:
        p = doc.add_paragraph(clean_text(appetite.key_line()))
        p.paragraph_format.space_before = Pt(4)
    if snapshot.department_key:
        _heading(doc, "Department", 9)
        for code, name in snapshot.department_key:
            doc.add_paragraph(clean_text(f"{code} = {name}"))
    for note in snapshot.footnotes:
        p = doc.add_paragraph(clean_text(f"{note.marker}{note.text}"))
        p.paragraph_format.space_before = Pt(4)
        for item in note.items:
            p = doc.add_paragraph(clean_text(f"{BULLET}\t{item}"))
            p.paragraph_format.left_indent = Mm(6)
            p.paragraph_format.first_line_indent = Mm(-4)


def _removed(doc: Any, snapshot: RegisterSnapshot) -> None:
    _heading(doc, c.removed_title(snapshot), 12)
    heads = ["CRR Risk No", "Dept.", "Risk Description", "Current Risk Score", "Reason", "Date of Removal"]
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell_text(cell, head, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, HEADER_FILL)
    _repeat_header(table, 1)
    for risk in c.public_removed(snapshot):
        cells = table.add_row().cells
        _cell_text(cells[0], risk.ref, bold=True)
        _cell_text(cells[1], risk.department)
        _cell_lines(cells[2], risk.description)
        _cell_text(cells[3], risk.score, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        il = c.removed_il(risk.impact, risk.likelihood)
        if il:
            _write(cells[3].add_paragraph(), il, size=6.5, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cells[3], snapshot.scheme.band_for(risk.score).rgb)
        _cell_lines(cells[4], risk.reason)
        _cell_text(cells[5], c.short_date(risk.removed_on), align=WD_ALIGN_PARAGRAPH.CENTER)
    if not c.public_removed(snapshot):
        cells = table.add_row().cells
        _cell_text(cells[0].merge(cells[-1]), "None.")
    _set_widths(table, (16, 14, 95, 18, 114, 20))


def _criteria(doc: Any, scheme: ScoringScheme) -> None:
    dims = scheme.criteria_dimensions()
    heads = list(scheme.impact_columns) if len(scheme.impact_columns) == len(dims) + 2 else \
        ["Scale", "Description", *dims]
    _heading(doc, "Risk Impact Measurement Criteria", 12)
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell_text(cell, head, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, HEADER_FILL)
    _repeat_header(table, 1)
    for level in scheme.impact_levels:
        cells = table.add_row().cells
        _cell_text(cells[0], level.level, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(cells[1], level.label, bold=True)
        for cell, (_, text) in zip(cells[2:], level.criteria, strict=False):
            _cell_lines(cell, text)
    rest = (277 - 12 - 25) / max(len(dims), 1)
    _set_widths(table, (12, 25, *([rest] * len(dims))))
    if scheme.impact_note:
        doc.add_paragraph(clean_text(scheme.impact_note))

    # As published (and as the PDF prints): impact criteria on their own page, then the
    # likelihood criteria with the matrix.
    _page_break(doc)
    _heading(doc, "Risk Likelihood Measurement Criteria", 12)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, ("Rating Scale", "Likelihood", "Example of Loss/Event Frequency",
                                                "Probability %"), strict=True):
        _cell_text(cell, head, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _shade(cell, HEADER_FILL)
    _repeat_header(table, 1)
    for level in scheme.likelihood_levels:
        cells = table.add_row().cells
        _cell_text(cells[0], level.level, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(cells[1], level.label, bold=True)
        _cell_lines(cells[2], level.frequency)
        _cell_text(cells[3], level.probability, align=WD_ALIGN_PARAGRAPH.CENTER)
    _set_widths(table, (20, 40, 187, 30))
    if scheme.likelihood_note:
        doc.add_paragraph(clean_text(scheme.likelihood_note))


def _matrix(doc: Any, scheme: ScoringScheme) -> None:
    _heading(doc, "Risk Scoring Matrix", 12)
    # register governance (issue 16): the size comes from the scheme (a council may use 4 × 4).
    n = scheme.size
    levels = range(1, n + 1)
    table = doc.add_table(rows=n + 3, cols=n + 2)
    table.style = "Table Grid"
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for row, impact in enumerate(reversed(levels)):
        cells = table.rows[row].cells
        _cell_text(cells[1], f"{impact} {scheme.impact_axis_label(impact)}")
        for col, lk in enumerate(levels, start=2):
            _cell_text(cells[col], impact * lk, bold=True, align=centre)
            _shade(cells[col], scheme.band_for(impact * lk).rgb)
    _cell_text(table.cell(0, 0), "Impact", bold=True)
    table.cell(0, 0).merge(table.cell(n - 1, 0))
    for col, lk in enumerate(levels, start=2):
        _cell_text(table.cell(n, col), lk, bold=True, align=centre)
        _cell_text(table.cell(n + 1, col), scheme.likelihood_axis_label(lk), size=7, align=centre)
    _cell_text(table.cell(n + 2, 2), "Likelihood*", bold=True, align=centre)
    table.cell(n + 2, 2).merge(table.cell(n + 2, n + 1))
    _set_widths(table, (14, 40, *([22 * 5 / max(n, 5)] * n)))
    if scheme.matrix_footnote:
        doc.add_paragraph(clean_text(scheme.matrix_footnote))


# -- entry point -------------------------------------------------------------------------------


def _stamp(doc: Any, when: datetime) -> None:
    """Core properties that do not change between reprints: the cycle's date, revision 1."""
    props = doc.core_properties
    naive = when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when
    props.created = naive
    props.modified = naive
    props.last_printed = naive
    props.revision = 1
    props.last_modified_by = "riskdesk"


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite the .docx zip with every entry dated ``when`` and fixed attributes.

    python-docx stamps each part with the wall clock, so two prints of a presented cycle
    differed; the entry order python-docx writes ([Content_Types].xml first) is kept.
    """
    import zipfile

    stamp = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _save(doc: Any, out: str | Path | BinaryIO, when: datetime) -> None:
    _stamp(doc, when)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = _fixed_zip(buffer.getvalue(), when)
    if isinstance(out, str | Path):
        Path(out).write_bytes(data)
    else:
        out.write(data)


def _created(snapshot: RegisterSnapshot, created: datetime | date | None) -> datetime:
    if isinstance(created, datetime):
        return created
    day = created if isinstance(created, date) else snapshot.meeting_date
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def write_movements_docx(snapshot: RegisterSnapshot, out: str | Path | BinaryIO, *,
                         created: datetime | date | None = None) -> None:
    """Write only "Movements since the CRR was last presented" (for the covering report)."""
    title = c.movements_title(snapshot)
    doc = _new_document(snapshot, title)
    _write(doc.add_paragraph(), c.appendix_title(snapshot, "A"), bold=True, size=14)
    _write(doc.add_paragraph(), c.subtitle(snapshot), size=9)
    _movements(doc, snapshot)
    _save(doc, out, _created(snapshot, created))


def write_appendix_docx(snapshot: RegisterSnapshot, out: str | Path | BinaryIO, *, part: str = "A",
                        include_movements: bool = False, created: datetime | date | None = None) -> None:
    """Write the committee appendix as a landscape A4 Word document.

    Args:
        snapshot: The register as presented; the only input.
        out: A file path or a writable binary file object (written once, at the end).
        part: "A" (public) or "B" (exempt risks only), as for the PDF.
        include_movements: Part A only: start with the movements section (off by default,
            as in the published appendix).
        created: The document's creation date: the cycle's presented time (default: its
            meeting date). With it, a reprint is byte-identical.

    Raises:
        ValueError: ``part`` is not "A" or "B".
    """
    part = c.check_part(part)
    title = c.appendix_title(snapshot, part)
    doc = _new_document(snapshot, title)
    _write(doc.add_paragraph(), title, bold=True, size=14)
    _write(doc.add_paragraph(), c.subtitle(snapshot), size=9)
    if part == "B":
        _write(doc.add_paragraph(), c.EXEMPT_NOTICE, bold=True, size=9)
    if part == "A" and include_movements and snapshot.movements is not None:
        _movements(doc, snapshot)
        _page_break(doc)
    _register(doc, snapshot, part)
    _key_and_footnotes(doc, snapshot)
    if part == "A":
        _page_break(doc)
        _removed(doc, snapshot)
        _page_break(doc)
        _criteria(doc, snapshot.scheme)
        _matrix(doc, snapshot.scheme)
    _save(doc, out, _created(snapshot, created))
