"""Engine, sessions, migrations and backups.

SQLite is the embedded default (one file in the user data folder); PostgreSQL is the shared
multi-user option (``RISKDESK_DATABASE_URL`` or ``--database``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from riskdesk import paths
from riskdesk.domain.errors import RiskdeskError

#: The newest migration. Checked against the database on start, so that Alembic (slow to
#: import) is loaded only when there is something to upgrade. A test keeps it equal to
#: Alembic's own head.
SCHEMA_HEAD = "0010_import_provenance"


class DatabaseError(RiskdeskError):
    """The database cannot be opened, upgraded or backed up."""


def database_url(explicit: str | None = None) -> str:
    """``--database`` beats ``RISKDESK_DATABASE_URL`` beats the SQLite file in the data folder."""
    url = explicit or os.environ.get("RISKDESK_DATABASE_URL") or ""
    if not url:
        return f"sqlite:///{paths.default_database_path()}"
    if "://" not in url:  # a plain file path
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with riskdesk's settings: SQLite gets foreign keys, WAL and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def describe(engine: Engine) -> str:
    """The database as a user would name it, without any password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"PostgreSQL {url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


class Database:
    """An engine plus its session factory; services take one of these."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True, backup: bool = True,
             progress: Callable[[str], None] | None = None) -> Database:
        """Connect, and upgrade the schema to this riskdesk's (backing up first) unless ``migrate`` is off.

        ``progress`` hears what a slow open is doing ("Backing up …", "Upgrading …").
        """
        engine = make_engine(database_url(url))
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the driver's own error says why; keep it
            raise DatabaseError(f"Cannot open {describe(engine)}: {exc}") from exc
        if migrate:
            ensure_schema(engine, backup=backup, progress=progress)
        return cls(engine)

    def session(self) -> Session:
        return self.sessions()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.url.get_backend_name() == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


# -- migrations ------------------------------------------------------------------------------------


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool([t for t in inspect(conn).get_table_names() if t != "alembic_version"])


def alembic_config(engine: Engine | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def known_revisions() -> set[str]:
    """Every schema revision this riskdesk's migrations know."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


class NewerSchema(DatabaseError):
    """The database was last used by a newer riskdesk; this one must not touch it."""

    def __init__(self, engine: Engine, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"{describe(engine)} was last used by a newer version of riskdesk (its schema is "
            f"“{revision}”; this riskdesk knows schemas up to “{SCHEMA_HEAD}”). Nothing was changed and no "
            "backup was taken. Install the newer riskdesk, or restore a backup made with this version "
            "(riskdesk restore FILE)."
        )


def run_migrations(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def ensure_schema(engine: Engine, *, backup: bool = True,
                  progress: Callable[[str], None] | None = None) -> Path | None:
    """Upgrade the database to the newest schema, taking a backup first if it holds data.

    Returns the backup file, if one was taken.
    """
    revision = current_revision(engine)
    if revision == SCHEMA_HEAD:
        return None
    if revision is not None and revision not in known_revisions():
        raise NewerSchema(engine, revision)  # before any backup: each try would take another
    report = progress or (lambda _message: None)
    backup_file = None
    if backup and _has_tables(engine):
        report(f"Backing up {describe(engine)} before upgrading it…")
        backup_file = backup_database(engine, reason="before-upgrade")
    report(f"Upgrading {describe(engine)} to this version of riskdesk…")
    try:
        run_migrations(engine)
    except Exception as exc:
        where = f" A backup taken before the upgrade is at {backup_file}." if backup_file else ""
        raise DatabaseError(f"Upgrading {describe(engine)} failed: {exc}.{where}") from exc
    return backup_file


# -- backups ---------------------------------------------------------------------------------------


def backup_database(engine: Engine, out: Path | None = None, *, reason: str = "manual") -> Path:
    """A consistent copy of the database, safe to take while riskdesk is in use.

    SQLite uses the online backup API (readers and writers may carry on); PostgreSQL uses
    ``pg_dump`` in custom format (restore with ``riskdesk restore``). Written under a temporary
    name and renamed when complete: see riskdesk.backups.
    """
    from riskdesk.backups import pg_dump_backup, sqlite_backup

    url = engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise DatabaseError("An in-memory database cannot be backed up.")
        return sqlite_backup(url.database, paths.backup_dir(), out=out, reason=reason)
    return pg_dump_backup(url, paths.backup_dir(), out=out, reason=reason)
