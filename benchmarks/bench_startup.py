"""Start-up: from spawn to the window's first paint and to the register's rows painted.

Same event against the same event: riskdesk's first paint against the bare window's first paint,
riskdesk's rows painted against the bare table's rows painted, the bare table reading the same
rows from the same SQLite file. Both run as fresh processes (the user pays a fresh process),
interleaved; peak memory is each child's own VmHWM. Also the demo register (a first-run user's
database) against the bare table holding its rows.

riskdesk is started as users start it: after an earlier start and close (the first, untimed round),
so with the early reads its close kept (``riskdesk.services.kept_reads``). At 5,000 risks it is also
started after the file has changed since that close (its time touched), when the copy does not fit
and the reads run beside the window as on a first start: reported, as information, beside it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import adapter
import datagen
from harness import (
    FRESH_PROCESS_RUNS,
    INFO,
    QUICK,
    BenchError,
    Goal,
    Row,
    Stat,
    compile_bytecode,
    count_instructions,
    errored,
    finish,
    interleave,
    isolated_env,
    judge,
    ms,
    run_child,
    scratch,
    skipped,
)

RISKS = 500 if QUICK else 5_000
MARKS = ("first-paint", "rows-painted")
FLOOR = str(Path(__file__).resolve().parent / "bare_qt_table.py")


def window_env(env: dict[str, str]) -> dict[str, str]:
    """riskdesk's child environment: the benchmark login, printing its start-up marks."""
    return adapter.window_start_env(adapter.as_login(env, datagen.BENCH_LOGIN))


def measure(db: Path, env: dict[str, str], app_db: str | None, changed: bool = False) -> dict[str, list]:
    """Interleaved fresh starts: riskdesk as it is usually started (the file as the last close left
    it, the early reads kept then: ``riskdesk.services.kept_reads``), the bare table, and with
    ``changed`` riskdesk after the file has changed since (its time touched just before the start,
    untimed: the copy kept does not fit, and the reads run beside the window as on a first start)."""
    app_env = window_env(env)

    def touched_then_started():  # type: ignore[no-untyped-def]
        os.utime(db)
        return run_child(adapter.window_start_command(app_db), app_env, marks=MARKS)

    cases = {
        "riskdesk": lambda: run_child(adapter.window_start_command(app_db), app_env, marks=MARKS),
        "floor": lambda: run_child([sys.executable, FLOOR, "risks", str(db)], env, marks=MARKS),
    }
    if changed:
        cases["changed"] = touched_then_started
    # The first, untimed round is a start before (as every start but a user's very first): its
    # close keeps the early reads for the next.
    return interleave(cases, runs=FRESH_PROCESS_RUNS)


def instructions(db: Path, env: dict[str, str], app_db: str) -> Row:
    """The first paint in instructions (callgrind): what riskdesk does before its window appears against
    what the bare window does, free of the machine's noise. Run after the timed starts, so the window's
    state (column widths, splitter) is remembered, as on any start but the first."""
    app = count_instructions(adapter.window_start_command(app_db)[1:], window_env(env), "first-paint")
    floor = count_instructions([FLOOR, "risks", str(db)], env, "first-paint")
    return judge(f"instructions, start → first paint ({RISKS:,} risks)", Goal(unit="M"), app, floor,
                 note="millions on the main thread, callgrind, one run each (deterministic)")


def rows_for(label: str, app: list, floor: list, rows_goal: Goal | None, memory: bool,
             changed: list | None = None) -> list[Row]:
    def first(runs: list) -> Stat:
        return ms([r.marks["first-paint"] for r in runs])

    def rows(runs: list) -> Stat:
        return ms([r.marks["rows-painted"] for r in runs])

    out = [judge(f"start → first paint ({label})", Goal(max_ratio=1.3), first(app), first(floor))]
    out.append(judge(f"start → rows painted ({label})", Goal(max_value=300), rows(app), rows(floor)))
    if rows_goal is not None:
        out.append(judge(f"start → rows painted ({label}), against the bare table", rows_goal, rows(app),
                         rows(floor)))
    if changed is not None:
        note = "the copy kept at the last close does not fit: the reads run beside the window"
        out.append(judge(f"start → first paint ({label}), the file changed since", INFO, first(changed),
                         first(floor), note=note))
        out.append(judge(f"start → rows painted ({label}), the file changed since", INFO, rows(changed),
                         rows(floor), note=note))
    if memory:
        out.append(judge(f"peak memory, rows painted ({label})", Goal(unit="MiB"),
                         Stat.of([r.hwm_mib[0] for r in app]), Stat.of([r.hwm_mib[0] for r in floor]),
                         note="VmHWM of each child"))
    return out


def main() -> int:
    compile_bytecode()
    results: list[Row] = []
    with scratch() as tmp:
        env = isolated_env(tmp, RISKDESK_NO_DEMO="1")
        db = tmp / "register.sqlite"
        datagen.create(f"sqlite:///{db}", datagen.register_tables(RISKS))
        try:
            runs = measure(db, env, str(db), changed=True)
            results += rows_for(f"{RISKS:,} risks", runs["riskdesk"], runs["floor"], Goal(max_ratio=2.0),
                                memory=True, changed=runs["changed"])
        except BenchError as exc:
            results.append(errored(f"start → rows painted ({RISKS:,} risks)", INFO, str(exc)[:300]))
        try:
            results.append(instructions(db, env, str(db)))
        except BenchError as exc:
            results.append(skipped(f"instructions, start → first paint ({RISKS:,} risks)", INFO, str(exc)[:200]))

        # The demo council, as a first-run user gets it: seeded once (not timed), then started again.
        demo_home = tmp / "demo"
        demo_env = adapter.as_login(isolated_env(demo_home), datagen.BENCH_LOGIN)
        try:
            run_child(adapter.window_start_command(None), adapter.window_start_env(demo_env), marks=MARKS)
            demo_db = demo_home / "data" / "riskdesk.sqlite"
            runs = measure(demo_db, demo_env, None)
            results += rows_for("demo register", runs["riskdesk"], runs["floor"], None, memory=False)
        except BenchError as exc:
            results.append(errored("start → rows painted (demo register)", INFO, str(exc)[:300]))
    return finish(results)


if __name__ == "__main__":
    sys.exit(main())
