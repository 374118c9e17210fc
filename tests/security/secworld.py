"""A small council for the security tests: a register with one risk owned by the risk owner and
one not theirs, an SI, clinical records, a draft report cycle, and one person per role.

On SQLite each person is an ``Actor`` (their OS login) the administrator has given a role. On
PostgreSQL (``RISKDESK_TEST_DATABASE_URL``) the database is set up with ``server init``, each
person is a real login (created here, dropped at the end) and connects on their own engine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url

from riskdesk.db import Database, make_engine, server_init
from riskdesk.domain.clinical import AuditDraft, PgdDraft, VisitDraft
from riskdesk.domain.incidents import Framework, IncidentDraft
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import ActionChange, RiskChange
from riskdesk.services import Services

FIXTURES = Path(__file__).parent.parent / "fixtures"
PG_URL = os.environ.get("RISKDESK_TEST_DATABASE_URL", "")
SI_TEXT = "Death of a service user at the Oakfield hostel after a missed naloxone check"

#: One login per role under test; on PostgreSQL these are created for the session.
LOGINS = {"none": "rdt_newcomer", "risk_owner": "rdt_owner", "auditor": "rdt_audit",
          "public_health": "rdt_ph", "risk_team": "rdt_team", "admin": "rdt_boss"}

PASSWORDS = {login: f"{login}-{uuid.uuid4().hex[:10]}" for login in LOGINS.values()}


@dataclass
class World:
    admin: Services
    admin_actor: Actor
    corporate_id: int
    departmental_id: int
    own_risk: int  # owned by the risk owner
    other_risk: int  # owned by nobody under test
    removed_risk: int
    other_action: int
    category_id: int
    department_id: int
    provider_id: int
    service_id: int
    si_id: int
    audit_id: int
    visit_id: int
    pgd_id: int
    summary_id: int
    cycle_id: int
    period: Quarter
    url: str
    pg: bool
    people: dict[str, tuple[Services, Actor]] = field(default_factory=dict)
    engines: list[Engine] = field(default_factory=list)

    def as_role(self, role: str) -> tuple[Services, Actor]:
        return self.people[role]


def _login_url(url: str, login: str) -> str:
    """The URL a person would use: their login and no password (``URL.set`` keeps a password it is
    given None for, so the URL is built afresh)."""
    u = make_url(url)
    return URL.create(u.drivername, username=login, host=u.host, port=u.port,
                      database=u.database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_logins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The test logins on the PostgreSQL server (no-op on SQLite), each with its own password,
    kept in a .pgpass file (PGPASSFILE) so that their URLs carry none; dropped at the end."""
    if not PG_URL:
        yield
        return
    url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1) if "+" not in PG_URL.split("://")[0] else PG_URL
    engine = make_engine(url)
    pgpass = tmp_path_factory.mktemp("pgpass") / "pgpass"
    lines = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for login in LOGINS.values():
            password = PASSWORDS[login]
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            conn.execute(text(f"CREATE ROLE \"{login}\" LOGIN PASSWORD '{password}'"))
            lines.append(f"*:*:*:{login}:{password}")
    pgpass.write_text("\n".join(lines) + "\n")
    pgpass.chmod(0o600)  # libpq ignores a .pgpass others can read
    before = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pgpass)
    yield
    if before is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = before
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for login in LOGINS.values():
            try:
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            except Exception as exc:  # a test database still open elsewhere: say so, carry on
                print(f"could not drop {login}: {exc}")
    engine.dispose()


@pytest.fixture
def world(db_url: str, pg_logins: None, tmp_path: Path) -> Iterator[World]:
    pg = not db_url.startswith("sqlite")
    db = Database.open(db_url, backup=False)
    admin_actor = Actor("tester", "Test Administrator")
    svc = Services(db)
    svc.published.load(admin_actor, FIXTURES / "crr-2023-11.json")
    corporate = svc.registers.corporate_register(admin_actor)
    assert corporate is not None
    dept_reg = svc.registers.create_register(admin_actor, "Public Health register", "departmental")
    period = svc.registers.current_period(admin_actor)
    risks = svc.risks.list_risks(admin_actor, corporate.id)
    own, other, gone = risks[0], risks[1], risks[2]
    removed = svc.risks.remove_risk(admin_actor, gone.id, "Merged into another risk", expected_version=gone.version)
    other_action = svc.risks.add_action(admin_actor, other.id, ActionChange("Review the contract"))
    category = svc.registers.list_categories(admin_actor, corporate.id)[0]
    department = svc.registers.list_departments(admin_actor)[0]
    provider = svc.providers.add_provider(admin_actor, "Turning Point", "TP")
    service = svc.providers.add_service(admin_actor, provider.id, "Substance misuse service", "Substance misuse")
    si = svc.incidents.save(admin_actor, IncidentDraft(
        provider_id=provider.id, service_id=service.id, identified_on=date(2023, 3, 1),
        reported_on=date(2023, 3, 2), description=SI_TEXT, framework=Framework.SIF_2015,
        category="Drug-related death"))
    audit = svc.clinical.add_audit(admin_actor, AuditDraft(service.id, Quarter.parse("22/23 Q4"), "Naloxone audit"))
    visit = svc.clinical.add_visit(admin_actor, VisitDraft(service.id, date(2023, 5, 10)))
    pgd = svc.clinical.add_pgd(admin_actor, PgdDraft(service.id, "Naloxone PGD", expiry=date(2027, 1, 1)))
    summary = svc.clinical.create_summary(admin_actor, date(2023, 4, 1), date(2024, 3, 31), lines=[])
    cycle = svc.cycles.create(admin_actor, date(2024, 2, 1), register_id=corporate.id)

    if pg:
        server_init(db.engine, backup=False)
    people: dict[str, tuple[Services, Actor]] = {}
    engines: list[Engine] = []
    for role, login in LOGINS.items():
        if role != "none":
            svc.users.add(admin_actor, login, role, display_name=f"Test {role}")
        if pg:
            person_db = Database.open(_login_url(db_url, login), backup=False)
            engines.append(person_db.engine)
            people[role] = (Services(person_db), Actor(login))
        else:
            people[role] = (svc, Actor(login))
    owner_row = next(u for u in svc.users.list(admin_actor) if u.login == LOGINS["risk_owner"])
    svc.risks.amend_risk(admin_actor, own.id, RiskChange(owner_id=owner_row.id), expected_version=own.version)
    w = World(svc, admin_actor, corporate.id, dept_reg.id, own.id, other.id, removed.id, other_action.id,
              category.id, department.id, provider.id, service.id, si.id, audit.id, visit.id, pgd.id, summary.id,
              cycle.id, period, db_url, pg, people, engines)
    yield w
    for engine in engines:
        engine.dispose()
    db.dispose()


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"
