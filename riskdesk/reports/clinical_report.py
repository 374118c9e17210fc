"""Clinical governance reports: the audits appendix (as Appendix C), the assurance summary (as
Table 1) and the PGD expiry schedule, as PDF; the same lists as xlsx/csv through ``riskdesk.io``.

Built from the frozen rows in ``riskdesk.domain.clinical`` only. ReportLab is imported inside the
functions, so importing this module costs nothing at start-up. Output is reproducible (ReportLab
invariant mode): the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from riskdesk.domain.clinical import (
    AssuranceSummaryRow,
    AuditAppendix,
    ClinicalAuditRow,
    PgdRow,
    QualityVisitRow,
    WarningLevel,
)
from riskdesk.reports.text import to_markup

#: Fill colours for PGD warnings in the schedule and appendix.
WARNING_FILL = {WarningLevel.PASSED: "#ff0000", WarningLevel.DAYS_30: "#ffc000", WarningLevel.DAYS_60: "#ffe699",
                WarningLevel.DAYS_90: "#fff2cc"}


def _register_fonts() -> tuple[str, str]:
    """The report fonts shipped with riskdesk (DejaVu Sans: Welsh ŵ ŷ, €, curly quotes, dashes)."""
    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    return REGULAR, BOLD


def escape(text: str | None) -> str:
    """User text as ReportLab paragraph markup: ``R&D <urgent>`` prints as typed (see reports/text.py)."""
    return to_markup(text)


def _d(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class _Kit:
    """Styles and small builders shared by the three reports."""

    def __init__(self) -> None:
        from reportlab import rl_config
        from reportlab.lib.styles import ParagraphStyle

        rl_config.invariant = 1
        regular, bold = _register_fonts()
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.cell_bold = ParagraphStyle("cellb", parent=self.body, fontName=bold)
        self.head = ParagraphStyle("head", parent=self.body, fontName=bold, textColor="#ffffff")
        self.h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=19, spaceAfter=4)
        # Headings keep with what follows, so none is left alone at the foot of a page.
        self.h2 = ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=3,
                                 keepWithNext=1)
        self.h3 = ParagraphStyle("h3", fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3,
                                 keepWithNext=1)
        self.alarm = ParagraphStyle("alarm", parent=self.body, fontName=bold, textColor="#ffffff")
        self.note = ParagraphStyle("note", parent=self.body, textColor="#444444")

    def p(self, text: str | None, style: Any = None) -> Any:
        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), style or self.body)

    def table(self, header: Sequence[str], rows: list[list[Any]], widths: Sequence[float],
              extra: Sequence[tuple[Any, ...]] = ()) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        data = [[self.p(h, self.head) for h in header], *rows]
        t = Table(data, colWidths=list(widths), repeatRows=1, splitInRow=1, hAlign="LEFT")
        t.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8c8c8c")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ]))
        return t

    def build(self, out: str | Path, story: list[Any], title: str, *, landscape_page: bool = True) -> Path:
        from reportlab.lib.pagesizes import A4, landscape
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        size = landscape(A4) if landscape_page else A4
        regular = self.regular

        def footer(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(regular, 8)
            canvas.setFillColorRGB(0.3, 0.3, 0.3)
            canvas.drawString(15 * mm, 9 * mm, title)
            canvas.drawRightString(size[0] - 15 * mm, 9 * mm, f"Page {doc.page}")
            canvas.restoreState()

        tmp = out.with_name(out.name + ".part")
        doc = SimpleDocTemplate(str(tmp), pagesize=size, leftMargin=15 * mm, rightMargin=15 * mm,
                                topMargin=14 * mm, bottomMargin=16 * mm, title=title, author="riskdesk")
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        tmp.replace(out)  # never leave half a PDF where a good one was
        return out


# -- audits appendix -------------------------------------------------------------------------------


def write_audit_appendix(out: str | Path, appendix: AuditAppendix, *, today: date | None = None,
                         heading: str = "Appendix C") -> Path:
    """The clinical audits appendix: per service and provider, each quarter's audits in order; then PGDs."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    k = _Kit()
    today = today or appendix.generated
    story: list[Any] = [k.p(heading, k.h1), k.p(appendix.title, k.h2),
                        k.p(f"Audits undertaken {appendix.period_label}.", k.note)]
    if not appendix.groups:
        story.append(k.p("No clinical audits are recorded for this period.", k.body))
    widths = [10 * mm, 118 * mm, 20 * mm, 22 * mm, 24 * mm, 16 * mm, 22 * mm, 35 * mm]
    last_key: tuple[str, str] | None = None
    for g in appendix.groups:
        key = (g.service, g.provider_label)
        if key != last_key:
            story.append(k.p(g.service, k.h2))
            story.append(k.p(f"Services delivered by {g.provider_label}", k.h3))
            last_key = key
        rows, extra = [], []
        for n, a in enumerate(g.audits, start=1):
            rows.append([k.p(str(n)), _audit_title(k, a), k.p(a.kind.label), k.p(a.standard_body),
                         k.p(a.status.label), _rag_cell(k, a.rag), k.p(_d(a.reaudit_due)),
                         k.p(_actions_text(a))])
            if a.rag:
                extra.append(("BACKGROUND", (5, n), (5, n), colors.HexColor(a.rag.rgb)))
        block = [Paragraph(escape(g.quarter.label), k.h3),
                 k.table(["#", "Audit", "Type", "Standard", "Status", "RAG", "Re-audit due", "Actions"], rows,
                         widths, extra)]
        story.append(KeepTogether(block) if len(rows) < 12 else block[0])
        if len(rows) >= 12:
            story.append(block[1])
    if appendix.pgds:
        story.append(Spacer(1, 4 * mm))
        story.append(k.p("Patient Group Directions", k.h2))
        story.append(_pgd_table(k, appendix.pgds, today))
    return k.build(out, story, f"{heading} – {appendix.title} ({appendix.period_label})")


