"""Test set-up: offscreen Qt, temporary folders, and a fresh database per test.

The same tests run on SQLite (default) and on PostgreSQL when ``RISKDESK_TEST_DATABASE_URL``
names a server (``postgresql://postgres@127.0.0.1:5433/postgres``): each test then gets its
own database, cloned from a migrated template. Every test that uses a database is marked
``db`` so CI can run those again on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Before anything imports Qt or reads these.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_TMP = Path(tempfile.mkdtemp(prefix="riskdesk-tests-"))
os.environ["RISKDESK_CONFIG_DIR"] = str(_TMP / "config")
os.environ["RISKDESK_DATA_DIR"] = str(_TMP / "data")
os.environ["RISKDESK_CACHE_DIR"] = str(_TMP / "cache")
os.environ["RISKDESK_NO_DEMO"] = "1"
os.environ.pop("RISKDESK_DATABASE_URL", None)

import pytest  # noqa: E402

from riskdesk.db import Database, make_engine, run_migrations  # noqa: E402
from riskdesk.domain.register import Actor  # noqa: E402
from riskdesk.services import Services  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"

#: Why a test that reads a PDF back is skipped on a machine without poppler (``.ci/run`` installs it).
NO_PDFTOTEXT = "pdftotext not installed (Debian package poppler-utils; .ci/run installs it)"


#: The same skip as a mark, for a test that needs ``pdftotext`` throughout.
requires_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason=NO_PDFTOTEXT)


def needs_pdftotext() -> None:
    """Skip the calling test, saying why, where poppler's ``pdftotext`` is not installed, instead of
    failing it with FileNotFoundError."""
    if shutil.which("pdftotext") is None:
        pytest.skip(NO_PDFTOTEXT)


PG_URL = os.environ.get("RISKDESK_TEST_DATABASE_URL", "")
TEMPLATE_DB = "riskdesk_test_template"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def pytest_report_header(config: pytest.Config) -> str:
    return f"riskdesk test database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary files)'}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_TMP, ignore_errors=True)


def _pg_admin_url(dbname: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL if "+" in PG_URL.split("://")[0] else PG_URL.replace("postgresql://", "postgresql+psycopg://"))
    return url.set(database=dbname).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _template() -> Iterator[str]:
    """A migrated, empty database to clone for each test."""
    if PG_URL:
        from sqlalchemy import text

        admin = make_engine(_pg_admin_url("postgres"))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}"))
            conn.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
        engine = make_engine(_pg_admin_url(TEMPLATE_DB))
        run_migrations(engine)
        engine.dispose()
        yield TEMPLATE_DB
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}"))
        admin.dispose()
    else:
        path = _TMP / "template.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        run_migrations(engine)
        engine.dispose()
        yield str(path)


@contextmanager
def _pg_database(template: str | None = None) -> Iterator[str]:
    """A new database on the test server (a copy of ``template``, else empty), dropped afterwards."""
    from sqlalchemy import text

    name = f"riskdesk_t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(_pg_admin_url("postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")))
    try:
        yield _pg_admin_url(name)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def db_url(_template: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated database for one test."""
    if PG_URL:
        with _pg_database(_template) as url:
            yield url
    else:
        path = tmp_path / "riskdesk.sqlite"
        shutil.copyfile(_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def empty_db_url(tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no schema at all), for a test that migrates it step by step."""
    if PG_URL:
        with _pg_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database.open(db_url, backup=False)
    yield database
    _finish_background_work()
    database.dispose()


def _finish_background_work() -> None:
    """Work a test left on a worker thread finishes against its database, before that database is
    dropped (on PostgreSQL a dropped database fails the work, and its error would reach a window
    being torn down); its result is delivered while the test's widgets still exist."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QThreadPool

    QThreadPool.globalInstance().waitForDone(30000)
    if QCoreApplication.instance() is not None:
        QCoreApplication.processEvents()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db)


@pytest.fixture
def admin() -> Actor:
    """The first user of a fresh database, who becomes its administrator."""
    return Actor("tester", "Test Administrator")


@pytest.fixture
def published(services: Services, admin: Actor) -> Services:
    """Services over a database holding the published Leicestershire register (Nov 2023)."""
    services.published.load(admin, FIXTURES / "crr-2023-11.json")
    return services


@pytest.fixture
def corporate_id(published: Services, admin: Actor) -> int:
    reg = published.registers.corporate_register(admin)
    assert reg is not None
    return reg.id


@pytest.fixture(autouse=True)
def _scripted_as_the_database_administrator(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL the tests connect as the server's superuser (the database administrator, whom
    the services already believe when it names the person it acts for). Tests that script the CLI
    with ``--as`` for set-up keep doing so there; what a real login may do with ``--as`` (refused)
    is tested in tests/security without this."""
    if not PG_URL or "tests/security/" in request.node.nodeid.replace("\\", "/"):
        return
    import riskdesk.cli as cli

    monkeypatch.setattr(cli, "refuse_acting_as", lambda db, login: None)
