"""Clinical governance reports: the audits appendix (as Appendix C), the assurance summary (as
Table 1) and the PGD expiry schedule, as PDF; the same lists as xlsx/csv through ``riskdesk.io``.

Built from the frozen rows in ``riskdesk.domain.clinical`` only. ReportLab is imported inside the
functions, so importing this module costs nothing at start-up. Output is reproducible (ReportLab
invariant mode): the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from riskdesk.domain.clinical import (
    AppendixGroup,
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


#: Page margins (mm) above and below the frame.
_TOP_MM, _BOTTOM_MM = 14, 16
#: A table cell's padding left and right (points).
_PADDING = 4


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

        from riskdesk.reports.plain_line import cell_text

        rl_config.invariant = 1
        self._cell_text = cell_text
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

    def cell(self, text: str | None, width: float, style: Any = None) -> Any:
        """Text for a table cell ``width`` points wide (padding and all): most cells hold a word, a
        date or a short title, drawn as a plain line rather than a paragraph each (``plain_line``)."""
        return self._cell_text(text, style or self.body, width - 2 * _PADDING)

    def table_heading(self, text: str | None, style: Any = None) -> list[Any]:
        """A heading over a table that may run over pages: it starts a new page only when there is
        no room below it for the column headings and a row.

        (A ``keepWithNext`` heading would make heading and table one block, and a block taller
        than the space left moves whole to the next page: the first page then held the title alone.)
        """
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.platypus import CondPageBreak, Paragraph

        base = style or self.h2
        own = ParagraphStyle(f"{base.name}_table", parent=base, keepWithNext=0)
        return [CondPageBreak(30 * mm), Paragraph(escape(text), own)]

    def table(self, header: Sequence[str], rows: list[list[Any]], widths: Sequence[float],
              extra: Sequence[tuple[Any, ...]] = ()) -> Any:
        from reportlab.lib import colors
        from reportlab.platypus import TableStyle

        from riskdesk.reports.pagination import ContinuedTable

        data = [[self.p(h, self.head) for h in header], *rows]
        t = ContinuedTable(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
        t.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8c8c8c")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
            *extra,
        ]))
        return t

    @staticmethod
    def page_size(landscape_page: bool = True) -> tuple[float, float]:
        from reportlab.lib.pagesizes import A4, landscape

        return landscape(A4) if landscape_page else A4

    def frame_height(self, landscape_page: bool = True) -> float:
        """The height a flowable has on an empty page (margins and ReportLab's 6 pt frame padding off)."""
        from reportlab.lib.units import mm

        return self.page_size(landscape_page)[1] - (_TOP_MM + _BOTTOM_MM) * mm - 12

    def build(self, out: str | Path, story: list[Any], title: str, *, landscape_page: bool = True) -> Path:
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        size = self.page_size(landscape_page)
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
                                topMargin=_TOP_MM * mm, bottomMargin=_BOTTOM_MM * mm, title=title, author="riskdesk")
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        tmp.replace(out)  # never leave half a PDF where a good one was
        return out


# -- audits appendix -------------------------------------------------------------------------------

#: Audit table columns (landscape A4 less the margins: 267 mm).
_AUDIT_COLUMNS = ("#", "Audit", "Type", "Standard", "Status", "RAG", "Re-audit due", "Actions")
_AUDIT_WIDTHS_MM = (10, 118, 20, 22, 24, 16, 22, 35)
#: Rows of a provider's table that print again at the top of every page it continues onto:
#: the provider heading and the column headings.
_REPEATED = 2
#: A provider with fewer audits than this moves whole to the next page rather than splitting.
_KEEP_TOGETHER_BELOW = 12
_HEAD_BLUE = "#1f4e79"
_QUARTER_FILL = "#dde6f1"
_GRID = "#8c8c8c"


@dataclass(frozen=True)
class _RowInfo:
    """What one row of a provider's audit table is, so a continuation can be relabelled and restyled."""

    kind: str  # "provider", "columns", "quarter" or "audit"
    quarter: str = ""  # the quarter the row belongs to (its label)
    rag_rgb: str = ""  # fill of the RAG cell of an audit row


