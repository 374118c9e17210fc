"""Shared helpers for the audit-trail tests: a small trail, and SQL run as the table's owner."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import text

from riskdesk.db import Database
from riskdesk.domain.incidents import Framework, IncidentDraft
from riskdesk.domain.register import Actor
from riskdesk.services import Services

NHS = "943 476 5919"  # passes the modulus-11 check


def some_history(services: Services, actor: Actor, n: int = 6) -> None:
    """A handful of ordinary entries (departments added and renamed)."""
    for i in range(n):
        services.registers.add_department(actor, f"D{i}", f"Department {i} – Ŵales “quoted” €")


def log_si(services: Services, actor: Actor, description: str) -> int:
    p = services.providers.add_provider(actor, "Turning Point", "TP")
    svc = services.providers.add_service(actor, p.id, "Integrated substance misuse service")
    day = date(2023, 10, 2)
    detail = services.incidents.save(actor, IncidentDraft(
        provider_id=p.id, service_id=svc.id, identified_on=day, reported_on=day, description=description,
        framework=Framework.SIF_2015, category="Drug-related death"), confirm_no_pid=True)
    return detail.id


def as_owner(db: Database, *statements: str, params: dict | None = None) -> None:
    """Run SQL with the audit table's protections switched off, as its owner could."""
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        for sql in statements:
            conn.execute(text(sql), params or {})
        if not db.is_sqlite:
            conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER USER")


def entry_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() or 0)


@contextmanager
def fresh_database(template: str, folder: Path) -> Iterator[Database]:
    """A new migrated database cloned from the session template (as the ``db`` fixture makes one)."""
    # Not imported from tests/conftest.py: with several conftest modules, "conftest" is ambiguous.
    from sqlalchemy.engine import make_url

    from riskdesk.db import make_engine

    PG_URL = os.environ.get("RISKDESK_TEST_DATABASE_URL", "")

    def _pg_admin_url(dbname: str) -> str:
        url = make_url(PG_URL if "+" in PG_URL.split("://")[0]
                       else PG_URL.replace("postgresql://", "postgresql+psycopg://"))
        return url.set(database=dbname).render_as_string(hide_password=False)

    if PG_URL:
        name = f"riskdesk_t_{uuid.uuid4().hex[:12]}"
        admin = make_engine(_pg_admin_url("postgres"))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
        db = Database.open(_pg_admin_url(name), backup=False)
        try:
            yield db
        finally:
            db.dispose()
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()
    else:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "riskdesk.sqlite"
        shutil.copyfile(template, path)
        db = Database.open(f"sqlite:///{path}", backup=False)
        try:
            yield db
        finally:
            db.dispose()
