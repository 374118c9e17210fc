"""The window's start-up reads work for every role on its own connection (PostgreSQL: through the
database's privileges and row-level security), and a login with no role is told why, in a sentence."""

from __future__ import annotations

import pytest
from secworld import World

from riskdesk.domain.errors import PermissionDenied


@pytest.mark.db
@pytest.mark.parametrize("role", ["admin", "risk_team", "risk_owner", "public_health", "auditor"])
def test_the_window_opens_for_every_role(world: World, role: str) -> None:
    from riskdesk.ui.main_window import Startup

    services, actor = world.as_role(role)
    start = Startup.read(services, actor, str(world.corporate_id))
    assert start.me.role == role
    assert start.load is not None and len(start.load.rows) > 20
    assert services.risks.history(actor, world.own_risk) is not None
    assert services.cycles.list(actor)
    if role in ("admin", "public_health", "auditor"):
        assert services.incidents.list_incidents(actor)
        assert services.clinical.list_audits(actor)


@pytest.mark.db
def test_the_window_tells_a_login_with_no_role_whom_to_ask(world: World) -> None:
    from riskdesk.ui.main_window import Startup

    services, actor = world.as_role("none")
    with pytest.raises(PermissionDenied, match=r"has no riskdesk role yet.*Ask a riskdesk administrator"):
        Startup.read(services, actor, "")