def _audit_title(k: _Kit, a: ClinicalAuditRow) -> Any:
    text = escape(a.title)
    if a.previous_audit_title:
        text += f"<br/><font size=7.5 color='#444444'>Re-audit of: {escape(a.previous_audit_title)}</font>"
    if a.findings:
        text += f"<br/><font size=7.5 color='#444444'>Findings: {escape(a.findings)}</font>"
    from reportlab.platypus import Paragraph

    return Paragraph(text, k.body)


def _actions_text(a: ClinicalAuditRow | QualityVisitRow) -> str:
    if not a.actions:
        return ""
    done = sum(1 for x in a.actions if x.complete)
    return f"{done} of {len(a.actions)} done"


def _pgd_table(k: _Kit, pgds: Sequence[PgdRow], today: date) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    rows, extra = [], []
    for n, g in enumerate(pgds, start=1):
        alert = g.alert(today)
        # An expired PGD must not be used whatever its recorded status: the alert ("EXPIRED on …")
        # replaces the status rather than repeating the word under it.
        if alert.expired:
            status = alert.text or "EXPIRED"
        else:
            status = g.status.label + (f"\n{alert.text}" if alert.text else "")
        rows.append([k.p(g.service_name), k.p(g.name), k.p(g.document_version), k.p(_d(g.issued)),
                     k.p(_d(g.review_due)), k.p(_d(g.expiry)),
                     k.p(status, k.alarm if alert.level is WarningLevel.PASSED else k.body)])
        if alert.level > WarningLevel.NONE:
            extra.append(("BACKGROUND", (6, n), (6, n), colors.HexColor(WARNING_FILL[alert.level])))
    return k.table(["Service", "Patient Group Direction", "Version", "Issued", "Review due", "Expiry", "Status"],
                   rows, [38 * mm, 95 * mm, 18 * mm, 22 * mm, 22 * mm, 22 * mm, 50 * mm], extra)


def _rag_cell(k: Any, rag: Any) -> Any:
    """The RAG word in bold, white on red and black on amber or green, so it reads on its fill."""
    if rag is None:
        return k.p("")
    return k.p(rag.label, k.alarm if rag.value == "red" else k.cell_bold)


# -- assurance summary -----------------------------------------------------------------------------


def write_assurance_summary(out: str | Path, summary: AssuranceSummaryRow, *, heading: str = "Table 1") -> Path:
    """The assurance summary: heading, area and assurance text for the period, header on every page."""
    from reportlab.lib.units import mm

    k = _Kit()
    rows = [[k.p(x.heading, k.cell_bold), k.p(x.area), k.p(x.assurance)] for x in summary.lines]
    story: list[Any] = [k.p(heading, k.h1), k.p(summary.caption or summary.label, k.h2)]
    if rows:
        story.append(k.table(["Heading", "Area", f"Assurance ({summary.label})"], rows,
                             [48 * mm, 70 * mm, 149 * mm]))
    else:
        story.append(k.p("The summary has no rows yet.", k.body))
    return k.build(out, story, f"{heading} – {summary.caption or summary.label}")


