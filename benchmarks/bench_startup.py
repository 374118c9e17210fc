"""Start-up, register load and memory on a large register (issue: foundation).

Generates a SQLite database of 5,000 risks × 8 quarters, then measures, as whole processes:
- riskdesk cold start to the first paint of the register window (offscreen),
- a bare QMainWindow + QTableView over a plain model of the same row count (the floor),
plus the service call that loads the register, and each process's peak RSS.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RISKS = 5_000
QUARTERS = 8
RUNS = 9


def generate(path: Path) -> None:
    from sqlalchemy import insert

    from riskdesk.db import make_engine, run_migrations
    from riskdesk.domain.quarters import Quarter
    from riskdesk.domain.scoring import default_scheme
    from riskdesk.models import (
        Assessment,
        Category,
        Department,
        Register,
        Risk,
        RiskDepartment,
        SchemeVersion,
        User,
    )

    engine = make_engine(f"sqlite:///{path}")
    run_migrations(engine)
    rnd = random.Random(7)
    scheme = default_scheme()
    quarters = [Quarter(2024, 1)]
    for _ in range(QUARTERS - 1):
        quarters.append(quarters[-1].next())
    with engine.begin() as conn:
        conn.execute(insert(SchemeVersion), [{"id": 1, "version": 1, "name": scheme.name, "data": scheme.to_dict()}])
        conn.execute(insert(User), [{"id": i, "login": f"owner{i}", "display_name": f"Owner {i}", "job_title": "",
                                     "role": "risk_owner", "active": True} for i in range(1, 41)])
        conn.execute(insert(Department), [{"id": i, "code": f"D{i}", "name": f"Department {i}", "active": True}
                                          for i in range(1, 9)])
        conn.execute(insert(Register), [{"id": 1, "name": "Corporate Risk Register", "kind": "corporate",
                                         "department_id": None}])
        conn.execute(insert(Category), [{"id": c, "register_id": 1, "number": c, "name": f"Category {c}",
                                         "retired": False, "position": c, "heading_as_given": None, "version": 1}
                                        for c in range(1, 21)])
        risks, depts, assessments = [], [], []
        for r in range(1, RISKS + 1):
            cat = (r - 1) % 20 + 1
            risks.append({"id": r, "register_id": 1, "category_id": cat, "ref": f"{cat}.{(r - 1) // 20 + 1}",
                          "description": f"If risk {r} materialises then services will be affected. " * 3,
                          "service_area": "", "departments_text": None, "owner_id": rnd.randint(1, 40),
                          "status": "current", "exempt": False, "first_presented_on": None, "version": 1})
            depts.append({"risk_id": r, "department_id": rnd.randint(1, 8), "position": 0})
            for q in quarters:
                i, lk = rnd.randint(1, 5), rnd.randint(1, 5)
                assessments.append({"risk_id": r, "period": q.code, "current_impact": i, "current_likelihood": lk,
                                    "target_impact": max(1, i - 1), "target_likelihood": max(1, lk - 1), "note": "",
                                    "direction": rnd.choice(["up", "level", "down"]), "direction_text": None,
                                    "update_text": f"Update for {q.label}: actions on track. " * 4, "scheme_id": 1,
                                    "recorded_by": "bench", "version": 1})
        conn.execute(insert(Risk), risks)
        conn.execute(insert(RiskDepartment), depts)
        conn.execute(insert(Assessment), assessments)
    engine.dispose()


def timed_process(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from spawn until the child's first paint and until its rows are painted, and peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    first = rows = None
    for line in proc.stdout:
        if line.strip() == "first-paint" and first is None:
            first = time.perf_counter() - start
        if line.strip() == "rows-painted":
            rows = time.perf_counter() - start
            break
    if first is None or rows is None:
        raise RuntimeError(f"{args} never painted its rows")
    _, _status, usage = os.wait4(proc.pid, 0)
    return first, rows, usage.ru_maxrss / 1024


def compile_bytecode() -> None:
    """Write riskdesk's .pyc files, as any installed copy (or any run without
    PYTHONDONTWRITEBYTECODE) has them, so start-up is not timed compiling source."""
    import compileall

    compileall.compile_dir(str(ROOT / "riskdesk"), quiet=1)


def main() -> None:
    compile_bytecode()
    tmp = Path(tempfile.mkdtemp(prefix="riskdesk-bench-"))
    db = tmp / "big.sqlite"
    t0 = time.perf_counter()
    generate(db)
    print(f"generated {RISKS:,} risks × {QUARTERS} quarters in {time.perf_counter() - t0:.1f} s")

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RISKDESK_EXIT_AFTER_FIRST_PAINT="1",
               RISKDESK_CONFIG_DIR=str(tmp / "config"), RISKDESK_DATA_DIR=str(tmp / "data"), RISKDESK_NO_DEMO="1")
    app_cmd = [sys.executable, "-m", "riskdesk", "--database", str(db), "--as", "owner1"]
    bare_cmd = [sys.executable, str(Path(__file__).parent / "bare_qt_table.py"), str(RISKS)]
    timed_process(app_cmd, env)  # warm the OS file cache once for both
    timed_process(bare_cmd, env)
    # Alternate the two, so a busy moment on the machine weighs on both alike.
    app_runs, bare_runs = [], []
    for _ in range(RUNS):
        app_runs.append(timed_process(app_cmd, env))
        bare_runs.append(timed_process(bare_cmd, env))
    app_first = statistics.median(r[0] for r in app_runs)
    app_t, bare_t = statistics.median(r[1] for r in app_runs), statistics.median(r[1] for r in bare_runs)

    from riskdesk.db import Database
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services

    services = Services(Database.open(str(db), backup=False))
    actor = Actor("owner1")
    loads = []
    for _ in range(RUNS):
        t = time.perf_counter()
        rows = services.risks.list_risks(actor, 1)
        loads.append(time.perf_counter() - t)
    assert len(rows) == RISKS

    print(f"\n{'measure':<52}{'median':>10}{'peak RSS':>12}")
    print(f"{'riskdesk: cold start to first paint of the window':<52}{app_first:>9.2f}s")
    print(f"{'riskdesk: cold start to the 5,000 rows painted':<52}{app_t:>9.2f}s"
          f"{max(r[2] for r in app_runs):>10.0f}MB")
    print(f"{'floor: bare QMainWindow + QTableView, rows painted':<52}{bare_t:>9.2f}s"
          f"{max(r[2] for r in bare_runs):>10.0f}MB")
    print(f"{'ratio, first paint (goal <= 1.3x)':<52}{app_first / bare_t:>9.2f}x")
    print(f"{'ratio, rows painted':<52}{app_t / bare_t:>9.2f}x")
    print(f"{'register load (services.risks.list_risks, 5,000)':<52}{statistics.median(loads) * 1000:>8.0f}ms")


if __name__ == "__main__":
    main()
