"""Races: two people doing the same thing at the same moment, 200 times per scenario.

Each attempt starts two threads, each with its own engine (as two riskdesk windows or two
computers would have), held at a barrier and released together into the same service call.
Per scenario it prints: attempts, lost updates (both told "saved", or the stored value is not
the winner's), tracebacks (any error that is not one of riskdesk's own messages), duplicate
audit entries (the trail records the thing twice), and how many losers were told "someone else
changed this first" or "already done". Goal per scenario and backend, one verdict row each: no
lost update, no traceback, no duplicate audit entry (their sum 0); the counts are in the row's note.

    .venv/bin/python benchmarks/bench_races.py [--attempts 200] [--backend sqlite|postgresql|both]

PostgreSQL runs when ``RISKDESK_TEST_DATABASE_URL`` (or ``--pg URL``) names a server; without one its
rows are reported as skipped. ``BENCH_QUICK=1``: 20 attempts per scenario.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

os.environ.setdefault("RISKDESK_NO_DEMO", "1")
os.environ.setdefault("RISKDESK_DATA_DIR", tempfile.mkdtemp(prefix="riskdesk-races-"))

from sqlalchemy import func, select, text

from riskdesk.db import Database, make_engine, run_migrations, server_init
from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import AlreadyDone, RiskdeskError, StaleEdit
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange, NewRisk, RiskChange
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import Footnote
from riskdesk.models import AuditEntry
from riskdesk.services import Services

ALICE = Actor("alice", "Alice Clerk")
BOB = Actor("bob", "Bob Officer")


@dataclass
class Tally:
    scenario: str
    attempts: int = 0
    lost_updates: int = 0
    tracebacks: int = 0
    duplicate_audit: int = 0
    told_stale: int = 0
    told_done: int = 0
    examples: list[str] = field(default_factory=list)
    failed: str = ""  # the scenario itself could not go on (its set-up or its check raised)

    @property
    def clean(self) -> bool:
        return not self.failed and self.lost_updates == self.tracebacks == self.duplicate_audit == 0


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None
    trace: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


def race(calls: list[Callable[[], Any]]) -> list[Outcome]:
    """Run the calls at the same moment, one thread each; every outcome, errors included."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i].result = calls[i]()
        except BaseException as exc:
            outcomes[i].error = exc
            outcomes[i].trace = traceback.format_exc()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _first_line(exc: BaseException) -> str:
    """The error's type and its own first line (SQLAlchemy's last line is only a link)."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


def judge(tally: Tally, outcomes: list[Outcome], *, exclusive: bool, winner_ok: Callable[[int], bool],
          audit_count: Callable[[], int] | None = None) -> None:
    """Count one attempt: ``exclusive`` means exactly one may succeed; ``winner_ok(i)`` checks the
    stored state is what the successful caller ``i`` wrote."""
    tally.attempts += 1
    wins = [i for i, o in enumerate(outcomes) if o.ok]
    for o in outcomes:
        if o.error is None:
            continue
        if isinstance(o.error, AlreadyDone):
            tally.told_done += 1
        elif isinstance(o.error, StaleEdit):
            tally.told_stale += 1
        elif not isinstance(o.error, RiskdeskError):
            tally.tracebacks += 1
            if len(tally.examples) < 3:
                tally.examples.append(_first_line(o.error))
        elif len(tally.examples) < 3:
            tally.examples.append(f"other message: {o.error}")
    if (exclusive and len(wins) > 1) or (len(wins) == 1 and not winner_ok(wins[0])):
        tally.lost_updates += 1
    if audit_count is not None and audit_count() > 1:
        tally.duplicate_audit += 1


# -- the world each scenario starts from ---------------------------------------------------------


class World:
    """Two people, each with their own connection to one database: ``urls`` is alice's and bob's (on
    PostgreSQL each connects as their own login, who the server says they are; on SQLite the same
    file, and the actor is the person)."""

    def __init__(self, urls: tuple[str, str]) -> None:
        self.a = Services(Database.open(urls[0], backup=False))
        self.b = Services(Database.open(urls[1], backup=False))
        self.a.registers.me(ALICE)  # the first user administers the database (server init made both)
        bob = self.b.registers.me(BOB)
        if bob.role != "admin":
            self.a.registers.set_role(ALICE, bob.id, "admin")
        self.register_id = self.a.registers.create_register(ALICE, "Race Register", "corporate").id
        self.period = self.a.registers.current_period(ALICE)

    def close(self) -> None:
        self.a.db.dispose()
        self.b.db.dispose()

    def audit_count(self, action: str, entity_id: int | None = None, label_like: str | None = None) -> int:
        with self.a.db.session() as s:
            stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
            if entity_id is not None:
                stmt = stmt.where(AuditEntry.entity_id == entity_id)
            if label_like is not None:
                stmt = stmt.where(AuditEntry.label.like(label_like))
            return int(s.scalar(stmt) or 0)

    def audit_notes(self, action: str, entity_id: int) -> list[str]:
        with self.a.db.session() as s:
            return list(s.scalars(select(AuditEntry.note).where(AuditEntry.action == action,
                                                                AuditEntry.entity_id == entity_id)))

    def new_risk(self, ref: str, *, scored: bool = True) -> int:
        row = self.a.risks.add_risk(ALICE, NewRisk(self.register_id, ref, f"IF race {ref} THEN trouble"))
        if scored:
            self.a.risks.record_assessment(ALICE, row.id, self.period, change("first"), expected_version=None)
        return row.id


def change(text_: str) -> AssessmentChange:
    return AssessmentChange(Score(3, 3), Score(2, 2), Direction.LEVEL, text_)


# -- scenarios ---------------------------------------------------------------------------------


def save(w: World, tally: Tally, i: int) -> None:
    """Two people revise the same quarter's assessment, both having opened the same version."""
    rid = w._save_risk if hasattr(w, "_save_risk") else w.new_risk("S")
    w._save_risk = rid  # type: ignore[attr-defined]
    seen = w.a.risks.get(ALICE, rid).assessment_version
    texts = [f"alice {i}", f"bob {i}"]
    outs = race([lambda: w.a.risks.record_assessment(ALICE, rid, w.period, change(texts[0]), expected_version=seen),
                 lambda: w.b.risks.record_assessment(BOB, rid, w.period, change(texts[1]), expected_version=seen)])
    judge(tally, outs, exclusive=True,
          winner_ok=lambda k: w.a.risks.history(ALICE, rid)[-1].update_text == texts[k])


