"""Time the register window on 5,000 risks × 8 quarters (plain script: prints a table).

Run: ``.venv/bin/python benchmarks/bench_register.py [risks]``. Goals: filter and sort on the
rows in the model ≤ 50 ms each; opening a risk in the editor well under a second.

The data is inserted with bulk SQL through SQLAlchemy (this script is not part of the app, so
it may import models); reading it back goes through the services, as the window does.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("RISKDESK_CONFIG_DIR", tempfile.mkdtemp(prefix="riskdesk-bench-config-"))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select

from riskdesk.db import Database
from riskdesk.domain.quarters import Quarter, last_n
from riskdesk.domain.register import Actor
from riskdesk.domain.register_filter import RegisterFilter, predicate
from riskdesk.models import Assessment, Category, Department, Risk, RiskDepartment, User
from riskdesk.services import Services
from riskdesk.services.registers import CURRENT_PERIOD, scheme_row
from riskdesk.ui.register.table_model import Col, RiskTableModel

WORDS = ["council", "budget", "demand", "service", "staff", "funding", "delivery", "contract", "data", "cyber", "flood", "highway", "school", "care", "market", "provider", "pressure", "savings", "inflation", "recruitment", "retention", "safeguarding", "waste", "energy"]
DEPTS = ("ASC", "CFS", "CR", "CE", "E&T", "PH")


def build(services: Services, actor: Actor, n: int, quarters: int = 8) -> tuple[int, Quarter]:
    rnd = random.Random(11)
    reg = services.registers.create_register(actor, "Benchmark Corporate Risk Register", kind="corporate")
    for code in DEPTS:
        services.registers.add_department(actor, code, f"Department {code}")
    for i in range(12):
        services.registers.add_user(actor, f"owner{i}", f"Owner {i}", "risk_owner")
    periods = last_n(Quarter(2026, 3), quarters)
    with services.db.sessions.begin() as s:
        scheme_id = scheme_row(s).id
        cats = []
        for c in range(20):
            cat = Category(register_id=reg.id, number=c + 1, name=f"Category {c + 1}", position=c + 1)
            s.add(cat)
            cats.append(cat)
        s.flush()
        dept_ids = list(s.scalars(select(Department.id)))
        owner_ids = list(s.scalars(select(User.id)))
        s.execute(insert(Risk), [
            {"register_id": reg.id, "category_id": cats[i % 20].id, "ref": f"{i % 20 + 1}.{i // 20 + 1}",
             "description": "If " + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(15, 45))) + " then harm.",
             "owner_id": rnd.choice(owner_ids), "service_area": "", "status": "current", "exempt": False,
             "version": 1}
            for i in range(n)
        ])
        risk_ids = list(s.scalars(select(Risk.id).where(Risk.register_id == reg.id)))
        s.execute(insert(RiskDepartment), [
            {"risk_id": rid, "department_id": d, "position": p}
            for rid in risk_ids for p, d in enumerate(rnd.sample(dept_ids, rnd.randint(1, 2)))
        ])
        rows = []
        for rid in risk_ids:
            ci, cl = rnd.randint(1, 5), rnd.randint(1, 5)
            for q in periods:
                ci = min(5, max(1, ci + rnd.choice((-1, 0, 0, 1))))
                rows.append({
                    "risk_id": rid, "period": q.code, "current_impact": ci, "current_likelihood": cl,
                    "target_impact": max(1, ci - 1), "target_likelihood": max(1, cl - 1), "note": "",
                    "direction": rnd.choice(("up", "level", "down")),
                    "update_text": "\n".join("• " + " ".join(rnd.choice(WORDS) for _ in range(25)) for _ in range(4)),
                    "scheme_id": scheme_id, "recorded_by": "bench", "version": 1,
                })
        for start in range(0, len(rows), 5000):
            s.execute(insert(Assessment), rows[start:start + 5000])
        services.ctx.set_setting(s, CURRENT_PERIOD, periods[-1].code)
    return reg.id, periods[-1]


def timed(fn: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None) -> float:
    """Median wall time in milliseconds (``setup`` runs before each try, untimed)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(n: int = 5000) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="riskdesk-bench-"))
    db = Database.open(f"sqlite:///{folder / 'bench.sqlite'}", backup=False)
    services = Services(db)
    actor = Actor("bench", "Benchmark")
    t0 = time.perf_counter()
    register_id, period = build(services, actor, n)
    build_ms = (time.perf_counter() - t0) * 1000
    scheme = services.registers.scheme(actor)
    me = services.registers.me(actor)

    results: list[tuple[str, float, str]] = [(f"insert {n:,} risks × 8 quarters (bulk SQL)", build_ms, "")]
    rows: list = []

    def load() -> None:
        rows[:] = services.risks.list_risks(actor, register_id)

    results.append(("list_risks (service, on the worker thread)", timed(load, 3), ""))
    model = RiskTableModel(scheme.bands)
    from riskdesk.domain.register_filter import search_text

    texts: dict[int, str] = {}
    results.append(("search texts (worker thread, with the load)",
                    timed(lambda: texts.update({r.id: search_text(r) for r in rows}), 3), ""))
    results.append(("model.set_rows", timed(lambda: model.set_rows(rows, texts), 3), ""))

    def flt(f: RegisterFilter) -> Callable[[], None]:
        p = predicate(f, bands=scheme.bands, current_period=period.code, my_user_id=me.id,
                      text_of=model.search_text)
        return lambda: model.set_filter(p)

    goal = 50.0
    for label, f in (("filter: free text 'flood'", RegisterFilter(text="flood")),
                     ("filter: band high + department PH", RegisterFilter(band="high", department="PH")),
                     ("filter: not updated this period", RegisterFilter(not_updated=True)),
                     ("filter: heat-map cell current 4×4", RegisterFilter(cell=("current", 4, 4)))):
        results.append((label, timed(flt(f), 7, setup=lambda: model.set_rows(rows, texts)), f"≤ {goal:.0f} ms"))
    model.set_filter(None)
    # Cold sorts: fresh rows before each try, so the column's sort keys are computed inside the timing.
    for label, col, order in (("sort: current score, descending", Col.CURRENT, Qt.SortOrder.DescendingOrder),
                              ("sort: ref (category, natural)", Col.REF, Qt.SortOrder.AscendingOrder),
                              ("sort: description", Col.DESCRIPTION, Qt.SortOrder.AscendingOrder),
                              ("sort: owner", Col.OWNER, Qt.SortOrder.AscendingOrder)):
        results.append((label, timed(lambda c=col, o=order: model.sort(c, o),
                                     setup=lambda: model.set_rows(rows, texts)), f"≤ {goal:.0f} ms"))

    from riskdesk.ui.main_window import MainWindow

    window = MainWindow(services, actor, background=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    page = window.register_page
    ids = [r.id for r in rows[:: max(1, len(rows) // 10)]][:10]
    it = iter(ids * 3)
    results.append(("editor: open a risk (history, actions, audit)", timed(lambda: page.open_risk(next(it)), 10),
                    "≤ 300 ms"))
    window.close()
    db.dispose()

    width = max(len(r[0]) for r in results)
    print(f"riskdesk register benchmark: {n:,} risks, 8 quarters ({len(rows):,} rows listed)")
    print(f"{'operation':<{width}}  {'median ms':>10}  goal")
    print(f"{'-' * width}  {'-' * 10}  ----------")
    failed = False
    for label, ms, goal_text in results:
        mark = ""
        if goal_text:
            limit = float(goal_text.split()[1])
            mark = "ok" if ms <= limit else "SLOW"
            failed |= ms > limit
        print(f"{label:<{width}}  {ms:>10.1f}  {goal_text} {mark}".rstrip())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
