"""Register operations: each is one transaction with its audit row; stale saves are refused."""

from datetime import date

import pytest

from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange, NewRisk, RiskChange
from riskdesk.domain.scoring import Score

Q = Quarter(2023, 3)


def _row(services, admin, register_id, ref):
    return next(r for r in services.risks.list_risks(admin, register_id) if r.ref == ref)


def _change(current=(4, 4), target=(3, 3), update="Quarterly update"):
    return AssessmentChange(Score(*current), Score(*target) if target else None, Direction.LEVEL, update)


def test_score_change_leaves_one_audit_row_with_old_and_new(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "1.7")
    before = len(published.risks.audit_trail(admin, entity="risk", entity_id=row.id))
    published.risks.record_assessment(admin, row.id, Q, _change(current=(4, 3), target=(4, 3),
                                      update=row.update_text), expected_version=row.assessment_version)
    trail = published.risks.audit_trail(admin, entity="risk", entity_id=row.id)
    assert len(trail) == before + 1
    entry = trail[0]
    assert entry.user_login == "tester"
    assert entry.action == "risk.assess"
    assert entry.changes["current"] == ["5x4=20", "4x3=12"]
    assert set(entry.changes) == {"current"}  # target and update were unchanged, so not recorded
    assert published.risks.get(admin, row.id).score == 12


def test_stale_assessment_save_is_refused_and_changes_nothing(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "1.7")
    published.risks.record_assessment(admin, row.id, Q, _change(current=(3, 3)), expected_version=row.assessment_version)
    with pytest.raises(StaleEdit, match="changed by someone else"):
        published.risks.record_assessment(admin, row.id, Q, _change(current=(2, 2)),
                                          expected_version=row.assessment_version)
    assert published.risks.get(admin, row.id).score == 9


def test_stale_risk_amendment_is_refused(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "3.6")
    published.risks.amend_risk(admin, row.id, RiskChange(exempt=True), expected_version=row.version)
    with pytest.raises(StaleEdit):
        published.risks.amend_risk(admin, row.id, RiskChange(service_area="ICT"), expected_version=row.version)
    assert published.risks.get(admin, row.id).service_area == ""


def test_add_risk_with_several_departments(published, admin, corporate_id):
    cat = published.registers.list_categories(admin, corporate_id)[1]
    row = published.risks.add_risk(admin, NewRisk(corporate_id, "1.13", "If R&D <costs> rise then ŵ € “quotes”",
                                                  cat.id, ("a&c", "PH")))
    assert row.departments == ("A&C", "PH")
    assert row.description == "If R&D <costs> rise then ŵ € “quotes”"
    assert row.current is None
    trail = published.risks.audit_trail(admin, entity="risk", entity_id=row.id)
    assert trail[0].action == "risk.add"


def test_duplicate_ref_among_current_risks_is_refused(published, admin, corporate_id):
    with pytest.raises(ValidationError, match="already used by a current risk"):
        published.risks.add_risk(admin, NewRisk(corporate_id, "1.1", "If something then something"))


def test_unknown_department_is_named(published, admin, corporate_id):
    with pytest.raises(ValidationError) as err:
        published.risks.add_risk(admin, NewRisk(corporate_id, "1.3", "If x then y", departments=("XYZ",)))
    assert err.value.field == "department" and err.value.value == "XYZ"


def test_amending_a_presented_description_needs_a_rationale(published, admin, corporate_id, db):
    row = _row(published, admin, corporate_id, "4.2")
    assert row.presented
    with pytest.raises(ValidationError, match="rationale"):
        published.risks.amend_risk(admin, row.id, RiskChange(description="If new wording then new effect"),
                                   expected_version=row.version)
    assert published.risks.get(admin, row.id).description == row.description
    after = published.risks.amend_risk(admin, row.id, RiskChange(description="If new wording then new effect",
                                                                 rationale="Narrowed by the director"),
                                       expected_version=row.version)
    assert after.description == "If new wording then new effect"
    entry = published.risks.audit_trail(admin, entity="risk", entity_id=row.id)[0]
    assert entry.changes["description"] == [row.description, "If new wording then new effect"]
    assert entry.note == "Narrowed by the director"


def test_remove_needs_reason_keeps_score_and_frees_the_ref(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "9.4")
    with pytest.raises(ValidationError, match="reason for removal"):
        published.risks.remove_risk(admin, row.id, "   ", expected_version=row.version)
    published.risks.remove_risk(admin, row.id, "Managed at departmental level", expected_version=row.version,
                                removed_on=date(2023, 12, 1))
    removed = {r.ref: r for r in published.risks.removed(admin, corporate_id)}
    assert removed["9.4"].score == row.score
    assert removed["9.4"].reason == "Managed at departmental level"
    assert "9.4" not in {r.ref for r in published.risks.list_risks(admin, corporate_id)}
    reused = published.risks.add_risk(admin, NewRisk(corporate_id, "9.4", "If a new risk then reuse"))
    assert reused.ref == "9.4"


