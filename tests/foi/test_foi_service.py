"""FoiService: permissions, department scoping, audit, refusals of unlawful responses, stale edits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.foi import ClockBand, FoiDraft, Outcome, Regime, ReviewOutcome
from riskdesk.domain.permissions import Role, hidden_audit_entities
from riskdesk.domain.register import Actor
from riskdesk.models import AuditEntry
from riskdesk.services import Services
from riskdesk.services.foi import FoiService, IcoDraft, Requester, ReviewDraft

IG = Actor("ig.officer", "Information Governance Officer")
LINK = Actor("cfs.link", "CFS link officer")
AUDIT = Actor("auditor", "Internal Audit")
OWNER = Actor("owner", "Risk owner")


@pytest.fixture
def foi(services: Services, people) -> FoiService:
    return FoiService(services.ctx)


def _draft(**kw) -> FoiDraft:
    base = {"regime": Regime.FOIA, "received_on": date(2023, 3, 6), "departments": "CFS",
            "subject": "Children in Care", "requester_type": "Member of the public"}
    return FoiDraft(**(base | kw))


def test_new_request_gets_the_uk_wide_due_date_and_explains_it(foi):
    d = foi.create(IG, _draft(), today=date(2023, 3, 7))
    assert d.row.reference == "FOI-2023-00001"
    assert d.row.due_on == date(2023, 4, 4)
    assert "  17 Mar 2023 — Saint Patrick's Day (Northern Ireland)" in d.why
    assert d.row.band == ClockBand.ON_TRACK


def test_clocks_are_recomputed_from_the_stored_dates_on_save(foi):
    d = foi.create(IG, _draft(received_on=date(2023, 6, 1)))
    assert d.row.due_on == date(2023, 6, 29)
    d2 = foi.update(IG, d.row.id, replace(d.draft, fee_requested_on=date(2023, 6, 8),
                                          fee_received_on=date(2023, 6, 20)), expected_version=d.row.version)
    assert d2.row.due_on == date(2023, 7, 13)
    assert any("9 working days disregarded" in line for line in d2.why)
    d3 = foi.update(IG, d.row.id, replace(d2.draft, responded_on=date(2023, 7, 13), outcome=Outcome.FULL,
                                          disclosure_log=True), expected_version=d2.row.version)
    assert d3.row.days_taken == 20


@pytest.mark.parametrize(("change", "message"), [
    ({"outcome": Outcome.REFUSED, "responded_on": date(2023, 3, 20), "bases": "s.12"},
     "hours estimate: '' is required for a s.12 refusal"),
    ({"outcome": Outcome.REFUSED, "responded_on": date(2023, 3, 20), "bases": "s.12",
      "cost_estimate_hours": Decimal("12")}, "must exceed the 18-hour limit"),
    ({"outcome": Outcome.REFUSED, "responded_on": date(2023, 3, 20), "bases": ""}, "must name at least one section"),
    ({"outcome": Outcome.REFUSED, "responded_on": date(2023, 3, 20), "bases": "s.43(2)"},
     "public-interest test: '' must be recorded"),
    ({"extension_notified_on": date(2023, 4, 4), "extended_due_on": date(2023, 5, 8)},
     "is beyond 20 further working days: the latest is 2023-05-05"),
    ({"regime": Regime.EIR, "extension_notified_on": date(2023, 4, 5), "extended_due_on": date(2023, 5, 5)},
     "must be notified within 20 working days (by 2023-04-04)"),
    ({"regime": Regime.EIR, "outcome": Outcome.REFUSED, "responded_on": date(2023, 3, 20), "bases": "s.12",
      "cost_estimate_hours": Decimal("30")}, "not available under the EIR"),
    ({"requester_type": "Media", "media": True, "outcome": Outcome.FULL, "responded_on": date(2023, 3, 20)},
     "Media Team approval: '' is required"),
    ({"departments": "XYZ"}, "is not an FOI department"),
    ({"disclosure_log": False, "outcome": Outcome.FULL, "responded_on": date(2023, 3, 20)},
     "needs the reason it is not published"),
])
def test_unlawful_or_incomplete_responses_are_refused_and_nothing_is_saved(foi, change, message):
    with pytest.raises(ValidationError) as err:
        foi.create(IG, _draft(**change))
    assert message in str(err.value)
    assert foi.list(IG) == ()


def test_lawful_extensions_are_accepted(foi):
    d = foi.create(IG, _draft(extension_notified_on=date(2023, 4, 4), extended_due_on=date(2023, 5, 5)))
    assert d.row.due_in_force == date(2023, 5, 5)
    e = foi.create(IG, _draft(regime=Regime.EIR, extension_notified_on=date(2023, 4, 4),
                              extended_due_on=date(2023, 5, 5)))
    assert e.row.due_in_force == date(2023, 5, 5)


def test_regime_switch_needs_a_reason_which_the_trail_keeps(foi, services, admin):
    d = foi.create(IG, _draft())
    with pytest.raises(ValidationError, match="reason for the regime change"):
        foi.update(IG, d.row.id, replace(d.draft, regime=Regime.EIR), expected_version=d.row.version)
    d2 = foi.update(IG, d.row.id, replace(d.draft, regime=Regime.EIR, regime_reason="Information on emissions"),
                    expected_version=d.row.version)
    assert d2.row.regime == Regime.EIR
    with services.db.sessions() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.action == "foi.switch_regime")).one()
        assert e.note == "Information on emissions"


def test_a_stale_edit_is_refused(foi):
    d = foi.create(IG, _draft())
    foi.update(IG, d.row.id, replace(d.draft, subject="Adult Social Care"), expected_version=d.row.version)
    with pytest.raises(StaleEdit):
        foi.update(IG, d.row.id, replace(d.draft, subject="Libraries"), expected_version=d.row.version)
    assert foi.get(IG, d.row.id).draft.subject == "Adult Social Care"


def test_requester_personal_data_is_restricted_and_the_trail_keeps_only_hashes(foi, services):
    d = foi.create(IG, _draft(), requester=Requester("Jane Q. Public", "jane@example.org", "2 Mill Lane"))
    assert foi.requester(IG, d.row.id).name == "Jane Q. Public"
    refused = 0
    for who in (AUDIT, LINK, OWNER):
        with pytest.raises(PermissionDenied):
            foi.requester(who, d.row.id)
        refused += 1
    print(f"reads of personal data refused: {refused} of 3")
    assert refused == 3
    with services.db.sessions() as s:
        trail = [json.dumps(e.changes) for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "foi_requester"))]
    assert trail and all("Jane" not in t and "jane@" not in t and "Mill" not in t for t in trail)
    assert "sha256:" in trail[0]


def test_who_may_do_what(foi):
    d = foi.create(IG, _draft())
    forbidden_writes = 0
    for who in (AUDIT, LINK, OWNER):
        try:
            foi.create(who, _draft())
        except PermissionDenied:
            continue
        forbidden_writes += 1
    print(f"forbidden writes that succeeded: {forbidden_writes}")
    assert forbidden_writes == 0
    assert len(foi.list(AUDIT)) == 1
    with pytest.raises(PermissionDenied):
        foi.list(OWNER)
    assert "foi_request" in hidden_audit_entities(Role.RISK_OWNER)
    assert "foi_request" not in hidden_audit_entities(Role.AUDITOR)
    assert d.row.id


def test_link_officer_reads_only_own_department(foi, admin):
    cfs = foi.create(IG, _draft(departments="CFS"))
    both = foi.create(IG, _draft(departments="CFS E&T"))
    et = foi.create(IG, _draft(departments="E&T"))
    assert foi.list(LINK) == ()  # no department mapped yet
    foi.set_link_departments(IG, LINK.login, ["CFS"])
    seen = {r.id for r in foi.list(LINK)}
    assert seen == {cfs.row.id, both.row.id}
    assert foi.get(LINK, both.row.id).row.department == "MULTI"
    with pytest.raises(PermissionDenied, match="may read only the requests of CFS"):
        foi.get(LINK, et.row.id)
    with pytest.raises(PermissionDenied):
        foi.figures(LINK, "22/23")
    assert foi.figures(LINK, "22/23 Q4", department="CFS").received == 2


def test_reviews_and_ico_cases(foi):
    d = foi.create(IG, _draft(outcome=Outcome.REFUSED, responded_on=date(2023, 3, 20), bases="s.14(1)"))
    with pytest.raises(ValidationError, match="before the response"):
        foi.add_review(IG, d.row.id, ReviewDraft(requested_on=date(2023, 3, 10)))
    with pytest.raises(ValidationError, match="extension reason"):
        foi.add_review(IG, d.row.id, ReviewDraft(requested_on=date(2023, 5, 10), extended=True))
    v = foi.add_review(IG, d.row.id, ReviewDraft(requested_on=date(2023, 5, 10)))
    assert v.due_on == date(2023, 6, 8)
    v2 = foi.update_review(IG, v.id, ReviewDraft(requested_on=date(2023, 5, 10), extended=True,
                                                 extension_reason="Voluminous records"), expected_version=v.version)
    assert v2.extended_due_on == date(2023, 7, 6)
    with pytest.raises(StaleEdit):
        foi.update_review(IG, v.id, ReviewDraft(requested_on=date(2023, 5, 10), outcome=ReviewOutcome.NOT_UPHELD,
                                                responded_on=date(2023, 6, 1)), expected_version=v.version)
    c = foi.add_ico_case(IG, d.row.id, IcoDraft(received_on=date(2023, 8, 1), ico_reference="IC-1"))
    assert c.kind == "enquiry"
    with pytest.raises(ValidationError, match="decision date"):
        foi.add_ico_case(IG, d.row.id, IcoDraft(received_on=date(2023, 8, 1), decision_on=date(2023, 7, 1)))
    detail = foi.get(IG, d.row.id)
    assert len(detail.reviews) == 1 and len(detail.ico_cases) == 1


def test_eir_reconsideration_is_40_working_days(foi):
    d = foi.create(IG, _draft(regime=Regime.EIR, outcome=Outcome.FULL, responded_on=date(2023, 3, 20)))
    v = foi.add_review(IG, d.row.id, ReviewDraft(requested_on=date(2023, 5, 10)))
    assert v.due_on == date(2023, 7, 6)


def test_a_proclaimed_bank_holiday_moves_stored_due_dates_on_recompute(foi, services, admin):
    d = foi.create(IG, _draft(received_on=date(2023, 6, 1), responded_on=date(2023, 6, 29), outcome=Outcome.FULL,
                              disclosure_log=True))
    assert (d.row.due_on, d.row.days_taken) == (date(2023, 6, 29), 20)
    services.calendar.add_bank_holiday(admin, date(2023, 6, 9), "Proclaimed holiday")
    try:
        changed = foi.recompute(IG)
        after = foi.get(IG, d.row.id).row
        print(f"requests whose clock moved: {changed}")
        assert changed == 1
        assert (after.due_on, after.days_taken) == (date(2023, 6, 30), 19)
    finally:
        from riskdesk.domain.calendars import install_overrides

        install_overrides(())  # the override lives in this test's database only
