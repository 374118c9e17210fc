"""The register window on a large register: sorts, typed search and opening a risk, as the user waits.

Every time is from a real mouse click or key press to the table (or editor) painted with the
result, in the real window, debounce and background work included. Sorts are truly cold: before
each click the register is read again (View ▸ Refresh) so no sort key is cached, and the column
clicked is never the one already sorted. The floor is a bare QTableView over the same rows read
from the same file, sorting a Python list and filtering pre-lowered text, timed the same way.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import adapter
import datagen
from harness import (
    INFO,
    QUICK,
    RUNS,
    BenchError,
    Goal,
    Row,
    Stat,
    compile_bytecode,
    errored,
    finish,
    interleave,
    isolated_env,
    judge,
    run_child,
    scratch,
)

RISKS = 500 if QUICK else 5_000
TYPED = "flood"
CHILDREN = 1 if QUICK else 3  # each child repeats every action REPEAT times: ≥ 7 samples per metric
REPEAT = 1 if QUICK else max(3, -(-RUNS // 3))
FLOOR = str(Path(__file__).resolve().parent / "bare_qt_table.py")
APP = str(adapter.APP_CHILD)


def values(runs: list, name: str) -> list[float]:
    return [v for r in runs for v in r.values.get(name, [])]


def main() -> int:
    compile_bytecode()
    results: list[Row] = []
    with scratch() as tmp:
        env = adapter.as_login(isolated_env(tmp, RISKDESK_NO_DEMO="1"), datagen.BENCH_LOGIN)
        db = tmp / "register.sqlite"
        datagen.create(f"sqlite:///{db}", datagen.register_tables(RISKS))
        sorts = ",".join(str(f) for _a, f in adapter.REGISTER_SORTS.values())
        cases = {
            "riskdesk": lambda: run_child([sys.executable, APP, "register", f"sqlite:///{db}", datagen.BENCH_LOGIN,
                                           TYPED, str(REPEAT)], env, marks=("rows-painted",), timeout=900),
            "floor": lambda: run_child([sys.executable, FLOOR, "risks", str(db), "--type", TYPED, "--sort", sorts,
                                        "--repeat", str(REPEAT)], env, marks=("rows-painted",), timeout=900),
        }
        try:
            runs = interleave(cases, runs=CHILDREN, warm=0)
        except BenchError as exc:
            return finish([errored(f"register window ({RISKS:,} risks)", INFO, str(exc)[:300])])
        app, floor = runs["riskdesk"], runs["floor"]
        for name, (_app_col, floor_col) in adapter.REGISTER_SORTS.items():
            a = values(app, f"sort-{name.replace(' ', '-')}")
            f = values(floor, f"sort{floor_col}")
            label = f"click a column header → sorted table painted, cold: {name} ({RISKS:,} risks)"
            if a and f:
                results.append(judge(label, Goal(max_value=50), Stat.of(a), Stat.of(f)))
            else:
                results.append(errored(label, Goal(max_value=50), "the table never repainted sorted"))
        a, f = values(app, "keystroke"), values(floor, "keystroke")
        label = f"register search keystroke → filtered table painted ({RISKS:,} risks)"
        results.append(judge(label, Goal(max_value=50), Stat.of(a), Stat.of(f)) if a and f
                       else errored(label, Goal(max_value=50), "no keystroke changed the table"))
        opened = values(app, "open-risk")
        results.append(judge("open a risk in the editor → editor painted", Goal(max_value=300), Stat.of(opened)))
        results.append(judge(f"peak memory, register window ({RISKS:,} risks listed)", Goal(unit="MiB"),
                             Stat.of([r.hwm_mib[0] for r in app]), Stat.of([r.hwm_mib[0] for r in floor]),
                             note="VmHWM of each child"))
    return finish(results)


if __name__ == "__main__":
    sys.exit(main())
