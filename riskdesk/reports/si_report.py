"""The serious-incident report (PDF): Table 2 and Chart 1 of the clinical-governance annual report,
then open actions and overdue clocks by provider.

Takes a frozen :class:`~riskdesk.domain.incidents.SiReportData` from the service and never reads
the database. ReportLab is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from riskdesk.domain.incidents import SiReportData
from riskdesk.reports.text import to_markup

#: Detail lines printed per table; the rest are counted in the summary (the SI list export has them all).
MAX_DETAIL_LINES = 150

PERIOD_COLOURS = ("#7f9fbf", "#1f4e79")  # period 1 lighter, period 2 darker, as in Chart 1


def _register_fonts() -> tuple[str, str]:
    """The report fonts shipped with riskdesk (DejaVu Sans: Welsh ŵ ŷ, €, curly quotes, dashes)."""
    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    return REGULAR, BOLD


def esc(text: str | None) -> str:
    """User text made safe for a Paragraph: escaped, line breaks kept (see reports/text.py)."""
    return to_markup(text)


def _month_name(month: tuple[int, int]) -> str:
    return date(month[0], month[1], 1).strftime("%B %Y")


def table_rows(data: SiReportData) -> tuple[list[str], list[list[Any]]]:
    """Table 2 as rows: month and count for period 1, month and count for period 2, then totals."""
    heading = "Number of Serious Incidents reported into dedicated PH SI inbox"
    headings = ["Month", f"{heading} ({data.period1.label})", "Month", f"{heading} ({data.period2.label})"]
    rows: list[list[Any]] = []
    for (m1, n1), (m2, n2) in zip(data.period1.months, data.period2.months, strict=True):
        rows.append([_month_name(m1), n1, _month_name(m2), n2])
    rows.append(["Total", data.period1.total, "Total", data.period2.total])
    return headings, rows


def bar_chart(data: SiReportData, width: float, height: float) -> Any:
    """Chart 1: SIs per month, the two periods side by side (reportlab.graphics VerticalBarChart)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    font, bold = _register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 50
    chart.width, chart.height = width - 60, height - 70
    chart.data = [[n for _m, n in data.period1.months], [n for _m, n in data.period2.months]]
    chart.categoryAxis.categoryNames = [date(m[0], m[1], 1).strftime("%b") for m, _n in data.period2.months]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    top = max([*chart.data[0], *chart.data[1], 1])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top + 1
    chart.valueAxis.valueStep = 1 if top <= 10 else max(1, round(top / 8))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d9d9d9")
    chart.bars[0].fillColor = colors.HexColor(PERIOD_COLOURS[0])
    chart.bars[1].fillColor = colors.HexColor(PERIOD_COLOURS[1])
    chart.bars.strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.groupSpacing = 8
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 40, 18
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 200
    legend.colorNamePairs = [
        (colors.HexColor(PERIOD_COLOURS[0]), f"{data.period1.label} ({data.period1.total})"),
        (colors.HexColor(PERIOD_COLOURS[1]), f"{data.period2.label} ({data.period2.total})"),
    ]
    drawing.add(legend)
    drawing.add(String(14, chart.y + chart.height / 2, "SIs", fontName=bold, fontSize=8, textAnchor="middle"))
    return drawing


