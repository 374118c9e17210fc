"""The clinical-audit log on a large generated history: 5,000 audits (and 200 PGDs) over 16 quarters.

Goals: the audits list and the page's overview strip of 5,000 audits ≤ 1,000 ms each; sorting the
audits table (its Python sort, one header click's worth) ≤ 200 ms; the audits appendix PDF for one
year's audits (about 1,250) ≤ 5,000 ms.

In one process, as the Clinical page runs them (a warm process, as the user's window is): the
service calls against a SQLite file, the table model's sort and filter on the listed rows, the
appendix read and written to a PDF file. Each case runs ``RUNS`` times (≥ 7), interleaved, reported
as median and spread; each sort is on a freshly set list and on another column than the last, so no
sort finds its rows already in order. Recording the audits (one audited transaction each, as the
service records them; about 30 s for 5,000) is set-up, printed, not a row. Data: a seeded
``random.Random``; everything is written inside a scratch folder (``harness.scratch``), config and
data folders included. ``BENCH_QUICK`` records 300 audits.

Run: ``python benchmarks/bench_clinical.py [audits]`` (or ``make bench BENCH=clinical``).
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    INFO,
    QUICK,
    RUNS,
    Goal,
    Row,
    Stat,
    errored,
    finish,
    interleave,
    isolate_this_process,
    judge,
    scratch,
    skipped,
    timed_ms,
)

AUDITS = 300 if QUICK else 5000
PGDS = 200
LIST_GOAL = Goal(max_value=1000)
OVERVIEW_GOAL = Goal(max_value=1000)
SORT_GOAL = Goal(max_value=200)
APPENDIX_GOAL = Goal(max_value=5000)
TODAY = date(2024, 6, 1)
FILTER = "bashh 42"
#: Header clicks, each on another column than the one before: (column, descending).
SORTS = ((3, True), (2, False), (8, False), (0, True), (10, False), (1, True), (6, False), (9, True))

#: (key, metric, goal, note); {n}, {year} and {shown} are filled in by rows_from.
CASES: tuple[tuple[str, str, Goal, str], ...] = (
    ("list", "clinical audits: list_audits ({n} audits)", LIST_GOAL, ""),
    ("overview", "clinical audits: overview strip ({n} audits, {pgds} PGDs)", OVERVIEW_GOAL, ""),
    ("sort", "clinical audits table: one header-click sort ({n} rows)", SORT_GOAL,
     "each on a freshly set list, never the column last sorted"),
    ("appendix", "clinical audits appendix PDF, one year ({year} audits): read + write", APPENDIX_GOAL, ""),
    ("filter", "clinical audits table: filter “" + FILTER + "” ({n} rows, {shown} shown)", INFO, ""),
)


def rows_from(samples: Mapping[str, list[float]], *, audits: int = 5000, pgds: int = PGDS, year: int = 1250,
              shown: int = 0, errors: Mapping[str, str] | None = None) -> list[Row]:
    """The verdict rows from the samples (milliseconds, by case key)."""
    errors = errors or {}
    rows = []
    for key, metric, goal, note in CASES:
        label = metric.format(n=f"{audits:,}", pgds=pgds, year=f"{year:,}", shown=f"{shown:,}")
        if key in errors:
            rows.append(errored(label, goal, errors[key]))
        elif not samples.get(key):
            rows.append(skipped(label, goal, "not measured"))
        else:
            rows.append(judge(label, goal, Stat.of(samples[key]), note=note))
    return rows


def record(services: object, me: object, n: int) -> None:
    """``n`` audits and 200 PGDs through the service, one transaction each (seeded, the same each run)."""
    from riskdesk.domain.clinical import ActionItem, AuditDraft, AuditStatus, PgdDraft, Rag
    from riskdesk.domain.quarters import Quarter

    s, rnd = services, random.Random(3)
    service_ids = []
    for p in range(8):
        prov = s.providers.add_provider(me, f"Provider {p} NHS Trust", f"P{p}")  # type: ignore[attr-defined]
        for k in range(3):
            service_ids.append(s.providers.add_service(me, prov.id, f"Service {p}.{k}").id)  # type: ignore[attr-defined]
    quarters = [Quarter(2020 + i // 4, i % 4 + 1) for i in range(16)]
    for i in range(n):
        s.clinical.add_audit(me, AuditDraft(  # type: ignore[attr-defined]
            rnd.choice(service_ids), rnd.choice(quarters), f"Audit {i} of BASHH guideline {rnd.randint(1, 99)}",
            standard_body="BASHH", status=AuditStatus.COMPLETE, rag=rnd.choice(list(Rag)),
            actions=(ActionItem("Act on findings", "Lead", date(2023, 1, 1) + timedelta(days=i % 400)),)))
    for i in range(PGDS):
        s.clinical.add_pgd(me, PgdDraft(rnd.choice(service_ids), f"PGD {i}",  # type: ignore[attr-defined]
                                        expiry=date(2024, 1, 1) + timedelta(days=i * 5)))


def table(audits: list) -> dict[str, list[float]]:
    """The audits table's sort (each on a freshly set list, another column than the last) and filter."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from riskdesk.ui.clinical.table_models import AuditTableModel

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive while the model is used
    model = AuditTableModel()
    sorts = iter(SORTS * (RUNS + 2))
    out: dict[str, list[float]] = {"sort": [], "filter": [], "shown": []}
    for i in range(RUNS + 1):  # the first round is the warm-up
        model.set_rows(audits)
        column, descending = next(sorts)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        took = timed_ms(lambda: model.sort(column, order))()  # noqa: B023 - called at once, in this iteration
        filtered = timed_ms(lambda: model.set_filter_text(FILTER))()
        out["shown"] = [model.rowCount()]
        model.set_filter_text("")
        if i:
            out["sort"].append(took)
            out["filter"].append(filtered)
    return out


