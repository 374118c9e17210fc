"""Actions on risks, withdrawing an assessment, departments: audited, version-checked."""

from datetime import date, timedelta

import pytest

from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import ActionChange, AssessmentChange, RiskChange
from riskdesk.domain.scoring import Score


def _risk(services, admin, corporate_id, ref="1.7"):
    return next(r for r in services.risks.list_risks(admin, corporate_id) if r.ref == ref)


def test_action_lifecycle_is_audited(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id)
    me = published.registers.me(admin)
    due = date.today() + timedelta(days=30)
    a = published.risks.add_action(admin, risk.id, ActionChange("Refresh the MTFS model", me.id, due))
    assert (a.description, a.owner_name, a.due_on, a.done) == ("Refresh the MTFS model", me.display_name, due, False)
    a2 = published.risks.update_action(admin, a.id, ActionChange("Refresh the MTFS model\n• with Q3 data", me.id, due),
                                       expected_version=a.version)
    assert a2.description.endswith("• with Q3 data") and a2.version == a.version + 1
    with pytest.raises(StaleEdit):
        published.risks.complete_action(admin, a.id, expected_version=a.version)
    done = published.risks.complete_action(admin, a.id, expected_version=a2.version)
    assert done.completed_on == date.today()
    assert [x.id for x in published.risks.actions(admin, risk.id)] == [a.id]
    published.risks.delete_action(admin, a.id, expected_version=done.version)
    assert published.risks.actions(admin, risk.id) == []
    trail = [e.action for e in published.risks.audit_trail(admin, entity="risk", entity_id=risk.id)]
    assert trail[:4] == ["action.delete", "action.complete", "action.update", "action.add"]


def test_action_needs_a_description_and_a_real_owner(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id)
    with pytest.raises(ValidationError) as err:
        published.risks.add_action(admin, risk.id, ActionChange("   "))
    assert err.value.field == "action"
    with pytest.raises(ValidationError) as err:
        published.risks.add_action(admin, risk.id, ActionChange("x", owner_id=99999))
    assert err.value.field == "action owner"
    with pytest.raises(ValidationError):
        published.risks.add_action(admin, risk.id, ActionChange("x", completed_on=date.today() + timedelta(days=2)))


def test_only_the_owner_or_risk_team_keeps_actions(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id)
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    with pytest.raises(PermissionDenied):
        published.risks.add_action(Actor("owner1"), risk.id, ActionChange("Not mine"))
    owner = next(u for u in published.registers.list_users(admin) if u.login == "owner1")
    published.risks.amend_risk(admin, risk.id, RiskChange(owner_id=owner.id), expected_version=risk.version)
    assert published.risks.add_action(Actor("owner1"), risk.id, ActionChange("Mine now")).description == "Mine now"


def test_withdraw_assessment_takes_back_this_periods_update(published, admin, corporate_id):
    risk = _risk(published, admin, corporate_id)
    nxt = Quarter.parse(risk.period).next()
    change = AssessmentChange(Score(2, 2), None, Direction.DOWN, "Better")
    after = published.risks.record_assessment(admin, risk.id, nxt, change, expected_version=None)
    assert after.period == nxt.code and after.score == 4
    with pytest.raises(StaleEdit):
        published.risks.withdraw_assessment(admin, risk.id, nxt, expected_version=after.assessment_version + 1)
    back = published.risks.withdraw_assessment(admin, risk.id, nxt, expected_version=after.assessment_version)
    assert back.period == risk.period and back.score == risk.score
    assert published.risks.audit_trail(admin, entity="risk", entity_id=risk.id)[0].action == "risk.assess.withdraw"


def test_department_rename_and_retire(published, admin):
    dept = published.registers.add_department(admin, "HR", "People")
    row = published.registers.update_department(admin, dept.id, name="People and Culture", active=False)
    assert (row.name, row.active) == ("People and Culture", False)
    with pytest.raises(ValidationError):
        published.registers.update_department(admin, dept.id, name=" ")
