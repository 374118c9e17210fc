"""Engine, sessions, migrations and backups.

SQLite is the embedded default (one file in the user data folder); PostgreSQL is the shared
multi-user option (``RISKDESK_DATABASE_URL`` or ``--database``).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Row
    from sqlalchemy.orm import Session, sessionmaker
    from sqlalchemy.sql import Executable

from riskdesk import paths
from riskdesk.domain.errors import RiskdeskError
from riskdesk.paths import database_url as database_url  # where it lives: light, for the window's first look

#: The newest migration. Checked against the database on start, so that Alembic (slow to
#: import) is loaded only when there is something to upgrade. A test keeps it equal to
#: Alembic's own head.
SCHEMA_HEAD = "0018_foi_source_reference"


class DatabaseError(RiskdeskError):
    """The database cannot be opened, upgraded or backed up."""


def make_private(path: Path | str) -> None:
    """Readable and writable by the owner only (0600): a register, its incidents and its backups
    are nobody else's business on a shared machine. A no-op where the OS has no such modes, and
    for a file that is already so: a change of mode, even to the same, changes the file's change
    time, by which the window's next start tells whether the file changed (``kept_reads``)."""
    with contextlib.suppress(FileNotFoundError, NotImplementedError, PermissionError):
        if os.stat(path).st_mode & 0o777 != 0o600:
            os.chmod(path, 0o600)


