"""Writes ``riskdesk/services/first_look_sql.py``: the statements of the window's first read (and
of the command line's appendix), compiled for SQLite from the services' own SQLAlchemy statements.

    python -m riskdesk.services.first_look_build   # after a change to those reads or a new migration

The window's first look (``riskdesk.services.first_look``) runs them with the standard library's
sqlite3, so the register is on screen before SQLAlchemy is even imported; the services run the
same statements through SQLAlchemy once the database is open. ``riskdesk appendix`` on a draft
cycle reads its snapshot the same way (``riskdesk.services.appendix_look``). A test fails while the written
file differs from what this module writes now, so the two cannot drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Select, String, Text, bindparam
from sqlalchemy.dialects import sqlite

from riskdesk.db import SCHEMA_HEAD
from riskdesk.services.base import user_read
from riskdesk.services.cycles import cycles_read, snapshot_reads
from riskdesk.services.registers import choice_reads, opening_reads
from riskdesk.services.risks import list_reads

TARGET = Path(__file__).with_name("first_look_sql.py")
#: The parameters a reader supplies; every other one is a value fixed in the statement.
SUPPLIED = ("login", "register_id", "since")


def statements() -> dict[str, Select[Any]]:
    """Each read by name, in the order the first look sends them."""
    register = bindparam("register_id", 0, type_=Integer)  # the values only let it compile
    scheme, period, counts, registers = opening_reads()
    risks, departments_of, lines, schemes = list_reads(register)
    departments, category_counts, categories, users, council = choice_reads(register)
    return {
        "user": user_read(bindparam("login", "", type_=String)),
        "scheme": scheme, "period": period, "register_counts": counts, "registers": registers,
        "risks": risks, "risk_departments": departments_of, "risk_lines": lines, "schemes": schemes,
        "departments": departments, "category_counts": category_counts, "categories": categories,
        "users": users, "council": council,
    }


def appendix_statements() -> dict[str, Select[Any]]:
    """What ``riskdesk appendix`` reads for a draft cycle: who is asking, the cycles, the snapshot."""
    return {
        "user": user_read(bindparam("login", "", type_=String)),
        "cycles": cycles_read(),
        **snapshot_reads(bindparam("register_id", 0, type_=Integer), bindparam("since", type_=Date)),
    }


def _kind(column: Any, dialect: Any) -> str:
    """How a result column's value is converted from what sqlite3 returns, as SQLAlchemy would;
    "text" for free text, read as it is (the early reads send it apart from the JSON document)."""
    type_ = column.type
    for cls, kind in ((JSON, "json"), (Boolean, "bool"), (DateTime, "datetime"), (Date, "date"), (Text, "text")):
        if isinstance(type_, cls):
            return kind
    if type_.result_processor(dialect, None) is not None:  # a type this module does not know how to read
        raise TypeError(f"column {column} of type {type_!r} converts its values: teach first_look to read it")
    return ""


def compiled(reads: dict[str, Select[Any]]) -> dict[str, tuple[str, tuple[tuple[str | None, Any], ...], tuple[str, ...]]]:
    """name → (SQL, parameters, result kinds). A parameter is ``(name, None)`` for one the reader
    supplies (``SUPPLIED``) or ``(None, value)`` for a value fixed in the statement."""
    dialect = sqlite.dialect()
    out = {}
    for name, stmt in reads.items():
        sql = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        params: list[tuple[str | None, Any]] = []
        for bind_name in sql.positiontup or ():
            bind = sql.binds[bind_name]
            if bind.key in SUPPLIED:
                params.append((bind.key, None))
            else:
                process = bind.type.bind_processor(dialect)
                params.append((None, process(bind.value) if process else bind.value))
        kinds = tuple(_kind(c, dialect) for c in stmt.selected_columns)
        out[name] = ("\n".join(line.rstrip() for line in str(sql).splitlines()), tuple(params), kinds)
    return out


def render() -> str:
    """The module's text."""
    lines = [
        '"""Written by ``python -m riskdesk.services.first_look_build``: do not edit.',
        "",
        "The window's first read (READS) and a draft cycle's appendix (APPENDIX_READS), compiled for SQLite",
        "from the services' statements (see that module):",
        "name: (SQL, parameters, how each result column is read).",
        '"""',
        "",
        "from typing import Any",
        "",
        f"SCHEMA_HEAD = {SCHEMA_HEAD!r}",
        "",
    ]
    for table, reads in (("READS", statements()), ("APPENDIX_READS", appendix_statements())):
        lines.append(f"{table}: dict[str, tuple[str, tuple[tuple[str | None, Any], ...], tuple[str, ...]]] = {{")
        for name, (sql, params, kinds) in compiled(reads).items():
            if '"""' in sql or "\\" in sql:
                raise ValueError(f"the {name} statement cannot be written as a plain string")
            lines += [f"    {name!r}: (", f'        """{sql}""",', f"        {params!r},", f"        {kinds!r},",
                      "    ),"]
        lines += ["}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