def write_si_report(data: SiReportData, out: str | Path) -> Path:
    """Write the PDF report to ``out`` (A4 portrait) and return the path."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    rl_config.invariant = 1  # same input, same bytes
    font, bold = _register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    cell_head = ParagraphStyle("cellhead", parent=small, fontName=bold, textColor=colors.white)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=10, spaceAfter=5,
                        keepWithNext=1)
    caption = ParagraphStyle("caption", parent=body, fontName=bold, alignment=TA_CENTER, spaceAfter=4)
    navy = colors.HexColor("#1f4e79")
    grid = colors.HexColor("#9fb3c8")

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    page_w, _page_h = A4
    margin = 16 * mm
    usable = page_w - 2 * margin

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(margin, 10 * mm, f"{data.title} · generated {data.generated_on.strftime('%d/%m/%Y')}")
        canvas.drawRightString(page_w - margin, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    def table_style(header_rows: int = 1) -> TableStyle:
        return TableStyle([
            ("FONT", (0, 0), (-1, -1), font, 8),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), navy),
            ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
            ("GRID", (0, 0), (-1, -1), 0.4, grid),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ])

    story: list[Any] = [Paragraph(esc(data.title), h1)]
    if data.subtitle:
        story.append(Paragraph(esc(data.subtitle), body))
    story.append(Spacer(1, 8))

    # Table 2: months of both periods side by side, with totals.
    _headings, rows = table_rows(data)
    count_head = "Number of Serious Incidents Reported into dedicated PH SI inbox"
    t2 = [[Paragraph("Month", cell_head), Paragraph(esc(count_head), cell_head),
           Paragraph("Month", cell_head), Paragraph(esc(count_head), cell_head)]]
    for r in rows:
        t2.append([r[0], str(r[1]), r[2], str(r[3])])
    col = usable / 4
    table = Table(t2, colWidths=[col * 0.9, col * 1.1, col * 0.9, col * 1.1], repeatRows=1, splitInRow=1)
    style = table_style()
    style.add("ALIGN", (1, 1), (1, -1), "CENTER")
    style.add("ALIGN", (3, 1), (3, -1), "CENTER")
    style.add("FONT", (0, -1), (-1, -1), bold, 8)
    style.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde7f1"))
    table.setStyle(style)
    story.append(KeepTogether([
        Paragraph(esc(f"Table 2 – Serious incidents reported, {data.period1.label} and {data.period2.label}"),
                  caption),
        table,
    ]))
    story.append(Spacer(1, 12))
    story.append(KeepTogether([
        Paragraph(esc("Chart 1 – Number of SIs October–September per year" if data.period2.months[0][0][1] == 10
                      else "Chart 1 – Number of SIs per month, both periods"), caption),
        bar_chart(data, usable, 230),
    ]))

    # Open work by provider: the summary, then the detail (capped so a backlog cannot swamp the report).
    story.append(Paragraph("Open work by provider", h2))
    if data.providers:
        t = [[Paragraph(h, cell_head) for h in ("Provider", "Open SIs", "Open actions", "Overdue actions",
                                                 "Overdue deadlines")]]
        for line in data.providers:
            t.append([Paragraph(esc(line.provider), small), str(line.open_sis), str(line.open_actions),
                      str(line.overdue_actions), str(line.overdue_clocks)])
        t.append(["Total", *(str(sum(getattr(x, f) for x in data.providers))
                             for f in ("open_sis", "open_actions", "overdue_actions", "overdue_clocks"))])
        table = Table(t, colWidths=[usable * w for w in (0.36, 0.16, 0.16, 0.16, 0.16)], repeatRows=1, splitInRow=1)
        style = table_style()
        style.add("ALIGN", (1, 1), (-1, -1), "CENTER")
        style.add("FONT", (0, -1), (-1, -1), bold, 8)
        style.add("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde7f1"))
        table.setStyle(style)
        story.append(table)
    else:
        story.append(Paragraph("No open serious incidents.", body))

    def more(n_all: int, what: str) -> None:
        if n_all > MAX_DETAIL_LINES:
            story.append(Spacer(1, 3))
            story.append(Paragraph(esc(f"… and {n_all - MAX_DETAIL_LINES:,} more {what}, counted in the summary "
                                       "above; export the SI list from riskdesk for every line."), small))

    story.append(Paragraph("Open actions by provider", h2))
    if data.open_actions:
        t = [[Paragraph(h, cell_head) for h in ("Provider", "SI", "Action", "Owner", "Due")]]
        overdue_rows = []
        for i, a in enumerate(data.open_actions[:MAX_DETAIL_LINES], 1):
            t.append([Paragraph(esc(a.provider), small), Paragraph(esc(a.reference), small),
                      Paragraph(esc(a.description), small), Paragraph(esc(a.owner), small),
                      Paragraph(esc((a.due_on.strftime("%d/%m/%Y") if a.due_on else "not set")
                                    + (" – overdue" if a.overdue else "")), small)])
            if a.overdue:
                overdue_rows.append(i)
        table = Table(t, colWidths=[usable * w for w in (0.16, 0.13, 0.43, 0.14, 0.14)], repeatRows=1, splitInRow=1)
        style = table_style()
        for i in overdue_rows:
            style.add("BACKGROUND", (4, i), (4, i), colors.HexColor("#f8d0d0"))
        table.setStyle(style)
        story.append(table)
        more(len(data.open_actions), "open actions")
    else:
        story.append(Paragraph("No open actions.", body))

    story.append(Paragraph("Overdue deadlines by provider", h2))
    if data.overdue_clocks:
        t = [[Paragraph(h, cell_head) for h in ("Provider", "SI", "Deadline", "Due", "Working days overdue")]]
        for o in data.overdue_clocks[:MAX_DETAIL_LINES]:
            t.append([Paragraph(esc(o.provider), small), Paragraph(esc(o.reference), small),
                      Paragraph(esc(o.clock), small), o.due.strftime("%d/%m/%Y"), str(o.days_overdue)])
        table = Table(t, colWidths=[usable * w for w in (0.22, 0.16, 0.28, 0.14, 0.20)], repeatRows=1, splitInRow=1)
        style = table_style()
        style.add("ALIGN", (4, 1), (4, -1), "CENTER")
        table.setStyle(style)
        story.append(table)
        more(len(data.overdue_clocks), "overdue deadlines")
    else:
        story.append(Paragraph("No deadlines are overdue.", body))
    for note in data.notes:
        story.append(Spacer(1, 4))
        story.append(Paragraph(esc(note), small))

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=18 * mm, title=data.title, author="riskdesk", subject="Serious incidents")
    tmp = out.with_name(out.name + ".part")
    doc.filename = str(tmp)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    tmp.replace(out)  # never leave half a PDF where an earlier good one was
    return out