def test_restore_refuses_a_ref_now_in_use_and_accepts_a_new_one(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "9.4")
    gone = published.risks.remove_risk(admin, row.id, "Merged", expected_version=row.version)
    published.risks.add_risk(admin, NewRisk(corporate_id, "9.4", "If a new risk then reuse"))
    with pytest.raises(ValidationError, match="already used"):
        published.risks.restore_risk(admin, row.id, expected_version=gone.version)
    back = published.risks.restore_risk(admin, row.id, expected_version=gone.version, new_ref="9.6")
    assert (back.ref, back.status) == ("9.6", "current")


def test_escalate_and_de_escalate_record_events(published, admin, corporate_id):
    dept = published.registers.create_register(admin, "Public Health Risk Register", department_code="PH")
    local = published.risks.add_risk(admin, NewRisk(dept.id, "PH1", "If provider fails then service stops"))
    with pytest.raises(ValidationError, match="reason"):
        published.risks.move_register(admin, local.id, corporate_id, "", expected_version=local.version)
    up = published.risks.move_register(admin, local.id, corporate_id, "Now scoring 20", expected_version=local.version,
                                       new_ref="2.5")
    assert (up.register_id, up.ref) == (corporate_id, "2.5")
    down = published.risks.move_register(admin, up.id, dept.id, "Reduced to 9", expected_version=up.version,
                                         new_ref="PH1")
    assert down.register_id == dept.id
    actions = [e.action for e in published.risks.audit_trail(admin, entity="risk", entity_id=local.id)]
    assert actions[:2] == ["risk.de-escalate", "risk.escalate"]


def test_history_is_kept_per_period(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "1.7")
    published.risks.record_assessment(admin, row.id, Q.next(), _change(current=(4, 4)), expected_version=None)
    history = published.risks.history(admin, row.id)
    assert [h.period for h in history] == ["2023Q3", "2023Q4"]
    assert history[0].current.score == 20
    refreshed = published.risks.get(admin, row.id)
    assert (refreshed.score, refreshed.previous_score) == (16, 20)


def test_the_register_lists_each_risks_history_oldest_first_whatever_order_it_was_stored_in(
        published, admin, corporate_id, db):
    from riskdesk.models import Assessment

    row = _row(published, admin, corporate_id, "1.7")  # scored 5x4 (target 12) in 2023Q3
    published.risks.record_assessment(admin, row.id, Q.next(), _change(current=(4, 4)), expected_version=None)
    with db.sessions.begin() as s:  # an older quarter stored last (an import of old figures), with no target
        first = s.get(Assessment, row.assessment_id)
        s.add(Assessment(risk_id=row.id, period="2023Q1", current_impact=3, current_likelihood=1, note="",
                         direction=first.direction, update_text="Imported", scheme_id=first.scheme_id,
                         recorded_at=first.recorded_at, recorded_by="import", version=1))
    listed = _row(published, admin, corporate_id, "1.7")
    assert listed.history == (("2023Q1", 3, None), ("2023Q3", 20, 12), ("2023Q4", 16, 9))
    assert (listed.period, listed.score, listed.previous_score) == ("2023Q4", 16, 20)
    assert published.risks.get(admin, row.id) == listed  # one risk read alone: the same row


def test_the_register_is_listed_in_its_order_and_each_rows_order_is_the_one_its_category_and_ref_give(
        published, admin, corporate_id):
    from dataclasses import replace

    from riskdesk.domain.register import ref_sort_key

    cat = published.registers.list_categories(admin, corporate_id)[0]
    published.risks.add_risk(admin, NewRisk(corporate_id, "1.100", "If x then y", cat.id, ("PH",)))
    published.risks.add_risk(admin, NewRisk(corporate_id, "1.19", "If x then y", cat.id, ("PH",)))
    rows = published.risks.list_risks(admin, corporate_id)
    # Each row's order was made as it was listed; a copy of the row makes its own from its fields.
    assert [r.register_order for r in rows] == [replace(r).register_order for r in rows]
    assert [r.register_order for r in rows] == [(r.category_position, ref_sort_key(r.ref)) for r in rows]
    assert rows == sorted(rows, key=lambda r: (r.category_position, ref_sort_key(r.ref)))
    refs = [r.ref for r in rows]
    assert refs.index("1.19") < refs.index("1.100")  # by number, where as text "1.100" comes first
    assert len({r.category_position for r in rows}) > 1  # the published register's categories, in their order


