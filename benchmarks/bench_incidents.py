"""Time the SI log on 100,000 serious incidents (plain script: prints a table).

Run: ``.venv/bin/python benchmarks/bench_incidents.py [count]``.
Goal: each filter or search change in the SI list ≤ 50 ms; the PDF report in a few seconds.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from functools import cache
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from riskdesk.db import Database
from riskdesk.domain.incidents import Framework, LearningResponse, Status, due_dates
from riskdesk.domain.register import Actor
from riskdesk.services import Services

WORDS = ("naloxone", "overdose", "medication", "PGD", "safeguarding", "referral", "email", "strategy meeting",
         "coroner", "community", "clinic", "recall", "opiate", "alcohol", "home visit", "health visitor")
CATEGORIES = ("Drug-related death", "Medication incident", "Communication failure", "Safeguarding concern",
              "Unexpected death of a service user")


@cache
def _dues(framework: Framework, identified: date, reported: date, agreed: date | None):  # type: ignore[no-untyped-def]
    return due_dates(framework, identified, reported, agreed)


def fill(services: Services, actor: Actor, n: int) -> None:
    from sqlalchemy import insert

    from riskdesk.models import IncidentAction, SeriousIncident

    p = services.providers
    ids = []
    for name, short, svc in (("Turning Point", "TP", "Integrated substance misuse service"),
                             ("Midlands Partnership University NHS Foundation Trust", "MPFT",
                              "Integrated sexual health service"),
                             ("Leicestershire Partnership NHS Trust", "LPT", "0–11 Healthy Together"),
                             ("Change Grow Live", "CGL", "Young people's substance misuse service")):
        prov = p.add_provider(actor, name, short)
        ids.append((prov.id, p.add_service(actor, prov.id, svc).id))
    rnd = random.Random(11)
    start = date(2015, 1, 1)
    statuses = list(Status)
    rows, actions = [], []
    for i in range(1, n + 1):
        pid, sid = rnd.choice(ids)
        reported = start + timedelta(days=rnd.randint(0, 3200))
        identified = reported - timedelta(days=rnd.randint(0, 2))
        framework = Framework.PSIRF if reported.year >= 2023 else Framework.SIF_2015
        agreed = reported + timedelta(days=rnd.choice((40, 60, 90))) if framework is Framework.PSIRF else None
        dues = _dues(framework, identified, reported, agreed)
        # As in life: SIs more than a year old are nearly all closed.
        status = Status.CLOSED if reported.year < 2022 and rnd.random() < 0.97 else rnd.choice(statuses)
        done = status.step >= Status.REPORT_RECEIVED.step
        rows.append(dict(
            id=i, reference=f"SI-{reported.year}-{i:06d}", provider_id=pid, service_id=sid, occurred_on=identified,
            identified_on=identified, reported_on=reported, category=rnd.choice(CATEGORIES),
            description=" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 30))),
            external_ref=f"{reported.year}/{rnd.randint(10000, 99999)}", framework=framework.value,
            learning_response=rnd.choice(list(LearningResponse)).value if framework is Framework.PSIRF else None,
            agreed_due=agreed, status=status.value,
            steis_reported_on=identified + timedelta(days=1) if framework is Framework.SIF_2015 else None,
            initial_review_on=identified + timedelta(days=3) if framework is Framework.SIF_2015 else None,
            report_received_on=reported + timedelta(days=80) if done else None,
            closed_on=reported + timedelta(days=150) if status is Status.CLOSED else None, lessons="",
            steis_due=dues.steis, initial_review_due=dues.initial_review, report_due=dues.report, version=1,
        ))
        if i % 3 == 0:
            actions.append(dict(incident_id=i, position=0, description="Share learning", owner="Lead",
                                due_on=reported + timedelta(days=100),
                                completed_on=None if status is not Status.CLOSED else reported + timedelta(days=99)))
    with services.db.sessions.begin() as s:
        for k in range(0, len(rows), 5000):
            s.execute(insert(SeriousIncident), rows[k:k + 5000])
        for k in range(0, len(actions), 5000):
            s.execute(insert(IncidentAction), actions[k:k + 5000])


def timed(label: str, fn, results: list[tuple[str, float, str]], note: str = ""):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    results.append((label, (time.perf_counter() - t) * 1000, note))
    return out


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from PySide6.QtCore import QCoreApplication

    from riskdesk.ui.incidents.table_model import (
        Col,
        IncidentFilter,
        IncidentTableModel,
        index_incidents,
    )

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - models want an application
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", backup=False)
        services = Services(db)
        actor = Actor("bench")
        results: list[tuple[str, float, str]] = []
        timed(f"generate {n:,} SIs", lambda: fill(services, actor, n), results)
        today = date(2023, 10, 16)
        rows = timed("service: list SIs with clocks", lambda: services.incidents.list_incidents(actor, today=today),
                     results, f"{n:,} rows")
        model = IncidentTableModel()
        index = timed("worker: index rows for filtering", lambda: index_incidents(rows), results)
        timed("GUI thread: set rows (open the list)", lambda: model.set_rows(rows, index), results)
        tp = rows[0].provider_id
        filters = [
            ("filter: provider", IncidentFilter(provider_id=tp)),
            ("filter: provider + PSIRF", IncidentFilter(provider_id=tp, framework=Framework.PSIRF)),
            ("filter: status open", IncidentFilter(open_only=True)),
            ("filter: period Oct 2022–Sep 2023", IncidentFilter(from_month=(2022, 10), to_month=(2023, 9))),
            ("filter: overdue only", IncidentFilter(overdue_only=True)),
            ("search: 'naloxone'", IncidentFilter(text="naloxone")),
            ("search: 'coroner opiate' + open", IncidentFilter(text="coroner opiate", open_only=True)),
            ("search: no match", IncidentFilter(text="zzzz")),
            ("filter: cleared", IncidentFilter()),
        ]
        worst = 0.0
        for label, flt in filters:
            timed(label, lambda f=flt: model.set_filter(f), results)
            results[-1] = (*results[-1][:2], f"{model.rowCount():,} shown")
            worst = max(worst, results[-1][1])
        timed("sort: by working days left", lambda: model.sort(Col.LEFT), results)
        timed("monthly review (Sep 2023)", lambda: services.incidents.monthly_review(actor, (2023, 9), today=today),
              results)
        timed("SI report PDF (two periods)", lambda: services.incidents.write_report(
            actor, (2022, 10), (2023, 9), Path(tmp) / "si.pdf", today=today), results)
        db.dispose()
    width = max(len(r[0]) for r in results)
    print(f"{'step':<{width}}  {'ms':>9}  note")
    for label, ms, note in results:
        print(f"{label:<{width}}  {ms:9.1f}  {note}")
    goal = "met" if worst <= 50 else "MISSED"
    print(f"\nslowest filter/search change: {worst:.1f} ms (goal ≤ 50 ms: {goal})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
