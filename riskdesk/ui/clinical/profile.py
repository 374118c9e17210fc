"""A provider's profile as HTML: audits, visits, PGDs and SIs of one quarter."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from riskdesk.domain.clinical import (
    ProviderProfile,
    WarningLevel,
)
from riskdesk.ui.clinical.table_models import (
    WARNING_COLOURS,
    fmt_date,
)
from riskdesk.ui.kit.contrast import ERROR, text_tone

if TYPE_CHECKING:
    pass


def profile_html(p: ProviderProfile) -> str:
    """The provider assurance profile as HTML for the profile tab (all user text escaped)."""
    e = html.escape

    def table(headers: list[str], rows: list[list[str]], empty: str = "None.") -> str:
        if not rows:
            return f"<p style='color:#555'>{empty}</p>"
        head = "".join(f"<th align='left' style='background:#1f4e79;color:white'>{h}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table cellspacing='0' cellpadding='4' border='1' width='100%'><tr>{head}</tr>{body}</table>"

    def rag(value: Any) -> str:
        if value is None:
            return ""
        return f"<span style='background:{value.rgb}'>&nbsp;{value.label}&nbsp;</span>"

    out = [f"<h2>{e(p.provider_label)} – {p.quarter.label}</h2>",
           f"<p>Services: {e(', '.join(p.services)) or 'none recorded'}</p>"]
    if p.serious_incidents is None:
        si = "not available (the serious-incident log is not connected)"
    else:
        si = f"{p.serious_incidents} this quarter; {p.serious_incidents_year} in {p.quarter.financial_year} so far"
    out.append(f"<p><b>Serious incidents:</b> {si}</p>")
    out.append("<h3>Clinical audits this quarter</h3>")
    out.append(table(["Audit", "Type", "Standard", "Status", "RAG", "Actions"], [
        [e(a.title) + (f"<br/><small>Re-audit of {e(a.previous_audit_title)}</small>" if a.previous_audit_title
                       else ""), a.kind.label, e(a.standard_body), a.status.label, rag(a.rag),
         f"{len(a.actions) - a.open_actions} of {len(a.actions)} done" if a.actions else ""] for a in p.audits],
        "No audits recorded for this quarter."))
    out.append("<h3>Re-audits due</h3>")
    out.append(table(["Audit", "Quarter", "Re-audit due"], [
        [e(a.title), a.quarter.label, fmt_date(a.reaudit_due)] for a in p.reaudits_due], "No re-audits due."))
    out.append("<h3>Quality visits</h3>")
    last = (f"Last visit {fmt_date(p.last_visit.actual)}, rated {p.last_visit.rag.label.lower()}."
            if p.last_visit and p.last_visit.rag else
            f"Last visit {fmt_date(p.last_visit.actual)}." if p.last_visit else "No visit recorded yet.")
    out.append(f"<p>{last}</p>")
    out.append(table(["Service", "Planned", "Visited", "RAG", "Actions", "Outcome"], [
        [e(v.service_name), fmt_date(v.planned), fmt_date(v.actual), rag(v.rag),
         {True: "All completed", False: "Open actions", None: ""}[v.actions_complete], e(v.outcome)]
        for v in p.visits], "No visits this quarter."))
    out.append("<h3>Patient Group Directions</h3>")
    rows = []
    for g, alert in p.pgds:
        # An expired PGD is no longer "in use" whatever its recorded status says: show the flag alone.
        status = "" if alert.expired else e(g.status.label)
        if alert.level is not WarningLevel.NONE:
            fill, text = WARNING_COLOURS[alert.level]
            flag = f"<span style='background:{fill};color:{text};font-weight:600'>{e(alert.text)}</span>"
            status = f"{status}<br/>{flag}" if status else flag
        rows.append([e(g.name), fmt_date(g.review_due), fmt_date(g.expiry), status])
    out.append(table(["PGD", "Review due", "Expiry", "Status"], rows, "No PGDs recorded for this provider."))
    out.append("<h3>Open actions</h3>")
    out.append(table(["From", "Action", "Owner", "Due"], [
        [e(src), e(a.description), e(a.owner),
         (f"<b style='color:{text_tone(ERROR)}'>{fmt_date(a.due)} (overdue)</b>" if a.overdue(p.today) else fmt_date(a.due))]
        for src, a in p.open_actions], "No open actions."))
    return "\n".join(out)
