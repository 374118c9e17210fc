"""The complaints reports as printed: the Corporate Complaints & Compliments Annual Report (004)
and the complaints part of the committee's annual report (000 item 8).

The wording is built once, as a list of blocks (headings, paragraphs, bullets, tables), from the
figures the service computed or froze; the PDF (here), the Word document
(``complaints_report_docx.py``) and the plain text the CLI prints all render the same blocks, so
they cannot say different things. ReportLab is imported inside the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskdesk.domain.casework_figures import ROUNDING_NOTE, change, fy_label
from riskdesk.reports.text import to_markup


@dataclass(frozen=True)
class Block:
    """One printed element. ``kind``: title, heading, para, bullet, note, table."""

    kind: str
    text: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = field(default=())


def _n(v: Any) -> str:
    return "–" if v is None else str(v)


def _p(v: int | None) -> str:
    return "n/a" if v is None else f"{v}%"


def _signed(v: int | None) -> str:
    if v is None:
        return "n/a"
    return f"+{v}%" if v > 0 else f"{v}%"


def _size(magnitude: int) -> str:
    """SPEC F.3 wording table: below 5% "very slight", below 15% "slight", else "significant"."""
    return "very slight" if magnitude < 5 else "slight" if magnitude < 15 else "significant"


def _thousands(n: int) -> str:
    return f"{n:,}"


def blocks(figures: dict[str, Any]) -> list[Block]:
    if figures["kind"] == "item8":
        return _item8(figures)
    return _annual(figures)


# -- 000 item 8, Part 2 ------------------------------------------------------------------------------


def _item8(f: dict[str, Any]) -> list[Block]:
    fy, pfy = fy_label(f["fy"]), fy_label(f["prior_fy"])
    cur, pri = f["current"], f["prior"]
    c, pc = cur["corporate"], pri.get("corporate", {})
    out = [Block("title", f"Update on Complaints Handling {fy}"),
           Block("note", f"Complaints received, responded to or decided between 1 April {f['fy'][:4]} and "
                         f"31 March {int(f['fy'][:4]) + 1}. Prior-year figures in brackets"
                         + (" are as presented last year." if pri.get("frozen") else " are computed from records."))]
    out.append(Block("heading", "Corporate complaints"))
    ch = change(pc.get("received", 0), c["received"]) if pc.get("received") else None
    grew = "increase" if (ch or 0) >= 0 else "decrease"
    out.append(Block("bullet", f"During {fy} {c['received']} Corporate complaints were received "
                               f"({_n(pc.get('received'))}) – a {abs(ch) if ch is not None else 'n/a'}% {grew}"))
    out.append(Block("bullet", f"{c['upheld']} Corporate complaints were upheld - which is {_p(c['upheld_pct'])} of "
                               f"the total received ({_p(pc.get('upheld_pct'))})"))
    ppct = pc.get("s1_pct", {})
    out.append(Block("bullet", f"{_p(c['s1_pct']['10'])} of all complaints received a response within 10 working "
                               f"days ({_p(ppct.get('10'))} in {pfy})"))
    out.append(Block("bullet", f"{_p(c['s1_pct']['20'])} of all complaints received a response within 20 working "
                               f"days ({_p(ppct.get('20'))} in {pfy})"))
    out.append(Block("bullet", f"{_p(c['s1_pct']['40'])} of all complaints received a response within the maximum "
                               f"40 working days of the council's procedure ({_p(ppct.get('40'))} in {pfy})"))
    s2 = f"{_p(c['s2_pct'])} of all complaints requesting a Stage 2 review received a response within 20 working days."
    if pc.get("s2_pct") is None:
        s2 += " There is no comparative reporting available."
    else:
        s2 += f" ({_p(pc['s2_pct'])} in {pfy})"
    out.append(Block("bullet", s2))
    out.append(Block("para", "The top five issues complained about:"))
    out.append(Block("table", header=("Service", "Complaints"), rows=tuple((n, str(k)) for n, k in c["top5"])))
    a, pa = cur["asc"], pri.get("asc", {})
    out.append(Block("heading", "Adult social care statutory complaints"))
    ach = change(pa.get("received", 0), a["received"]) if pa.get("received") else None
    if ach is None:
        trend = "no comparison is available"
    else:
        trend = (f"a {_size(abs(ach))} {'increase' if ach >= 0 else 'decrease'} of {abs(ach)}% on {pfy} "
                 f"({pa['received']})")
    out.append(Block("bullet", f"There were {a['received']} adult social care complaints recorded in {fy}, {trend}."))
    out.append(Block("bullet", f"{_p(a['within20_pct'])} responded to within 20 working days."))
    out.append(Block("bullet", f"{a['over65']} complaints exceeding the statutory maximum 65 working days.¹"))
    out.append(Block("bullet", f"Fault was found in {_p(a['fault_pct'])} of complaints ({_p(pa.get('fault_pct'))})."))
    k, pk = cur["csc"], pri.get("csc", {})
    out.append(Block("heading", "Children's social care statutory complaints"))
    kch = change(pk.get("accepted", 0), k["accepted"]) if pk.get("accepted") else None
    if kch is None:
        ktrend = ""
    else:
        ktrend = (f", a {_size(abs(kch))} {'increase' if kch >= 0 else 'decrease'} from {pk['accepted']} in {pfy} "
                  f"({_signed(kch)})")
    out.append(Block("bullet", f"A total of {k['accepted']} Stage 1 complaints were accepted{ktrend}."))
    out.append(Block("bullet", f"{k['stage2']} requested escalations to Stage 2 (Independent Investigation) equating "
                               f"to {_p(k['stage2_pct'])}. Of these, {k['stage3']} requested further escalation to "
                               f"Stage 3 (Panel Review) and {k['ombudsman']} of these went on to approach the "
                               "Ombudsman."))
    out.append(Block("bullet", f"{_p(k['within20_pct'])} achieving 20 working days. There were also {k['over40']} "
                               f"complaints ({_p(k['over40_pct'])}) which exceeded 40 working days."))
    out.append(Block("bullet", f"An additional {c['csc_under_corporate']} Children's Social Care complaints were "
                               "handled under the Corporate Complaints procedure."))
    out.append(Block("note", "¹ As the council prints it: 65 working days is the council's local maximum; the "
                             "2009 Regulations set six months or a longer period agreed with the complainant."))
    out.append(Block("note", "Upheld: fault found among the complaints received in the year (final outcome at the "
                             "date of the report). Response times: working days from receipt to the Stage 1 "
                             "response, for responses sent in the year. " + ROUNDING_NOTE))
    return out


# -- 004 --------------------------------------------------------------------------------------------------


def _annual(f: dict[str, Any]) -> list[Block]:
    fy, pfy = f["fy"], f["prior_fy"]
    dash, pdash = fy_label(fy), fy_label(pfy)
    start = int(fy[:4])
    out = [Block("title", f"Corporate Complaints & Compliments Annual Report {start} - {start + 1}"),
           Block("para", f"This report covers the period from 1 April {start} to 31 March {start + 1}.")]
    rows, total = f["contacts"]["rows"], f["contacts"]["total"]
    out.append(Block("heading", "2. Complaints and enquiries received"))
    out.append(Block("para", "Table 1: Breakdown of all complaints and enquiries received by the Complaints team"))
    out.append(Block("table", header=("Contact type", fy, "Share"),
                     rows=tuple((r[0], str(r[2]), _p(_share(r[2], total[1]))) for r in rows)))
    out.append(Block("para", f"Total number of enquiries: {total[1]}"))
    grew = change(total[0], total[1])
    line = f"Enquiries, Comments and Informal resolution: at {_p(f['enquiry_share_pct'])} of the overall volume."
    if grew is not None:
        line += f" There was a further {abs(grew)}% {'increase' if grew >= 0 else 'decrease'} in contacts."
    out.append(Block("para", line))
    out.append(Block("table", header=("Contact Type", fy_label(pfy, "slash"), fy_label(fy, "slash"), "% Change"),
                     rows=(*tuple((r[0], str(r[1]), str(r[2]), _signed(change(r[1], r[2]))) for r in rows), ("", str(total[0]), str(total[1]), _signed(change(total[0], total[1]))))))
    out.append(Block("note", "Contacts are counted by the date the team logged them. \"Ombudsman Investigations\" "
                             "(the label as printed) counts Ombudsman enquiries logged. " + ROUNDING_NOTE))
    out.append(Block("para", "Table 2 – All complaints (statutory and non-statutory) by Department"))
    deps = f["by_department"]
    out.append(Block("table", header=("Department", fy_label(pfy, "slash"), fy_label(fy, "slash")),
                     rows=(*tuple((d, str(p), str(c)) for d, p, c in deps), ("Total", str(sum(d[1] for d in deps)), str(sum(d[2] for d in deps))))))
    out.append(Block("para", "Table 3: Corporate Complaints recorded during the last 5 years"))
    out.append(Block("table", header=("Year", "Corporate complaints", "Source"),
                     rows=tuple((y, _n(n), src) for y, n, src in f["trend"])))
    cc, pc = f["corporate_change"], f["corporate_prior_change"]
    sentence = (f"The total number of corporate complaints received {'increased' if cc >= 0 else 'decreased'} "
                f"by {abs(cc)}% in {dash}." if cc is not None else
                f"{dash}: no corporate complaints were recorded the year before, so no change can be given.")
    if pc is not None:
        sentence += f" This follows a {abs(pc)}% {'rise' if pc >= 0 else 'fall'} from the previous year."
    out.append(Block("para", sentence))
    out.append(Block("para", f"In the {pdash} corporate complaints annual report, the 5 services detailed below "
                             f"received the most complaints. Comparative data for {dash}:"))
    out.append(Block("table", header=("Service", fy_label(pfy, "slash"), fy_label(fy, "slash")),
                     rows=tuple((n, str(p), str(c)) for n, p, c in f["prior_top5"])))
    out.append(Block("para", f"The list below details the 5 most frequent complained about services during {dash}.¹"))
    out.append(Block("table", header=("Service", "Complaints"), rows=tuple((n, str(c)) for n, c in f["top5"])))
    out.append(Block("note", f"¹ This list excludes the {f['excluded_from_top']} complaints about Childrens Social Care "
                             "and where the complainant lacked access to the statutory complaints procedure"))
    for fact in f["service_facts"]:
        out.append(Block("bullet", f"{fact['service']}: {fact['received']} complaints, representing "
                                   f"{_p(fact['share_pct'])} of the overall volume; {fact['since_october']} since "
                                   f"October {start}; fault found in {fact['fault_found']} of those responded to."))
    e = f["enquiries"]
    out.append(Block("para", f"During {dash}, the Complaints Team handled {_thousands(e['total'])} miscellaneous "
                             "enquiries including:"))
    for label, n in e["categories"]:
        out.append(Block("bullet", f"{label} ({n})"))
    comp = f["compliments"]
    out.append(Block("heading", "Compliments"))
    out.append(Block("para", f"{comp['total']} compliments were recorded across all corporate services during {dash}, "
                             f"{'up' if comp['total'] >= comp['prior'] else 'down'} from {comp['prior']} in "
                             f"{fy_label(pfy, 'slash')}. {comp['top'][0]} received the most ({comp['top'][1]})."))
    s1 = f["stage1"]
    out.append(Block("heading", "3. Performance"))
    out.append(Block("para", "Table 4: Corporate Complaints Performance – Stage 1"))
    out.append(Block("table", header=("Stage 1 response", fy_label(fy, "slash"), fy_label(pfy, "slash")),
                     rows=(("Within 10 working days", _p(s1["pct"]["10"]), _p(s1["prior_pct"].get("10"))),
                           ("Within 20 working days", _p(s1["pct"]["20"]), _p(s1["prior_pct"].get("20"))),
                           ("Within 40 working days", _p(s1["pct"]["40"]), _p(s1["prior_pct"].get("40"))),
                           ("In excess of 40 working days", f"{s1['over40']} ({_p(s1['over40_pct'])})", ""))))
    out.append(Block("para", f"{s1['responses']} Stage 1 responses were sent. There were {s1['over40']} "
                             f"({_p(s1['over40_pct'])}) complaints taking in excess of 40 working days."))
    s2 = f["stage2"]
    fewer = "reduction on" if s2["responses"] < s2["prior"] else "increase on" if s2["responses"] > s2["prior"] else \
        "the same as"
    out.append(Block("para", f"In {fy_label(fy, 'slash')} {s2['responses']} complaints were escalated to Stage 2 and "
                             f"responded to. This was a {fewer} {fy_label(pfy, 'slash')} ({s2['prior']}). "
                             f"{s2['within20']} ({_p(s2['within20_pct'])}) were answered within 20 working days, with "
                             f"{s2['over20']} reviews taking longer than 20 working days."))
    o = f["outcomes"]
    out.append(Block("para", "Table 5: Corporate complaints recorded by outcome"))
    out.append(Block("table", header=("Outcome", "Complaints", "%"),
                     rows=(("Fault Found", str(o["fault"]), _p(o["fault_pct"])),
                           ("Not Upheld", str(o["not_upheld"]), _p(o["not_upheld_pct"])),
                           ("No finding", str(o["no_finding"]), _p(o["no_finding_pct"])))))
    out.append(Block("para", f"{o['fault']} ({_p(o['fault_pct'])}) complaints were upheld to some extent following "
                             f"investigation ({_p(o['prior_fault_pct'])} in {pdash}). {o['no_finding']} complaints "
                             "were resolved with no finding."))
    note = ("Performance and outcomes count complaints resolved in the year (Stage 1 responses sent), not received. "
            "There is no \"partially upheld\" outcome.")
    if o.get("withdrawn"):
        note += f" {o['withdrawn']} withdrawn complaints are not included."
    out.append(Block("note", note))
    out.append(Block("heading", "4. Learning from complaints"))
    have, of = f["coverage"]
    out.append(Block("para", f"{have} of {of} fault-found complaints have recorded remedial action."))
    if f["learning"]:
        out.append(Block("table", header=("You complained that", "We Have"),
                         rows=tuple((y, w) for y, w in f["learning"]), widths=(0.45, 0.55)))
    if f["compliments"]["appendix"]:
        out.append(Block("heading", "APPENDIX A – Sample of compliments received."))
        for text, service in f["compliments"]["appendix"]:
            out.append(Block("bullet", f"{text} – {service}"))
    return out


def _share(part: int, whole: int) -> int | None:
    from riskdesk.domain.casework_figures import pct

    return pct(part, whole)


# -- writers ---------------------------------------------------------------------------------------------


def plain_text(figures: dict[str, Any]) -> str:
    lines: list[str] = []
    for b in blocks(figures):
        if b.kind == "table":
            lines.append("\t".join(b.header))
            lines += ["\t".join(r) for r in b.rows]
        elif b.kind == "bullet":
            lines.append(f"• {b.text}")
        elif b.kind in ("title", "heading"):
            lines += ["", b.text]
        else:
            lines.append(b.text)
    return "\n".join(lines).strip() + "\n"


def write_pdf(figures: dict[str, Any], out: Path) -> Path:
    """Write the report as an A4 PDF; byte-identical for the same figures (ReportLab invariant mode)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13, spaceAfter=4)
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8),
        "para": base,
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2),
        "note": ParagraphStyle("note", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11, spaceAfter=0),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=9, leading=11, spaceAfter=0),
    }
    width = A4[0] - 36 * mm
    story: list[Any] = []
    for b in blocks(figures):
        if b.kind == "table":
            data = [[Paragraph(to_markup(h), styles["head"]) for h in b.header]]
            data += [[Paragraph(to_markup(c), styles["cell"]) for c in r] for r in b.rows]
            if b.widths:
                widths = [width * w for w in b.widths]
            else:
                first = width * (0.5 if len(b.header) > 2 else 0.6)
                widths = [first] + [(width - first) / (len(b.header) - 1)] * (len(b.header) - 1)
            t = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
            t.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde5ee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story += [t, Spacer(1, 6)]
        elif b.kind == "bullet":
            story.append(Paragraph(to_markup(b.text), styles["bullet"], bulletText="•"))
        else:
            story.append(Paragraph(to_markup(b.text), styles[b.kind]))
    out.parent.mkdir(parents=True, exist_ok=True)
    title = blocks(figures)[0].text
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=title, author="riskdesk", invariant=1)
    doc.build(story)
    return out
