"""bench_audit_verify's verdicts: memory growing with the trail, or a trail not verified intact,
must fail the benchmark; a bounded peak and intact trails must pass."""

from __future__ import annotations

import bench_audit_verify as bav
from harness import finish


def _sizes(p0: float, p1: float, status: int = 0, crashed: bool = False) -> list[bav.Verified]:
    return [bav.Verified(100_000, 5.3, [1.8] * 7, [p0] * 7, [0] * 7, "Audit trail intact"),
            bav.Verified(1_000_000, 55.0, [14.7], [p1], [status], "Audit trail intact" if status == 0 else
                         "Audit trail BROKEN at entry 512,000", crashed)]


def _by_start(rows, start: str):
    return next(r for r in rows if r.metric.startswith(start))


def test_a_bounded_peak_and_intact_trails_are_met() -> None:
    rows = bav.verdict_rows(_sizes(66.0, 70.0))
    assert [r.verdict for r in rows] == ["info"] * 4 + ["met", "met"]
    growth = _by_start(rows, "peak memory growth")
    assert growth.metric.startswith("peak memory growth, 100,000 → 1,000,000 entries (10×)")
    assert (growth.goal, growth.riskdesk) == ("≤ 64 MB", "4 MB")
    assert _by_start(rows, "`riskdesk audit verify`, 100,000").note.startswith("55,556 entries/s")
    assert finish(rows) == 0


def test_peak_memory_growing_by_100_mb_is_missed() -> None:
    rows = bav.verdict_rows(_sizes(66.0, 166.0))
    growth = _by_start(rows, "peak memory growth")
    assert (growth.riskdesk, growth.verdict) == ("100 MB", "MISSED")
    assert finish(rows) == 1


def test_a_broken_trail_is_missed_and_a_crash_is_an_error() -> None:
    rows = bav.verdict_rows(_sizes(66.0, 66.0, status=1))
    intact = _by_start(rows, "trail verified intact")
    assert intact.verdict == "MISSED" and "1,000,000: exit 1: Audit trail BROKEN" in intact.note
    assert finish(rows) == 1
    crashed = bav.verdict_rows(_sizes(66.0, 66.0, status=1, crashed=True))
    assert _by_start(crashed, "trail verified intact").verdict == "error"
    assert finish(crashed) == 1


def test_no_peak_read_is_an_error_not_a_pass() -> None:
    sizes = _sizes(66.0, 66.0)
    sizes[1].peaks_mb = []
    rows = bav.verdict_rows(sizes)
    assert _by_start(rows, "peak memory growth").verdict == "error"
    assert finish(rows) == 1
