"""bench_import's verdicts: a slow import, a hostile file accepted that should be refused, a
traceback or a peak over 500 MB must fail the benchmark; numbers within the goals must pass."""

from __future__ import annotations

import bench_import as bi
from harness import finish


def _timings(preview: float, apply: float, read: float = 0.7, prepare: float = 1.1) -> bi.Timings:
    return bi.Timings(rows=10_000, preview=[preview] * 7, apply=[apply] * 7, read=[read] * 7,
                      prepare=[prepare] * 7, openpyxl_read=[2.3] * 7, csv_read=[0.15] * 7,
                      csv_prepare=[1.3] * 7, export_xlsx=3.2, export_csv=0.6)


def _verdicts(rows) -> dict[str, str]:
    return {r.metric.split(" (")[0].split(",")[0]: r.verdict for r in rows}


def test_imports_within_three_seconds_are_met_and_the_rest_is_info() -> None:
    rows = bi.timing_rows(_timings(preview=1.2, apply=1.0))
    assert [r.verdict for r in rows if r.verdict != "info"] == ["met", "met"]
    assert rows[0].riskdesk == "2,200 ms" and rows[0].goal == "≤ 3,000 ms"
    assert finish(rows) == 0


def test_a_service_import_of_3_5_seconds_is_missed(capsys) -> None:
    rows = bi.timing_rows(_timings(preview=2.0, apply=1.5))
    service = rows[0]
    assert service.metric.startswith("service import of 10,000 rows")
    assert (service.riskdesk, service.verdict) == ("3,500 ms", "MISSED")
    assert finish(rows) == 1


def test_a_read_and_prepare_of_3_5_seconds_is_missed() -> None:
    rows = bi.timing_rows(_timings(preview=1.0, apply=1.0, read=1.5, prepare=2.0))
    read_prepare = next(r for r in rows if r.metric.startswith("xlsx read + prepare"))
    assert (read_prepare.riskdesk, read_prepare.verdict) == ("3,500 ms", "MISSED")
    assert finish(rows) == 1


def _clean_files() -> list[bi.Hostile]:
    return [
        bi.Hostile("one cell: impact 1e300", bi.FLAGGED, 15.7, "accepted", 2, 1),
        bi.Hostile("a 200 MB file", bi.REFUSED, 15.9, "refused", message="“huge.csv” is 200 MB"),
        bi.Hostile("the largest file accepted", bi.CLEAN, 351.0, "accepted", 42_982, 0),
        bi.Hostile("an .xlsx of long texts just under the limit", bi.ACCEPTED, 257.0, "accepted", 43_718, 4),
        bi.Hostile("a zip bomb", bi.REFUSED, 16.0, "refused", message="holds 600 MB of cells"),
    ]


def test_hostile_files_within_the_limit_and_as_expected_are_met() -> None:
    rows = bi.memory_rows(_clean_files())
    assert [r.verdict for r in rows] == ["met"] * 6
    assert rows[1].metric == "peak memory, a 200 MB file → refused"
    assert rows[1].note.startswith("“huge.csv” is 200 MB; the child's own VmHWM")
    assert rows[2].goal == "≤ 500 MB" and rows[2].riskdesk == "351 MB"
    assert finish(rows) == 0


def test_a_peak_of_600_mb_is_missed() -> None:
    files = _clean_files()
    files[2].peak_mb = 600.0
    rows = bi.memory_rows(files)
    assert rows[2].verdict == "MISSED"
    assert rows[-1].verdict == "met"  # the outcome was still the expected one
    assert finish(rows) == 1


def test_a_file_accepted_that_should_be_refused_is_missed() -> None:
    files = _clean_files()
    files[1] = bi.Hostile("a 200 MB file", bi.REFUSED, 410.0, "accepted", 1, 0)
    rows = bi.memory_rows(files)
    assert rows[1].metric == "peak memory, a 200 MB file → accepted, 1 rows, 0 row errors"
    outcome = rows[-1]
    assert outcome.verdict == "MISSED" and outcome.riskdesk == "1 unexpected outcomes"
    assert "a 200 MB file: expected refused, got accepted" in outcome.note
    assert finish(rows) == 1


def test_a_huge_cell_not_reported_or_a_clean_file_refused_is_missed() -> None:
    for i, wrong in ((0, bi.Hostile("one cell: impact 1e300", bi.FLAGGED, 15.7, "accepted", 2, 0)),
                     (2, bi.Hostile("the largest file accepted", bi.CLEAN, 30.0, "refused", message="too big")),
                     (3, bi.Hostile("long texts", bi.ACCEPTED, 30.0, "refused", message="too big"))):
        files = _clean_files()
        files[i] = wrong
        assert bi.memory_rows(files)[-1].verdict == "MISSED", wrong


def test_a_child_that_died_with_a_traceback_is_an_error_and_a_miss() -> None:
    files = _clean_files()
    files[4] = bi.Hostile("a zip bomb", bi.REFUSED, None, "traceback", message="MemoryError")
    rows = bi.memory_rows(files)
    assert rows[4].verdict == "error"
    assert rows[-1].verdict == "MISSED" and "got traceback: MemoryError" in rows[-1].note
    assert finish(rows) == 1
