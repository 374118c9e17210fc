"""Appetite, review dates, controls, on-time rates and lessons, through the services over the published register."""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import PermissionDenied, ValidationError
from riskdesk.domain.incidents import Framework, IncidentDraft
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import ActionChange, AssessmentChange, RiskChange
from riskdesk.domain.scoring import Score


def _risk(services, admin, corporate_id, ref):
    return next(r for r in services.risks.list_risks(admin, corporate_id) if r.ref == ref)


def _rescore(services, actor, risk_id, score):
    r = services.risks.get(actor, risk_id)
    period = services.registers.current_period(actor)
    services.risks.record_assessment(actor, risk_id, period, AssessmentChange(score, None, Direction.LEVEL, "Re-scored"),
                                     expected_version=r.assessment_version if r.period == period.code else None)


def _with_appetite(services, admin, category, level="cautious"):
    scheme = services.scheme.current(admin)
    scheme = replace(scheme, appetite_levels=(("averse", 4), ("minimal", 6), ("cautious", 10), ("open", 15),
                                              ("eager", 20)), category_appetite=((category, level),))
    return services.scheme.save(admin, scheme)


def test_out_of_appetite_in_register_rows_dashboard_list_and_heat_map(published, admin, corporate_id):
    rows = published.governance.register_view(admin, corporate_id)
    category = next(r.category for r in rows if r.category and r.score and r.score > 10)
    _with_appetite(published, admin, category, "cautious")
    rows = published.governance.register_view(admin, corporate_id)
    mine = [r for r in rows if r.category == category]
    flagged = [r.ref for r in mine if r.out_of_appetite]
    expected = [r.ref for r in mine if r.score is not None and r.score > 10]
    print(f"{len(flagged)} of {len(mine)} risks in '{category}' out of appetite (cautious, max 10)")
    assert flagged == expected and flagged
    assert all(not r.out_of_appetite for r in rows if r.category != category)  # no appetite set: never flagged
    listed = published.governance.out_of_appetite(admin, corporate_id)
    assert sorted(r.ref for r in listed) == sorted(flagged)
    assert [r.score for r in listed] == sorted((r.score for r in listed), reverse=True)
    cells = published.governance.heat_map(admin, corporate_id)
    assert sum(c.out_of_appetite for c in cells.values()) == len(flagged)
    assert sum(c.count for c in cells.values()) == sum(1 for r in rows if r.score is not None)


def test_two_quarters_at_appetite_makes_a_removal_candidate(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id, "1.7")
    rows = published.governance.register_view(admin, corporate_id)
    category = next(r.category for r in rows if r.risk_id == risk.id)
    _with_appetite(published, admin, category, "eager")  # max 20
    history = [s for _, s, _ in risk.history]
    expected = len(history) >= 2 and all(s <= 20 for s in history[-2:])
    got = [r.ref for r in published.governance.removal_candidates(admin, corporate_id) if r.category == category]
    assert ("1.7" in got) == expected
    _with_appetite(published, admin, category, "averse")  # max 4: nothing qualifies
    assert not [r for r in published.governance.removal_candidates(admin, corporate_id) if r.category == category]


def test_review_dates_overdue_list_and_my_reviews_due(published, admin, corporate_id):
    _rescore(published, admin, _risk(published, admin, corporate_id, "1.7").id, Score(3, 3))  # every CRR risk is red
    rows = published.governance.register_view(admin, corporate_id)
    red = next(r for r in rows if r.score and r.score >= 15)
    green = next(r for r in rows if r.score and 8 <= r.score <= 12)
    today = date.today()
    assert (red.next_review_on - today).days in range(27, 32)  # one month
    assert (green.next_review_on - today).days in range(89, 93)  # three months
    later = today + timedelta(days=40)
    overdue = published.governance.overdue_reviews(admin, today=later, register_id=corporate_id)
    assert red.ref in [r.ref for r in overdue] and green.ref not in [r.ref for r in overdue]
    assert all(r.score >= 15 for r in overdue)
    # An explicit review date on the assessment overrides the cadence.
    published.governance.set_response(admin, red.risk_id, "treat", next_review_on=later + timedelta(days=1))
    overdue = published.governance.overdue_reviews(admin, today=later, register_id=corporate_id)
    assert red.ref not in [r.ref for r in overdue]
    # The owner's own list.
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    owner = next(u for u in published.registers.list_users(admin) if u.login == "owner1")
    risk = published.risks.get(admin, green.risk_id)
    published.risks.amend_risk(admin, risk.id, RiskChange(owner_id=owner.id), expected_version=risk.version)
    assert published.governance.my_reviews_due(Actor("owner1"), today=today) == []
    due = published.governance.my_reviews_due(Actor("owner1"), today=today + timedelta(days=80))
    assert [r.ref for r in due] == [green.ref]


