"""What the Incidents page reads as it opens (the SIs, the providers, the month's review) in one
read: the same answers, and the same refusals, as the three calls it replaces; on a shared server
one statement (one round trip) where they took eleven."""

from datetime import date

import pytest
from si_world import draft, make_world
from sql_count import statements_sent

from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.incidents import ActionDraft
from riskdesk.domain.register import Actor

pytestmark = pytest.mark.db

TODAY = date(2023, 6, 15)
JUNE = (2023, 6)


def _three(services, actor):
    rows = services.incidents.list_incidents(actor, today=TODAY)
    providers = services.providers.list_providers(actor, include_inactive=True)
    return rows, providers, services.incidents.monthly_review(actor, JUNE, today=TODAY, rows=rows)


@pytest.fixture
def logged(services, admin):
    """Three SIs: one with an action due this month, one extended, one older; a provider retired."""
    world = make_world(services, admin)
    si = services.incidents
    a = si.save(admin, draft(world, date(2023, 6, 1), steis_reported_on=date(2023, 6, 2)), today=TODAY)
    b = si.save(admin, draft(world, date(2023, 5, 2), provider="mpft"), today=TODAY)
    si.add_action(admin, b.id, ActionDraft(None, "Audit PGDs", "Lead nurse", date(2023, 6, 30)),
                  expected_version=b.version, today=TODAY)
    si.extend(admin, a.id, date(2023, 8, 31), "Awaiting the coroner", expected_version=a.version, today=TODAY)
    si.save(admin, draft(world, date(2022, 11, 7), provider="lpt"), today=TODAY)
    services.providers.add_service(admin, world.tp, "Young people's service", "Substance misuse")
    lpt = services.providers.get(admin, world.lpt)
    services.providers.update_provider(admin, lpt.id, expected_version=lpt.version, active=False)
    return world


def test_the_opening_read_answers_as_the_three_calls(services, admin, logged):
    with statements_sent(services.db.engine) as statements:
        opened = services.incidents.open_list(admin, JUNE, today=TODAY)
    rows, providers, review = _three(services, admin)
    assert opened.rows == rows and opened.providers == providers and opened.review == review
    # What the three calls show is there: all three SIs, the extended clock, the retired provider
    # and the new service among the others, the action due in June.
    assert len(rows) == 3 and sum(c.extended for r in rows for c in r.clocks) == 1
    assert [p.short_name for p in providers] == ["LPT", "MPFT", "TP"] and not providers[0].active
    assert [s.name for s in providers[2].services] == ["Integrated substance misuse service",
                                                       "Young people's service"]
    assert [x.description for x in review.actions_due] == ["Audit PGDs"] and len(review.open) == 3
    print(f"statements for the Incidents page's opening read: {len(statements)}")
    # On a server, one batch (one round trip; the three calls sent eleven, one by one). SQLite
    # runs the user check and the five reads in turn.
    assert len(statements) == (6 if services.db.is_sqlite else 1)


def test_the_providers_list_is_one_read_whatever_the_number_of_providers(services, admin, logged):
    with statements_sent(services.db.engine) as statements:
        everyone = services.providers.list_providers(admin, include_inactive=True)
        active = services.providers.list_providers(admin)
    assert [p.short_name for p in everyone] == ["LPT", "MPFT", "TP"]
    assert [p.short_name for p in active] == ["MPFT", "TP"] and active == everyone[1:]
    print(f"statements for two provider lists of three providers: {len(statements)}")
    # Each list: who is asking, the providers, the services; not one more read per provider.
    assert len(statements) == (6 if services.db.is_sqlite else 2)


def test_someone_who_may_not_see_sis_is_refused_as_by_the_three_calls(services, admin, logged):
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    owner = Actor("owner")
    with pytest.raises(PermissionDenied) as three:
        services.incidents.list_incidents(owner, today=TODAY)
    with pytest.raises(PermissionDenied) as one:
        services.incidents.open_list(owner, JUNE, today=TODAY)
    with pytest.raises(PermissionDenied) as providers:
        services.providers.list_providers(owner)
    assert str(one.value) == str(three.value) == str(providers.value)
    assert "Only public health and internal audit can see serious incidents" in str(one.value)
