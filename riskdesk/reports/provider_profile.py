"""The provider assurance profile as a PDF: one provider in one quarter, as the contract or
quality meeting reads it (services, audits, re-audits due, visits, PGDs, open actions, SIs).

Built from ``riskdesk.domain.clinical.ProviderProfile`` only; ReportLab is imported inside the
function and runs in invariant mode, so the same profile gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from riskdesk.domain.clinical import ProviderProfile
from riskdesk.reports.text import to_markup


def _d(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def write_provider_profile(out: str | Path | BinaryIO, profile: ProviderProfile) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    rl_config.invariant = 1
    register_fonts()
    body = ParagraphStyle("pp_body", fontName=REGULAR, fontSize=9, leading=11.5)
    bold = ParagraphStyle("pp_bold", parent=body, fontName=BOLD)
    head = ParagraphStyle("pp_head", parent=body, fontName=BOLD, textColor="#ffffff")
    h1 = ParagraphStyle("pp_h1", fontName=BOLD, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("pp_h2", fontName=BOLD, fontSize=11.5, leading=14, spaceBefore=9, spaceAfter=3, keepWithNext=1)

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(to_markup("" if text is None else str(text)), style)

    width = A4[0] - 30 * mm

    def table(headings: list[str], rows: list[list[Any]], fractions: list[float]) -> list[Any]:
        if not rows:
            return [p("None.")]
        data = [[p(h, head) for h in headings]] + [[p(c) for c in row] for row in rows]
        return [LongTable(data, colWidths=[width * f for f in fractions], repeatRows=1, splitInRow=1, hAlign="LEFT",
                          style=TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3864")),
                                            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                                            ("VALIGN", (0, 0), (-1, -1), "TOP")]))]

    pr = profile
    story: list[Any] = [
        p(f"Provider assurance profile – {pr.provider_label}", h1),
        p(f"{pr.quarter.label} ({_d(pr.quarter.start)} to {_d(pr.quarter.end)}); printed {_d(pr.today)}"),
        Spacer(1, 4),
        p("Services: " + ("; ".join(pr.services) if pr.services else "none recorded")),
    ]
    si = "not available" if pr.serious_incidents is None else str(pr.serious_incidents)
    si_year = "" if pr.serious_incidents_year is None else f" ({pr.serious_incidents_year} this financial year to date)"
    story.append(p(f"Serious incidents reported in the quarter: {si}{si_year}", bold))
    if pr.last_visit is not None:
        v = pr.last_visit
        story.append(p(f"Last quality visit: {_d(v.actual or v.planned)} – {v.rag.label if v.rag else 'no RAG'}"))

    story.append(p("Clinical audits this quarter", h2))
    story += table(["Audit", "Standard", "Status", "RAG", "Findings"],
                   [[a.title, a.standard_body, a.status.label, a.rag.label if a.rag else "", a.findings]
                    for a in pr.audits], [0.25, 0.12, 0.12, 0.08, 0.43])
    story.append(p("Re-audits due", h2))
    story += table(["Audit", "Service", "Re-audit due"],
                   [[a.title, a.service_name, _d(a.reaudit_due)] for a in pr.reaudits_due], [0.5, 0.3, 0.2])
    story.append(p("Quality visits this quarter", h2))
    story += table(["Planned", "Done", "Service", "Outcome", "RAG"],
                   [[_d(v.planned), _d(v.actual), v.service_name, v.outcome, v.rag.label if v.rag else ""]
                    for v in pr.visits], [0.12, 0.12, 0.22, 0.44, 0.1])
    story.append(p("Patient Group Directions", h2))
    story += table(["PGD", "Medicine", "Review due", "Expiry", "Warning"],
                   [[g.name, g.medicine, _d(g.review_due), _d(g.expiry),
                     "" if not alert.what else f"{alert.what} {_d(alert.deadline)} ({alert.days_left} days)"]
                    for g, alert in pr.pgds], [0.3, 0.2, 0.13, 0.13, 0.24])
    story.append(p("Open actions", h2))
    story += table(["From", "Action", "Owner", "Due"],
                   [[where, a.description, a.owner, _d(a.due)] for where, a in pr.open_actions],
                   [0.25, 0.43, 0.18, 0.14])

    doc = SimpleDocTemplate(str(out) if isinstance(out, Path) else out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=f"Provider assurance profile – {pr.provider_label}",
                            author="riskdesk")

    def footer(canvas: Any, d: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7)
        canvas.drawString(15 * mm, 9 * mm, f"{pr.provider_label} – {pr.quarter.label}")
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"Page {d.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