# -- PGD schedule ----------------------------------------------------------------------------------


def pgd_schedule_order(pgds: Sequence[PgdRow], today: date) -> list[PgdRow]:
    """Worst warning first, then the nearest date; PGDs without dates last."""
    def key(g: PgdRow) -> tuple[int, date, str]:
        alert = g.alert(today)
        nearest = min((d for d in (g.review_due, g.expiry) if d), default=date.max)
        return (-alert.level, nearest, g.name.lower())

    return sorted(pgds, key=key)


def write_pgd_schedule(out: str | Path, pgds: Sequence[PgdRow], today: date) -> Path:
    """Every PGD with its review and expiry dates and the warning on ``today``; expired ones in red."""
    k = _Kit()
    ordered = pgd_schedule_order(pgds, today)
    expired = sum(1 for g in ordered if g.alert(today).expired)
    story: list[Any] = [k.p("Patient Group Directions – review and expiry schedule", k.h1),
                        k.p(f"As at {today:%d %B %Y}: {len(ordered)} PGDs, {expired} expired. Warnings at 90, 60 "
                            "and 30 days are counted to the last working day before each date.", k.note)]
    story.append(_pgd_table(k, ordered, today) if ordered else k.p("No PGDs are recorded.", k.body))
    return k.build(out, story, f"PGD schedule {today:%d/%m/%Y}")


# -- spreadsheets ----------------------------------------------------------------------------------


def export_audits(path: str | Path, audits: Sequence[ClinicalAuditRow]) -> Path:
    from riskdesk.io import Column, export_rows

    cols = [Column(h) for h in ("Provider", "Service", "Quarter", "Audit", "Type", "Re-audit of", "Standard",
                                "Status", "RAG", "Findings", "Actions", "Re-audit due")]
    rows = [[a.provider_label, a.service_name, a.quarter.label, a.title, a.kind.label, a.previous_audit_title,
             a.standard_body, a.status.label, a.rag.label if a.rag else "", a.findings,
             "\n".join(f"{x.description} ({x.owner or 'no owner'}; due {_d(x.due) or '–'}; "
                       f"{'done ' + _d(x.done) if x.done else 'open'})" for x in a.actions), a.reaudit_due]
            for a in audits]
    return export_rows(path, cols, rows, sheet_name="Clinical audits")


def export_visits(path: str | Path, visits: Sequence[QualityVisitRow]) -> Path:
    from riskdesk.io import Column, export_rows

    cols = [Column(h) for h in ("Provider", "Service", "Planned", "Visited", "Visited by", "Outcome", "RAG",
                                "Actions", "All actions completed", "Next visit due")]
    rows = [[v.provider_label, v.service_name, v.planned, v.actual, v.visitors, v.outcome,
             v.rag.label if v.rag else "", len(v.actions),
             {True: "Yes", False: "No", None: ""}[v.actions_complete], v.next_due] for v in visits]
    return export_rows(path, cols, rows, sheet_name="Quality visits")


def export_pgds(path: str | Path, pgds: Sequence[PgdRow], today: date) -> Path:
    from riskdesk.io import Column, export_rows

    cols = [Column(h) for h in ("Provider", "Service", "PGD", "Medicine", "Version", "Issued", "Review due",
                                "Expiry", "Status", "Warning")]
    rows = [[g.provider_label, g.service_name, g.name, g.medicine, g.document_version, g.issued, g.review_due,
             g.expiry, g.status.label, g.alert(today).text] for g in pgd_schedule_order(pgds, today)]
    return export_rows(path, cols, rows, sheet_name="PGDs")


def export_assurance(path: str | Path, summary: AssuranceSummaryRow) -> Path:
    from riskdesk.io import Column, export_rows

    cols = [Column("Heading"), Column("Area"), Column(f"Assurance ({summary.label})")]
    return export_rows(path, cols, [[x.heading, x.area, x.assurance] for x in summary.lines],
                       sheet_name="Assurance summary")
