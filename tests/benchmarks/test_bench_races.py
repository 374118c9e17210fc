"""bench_races's verdicts: a lost update, a traceback or a duplicate audit entry in any scenario
must fail the benchmark; clean scenarios pass and an unconfigured PostgreSQL is skipped. On a
PostgreSQL server the two people race as logins of their own."""

from __future__ import annotations

import os

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


@pytest.mark.db
def test_on_postgresql_alice_and_bob_race_as_logins_of_their_own() -> None:
    """Each scenario's database is set up by server init; alice and bob connect as themselves (the
    server says who they are), and every scenario runs clean, the loser told each time."""
    server = os.environ.get("RISKDESK_TEST_DATABASE_URL", "")
    if not server:
        pytest.skip("no PostgreSQL server configured (RISKDESK_TEST_DATABASE_URL)")
    tallies = br.run_backend("postgresql", 3, server)
    br.print_table("postgresql", tallies)
    assert [(t.scenario, t.failed, t.attempts, t.clean) for t in tallies] == [
        (name, "", 3, True) for name in br.SCENARIOS]
    assert all(t.told_stale + t.told_done == t.attempts for t in tallies)