def first_save(w: World, tally: Tally, i: int) -> None:
    """Two people record a risk's first update of the quarter at once (both saw none)."""
    rid = w.new_risk(f"F{i}", scored=False)
    texts = [f"alice {i}", f"bob {i}"]
    outs = race([lambda: w.a.risks.record_assessment(ALICE, rid, w.period, change(texts[0]), expected_version=None),
                 lambda: w.b.risks.record_assessment(BOB, rid, w.period, change(texts[1]), expected_version=None)])
    judge(tally, outs, exclusive=True,
          winner_ok=lambda k: [h.update_text for h in w.a.risks.history(ALICE, rid)] == [texts[k]],
          audit_count=lambda: w.audit_count("risk.assess", rid))


def amend(w: World, tally: Tally, i: int) -> None:
    """Two people reword the same risk, both having opened the same version."""
    rid = w._amend_risk if hasattr(w, "_amend_risk") else w.new_risk("A", scored=False)
    w._amend_risk = rid  # type: ignore[attr-defined]
    seen = w.a.risks.get(ALICE, rid).version
    texts = [f"IF alice {i} THEN x", f"IF bob {i} THEN y"]
    outs = race([lambda: w.a.risks.amend_risk(ALICE, rid, RiskChange(description=texts[0]), expected_version=seen),
                 lambda: w.b.risks.amend_risk(BOB, rid, RiskChange(description=texts[1]), expected_version=seen)])
    judge(tally, outs, exclusive=True, winner_ok=lambda k: w.a.risks.get(ALICE, rid).description == texts[k])


def remove(w: World, tally: Tally, i: int) -> None:
    """Two people remove the same risk at once."""
    rid = w.new_risk(f"R{i}", scored=False)
    seen = w.a.risks.get(ALICE, rid).version
    outs = race([lambda: w.a.risks.remove_risk(ALICE, rid, "alice: done", expected_version=seen),
                 lambda: w.b.risks.remove_risk(BOB, rid, "bob: done", expected_version=seen)])
    reasons = ["alice: done", "bob: done"]
    judge(tally, outs, exclusive=True, winner_ok=lambda k: w.audit_notes("risk.remove", rid) == [reasons[k]],
          audit_count=lambda: w.audit_count("risk.remove", rid))


