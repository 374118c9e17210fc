"""bench_races's verdicts: a lost update, a traceback or a duplicate audit entry in any scenario
must fail the benchmark; clean scenarios pass and an unconfigured PostgreSQL is skipped."""

from __future__ import annotations

import bench_races as br
import pytest
from harness import finish


def _clean(name: str = "save") -> br.Tally:
    return br.Tally(name, attempts=200, told_stale=200)


def test_clean_scenarios_are_met_and_postgresql_without_a_server_is_skipped() -> None:
    rows = br.race_rows({"sqlite": [_clean("save"), _clean("amend")], "postgresql": None}, 200)
    assert [r.verdict for r in rows[:2]] == ["met", "met"]
    assert rows[0].riskdesk == "0 lost/tracebacks/duplicates" and rows[0].goal == "≤ 0 lost/tracebacks/duplicates"
    assert "lost 0, tracebacks 0, duplicate audit 0; told stale 200" in rows[0].note
    assert [r.verdict for r in rows[2:]] == ["skipped"] * len(br.SCENARIOS)
    assert finish(rows) == 0


@pytest.mark.parametrize("field", ["lost_updates", "tracebacks", "duplicate_audit"])
def test_one_lost_update_traceback_or_duplicate_is_missed(field: str) -> None:
    bad = _clean("first save of a quarter")
    setattr(bad, field, 1)
    rows = br.race_rows({"sqlite": [_clean(), bad]}, 200)
    assert rows[1].verdict == "MISSED" and rows[1].riskdesk == "1 lost/tracebacks/duplicates"
    assert finish(rows) == 1


def test_a_scenario_that_could_not_run_is_an_error() -> None:
    broken = _clean("remove")
    broken.failed, broken.attempts = "after 12 attempts: OperationalError: database is locked", 12
    rows = br.race_rows({"sqlite": [broken]}, 200)
    assert rows[0].verdict == "error" and "database is locked" in rows[0].note
    short = _clean("remove")
    short.attempts = 150
    assert br.race_rows({"sqlite": [short]}, 200)[0].verdict == "error"
    assert finish(rows) == 1
