"""Restore a backup: checked first, the current database backed up, all or nothing.

Used by ``riskdesk restore FILE`` and (later) the window's File ▸ Restore from backup…, which
must close its own connections first (``Services.db.dispose()``): a restore is refused while
any riskdesk has the database open.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from riskdesk import paths
from riskdesk.backups import (
    COUNTED,
    BackupError,
    BackupFacts,
    DamagedDatabase,
    RestoreResult,
    copy_damaged,
    exclusive,
    facts,
    is_the_database,
    pg_dump_revision,
    pg_restore_into,
    restore_into,
    sqlite_backup,
    stage_sqlite_backup,
    table_count,
)
from riskdesk.db import (
    SCHEMA_HEAD,
    Database,
    database_url,
    describe,
    known_revisions,
    make_engine,
    run_migrations,
)
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor
from riskdesk.services.base import ServiceContext

Progress = Callable[[str], None]


def check_audit_chain(url: str) -> str:
    """Hook: verify the audit trail's hash chain in the database at ``url``.

    Returns "verified" or why it was not checked; raises BackupError if the chain is broken.
    The same check as ``riskdesk audit verify`` (``riskdesk.services.audit.verify_database``).
    """
    try:
        from riskdesk.services import audit
    except ImportError:
        return "not checked (this riskdesk does not chain its audit trail yet)"
    verify = getattr(audit, "verify_database", None)
    if verify is None:
        return "not checked (no chain verifier in riskdesk.services.audit)"
    problem = verify(url)
    if problem:
        raise BackupError(f"The backup's audit trail has been altered: {problem}. Nothing was restored.")
    return "verified"


def _check_revision(revision: str | None, where: str) -> None:
    if revision is None:
        raise BackupError(f"{where} holds no riskdesk schema (no alembic_version), so it is not a riskdesk "
                          "backup. Nothing was restored.")
    if revision != SCHEMA_HEAD and revision not in known_revisions():
        raise BackupError(f"{where} was made by a newer riskdesk (schema “{revision}”; this riskdesk knows up "
                          f"to “{SCHEMA_HEAD}”). Install that version to restore it. Nothing was restored.")


class RestoreService:
    """Restores into the database at ``url`` (SQLite file or PostgreSQL), which it does not hold open."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    def restore(self, actor: Actor, backup: Path, progress: Progress | None = None) -> RestoreResult:
        self._require_permission(actor)
        report = progress or (lambda _m: None)
        result = self._restore_sqlite(backup, report) if self.is_sqlite else self._restore_postgres(backup, report)
        self._record(actor, result)
        return result

    # -- SQLite --------------------------------------------------------------------------------

    def _restore_sqlite(self, backup: Path, report: Progress) -> RestoreResult:
        target = Path(make_url(self.url).database or "")
        if is_the_database(target, backup):
            raise BackupError(f"{backup} is the database itself, not a backup of it: nothing was restored. "
                              f"Choose a backup (they are kept in {paths.backup_dir()}).")
        folder = paths.backup_dir()
        with tempfile.TemporaryDirectory(prefix=".riskdesk-restore-", dir=folder) as tmp:
            staging = Path(tmp) / "staged.sqlite"
            report(f"Checking {backup}…")
            staged = stage_sqlite_backup(backup, staging)
            try:
                found = facts(staged, backup)
                _check_revision(found.revision, str(backup))
                if found.revision != SCHEMA_HEAD:
                    # Upgrade the copy, not the live database: a backup that cannot be upgraded is
                    # refused before anything is touched.
                    staged.close()
                    report("Upgrading the backup's copy to this version of riskdesk…")
                    engine = make_engine(f"sqlite:///{staging}")
                    try:
                        run_migrations(engine)
                    except Exception as exc:
                        raise BackupError(f"The backup {backup} could not be upgraded to this riskdesk ({exc}). "
                                          "Nothing was restored.") from exc
                    finally:
                        engine.dispose()
                    staged = sqlite3.connect(str(staging))
                chain = check_audit_chain(f"sqlite:///{staging}")
                target.parent.mkdir(parents=True, exist_ok=True)
                report(f"Backing up {target} as it is now…")
                damaged = False
                try:
                    with exclusive(target) as conn:
                        try:
                            safety = (sqlite_backup(conn, folder, reason="before-restore")
                                      if table_count(conn) else None)
                        except sqlite3.DatabaseError:  # not a database SQLite can read any more
                            damaged, safety = True, copy_damaged(target, folder)
                        if not damaged:
                            report(f"Restoring {backup}…")
                            restore_into(conn, staged)
                            after = _sqlite_counts(conn)
                except DamagedDatabase:
                    damaged, safety = True, copy_damaged(target, folder)
                if damaged:
                    return self._restore_sqlite_fresh(target, staged, backup, found, safety, chain, report)
            finally:
                staged.close()
        return self._checked(RestoreResult(backup, describe_url(self.url), found, safety, chain, after))

    def _restore_sqlite_fresh(self, target: Path, staged: sqlite3.Connection, backup: Path, found: BackupFacts,
                              safety: Path | None, chain: str, report: Progress) -> RestoreResult:
        """The current file is not a database SQLite can read: it was copied aside; start it afresh."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{target}{suffix}").unlink()
        with exclusive(target) as conn:
            report(f"Restoring {backup}…")
            restore_into(conn, staged)
            after = _sqlite_counts(conn)
        return self._checked(RestoreResult(backup, describe_url(self.url), found, safety, chain, after))

    # -- PostgreSQL ----------------------------------------------------------------------------

    def _restore_postgres(self, backup: Path, report: Progress) -> RestoreResult:
        from datetime import datetime

        if not backup.exists():
            raise BackupError(f"There is no backup file at {backup}. Check the path.")
        report(f"Checking {backup}…")
        revision = pg_dump_revision(backup)
        _check_revision(revision, str(backup))
        engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                tables = inspect(conn).get_table_names()
            if tables:
                raise BackupError(
                    f"{describe(engine)} is not empty (it holds {len(tables)} tables), so the backup was not "
                    "restored over it. Create a new, empty database (createdb riskdesk_restored), restore into "
                    "that one with --database, then point riskdesk at it. Nothing was changed.")
            report(f"Restoring {backup} into {describe(engine)}…")
            pg_restore_into(engine.url, backup)
            if revision != SCHEMA_HEAD:
                report("Upgrading the restored database to this version of riskdesk…")
                run_migrations(engine)
            chain = check_audit_chain(self.url)
            after = _engine_counts(engine)
            last = None
            with engine.connect() as conn:
                last = conn.execute(text("SELECT max(at) FROM audit_entry")).scalar()
        finally:
            engine.dispose()
        found = BackupFacts(path=backup, revision=revision, counts=dict(after), last_change=last,
                            written=datetime.fromtimestamp(backup.stat().st_mtime))
        return RestoreResult(backup, describe_url(self.url), found, None, chain, after)

    # -- shared --------------------------------------------------------------------------------

    @staticmethod
    def _checked(result: RestoreResult) -> RestoreResult:
        """The restored database must hold what the backup held, or the restore is not reported done."""
        differ = {k: (v, result.counts_after.get(k)) for k, v in result.facts.counts.items()
                  if result.counts_after.get(k) != v}
        if differ:
            detail = ", ".join(f"{k}: backup {a}, restored {b}" for k, (a, b) in differ.items())
            raise BackupError(f"The restored database does not hold what the backup holds ({detail}). "
                              f"The database as it was is kept in {result.safety_backup}.")
        return result

    def _require_permission(self, actor: Actor) -> None:
        """Restoring replaces everything, so it takes the right to back up (administrator, risk team).

        A database that cannot be opened or holds no riskdesk data yet is not asked: restoring a
        damaged database is the recovery, and the file's owner could replace it anyway."""
        if self.is_sqlite and not Path(make_url(self.url).database or "").exists():
            return
        try:
            db = Database.open(self.url, migrate=False)
        except Exception:  # damaged or unreachable: nothing to ask
            return
        try:
            if not inspect(db.engine).has_table("app_user"):
                return
            ctx = ServiceContext(db)
            try:
                with ctx.begin() as s:
                    ctx.require(s, actor, Permission.BACKUP)
            except PermissionDenied:
                raise
            except Exception:  # unreadable: as above
                return
        finally:
            db.dispose()

    def _record(self, actor: Actor, result: RestoreResult) -> None:
        """The restored database's trail says who restored what, and from when."""
        db = Database.open(self.url, migrate=False)
        try:
            ctx = ServiceContext(db)
            with ctx.begin() as s:
                user = ctx.user(s, actor)
                when = result.facts.last_change.isoformat() if result.facts.last_change else None
                ctx.audit(s, user, "database.restore", "database", None, result.target,
                          {"restored from": [None, str(result.source)], "backup's last change": [None, when]},
                          f"database as it was kept in {result.safety_backup}" if result.safety_backup else "")
        finally:
            db.dispose()


def describe_url(url: str) -> str:
    engine = make_engine(url)
    try:
        return describe(engine)
    finally:
        engine.dispose()


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    out = {}
    for name, sql in COUNTED:
        with contextlib.suppress(sqlite3.OperationalError):
            out[name] = int(conn.execute(sql).fetchone()[0])
    return out


def _engine_counts(engine: object) -> dict[str, int]:
    out = {}
    with engine.connect() as conn:  # type: ignore[attr-defined]
        for name, sql in COUNTED:
            out[name] = int(conn.execute(text(sql)).scalar() or 0)
    return out


__all__ = ["RestoreService", "check_audit_chain"]