def quarter_close(w: World, tally: Tally, i: int) -> None:
    """Two people close the same quarter at once: it closes once, the trail says so once."""
    current = w.a.registers.current_period(ALICE)
    outs = race([lambda: w.a.registers.close_quarter(ALICE, expected=current),
                 lambda: w.b.registers.close_quarter(BOB, expected=current)])
    judge(tally, outs, exclusive=True, winner_ok=lambda k: w.a.registers.current_period(ALICE) == current.next(),
          audit_count=lambda: w.audit_count("period.close", label_like=f"Closed {current.label}"))


def cycle_present(w: World, tally: Tally, i: int) -> None:
    """Two people present the same report cycle at once: presented once, one trail entry."""
    if not hasattr(w, "_present_register"):  # its own register: every risk on it is scored
        reg = w.a.registers.create_register(ALICE, "Presented Register").id
        rid = w.a.risks.add_risk(ALICE, NewRisk(reg, "P", "IF presented THEN printed")).id
        w.a.risks.record_assessment(ALICE, rid, w.period, change("scored"), expected_version=None)
        w._present_register = reg  # type: ignore[attr-defined]
    row = w.a.cycles.create(ALICE, date(2030, 1, 7) + timedelta(days=7 * i), register_id=w._present_register)
    outs = race([lambda: w.a.cycles.present(ALICE, row.id, expected_version=row.version),
                 lambda: w.b.cycles.present(BOB, row.id, expected_version=row.version)])
    presenters = [ALICE.login, BOB.login]
    judge(tally, outs, exclusive=True,
          winner_ok=lambda k: w.a.cycles.get(ALICE, row.id).presented_by == presenters[k],
          audit_count=lambda: w.audit_count("cycle.present", row.id))


def wording(w: World, tally: Tally, i: int) -> None:
    """Two people save different appendix footnotes, both having opened the same wording."""
    seen = w.a.cycles.wording(ALICE)
    notes = [(Footnote("*", f"alice {i}"),), (Footnote("*", f"bob {i}"),)]
    outs = race([lambda: w.a.cycles.set_wording(ALICE, footnotes=notes[0], expected=seen),
                 lambda: w.b.cycles.set_wording(BOB, footnotes=notes[1], expected=seen)])
    judge(tally, outs, exclusive=True, winner_ok=lambda k: w.a.cycles.wording(ALICE)[0] == notes[k])


SCENARIOS: dict[str, Callable[[World, Tally, int], None]] = {
    "save": save, "first save of a quarter": first_save, "amend": amend, "remove": remove,
    "cycle present": cycle_present, "appendix wording": wording,
    "quarter close": quarter_close,  # last: it moves the period on (the others score the current one)
}


# -- databases ---------------------------------------------------------------------------------


def fresh_sqlite(folder: Path, name: str) -> str:
    url = f"sqlite:///{folder / (name.replace(' ', '_') + '.sqlite')}"
    engine = make_engine(url)
    run_migrations(engine)
    engine.dispose()
    return url


#: alice's and bob's password on a PostgreSQL server (their logins are made, or given it, for the run).
PG_PASSWORD = f"race-{uuid.uuid4().hex[:12]}"


def fresh_postgres(server: str, name: str) -> tuple[tuple[str, str], Callable[[], None]]:
    """A new database on ``server`` (a login that may create databases and roles), set up as a shared
    riskdesk database is (``server init``: roles, owner, privileges, row-level security) with alice and
    bob as administrators, each with a login of their own; returns their URLs and a function that
    drops the database."""
    from sqlalchemy.engine import make_url

    base = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1)
                    if server.startswith("postgresql://") else server)
    dbname = f"riskdesk_race_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {dbname}"))
        for login in (ALICE.login, BOB.login):
            exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login})
            conn.execute(text(f"{'ALTER' if exists else 'CREATE'} ROLE \"{login}\" LOGIN PASSWORD '{PG_PASSWORD}'"))
    engine = make_engine(base.set(database=dbname).render_as_string(hide_password=False))
    server_init(engine, admins=(ALICE.login, BOB.login), backup=False)
    engine.dispose()
    urls = tuple(base.set(database=dbname, username=login, password=PG_PASSWORD).render_as_string(hide_password=False)
                 for login in (ALICE.login, BOB.login))

    def drop() -> None:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"))
        admin.dispose()

    return (urls[0], urls[1]), drop