class _ProviderHeadings:
    """Builds the heading rows of one provider's audits table, first time and "(continued)"."""

    def __init__(self, k: _Kit, service: str, provider_label: str, widths: Sequence[float]) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.k = k
        self.frame_height = k.frame_height()
        self.service = service
        self.provider_label = provider_label
        self.widths = list(widths)
        # Heading styles without paragraph space: inside a table cell the padding spaces them.
        self.h2 = ParagraphStyle("cell_h2", parent=k.h2, spaceBefore=0, spaceAfter=3, keepWithNext=0)
        self.h3 = ParagraphStyle("cell_h3", parent=k.h3, spaceBefore=0, spaceAfter=0, keepWithNext=0)
        self.quarter = ParagraphStyle("cell_quarter", parent=k.body, fontName=k.bold)
        self._columns = [k.p(h, k.head) for h in _AUDIT_COLUMNS]

    def _spanning(self, cell: Any) -> list[Any]:
        return [cell] + [""] * (len(self.widths) - 1)

    def provider_row(self, *, continued: bool) -> list[Any]:
        """The heading row: service and provider as published, or one "(continued)" line."""
        from reportlab.platypus import Paragraph

        provider = f"Services delivered by {escape(self.provider_label)}"
        if continued:
            # One line naming both, so a reader of a later page knows whose audits these are.
            return self._spanning(Paragraph(f"{escape(self.service)} – {provider} (continued)", self.h3))
        return self._spanning([Paragraph(escape(self.service), self.h2), Paragraph(provider, self.h3)])

    def columns_row(self) -> list[Any]:
        return list(self._columns)

    def quarter_row(self, label: str, *, continued: bool = False) -> list[Any]:
        from reportlab.platypus import Paragraph

        text = escape(label) + (" (continued)" if continued else "")
        return self._spanning(Paragraph(text, self.quarter))

    def style(self, infos: Sequence[_RowInfo]) -> list[tuple[Any, ...]]:
        """Table style for rows described by ``infos`` (rebuilt for every continuation)."""
        from reportlab.lib import colors

        cmds: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
            # The provider heading reads as a heading, not a cell: no grid, no inset, air above.
            ("SPAN", (0, 0), (-1, 0)),
            ("LEFTPADDING", (0, 0), (-1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 8),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor(_HEAD_BLUE)),
            ("GRID", (0, 1), (-1, -1), 0.4, colors.HexColor(_GRID)),
        ]
        for row, info in enumerate(infos):
            if info.kind == "quarter":
                cmds += [("SPAN", (0, row), (-1, row)),
                         ("BACKGROUND", (0, row), (-1, row), colors.HexColor(_QUARTER_FILL))]
            elif info.kind == "audit" and info.rag_rgb:
                cmds.append(("BACKGROUND", (5, row), (5, row), colors.HexColor(info.rag_rgb)))
        return cmds


