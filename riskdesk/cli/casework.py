"""Casework commands: ``casework-report`` (complaints, item8, and the Ombudsman and FOI reports
their own modules add) and ``load-casework`` (the FX-LCC fixture).

The ``casework-report`` parser has one subcommand per report. Other areas add theirs without
touching this file's logic: each module named in ``SUB_REPORT_MODULES`` has
``add_parsers(sub)`` taking the ``casework-report`` subparsers, and is imported only when the
parser is built (so a missing or broken module does not stop the complaints reports).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from riskdesk.cli.arguments import output_file
from riskdesk.domain.actor import Actor
from riskdesk.services import Services

#: Modules that add ``casework-report`` subcommands (Ombudsman, FOI/EIR); imported lazily.
SUB_REPORT_MODULES: list[str] = ["riskdesk.cli.casework_more"]


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "casework-report",
        help="print a casework report computed from records (frozen once presented)",
        description="Complaints reports for a financial year (April to March). Without --pdf or --docx the "
        "report's text is printed. Once presented (--present), a year's report prints from its frozen "
        "figures, byte for byte.",
    )
    reports = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    for name, help_text in (
        ("complaints", "Corporate Complaints & Compliments Annual Report (contacts, top services, Stage 1 and 2, "
                       "outcomes, learning, compliments)"),
        ("item8", "the complaints part of the committee's annual LGSCO report: corporate bullets, adult and "
                  "children's social care statutory figures"),
    ):
        r = reports.add_parser(name, help=help_text, description=help_text)
        _common(r)
        r.set_defaults(run=_report, report_kind=name)
    for module in SUB_REPORT_MODULES:
        importlib.import_module(module).add_parsers(reports)

    f = sub.add_parser("load-casework", help="load the FX-LCC complaints fixture (records consistent with the "
                       "council's published 2022/23 and 2023/24 figures) into an empty complaints log")
    f.set_defaults(run=_load, creates_database=True)
    i = sub.add_parser("import-complaints", help="import a complaints log (an iCasework-style export: .xlsx, .ods "
                       "or .csv); checked first, all or nothing")
    i.add_argument("file", type=Path)
    i.add_argument("--dry-run", action="store_true", help="check every row and name every problem; import nothing")
    i.add_argument("--partially-upheld-as-fault-found", action="store_true",
                   help="confirm that rows marked \"partially upheld\" are recorded as Fault Found (Code 6.8)")
    i.add_argument("--sheet", help="the sheet to read (default: the first with data)")
    i.set_defaults(run=_import)
    n = sub.add_parser("check-narrative", help="flag percentages in a report's prose that its numbers contradict")
    n.add_argument("file", type=Path, help="a text file with the officer's narrative")
    n.set_defaults(run=_narrative)


def _common(r: argparse.ArgumentParser) -> None:
    r.add_argument("--year", required=True, metavar="YY/YY", help="financial year, e.g. 23/24")
    r.add_argument("--pdf", type=output_file(".pdf"), metavar="FILE", help="write the report as PDF")
    r.add_argument("--docx", type=output_file(".docx"), metavar="FILE", help="write the report as Word")
    r.add_argument("--present", action="store_true",
                   help="freeze the figures as presented (later edits to records no longer change this report)")


def _report(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    reports = services.casework_reports
    if args.present:
        digest = reports.present(actor, args.report_kind, args.year)
        print(f"Presented: the {args.report_kind} report for {args.year} is frozen (SHA-256 {digest[:16]}…).")
    wrote = False
    for fmt, out in (("pdf", args.pdf), ("docx", args.docx)):
        if out is not None:
            path = reports.write(actor, args.report_kind, args.year, out, fmt=fmt)
            print(f"Written to {path}")
            wrote = True
    if not wrote and not args.present:
        print(reports.text(actor, args.report_kind, args.year), end="")
    return 0


def _load(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    counts = services.casework_fixture().load(actor)
    print("Loaded FX-LCC: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    return 0


def _import(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    result = services.complaints_import().run(actor, args.file, dry_run=args.dry_run, sheet=args.sheet,
                                              partially_upheld_as_fault_found=args.partially_upheld_as_fault_found)
    print(result.text)
    return 1 if result.problems else 0


def _narrative(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.cli.arguments import text_file

    flags = services.casework_reports.narrative_flags(actor, text_file(args.file, "narrative file"))
    for f in flags:
        print(f"flagged: {f}")
    if not flags:
        print("No percentage in the text is contradicted by the numbers beside it.")
    return 1 if flags else 0
