"""Clinical governance commands: audit-report, assurance-report, pgd-schedule, load-clinical."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from riskdesk.cli.arguments import day as _day
from riskdesk.cli.arguments import output_file
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register import Actor
from riskdesk.services import Services

#: A report's file: the PDF, or the list as .xlsx or .csv.
_REPORT_FILE = output_file(".pdf", ".xlsx", ".csv")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit-report", help="print the clinical audits appendix (grouped by provider and quarter)")
    p.add_argument("--year", metavar="YY/YY", help="financial year, e.g. 23/24")
    p.add_argument("--from", dest="first", metavar="QUARTER", help="first quarter, e.g. '22/23 Q3'")
    p.add_argument("--to", dest="last", metavar="QUARTER", help="last quarter, e.g. '23/24 Q2'")
    p.add_argument("--out", type=_REPORT_FILE, required=True, help="PDF to write (.xlsx or .csv writes the list instead)")
    p.add_argument("--title", default="Clinical audits")
    p.set_defaults(run=_audit_report)

    p = sub.add_parser("assurance-report", help="print an assurance summary (as Table 1)")
    p.add_argument("--period", help="the summary's period name (default: the newest)")
    p.add_argument("--out", type=_REPORT_FILE, required=True, help="PDF, .xlsx or .csv to write")
    p.set_defaults(run=_assurance_report)

    p = sub.add_parser("pgd-schedule", help="print the PGD review and expiry schedule")
    p.add_argument("--today", type=_day, help="the date to count warnings from (default: today)")
    p.add_argument("--out", type=_REPORT_FILE, required=True, help="PDF, .xlsx or .csv to write")
    p.set_defaults(run=_pgd_schedule)

    p = sub.add_parser("load-clinical", help="load the published Appendix C audits, PGDs and Table 1 from DIR")
    p.add_argument("dir", type=Path)
    p.add_argument("--pgd-dates-from-table1", action="store_true",
                   help="give the PGDs the dates Table 1 prints (issued 08/2023, review 08/2024, expiry 02/2026)")
    p.set_defaults(run=_load, creates_database=True)


def _period(args: argparse.Namespace) -> tuple:  # type: ignore[type-arg]
    from riskdesk.domain.clinical import financial_year_quarters
    from riskdesk.domain.quarters import Quarter

    if args.year and (args.first or args.last):
        raise ValidationError("--year", args.year, "cannot be combined with --from/--to")
    if args.year:
        return financial_year_quarters(args.year)
    if not args.first:
        raise ValidationError("period", "", "give --year 23/24 or --from '22/23 Q3' [--to '23/24 Q2']")
    first = Quarter.parse(args.first)
    return first, Quarter.parse(args.last) if args.last else first


def _audit_report(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    first, last = _period(args)
    appendix = services.clinical.audit_appendix(actor, first, last, title=args.title)
    if args.out.suffix.lower() in (".xlsx", ".csv"):
        services.printing.export_audits(actor, args.out, [a for g in appendix.groups for a in g.audits])
    else:
        services.printing.audit_appendix(actor, args.out, first, last, title=args.title)
    count = sum(len(g.audits) for g in appendix.groups)
    print(f"{count} audits in {len(appendix.groups)} groups ({appendix.period_label}) written to {args.out}")
    return 0


def _assurance_report(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    summaries = services.clinical.list_summaries(actor)
    if args.period:
        summaries = [m for m in summaries if m.label.lower() == args.period.strip().lower()]
    if not summaries:
        raise ValidationError("period", args.period or "", "has no assurance summary")
    summary = summaries[0]
    if args.out.suffix.lower() in (".xlsx", ".csv"):
        services.printing.export_assurance(actor, args.out, summary.id)
    else:
        services.printing.assurance_summary(actor, args.out, summary.id)
    print(f"Assurance summary {summary.label} ({len(summary.lines)} rows) written to {args.out}")
    return 0


def _pgd_schedule(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    today = args.today or date.today()
    pgds = services.clinical.list_pgds(actor)
    if args.out.suffix.lower() in (".xlsx", ".csv"):
        services.printing.export_pgds(actor, args.out, pgds, today)
    else:
        services.printing.pgd_schedule(actor, args.out, today, pgds)
    expired = sum(1 for g in pgds if g.alert(today).expired)
    print(f"{len(pgds)} PGDs ({expired} expired on {today:%d/%m/%Y}) written to {args.out}")
    return 0


def _load(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    r = services.clinical.load_published(actor, args.dir, pgd_dates_from_table1=args.pgd_dates_from_table1)
    print(f"Loaded {r.audits} clinical audits ({r.re_audits} re-audits), {r.pgds} PGDs and the assurance "
          f"summary {r.summary_label} ({r.assurance_lines} rows); {r.providers} new providers, "
          f"{r.services} new services.")
    return 0