def test_a_history_read_in_any_order_is_put_in_time_order_and_shares_its_entries():
    from riskdesk.services.listing import HistoryEntries, score_history

    entries = HistoryEntries()
    # The database promises no order for the joined periods (PostgreSQL's string_agg, SQLite's group_concat).
    first = score_history("2024Q2 4 ,2019Q4 25 20,2023Q1 3 ", entries)
    assert first == (("2019Q4", 25, 20), ("2023Q1", 3, None), ("2024Q2", 4, None))
    second = score_history("2023Q1 3 ", entries)
    assert second[0] is first[1]  # one tuple per distinct entry across the register's risks
    assert score_history(None, entries) == () and score_history("", entries) == ()


def test_the_register_pages_choices_are_the_four_lists_read_together(published, admin, corporate_id):
    regs = published.registers
    removed = _row(published, admin, corporate_id, "1.7")
    published.risks.remove_risk(admin, removed.id, "Merged into 1.8", expected_version=removed.version)
    choices = regs.choices(admin, corporate_id)
    assert choices.departments == regs.list_departments(admin)
    assert choices.categories == regs.list_categories(admin, corporate_id)  # current risks counted, as there
    assert choices.users == regs.list_users(admin)
    assert choices.council == regs.council_name(admin) != ""
    assert sum(c.risk_count for c in choices.categories) == len(published.risks.list_risks(admin, corporate_id))
    regs.add_user(admin, "stranger", "A. Stranger", role="none")
    with pytest.raises(PermissionDenied):
        regs.choices(Actor("stranger"), corporate_id)


def test_extra_scoring_lines_round_trip(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "7.2")
    from riskdesk.domain.snapshot import ScoreLine

    change = AssessmentChange(Score(5, 5), Score(3, 5), Direction.LEVEL, row.update_text,
                              lines=(ScoreLine(Score(5, 4), Score(3, 3), "E&T"),))
    after = published.risks.record_assessment(admin, row.id, Q, change, expected_version=row.assessment_version)
    assert len(after.lines) == 2 and after.lines[1].label == "E&T"


def test_read_only_users_cannot_write(published, admin, corporate_id):
    published.registers.add_user(admin, "auditor1", "Ina Auditor", role="auditor")
    auditor = Actor("auditor1")
    row = _row(published, auditor, corporate_id, "1.7")
    with pytest.raises(PermissionDenied, match="Only the corporate risk team can add, amend"):
        published.risks.remove_risk(auditor, row.id, "No", expected_version=row.version)
    with pytest.raises(PermissionDenied):
        published.risks.record_assessment(auditor, row.id, Q, _change(), expected_version=row.assessment_version)


def test_owner_may_update_only_their_own_risks(published, admin, corporate_id):
    owner = published.registers.add_user(admin, "o.director", "Olu Director", role="risk_owner")
    mine = _row(published, admin, corporate_id, "8.1")
    published.risks.amend_risk(admin, mine.id, RiskChange(owner_id=owner.id), expected_version=mine.version)
    other = _row(published, admin, corporate_id, "9.1")
    as_owner = Actor("o.director")
    after = published.risks.record_assessment(as_owner, mine.id, Q, _change(current=(3, 3)),
                                              expected_version=mine.assessment_version)
    assert after.score == 9
    with pytest.raises(PermissionDenied, match="not theirs"):
        published.risks.record_assessment(as_owner, other.id, Q, _change(), expected_version=other.assessment_version)


def test_retire_category_refused_while_it_holds_risks(published, admin, corporate_id):
    cats = published.registers.list_categories(admin, corporate_id)
    env = next(c for c in cats if c.number == 9)
    with pytest.raises(ValidationError, match="current risk"):
        published.registers.set_category_retired(admin, env.id, True, expected_version=env.version)
    retired = next(c for c in cats if c.number == 5)
    back = published.registers.set_category_retired(admin, retired.id, False, expected_version=retired.version)
    assert back.heading == "5. Safeguarding"


def test_audit_trail_is_append_only_in_the_database(published, db):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry"))
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET user_login = 'someone'"))


def test_changing_only_departments_makes_other_editors_stale(published, admin, corporate_id):
    row = _row(published, admin, corporate_id, "3.7")
    after = published.risks.amend_risk(admin, row.id, RiskChange(departments=("CR", "PH")), expected_version=row.version)
    assert after.version == row.version + 1
    with pytest.raises(StaleEdit):
        published.risks.amend_risk(admin, row.id, RiskChange(departments=("CE",)), expected_version=row.version)
    assert published.risks.get(admin, row.id).departments == ("CR", "PH")
