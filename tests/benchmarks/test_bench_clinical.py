"""The clinical benchmark's own checks: a slow list, overview, sort or appendix fails it; numbers within
the goals pass."""

from __future__ import annotations

import bench_clinical as bench
from harness import finish

#: Samples (ms) within every goal.
GOOD = {
    "list": [600, 610, 590, 620, 605, 600, 598], "overview": [700] * 7, "sort": [40, 42, 39, 41, 45, 40, 40],
    "appendix": [3000, 3100, 2900, 3050, 3000, 2990, 3010], "filter": [30] * 7,
}
#: For each goal, a median just over it.
SLOW = {"list": 1500, "overview": 1010, "sort": 210, "appendix": 5200}


def _by_key(rows):
    return {key: row for (key, *_), row in zip(bench.CASES, rows, strict=True)}


def test_numbers_within_the_goals_are_met(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    rows = _by_key(bench.rows_from(GOOD, audits=5000, year=1250, shown=48))
    assert [rows[k].verdict for k in SLOW] == ["met"] * 4
    assert [rows[k].goal for k in SLOW] == ["≤ 1,000 ms", "≤ 1,000 ms", "≤ 200 ms", "≤ 5,000 ms"]
    assert rows["filter"].verdict == "info"
    assert "5,000 audits" in rows["list"].metric and "1,250 audits" in rows["appendix"].metric
    assert finish(list(rows.values())) == 0


def test_each_goal_missed_fails_the_benchmark(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    for key, median in SLOW.items():
        rows = _by_key(bench.rows_from(dict(GOOD, **{key: [median] * 7})))
        assert rows[key].verdict == "MISSED", rows[key]
        assert [r.verdict for k, r in rows.items() if k not in (key, "filter")] == ["met"] * 3
        assert finish(list(rows.values())) == 1


def test_a_case_not_measured_is_an_error_or_skipped(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    rows = bench.rows_from({k: v for k, v in GOOD.items() if k != "sort"}, errors={"sort": "no display"})
    assert _by_key(rows)["sort"].verdict == "error"
    assert finish(rows) == 1
