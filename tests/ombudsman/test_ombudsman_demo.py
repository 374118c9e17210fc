"""The demo council gets a year of fictional Ombudsman casework on first run."""

from __future__ import annotations

from datetime import date

from riskdesk.domain.register import Actor
from riskdesk.services import Services


def test_demo_loads_a_year_of_ombudsman_cases(services: Services, admin: Actor) -> None:
    today = date(2026, 12, 1)
    services.demo().load(admin, today=today)
    rows = services.ombudsman.list_cases(admin, today=today)
    assert len(rows) == 30
    assert all(today.replace(year=today.year - 1) <= r.first_enquiry_on <= today for r in rows)
    assert sum(1 for r in rows if r.decision is not None) >= 10
    due = services.ombudsman.due(admin, 30, today=today)
    assert due, "the daily list has something to show"
    data = services.ombudsman.report_data(admin, 2026, today=today)
    assert data.enquiries_total[0] > 0
