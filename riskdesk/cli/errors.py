"""What the CLI says when something fails: one paragraph naming the problem and what to do.

No traceback unless ``--debug``. Exit codes: 2 a request riskdesk refused (bad value, no
permission), 3 someone else changed it first (or already did it), 4 the database cannot be used
as it is (read-only, full disk, locked, newer schema, missing, unreachable, wrong password,
damaged), 1 anything unexpected.
"""

from __future__ import annotations

import errno
import sqlite3
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

from riskdesk.domain.errors import DatabaseBusy, RiskdeskError, StaleEdit

REFUSED, CONFLICT, DATABASE, UNEXPECTED = 2, 3, 4, 1


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def _texts(exc: BaseException) -> str:
    return " | ".join(f"{type(e).__name__}: {e}" for e in _chain(exc)).lower()


def _where(database: str | None) -> str:
    from riskdesk.db import database_url

    try:
        url = database_url(database)
    except Exception:
        return "the database"
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    return url.split("@")[-1] if "@" in url else url


def _restore_hint(database: str | None) -> str:
    from riskdesk import paths

    try:
        folder = paths.backup_dir()
        latest = max(folder.glob("riskdesk-*.sqlite"), key=lambda p: p.stat().st_mtime, default=None)
    except OSError:
        latest = None
    if latest is None:
        return "If you have a backup, restore it with: riskdesk restore BACKUP-FILE"
    return f"The latest backup is {latest}; restore it with: riskdesk restore {latest}"


def _busy(where: str) -> str:
    from riskdesk.db import SQLITE_BUSY_TIMEOUT_MS

    return f"{where} is busy: {DatabaseBusy.reason(SQLITE_BUSY_TIMEOUT_MS / 1000)}"


def explain(exc: BaseException, database: str | None = None) -> tuple[str, int]:
    """The paragraph to print and the exit code for a failed command."""
    from riskdesk.db import DatabaseError, NewerSchema

    where = _where(database)
    text = _texts(exc)
    if isinstance(exc, StaleEdit):
        return str(exc), CONFLICT
    if isinstance(exc, NewerSchema):
        return str(exc), DATABASE
    from riskdesk.backups import BackupError, DamagedDatabase, DatabaseInUse

    if isinstance(exc, BackupError):  # its message already names the problem and what to do
        unusable = isinstance(exc, DamagedDatabase | DatabaseInUse) or "is full" in str(exc)
        return str(exc), DATABASE if unusable else REFUSED
    if isinstance(exc, DatabaseBusy):
        return _busy(where), DATABASE
    if isinstance(exc, RiskdeskError) and not isinstance(exc, DatabaseError):
        return str(exc), REFUSED  # a refusal worded for the user (a bad value, a missing file, a permission)
    if "readonly" in text or "read-only" in text or any(
            isinstance(e, PermissionError) for e in _chain(exc)):
        return (f"riskdesk may not write to {where}: the file (or its folder) is read-only for you. Nothing "
                "was changed. Ask IT to give you write access to the file and its folder (SQLite also "
                "writes -wal and -shm files beside it), or copy it somewhere you can write.", DATABASE)
    if "database or disk is full" in text or "no space left" in text or any(
            isinstance(e, OSError) and e.errno == errno.ENOSPC for e in _chain(exc)) or (
            "disk i/o error" in text and _disk_nearly_full(where)):
        return (f"The disk holding {where} is full. Nothing was changed (the unfinished step was rolled "
                "back). Free some space on that disk and try again.", DATABASE)
    if "database is locked" in text or "database table is locked" in text:
        return _busy(where), DATABASE
    if "file is not a database" in text or "malformed" in text or "disk image" in text:
        return (f"{where} is damaged: SQLite cannot read it. Nothing was changed. {_restore_hint(database)} "
                "(the damaged file is kept beside the backups).", DATABASE)
    if "password authentication failed" in text or "no password supplied" in text:
        return (f"The PostgreSQL server refused the login for {where}: wrong user name or password. Check the "
                "user and password in --database / RISKDESK_DATABASE_URL (or ~/.pgpass), or ask your database "
                "administrator.", DATABASE)
    if ("connection refused" in text or "could not translate host name" in text or "timeout expired" in text
            or "no route to host" in text or "name or service not known" in text
            or "network is unreachable" in text or "connection timed out" in text):
        return (f"riskdesk cannot reach the PostgreSQL server for {where}: it is not running, or the host or "
                "port is wrong, or a firewall is in the way. Nothing was changed. Check --database / "
                "RISKDESK_DATABASE_URL, and ask your database administrator whether the server is up.",
                DATABASE)
    if 'database "' in text and "does not exist" in text:
        return (f"The PostgreSQL database in {where} does not exist. Check its name, or ask your database "
                "administrator to create it.", DATABASE)
    if "unable to open database file" in text:
        return (f"riskdesk cannot open {where}: its folder does not exist or may not be written. Check the "
                "path given with --database.", DATABASE)
    folder = next((e for e in _chain(exc) if isinstance(e, IsADirectoryError)), None)
    if folder is not None:
        return (f"{folder.filename or folder} is a folder, not a file. Check the path and try again; nothing was "
                "changed.", REFUSED)
    missing = next((e for e in _chain(exc) if isinstance(e, FileNotFoundError)), None)
    if missing is not None:
        if missing.filename:
            # a file being written goes to NAME.part first: the user named NAME
            name = Path(str(missing.filename).removesuffix(".part"))
            if not name.parent.exists():
                return (f"There is no folder {name.parent}, so {name.name} cannot be read or written there. "
                        "Check the path and try again; nothing was changed.", REFUSED)
            return f"File not found: {name}. Check the path and try again.", REFUSED
        return f"File not found: {missing}. Check the path and try again.", REFUSED
    if isinstance(exc, RiskdeskError):
        return str(exc), REFUSED
    if isinstance(exc, sqlite3.Error) or any(isinstance(e, sqlite3.Error) for e in _chain(exc)):
        return (f"The database {where} reported an error: {exc}. Nothing was changed. If it happens again, "
                f"{_restore_hint(database)}", DATABASE)
    return (f"Unexpected error: {type(exc).__name__}: {exc}. Nothing more was changed than the commands "
            "before it reported. Run the command again with --debug to see the details, and send them to "
            "whoever looks after riskdesk.", UNEXPECTED)


def _disk_nearly_full(where: str) -> bool:
    import shutil

    try:
        folder = Path(where).parent
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def report(exc: BaseException, database: str | None = None, *, debug: bool = False) -> int:
    """Print the paragraph for ``exc`` on stderr (and the traceback with ``--debug``); the exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    message, code = explain(exc, database)
    print(f"riskdesk: {message}", file=sys.stderr)
    return code
