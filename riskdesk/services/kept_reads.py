"""The early reads kept from one run to the next, in the user cache folder.

On the usual start the file is as riskdesk left it when it last closed. The early reads
(``riskdesk.services.early_reads``) then read again what they read last time, on the other core,
while the window is built: about 60 ms of SQLite work at 5,000 risks, and on a two-core machine any
work on the other core slows the window's own by 7–10% (its first paint came 1.34× the bare
window's, against 1.24× with no second thread at all). So when riskdesk closes, what the early
reads read, or would read now, is written to ``cache_dir()/first-look.marshal``; on the next start,
if the file is exactly as it was then, no thread begins: the copy is read once the window has
painted, in its place (``KeptReads``), and the first look goes on from it as from the thread's.
A close that changed nothing (the usual session: the register read, nothing saved) finds the copy
it started from still fitting, and writes nothing; after a change it reads again (about 80 ms at
5,000 risks, once the window has gone).

The copy is only used while the file shows no sign of having changed:

* it is for the same file, the same login, the same statements (``READS``), the same format, and
  the register the window will ask for;
* the file is in the state the copy was read in (``file_state``: identity, size, modification and
  change times to the nanosecond, SQLite's header, the write-ahead log's size, time and header),
  read when the file had not changed for 50 ms (``settled``), so that any later commit changes it.
  That is checked at start, and again after the first paint, once the first look's read snapshot
  has begun, so that the rest of the first look is read in the same state;
* what follows its header is behind a CRC-32, so a torn or damaged file is refused before it is
  read, and holds ``marshal``'s plain values only (never code);

and, as with any first look, the services' own read then confirms or replaces what is shown, and
nothing can be changed until they have. Anything unexpected (no copy, a stale, unreadable or
corrupt one, a folder that cannot be written) means the reads run as before, silently: the copy
only ever saves time. It holds what the register shows this login, and is written readable by its
owner only, beside the report fonts' cache; the database itself is in the user's own folder too.

Never for a shared server, nor for ``--as``: only the personal SQLite file the early reads read.
"""

from __future__ import annotations

import marshal
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskdesk.services.early_reads import (
    LONG,
    OPENING,
    SETTLE_NS,
    Begun,
    Done,
    EarlyReads,
    file_state,
    open_read_only,
    read_all,
    settled,
)

if TYPE_CHECKING:
    import sqlite3

#: Bumped whenever what is written changes.
FORMAT = 1
NAME = "first-look.marshal"
_DIGEST = 4  # bytes of CRC-32
_LENGTH = 4  # bytes of the header's length, big-endian

Choose = Callable[[list[int]], int | None]


def copy_file() -> Path:
    from riskdesk.paths import cache_dir

    return cache_dir() / NAME


def _statements() -> str:
    from riskdesk.services.first_look_sql import READS

    return repr(sorted(READS.items()))


def _header(path: Path, login: str, state: tuple[Any, ...] | None, done: Done) -> tuple[Any, ...]:
    """What the copy is for: format, file, login, statements, the file's state, the registers'
    ids and the register its long reads are of (None if none)."""
    long = done.get(LONG[0])
    return (FORMAT, str(path), login, _statements(), state, [row[0] for row in done["registers"][1]],
            long[0].get("register_id") if long is not None else None)


def _read_header(where: Path) -> tuple[Any, ...] | None:
    try:
        with open(where, "rb") as file:
            size = int.from_bytes(file.read(_LENGTH), "big")
            header = marshal.loads(file.read(size))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return header if isinstance(header, tuple) and len(header) == 7 else None


def _usable(header: tuple[Any, ...] | None, path: Path, login: str, choose: Choose,
            state: tuple[Any, ...] | None) -> bool:
    if header is None or state is None or header[6] is None:
        return False
    fmt, file, who, statements, was, ids, register = header
    return ((fmt, file, who, was) == (FORMAT, str(path), login, state) and statements == _statements()
            and isinstance(ids, list) and choose(ids) == register)


