"""Opening a risk in the editor reads everything at once (one round trip to a shared server):
it must show exactly what the separate reads show, for a risk with history, extra scoring lines,
actions with and without an owner, and an audit trail; and refuse as they refuse."""

from datetime import date, timedelta

import pytest

from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import NotFound, PermissionDenied
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import ActionChange, AssessmentChange
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import ScoreLine


def _busy_risk(published, admin, corporate_id):
    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "7.2")
    period = Quarter.parse(row.period)
    change = AssessmentChange(Score(5, 5), Score(3, 5), Direction.LEVEL, "Under review — 50% done; <b>not</b> markup",
                              lines=(ScoreLine(Score(5, 4), Score(3, 3), "E&T"), ScoreLine(Score(2, 2), None, "HR", "n")))
    published.risks.record_assessment(admin, row.id, period, change, expected_version=row.assessment_version)
    me = published.registers.me(admin)
    due = date.today() + timedelta(days=10)
    published.risks.add_action(admin, row.id, ActionChange("Owned action", me.id, due))
    published.risks.add_action(admin, row.id, ActionChange("Nobody's yet", None, None))
    done = published.risks.add_action(admin, row.id, ActionChange("Done early", me.id, due - timedelta(days=5)))
    published.risks.complete_action(admin, done.id, expected_version=done.version)
    return row.id


def test_the_editor_shows_what_the_separate_reads_show(published, admin, corporate_id):
    risk_id = _busy_risk(published, admin, corporate_id)
    row, history, actions, audit = published.risks.open_in_editor(admin, risk_id)
    assert row == published.risks.get(admin, risk_id)
    assert history == published.risks.history(admin, risk_id)
    assert actions == published.risks.actions(admin, risk_id)
    assert audit == published.risks.audit_trail(admin, entity="risk", entity_id=risk_id, limit=200)
    print(f"{len(history)} assessments, {len(history[-1].lines)} lines in the latest, {len(actions)} actions, "
          f"{len(audit)} audit entries")
    assert [line.label for line in history[-1].lines] == ["", "E&T", "HR"]
    assert [a.description for a in actions] == ["Owned action", "Nobody's yet", "Done early"]
    assert actions[1].owner_name == "" and audit[0].action == "action.complete"


def test_the_editor_refuses_as_the_separate_reads_refuse(published, admin, corporate_id):
    with pytest.raises(NotFound, match="Risk 999999 does not exist"):
        published.risks.open_in_editor(admin, 999_999)
    risk_id = published.risks.list_risks(admin, corporate_id)[0].id
    with pytest.raises(PermissionDenied, match="no riskdesk role yet"):  # first seen here: no role
        published.risks.open_in_editor(Actor("stranger"), risk_id)


def test_a_second_save_rewrites_the_lines_it_read_with_the_assessment(published, admin, corporate_id):
    """A save reads the period's assessment and its lines with its other checks, at once: a
    second save that drops a line and changes another must leave exactly the new lines."""
    risk_id = _busy_risk(published, admin, corporate_id)
    _, history, _, _ = published.risks.open_in_editor(admin, risk_id)
    latest = history[-1]
    change = AssessmentChange(Score(4, 5), Score(3, 5), Direction.LEVEL, latest.update_text,
                              lines=(ScoreLine(Score(1, 2), Score(1, 1), "HR", "changed"),))
    saved = published.risks.save_assessment(admin, risk_id, Quarter.parse(latest.period), change,
                                            expected_version=latest.version)
    again = published.risks.history(admin, risk_id)[-1]
    assert again == saved.assessment and again.version == latest.version + 1
    assert [(x.label, x.current.score, x.note) for x in again.lines] == [("", 20, ""), ("HR", 2, "changed")]
    assert saved.row == published.risks.get(admin, risk_id) and saved.row.score == 20
    assert saved.audit is not None and "line 3" in saved.audit.changes and saved.audit.action == "risk.assess"
    print(f"the save's audit entry: {saved.audit.changes}")


def test_a_save_answers_with_the_assessment_as_the_history_shows_it(published, admin, corporate_id):
    """An imported assessment keeps the score cells as its file wrote them; the assessment a save
    answers with (what the editor redraws from) must show them as the history does."""
    from sqlalchemy import update

    from riskdesk.models import Assessment

    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.7")
    with published.db.session() as s, s.begin():
        s.execute(update(Assessment).where(Assessment.id == row.assessment_id)
                  .values(source_values="current: file: Impact 6.67 of 10, Likelihood 5 of 10"))
    change = AssessmentChange(Score(4, 4), row.target, row.direction, row.update_text)
    saved = published.risks.save_assessment(admin, row.id, Quarter.parse(row.period), change,
                                            expected_version=row.assessment_version)
    history = published.risks.history(admin, row.id)
    print(f"saved: {saved.assessment.source_values!r}")
    assert saved.assessment == history[-1]
    assert saved.assessment.source_values == "current: file: Impact 6.67 of 10, Likelihood 5 of 10"