@cache
def _provider_table_class() -> type:
    """The Table subclass behind :func:`_provider_table` (made once: ReportLab is imported lazily)."""
    from reportlab.platypus import Table

    class ProviderTable(Table):
        headings: _ProviderHeadings | None = None
        info: list[_RowInfo] | None = None

        def split(self, availWidth: float, availHeight: float) -> list[Any]:
            if self.info is None or self.headings is None:
                return super().split(availWidth, availHeight)
            frame = getattr(self, "_frame", None)
            at_top = frame is None or getattr(frame, "_atTop", True)
            if not at_top and self._short(availWidth, availHeight):
                return []  # a short table that fits on a page moves there whole
            parts = self._split(availWidth, availHeight, by_row=True)
            if len(parts) == 2:
                last = len(parts[0]._cellvalues) - 1
                if self.info[last].kind == "quarter":
                    # A quarter band must not be left alone at the foot of a page: end the page
                    # above it, or (with only the headings above it) move the table on.
                    parts = (self._split(availWidth, sum(self._rowHeights[:last]), by_row=True)
                             if last > _REPEATED else [])
            if not parts and at_top:
                # No whole row fits at the top of a page: a row taller than the page, split
                # inside it (splitInRow). Lower down the table moves to the next page instead,
                # so a continuation never starts in the space left below the rows just placed.
                parts = self._split(availWidth, availHeight, by_row=False)
            if len(parts) != 2:
                return parts
            return self._continue(*parts)

        def _short(self, availWidth: float, availHeight: float) -> bool:
            assert self.info is not None and self.headings is not None
            audits = sum(1 for x in self.info if x.kind == "audit")
            if audits >= _KEEP_TOGETHER_BELOW:
                return False
            return self.wrap(availWidth, availHeight)[1] <= self.headings.frame_height

        def _split(self, availWidth: float, availHeight: float, *, by_row: bool) -> list[Any]:
            """ReportLab's split between rows only, or inside a row first (its two public switches)."""
            self.splitByRow, self.splitInRow = (1, 0) if by_row else (0, 1)
            try:
                return super().split(availWidth, availHeight)
            finally:
                self.splitByRow, self.splitInRow = 1, 1

        def _continue(self, first: Any, rest: Any) -> list[Any]:
            assert self.info is not None and self.headings is not None
            info, headings = self.info, self.headings
            first.info, first.headings = info[:len(first._cellvalues)], headings
            # The rows ReportLab carried over (after its copies of the repeated rows) are this
            # table's last rows; after an in-row split the first of them is the rest of a row.
            carried = len(rest._cellvalues) - _REPEATED
            body_info = info[len(info) - carried:]
            rows = [headings.provider_row(continued=True), headings.columns_row()]
            infos = [_RowInfo("provider"), _RowInfo("columns")]
            heights: list[float | None] = [None, None]
            if body_info and body_info[0].kind != "quarter":
                rows.append(headings.quarter_row(body_info[0].quarter, continued=True))
                infos.append(_RowInfo("quarter", body_info[0].quarter))
                heights.append(None)
            # Measured heights come along, so the carried rows are not wrapped again.
            return [first, _provider_table(headings, rows + rest._cellvalues[_REPEATED:], infos + body_info,
                                           heights + list(rest._argH[_REPEATED:]))]

    return ProviderTable


def _provider_table(headings: _ProviderHeadings, rows: list[list[Any]], infos: list[_RowInfo],
                    heights: Sequence[float | None] | None = None) -> Any:
    """One provider's audits as a table whose continuation pages say whose audits they are.

    ReportLab's ``repeatRows`` repeats the first rows unchanged; a continuation page should
    instead say "… (continued)" and, when a quarter runs over, name the quarter again. So the
    table's ``split`` lets ReportLab split as usual (between rows, or inside a long row with
    ``splitInRow``) and then rebuilds the part that goes to the next page: a "(continued)"
    provider heading, the column headings, a "(continued)" quarter band when the page starts
    mid-quarter, then the remaining rows.
    """
    table = _provider_table_class()(rows, colWidths=headings.widths,
                                    rowHeights=list(heights) if heights else None, repeatRows=_REPEATED,
                                    splitInRow=1, hAlign="LEFT", style=headings.style(infos))
    table.info, table.headings = infos, headings
    return table


