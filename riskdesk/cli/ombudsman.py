"""Ombudsman commands: ``riskdesk ombudsman report|due|self-assessment|load-fx-lcc``.

``add_report_parser`` adds the same report as ``casework-report ombudsman`` to whichever command owns
``casework-report``; until then ``riskdesk ombudsman report`` is the way in.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from riskdesk.cli.arguments import day as _day
from riskdesk.cli.arguments import financial_year as _fy
from riskdesk.cli.arguments import output_file
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def _report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=_fy, required=True, metavar="23/24", help="financial year, e.g. 23/24 or 2023/24")
    p.add_argument("--pdf", type=output_file(".pdf"), metavar="FILE", help="write the PDF here")
    p.add_argument("--docx", type=output_file(".docx"), metavar="FILE", help="write the Word document here")
    p.set_defaults(run=_report)


def add_report_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``… ombudsman --year 23/24 [--pdf F] [--docx F]`` under a ``casework-report`` command."""
    _report_options(sub.add_parser(
        "ombudsman", help="the Ombudsman section of the annual complaints report (PDF and/or Word)",
        description="New enquiries by department over three years, decisions by the Ombudsman's categories, "
        "compensation, and the Ombudsman's published figures reconciled with the council's records."))


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ombudsman", help="Ombudsman casework: report, daily due list, Code self-assessment",
                       description="Local Government and Social Care Ombudsman casework.")
    own = p.add_subparsers(dest="ombudsman_command", metavar="SUBCOMMAND", required=True)
    _report_options(own.add_parser("report", help="print the Ombudsman section of the annual report"))
    due = own.add_parser("due", help="replies and recommendations due in the next N days (overdue first)",
                         description="The daily list: every reply to the Ombudsman and every recommendation "
                         "still open and due within N days, overdue ones included, earliest first.")
    due.add_argument("--days", type=int, default=10, help="how many days ahead (default 10)")
    due.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="count from this date (default today)")
    due.set_defaults(run=_due)
    sa = own.add_parser("self-assessment", help="print (or start) the year's Code self-assessment",
                        description="Prints the year's self-assessment (as presented, once presented); a blank "
                        "template when the year has not been started. --start fills it from the template with the "
                        "evidence riskdesk holds.")
    sa.add_argument("--year", type=_fy, required=True, metavar="23/24")
    sa.add_argument("--start", action="store_true", help="start the year's self-assessment first")
    sa.add_argument("--pdf", type=output_file(".pdf"), metavar="FILE")
    sa.add_argument("--docx", type=output_file(".docx"), metavar="FILE")
    sa.set_defaults(run=_self_assessment)
    letter = own.add_parser("record-letter", help="record the Ombudsman's annual letter as published (JSON)",
                            description="Records the figures of the Ombudsman's annual review letter exactly as "
                            "published (never recomputed), and the statistical-neighbour table if given, from a "
                            "JSON file: {\"fy\": \"2023/24\", \"letter_date\": \"2024-07-17\", \"investigations\": 35, "
                            "\"upheld\": 29, \"uphold_pct\": \"83\", …, \"benchmark\": [{\"authority\": …}]}.")
    letter.add_argument("file", type=Path, help="the JSON file")
    letter.set_defaults(run=_record_letter)
    fx = own.add_parser("load-fx-lcc", help="load the FX-LCC Ombudsman records (acceptance fixture, SPEC H.0)")
    fx.set_defaults(run=_load_fx, creates_database=True)


def _report(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.domain.ombudsman import fy_label, money

    if not args.pdf and not args.docx:
        raise SystemExit("riskdesk: say where to write the report: --pdf FILE and/or --docx FILE")
    data = services.ombudsman.write_report(actor, args.year, pdf=args.pdf and str(args.pdf),
                                           docx=args.docx and str(args.docx))
    written = " and ".join(str(p) for p in (args.pdf, args.docx) if p)
    print(f"Ombudsman report {fy_label(args.year)} written to {written}: {data.enquiries_total[0]} new enquiries, "
          f"{data.decisions_total} decisions, compensation {money(data.compensation_pence)}.")
    return 0


def _due(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    today = args.today or date.today()
    lines = services.ombudsman.due(actor, args.days, today=today)
    if not lines:
        print(f"Nothing due in the next {args.days} days.")
        return 0
    for x in lines:
        when = f"{-x.days_left} days overdue" if x.overdue else f"in {x.days_left} days"
        print(f"{x.due_on:%Y-%m-%d}\t{when}\t{x.reference}\t{x.department}\t{x.what}")
    return 0


def _self_assessment(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    if args.start:
        data = services.self_assessment.start(actor, args.year)
        print(f"{data.title} started: {len(data.rows)} requirements, "
              f"{sum(1 for r in data.rows if r.evidence)} with evidence filled in by riskdesk.")
    if args.pdf or args.docx:
        data = services.self_assessment.write(actor, args.year, pdf=args.pdf and str(args.pdf),
                                              docx=args.docx and str(args.docx))
        print(f"{data.title} ({data.status}) written to "
              + " and ".join(str(p) for p in (args.pdf, args.docx) if p) + ".")
    elif not args.start:
        raise SystemExit("riskdesk: say what to do: --start, --pdf FILE and/or --docx FILE")
    return 0


def _record_letter(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    import json

    from riskdesk.cli.arguments import text_file
    from riskdesk.domain.errors import ValidationError
    from riskdesk.domain.ombudsman import fy_label, published_from_dict

    try:
        raw = json.loads(text_file(args.file, "file"))
    except json.JSONDecodeError as exc:
        raise ValidationError("file", str(args.file), f"is not JSON: line {exc.lineno}, column {exc.colno}: "
                              f"{exc.msg}") from None
    if not isinstance(raw, dict):
        raise ValidationError("file", str(args.file), "must hold one JSON object (the letter's figures)")
    year, rows = published_from_dict(raw)
    services.ombudsman.record_published_year(actor, year)
    if rows:
        services.ombudsman.record_benchmark(actor, year.fy, list(rows))
    print(f"Ombudsman letter {fy_label(year.fy)} recorded as published"
          + (f", with {len(rows)} statistical neighbours." if rows else "."))
    return 0


def _load_fx(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.services.ombudsman_fixture import load_fx_lcc

    n = load_fx_lcc(services.ctx, actor)
    print(f"FX-LCC Ombudsman records loaded: {n} cases, the Ombudsman's letters for 2021/22-2023/24 and the "
          "2022/23 statistical neighbours.")
    return 0
