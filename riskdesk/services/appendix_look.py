"""A draft cycle's appendix snapshot read from a personal SQLite file without the database layer.

``riskdesk appendix`` prints one committee appendix and exits. Importing SQLAlchemy, the models
and the services costs a fresh process about half a second, more than laying out the published
register's PDF. On a personal SQLite file the command reads the snapshot here instead: the
services' own statements compiled for SQLite (``first_look_sql.APPENDIX_READS``, written from
``cycles.snapshot_reads`` by ``first_look_build``), run with the standard library's sqlite3,
read-only, in one snapshot, and built into the appendix by the services' own builder
(``snapshot_rows.snapshot_from``). The PDF is the same, byte for byte.

It answers ``None``, and the command opens the database through the services as before, whenever
the services would do something other than read the draft: a shared server, a file not at this
riskdesk's schema (the services upgrade it, with a backup first), a person the file does not know
(they add them) or whose role may not read and export the register (they refuse, saying why), a
presented cycle (its frozen snapshot is checked against the audit trail), a cycle that does not
exist (they say so), a register without a scoring scheme, or any error at all. It never writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from riskdesk.domain.actor import Actor
from riskdesk.domain.cycles import DRAFT, removed_since
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.snapshot import RegisterSnapshot
from riskdesk.services.first_look import at_schema_head, open_read_only, read
from riskdesk.services.first_look_sql import APPENDIX_READS
from riskdesk.services.snapshot_rows import latest_cycle, snapshot_from, write_snapshot

_SNAPSHOT = ("register", "risks", "risk_departments", "risk_lines", "schemes", "scored_under", "categories",
             "settings", "departments", "removed", "removed_departments")


@dataclass(frozen=True)
class DraftAppendix:
    """A draft cycle and its snapshot without movements, as ``CycleService.preview_snapshot`` builds it."""

    cycle_id: int
    title: str
    snapshot: RegisterSnapshot

    def unprintable(self, part: str = "A") -> dict[str, list[str]]:
        """As ``CycleService.unprintable``: characters no font found can print, with their refs."""
        from riskdesk.reports.fonts import unprintable_in_snapshot

        return unprintable_in_snapshot(self.snapshot, part)

    def write(self, out: str | Path | BinaryIO, *, fmt: str, part: str = "A",
              progress: Callable[[int, int], None] | None = None) -> None:
        """As ``CycleService.write_appendix`` without the movements section (``fmt``: pdf or docx)."""
        write_snapshot(self.snapshot, out, fmt=fmt, part=part, include_movements=False, created=None,
                       progress=progress)


def draft_appendix(path: Path, actor: Actor, which: str) -> DraftAppendix | None:
    """The draft cycle ``which`` (``latest`` or its number) of the file at ``path``, read for
    ``actor``; None when only the services can answer (see the module's docstring). Never raises."""
    conn = open_read_only(path)
    if conn is None:
        return None
    try:
        if not at_schema_head(conn):
            return None
        given: dict[str, object] = {"login": actor.login}
        users = read(conn, "user", given, APPENDIX_READS)
        if not users or not users[0].active or not all(allows(users[0].role, p) for p in
                                                       (Permission.VIEW_REGISTER, Permission.EXPORT)):
            return None
        cycles = read(conn, "cycles", given, APPENDIX_READS)
        text = which.strip().lower()
        cycle = (latest_cycle(cycles) if text == "latest"
                 else next((c for c in cycles if text.isdigit() and c.id == int(text)), None))
        if cycle is None or cycle.status != DRAFT or cycle.kind is None:
            return None
        given.update(register_id=cycle.register_id, since=removed_since(cycle.meeting_date).isoformat())
        results = {name: read(conn, name, given, APPENDIX_READS) for name in _SNAPSHOT}
        if not results["schemes"]:
            return None  # the services write the default scheme first
        snapshot, _unscored = snapshot_from(cycle, results, {row.key: row.value for row in results["settings"]})
        return DraftAppendix(cycle.id, cycle.title, snapshot)
    except Exception:  # whatever it is, the services open the file next and say what is wrong with it
        return None
    finally:
        conn.close()
