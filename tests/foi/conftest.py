"""FOI tests share the FX-LCC builder (fx_lcc.py) and the published Part 3 text."""

from __future__ import annotations

import pytest

from riskdesk.domain.register import Actor
from riskdesk.services import Services


@pytest.fixture
def fx_lcc(services: Services, admin: Actor):
    from tests.foi.fx_lcc import build

    return build(services, admin)
