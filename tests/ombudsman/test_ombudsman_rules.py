"""Refusals a user would notice (SPEC H.8 AC-R06, B.5, B.7.1): each forbidden write is tried, refused
with a clear reason, and the count of forbidden writes that succeeded is printed and asserted."""

from __future__ import annotations

from datetime import date

import pytest

from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.ombudsman import CaseDraft, Decision, RecommendationKind, parse_money
from riskdesk.domain.permissions import hidden_audit_entities
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def _case(services: Services, team: Actor, ref: str = "23 001 001"):
    return services.ombudsman.create_case(team, CaseDraft(
        reference=ref, department="CFS", first_enquiry_on=date(2023, 6, 1), response_due_on=date(2023, 6, 29),
        service_group="Education & SEND", complaint_ref="CC-2023-0412"))


def _decided(services: Services, team: Actor):
    c = _case(services, team)
    return services.ombudsman.record_decision(team, c.row.id, decision=Decision.UPHELD_FAULT_INJUSTICE,
                                              decided_on=date(2023, 10, 2), expected_version=c.row.version)


def test_a_payment_over_5000_needs_the_chairs_consultation(services: Services, team: Actor) -> None:
    c = _decided(services, team)
    succeeded = 0
    with pytest.raises(ValidationError, match="Chair of the Corporate Governance Committee"):
        services.ombudsman.add_remedy(team, c.row.id, amount_pence=parse_money("£5,001"),
                                      approved_on=date(2023, 10, 20), expected_version=c.row.version)
        succeeded += 1
    with pytest.raises(ValidationError, match="consulted first"):  # consulted after approving is no consultation
        services.ombudsman.add_remedy(team, c.row.id, amount_pence=500_100, approved_on=date(2023, 10, 20),
                                      chair_consulted_on=date(2023, 10, 21), expected_version=c.row.version)
        succeeded += 1
    print("payments over £5,000 approved without the Chair's consultation:", succeeded)
    assert succeeded == 0
    assert services.ombudsman.get(team, c.row.id).remedies == ()  # nothing half-written
    # £5,000.00 exactly needs no consultation; £5,001 with the consultation date is approved.
    after = services.ombudsman.add_remedy(team, c.row.id, amount_pence=500_000, approved_on=date(2023, 10, 20),
                                          expected_version=c.row.version)
    after = services.ombudsman.add_remedy(team, c.row.id, amount_pence=500_100, approved_on=date(2023, 10, 20),
                                          chair_consulted_on=date(2023, 10, 18), expected_version=after.row.version)
    assert [m.amount_pence for m in after.remedies] == [500_000, 500_100]


def test_an_unapproved_large_payment_can_be_approved_only_after_consultation(services: Services,
                                                                                team: Actor) -> None:
    c = _decided(services, team)
    c = services.ombudsman.add_remedy(team, c.row.id, amount_pence=1_397_500, expected_version=c.row.version)
    remedy = c.remedies[0].id
    with pytest.raises(ValidationError, match="over £5,000"):
        services.ombudsman.approve_remedy(team, c.row.id, remedy, approved_on=date(2023, 11, 1),
                                          chair_consulted_on=None, expected_version=c.row.version)
    done = services.ombudsman.approve_remedy(team, c.row.id, remedy, approved_on=date(2023, 11, 1),
                                             chair_consulted_on=date(2023, 10, 30), expected_version=c.row.version)
    assert done.remedies[0].approved_on == date(2023, 11, 1)


def test_a_decision_outside_the_ombudsmans_categories_is_refused(services: Services, team: Actor) -> None:
    c = _case(services, team)
    with pytest.raises(ValidationError) as err:
        services.ombudsman.record_decision(team, c.row.id, decision="partially upheld", decided_on=date(2023, 9, 1),
                                           expected_version=c.row.version)
    assert "is not one of the Ombudsman's categories" in str(err.value)
    assert "Upheld – fault and injustice" in str(err.value)  # the message lists what is allowed
    assert services.ombudsman.get(team, c.row.id).row.decision is None