def test_response_controls_and_assurance_are_checked_and_audited(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id, "1.7")
    row = published.governance.set_response(admin, risk.id, "Take")
    assert row.response == "take"
    with pytest.raises(ValidationError, match="must be one of treat, tolerate, transfer, terminate, take"):
        published.governance.set_response(admin, risk.id, "ignore")
    c = published.governance.add_control(admin, risk.id, "Monthly budget monitoring", owner="S151 officer", line=2,
                                         effectiveness="effective", last_tested_on=date(2023, 9, 30))
    with pytest.raises(ValidationError, match="must be 1, 2 or 3"):
        published.governance.add_control(admin, risk.id, "x", line=4)
    with pytest.raises(ValidationError, match="effective, partly, not_effective"):
        published.governance.add_control(admin, risk.id, "x", effectiveness="mostly")
    published.governance.update_control(admin, c.id, "Monthly budget monitoring", owner="S151 officer", line=2,
                                        effectiveness="partly", expected_version=c.version)
    published.governance.add_assurance(admin, risk.id, "Internal audit review of budget setting", line=3)
    assert [x.effectiveness for x in published.governance.controls(admin, risk.id)] == ["partly"]
    assert [x.line for x in published.governance.assurances(admin, risk.id)] == [3]
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    with pytest.raises(PermissionDenied):
        published.governance.add_control(Actor("owner1"), risk.id, "Not my risk")
    trail = [e.action for e in published.risks.audit_trail(admin, entity="risk", entity_id=risk.id)]
    assert trail[:4] == ["assurance.add", "control.update", "control.add", "risk.response"]


def test_on_time_rate_per_risk_department_and_register(published, admin, corporate_id):
    a = _risk(published, admin, corporate_id, "1.7")
    b = next(r for r in published.risks.list_risks(admin, corporate_id) if set(r.departments) - set(a.departments))
    today = date.today()
    d = timedelta(days=1)
    for risk, due, done in [(a, today - 10 * d, today - 11 * d), (a, today - 10 * d, today - 9 * d),
                            (b, today - 5 * d, None), (b, today + 5 * d, None), (b, today - 20 * d, today - 20 * d)]:
        published.risks.add_action(admin, risk.id, ActionChange("act", None, due, done))
    register, by_dept, by_risk = published.governance.on_time_rates(admin, corporate_id, today=today)
    print(f"register on time {register.on_time} of {register.counted}")
    assert (register.on_time, register.counted) == (2, 4)
    per_risk = {r.label: (r.on_time, r.counted) for r in by_risk}
    assert per_risk[a.ref] == (1, 2) and per_risk[b.ref] == (1, 2)
    only_b = set(b.departments) - set(a.departments)
    dept = {r.label: (r.on_time, r.counted) for r in by_dept}
    assert all(dept[code] == (1, 2) for code in only_b)


def test_linked_si_lessons_need_permission_and_prompt_a_rescore(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id, "1.7")
    provider = published.providers.add_provider(admin, "Turning Point", "TP")
    service = published.providers.add_service(admin, provider.id, "Substance misuse service", "Substance misuse")
    si = published.incidents.save(admin, IncidentDraft(
        provider_id=provider.id, service_id=service.id, identified_on=date(2023, 10, 3),
        reported_on=date(2023, 10, 3), description="Medicine given outside the PGD", framework=Framework.SIF_2015,
        lessons="PGD training refreshed for all nurses", risk_ids=(risk.id,)))
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    owner = next(u for u in published.registers.list_users(admin) if u.login == "owner1")
    r = published.risks.get(admin, risk.id)
    published.risks.amend_risk(admin, risk.id, RiskChange(owner_id=owner.id), expected_version=r.version)
    with pytest.raises(PermissionDenied):
        published.governance.linked_incidents(Actor("owner1"), risk.id)  # owners may not view incidents
    linked = published.governance.linked_incidents(admin, risk.id)
    assert [(x.reference, x.lessons, x.relevant_to_risk) for x in linked] == [
        (si.row.reference, "PGD training refreshed for all nurses", False)]
    assert published.governance.rescore_prompted(Actor("owner1")) == []
    published.governance.mark_lesson_relevant(admin, si.row.id, risk.id)
    assert [x.ref for x in published.governance.rescore_prompted(Actor("owner1"))] == ["1.7"]
    # The owner re-scores: the prompt goes.
    _rescore(published, Actor("owner1"), risk.id, Score(4, 4))
    assert published.governance.rescore_prompted(Actor("owner1")) == []


def test_quarter_close_lists_overdue_reviews(published, admin, corporate_id, capsys):
    from sqlalchemy import update

    from riskdesk.cli import run
    from riskdesk.models import Assessment

    risk = _risk(published, admin, corporate_id, "1.7")
    assert risk.score >= 15  # red: reviewed monthly
    # Test set-up: the published assessments were all loaded today; date 1.7's back two months.
    with published.db.sessions.begin() as s:
        s.execute(update(Assessment).where(Assessment.id == risk.assessment_id)
                  .values(recorded_at=datetime.now() - timedelta(days=62)))
    overdue = published.governance.overdue_reviews(admin)
    assert [r.ref for r in overdue] == ["1.7"]
    with pytest.raises(ValidationError, match="before the assessment"):
        published.governance.set_response(admin, risk.id, "treat", next_review_on=date.today() - timedelta(days=70))
    url = published.db.engine.url.render_as_string(hide_password=False)
    published.db.dispose()
    assert run(["--database", url, "--as", admin.login, "quarter", "close"]) == 0
    out = capsys.readouterr().out
    print(out)
    assert "1 risk(s) overdue for review:" in out and "  1.7  due " in out
