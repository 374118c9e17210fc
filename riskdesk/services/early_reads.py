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

When the file is exactly as riskdesk last closed it (the usual start), ``riskdesk.services.kept_reads``
gives what these reads read at that close instead, after the first paint, and no thread begins: on
a two-core machine any work on the other core slows the window's own.

This module imports only the standard library and the statements, so the thread costs the window
nothing of its own start. It reads, read-only, in one snapshot that the first look goes on using;
it decides nothing: the first look checks who is asking and which register to show, and reads
again whatever this thread read for another register or could not read.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from riskdesk.services.first_look_sql import READS

if TYPE_CHECKING:
    import sqlite3  # imported where a file is read: not before the first paint when the reads are kept

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
    import sqlite3

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


def read_all(conn: sqlite3.Connection, login: str, choose: Callable[[list[int]], int | None],
             done: Done | None = None) -> Done:
    """The opening reads, then the long reads of the register ``choose`` picks from the registers'
    ids (none if it picks none), in ``conn``'s snapshot, kept in ``done`` (a new dict if None) as
    each is read. Raises whatever sqlite3 raises, ``done`` keeping what was read before."""
    done = {} if done is None else done
    given: dict[str, Any] = {"login": login}

    def keep(name: str) -> None:
        rows, names = fetch(conn, name, given)
        done[name] = (dict(given), rows, names)

    for name in OPENING:
        keep(name)
    chosen = choose([row[0] for row in done["registers"][1]])
    if chosen is not None:
        given["register_id"] = chosen
        for name in LONG:
            keep(name)
    return done


def file_state(path: Path) -> tuple[Any, ...] | None:
    """What changes whenever a transaction is committed to the SQLite file at ``path``: the file's
    identity, size, modification and change times, its header (the change counter), and its
    write-ahead log's size, modification time and header (whose salts change whenever the log
    starts again); an empty log counts as none, as a read-only open leaves one. None when the file
    cannot be read. Reads 132 bytes and two directory entries: cheap enough for the main thread
    before the first paint. See ``settled`` for a change made within the file system's clock tick."""
    try:
        stat = os.stat(path)
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError:
        return None
    log: tuple[Any, ...] | None = None
    try:
        wal = os.stat(f"{path}-wal")
        if wal.st_size:
            with open(f"{path}-wal", "rb") as file:
                # Not its change time: SQLite, run as root, gives the log its owner again at every
                # open, read-only too, and that changes it.
                log = (wal.st_dev, wal.st_ino, wal.st_size, wal.st_mtime_ns, file.read(32))
    except FileNotFoundError:
        pass
    except OSError:
        return None
    return (str(path), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, header, log)


#: How long after its last change a file's state is trusted to show the next one: the file
#: system stamps times from a clock that moves in ticks (4 ms on Linux at 250 Hz), and a commit
#: within the same tick as the last, of the same size, once checkpointed, would look like none.
SETTLE_NS = 50_000_000


def settled(state: tuple[Any, ...], now_ns: int | None = None) -> bool:
    """Whether ``state`` (``file_state``) was last changed long enough ago (``SETTLE_NS``) that any
    later commit must change it. A change time ahead of this machine's clock (a file on another
    machine's share) is never settled."""
    log = state[7]
    newest = max(state[5], log[3] if log else 0)
    return (time.time_ns() if now_ns is None else now_ns) - newest >= SETTLE_NS


class Begun(Protocol):
    """Early reads as the first look and the close take them: begun on a thread (``EarlyReads``) or
    kept from the last close (``riskdesk.services.kept_reads.KeptReads``)."""

    path: Path
    login: str

    def take(self) -> tuple[sqlite3.Connection | None, Done]:
        """The connection, in its snapshot (the caller's to close), and what was read in it."""
        ...

    def read(self) -> tuple[tuple[Any, ...] | None, Done]:
        """Once taken: the file's state the reads are of (None if unknown) and what they read."""
        ...


class EarlyReads:
    """The opening reads and the long reads of the register ``choose`` picks (from the registers'
    ids, in the order listed), begun on a daemon thread as soon as it is made."""

    def __init__(self, path: Path, login: str, choose: Callable[[list[int]], int | None]) -> None:
        self.path, self.login = path, login
        self._choose = choose
        self._conn: sqlite3.Connection | None = None
        self._done: Done = {}
        #: The file's ``file_state`` when every read was done, if it was the same before they began
        #: (so the reads are of that state) and ``settled``; else None.
        self.state: tuple[Any, ...] | None = None
        import sqlite3  # noqa: F401 - here, not on the thread, where its import would wait for the interpreter

        self._thread = threading.Thread(target=self._run, name="riskdesk-early-reads", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        _give_way()
        before = file_state(self.path)
        conn = open_read_only(self.path)
        if conn is None:
            return
        self._conn = conn
        try:
            read_all(conn, self.login, self._choose, self._done)
        except Exception:  # the first look reads again whatever is missing, and says what the services say
            return
        after = file_state(self.path)
        self.state = after if after == before and after is not None and settled(after) else None

    def take(self) -> tuple[sqlite3.Connection | None, Done]:
        """Waits for the thread; then its connection (None if the file could not be opened) and
        what it read. The connection, still in its snapshot, is the caller's to close."""
        self._thread.join()
        conn, self._conn = self._conn, None
        return conn, self._done

    def read(self) -> tuple[tuple[Any, ...] | None, Done]:
        """Once taken: the file's state the reads are of (None if unknown) and what they read."""
        return self.state, self._done
