"""Report cycle commands: cycle new/list/present, appendix, movements."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import Movements
from riskdesk.services import Services

#: Above this many risks the appendix reports progress on stderr.
PROGRESS_FROM = 200


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("cycle", help="report cycles: committee meetings and their frozen appendices")
    cyc = p.add_subparsers(dest="cycle_command", metavar="ACTION", required=True)

    n = cyc.add_parser("new", help="create a draft cycle for a committee meeting")
    n.add_argument("--meeting", required=True, metavar="YYYY-MM-DD", help="date of the committee meeting")
    n.add_argument("--title", help='default: "Corporate Risk Register Update (<Month YYYY>)"')
    n.add_argument("--heading", help='update column heading; default: "Update <month before the meeting> YYYY"')
    n.add_argument("--committee", help="committee name (default: from the settings)")
    n.add_argument("--register", metavar="NAME", help="register (default: the corporate register)")
    n.set_defaults(run=_new)

    ls = cyc.add_parser("list", help="list the report cycles, newest first")
    ls.set_defaults(run=_list)

    pr = cyc.add_parser("present", help="present a cycle: freeze its snapshot (cannot be undone)")
    pr.add_argument("cycle", metavar="latest|ID")
    pr.set_defaults(run=_present)

    a = sub.add_parser("appendix", help="print a cycle's committee appendix as PDF or Word")
    a.add_argument("--cycle", default="latest", metavar="latest|ID")
    a.add_argument("--out", required=True, type=Path, help="file to write (appendix.pdf or appendix.docx)")
    a.add_argument("--part", default="A", choices=["A", "B", "a", "b"], help="A: public (default); B: exempt risks")
    a.add_argument("--format", dest="fmt", choices=["pdf", "docx"], help="default: from the --out extension")
    a.add_argument("--movements", action="store_true",
                   help="start with the movements section (the published appendix leaves it out)")
    a.add_argument("--no-movements", action="store_true", help="leave out the movements section (the default)")
    a.set_defaults(run=_appendix, look=_draft_appendix)

    m = sub.add_parser("movements", help="print the movements since the register was last presented")
    m.add_argument("--cycle", default="latest", metavar="latest|ID")
    m.add_argument("--format", dest="fmt", choices=["pdf", "docx"],
                   help="write them for the covering report instead of listing them (needs --out)")
    m.add_argument("--out", type=Path, help="file to write (movements.docx or movements.pdf)")
    m.set_defaults(run=_movements)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("meeting date", text, "is not a date like 2023-11-17") from None


def _register_id(services: Services, actor: Actor, name: str | None) -> int | None:
    if not name:
        return None
    for reg in services.registers.list_registers(actor):
        if reg.name.lower() == name.strip().lower():
            return reg.id
    known = ", ".join(r.name for r in services.registers.list_registers(actor)) or "none"
    raise ValidationError("register", name, f"does not exist (registers: {known})")


def _new(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    row = services.cycles.create(actor, _date(args.meeting), register_id=_register_id(services, actor, args.register),
                                 title=args.title, update_heading=args.heading, meeting_title=args.committee)
    prev = f", previous cycle {row.previous_id}" if row.previous_id else ", no previous cycle"
    print(f"Cycle {row.id} created (draft): {row.title} – {row.meeting_title}, {row.meeting_date.isoformat()}, "
          f'"{row.update_heading}", period {row.period}{prev}.')
    return 0


def _list(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    rows = services.cycles.list(actor)
    if not rows:
        print("No report cycles yet: create one with `riskdesk cycle new --meeting YYYY-MM-DD`.")
        return 0
    print(f"{'ID':>4}  {'Meeting':<10}  {'Status':<9}  {'Period':<6}  Title")
    for r in rows:
        print(f"{r.id:>4}  {r.meeting_date.isoformat():<10}  {r.status:<9}  {r.period:<6}  {r.title} "
              f"({r.register_name})")
    return 0


def _present(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    row = services.cycles.resolve(actor, args.cycle)
    moves = services.cycles.movements(actor, row.id)
    done = services.cycles.present(actor, row.id, expected_version=row.version)
    print(f"Cycle {done.id} presented: {done.title} ({done.meeting_date.isoformat()}); {_summary(moves)}")
    print(f"Snapshot SHA-256 {done.snapshot_sha256}")
    return 0


def _appendix(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    row = services.cycles.resolve(actor, args.cycle)
    fmt = args.fmt or (args.out.suffix.lstrip(".").lower() or "pdf")
    snapshot = services.cycles.preview_snapshot(actor, row.id)  # read once: counted, checked, then printed
    part = args.part.upper()

    def write(progress: Callable[[int, int], None] | None) -> None:
        services.cycles.write_appendix(actor, row.id, args.out, part=part, fmt=fmt,
                                       include_movements=args.movements and not args.no_movements,
                                       progress=progress, snapshot=snapshot)

    state = "frozen snapshot" if row.presented else "draft, printed from the register as it stands"
    return _print_appendix(args, fmt, f"cycle {row.id}: {row.title} ({state})", len(snapshot.risks()),
                           services.cycles.unprintable(actor, row.id, part=part, snapshot=snapshot), write)


def _draft_appendix(args: argparse.Namespace, actor: Actor) -> int | None:
    """A draft cycle's appendix from a personal SQLite file, read without the database layer
    (``riskdesk.services.appendix_look``): the same file, a second sooner. None: the services print it
    (a shared server, a presented cycle, the movements section, or anything else to say)."""
    from riskdesk.services.appendix_look import draft_appendix
    from riskdesk.services.first_look import sqlite_file
    from riskdesk.services.snapshot_rows import appendix_format

    if args.movements and not args.no_movements:
        return None  # compared with the last presented cycle's frozen snapshot, checked by the services
    path = sqlite_file(args.database)
    draft = draft_appendix(path, actor, args.cycle) if path is not None else None
    if draft is None:
        return None
    fmt = appendix_format(args.out, args.fmt)
    part = args.part.upper()
    return _print_appendix(args, fmt, f"cycle {draft.cycle_id}: {draft.title} "
                           "(draft, printed from the register as it stands)", len(draft.snapshot.risks()),
                           draft.unprintable(part), lambda progress: draft.write(args.out, fmt=fmt, part=part,
                                                                                  progress=progress))


def _print_appendix(args: argparse.Namespace, fmt: str, cycle: str, risks: int, unprintable: dict[str, list[str]],
                    write: Callable[[Callable[[int, int], None] | None], None]) -> int:
    """Warn of characters no font can print, write the appendix (with progress on a terminal for a
    long register), and say what was written."""
    progress = _stderr_progress if risks >= PROGRESS_FROM and sys.stderr.isatty() else None
    for name, refs in unprintable.items():
        print(f"Warning: no font here can print {name} (in {', '.join(refs)}); it will show as a blank box.",
              file=sys.stderr)
    write(progress)
    if progress is not None:
        print(file=sys.stderr)
    print(f"Wrote {args.out} (Part {args.part.upper()}, {fmt.upper()}) for {cycle}.")
    return 0


def _stderr_progress(done: int, total: int) -> None:
    print(f"\rLaying out risks: {done}/{total}", end="", file=sys.stderr, flush=True)


def _summary(moves: Movements | None) -> str:
    if moves is None:
        return "first cycle of this register: no movements to compare."
    return (f"{len(moves.added)} added, {len(moves.removed)} removed, {len(moves.amended)} amended, "
            f"{len(moves.score_changes)} score change(s).")


def _movements(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    row = services.cycles.resolve(actor, args.cycle)
    if args.fmt or args.out:
        if args.out is None:
            raise ValidationError("out", "", "is needed with --format (e.g. --out movements.docx)")
        services.cycles.write_movements(actor, row.id, args.out, fmt=args.fmt)
        print(f"Wrote {args.out} (movements for the covering report) for cycle {row.id}: {row.title}.")
        return 0
    moves = services.cycles.movements(actor, row.id)
    print(f"{row.title} – {row.meeting_title}, {row.meeting_date.isoformat()} ({row.status})")
    if moves is None:
        print("First cycle of this register: there is no presented cycle to compare with.")
        return 0
    since = moves.since.isoformat() if moves.since else "never"
    print(f"Movements since the register was last presented ({since}): {_summary(moves)}")
    print()
    print("Risk(s) added")
    for r in moves.added:
        print(f"  {r.ref} {r.departments_text}{' [exempt]' if r.exempt else ''}\n    {r.description}")
    if not moves.added:
        print("  None.")
    print("Risk(s) removed")
    for g in moves.removed:
        print(f"  {g.ref} {g.department}{' [exempt]' if g.exempt else ''}\n    {g.description}\n"
              f"    Reason – {g.reason} ({g.removed_on.isoformat()})")
    if not moves.removed:
        print("  None.")
    print("Risk(s) amended")
    for a in moves.amended:
        print(f"  {a.ref} {a.department}{' [exempt]' if a.exempt else ''}\n    Change from: {a.change_from}\n"
              f"    Change to: {a.change_to}\n    Rationale – {a.rationale or '(none recorded)'}")
    if not moves.amended:
        print("  None.")
    print("Score changes")
    for s in moves.score_changes:
        print(f"  {s.ref}: {s.previous} → {s.current}{' [exempt]' if s.exempt else ''}")
    if not moves.score_changes:
        print("  None.")
    return 0
