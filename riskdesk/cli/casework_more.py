"""``casework-report ombudsman``, ``casework-report self-assessment`` and ``casework-report foi``: the
Ombudsman report, the Code self-assessment and the FOI report under the same command as the
complaints reports (the first two are also ``riskdesk ombudsman report|self-assessment``).

As with the complaints reports, ``--present`` freezes a year's Ombudsman report: from then on it
prints from the frozen snapshot, byte for byte.
"""

from __future__ import annotations

import argparse

from riskdesk.cli.arguments import day as _day
from riskdesk.cli.arguments import financial_year as _fy
from riskdesk.cli.arguments import output_file
from riskdesk.domain.actor import Actor
from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from riskdesk.cli import foi
    from riskdesk.domain.code_templates import TEMPLATES, template_rule

    o = sub.add_parser(
        "ombudsman", help="the Ombudsman section of the annual complaints report (PDF and/or Word)",
        description="New enquiries by department over three years, decisions by the Ombudsman's categories, "
        "compensation, and the Ombudsman's published figures reconciled with the council's records. Once "
        "presented (--present), the year's report prints from its frozen figures, byte for byte.")
    o.add_argument("--year", type=_fy, required=True, metavar="23/24", help="financial year, e.g. 23/24 or 2023/24")
    o.add_argument("--pdf", type=output_file(".pdf"), metavar="FILE", help="write the PDF here")
    o.add_argument("--docx", type=output_file(".docx"), metavar="FILE", help="write the Word document here")
    o.add_argument("--present", action="store_true",
                   help="freeze the report as presented to the committee (later edits to records no longer "
                   "change it)")
    o.add_argument("--on", type=_day, metavar="YYYY-MM-DD", help="the committee's date (default today)")
    o.set_defaults(run=_ombudsman)

    sa = sub.add_parser(
        "self-assessment", help="the Complaint Handling Code self-assessment for a year (PDF and/or Word)",
        description="Prints the year's Code self-assessment (as presented, once presented; a blank template "
        "when the year has not been started). --start fills it from the template with the evidence riskdesk "
        "holds. Templates: " + "; ".join(f"{code} ({t.title})" for code, t in TEMPLATES.items())
        + ". " + template_rule())
    sa.add_argument("--year", type=_fy, required=True, metavar="24/25")
    sa.add_argument("--template", choices=sorted(TEMPLATES), help="the template (default: by year, as above)")
    sa.add_argument("--start", action="store_true", help="start the year's self-assessment first")
    sa.add_argument("--pdf", type=output_file(".pdf"), metavar="FILE")
    sa.add_argument("--docx", type=output_file(".docx"), metavar="FILE")
    sa.set_defaults(run=_self_assessment)

    foi.add_report_parser(sub, "foi")


def _ombudsman(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.domain.ombudsman import fy_label, money

    if not (args.pdf or args.docx or args.present):
        raise SystemExit("riskdesk: say what to do: --present, --pdf FILE and/or --docx FILE")
    if args.present:
        digest = services.ombudsman.present(actor, args.year, on=args.on)
        print(f"Presented: the Ombudsman report {fy_label(args.year)} is frozen (SHA-256 {digest[:16]}…).")
    if args.pdf or args.docx:
        data = services.ombudsman.write_report(actor, args.year, pdf=args.pdf and str(args.pdf),
                                               docx=args.docx and str(args.docx))
        written = " and ".join(str(p) for p in (args.pdf, args.docx) if p)
        print(f"Ombudsman report {fy_label(args.year)} written to {written}: {data.enquiries_total[0]} new "
              f"enquiries, {data.decisions_total} decisions, compensation {money(data.compensation_pence)}.")
    return 0


def _self_assessment(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    if not (args.start or args.pdf or args.docx):
        raise SystemExit("riskdesk: say what to do: --start, --pdf FILE and/or --docx FILE")
    sa = services.self_assessment
    if args.start:
        data = sa.start(actor, args.year, args.template)
        print(f"{data.title} started from {data.template}: {len(data.rows)} rows, "
              f"{sum(1 for r in data.rows if r.evidence)} with evidence filled in by riskdesk.")
    if args.pdf or args.docx:
        data = sa.write(actor, args.year, pdf=args.pdf and str(args.pdf), docx=args.docx and str(args.docx),
                        template=args.template)
        print(f"{data.title} ({data.template}, {data.status}) written to "
              + " and ".join(str(p) for p in (args.pdf, args.docx) if p) + ".")
    return 0
