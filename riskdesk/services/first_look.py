"""The window's first look at a personal SQLite file: the register it opens on, read before the
database layer is even imported.

Importing SQLAlchemy, the models and the services costs a fresh process about half a second, and
until now the register waited for all of it. ``first_look`` reads what the window shows first (who
is asking, the scheme, the quarter, the registers, the rows of the register it opens on, the
filters' choices) with the standard library's sqlite3, read-only, in one snapshot, running the
services' own statements compiled for SQLite (``first_look_sql``, written from them by
``first_look_build``) and building the rows with the services' own builders (``listing``). The
window shows it while the services open, and the services' read then confirms it (or replaces it).

It answers ``None``, and the window simply waits for the services, whenever the services would do
something else than read: a shared server, a file not at this riskdesk's schema (the services
upgrade it, with a backup first), a brand-new or empty file (they create it, or seed the demo), a
person the file does not know yet (they add them), a person whose role may not read the register
(they refuse, saying why), or any error at all. It never writes: the file is opened read-only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from riskdesk.domain.actor import Actor
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import CategoryRow, DepartmentRow, RegisterRow, RiskRow, UserRow
from riskdesk.domain.scoring import ScoringScheme
from riskdesk.services.early_reads import Begun, Done, open_read_only, rows_of
from riskdesk.services.early_reads import sqlite_file as sqlite_file  # where callers have found it
from riskdesk.services.first_look_sql import READS, SCHEMA_HEAD
from riskdesk.services.listing import (
    choices_from,
    registers_from,
    risk_rows,
    schemes_missing,
    user_row,
)

_CONVERT: dict[str, Callable[[Any], Any]] = {
    "bool": bool,
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "json": json.loads,
}


@dataclass(frozen=True)
class FirstLook:
    """What the window shows first, as the services would read it (``Startup`` without the services)."""

    me: UserRow
    scheme: ScoringScheme
    period: Quarter
    registers: list[RegisterRow]
    register_id: int
    rows: list[RiskRow]
    departments: list[DepartmentRow]
    categories: list[CategoryRow]
    users: list[UserRow]
    council: str
    database: str


class _Row(tuple[Any, ...]):
    """A result row whose columns can also be read by name (as the builders read ORM rows)."""

    _names: ClassVar[dict[str, int]] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._names[name]]
        except KeyError:
            raise AttributeError(name) from None


def first_look(path: Path, actor: Actor, choose: Callable[[list[RegisterRow]], RegisterRow | None],
               early: Begun | None = None) -> FirstLook | None:
    """The first look at ``path`` for ``actor``, on the register ``choose`` picks from the list; None
    when only the services can answer (see the module's docstring). Never raises. ``early``, begun
    at process start for the same file and person, supplies what it has read already, in its snapshot."""
    conn, done = early.take() if early is not None else (None, {})
    if conn is None:
        conn, done = open_read_only(path), {}
    if conn is None:
        return None
    try:
        return _look(conn, path, actor, choose, done)
    except Exception:  # whatever it is, the services open the file next and say what is wrong with it
        return None
    finally:
        conn.close()


def _look(conn: sqlite3.Connection, path: Path, actor: Actor,
          choose: Callable[[list[RegisterRow]], RegisterRow | None], done: Done) -> FirstLook | None:
    if not at_schema_head(conn):
        return None  # older (the services upgrade it, with a backup first) or newer: theirs to say
    given: dict[str, Any] = {"login": actor.login}

    def fetched(name: str, given: dict[str, Any]) -> Sequence[Any]:
        kept = done.get(name)
        if kept is not None and kept[0] == given:  # read early, for the same person and register
            return shape(name, rows_of(name, kept[1]), kept[2], READS[name][2])
        return read(conn, name, given)

    users = fetched("user", given)
    if not users:
        return None  # someone new: the services add them
    who = users[0]
    if not who.active or not allows(who.role, Permission.VIEW_REGISTER):
        return None  # the services refuse, saying why
    scheme, period, counts, registers = (fetched(name, given) for name in ("scheme", "period", "register_counts", "registers"))
    if not scheme:
        return None  # the services write the default scheme
    listed = registers_from(counts, registers)
    chosen = choose(listed)
    if chosen is None:
        return None
    given["register_id"] = chosen.id
    base, departments_of, lines, versions = (fetched(name, given)
                                             for name in ("risks", "risk_departments", "risk_lines", "schemes"))
    schemes = {sv.id: ScoringScheme.from_dict(sv.data) for sv in versions}
    if schemes_missing(base, schemes):
        return None
    choices = choices_from(*(fetched(name, given) for name in
                             ("departments", "category_counts", "categories", "users", "council")))
    return FirstLook(
        me=user_row(who),
        scheme=ScoringScheme.from_dict(scheme[0].data),
        period=Quarter.parse(period[0].value) if period and period[0].value else Quarter.of(date.today()),
        registers=listed,
        register_id=chosen.id,
        rows=risk_rows(base, departments_of, lines, schemes),
        departments=choices.departments,
        categories=choices.categories,
        users=choices.users,
        council=choices.council,
        database=f"SQLite file {path}",
    )


def at_schema_head(conn: sqlite3.Connection) -> bool:
    """Whether the file is at this riskdesk's schema (an older one the services upgrade, with a
    backup first; a newer one is theirs to refuse)."""
    return conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(SCHEMA_HEAD,)]


def read(conn: sqlite3.Connection, name: str, given: dict[str, Any],
         reads: dict[str, tuple[str, tuple[tuple[str | None, Any], ...], tuple[str, ...]]] = READS) -> Sequence[Any]:
    """One of ``reads`` (``first_look_sql``), its values read as SQLAlchemy would read them:
    rows whose columns can be read by name, except ``risks``' (built by position)."""
    sql, params, kinds = reads[name]
    cursor = conn.execute(sql, [given[key] if key is not None else value for key, value in params])
    return shape(name, cursor.fetchall(), tuple(d[0] for d in cursor.description), kinds)


def shape(name: str, rows: Sequence[Sequence[Any]], names: tuple[str, ...] | None,
          kinds: tuple[str, ...]) -> Sequence[Any]:
    """Rows as sqlite3 returned them, their values converted as SQLAlchemy would (``kinds``) and
    their columns named (``names``), except ``risks``' and those read without names."""
    converters = [(i, _CONVERT[kind]) for i, kind in enumerate(kinds) if kind and kind != "text"]
    if converters:
        converted = []
        for row in rows:
            values = list(row)
            for i, convert in converters:
                if values[i] is not None:
                    values[i] = convert(values[i])
            converted.append(tuple(values))
        rows = converted
    if name == "risks" or names is None:
        return rows  # built by position, 5,000 at a time
    row_type = type("_Row", (_Row,), {"_names": {n: i for i, n in enumerate(names)}})
    return [row_type(r) for r in rows]
