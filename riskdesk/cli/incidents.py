"""Serious-incident commands: si-report."""

from __future__ import annotations

import argparse
from pathlib import Path

from riskdesk.domain.register import Actor
from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "si-report",
        help="print the serious-incident report: two twelve-month periods, chart, open actions, overdue deadlines",
        description="The second period is the twelve months FROM..TO; the first is the twelve months before it. "
        "A .pdf gets the whole report; .xlsx or .csv gets the monthly table.",
    )
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM", help="first month, e.g. 2022-10")
    p.add_argument("--to", dest="last", required=True, metavar="YYYY-MM", help="last month, e.g. 2023-09")
    p.add_argument("--out", type=Path, required=True, help="file to write: .pdf, .xlsx or .csv")
    p.set_defaults(run=_si_report)


def _si_report(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.domain.incidents import parse_month

    first, last = parse_month(args.first), parse_month(args.last)
    data = services.incidents.report_data(actor, first, last)
    out = services.incidents.write_report(actor, first, last, args.out)
    print(f"SI report written to {out}: {data.period1.label} {data.period1.total} SIs, "
          f"{data.period2.label} {data.period2.total} SIs, {len(data.open_actions)} open actions, "
          f"{len(data.overdue_clocks)} overdue deadlines.")
    return 0
