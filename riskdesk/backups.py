"""Backups that are never half-written, and restores that never half-happen.

- A backup is written under a temporary name in the backups folder, fsynced, then given its
  final name with a hard link that refuses to replace an existing file: a full disk or a kill
  leaves no 0-byte file named like a real backup, and two backups in the same second get two
  names (``…-2.sqlite``). Backups are created readable by their owner only (0600).
- A SQLite restore works through SQLite itself (the online backup API), never by copying files:
  a leftover ``-wal``/``-shm`` beside the database would otherwise be replayed over the restored
  file. It holds SQLite's exclusive lock throughout, so it is refused while any other riskdesk
  (or any program) has the database open, and nothing can open it half-restored.
- A PostgreSQL restore loads a ``pg_dump`` (custom format) into a new or empty database with
  ``pg_restore --single-transaction``: all of it or nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from riskdesk.domain.errors import RiskdeskError

SQLITE_HEADER = b"SQLite format 3\x00"

#: Counted in a backup and in the restored database, so a user sees what came back.
COUNTED = (
    ("registers", "SELECT count(*) FROM register"),
    ("current risks", "SELECT count(*) FROM risk WHERE status = 'current'"),
    ("removed risks", "SELECT count(*) FROM risk WHERE status <> 'current'"),
    ("assessments", "SELECT count(*) FROM assessment"),
    ("report cycles", "SELECT count(*) FROM report_cycle"),
    ("serious incidents", "SELECT count(*) FROM serious_incident"),
    ("clinical audits", "SELECT count(*) FROM clinical_audit"),
    ("audit entries", "SELECT count(*) FROM audit_entry"),
)


class BackupError(RiskdeskError):
    """A backup could not be written, checked or restored; nothing was changed."""


class DatabaseInUse(BackupError):
    """Another riskdesk (or another program) has the database open."""


class DamagedDatabase(BackupError):
    """The database file is not one SQLite can read."""


@dataclass(frozen=True)
class BackupFacts:
    """What a backup holds, read before anything is restored from it."""

    path: Path
    revision: str | None
    counts: dict[str, int]
    #: The newest audit entry: when the backed-up database was last changed.
    last_change: datetime | None
    #: When the backup file was written (its modification time).
    written: datetime


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    target: str
    facts: BackupFacts
    #: The backup of the database as it was just before the restore (None: there was nothing).
    safety_backup: Path | None
    #: "verified", or why the audit trail's chain was not checked.
    audit_chain: str = "not checked"
    counts_after: dict[str, int] = field(default_factory=dict)


# -- writing backups -------------------------------------------------------------------------------


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory (Windows)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _private_temp(folder: Path, suffix: str) -> Path:
    """An empty file only its owner can read, in ``folder`` (so the final rename stays on one disk)."""
    if not folder.exists():  # a backups folder riskdesk creates is its owner's only
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(NotImplementedError, PermissionError):
            os.chmod(folder, 0o700)
    fd, name = tempfile.mkstemp(prefix=".riskdesk-partial-", suffix=suffix, dir=folder)
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


def _publish(tmp: Path, out: Path | None, folder: Path, reason: str, suffix: str) -> Path:
    """Give the finished, fsynced ``tmp`` its final name; never replace another backup."""
    _fsync_file(tmp)
    if out is not None:  # the user named the file: theirs to replace
        os.replace(tmp, out)
        _fsync_dir(out.parent)
        return out
    base = f"riskdesk-{_stamp()}-{reason}"
    for n in range(1, 1000):
        final = folder / (f"{base}{suffix}" if n == 1 else f"{base}-{n}{suffix}")
        try:
            os.link(tmp, final)  # fails if the name is taken, unlike a rename
        except FileExistsError:
            continue
        except OSError:  # a filesystem without hard links: check, then rename
            if final.exists():
                continue
            os.replace(tmp, final)
            _fsync_dir(folder)
            return final
        tmp.unlink()
        _fsync_dir(folder)
        return final
    raise BackupError(f"Could not find a free backup name like {base}{suffix} in {folder}.")


def _disk_message(exc: BaseException, folder: Path) -> str:
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "full" in str(exc).lower():
        return (f"The disk holding {folder} is full, so the backup could not be written. Nothing was "
                "changed and no partial backup was left. Free some space (or choose another folder with "
                "--out) and try again.")
    if isinstance(exc, PermissionError) or "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
        return (f"riskdesk may not write to {folder}, so the backup could not be written. Choose a folder "
                "you can write to (--out) or ask IT to fix the folder's permissions.")
    return f"The backup could not be written to {folder}: {exc}. Nothing was changed."


def sqlite_backup(source: str | Path | sqlite3.Connection, folder: Path, *, out: Path | None = None,
                  reason: str = "manual") -> Path:
    """A consistent copy of a SQLite database through the online backup API (safe while in use).
    ``out`` may not be the database itself: the copy would replace the live file, under the
    connections (and the write-ahead log) that have it open, and leave no backup at all."""
    if out is not None and is_the_database(source, out):
        raise BackupError(f"{out} is the database itself, not a place for its backup: nothing was written. "
                          f"Choose another file; the backups folder, {folder}, is the usual place.")
    folder = out.parent if out is not None else folder
    tmp = _private_temp(folder, ".sqlite")
    try:
        src = source if isinstance(source, sqlite3.Connection) else sqlite3.connect(str(source))
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            if src is not source:
                src.close()
        return _publish(tmp, out, folder, reason, ".sqlite")
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(_disk_message(exc, folder)) from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def is_the_database(source: str | Path | sqlite3.Connection, out: Path) -> bool:
    """Whether ``out`` is the file ``source`` reads (by a link, another spelling of its path, or as is)."""
    if isinstance(source, sqlite3.Connection):
        main = next((row[2] for row in source.execute("PRAGMA database_list") if row[1] == "main"), "")
        if not main:
            return False
        source = main
    try:
        return os.path.samefile(source, out)
    except OSError:  # either does not exist (yet): not the same file
        return False


def pg_dump_backup(url: object, folder: Path, *, out: Path | None = None, reason: str = "manual") -> Path:
    """``pg_dump --format=custom`` of the database at ``url`` (a SQLAlchemy URL)."""
    pg_dump = shutil.which("pg_dump")
    if not pg_dump:
        raise BackupError(
            "pg_dump was not found. Install the PostgreSQL client tools (Debian: postgresql-client) "
            "or ask your database administrator for a server-side backup."
        )
    folder = out.parent if out is not None else folder
    tmp = _private_temp(folder, ".pgdump")
    try:
        # Row-level security on: a riskdesk administrator (not the tables' owner) reads every row
        # through the policies, and pg_dump refuses to dump a table whose policies are switched off.
        result = subprocess.run([pg_dump, "--format=custom", "--enable-row-security", "--file", str(tmp),
                                 *_pg_args(url)], env=_pg_env(url), capture_output=True, text=True, check=False)
        if result.returncode != 0:
            if "permission denied" in result.stderr:
                raise BackupError(
                    "pg_dump could not read the whole database: a backup holds everything, serious incidents "
                    "included, so only a riskdesk administrator's login (or the database administrator) can "
                    f"take one. ({result.stderr.strip().splitlines()[-1]})")
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return _publish(tmp, out, folder, reason, ".pgdump")
    except OSError as exc:
        raise BackupError(_disk_message(exc, folder)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _pg_args(url: object) -> list[str]:
    args = ["--dbname", getattr(url, "database", None) or ""]
    if getattr(url, "host", None):
        args += ["--host", str(url.host)]  # type: ignore[attr-defined]
    if getattr(url, "port", None):
        args += ["--port", str(url.port)]  # type: ignore[attr-defined]
    if getattr(url, "username", None):
        args += ["--username", str(url.username)]  # type: ignore[attr-defined]
    return args


def _pg_env(url: object) -> dict[str, str]:
    env = dict(os.environ)
    if getattr(url, "password", None):
        env["PGPASSWORD"] = str(url.password)  # type: ignore[attr-defined]
    return env


# -- reading a SQLite backup -----------------------------------------------------------------------


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    out = {}
    for name, sql in COUNTED:
        try:
            out[name] = int(conn.execute(sql).fetchone()[0])
        except sqlite3.OperationalError:  # an older schema without that table
            continue
    return out


def facts(conn: sqlite3.Connection, path: Path) -> BackupFacts:
    """Revision, counts and dates of the SQLite database open on ``conn``."""
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        revision = None
    try:
        newest = conn.execute("SELECT max(at) FROM audit_entry").fetchone()[0]
    except sqlite3.OperationalError:
        newest = None
    last_change = None
    if newest:
        with contextlib.suppress(ValueError):
            last_change = datetime.fromisoformat(str(newest))
    return BackupFacts(path=path, revision=revision[0] if revision else None, counts=_counts(conn),
                       last_change=last_change, written=datetime.fromtimestamp(path.stat().st_mtime))


def stage_sqlite_backup(backup: Path, staging: Path) -> sqlite3.Connection:
    """Copy ``backup`` into ``staging`` through SQLite and check it; the open staging connection.

    Raises BackupError naming the problem: missing, not a SQLite file, or damaged.
    """
    if not backup.exists():
        raise BackupError(f"There is no backup file at {backup}. Check the path; riskdesk's own backups "
                          "are in the backups folder beside the database.")
    if backup.is_dir():
        raise BackupError(f"{backup} is a folder, not a backup file.")
    try:
        with open(backup, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupError(f"The backup {backup} cannot be read: {exc.strerror or exc}.") from exc
    if header != SQLITE_HEADER:
        hint = (" It looks like a PostgreSQL dump: restore it with --database postgresql://… into a new, "
                "empty database.") if header.startswith(b"PGDMP") else ""
        raise BackupError(f"{backup} is not a riskdesk SQLite backup (it is not a SQLite database file).{hint}")
    try:
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(staging))
            src.backup(dst)
        finally:
            src.close()
        result = [row[0] for row in dst.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"The backup {backup} is damaged ({exc}); nothing was restored. Choose an "
                          "older backup.") from exc
    if result != ["ok"]:
        dst.close()
        raise BackupError(f"The backup {backup} is damaged: SQLite's integrity check found "
                          f"{len(result)} problem(s), first: {result[0]}. Nothing was restored; choose an "
                          "older backup.")
    return dst


# -- restoring into SQLite -------------------------------------------------------------------------


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[sqlite3.Connection]:
    """SQLite's exclusive lock on ``path`` for as long as the block runs.

    Any other connection (an open riskdesk window, a command, a sync tool) makes this fail at
    once with DatabaseInUse; while it is held, nobody else can open the database.
    """
    conn = sqlite3.connect(str(path), timeout=1.0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays: locking_mode=EXCLUSIVE keeps it until close
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not isinstance(exc, sqlite3.OperationalError):  # "file is not a database"
            raise DamagedDatabase(f"{path} is damaged: SQLite cannot read it ({exc}).") from exc
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseInUse(
                f"Another riskdesk (or another program) has {path} open, so it cannot be restored now. "
                "Close riskdesk everywhere it uses this file (every window, on every computer) and run the "
                "restore again. Nothing was changed."
            ) from exc
        raise
    try:
        yield conn
    finally:
        conn.close()


def copy_damaged(path: Path, folder: Path) -> Path:
    """Keep the files of a database SQLite cannot read, as they are, before it is replaced."""
    base = folder / f"riskdesk-{_stamp()}-damaged-before-restore.sqlite"
    n = 1
    while base.exists():
        n += 1
        base = folder / f"riskdesk-{_stamp()}-damaged-before-restore-{n}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            shutil.copy2(src, f"{base}{suffix}")
            os.chmod(f"{base}{suffix}", 0o600)
    return base


def restore_into(conn: sqlite3.Connection, staged: sqlite3.Connection) -> None:
    """Replace every page of the database on ``conn`` (held exclusively) with ``staged``'s."""
    # Out of WAL mode first: the backup API cannot change the page size of a WAL database, and
    # this checkpoints and removes any -wal left by a killed riskdesk before it is overwritten.
    conn.execute("PRAGMA journal_mode=DELETE")
    staged.backup(conn)
    conn.execute("PRAGMA journal_mode=WAL")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise BackupError(f"The restored database failed SQLite's integrity check: {problems[0]}.")


