"""The FOI and EIR report (PDF and Word): Part 3 of the committee report, or a quarter for one
department's management team (SPEC F.5, F.7).

Takes frozen :class:`~riskdesk.domain.foi.FoiFigures` from the service and never reads the
database; ReportLab and python-docx are imported inside the functions, so importing this is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskdesk.domain.foi import DEPARTMENT_NAMES, FoiFigures, ReportText, report_text
from riskdesk.reports.text import to_markup


@dataclass(frozen=True)
class ReportMeta:
    """What the page says about the report: its title and whether it is frozen."""

    title: str
    subtitle: str = ""
    frozen_note: str = ""  # "Presented 17 Nov 2023 by …; figures frozen (sha256 …)"


def default_meta(f: FoiFigures) -> ReportMeta:
    if f.department_filter:
        name = DEPARTMENT_NAMES.get(f.department_filter, f.department_filter)
        return ReportMeta(f"FOI and EIR requests – {name} ({f.department_filter}), {f.period}",
                          "Quarterly report for the departmental management team")
    return ReportMeta(f"Update on Freedom of Information Act (FOIA) and Environmental Information Regulations (EIR) "
                      f"handling – {f.period}", f"Annual Performance {f.period_start:%B %Y} – {f.period_end:%B %Y}")


def _sections(f: FoiFigures, t: ReportText) -> list[tuple[str, tuple[str, ...]]]:
    span = f"{f.period_start.day} {f.period_start:%B %Y} – {f.period_end.day} {f.period_end:%B %Y}"
    return [
        ("Analysis of requests received", t.received),
        (f"Analysis of requests responded to between {span}", t.responded),
        ("Compliance with statutory timescales", t.timeliness),
    ]


def write_pdf(f: FoiFigures, out: str | Path, meta: ReportMeta | None = None) -> Path:
    """Write the report as A4 PDF to ``out`` and return the path."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    rl_config.invariant = 1  # same figures, same bytes: a frozen report reprints identically
    register_fonts()
    meta = meta or default_meta(f)
    t = report_text(f)
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=4)
    item = ParagraphStyle("item", parent=body, leftIndent=12, spaceAfter=1)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    h1 = ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=14, leading=18, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, keepWithNext=1)
    navy = colors.HexColor("#1f4e79")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    page_w, _ = A4
    margin = 18 * mm
    usable = page_w - 2 * margin

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawString(margin, 10 * mm, f"FOI and EIR report {f.period}")
        canvas.drawRightString(page_w - margin, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [Paragraph(to_markup(meta.title), h1)]
    if meta.subtitle:
        story.append(Paragraph(to_markup(meta.subtitle), body))
    if meta.frozen_note:
        story.append(Paragraph(to_markup(meta.frozen_note), small))
    for heading, lines in _sections(f, t):
        story.append(Paragraph(to_markup(heading), h2))
        for line in lines:
            is_item = line[-1:].isdigit() or line.endswith(" requests")
            story.append(Paragraph(to_markup(line), item if is_item else body))
    story.append(Spacer(1, 6))
    rows = [list(t.table_head), *[list(r) for r in t.table_rows]]
    widths = [usable * 0.16] + [usable * 0.168] * 5
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), REGULAR, 9),
        ("FONT", (0, 0), (-1, 0), BOLD, 9),
        ("BACKGROUND", (0, 0), (-1, 0), navy),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONT", (0, -1), (-1, -1), BOLD, 9),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde7f1")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9fb3c8")),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
    ])
    table.setStyle(style)
    story.append(KeepTogether([Paragraph(to_markup(t.table_title), h2), table]))
    story.append(Spacer(1, 4))
    story.append(_target_bar(f, usable))
    story.append(Paragraph("Internal reviews and Information Commissioner enquiries", h2))
    story.extend(Paragraph(to_markup(line), body) for line in t.reviews)
    story.append(Spacer(1, 8))
    story.extend(Paragraph(to_markup(n), small) for n in t.footnotes)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=meta.title, author="riskdesk")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out


def _target_bar(f: FoiFigures, width: float) -> Any:
    """Within 20 working days against the ICO's line (and the 95/85 marks of the toolkit)."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    from riskdesk.reports.fonts import REGULAR

    d = Drawing(width, 34)
    bar_w = width - 10
    d.add(Rect(0, 12, bar_w, 10, fillColor=colors.HexColor("#e6e6e6"), strokeColor=None))
    good = f.within_pct >= f.target_pct
    d.add(Rect(0, 12, bar_w * f.within_pct / 100, 10, strokeColor=None,
               fillColor=colors.HexColor("#2e7d32" if good else "#c77c02")))
    for mark in (85, f.target_pct, 95):
        x = bar_w * mark / 100
        d.add(Line(x, 8, x, 26, strokeColor=colors.black if mark == f.target_pct else colors.grey,
                   strokeWidth=1.2 if mark == f.target_pct else 0.5))
    d.add(String(0, 0, f"Within 20 working days: {f.within_pct}% (ICO target {f.target_pct}%)", fontName=REGULAR,
                 fontSize=7.5))
    return d


def write_docx(f: FoiFigures, out: str | Path, meta: ReportMeta | None = None) -> Path:
    """The same report as a Word document (for the committee clerk's template)."""
    from docx import Document
    from docx.shared import Pt

    meta = meta or default_meta(f)
    t = report_text(f)
    doc = Document()
    doc.add_heading(meta.title, level=1)
    if meta.subtitle:
        doc.add_paragraph(meta.subtitle)
    if meta.frozen_note:
        doc.add_paragraph(meta.frozen_note).runs[0].font.size = Pt(8)
    for heading, lines in _sections(f, t):
        doc.add_heading(heading, level=2)
        for line in lines:
            doc.add_paragraph(line)
    doc.add_heading(t.table_title, level=2)
    table = doc.add_table(rows=0, cols=len(t.table_head))
    table.style = "Table Grid"
    for r in (t.table_head, *t.table_rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, r, strict=True):
            cell.text = value
    doc.add_heading("Internal reviews and Information Commissioner enquiries", level=2)
    for line in t.reviews:
        doc.add_paragraph(line)
    for n in t.footnotes:
        doc.add_paragraph(n).runs[0].font.size = Pt(8)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def text_lines(f: FoiFigures) -> list[str]:
    """The report as plain lines (the CLI prints these)."""
    t = report_text(f)
    lines: list[str] = []
    for heading, body in _sections(f, t):
        lines += [heading, *body, ""]
    lines.append(t.table_title)
    lines.append("\t".join(t.table_head))
    lines += ["\t".join(r) for r in t.table_rows]
    lines.append("")
    lines.append("Internal reviews and Information Commissioner enquiries")
    lines += list(t.reviews)
    return lines
