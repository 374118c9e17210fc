"""The serious-incident log at 100,000 SIs: memory with them listed, and a keystroke in the search
box until the filtered table is painted, as the user waits (debounce, filtering and repaint).

riskdesk runs its real window in a fresh child, opens the Incidents tab and waits for the list;
its peak memory (VmHWM, read by the parent while the child holds) is then compared with the
250 MB goal and with the floor: a bare QTableView holding the same SIs read from the same file.
Keystrokes are real key presses (then Backspace) timed to the table painted with the result.
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

COUNT = 10_000 if QUICK else 100_000
TYPED = "nalo"
CHILDREN = 1 if QUICK else 3
REPEAT = 1 if QUICK else max(1, -(-RUNS // (3 * 2 * len(TYPED))))  # ≥ RUNS keystrokes in all
FLOOR = str(Path(__file__).resolve().parent / "bare_qt_table.py")
APP = str(adapter.APP_CHILD)
MIB_PER_MB = 1_000_000 / 1_048_576


def main() -> int:
    compile_bytecode()
    results: list[Row] = []
    with scratch() as tmp:
        env = adapter.as_login(isolated_env(tmp, RISKDESK_NO_DEMO="1"), datagen.BENCH_LOGIN)
        db = tmp / "incidents.sqlite"
        datagen.create(f"sqlite:///{db}", datagen.incident_tables(COUNT))
        cases = {
            "riskdesk": lambda: run_child([sys.executable, APP, "incidents", f"sqlite:///{db}", datagen.BENCH_LOGIN,
                                           TYPED, str(REPEAT)], env, marks=("rows-painted",), timeout=900),
            "floor": lambda: run_child([sys.executable, FLOOR, "incidents", str(db), "--type", TYPED,
                                        "--repeat", str(REPEAT)], env, marks=("rows-painted",), timeout=900),
        }
        try:
            runs = interleave(cases, runs=CHILDREN, warm=0)
        except BenchError as exc:
            return finish([errored(f"SI list ({COUNT:,} SIs)", INFO, str(exc)[:300])])
        app, floor = runs["riskdesk"], runs["floor"]
        listed = int(app[0].values.get("rows", [0])[0])
        note = f"{listed:,} rows listed" if listed != COUNT else ""
        results.append(judge(f"peak memory with {COUNT:,} SIs listed", Goal(max_value=250 * MIB_PER_MB, unit="MiB"),
                             Stat.of([r.hwm_mib[0] for r in app]), Stat.of([r.hwm_mib[0] for r in floor]),
                             note=(note + "; " if note else "") + "goal 250 MB = 238 MiB, VmHWM of each child"))
        a = [v for r in app for v in r.values.get("keystroke", [])]
        f = [v for r in floor for v in r.values.get("keystroke", [])]
        label = f"SI search keystroke → filtered table painted ({COUNT:,} SIs)"
        results.append(judge(label, Goal(max_value=50), Stat.of(a), Stat.of(f)) if a and f
                       else errored(label, Goal(max_value=50), "no keystroke changed the table"))
    return finish(results)


if __name__ == "__main__":
    sys.exit(main())
