"""On a shared PostgreSQL database the server itself keeps complaints to the complaints roles and
the complainant's personal data to the complaints team: each person connects with their own login
and tries raw SQL, as they could with psql."""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from riskdesk.db import Database, make_engine, server_init
from riskdesk.domain.complaints import ComplainantData, ComplaintDraft, Procedure
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.register import Actor
from riskdesk.services import Services

PG_URL = os.environ.get("RISKDESK_TEST_DATABASE_URL", "")
LOGINS = {"complaints_team": "rdc_team", "complaints_read": "rdc_link", "auditor": "rdc_audit",
          "risk_owner": "rdc_owner"}

pytestmark = [pytest.mark.db, pytest.mark.skipif(not PG_URL, reason="PostgreSQL privileges and row-level security")]


def _raw(conn, sql: str) -> str:  # type: ignore[no-untyped-def]
    try:
        with conn.begin_nested():
            rows = conn.execute(text(sql)).all()
        return f"{len(rows)} rows"
    except Exception:  # permission denied is what we hope for
        return "refused"


@pytest.fixture
def people(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    admin_url = PG_URL if "+" in PG_URL.split("://")[0] else PG_URL.replace("postgresql://", "postgresql+psycopg://")
    engine = make_engine(admin_url)
    passwords = {login: f"{login}-{uuid.uuid4().hex[:10]}" for login in LOGINS.values()}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for login, pw in passwords.items():
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            conn.execute(text(f"CREATE ROLE \"{login}\" LOGIN PASSWORD '{pw}'"))
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("".join(f"*:*:*:{login}:{pw}\n" for login, pw in passwords.items()))
    pgpass.chmod(0o600)
    before = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pgpass)
    db = Database.open(db_url, backup=False)
    admin = Actor("tester", "Test Administrator")
    svc = Services(db)
    svc.registers.add_department(admin, "CFS", "Children and Family Services")
    svc.complaints.add_service(admin, "SENA", department="CFS")
    c = svc.complaints.log_complaint(admin, ComplaintDraft(Procedure.CORPORATE, date(2024, 4, 2), service="SENA",
                                                           summary="EHCP late", handler="Ann Smith"))
    svc.complaints.set_complainant(admin, c.row.id, ComplainantData(name="Jane Doe", phone="0116 496 0000"))
    server_init(db.engine, backup=False)
    out = {}
    engines = []
    for role, login in LOGINS.items():
        svc.users.add(admin, login, role)
        u = make_url(db_url)
        person = Database.open(URL.create(u.drivername, username=login, host=u.host, port=u.port,
                                          database=u.database).render_as_string(hide_password=False), backup=False)
        engines.append(person)
        out[role] = (Services(person), Actor(login), c.row.id)
    yield out
    for person in engines:
        person.dispose()
    db.dispose()
    if before is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = before
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for login in LOGINS.values():
            try:
                conn.execute(text(f'DROP OWNED BY "{login}"'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            except Exception as exc:  # a database still open elsewhere: say so, carry on
                print(f"could not drop {login}: {exc}")
    engine.dispose()


def test_the_server_keeps_complaints_and_personal_data_to_their_roles(people) -> None:  # type: ignore[no-untyped-def]
    expected = {
        # role: (complaint, complainant, complaint audit entries visible)
        "complaints_team": (True, True, True),
        "complaints_read": (True, False, True),
        "auditor": (True, False, True),
        "risk_owner": (False, False, False),
    }
    wrong = []
    for role, (read_case, read_person, read_trail) in expected.items():
        services, _actor, _cid = people[role]
        with services.db.engine.connect() as conn:
            case = _raw(conn, "SELECT * FROM complaint") != "refused"
            person = _raw(conn, "SELECT * FROM complainant") != "refused"
            trail = conn.execute(text("SELECT count(*) FROM audit_entry WHERE entity IN ('complaint', "
                                      "'complainant')")).scalar_one() > 0
        if (case, person, trail) != (read_case, read_person, read_trail):
            wrong.append((role, (case, person, trail)))
    print(f"roles whose database access differs from their riskdesk role: {len(wrong)} {wrong}")
    assert wrong == []


def test_personal_data_through_the_services_on_the_server(people) -> None:  # type: ignore[no-untyped-def]
    team, team_actor, cid = people["complaints_team"]
    assert team.complaints.complainant(team_actor, cid).name == "Jane Doe"
    link, link_actor, _ = people["complaints_read"]
    assert link.complaints.get(link_actor, cid).row.summary == "EHCP late"
    with pytest.raises(PermissionDenied):
        link.complaints.complainant(link_actor, cid)
    with link.db.engine.connect() as conn:
        assert _raw(conn, "UPDATE complaint SET summary = 'changed'") == "refused"
