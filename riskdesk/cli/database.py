"""Database commands: demo, info, backup, load-register, upgrade (migrate)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskdesk.db import Database
    from riskdesk.domain.actor import Actor
    from riskdesk.domain.database_info import DatabaseInfo
    from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="fill the database with the demo council's register")
    p.add_argument("--force", action="store_true", help="load even if the database already holds registers")
    p.set_defaults(run=_demo, creates_database=True)

    p = sub.add_parser("info", help="what the database holds")
    p.set_defaults(run=_info, quick=_quick_info)

    p = sub.add_parser("backup", help="a consistent copy of the database, safe while riskdesk is in use")
    p.add_argument("--out", type=Path, help="file to write (default: the backups folder)")
    p.set_defaults(run=_backup)

    p = sub.add_parser("load-register", help="load a published register (JSON transcription) and its siblings")
    p.add_argument("file", type=Path)
    p.add_argument("--movements", type=Path, help="movements file (default: *movements*.json beside FILE)")
    p.add_argument("--removed", type=Path, help="removed-risks file (default: *removed*.json beside FILE)")
    p.add_argument("--criteria", type=Path, help="scoring criteria (default: scoring-criteria.json beside FILE)")
    p.set_defaults(run=_load_register, creates_database=True)

    for name in ("upgrade", "migrate"):
        p = sub.add_parser(name, help="upgrade the database to the newest schema (taking a backup first); on "
                           "PostgreSQL run by the database administrator, as the owner role")
        p.add_argument("--no-backup", action="store_true", help="do not take a backup first")
        p.set_defaults(run=_migrate, migrate=False, creates_database=True)


def _demo(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    result = services.demo().load(actor, force=args.force)
    print(f"Demo register loaded: {result.current_risks} current risks in {result.registers} registers, "
          f"{result.periods} quarters of history, {result.removed_risks} removed risks.")
    if result.incidents or result.audits:
        print(f"Public health: {result.providers} providers, {result.incidents} serious incidents, "
              f"{result.audits} clinical audits, {result.visits} quality visits, {result.pgds} PGDs.")
    return 0


def _quick_info(args: argparse.Namespace, db: Database, actor: Actor) -> int | None:
    """``riskdesk info`` without building the services; None leaves it to :func:`_info`."""
    from riskdesk.services.info import quick_summary

    info = quick_summary(db, actor)
    if info is None:
        return None
    _print_info(info)
    return 0


def _info(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    _print_info(services.info.summary(actor))
    return 0


def _print_info(info: DatabaseInfo) -> None:
    print(f"Database:        {info.database}")
    print(f"Schema revision: {info.schema_revision}")
    print(f"Registers:       {len(info.registers)}")
    for name, kind, current, removed in info.registers:
        print(f"  {name} ({kind}): {current} current, {removed} removed")
    periods = ", ".join(info.periods) if info.periods else "none"
    print(f"Periods:         {len(info.periods)} ({periods})")
    print(f"Report cycles:   {info.cycles}")
    print(f"Users:           {info.users}")
    print(f"Audit entries:   {info.audit_entries}")


def _backup(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    out = services.info.backup(actor, args.out)
    print(f"Backup written to {out}")
    return 0


def _load_register(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    r = services.published.load(actor, args.file, movements=args.movements, removed=args.removed,
                                criteria=args.criteria)
    print(f"Loaded {r.register_name}: {r.categories} categories ({r.retired_categories} retired), "
          f"{r.current_risks} current risks with {r.scoring_lines} scoring lines, {r.removed_risks} removed risks, "
          f"{r.amendments} amended descriptions, period {r.period}, scoring scheme version {r.scheme_version}.")
    return 0


def _migrate(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.db import current_revision, ensure_schema, upgrade_shared

    engine = services.db.engine
    if services.db.is_sqlite:
        backup = ensure_schema(engine, backup=not args.no_backup, progress=print)
    else:
        backup = upgrade_shared(engine, backup=not args.no_backup, progress=print)
    if backup:
        print(f"Backup taken first: {backup}")
    print(f"Schema revision: {current_revision(engine)}")
    return 0