def write_audit_appendix(out: str | Path, appendix: AuditAppendix, *, today: date | None = None,
                         heading: str = "Appendix C") -> Path:
    """The clinical audits appendix: per service and provider, each quarter's audits in order; then PGDs.

    Each provider's audits are one table: service and provider heading, column headings, then a
    band per quarter with its audits. When the table runs onto another page, that page starts
    with "<service> – Services delivered by <provider> (continued)" and the column headings,
    and with "<quarter> (continued)" when a quarter runs over.
    """
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    k = _Kit()
    today = today or appendix.generated
    story: list[Any] = [k.p(heading, k.h1), k.p(appendix.title, k.h2),
                        k.p(f"Audits undertaken {appendix.period_label}.", k.note)]
    if not appendix.groups:
        story.append(k.p("No clinical audits are recorded for this period.", k.body))
    widths = [w * mm for w in _AUDIT_WIDTHS_MM]
    # Consecutive groups of the same service and provider (one per quarter) make one table.
    runs: list[list[AppendixGroup]] = []
    for g in appendix.groups:
        if runs and (runs[-1][0].service, runs[-1][0].provider_label) == (g.service, g.provider_label):
            runs[-1].append(g)
        else:
            runs.append([g])
    for run in runs:
        headings = _ProviderHeadings(k, run[0].service, run[0].provider_label, widths)
        rows = [headings.provider_row(continued=False), headings.columns_row()]
        infos = [_RowInfo("provider"), _RowInfo("columns")]
        for g in run:
            label = g.quarter.label
            rows.append(headings.quarter_row(label))
            infos.append(_RowInfo("quarter", label))
            for n, a in enumerate(g.audits, start=1):
                rows.append([k.cell(str(n), widths[0]), _audit_title(k, a, widths[1]), k.cell(a.kind.label, widths[2]),
                             k.cell(a.standard_body, widths[3]), k.cell(a.status.label, widths[4]),
                             _rag_cell(k, a.rag, widths[5]), k.cell(_d(a.reaudit_due), widths[6]),
                             k.cell(_actions_text(a), widths[7])])
                infos.append(_RowInfo("audit", label, a.rag.rgb if a.rag else ""))
        story.append(_provider_table(headings, rows, infos))
    if appendix.pgds:
        story.append(Spacer(1, 4 * mm))
        story += k.table_heading("Patient Group Directions")
        story.append(_pgd_table(k, appendix.pgds, today))
    return k.build(out, story, f"{heading} – {appendix.title} ({appendix.period_label})")


def _audit_title(k: _Kit, a: ClinicalAuditRow, width: float) -> Any:
    """The audit's title, with the audit it repeats and its findings in small type below."""
    if not a.previous_audit_title and not a.findings:
        return k.cell(a.title, width)
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

    widths = [38 * mm, 95 * mm, 18 * mm, 22 * mm, 22 * mm, 22 * mm, 50 * mm]
    rows, extra = [], []
    for n, g in enumerate(pgds, start=1):
        alert = g.alert(today)
        # An expired PGD must not be used whatever its recorded status: the alert ("EXPIRED on …")
        # replaces the status rather than repeating the word under it.
        if alert.expired:
            status = alert.text or "EXPIRED"
        else:
            status = g.status.label + (f"\n{alert.text}" if alert.text else "")
        rows.append([k.cell(g.service_name, widths[0]), k.cell(g.name, widths[1]),
                     k.cell(g.document_version, widths[2]), k.cell(_d(g.issued), widths[3]),
                     k.cell(_d(g.review_due), widths[4]), k.cell(_d(g.expiry), widths[5]),
                     k.cell(status, widths[6], k.alarm if alert.level is WarningLevel.PASSED else None)])
        if alert.level > WarningLevel.NONE:
            extra.append(("BACKGROUND", (6, n), (6, n), colors.HexColor(WARNING_FILL[alert.level])))
    return k.table(["Service", "Patient Group Direction", "Version", "Issued", "Review due", "Expiry", "Status"],
                   rows, widths, extra)


def _rag_cell(k: Any, rag: Any, width: float) -> Any:
    """The RAG word in bold, white on red and black on amber or green, so it reads on its fill."""
    if rag is None:
        return k.cell("", width)
    return k.cell(rag.label, width, k.alarm if rag.value == "red" else k.cell_bold)


# -- assurance summary -----------------------------------------------------------------------------


def write_assurance_summary(out: str | Path, summary: AssuranceSummaryRow, *, heading: str = "Table 1") -> Path:
    """The assurance summary: heading, area and assurance text for the period, header on every page."""
    from reportlab.lib.units import mm

    k = _Kit()
    rows = [[k.p(x.heading, k.cell_bold), k.p(x.area), k.p(x.assurance)] for x in summary.lines]
    story: list[Any] = [k.p(heading, k.h1), *k.table_heading(summary.caption or summary.label)]
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
