"""The Ombudsman section of the annual complaints report (004 §5) and the Code self-assessment, as PDF
(ReportLab) and Word (python-docx).

Both take frozen rows from the services and never read the database. The wording lives in
``riskdesk.domain.ombudsman`` so the PDF and the Word document cannot drift apart. ReportLab and
python-docx are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from riskdesk.domain.code_templates import TEMPLATES
from riskdesk.domain.ombudsman import (
    OmbudsmanReportData,
    SelfAssessmentData,
    decision_bullets,
    decision_sentences,
    fy_label,
    group_heading,
    group_payments,
    pct,
)
from riskdesk.reports.text import to_markup

__all__ = ["write_ombudsman_docx", "write_ombudsman_pdf", "write_self_assessment_docx", "write_self_assessment_pdf"]


def _blocks(data: OmbudsmanReportData) -> list[tuple[str, Any]]:
    """The report as (kind, content) blocks: "h1", "h2", "p", "bullets", "table" (head, rows, bold last)."""
    said = decision_sentences(data)
    years = data.enquiry_years
    out: list[tuple[str, Any]] = [
        ("h1", data.title),
        ("p", "The figures below are the details the Council holds for LGSCO enquiries and decisions; the "
              "Ombudsman's own published figures are reproduced as published and reconciled with them in 5.4."),
        ("h2", f"5.1 New enquiries made by the Local Government and Social Care Ombudsman {fy_label(data.fy, 'dash')}"),
        ("p", said["enquiries"]),
        ("table", (["Department", *years],
                   [[label, *map(str, counts)] for label, counts in data.enquiries]
                   + [["TOTAL", *map(str, data.enquiries_total)]], True)),
        ("h2", f"5.2 Decisions made by the Local Government and Social Care Ombudsman {fy_label(data.fy, 'dash')}"),
        ("p", said["decisions"] + " The outcomes reached were as follows:"),
        ("bullets", decision_bullets(data)),
        ("p", said["trend"]),
        ("p", said["public"]),
    ]
    if data.corporate_findings:
        out.append(("p", said["corporate"]))
        for g in data.groups:
            out.append(("h3", group_heading(g)))
            out.append(("p", group_payments(g)))
    out.append(("p", said["compensation"]))
    if data.chair_consulted_payments:
        out.append(("p", said["chair"]))
    if data.replies:
        out.append(("h3", "Replies to the Ombudsman's enquiries sent on time"))
        out.append(("table", (["Year", "Enquiries", "Replied by the due date", "On time"],
                              [[fy_label(y), str(n), str(k), "" if pct(k, n) is None else f"{pct(k, n)}%"]
                               for y, n, k in data.replies], False)))
    out.append(("h2", "5.3 Decisions by category (council records)"))
    out.append(("table", (["Ombudsman decision", "Cases"],
                          [[d.label, str(n)] for d, n in data.decisions]
                          + [["Total", str(data.decisions_total)]], True)))
    pub = data.published
    if pub is not None:
        out.append(("h2", f"5.4 The Ombudsman's published figures {fy_label(data.fy)} and the council's records"))
        out.append(("p", "Published figures are recorded exactly as the Ombudsman printed them and are not "
                         "recomputed; a difference is expected where the Ombudsman decided cases the council "
                         "never heard of, or counts by a different date."))
        rows = [[r.measure, "" if r.published is None else str(r.published), str(r.council),
                 "" if r.difference is None else f"{r.difference:+d}"] for r in data.reconciliation]
        out.append(("table", (["Measure", "Published by the Ombudsman", "Council records", "Difference"], rows,
                              False)))
        letter = []
        if pub.uphold_pct:
            letter.append(f"{pub.uphold_pct}% of complaints investigated were upheld. This compares to an average "
                          f"of {pub.similar_avg_uphold_pct}% in similar organisations.")
        if pub.upheld is not None:
            per = f" ({pub.upheld_per_100k} upheld decisions per 100,000 residents; average " \
                  f"{pub.similar_avg_per_100k})" if pub.upheld_per_100k else ""
            letter.append(f"{pub.upheld} upheld decisions{per}. Statistics are based on a total of "
                          f"{pub.investigations} investigations for the period between 1 April {data.fy} to "
                          f"31 March {data.fy + 1}.")
        if pub.compliance_pct:
            letter.append(f"In {pub.compliance_pct}% of cases the Ombudsman was satisfied the council had "
                          f"successfully implemented its recommendations (average {pub.similar_avg_compliance_pct}%; "
                          f"based on {pub.compliance_outcomes} compliance outcomes).")
        if pub.satisfactory_remedy_pct:
            letter.append(f"In {pub.satisfactory_remedy_pct}% of upheld cases the council had provided a satisfactory "
                          f"remedy before the complaint reached the Ombudsman (average "
                          f"{pub.similar_avg_satisfactory_pct}%; {pub.satisfactory_remedy_count} decisions).")
        if letter:
            dated = f", dated {pub.letter_date:%d %B %Y}" if pub.letter_date else ""
            out.append(("h3", f"The Ombudsman's annual review letter{dated} (as published)"))
            out.extend(("p", t) for t in letter)
    if data.benchmark:
        out.append(("h2", f"5.5 Benchmarking with statistical neighbours {fy_label(data.fy)} (as published)"))
        out.append(("table", (["Local Authority", "New Complaints", "Uphold Rate", "Complaints per 100,000 residents"],
                              [[b.authority, str(b.new_complaints), str(b.uphold_pct), b.per_100k]
                               for b in data.benchmark], False)))
    for note in data.notes:
        out.append(("note", note))
    return out


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, spaceAfter=4)
    return {
        "font": REGULAR, "bold": BOLD, "navy": colors.HexColor("#1f4e79"), "grid": colors.HexColor("#9fb3c8"),
        "p": body,
        "note": ParagraphStyle("note", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5, spaceAfter=0,
                               textColor=colors.white),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=15, leading=19, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=10,
                             spaceAfter=5, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=10, leading=13, spaceBefore=6,
                             keepWithNext=1),
    }


def _table(st: dict[str, Any], head: list[str], rows: list[list[str]], widths: list[float], bold_last: bool) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    cells = [[Paragraph(to_markup(h), st["head"]) for h in head]]
    cells += [[Paragraph(to_markup(v), st["cell"]) for v in r] for r in rows]
    t = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
    style = TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), st["navy"]),
        ("GRID", (0, 0), (-1, -1), 0.4, st["grid"]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ])
    if bold_last:
        style.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde7f1"))
    t.setStyle(style)
    return t


def _pdf(out: str | Path, title: str, story_of: Any, *, landscape_page: bool = False) -> Path:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    rl_config.invariant = 1  # same input, same bytes
    st = _styles()
    page = landscape(A4) if landscape_page else A4
    margin = 16 * mm
    usable = page[0] - 2 * margin
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(st["font"], 7.5)
        canvas.drawString(margin, 10 * mm, title)
        canvas.drawRightString(page[0] - margin, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(out), pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=18 * mm, title=title, author="riskdesk")
    doc.build(story_of(st, usable), onFirstPage=footer, onLaterPages=footer)
    return out


def write_ombudsman_pdf(data: OmbudsmanReportData, out: str | Path) -> Path:
    """The Ombudsman section as a PDF (A4 portrait)."""

    def story(st: dict[str, Any], usable: float) -> list[Any]:
        from reportlab.platypus import ListFlowable, ListItem, Paragraph

        flow: list[Any] = []
        for kind, content in _blocks(data):
            if kind == "table":
                head, rows, bold_last = content
                first = usable * (0.4 if len(head) > 2 else 0.75)
                rest = (usable - first) / (len(head) - 1)
                flow.append(_table(st, head, rows, [first] + [rest] * (len(head) - 1), bold_last))
            elif kind == "bullets":
                flow.append(ListFlowable([ListItem(Paragraph(to_markup(b), st["p"]), leftIndent=12) for b in content],
                                         bulletType="bullet", start="-", leftIndent=12))
            else:
                flow.append(Paragraph(to_markup(content), st[kind if kind != "h3" else "h3"]))
        return flow

    return _pdf(out, data.title, story)


def _docx_doc() -> Any:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    return doc


def _docx_table(doc: Any, head: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r in rows:
        for cell, text in zip(table.add_row().cells, r, strict=True):
            cell.text = text


def _save_docx(doc: Any, out: str | Path, when: Any) -> Path:
    from datetime import datetime

    props = doc.core_properties
    stamp = datetime(when.year, when.month, when.day)
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.last_modified_by = "riskdesk"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # python-docx dates every zip entry with the wall clock: without this a presented report's Word
    # file differed at each reprint. The register appendix's writer already fixes its entries the same way.
    from riskdesk.reports.appendix_docx import _fixed_zip

    buffer = io.BytesIO()
    doc.save(buffer)
    out.write_bytes(_fixed_zip(buffer.getvalue(), stamp))
    return out


def write_ombudsman_docx(data: OmbudsmanReportData, out: str | Path) -> Path:
    """The same section as an editable Word document."""
    doc = _docx_doc()
    for kind, content in _blocks(data):
        if kind == "h1":
            doc.add_heading(content, level=1)
        elif kind == "h2":
            doc.add_heading(content, level=2)
        elif kind == "h3":
            doc.add_heading(content, level=3)
        elif kind == "bullets":
            for b in content:
                doc.add_paragraph(b, style="List Bullet")
        elif kind == "table":
            head, rows, _bold = content
            _docx_table(doc, head, rows)
        else:
            doc.add_paragraph(content)
    return _save_docx(doc, out, data.generated_on)


# -- the Code self-assessment ---------------------------------------------------------------------------


def _sa_sections(data: SelfAssessmentData) -> list[tuple[str, list[tuple[str, list[list[str]]]]]]:
    """(section heading, [(sub-heading, rows)]) in template order. A template with a row per section
    prints as one table under no heading, the first cell naming the section."""
    template = TEMPLATES[data.template]
    out: list[tuple[str, list[tuple[str, list[list[str]]]]]] = []
    for r in data.rows:
        if template.one_table:
            if not out:
                out.append(("", [("", [])]))
            explain = r.explanation + (f"\nDate to comply: {r.target_date:%d/%m/%Y}" if r.target_date else "")
            cell = template.section_cell((r.section, r.section_title, r.sub_heading, r.code_ref, r.requirement))
            out[0][1][0][1].append([cell, r.requirement, r.comply.label if r.comply else "", explain, r.evidence])
            continue
        heading = f"Section {r.section} – {r.section_title}"
        if not out or out[-1][0] != heading:
            out.append((heading, []))
        subs = out[-1][1]
        if not subs or subs[-1][0] != r.sub_heading:
            subs.append((r.sub_heading, []))
        explain = r.explanation + (f"\nDate to comply: {r.target_date:%d/%m/%Y}" if r.target_date else "")
        subs[-1][1].append([r.code_ref, r.requirement, r.comply.label if r.comply else "", explain, r.evidence])
    return out


def _sa_status(data: SelfAssessmentData) -> str:
    template = TEMPLATES[data.template]
    used = f" Template {template.code}: {template.title}."
    if data.frozen and data.presented_on:
        return f"Presented on {data.presented_on:%d %B %Y}; this is the record as presented.{used}"
    if data.status == "blank":
        return f"Blank template.{used}"
    return f"Draft: not yet presented.{used}"


def write_self_assessment_pdf(data: SelfAssessmentData, out: str | Path) -> Path:
    """The self-assessment, section by section, columns as the Code's template prints them (A4 landscape)."""

    def story(st: dict[str, Any], usable: float) -> list[Any]:
        from reportlab.platypus import Paragraph

        flow: list[Any] = [Paragraph(to_markup(data.title), st["h1"]), Paragraph(to_markup(_sa_status(data)),
                                                                                 st["p"])]
        template = TEMPLATES[data.template]
        widths = [usable * w for w in ((0.16, 0.30, 0.10, 0.22, 0.22) if template.one_table
                                       else (0.10, 0.34, 0.12, 0.22, 0.22))]
        for heading, subs in _sa_sections(data):
            if heading:
                flow.append(Paragraph(to_markup(heading), st["h2"]))
            for sub, rows in subs:
                if sub:
                    flow.append(Paragraph(to_markup(sub), st["h3"]))
                flow.append(_table(st, list(template.columns), rows, widths, False))
        return flow

    return _pdf(out, data.title, story, landscape_page=True)


def write_self_assessment_docx(data: SelfAssessmentData, out: str | Path) -> Path:
    from datetime import date

    doc = _docx_doc()
    doc.add_heading(data.title, level=1)
    doc.add_paragraph(_sa_status(data))
    columns = list(TEMPLATES[data.template].columns)
    for heading, subs in _sa_sections(data):
        if heading:
            doc.add_heading(heading, level=2)
        for sub, rows in subs:
            if sub:
                doc.add_heading(sub, level=3)
            _docx_table(doc, columns, rows)
    return _save_docx(doc, out, data.presented_on or date(data.fy + 1, 3, 31))
