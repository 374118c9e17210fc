"""PostgreSQL itself enforces who may read and write Ombudsman casework (SPEC D.10-D.11): each person
connects with their own login; raw SQL outside their role is refused, and audit entries about Ombudsman
cases are hidden from roles that may not view complaints. (SQLite: one person's file, nothing to test.)"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from riskdesk.db import Database, make_engine, server_init
from riskdesk.domain.ombudsman import CaseDraft
from riskdesk.domain.register import Actor
from riskdesk.services import Services

#: PostgreSQL only: CI runs these again on its server (the "db" mark; the people fixture skips SQLite).
pytestmark = pytest.mark.db

LOGINS = {"complaints_team": "rdt_omb_team", "complaints_read": "rdt_omb_link", "risk_owner": "rdt_omb_owner"}
SUMMARY = "Ombudsman enquiry about a missed EHCP annual review"


def _as(url: str, login: str) -> str:
    u = make_url(url)
    return URL.create(u.drivername, username=login, host=u.host, port=u.port,
                      database=u.database).render_as_string(hide_password=False)


@pytest.fixture
def people(db_url: str, admin: Actor, tmp_path: Path) -> Iterator[dict[str, Database]]:
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL privileges and row-level security")
    db = Database.open(db_url, backup=False)
    svc = Services(db)
    svc.ombudsman.create_case(admin, CaseDraft("23 777 001", "CFS", date(2023, 6, 1), date(2023, 6, 29),
                                               summary=SUMMARY))
    server_init(db.engine, backup=False)
    passwords = {login: uuid.uuid4().hex for login in LOGINS.values()}
    admin_engine = make_engine(db_url)
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for login, pw in passwords.items():
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            conn.execute(text(f"CREATE ROLE \"{login}\" LOGIN PASSWORD '{pw}'"))
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("".join(f"*:*:*:{lg}:{pw}\n" for lg, pw in passwords.items()))
    pgpass.chmod(0o600)
    before = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pgpass)
    for role, login in LOGINS.items():
        svc.users.add(admin, login, role, display_name=f"Test {role}")
    dbs = {role: Database.open(_as(db_url, login), backup=False) for role, login in LOGINS.items()}
    yield dbs
    for d in dbs.values():
        d.dispose()
    db.dispose()
    if before is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = before
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for login in LOGINS.values():
            try:
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            except Exception as exc:  # a database still open elsewhere: say so, carry on
                print(f"could not drop {login}: {exc}")
    admin_engine.dispose()


def _try(db: Database, sql: str) -> str:
    with db.engine.connect() as conn:
        tx = conn.begin()
        try:
            n = conn.execute(text(sql)).rowcount
        except DBAPIError as exc:
            tx.rollback()
            return "refused" if getattr(exc.orig, "sqlstate", "") == "42501" else f"error: {exc.orig}"
        tx.rollback()
        return "refused" if sql.startswith("UPDATE") and n == 0 else "succeeded"


def test_database_enforces_the_complaints_roles(people: dict[str, Database]) -> None:
    read = "SELECT * FROM ombudsman_case"
    write = "UPDATE ombudsman_case SET summary = 'changed'"
    outcome = {role: (_try(db, read), _try(db, write)) for role, db in people.items()}
    print("\n(read, write) of ombudsman_case by role:", outcome)
    assert outcome == {"complaints_team": ("succeeded", "succeeded"),
                       "complaints_read": ("succeeded", "refused"),
                       "risk_owner": ("refused", "refused")}
    # The service agrees: the link officer lists the case; the audit trail's entry about it is hidden
    # from the risk owner (it quotes the case) and readable by the link officer.
    link = Services(people["complaints_read"])
    assert [r.reference for r in link.ombudsman.list_cases(Actor(LOGINS["complaints_read"]))] == ["23 777 001"]
    seen = {}
    for role in ("complaints_read", "risk_owner"):
        with people[role].engine.connect() as conn:
            seen[role] = conn.execute(text("SELECT count(*) FROM audit_entry WHERE entity = 'ombudsman_case'")
                                      ).scalar()
    print("audit entries about Ombudsman cases readable:", seen)
    assert seen["complaints_read"] >= 1 and seen["risk_owner"] == 0