class KeptReads:
    """The early reads as kept by the last close, read after the first paint (``take``) in place of
    the thread's. Made by ``begin`` only once the copy's header fits the file as it is now."""

    def __init__(self, path: Path, login: str, where: Path, header: tuple[Any, ...]) -> None:
        self.path, self.login = path, login
        self._where, self._header = where, header
        self._done: Done = {}
        self.state: tuple[Any, ...] | None = None

    def take(self) -> tuple[sqlite3.Connection | None, Done]:
        """The first look's connection, in a snapshot of the file in the state the copy was read in,
        and the copy's reads; the connection and nothing read if the file has changed since the
        start, or the copy cannot be read (the first look then reads everything itself)."""
        conn = open_read_only(self.path)
        if conn is None:
            return None, {}
        import sqlite3

        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot begins here
            if file_state(self.path) != self._header[4]:
                return conn, {}
            done = _load(self._where, self._header)
        except (OSError, sqlite3.Error):
            return conn, {}
        if done:
            self._done, self.state = done, self._header[4]
        return conn, done

    def read(self) -> tuple[tuple[Any, ...] | None, Done]:
        """Once taken: the file's state the copy is of (None if it was not used) and its reads."""
        return self.state, self._done


def begin(path: Path, login: str, choose: Choose, where: Path | None = None) -> EarlyReads | KeptReads:
    """The early reads of ``path`` for ``login``: the copy kept by the last close if it fits the
    file as it is now and the register ``choose`` picks, else begun on their thread."""
    where = copy_file() if where is None else where
    header = _read_header(where)
    if _usable(header, path, login, choose, file_state(path)):
        assert header is not None
        return KeptReads(path, login, where, header)
    return EarlyReads(path, login, choose)


def keep(path: Path, login: str, choose: Choose, early: Begun | None = None,
         where: Path | None = None) -> bool:
    """At close: keep for the next start what the early reads read at this start, if the file is
    still in that state and they were for the register ``choose`` picks now; else read it again
    (about 60 ms at 5,000 risks). Whether a copy fitting the file is there. Never raises: without
    a copy the next start simply reads."""
    try:
        where = copy_file() if where is None else where
        now = file_state(path)
        if now is None:
            return False
        if isinstance(early, KeptReads) and _usable(_read_header(where), path, login, choose, now):
            return True  # the copy it started from still fits
        state, done = early.read() if early is not None else (None, {})
        if not (_complete(done) and _usable(_header(path, login, state, done), path, login, choose, now)):
            state, done = _read_again(path, login, choose)  # changed since it was read, or read for another
        if state is None or not _complete(done):
            return False
        _write(where, _header(path, login, state, done), done)
        return True
    except Exception:  # the copy only ever saves time
        return False


def _complete(done: Done) -> bool:
    return all(name in done for name in (*OPENING, *LONG))


def _read_again(path: Path, login: str, choose: Choose) -> tuple[tuple[Any, ...] | None, Done]:
    """The early reads, read now, and the state they are of (None if it changed meanwhile)."""
    before = file_state(path)
    if before is not None and not settled(before):  # changed just now (the services' last checkpoint)
        time.sleep(SETTLE_NS / 1e9)
        before = file_state(path)
    if before is None or not settled(before):
        return None, {}
    conn = open_read_only(path)
    if conn is None:
        return None, {}
    try:
        done = read_all(conn, login, choose)
    finally:
        conn.close()
    after = file_state(path)
    return (after if after == before else None), done


def _write(where: Path, header: tuple[Any, ...], done: Done) -> None:
    from riskdesk.paths import write_whole

    payload = marshal.dumps(done)
    head = marshal.dumps(header)
    write_whole(where, len(head).to_bytes(_LENGTH, "big"), head, zlib.crc32(payload).to_bytes(_DIGEST, "big"),
                payload)


def _load(where: Path, header: tuple[Any, ...]) -> Done:
    """The copy's reads, if its header is still ``header`` and its CRC holds; else nothing."""
    raw = memoryview(where.read_bytes())  # read once, sliced without copying
    size = int.from_bytes(raw[:_LENGTH], "big")
    start = _LENGTH + size + _DIGEST
    try:
        if marshal.loads(raw[_LENGTH:_LENGTH + size]) != header:
            return {}
    except (ValueError, EOFError, TypeError):
        return {}
    if zlib.crc32(raw[start:]) != int.from_bytes(raw[start - _DIGEST:start], "big"):
        return {}
    try:
        done = marshal.loads(raw[start:])
    except (ValueError, EOFError, TypeError):
        return {}
    return done if isinstance(done, dict) and _complete(done) else {}
