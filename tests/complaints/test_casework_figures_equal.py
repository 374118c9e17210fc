"""The annual report's figures counted in SQL equal, figure for figure, the figures counted row by row
in Python before issue 13's speed-up (``legacy_casework_figures.py``): on the benchmark's seeded
casework (2,000 complaints over five years, with awkward records mixed in) and on FX-LCC.

A faster report that prints a different number would be a silent change, not a speed-up: each test
prints how many figures differ and asserts none.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from riskdesk.db import Database
from riskdesk.domain.actor import Actor
from riskdesk.services import Services
from tests.complaints.legacy_casework_figures import RowByRowFigures

pytestmark = pytest.mark.db

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
#: Every financial year the generated casework touches, and the empty ones either side.
GENERATED_YEARS = ("2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26", "2026/27")


def _leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every printed figure as (path, value): "trend/2/1" → 4123."""
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _leaves(value[key], f"{path}/{key}")
    elif isinstance(value, list | tuple):
        yield f"{path}#len", len(value)
        for i, item in enumerate(value):
            yield from _leaves(item, f"{path}/{i}")
    else:
        yield path, value


def _differences(new: dict[str, Any], old: dict[str, Any]) -> tuple[int, list[str]]:
    """(figures compared, the figures that differ as "path: old → new")."""
    a, b = dict(_leaves(new)), dict(_leaves(old))
    differ = [f"{p}: {b.get(p, '(missing)')!r} → {a.get(p, '(missing)')!r}" for p in sorted(a.keys() | b.keys())
              if p not in a or p not in b or a[p] != b[p] or type(a[p]) is not type(b[p])]
    return len(a.keys() | b.keys()), differ


def _compare(services: Services, actor: Actor, years: tuple[str, ...]) -> tuple[int, list[str]]:
    reports = services.casework_reports
    legacy = RowByRowFigures()
    compared, differ = 0, []
    # A presented report prints its frozen figures: there is nothing of that year's to recount.
    presented = {(kind, fy) for kind, fy, _on, _digest in reports.presented(actor)}
    for kind in ("complaints", "item8"):
        for fy in years:
            if (kind, fy) in presented:
                continue
            new = reports.figures(actor, kind, fy)
            with services.ctx.begin() as s:
                old = legacy.compute(s, kind, fy)
            n, d = _differences(new, old)
            compared += n
            differ += [f"{kind} {fy} {line}" for line in d]
    return compared, differ


def _awkward(tables: dict[str, list[dict[str, Any]]], seed: int = 1313) -> None:
    """Mix in what the seeded generator never writes but a council's log holds: complaints not accepted
    or withdrawn, no service or department recorded, withdrawn and blank outcomes, complaints that went
    to the Ombudsman, and remedies (the learning table and its coverage)."""
    rnd = random.Random(seed)
    complaints = tables["complaint"]
    for c in complaints:
        roll = rnd.random()
        if roll < 0.04:
            c["acceptance"] = "not_accepted"
        elif roll < 0.06:
            c["acceptance"] = "withdrawn"
        if rnd.random() < 0.03:
            c["service_id"] = None
        if rnd.random() < 0.03:
            c["department_id"] = None
        if rnd.random() < 0.05:
            c["went_to_ombudsman"] = True
        if c["final_outcome"] and rnd.random() < 0.03:
            c["final_outcome"] = "withdrawn"
    for st in tables["complaint_stage"]:
        if st["outcome"] and rnd.random() < 0.02:
            st["outcome"] = "withdrawn" if rnd.random() < 0.5 else ""
        if st["days_taken"] is not None and rnd.random() < 0.02:
            st["days_taken"] = rnd.choice((10, 20, 40, 41, 65, 66, 90))  # the band edges
    remedies = []
    for c in rnd.sample(complaints, len(complaints) // 10):
        for _ in range(rnd.randint(1, 2)):
            remedies.append({"id": len(remedies) + 1, "complaint_id": c["id"], "kind": "apology", "what": "Apology",
                             "owner": "", "due_on": None, "done_on": None, "cancelled_reason": "",
                             "you_complained_that": "the bin was missed", "we_have": "retrained the crew",
                             "sample_for_report_fy": rnd.choice((None, "2023/24", "2024/25"))})
    tables["complaint_remedy"] = remedies
    tables["complaint_service_alias"] = [{"id": 1, "service_id": 1, "alias": "SENA Services"},
                                         {"id": 2, "service_id": 1, "alias": "SEN Assessment"},
                                         {"id": 3, "service_id": 4, "alias": "Highway Maintenance"}]
    for i, comp in enumerate(tables["compliment"]):
        if i % 7 == 0:
            comp["publish_fy"] = "2024/25"
        if i % 11 == 0:
            comp["service_id"] = None


def test_sql_counted_figures_equal_the_row_by_row_figures_on_generated_casework(db_url: str) -> None:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    import bench_complaints
    import datagen

    tables = bench_complaints.complaints_tables(2_000, 100, seed=13)
    _awkward(tables)
    datagen.create(db_url, tables)
    database = Database.open(db_url, backup=False)
    try:
        services = Services(database)
        compared, differ = _compare(services, Actor(datagen.BENCH_LOGIN), GENERATED_YEARS)
    finally:
        database.dispose()
    print(f"figures compared: {compared}; figures that differ: {len(differ)}")
    for line in differ[:20]:
        print("  " + line)
    assert compared > 1_000
    assert len(differ) == 0


def test_sql_counted_figures_equal_the_row_by_row_figures_on_fx_lcc(lcc) -> None:  # type: ignore[no-untyped-def]
    services, actor, _url = lcc
    compared, differ = _compare(services, actor, ("2021/22", "2022/23", "2023/24", "2024/25"))
    print(f"figures compared: {compared}; figures that differ: {len(differ)}")
    for line in differ[:20]:
        print("  " + line)
    assert compared > 500
    assert len(differ) == 0
