"""Ombudsman tests: the FX-LCC records and people with the complaints roles."""

from __future__ import annotations

import pytest

from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.services.ombudsman_fixture import load_fx_lcc


@pytest.fixture
def team(services: Services, admin: Actor) -> Actor:
    """A member of the complaints and information team (the administrator made them)."""
    services.registers.add_user(admin, "cat", "Cat Complaints", role="complaints_team")
    return Actor("cat", "Cat Complaints")


@pytest.fixture
def fx_lcc(services: Services, team: Actor) -> Services:
    """Services over a database holding the FX-LCC Ombudsman records (SPEC H.0)."""
    assert load_fx_lcc(services.ctx, team) == 213
    return services