def create_private(path: Path) -> None:
    """Create ``path`` (if missing) as an empty owner-only file, so it is never readable by others
    even for a moment; an existing file is made owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError:
        return
    make_private(path)


def _sqlite_files(database: str) -> list[Path]:
    return [Path(database + suffix) for suffix in ("", "-wal", "-shm", "-journal")]


#: How long a SQLite connection waits for another one's write to finish before giving up (the
#: services then say the database was busy and nothing was saved).
SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with riskdesk's settings: SQLite gets foreign keys, WAL and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            # SQLite gives its -wal and -shm files the main file's mode, so creating that one 0600
            # keeps all three private; older files (from before 0600) are tightened on connect.
            create_private(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        if database and database != ":memory:":

            def _tighten(_dbapi_connection: Any, _record: Any) -> None:
                for path in _sqlite_files(database):
                    if path.exists():
                        make_private(path)

            event.listen(engine, "connect", _tighten)
        return engine
    engine = create_engine(url)
    event.listen(engine, "connect", _without_jit)
    _lazy_transactions(engine)
    return engine


def _without_jit(dbapi_connection: Any, _record: Any) -> None:
    """Turn off PostgreSQL's JIT compilation for this session, once per pooled connection.

    riskdesk's statements are short reads of a few thousand rows, but the register's (with each
    risk's score history) is estimated above ``jit_above_cost``: the server then spent about 22 ms
    compiling it to run for 60 (5,000 risks, measured with EXPLAIN ANALYZE). A ``SET`` on connect
    costs one round trip per connection the pool opens; a startup ``options`` parameter would
    cost none, but connection poolers such as PgBouncer refuse it.
    """
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
    finally:
        dbapi_connection.autocommit = autocommit


#: A pooled PostgreSQL connection idle for longer than this is pinged before use. Pinging every
#: checkout (``pool_pre_ping``) cost one network round trip per transaction; a connection used a
#: moment ago is alive, and one that died mid-use is invalidated by SQLAlchemy anyway.
IDLE_PING_SECONDS = 30.0

# A statement that may run outside a transaction: a plain read. Anything else (a write, DDL, SET,
# a locking read, a function that writes such as the audit trail's seal or redaction) opens the
# transaction first, so every write is still atomic with the rest of its service call.
_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_NOT_PLAIN = re.compile(
    r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY|KEY\s+SHARE)\b|\bINTO\b|audit_seal_now|audit_redact|pg_advisory|"
    r"set_config|nextval|setval|pg_terminate|pg_cancel",
    re.IGNORECASE,
)


def is_plain_read(statement: str) -> bool:
    """Whether ``statement`` only reads, so it may run before the transaction is begun."""
    return bool(_PLAIN_READ.match(statement)) and not _NOT_PLAIN.search(statement)


def _lazy_transactions(engine: Engine) -> None:
    """On PostgreSQL, begin a transaction only at a service call's first write.

    psycopg sends ``BEGIN`` and ``COMMIT`` as round trips of their own: over an office network
    to a shared server that doubled the cost of every read-only call (opening the register, a
    risk, the SI list). Each pooled connection is handed out in autocommit, plain reads run as
    they are (under READ COMMITTED each statement saw its own snapshot anyway), and the first
    statement that is not a plain read switches autocommit off, so psycopg begins the transaction
    there and the service's commit or rollback ends it as before. A call that knows it will write
    may begin it with its first reads instead (``read_together(begin=True)``).

    Statements left for later (``send_later``: the audit trail's entries) go with the next batch
    of reads or with the ``COMMIT``; any other statement sends them first, so the order the
    service wrote in is the order the server sees.
    """
    from psycopg.pq import TransactionStatus

    idle = TransactionStatus.IDLE

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get("checked_in")
        if last is not None and time.monotonic() - last > IDLE_PING_SECONDS:
            try:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                dbapi_connection.rollback()
            except Exception as exc:  # the pool replaces the connection and tries again
                raise DisconnectionError(str(exc)) from exc
        if not dbapi_connection.autocommit:
            dbapi_connection.autocommit = True

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()
        record.info.pop(_LATER, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_at_first_write(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection.autocommit and dbapi_connection.info.transaction_status == idle:
            # A server-side cursor (a streamed read, such as verifying the audit trail) lives in a transaction.
            plain = is_plain_read(statement) and getattr(cursor, "name", None) is None
            if not plain and conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                dbapi_connection.autocommit = False
        later = conn.info.pop(_LATER, None)
        if later:
            _send(conn, [], later=later)

    @event.listens_for(engine, "commit")
    def _commit_with_the_rest(conn: Any) -> None:
        later = conn.info.pop(_LATER, None)
        if later:
            _send(conn, [], later=later, commit=True)

    @event.listens_for(engine, "rollback")
    def _forget(conn: Any) -> None:
        conn.info.pop(_LATER, None)


#: Where a connection keeps the statements ``send_later`` left for its next batch or commit.
_LATER = "riskdesk: sent later"


def send_later(conn: Connection, statement: Executable) -> None:
    """Run ``statement``, a write whose rows nobody reads, in the caller's transaction.

    On PostgreSQL it is not sent alone: it goes to the server with the connection's next batch
    of reads (``read_together``), ahead of them, or with the transaction's ``COMMIT``, whichever
    comes first (any other statement sends it before itself). Over an office network that is a
    round trip saved on every audited write. If it fails, the batch or the commit it went with
    fails, and the whole transaction is rolled back. On SQLite it runs now.
    """
    if conn.dialect.name != "postgresql":
        conn.execute(statement)
        return
    conn.info.setdefault(_LATER, []).append(statement)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def read_together(conn: Connection, statements: Sequence[Executable], *, begin: bool = False,
                  commit: bool = False) -> list[list[Row[Any]]]:
    """The rows of each of ``statements`` (plain reads of columns: Core selects or ``text``, not
    ORM entities), in one round trip to a PostgreSQL server.

    Over an office network each statement sent alone costs a round trip (20 ms or more), and a
    screen such as the risk editor needs a dozen independent reads. On PostgreSQL they go as one
    multi-statement query, bound on the client (psycopg's ``ClientCursor``, with SQLAlchemy's
    own rendering and result types); the server runs them in order and returns a result set for
    each. On SQLite, an in-process file with nothing to save, they run one by one.

    ``begin``: the caller will write, and its transaction begins with these reads (when none has
    begun yet), not with a ``BEGIN`` of its own at the first write. ``commit``: these are the
    caller's last statements, and the transaction is committed with them; nothing may be written
    after them (the session's own commit then has nothing left to send). On SQLite both are left
    to the session.
    """
    if conn.dialect.name != "postgresql":
        return [list(conn.execute(stmt).all()) for stmt in statements]
    if len(statements) < 2 and not (begin or commit or conn.info.get(_LATER)):
        return [list(conn.execute(stmt).all()) for stmt in statements]
    return _send(conn, statements, later=conn.info.pop(_LATER, []), begin=begin, commit=commit)


def _send(conn: Connection, statements: Sequence[Executable], *, later: Sequence[Executable],
          begin: bool = False, commit: bool = False) -> list[list[Row[Any]]]:
    """``later``'s writes, then ``statements``' reads, as one multi-statement query (one round
    trip): ``BEGIN`` before them if asked and no transaction has begun, ``COMMIT`` after them if
    asked and one is open. The rows of each of ``statements``."""
    import psycopg
    from psycopg.pq import TransactionStatus
    from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.sql import Select

    dialect = conn.dialect
    parts: list[str] = []
    params: dict[str, Any] = {}
    processors: list[list[Any]] = []
    for n, stmt in enumerate([*later, *statements]):
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        for name, value in compiled.params.items():
            bind = compiled.binds.get(name)
            process = bind.type.dialect_impl(dialect).bind_processor(dialect) if bind is not None else None
            params[f"s{n}_{name}"] = process(value) if process else value
        parts.append(_PLACEHOLDER.sub(lambda m, n=n: f"%(s{n}_{m.group(1)})s", str(compiled)))
        if n >= len(later):
            columns = stmt.selected_columns if isinstance(stmt, Select) else ()
            processors.append([c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns])
    raw = conn.connection.dbapi_connection
    sql = ";\n".join(parts)
    with psycopg.ClientCursor(raw) as cursor:  # type: ignore[arg-type]
        # Heard by the engine's listeners as one statement, as it is sent (the lazy transaction's
        # check sees a plain read, or begins the transaction for the writes sent later; counters
        # count it).
        conn.dispatch.before_cursor_execute(conn, cursor, sql, params, None, False)
        idle = TransactionStatus.IDLE
        began = begin and raw.autocommit and raw.info.transaction_status == idle
        lead = len(later)
        if began:
            sql, lead = f"BEGIN;\n{sql}", lead + 1
        if commit and (not raw.autocommit or raw.info.transaction_status != idle or began):
            sql += ";\nCOMMIT"
        try:
            cursor.execute(sql, params)
        except psycopg.Error as exc:  # as SQLAlchemy raises it for a statement sent alone
            if began:  # as if the reads had run before the transaction: the connection stays usable
                raw.rollback()
            raise DBAPIError.instance(sql, params, exc, psycopg.Error, dialect=dialect) from exc
        out: list[list[Row[Any]]] = []
        for _ in range(lead):
            cursor.nextset()
        for n in range(len(statements)):
            if n:
                cursor.nextset()
            keys = [d.name for d in cursor.description or ()]
            rows = cursor.fetchall()
            procs = processors[n]
            if any(procs):
                rows = [tuple(p(v) if p else v for p, v in zip(procs, row, strict=True)) for row in rows]
            out.append(list(IteratorResult(SimpleResultMetaData(keys), iter(rows)).all()))
    return out


def insert_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], *,
                as_text: Collection[str] = ()) -> None:
    """Insert ``rows`` into ``table`` in the caller's transaction: dicts of column keys, every
    one with the same keys (an import's risks, their assessments, their audit entries).

    On SQLite they go to the driver's ``executemany`` as they are. SQLAlchemy's own executemany
    works each row's parameters out one by one in Python (the compiled statement's parameters,
    each column's default, each value's type conversion): 7–26 µs a row, 0.65 s of the 2 s an
    import of 10,000 risks took to write. Here the statement is written once, each column's type
    conversion is looked up once, a value repeated from the row before (the transaction's
    timestamp) is converted once, and a column the rows leave out takes its Python-side default
    once: every row of one call gets the same value, as they would within a millisecond anyway.
    What is stored is what SQLAlchemy stores (the same conversions).

    On PostgreSQL the rows go through SQLAlchemy as before (its insertmanyvalues batches them
    into a few statements, which matters more over a network than the Python per row).

    ``as_text``: columns whose values are already in the stored form and are passed as they are
    (the audit trail's ``changes``, serialised once so that what is stored is what was hashed).
    """
    from sqlalchemy import insert

    if not rows:
        return
    keys = list(rows[0])
    wanted = set(keys)
    if any(len(row) != len(keys) or not wanted.issuperset(row) for row in rows):
        # (A value under a key the first row lacks would be dropped without a word, on either path.)
        raise ValueError(f"insert_many(): every row of {table.name} needs exactly the keys {keys}")
    if conn.dialect.name != "sqlite":
        if as_text:
            raise ValueError("insert_many(as_text=…) is for SQLite; bind such columns as text yourself")
        conn.execute(insert(table), list(rows))
        return
    dialect = conn.dialect

    def processor(column: Any) -> Callable[[Any], Any] | None:
        return None if column.key in as_text else column.type.dialect_impl(dialect).bind_processor(dialect)

    columns = [table.c[k] for k in keys]
    fixed_columns, fixed_values = [], []
    for column in table.columns:
        default = column.default
        if column.key in wanted or default is None:
            continue  # given, or the database's own (a NULL, a server default, the next id)
        if getattr(default, "is_scalar", False):
            value = default.arg  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False):
            value = default.arg(None)  # type: ignore[attr-defined]  # SQLAlchemy's wrapper of a no-argument function
        else:  # a SQL expression or a sequence: SQLAlchemy's path knows how
            conn.execute(insert(table), list(rows))
            return
        process = processor(column)
        fixed_columns.append(column)
        fixed_values.append(process(value) if process else value)
    converters = [(i, process) for i, column in enumerate(columns) if (process := processor(column)) is not None]
    fixed = tuple(fixed_values)
    if len(keys) == 1:
        key = keys[0]

        def values_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
            return (row[key],)
    else:
        values_of = itemgetter(*keys)
    if not converters:
        params = [values_of(row) + fixed for row in rows]
    else:
        params = []
        seen: list[Any] = [object()] * len(converters)
        made: list[Any] = [None] * len(converters)
        for row in rows:
            values = list(values_of(row))
            for n, (i, process) in enumerate(converters):
                value = values[i]
                if value is not seen[n]:
                    seen[n], made[n] = value, process(value)
                values[i] = made[n]
            params.append((*values, *fixed))
    prep = dialect.identifier_preparer
    names = ", ".join(prep.format_column(c) for c in (*columns, *fixed_columns))
    marks = ", ".join("?" * (len(columns) + len(fixed_columns)))
    conn.exec_driver_sql(f"INSERT INTO {prep.format_table(table)} ({names}) VALUES ({marks})", params)


def describe(engine: Engine) -> str:
    """The database as a user would name it, without any password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"PostgreSQL {url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


@dataclass(frozen=True)
class ServerIdentity:
    """Who the PostgreSQL server says is connected."""

    login: str  # session_user
    superuser: bool  # the database administrator: outside what the database can refuse


class Database:
    """An engine plus its session factory; services take one of these."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._identity: ServerIdentity | None = None

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory, made on first use: the ORM costs a third of SQLAlchemy's import,
        and a command that reads through Core (``riskdesk info``) never needs it."""
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    def server_identity(self) -> ServerIdentity | None:
        """On PostgreSQL, the login the server authenticated (every pooled connection uses the
        same URL, so it is asked once); None on SQLite."""
        if self.is_sqlite:
            return None
        if self._identity is None:
            with self.engine.connect() as conn:
                login, superuser = conn.execute(text(
                    "SELECT session_user, coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), "
                    "false)")).one()
            self._identity = ServerIdentity(str(login), bool(superuser))
        return self._identity

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True, backup: bool = True,
             progress: Callable[[str], None] | None = None) -> Database:
        """Connect, and upgrade the schema to this riskdesk's (backing up first) unless ``migrate`` is off.

        A shared (PostgreSQL) database is never upgraded silently by whoever opens it first: it
        is refused with a message naming the command its administrator runs (``riskdesk upgrade``).
        ``progress`` hears what a slow open is doing ("Backing up …", "Upgrading …").
        """
        engine = make_engine(database_url(url))
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the driver's own error says why; keep it
            if _damaged_sqlite(engine, exc):
                raise DatabaseError(damaged_database_message(engine, exc)) from exc
            raise DatabaseError(f"Cannot open {describe(engine)}: {_first_line(exc)}") from exc
        if migrate:
            if engine.url.get_backend_name() == "sqlite":
                try:
                    ensure_schema(engine, backup=backup, progress=progress)
                except Exception as exc:
                    if _damaged_sqlite(engine, exc):
                        raise DatabaseError(damaged_database_message(engine, exc)) from exc
                    raise
            else:
                require_current_schema(engine)
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


def require_current_schema(engine: Engine) -> None:
    """Refuse a shared database whose schema is not this riskdesk's, saying what to do."""
    try:
        revision = current_revision(engine)
    except Exception as exc:  # e.g. a login with no riskdesk role may not read the stamp
        raise DatabaseError(
            f"Cannot read {describe(engine)}: {_first_line(exc)}. If you have just been given access, ask your "
            "riskdesk administrator to give your login a role (riskdesk user add LOGIN --role …)."
        ) from exc
    if revision == SCHEMA_HEAD:
        return
    if revision is None:
        raise DatabaseError(
            f"{describe(engine)} has no riskdesk tables yet. Its database administrator sets it up with "
            "`riskdesk --database URL server init` (see the README, Security model)."
        )
    raise DatabaseError(
        f"{describe(engine)} is at schema {revision}; this riskdesk needs {SCHEMA_HEAD}. A shared database is "
        "only upgraded by its administrator: ask them to run `riskdesk --database URL upgrade` "
        "(it takes a backup first)."
    )


def _first_line(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]


def upgrade_shared(engine: Engine, *, backup: bool = True,
                   progress: Callable[[str], None] | None = None) -> Path | None:
    """The administrator's upgrade of a PostgreSQL database: back up, then run the migrations
    as the owner role (SET ROLE), so every table stays the owner's, then re-apply the owner's
    triggers, row-level security and the group roles' privileges."""
    from riskdesk import dbroles

    report = progress or (lambda _message: None)
    backup_file = None
    if backup and _has_tables(engine) and current_revision(engine) != SCHEMA_HEAD:
        report(f"Backing up {describe(engine)} before upgrading it…")
        backup_file = backup_database(engine, reason="before-upgrade")
    report(f"Upgrading {describe(engine)} to this version of riskdesk…")
    try:
        with engine.begin() as conn:
            has_owner = dbroles.role_exists(conn, dbroles.OWNER_ROLE)
            if has_owner:
                conn.execute(text(f"SET LOCAL ROLE {dbroles.OWNER_ROLE}"))
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            from alembic import command

            command.upgrade(cfg, "head")
            dbroles.apply_schema_security(conn)
    except Exception as exc:
        where = f" A backup taken before the upgrade is at {backup_file}." if backup_file else ""
        hint = ""
        if "permission denied" in str(exc) or "must be owner" in str(exc) or "must be member" in str(exc):
            hint = (f" Only the database administrator (a member of {dbroles.OWNER_ROLE}, or a PostgreSQL "
                    "superuser) can upgrade a shared database.")
        raise DatabaseError(f"Upgrading {describe(engine)} failed: {_first_line(exc)}.{hint}{where}") from exc
    return backup_file


def server_init(engine: Engine, *, admins: tuple[str, ...] = (), backup: bool = True,
                progress: Callable[[str], None] | None = None) -> list[str]:
    """Set a PostgreSQL database up for riskdesk, run by a database administrator (CREATEROLE and
    owner of the database, or a superuser): the owner role, one group role per riskdesk role,
    the tables given to the owner, the schema upgraded as the owner, privileges and row-level
    security. Safe to run again. Returns what it did, as sentences."""
    from riskdesk import dbroles

    report = progress or (lambda _message: None)
    if engine.url.get_backend_name() == "sqlite":
        raise DatabaseError("server init is for a shared PostgreSQL database; a SQLite file needs no set-up.")
    done: list[str] = []
    try:
        with engine.begin() as conn:
            made = dbroles.create_roles(conn)
            if made:
                done.append("Created the roles " + ", ".join(made) + ".")
            me, superuser = conn.execute(text(
                "SELECT session_user, (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)")).one()
            if not superuser:
                # The administrator who runs upgrades must be able to SET ROLE to the owner.
                conn.execute(text(f'GRANT {dbroles.OWNER_ROLE} TO "{me}"'))
            conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA public TO {dbroles.OWNER_ROLE}"))
            conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
            dbroles.take_ownership(conn)
    except Exception as exc:
        raise DatabaseError(
            f"Setting up {describe(engine)} failed: {_first_line(exc)}. server init must be run by a PostgreSQL "
            "administrator who may create roles and owns the database (or a superuser)."
        ) from exc
    report("Roles ready; upgrading the schema as the owner role…")
    upgrade_shared(engine, backup=backup, progress=progress)
    done.append(f"Schema at {SCHEMA_HEAD}, owned by {dbroles.OWNER_ROLE}; privileges and row-level security applied.")
    with engine.begin() as conn:
        for login in admins:
            if not dbroles.role_exists(conn, login):
                raise DatabaseError(f"There is no PostgreSQL login {login!r}: create it first (CREATE ROLE … LOGIN).")
            conn.execute(text(f'GRANT riskdesk_admin TO "{login.replace(chr(34), "")}"'))
            done.append(f"{login} is a riskdesk administrator.")
    return done


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


def _damaged_sqlite(engine: Engine, exc: BaseException) -> bool:
    """Whether ``exc`` says a SQLite file is damaged or not a database at all (not locked, not missing)."""
    import sqlite3

    if engine.url.get_backend_name() != "sqlite":
        return False
    while exc is not None:
        orig = getattr(exc, "orig", None) or exc.__cause__
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return True
        if orig is None or orig is exc:
            return False
        exc = orig
    return False


def damaged_database_message(engine: Engine, exc: BaseException) -> str:
    """What happened to a damaged SQLite file and how to put the latest backup back, for a person."""
    folder = paths.backup_dir()
    backups = sorted(folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    said = _first_line(exc)
    head = (f"riskdesk cannot read its database, {engine.url.database}: the file is damaged or is not a riskdesk "
            f"database (SQLite says “{said}”). Nothing has been changed.")
    if not backups:
        return (f"{head} There is no backup in {folder}. If you have a copy of the file elsewhere, close riskdesk "
                "and run:  riskdesk restore <that file>  (the damaged file is kept).")
    latest = backups[0]
    from datetime import datetime

    if Path(str(engine.url.database)).resolve() != paths.default_database_path().resolve():
        latest_arg = f"--database \"{engine.url.database}\" restore \"{latest}\""
    else:
        latest_arg = f"restore \"{latest}\""

    taken = datetime.fromtimestamp(latest.stat().st_mtime).strftime("%d %B %Y at %H:%M")
    return (f"{head} The latest backup is {latest} (taken {taken}). To put it back, close riskdesk and run:  "
            f"riskdesk {latest_arg}  (the damaged file is kept beside it).")
