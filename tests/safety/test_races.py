"""Races end in a clear message: "someone else changed this first", or "already done" once.

Each test lets a colleague (another connection, as another riskdesk would have) commit at the
worst moment: after this user's checks, just before their write reaches the database.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from riskdesk.cli import run
from riskdesk.db import Database
from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import AlreadyDone, DatabaseBusy, StaleEdit
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange, NewRisk, RiskChange
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import Footnote
from riskdesk.models import AuditEntry
from riskdesk.services import Services

ALICE, BOB = Actor("alice", "Alice"), Actor("bob", "Bob")


def _bench():
    path = Path(__file__).parents[2] / "benchmarks" / "bench_races.py"
    spec = importlib.util.spec_from_file_location("bench_races", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_races"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture
def two(db_url):
    """Alice's and Bob's riskdesk: two engines on one database, both administrators."""
    a, b = Services(Database.open(db_url, backup=False)), Services(Database.open(db_url, backup=False))
    a.registers.me(ALICE)
    a.registers.set_role(ALICE, b.registers.me(BOB).id, "admin")
    reg = a.registers.create_register(ALICE, "Race Register", "corporate")
    yield a, b, reg.id
    a.db.dispose()
    b.db.dispose()


def just_before_write(services: Services, colleague):
    """Run ``colleague()`` (which commits) once, when ``services`` first flushes a write."""
    fired = []

    def hook(session: Session, _ctx, _instances) -> None:
        if not fired and (session.new or session.dirty or session.deleted):
            fired.append(True)
            colleague()

    event.listen(services.db.sessions, "before_flush", hook)
    return fired


def change(text: str) -> AssessmentChange:
    return AssessmentChange(Score(3, 3), Score(2, 2), Direction.LEVEL, text)


def audit_count(services: Services, action: str, entity_id: int | None = None) -> int:
    with services.db.session() as s:
        stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == entity_id)
        return int(s.scalar(stmt))


def test_first_save_of_a_quarter_at_once_is_a_clear_conflict_not_an_integrity_error(two):
    a, b, reg = two
    period = a.registers.current_period(ALICE)
    other = a.risks.add_risk(ALICE, NewRisk(reg, "0", "IF w THEN v"))
    a.risks.record_assessment(ALICE, other.id, period, change("scheme in use"), expected_version=None)
    risk = a.risks.add_risk(ALICE, NewRisk(reg, "1", "IF x THEN y"))
    fired = just_before_write(a, lambda: b.risks.record_assessment(BOB, risk.id, period, change("Bob's"),
                                                                    expected_version=None))
    with pytest.raises(StaleEdit, match=r"The .* assessment of this risk was changed by someone else"):
        a.risks.record_assessment(ALICE, risk.id, period, change("Alice's"), expected_version=None)
    assert fired
    assert [h.update_text for h in a.risks.history(ALICE, risk.id)] == ["Bob's"]
    assert audit_count(a, "risk.assess", risk.id) == 1


def test_save_amend_and_remove_lose_to_a_colleague_with_a_clear_message(two):
    a, b, reg = two
    period = a.registers.current_period(ALICE)
    risk = a.risks.add_risk(ALICE, NewRisk(reg, "1", "IF x THEN y"))
    a.risks.record_assessment(ALICE, risk.id, period, change("first"), expected_version=None)
    seen = a.risks.get(ALICE, risk.id)

    just_before_write(a, lambda: b.risks.record_assessment(BOB, risk.id, period, change("Bob's"),
                                                           expected_version=seen.assessment_version))
    with pytest.raises(StaleEdit, match=r"changed by someone else after you opened it\. Reload it"):
        a.risks.record_assessment(ALICE, risk.id, period, change("Alice's"), expected_version=seen.assessment_version)
    assert a.risks.history(ALICE, risk.id)[-1].update_text == "Bob's"

    c = Services(Database.open(str(a.db.engine.url.render_as_string(hide_password=False)), backup=False))
    seen = c.risks.get(ALICE, risk.id)
    just_before_write(c, lambda: b.risks.amend_risk(BOB, risk.id, RiskChange(description="IF bob THEN z"),
                                                    expected_version=seen.version))
    with pytest.raises(StaleEdit, match="Risk 1 was changed by someone else"):
        c.risks.amend_risk(ALICE, risk.id, RiskChange(description="IF alice THEN w"), expected_version=seen.version)
    assert a.risks.get(ALICE, risk.id).description == "IF bob THEN z"

    d = Services(Database.open(str(a.db.engine.url.render_as_string(hide_password=False)), backup=False))
    seen = d.risks.get(ALICE, risk.id)
    just_before_write(d, lambda: b.risks.remove_risk(BOB, risk.id, "Bob: gone", expected_version=seen.version))
    with pytest.raises(StaleEdit, match="Risk 1 was changed by someone else"):
        d.risks.remove_risk(ALICE, risk.id, "Alice: gone", expected_version=seen.version)
    assert audit_count(a, "risk.remove", risk.id) == 1
    c.db.dispose()
    d.db.dispose()


def test_quarter_closed_twice_at_once_closes_once_and_says_so(two):
    a, b, _reg = two
    q = a.registers.current_period(ALICE)
    just_before_write(a, lambda: b.registers.close_quarter(BOB, expected=q))
    with pytest.raises(AlreadyDone, match=f"reporting period {q.label} has already been closed, by bob"):
        a.registers.close_quarter(ALICE, expected=q)
    assert a.registers.current_period(ALICE) == q.next()
    closings = audit_count(a, "period.close")
    print(f"period.close entries after two simultaneous closes: {closings}")
    assert closings == 1
    # Told the same when the colleague's close landed before this user's checks.
    with pytest.raises(AlreadyDone, match="has already been closed, by bob"):
        a.registers.close_quarter(ALICE, expected=q)


def test_cycle_presented_twice_at_once_is_presented_once(two):
    a, b, reg = two
    risk = a.risks.add_risk(ALICE, NewRisk(reg, "1", "IF x THEN y"))
    a.risks.record_assessment(ALICE, risk.id, a.registers.current_period(ALICE), change("u"), expected_version=None)
    cycle = a.cycles.create(ALICE, date(2030, 1, 7), register_id=reg)
    just_before_write(a, lambda: b.cycles.present(BOB, cycle.id, expected_version=cycle.version))
    with pytest.raises(AlreadyDone, match="was already presented, by bob"):
        a.cycles.present(ALICE, cycle.id, expected_version=cycle.version)
    assert audit_count(a, "cycle.present", cycle.id) == 1
    assert a.cycles.get(ALICE, cycle.id).presented_by == "bob"


def test_wording_saved_at_once_keeps_the_first_and_refuses_the_second(two):
    a, b, _reg = two
    seen = a.cycles.wording(ALICE)
    just_before_write(a, lambda: b.cycles.set_wording(BOB, footnotes=(Footnote("*", "Bob's"),), expected=seen))
    with pytest.raises(StaleEdit, match="appendix wording was changed by someone else"):
        a.cycles.set_wording(ALICE, footnotes=(Footnote("*", "Alice's"),), expected=seen)
    assert a.cycles.wording(ALICE)[0] == (Footnote("*", "Bob's"),)


def test_the_first_wording_ever_saved_at_once_keeps_the_first(two):
    """Nobody has saved wording yet. Bob reads it (nothing stored: the defaults) and checks it is
    what he began from; before he writes, Alice saves hers. Bob must be refused. He used to read
    the missing setting a second time, find Alice's and overwrite it: both saves succeeded (CI's
    race test caught it once in 20 attempts)."""
    a, b, _reg = two
    seen = b.cycles.wording(BOB)
    fired: list[bool] = []

    def alice_saves_between_bobs_reads(_conn, _cursor, statement, params, *_rest) -> None:
        # Bob's check reads the footnotes, then the column headings: Alice saves in between.
        if not fired and "appendix_columns" in str(params):
            fired.append(True)
            a.cycles.set_wording(ALICE, footnotes=(Footnote("*", "Alice's"),), expected=seen)

    event.listen(b.db.engine, "before_cursor_execute", alice_saves_between_bobs_reads)
    try:
        with pytest.raises(StaleEdit):
            b.cycles.set_wording(BOB, footnotes=(Footnote("*", "Bob's"),), expected=seen)
    finally:
        event.remove(b.db.engine, "before_cursor_execute", alice_saves_between_bobs_reads)
    stored = a.cycles.wording(ALICE)[0]
    print("Alice saved first:", bool(fired), "; stored footnote:", stored[0].text)
    assert fired and stored == (Footnote("*", "Alice's"),)
    assert audit_count(a, "settings.appendix") == 1


def test_a_write_lock_held_too_long_is_a_clear_busy_message_and_nothing_is_saved(tmp_path, monkeypatch):
    """A personal file opened by two riskdesks: while one holds the write lock (a long import),
    the other's save waits, then says the database was busy; nothing half-saved, no traceback."""
    import sqlite3

    import riskdesk.db

    monkeypatch.setattr(riskdesk.db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "personal.sqlite"
    a = Services(Database.open(f"sqlite:///{path}", backup=False))
    a.registers.me(ALICE)
    reg = a.registers.create_register(ALICE, "Race Register", "corporate")
    risk = a.risks.add_risk(ALICE, NewRisk(reg.id, "1", "IF x THEN y"))
    trail = audit_count(a, "risk.amend", risk.id)

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE setting SET value = value WHERE key = 'none'")
    try:
        with pytest.raises(DatabaseBusy) as told:
            a.risks.amend_risk(ALICE, risk.id, RiskChange(description="IF alice THEN w"),
                               expected_version=risk.version)
    finally:
        other.execute("ROLLBACK")
        other.close()
    print(f"told: {told.value}")
    assert str(told.value) == (
        "The database is busy: another riskdesk (or another program) kept it locked for more than 0.3 seconds. "
        "Nothing was changed. Try again in a moment; if it stays locked, close the other riskdesk windows or "
        "commands using this file.")
    assert a.risks.get(ALICE, risk.id).description == "IF x THEN y"
    assert audit_count(a, "risk.amend", risk.id) == trail
    # Once the lock is let go, the same save goes through.
    saved = a.risks.amend_risk(ALICE, risk.id, RiskChange(description="IF alice THEN w"),
                               expected_version=risk.version)
    assert saved.description == "IF alice THEN w"
    a.db.dispose()


def test_cli_race_is_one_paragraph_with_its_own_exit_code(two, db_url, capsys):
    a, b, _reg = two
    q = a.registers.current_period(ALICE)
    fired = []

    def hook(session, _ctx, _instances):
        if not fired and any(getattr(o, "key", None) == "current_period" for o in (*session.new, *session.dirty)):
            fired.append(True)
            b.registers.close_quarter(BOB, expected=q)

    event.listen(Session, "before_flush", hook)
    try:
        code = run(["--database", db_url, "--as", "alice", "quarter", "close", "--expect", q.label])
    finally:
        event.remove(Session, "before_flush", hook)
    err = capsys.readouterr().err
    assert fired and code == 3
    assert err.startswith(f"riskdesk: The reporting period {q.label} has already been closed, by bob")
    assert "Traceback" not in err and err.count("\n") == 1
    assert audit_count(a, "period.close") == 1


def test_every_race_200_times_in_ci_is_clean(db_url):
    """The stress script's scenarios, 20 times each here (200 in `benchmarks/bench_races.py`)."""
    bench = _bench()
    world = bench.World((db_url, db_url))  # on SQLite both people open the same file
    tallies = []
    try:
        for name, scenario in bench.SCENARIOS.items():
            tally = bench.Tally(name)
            for i in range(20):
                scenario(world, tally, i)
            tallies.append(tally)
    finally:
        world.close()
    bench.print_table("this database", tallies)
    assert [(t.scenario, t.lost_updates, t.tracebacks, t.duplicate_audit) for t in tallies] == [
        (t.scenario, 0, 0, 0) for t in tallies]
    assert all(t.told_stale + t.told_done == t.attempts for t in tallies)