def table_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])


# -- PostgreSQL ------------------------------------------------------------------------------------


def pg_dump_revision(dump: Path) -> str | None:
    """The schema revision inside a custom-format dump (its alembic_version row)."""
    pg_restore = _pg_restore()
    listing = subprocess.run([pg_restore, "--list", str(dump)], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise BackupError(f"{dump} is not a PostgreSQL dump riskdesk can restore (pg_restore says: "
                          f"{listing.stderr.strip() or 'unreadable'}). Nothing was restored.")
    data = subprocess.run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(dump)],
                          capture_output=True, text=True, check=False)
    lines = data.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            value = lines[i + 1].strip()
            return None if value == "\\." else value
    return None


def _pg_restore() -> str:
    found = shutil.which("pg_restore")
    if not found:
        raise BackupError("pg_restore was not found. Install the PostgreSQL client tools of the server's "
                          "version (Debian: postgresql-client).")
    return found


def pg_restore_into(url: object, dump: Path) -> None:
    """Load ``dump`` into the (empty) database at ``url`` in one transaction."""
    result = subprocess.run([_pg_restore(), "--exit-on-error", "--single-transaction", "--no-owner",
                             "--no-privileges", *_pg_args(url), str(dump)],
                            env=_pg_env(url), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, and rolled back everything it had loaded: "
                          f"{result.stderr.strip()}")


__all__ = [
    "BackupError",
    "BackupFacts",
    "DamagedDatabase",
    "DatabaseInUse",
    "RestoreResult",
    "exclusive",
    "facts",
    "pg_dump_backup",
    "pg_dump_revision",
    "pg_restore_into",
    "restore_into",
    "sqlite_backup",
    "stage_sqlite_backup",
]