def run_backend(backend: str, attempts: int, pg_url: str, only: list[str] | None = None) -> list[Tally]:
    tallies = []
    folder = Path(tempfile.mkdtemp(prefix="riskdesk-races-"))
    try:
        for name, scenario in SCENARIOS.items():
            if only and name not in only:
                continue
            tally = Tally(name)
            tallies.append(tally)
            drop = None
            world = None
            try:
                if backend == "sqlite":
                    url = fresh_sqlite(folder, name)
                    urls = (url, url)
                else:
                    urls, drop = fresh_postgres(pg_url, name)
                world = World(urls)
                for i in range(attempts):
                    scenario(world, tally, i)
            except Exception as exc:  # the scenario could not go on: an error row, the others still run
                tally.failed = f"after {tally.attempts} attempts: {_first_line(exc)}"
                traceback.print_exc()
            finally:
                if world is not None:
                    world.close()
                if drop:
                    drop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return tallies


RACE_GOAL = harness.Goal(max_value=0, unit="lost/tracebacks/duplicates")


def race_metric(backend: str, scenario: str, attempts: int) -> str:
    return f"races, {backend}: {scenario} ({attempts:,} × two at once)"


def tally_row(backend: str, tally: Tally, attempts: int) -> harness.Row:
    """One verdict row per scenario: the sum of lost updates, tracebacks and duplicate audit entries
    must be 0; a scenario that could not run its attempts is an error."""
    metric = race_metric(backend, tally.scenario, attempts)
    counts = (f"lost {tally.lost_updates}, tracebacks {tally.tracebacks}, duplicate audit {tally.duplicate_audit}; "
              f"told stale {tally.told_stale}, told done {tally.told_done}")
    examples = f"; e.g. {' | '.join(tally.examples)}" if tally.examples else ""
    if tally.failed or tally.attempts < attempts:
        return harness.errored(metric, RACE_GOAL, f"{tally.failed or f'only {tally.attempts} attempts'}; {counts}")
    bad = tally.lost_updates + tally.tracebacks + tally.duplicate_audit
    return harness.judge(metric, RACE_GOAL, float(bad), note=counts + examples)


def race_rows(results: dict[str, list[Tally] | None], attempts: int,
              scenarios: list[str] | None = None) -> list[harness.Row]:
    """Rows for every backend: ``None`` tallies mean the backend was not configured (skipped rows)."""
    rows = []
    for backend, tallies in results.items():
        if tallies is None:
            why = "no PostgreSQL server configured (set RISKDESK_TEST_DATABASE_URL or --pg)"
            rows += [harness.skipped(race_metric(backend, name, attempts), RACE_GOAL, why)
                     for name in (scenarios or SCENARIOS)]
        else:
            rows += [tally_row(backend, t, attempts) for t in tallies]
    return rows


def print_table(backend: str, tallies: list[Tally]) -> None:
    print(f"\n{backend}: {'scenario':<26}{'attempts':>9}{'lost':>6}{'tracebacks':>11}{'dup audit':>10}"
          f"{'told stale':>11}{'told done':>10}")
    for t in tallies:
        print(f"{'':<{len(backend) + 2}}{t.scenario:<26}{t.attempts:>9}{t.lost_updates:>6}{t.tracebacks:>11}"
              f"{t.duplicate_audit:>10}{t.told_stale:>11}{t.told_done:>10}")
        for example in t.examples:
            print(f"{'':<{len(backend) + 6}}e.g. {example}")
        if t.failed:
            print(f"{'':<{len(backend) + 6}}FAILED {t.failed}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=20 if harness.QUICK else 200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg", default=os.environ.get("RISKDESK_TEST_DATABASE_URL", ""))
    parser.add_argument("--scenario", action="append", help="run only this scenario (repeatable)")
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results: dict[str, list[Tally] | None] = {}
    for backend in backends:
        if backend == "postgresql" and not args.pg:
            print("\npostgresql: skipped (set RISKDESK_TEST_DATABASE_URL or --pg)")
            results[backend] = None
            continue
        results[backend] = run_backend(backend, args.attempts, args.pg, args.scenario)
        print_table(backend, results[backend])
    print()
    return harness.finish(race_rows(results, args.attempts, args.scenario))


if __name__ == "__main__":
    sys.exit(main())
