"""The appendix benchmark's own checks: a slow appendix or a slow command line fails it, numbers within
the goals pass, the 1,000-risk cases skipped in a smoke run fail nothing, and the command line's floor
reads the rows the appendix prints."""

from __future__ import annotations

import json
import sqlite3

import bench_appendix as bench
from harness import finish

#: Samples (ms) within every goal: PDFs well under 1,000 ms, the command line 1.2× its floor.
GOOD = {
    "pdf": [240, 250, 230, 260, 245, 250, 255], "floor": [150] * 7, "docx": [340] * 7,
    "e2e-snapshot": [30] * 7, "e2e-pdf": [300, 290, 310, 305, 295, 300, 299], "e2e-floor": [160] * 7,
    "present": [60] * 7, "reprint": [200] * 7, "reprint-floor": [120] * 7,
    "cli": [1200, 1150, 1250, 1190, 1210, 1180, 1220], "cli-floor": [1000, 990, 1010, 1000, 1005, 995, 1000],
}


def _by_key(rows):
    return {key: row for (key, *_), row in zip(bench.CASES, rows, strict=True)}


def test_numbers_within_the_goals_are_met_and_the_quick_skips_fail_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    rows = _by_key(bench.rows_from(GOOD, missing="BENCH_QUICK"))
    for key in ("pdf", "e2e-pdf", "reprint", "cli"):
        assert rows[key].verdict == "met", rows[key]
    assert rows["pdf"].goal == "≤ 1,000 ms" and rows["cli"].goal == "≤ 1.3× floor"
    assert rows["cli"].ratio == "1.20×"
    assert rows["docx"].verdict == rows["present"].verdict == "info"
    assert {rows[k].verdict for k in rows if k.startswith("big-")} == {"skipped"}
    assert finish(list(rows.values())) == 0
    written = [json.loads(line) for line in (tmp_path / "rows.jsonl").read_text().splitlines()]
    assert len(written) == len(bench.CASES)


def test_a_slow_published_pdf_fails_the_benchmark(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    for key in ("pdf", "e2e-pdf", "reprint"):
        slow = dict(GOOD, **{key: [1200, 1190, 1210, 1250, 1180, 1220, 1200]})
        rows = _by_key(bench.rows_from(slow))
        assert rows[key].verdict == "MISSED", rows[key]
        assert rows[key].riskdesk.startswith("1,200 ms")
        assert finish(list(rows.values())) == 1


def test_a_command_line_over_1_3_times_its_floor_fails_and_one_with_no_floor_is_an_error(tmp_path,
                                                                                         monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    rows = _by_key(bench.rows_from(dict(GOOD, cli=[1400] * 7)))
    assert rows["cli"].verdict == "MISSED" and rows["cli"].ratio == "1.40×"
    assert finish([rows["cli"]]) == 1
    no_floor = {k: v for k, v in GOOD.items() if k != "cli-floor"}
    assert _by_key(bench.rows_from(no_floor))["cli"].verdict == "error"


def test_a_case_that_could_not_measure_is_an_error_row(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BENCH_ROWS", str(tmp_path / "rows.jsonl"))
    rows = bench.rows_from({k: v for k, v in GOOD.items() if k != "e2e-pdf"}, errors={"e2e-pdf": "boom"})
    row = _by_key(rows)["e2e-pdf"]
    assert row.verdict == "error" and row.note == "boom"
    assert finish(rows) == 1


def test_the_command_line_floor_reads_the_rows_the_appendix_prints(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RISKDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(tmp_path / "data"))
    services, actor, cycle_id = bench._db_with_published(tmp_path / "p.sqlite")
    try:
        snapshot = services.cycles.preview_snapshot(actor, cycle_id)
    finally:
        services.db.dispose()
    with sqlite3.connect(tmp_path / "p.sqlite") as conn:
        rows = conn.execute(bench.FLOOR_SELECT).fetchall()
    printed = [r for r in snapshot.risks() if not getattr(r, "exempt", False)]
    assert [r[0] for r in rows] == [r.ref for r in printed]
    assert [r[2] for r in rows] == [r.description for r in printed]
