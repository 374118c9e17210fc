"""The first look's long reads, begun at process start on a thread of their own.

At 5,000 risks the register's rows and their departments cost SQLite about 100 ms. Begun once the
window had painted, the rows waited for them; begun at process start, they run on the other core
while Python imports Qt and builds the window. One thing stands in the way: sqlite3 gives up the
interpreter lock while SQLite works, but takes it back for every row it returns, and while the
main thread runs Python each take-back waits for the switch interval (5 ms). Fetched that way,
5,000 rows took 26 s. So each long read (``LONG``) is sent wrapped in SQLite's
``json_group_array``: one row, one take-back, and it is parsed after the first paint, when
``riskdesk.services.first_look`` takes what was read here (``take``). Its free text (the risks'
descriptions and updates: 4.4 of 5.5 MB at 5,000 risks) comes apart from the document, as UTF-8
bytes with their lengths: the rows, parsed from JSON in 28 ms with it, now take 17.

This module imports only the standard library and the statements, so the thread costs the window
nothing of its own start. It reads, read-only, in one snapshot that the first look goes on using;
it decides nothing: the first look checks who is asking and which register to show, and reads
again whatever this thread read for another register or could not read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from riskdesk.services.first_look_sql import READS

#: The reads sent as one JSON document each: the long ones, which their readers take by position.
LONG = ("risks", "risk_departments")
#: Read first, as they are, to find the register the long reads are for.
OPENING = ("user", "scheme", "period", "register_counts", "registers")

#: name → (the parameters it was read with, its rows, its column names or None for a long read)
Done = dict[str, tuple[dict[str, Any], Sequence[Sequence[Any]], tuple[str, ...] | None]]


def sqlite_file(database: str | None) -> Path | None:
    """The personal SQLite file the window will open (``--database``, the environment or the data
    folder's), or None for a shared server or anything but a plain file."""
    from riskdesk.paths import database_url

    url = database_url(database)
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(url[len(prefix):])


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """``path`` opened read-only by the standard library's sqlite3, in one snapshot for every read
    (a ``BEGIN`` sent); None when it is not a file that can be opened."""
    try:
        if not path.is_file():
            return None
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=0.5,
                               check_same_thread=False)
        conn.execute("BEGIN")
    except (OSError, sqlite3.Error):
        return None
    return conn


def as_one_document(sql: str, kinds: tuple[str, ...]) -> str:
    """``sql`` wrapped so that its whole result comes back as one row, in its order (SQLite keeps a
    subquery's order in an aggregate over it), each part as bytes: a blob is copied as it is, where
    text would be decoded while this thread holds the interpreter (5.5 MB at 5,000 risks).

    The row holds: a JSON array of the rows, each an array of its columns but the free text ones
    (``kinds`` "text"); the free text's lengths in UTF-8 bytes, row by row and column by column,
    -1 for none (NULL), space-separated; and the free text itself, one value after another."""
    names = [f"c{i}" for i in range(len(kinds))]
    texts = [n for n, kind in zip(names, kinds, strict=True) if kind == "text"]
    rest = ", ".join(n for n in names if n not in texts)
    lengths = " || ' ' || ".join(f"coalesce(length(CAST({n} AS BLOB)), -1)" for n in texts)
    joined = " || ".join(f"coalesce({n}, '')" for n in texts)
    apart = (f"CAST(group_concat({lengths}, ' ') AS BLOB), CAST(group_concat({joined}, '') AS BLOB)" if texts
             else "NULL, NULL")
    return f"WITH t({', '.join(names)}) AS ({sql}) SELECT CAST(json_group_array(json_array({rest})) AS BLOB), {apart} FROM t"


def fetch(conn: sqlite3.Connection, name: str, given: dict[str, Any]) -> tuple[list[Any], tuple[str, ...] | None]:
    """One of the first look's reads as it comes from sqlite3: its rows and column names; a long
    read's one row (``as_one_document``, for ``rows_of``) and no names."""
    sql, params, kinds = READS[name]
    values = [given[key] if key is not None else value for key, value in params]
    if name in LONG:
        return [conn.execute(as_one_document(sql, kinds), values).fetchone()], None
    cursor = conn.execute(sql, values)
    rows = cursor.fetchall()
    return rows, tuple(d[0] for d in cursor.description)


def rows_of(name: str, fetched: list[Any]) -> list[tuple[Any, ...]]:
    """A long read's rows from its one row (``as_one_document``), as sqlite3 would have returned them."""
    if name not in LONG:
        return fetched
    import json

    document, lengths, texts = fetched[0]
    rows = json.loads(document)
    at = [i for i, kind in enumerate(READS[name][2]) if kind == "text"]  # in order: each goes in where it was
    if not at:
        return [tuple(row) for row in rows]
    sizes = iter(lengths.split(b" ") if lengths else ())
    start = 0
    out = []
    for row in rows:
        for i in at:
            size = int(next(sizes))
            if size < 0:
                row.insert(i, None)
            else:
                end = start + size
                row.insert(i, texts[start:end].decode())
                start = end
        out.append(tuple(row))
    if next(sizes, None) is not None or start != len(texts or b""):
        raise ValueError(f"the early read of {name} does not add up")  # the services answer instead
    return out


def _give_way() -> None:
    """On Linux, the calling thread (only: Linux keeps a nice value per thread) gives way to the
    window's when both want the same core: nice 10. On a 2-core machine, 21 paired starts at 5,000
    risks for each: at nice 0 the rows came 60 ms sooner and the first paint 31 ms later; at nice 5
    and 19, 97–120 ms sooner and 11–22 ms later (and in another run, at 10 and 19, 23–50 ms sooner
    and 16–21 ms later: the two cores slow each other down, whatever the priority)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not allowed here: the reads go on at the window's priority
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class EarlyReads:
    """The opening reads and the long reads of the register ``choose`` picks (from the registers'
    ids, in the order listed), begun on a daemon thread as soon as it is made."""

    def __init__(self, path: Path, login: str, choose: Callable[[list[int]], int | None]) -> None:
        self._path, self._login, self._choose = path, login, choose
        self._conn: sqlite3.Connection | None = None
        self._done: Done = {}
        self._thread = threading.Thread(target=self._run, name="riskdesk-early-reads", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _give_way()
        conn = open_read_only(self._path)
        if conn is None:
            return
        self._conn = conn
        try:
            given: dict[str, Any] = {"login": self._login}
            for name in OPENING:
                self._keep(conn, name, given)
            registers = self._done["registers"][1]
            chosen = self._choose([row[0] for row in registers])
            if chosen is None:
                return
            given = dict(given, register_id=chosen)
            for name in LONG:
                self._keep(conn, name, given)
        except Exception:  # the first look reads again whatever is missing, and says what the services say
            return

    def _keep(self, conn: sqlite3.Connection, name: str, given: dict[str, Any]) -> None:
        rows, names = fetch(conn, name, given)
        self._done[name] = (dict(given), rows, names)

    def take(self) -> tuple[sqlite3.Connection | None, Done]:
        """Waits for the thread; then its connection (None if the file could not be opened) and
        what it read. The connection, still in its snapshot, is the caller's to close."""
        self._thread.join()
        conn, self._conn = self._conn, None
        return conn, self._done
