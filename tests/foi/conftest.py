"""FOI tests share the FX-LCC builder (fx_lcc.py), and people with FOI roles.

On PostgreSQL (``RISKDESK_TEST_DATABASE_URL``) the test database is set up with ``server init`` and
each person is a real login with a password, so the row-level-security test can connect as them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from riskdesk.db import Database, server_init
from riskdesk.domain.register import Actor
from riskdesk.services import Services

#: Logins of the FOI tests (created on the PostgreSQL server, dropped afterwards).
PEOPLE = {"information_governance": "ig.officer", "foi_read": "cfs.link", "auditor": "auditor",
          "risk_owner": "owner"}
PASSWORD = f"foi-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def fx_lcc(services: Services, admin: Actor):
    from tests.foi.fx_lcc import build

    return build(services, admin)


@pytest.fixture
def people(services: Services, admin: Actor, db: Database) -> Iterator[Callable[[str], Services]]:
    """Gives each FOI role its person; returns a function opening Services as that person's own
    login (PostgreSQL) or the same services (SQLite, where the actor is the person)."""
    services.users.list(admin)  # the first user becomes the administrator
    pg = not db.is_sqlite
    if pg:
        server_init(db.engine, backup=False)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for login in PEOPLE.values():
                if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}):
                    conn.execute(text(f"CREATE ROLE \"{login}\" LOGIN PASSWORD '{PASSWORD}'"))
                else:
                    conn.execute(text(f"ALTER ROLE \"{login}\" LOGIN PASSWORD '{PASSWORD}'"))
    for role, login in PEOPLE.items():
        services.users.add(admin, login, role, display_name=login)
    opened: list[Database] = []

    def as_person(login: str) -> Services:
        if not pg:
            return services
        u = make_url(str(db.engine.url.render_as_string(hide_password=False)))
        url = URL.create(u.drivername, username=login, password=PASSWORD, host=u.host, port=u.port,
                         database=u.database).render_as_string(hide_password=False)
        person = Database.open(url, backup=False)
        opened.append(person)
        return Services(person)

    yield as_person
    for d in opened:
        d.dispose()