def main(n: int = AUDITS) -> int:
    samples: dict[str, list[float]] = {}
    errors: dict[str, str] = {}
    year = shown = 0
    with scratch() as folder:
        isolate_this_process(folder)
        from riskdesk.db import Database
        from riskdesk.domain.quarters import Quarter
        from riskdesk.domain.register import Actor
        from riskdesk.reports.clinical_report import write_audit_appendix
        from riskdesk.services import Services

        db = Database.open(f"sqlite:///{folder / 'clinical.sqlite'}", backup=False)
        s, me = Services(db), Actor("bench")
        t = time.perf_counter()
        record(s, me, n)
        print(f"set-up: recorded {n:,} audits + {PGDS} PGDs (one transaction each) in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
        try:
            def appendix() -> None:
                nonlocal year
                data = s.clinical.audit_appendix(me, Quarter(2023, 1), Quarter(2023, 4))
                write_audit_appendix(folder / "appendix.pdf", data, today=TODAY)
                year = sum(len(g.audits) for g in data.groups)

            samples.update(interleave({
                "list": timed_ms(lambda: s.clinical.list_audits(me)),
                "overview": timed_ms(lambda: s.clinical.overview(me, TODAY)),
                "appendix": timed_ms(appendix),
            }))
        except Exception as exc:  # a case that cannot measure gives error rows, not a crash
            for k in ("list", "overview", "appendix"):
                errors[k] = f"{type(exc).__name__}: {str(exc)[:300]}"
        try:
            sort_filter = table(s.clinical.list_audits(me))
            shown = int(sort_filter.pop("shown")[0])
            samples.update(sort_filter)
        except Exception as exc:  # a case that cannot measure gives error rows, not a crash
            for k in ("sort", "filter"):
                errors[k] = f"{type(exc).__name__}: {str(exc)[:300]}"
        db.dispose()
    return finish(rows_from(samples, audits=n, year=year, shown=shown, errors=errors))


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else AUDITS))
