"""Start-up: from spawn to the window's first paint and to the register's rows painted.

Same event against the same event: riskdesk's first paint against the bare window's first paint,
riskdesk's rows painted against the bare table's rows painted, the bare table reading the same
rows from the same SQLite file. Both run as fresh processes (the user pays a fresh process),
interleaved; peak memory is each child's own VmHWM. Also the demo register (a first-run user's
database) against the bare table holding its rows.
"""

from __future__ import annotations

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


def measure(db: Path, env: dict[str, str], app_db: str | None) -> tuple[dict, dict]:
    app_env = window_env(env)
    cases = {
        "riskdesk": lambda: run_child(adapter.window_start_command(app_db), app_env, marks=MARKS),
        "floor": lambda: run_child([sys.executable, FLOOR, "risks", str(db)], env, marks=MARKS),
    }
    runs = interleave(cases, runs=FRESH_PROCESS_RUNS)
    return runs["riskdesk"], runs["floor"]


def instructions(db: Path, env: dict[str, str], app_db: str) -> Row:
    """The first paint in instructions (callgrind): what riskdesk does before its window appears against
    what the bare window does, free of the machine's noise. Run after the timed starts, so the window's
    state (column widths, splitter) is remembered, as on any start but the first."""
    app = count_instructions(adapter.window_start_command(app_db)[1:], window_env(env), "first-paint")
    floor = count_instructions([FLOOR, "risks", str(db)], env, "first-paint")
    return judge(f"instructions, start → first paint ({RISKS:,} risks)", Goal(unit="M"), app, floor,
                 note="millions on the main thread, callgrind, one run each (deterministic)")


def rows_for(label: str, app: list, floor: list, rows_goal: Goal | None, memory: bool) -> list[Row]:
    def first(runs: list) -> Stat:
        return ms([r.marks["first-paint"] for r in runs])

    def rows(runs: list) -> Stat:
        return ms([r.marks["rows-painted"] for r in runs])

    out = [judge(f"start → first paint ({label})", Goal(max_ratio=1.3), first(app), first(floor))]
    out.append(judge(f"start → rows painted ({label})", Goal(max_value=300), rows(app), rows(floor)))
    if rows_goal is not None:
        out.append(judge(f"start → rows painted ({label}), against the bare table", rows_goal, rows(app),
                         rows(floor)))
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
            app, floor = measure(db, env, str(db))
            results += rows_for(f"{RISKS:,} risks", app, floor, Goal(max_ratio=2.0), memory=True)
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
            app, floor = measure(demo_db, demo_env, None)
            results += rows_for("demo register", app, floor, None, memory=False)
        except BenchError as exc:
            results.append(errored("start → rows painted (demo register)", INFO, str(exc)[:300]))
    return finish(results)


if __name__ == "__main__":
    sys.exit(main())