def test_compliance_cannot_be_dated_before_the_decision(services: Services, team: Actor) -> None:
    c = _decided(services, team)
    c = services.ombudsman.add_recommendation(team, c.row.id, kind=RecommendationKind.PERSONAL_REMEDY,
                                              text="Apologise and pay £350", due_on=date(2023, 11, 2),
                                              expected_version=c.row.version)
    rec = c.recommendations[0].id
    with pytest.raises(ValidationError, match="before the Ombudsman's decision of 2023-10-02"):
        services.ombudsman.record_compliance(team, c.row.id, rec, completed_on=date(2023, 9, 30),
                                             expected_version=c.row.version)
    done = services.ombudsman.record_compliance(team, c.row.id, rec, completed_on=date(2023, 10, 20),
                                                expected_version=c.row.version)
    assert done.recommendations[0].completed_on == date(2023, 10, 20)
    assert not done.recommendations[0].late


def test_a_stale_edit_is_refused_not_overwritten(services: Services, team: Actor) -> None:
    c = _case(services, team)
    services.ombudsman.agree_extension(team, c.row.id, new_due=date(2023, 7, 13), reason="Officer on leave",
                                       agreed_on=date(2023, 6, 26), expected_version=c.row.version)
    with pytest.raises(StaleEdit, match="Ombudsman case 23 001 001 was changed by someone else"):
        services.ombudsman.record_decision(team, c.row.id, decision=Decision.PREMATURE, decided_on=date(2023, 8, 1),
                                           expected_version=c.row.version)
    assert services.ombudsman.get(team, c.row.id).row.decision is None


def test_an_extension_needs_a_reason_and_a_later_date_and_explains_itself(services: Services, team: Actor) -> None:
    c = _case(services, team)
    with pytest.raises(ValidationError, match="reason"):
        services.ombudsman.agree_extension(team, c.row.id, new_due=date(2023, 7, 13), reason=" ",
                                           agreed_on=date(2023, 6, 26), expected_version=c.row.version)
    with pytest.raises(ValidationError, match="must be after"):
        services.ombudsman.agree_extension(team, c.row.id, new_due=date(2023, 6, 20), reason="late",
                                           agreed_on=date(2023, 6, 26), expected_version=c.row.version)
    d = services.ombudsman.agree_extension(team, c.row.id, new_due=date(2023, 7, 13), reason="Officer on leave",
                                           agreed_on=date(2023, 6, 26), expected_version=c.row.version)
    assert d.row.reply_due_on == date(2023, 7, 13)
    why = "\n".join(d.why)
    assert "due without extension: Thu 29 Jun 2023" in why
    assert "due: Thu 13 Jul 2023 (extended)" in why
    assert "Officer on leave" in why


def test_who_may_see_and_change_ombudsman_cases(services: Services, admin: Actor, team: Actor) -> None:
    services.registers.add_user(admin, "link", "Lin Link", role="complaints_read")
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    link, owner = Actor("link"), Actor("owner")
    c = _case(services, team)
    assert [r.reference for r in services.ombudsman.list_cases(link)] == ["23 001 001"]
    refused = 0
    for who in (link, owner):
        try:
            services.ombudsman.record_decision(who, c.row.id, decision=Decision.PREMATURE,
                                               decided_on=date(2023, 8, 1), expected_version=c.row.version)
        except PermissionDenied:
            refused += 1
    with pytest.raises(PermissionDenied, match="Only the complaints team, its link officers and internal audit can see"):
        services.ombudsman.list_cases(owner)
    assert refused == 2
    # The audit trail's Ombudsman entries are hidden from a risk owner, shown to the link officer.
    assert "ombudsman_case" in hidden_audit_entities("risk_owner")
    assert "ombudsman_case" not in hidden_audit_entities("complaints_read")
    entries = services.risks.audit_trail(admin, entity="ombudsman_case")
    assert "ombudsman.create" in {e.action for e in entries}
