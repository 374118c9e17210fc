"""A council with departments, complaint services and a complaints team."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from riskdesk.domain.register import Actor
from riskdesk.services import Services

DEPARTMENTS = (("A&C", "Adults and Communities"), ("CEX", "Chief Executives"), ("CFS", "Children and Family Services"),
               ("CR", "Corporate Resources"), ("E&T", "Environment and Transport"), ("PH", "Public Health"))


@dataclass
class Team:
    services: Services
    admin: Actor
    team: Actor
    link: Actor
    owner: Actor
    auditor: Actor


@pytest.fixture
def team(services: Services, admin: Actor) -> Team:
    for code, name in DEPARTMENTS:
        services.registers.add_department(admin, code, name)
    for login, role in (("cteam", "complaints_team"), ("link", "complaints_read"), ("owner", "risk_owner"),
                        ("audit", "auditor")):
        services.registers.add_user(admin, login, login.title(), role)  # people list only: no server login needed
    t = Team(services, admin, Actor("cteam", "Complaints Team"), Actor("link", "Link Officer"),
             Actor("owner", "Risk Owner"), Actor("audit", "Internal Audit"))
    c = services.complaints
    c.add_service(t.team, "SENA", department="CFS", aliases=("SENA Services", "SEN Assessment"),
                  service_group="Education & SEND")
    c.add_service(t.team, "Waste Management", department="E&T")
    c.add_service(t.team, "Highway Repair and Maintenance", department="E&T", aliases=("Highway Maintenance",))
    return t


@pytest.fixture(scope="module")
def lcc(_template: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Services over one database holding FX-LCC, shared by a module's read-only tests (loading
    seven thousand contacts per test would dominate the run); marked ``db`` like ``db``."""
    import shutil
    import uuid

    from riskdesk.db import Database, make_engine

    pg_url = os.environ.get("RISKDESK_TEST_DATABASE_URL", "")

    def _pg_admin_url(dbname: str) -> str:  # as tests/conftest.py does
        from sqlalchemy.engine import make_url

        raw = pg_url if "+" in pg_url.split("://")[0] else pg_url.replace("postgresql://", "postgresql+psycopg://")
        return make_url(raw).set(database=dbname).render_as_string(hide_password=False)

    if pg_url:
        from sqlalchemy import text

        name = f"riskdesk_lcc_{uuid.uuid4().hex[:10]}"
        admin_engine = make_engine(_pg_admin_url("postgres"))
        with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {_template}"))
        url = _pg_admin_url(name)
    else:
        path = tmp_path_factory.mktemp("lcc") / "lcc.sqlite"
        shutil.copyfile(_template, path)
        url = f"sqlite:///{path}"
    db = Database.open(url, backup=False)
    services = Services(db)
    actor = Actor("tester", "Test Administrator")
    services.casework_fixture().load(actor)
    yield services, actor, url
    db.dispose()
    if pg_url:
        with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin_engine.dispose()
