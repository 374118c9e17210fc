"""A council with departments, complaint services and a complaints team."""

from __future__ import annotations

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
        services.users.add(admin, login, role, display_name=login.title())
    t = Team(services, admin, Actor("cteam", "Complaints Team"), Actor("link", "Link Officer"),
             Actor("owner", "Risk Owner"), Actor("audit", "Internal Audit"))
    c = services.complaints
    c.add_service(t.team, "SENA", department="CFS", aliases=("SENA Services", "SEN Assessment"),
                  service_group="Education & SEND")
    c.add_service(t.team, "Waste Management", department="E&T")
    c.add_service(t.team, "Highway Repair and Maintenance", department="E&T", aliases=("Highway Maintenance",))
    return t
