"""``riskdesk restore FILE``: put a backup back, checked first, the current database kept."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from riskdesk.domain.register import Actor


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "restore",
        help="restore a backup (.sqlite, or a PostgreSQL .pgdump into a new, empty database)",
        description="Checks the backup (SQLite's integrity check, a schema this riskdesk knows, the audit "
        "trail's chain where there is one), backs up the database as it is now, and replaces it with the "
        "backup. Refused while any riskdesk has the database open. On PostgreSQL the dump is loaded into "
        "the database named by --database, which must be new or empty.",
    )
    p.add_argument("file", type=Path, help="the backup file")
    # The database may be damaged or from another version: restore opens it itself, never upgrades it first.
    p.set_defaults(run=_restore, standalone=True)


def _restore(args: argparse.Namespace, _services: object, actor: Actor) -> int:
    from riskdesk.services.restore import RestoreService

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result = RestoreService(args.database).restore(actor, args.file, progress=progress)
    f = result.facts
    last = f.last_change.strftime("%d %b %Y %H:%M") if f.last_change else "unknown"
    print(f"Restored {result.source} into {result.target}.")
    print(f"  Backup written {f.written:%d %b %Y %H:%M}; last change recorded in it {last} (UTC).")
    print(f"  Schema {f.revision}; audit trail chain: {result.audit_chain}.")
    print("  It holds: " + ", ".join(f"{n} {name}" for name, n in result.counts_after.items()) + ".")
    if result.safety_backup:
        print(f"  The database as it was before the restore is kept in {result.safety_backup}")
    return 0
