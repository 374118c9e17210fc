"""Closing the quarter: owners move on to the next one, and the closed quarter becomes history."""

import pytest

from riskdesk.cli import run
from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange
from riskdesk.domain.scoring import Score

Q3 = Quarter(2023, 3)


def test_close_moves_owners_on_and_is_audited(published, admin):
    assert published.registers.current_period(admin) == Q3
    new = published.registers.close_quarter(admin, expected=Q3)
    assert new == Quarter(2023, 4) == published.registers.current_period(admin)
    entry = published.risks.audit_trail(admin, limit=1)[0]
    assert entry.action == "period.close" and entry.changes == {"current_period": ["2023Q3", "2023Q4"]}
    # Nobody has updated the new quarter yet: all 29 risks are flagged.
    assert len(published.registers.not_updated(admin, new)) == 29
    assert published.registers.not_updated(admin, Q3) == []


def test_a_stale_close_is_refused_rather_than_skipping_a_quarter(published, admin):
    published.registers.close_quarter(admin, expected=Q3)
    with pytest.raises(StaleEdit, match="reporting period"):
        published.registers.close_quarter(admin, expected=Q3)
    assert published.registers.current_period(admin) == Quarter(2023, 4)


def test_closed_quarter_assessments_are_history(published, admin, corporate_id):
    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.7")
    published.registers.close_quarter(admin, expected=Q3)
    change = AssessmentChange(Score(2, 2), None, Direction.LEVEL, "late edit")
    with pytest.raises(ValidationError, match="'23/24 Q3' is closed; this quarter's updates go into 23/24 Q4"):
        published.risks.record_assessment(admin, row.id, Q3, change, expected_version=row.assessment_version)
    assert published.risks.get(admin, row.id).score == 20
    after = published.risks.record_assessment(admin, row.id, Quarter(2023, 4), change, expected_version=None)
    assert (after.period, after.score, after.previous_score) == ("2023Q4", 4, 20)


def test_only_the_risk_team_closes_the_quarter(published, admin):
    published.registers.add_user(admin, "owner", "Ola Owner", role="risk_owner")
    with pytest.raises(PermissionDenied):
        published.registers.close_quarter(Actor("owner"), expected=Q3)


def test_quarter_commands(db_url, capsys):
    from pathlib import Path

    fixture = Path(__file__).parent.parent / "fixtures" / "crr-2023-11.json"
    assert run(["--database", db_url, "load-register", str(fixture)]) == 0
    capsys.readouterr()
    assert run(["--database", db_url, "quarter", "show"]) == 0
    assert "Current reporting period: 23/24 Q3" in capsys.readouterr().out
    assert run(["--database", db_url, "quarter", "close", "--expect", "23/24 Q2"]) == 3  # 3: already done
    assert "The reporting period 23/24 Q2 has already been closed" in capsys.readouterr().err
    assert run(["--database", db_url, "quarter", "close", "--expect", "23/24 Q3"]) == 0
    out = capsys.readouterr().out
    assert "owners now update 23/24 Q4" in out
    assert "“Corporate Risk Register Update (November 2023)” is still a draft" in out
    assert run(["--database", db_url, "quarter", "set", "23/24 Q3"]) == 0
    assert run(["--database", db_url, "quarter", "show"]) == 0
    assert "23/24 Q3" in capsys.readouterr().out


def test_an_expectation_that_does_not_hold_is_named_as_such_not_as_someone_elses_change(db_url, capsys):
    """Before: "The reporting period (now 23/24 Q3, not 25/26 Q1) was changed by someone else after you
    opened it", when nobody else had done anything and nothing had been opened."""
    from pathlib import Path

    fixture = Path(__file__).parent.parent / "fixtures" / "crr-2023-11.json"
    assert run(["--database", db_url, "load-register", str(fixture)]) == 0
    capsys.readouterr()
    for wrong in ("25/26 Q1", "22/23 Q4"):
        assert run(["--database", db_url, "quarter", "close", "--expect", wrong]) == 3
        err = capsys.readouterr().err
        assert f"The current reporting period is 23/24 Q3, not {wrong} as --expect says; nothing was closed." in err
        assert "someone else" not in err
    assert run(["--database", db_url, "quarter", "show"]) == 0
    assert "Current reporting period: 23/24 Q3" in capsys.readouterr().out


def test_setting_the_period_refuses_a_change_that_is_none_or_a_mistyped_year(published, admin):
    """Before: ``quarter set`` of the current quarter was audited as a change, and ``62/63 Q1`` (for
    26/27 Q1) became the period every owner's update went into."""
    far = Quarter.parse("62/63 Q1")
    with pytest.raises(ValidationError, match="is the current reporting period already"):
        published.registers.set_current_period(admin, Q3)
    with pytest.raises(ValidationError, match="begins on 01 Apr 2062, after the next quarter"):
        published.registers.set_current_period(admin, far)
    changes = [e for e in published.risks.audit_trail(admin) if e.action == "settings.period"]
    print(f"periods set by 2 refused changes: {len(changes)}; current: {published.registers.current_period(admin)}")
    assert changes == [] and published.registers.current_period(admin) == Q3
    # Reopening a quarter closed by mistake, and moving on to next quarter, are still allowed.
    published.registers.close_quarter(admin, expected=Q3)
    published.registers.set_current_period(admin, Q3)
    from datetime import date

    published.registers.set_current_period(admin, Quarter.of(date.today()).next())
    assert len([e for e in published.risks.audit_trail(admin) if e.action == "settings.period"]) == 2
