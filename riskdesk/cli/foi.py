"""FOI/EIR commands: ``riskdesk foi report | list | due | present | link-officer``."""

from __future__ import annotations

import argparse
from pathlib import Path

from riskdesk.cli.arguments import day as _day
from riskdesk.domain.actor import Actor
from riskdesk.services import Services


def _department(text: str) -> str:
    """An FOI department's code (any case): a typo is refused, not read as a department with no requests."""
    from riskdesk.domain.foi import DEPARTMENTS

    code = text.strip().upper()
    if code and code not in DEPARTMENTS:  # "" is the default: every department
        raise argparse.ArgumentTypeError(f"{text!r} is not an FOI department: use one of {', '.join(DEPARTMENTS)}")
    return code


def add_report_parser(sub: argparse._SubParsersAction, name: str = "foi") -> None:  # type: ignore[type-arg]
    """The FOI report's parser: ``riskdesk foi report …`` and ``riskdesk casework-report foi …``."""
    r = sub.add_parser(name, help="print the FOI report (Part 3) or write it as PDF, Word or CSV",
                       description="Without --out the figures are printed. A presented year prints as frozen. "
                       ".csv writes the quarterly published statistics (s.45 Code).")
    r.add_argument("--year", required=True, metavar="YY/YY", help="financial year, e.g. 22/23")
    r.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="one quarter of the year")
    r.add_argument("--department", metavar="CODE", type=_department, default="",
                   help="one department (A&C, CEX, CFS, CR, E&T, PH)")
    r.add_argument("--out", type=Path, help="file to write: .pdf, .docx or .csv")
    r.set_defaults(run=_report)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("foi", help="FOI and EIR requests: the annual report, the list, what is due",
                       description="Freedom of Information and Environmental Information Regulations requests.")
    fsub = p.add_subparsers(dest="foi_command", metavar="FOI_COMMAND", required=True)
    add_report_parser(fsub, "report")
    pr = fsub.add_parser("present", help="freeze a year's FOI report as presented to committee")
    pr.add_argument("--year", required=True, metavar="YY/YY")
    pr.set_defaults(run=_present)
    ls = fsub.add_parser("list", help="list requests (tab-separated)")
    ls.add_argument("--department", metavar="CODE", type=_department, default="")
    ls.add_argument("--band", choices=("overdue", "due_today", "due_soon", "on_track", "closed"))
    ls.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="the day the clocks are read on")
    ls.set_defaults(run=_list)
    du = fsub.add_parser("due", help="open requests overdue, due today or due within 5 working days")
    du.add_argument("--department", metavar="CODE", type=_department, default="")
    du.add_argument("--today", type=_day, metavar="YYYY-MM-DD")
    du.set_defaults(run=_due)
    im = fsub.add_parser("import", help="import requests from an iCasework / Infreemation style export",
                         description="CSV, XLSX, XLS or ODS. Every row is checked first; nothing is imported "
                         "unless every row is good.")
    im.add_argument("file", type=Path)
    im.add_argument("--dry-run", action="store_true", help="check the file, import nothing")
    im.add_argument("--skip-imported", action="store_true",
                    help="leave out rows whose reference an earlier import brought in (an export that overlaps "
                    "one imported before); without it they are refused")
    im.set_defaults(run=_import)
    rc = fsub.add_parser("recompute", help="recount every due date after a calendar change (bank holiday added)")
    rc.set_defaults(run=_recompute)
    lo = fsub.add_parser("link-officer", help="set which departments' requests a link officer (foi_read) reads")
    lo.add_argument("officer", metavar="LOGIN")  # not "login": that is --as, the person acting
    lo.add_argument("departments", nargs="*", metavar="CODE")
    lo.set_defaults(run=_link_officer)


def _service(services: Services):
    from riskdesk.services.foi import FoiService

    return FoiService(services.ctx)


def _period(args: argparse.Namespace) -> str:
    return f"{args.year} Q{args.quarter}" if args.quarter else args.year


def _report(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    foi = _service(services)
    if args.out is not None and args.out.suffix.lower() == ".csv" and (args.department or args.quarter):
        from riskdesk.domain.errors import ValidationError

        raise ValidationError("output file", str(args.out), "is the s.45 statistics: the whole council's year, "
                              "quarter by quarter; leave out --department and --quarter, or write .pdf or .docx")
    if args.out is not None:
        out = foi.write_report(actor, _period(args) if args.out.suffix.lower() != ".csv" else args.year, args.out,
                               department=args.department)
        print(f"FOI report written to {out}")
        return 0
    note = "" if args.department or args.quarter else foi.presented_note(actor, args.year)
    if note:
        print(note)
    for line in foi.report_lines(actor, _period(args), department=args.department.upper()):
        print(line)
    return 0


def _present(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    f = _service(services).present(actor, args.year)
    print(f"FOI report {f.period} presented and frozen: {f.received} received, {f.responded} responded, "
          f"{f.within_20} ({f.within_pct}%) within 20 working days.")
    return 0


def _rows(args: argparse.Namespace, services: Services, actor: Actor):
    rows = _service(services).list(actor, today=args.today)
    if args.department:
        code = args.department.upper()
        rows = tuple(r for r in rows if code in r.departments.split() or r.department == code)
    return rows


def _print(rows) -> None:
    print("reference\tregime\treceived\tdepartment\tsubject\tdue\tresponded\tstatus\tclock")
    for r in rows:
        print(f"{r.reference}\t{r.regime.label}\t{r.received_on}\t{r.department}\t{r.subject}\t{r.due_in_force}\t"
              f"{r.responded_on or ''}\t{r.status}\t{r.band.label}")


def _list(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    rows = _rows(args, services, actor)
    if args.band:
        rows = tuple(r for r in rows if r.band.value == args.band)
    _print(rows)
    return 0


def _due(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    rows = [r for r in _rows(args, services, actor) if r.band.value in ("overdue", "due_today", "due_soon")]
    rows.sort(key=lambda r: r.due_in_force)
    _print(rows)
    counts = {b: sum(1 for r in rows if r.band.value == b) for b in ("overdue", "due_today", "due_soon")}
    print(f"{counts['overdue']} overdue, {counts['due_today']} due today, {counts['due_soon']} due soon")
    return 0


def _link_officer(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    codes = _service(services).set_link_departments(actor, args.officer, args.departments)
    print(f"{args.officer} reads FOI requests of: {', '.join(codes) or 'no department'}")
    return 0


def _import(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.services.foi_import import import_file

    result = import_file(_service(services), actor, args.file, dry_run=args.dry_run,
                         skip_imported=args.skip_imported)
    for problem in result.problems:
        print(problem)
    if result.problems:
        print(f"{len(result.problems)} problems in {result.rows} rows: nothing was imported.")
        return 1
    for line in result.skipped:
        print(f"left out, imported before: {line}")
    if result.dry_run:
        print(f"{result.rows} rows checked: all good (dry run, nothing imported).")
    else:
        print(f"{result.imported} requests imported" + (f"; {len(result.skipped)} left out as imported before."
                                                         if result.skipped else "."))
    return 0


def _recompute(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    n = _service(services).recompute(actor)
    print(f"{n} FOI/EIR requests had their due date or working days taken changed.")
    return 0
