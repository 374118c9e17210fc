"""The harness's verdicts, its memory reader and its child protocol: a benchmark that measures
wrongly, or a miss that passes, would make `make bench` lie."""

from __future__ import annotations

import sys

import harness
import pytest
from harness import Goal, Row, Stat, finish, judge


def test_an_absolute_goal_is_missed_by_a_slower_median() -> None:
    row = judge("keystroke", Goal(max_value=50), Stat.of([40, 51, 52, 60, 61, 62, 70]))
    print(row)
    assert row.verdict == "MISSED"
    assert row.failed
    assert judge("keystroke", Goal(max_value=50), Stat.of([40, 45, 49, 60, 61])).verdict == "met"


def test_a_ratio_goal_compares_the_medians_and_fails_without_a_floor() -> None:
    slow = judge("first paint", Goal(max_ratio=1.3), Stat.of([140] * 7), Stat.of([100] * 7))
    assert (slow.verdict, slow.ratio) == ("MISSED", "1.40×")
    assert judge("first paint", Goal(max_ratio=1.3), Stat.of([129] * 7), Stat.of([100] * 7)).verdict == "met"
    assert Goal(max_ratio=1.3).met(10.0, None) is False  # no floor measured: never called met


def test_both_parts_of_a_double_goal_must_hold() -> None:
    goal = Goal(max_value=300, max_ratio=2.0)
    assert goal.met(250, 100) is False  # under 300 ms but 2.5× the floor
    assert goal.met(310, 200) is False  # within 2× but over 300 ms
    assert goal.met(250, 200) is True
    assert goal.text() == "≤ 300 ms and ≤ 2× floor"


def test_a_floor_over_an_absolute_goal_is_said_and_the_miss_still_counts() -> None:
    # 5,000 rows painted on a slow host: the bare table itself took 412 ms against a 300 ms goal.
    slow_host = judge("rows painted", Goal(max_value=300), Stat.of([497] * 15), Stat.of([412] * 15), note="n")
    print(slow_host)
    assert (slow_host.verdict, slow_host.failed) == ("MISSED", True)  # judged as measured, never excused
    assert slow_host.note == "n; the floor itself took 412 ms, over this goal"
    fast_host = judge("rows painted", Goal(max_value=300), Stat.of([349] * 15), Stat.of([294] * 15))
    assert (fast_host.verdict, fast_host.note) == ("MISSED", "")  # the floor was within it: nothing to add
    ratio_only = judge("first paint", Goal(max_ratio=1.3), Stat.of([316] * 15), Stat.of([247] * 15))
    assert ratio_only.note == ""  # no absolute line to be over


def test_the_host_speed_line_compares_this_host_with_the_goals_one() -> None:
    import run

    line = run.host_speed_line(Stat.of([330, 331, 335, 340, 329, 333, 332]))
    print(line)
    assert 'took 332 ms (329–340, n=7) here, 1.95× the 170 ms' in line


def test_an_info_row_has_no_verdict_to_fail() -> None:
    assert judge("memory", Goal(unit="MiB"), 120.0, 60.0).verdict == "info"


def test_finish_exits_non_zero_on_a_synthetic_miss_and_hands_rows_on(tmp_path, monkeypatch, capsys) -> None:
    out = tmp_path / "rows.jsonl"
    monkeypatch.setenv("BENCH_ROWS", str(out))
    met = judge("sort", Goal(max_value=50), 20.0)
    missed = judge("filter", Goal(max_value=50), 80.0)
    assert finish([met]) == 0
    assert finish([met, missed]) == 1
    assert "goals missed or not measured: filter" in capsys.readouterr().out
    rows = harness.read_rows(out)
    assert [r.verdict for r in rows] == ["met", "met", "MISSED"]
    error = Row("network", "—", "—", "—", "—", "error")
    assert finish([met, error]) == 1  # a benchmark that could not measure is not a pass


def test_the_memory_reader_reads_the_childs_own_peak() -> None:
    code = ("import sys; sys.path.insert(0, %r); import child; big = bytearray(%d); big[::4096] = b'x' * len(big[::4096]);"
            " child.mark('allocated'); child.hold()")
    small = harness.run_child([sys.executable, "-c", code % (str(harness.ROOT / "benchmarks"), 0)],
                              marks=("allocated",))
    large = harness.run_child([sys.executable, "-c", code % (str(harness.ROOT / "benchmarks"), 120 * 2**20)],
                              marks=("allocated",))
    print(f"child VmHWM: small {small.hwm_mib[0]:.1f} MiB, with 120 MiB allocated {large.hwm_mib[0]:.1f} MiB")
    assert large.hwm_mib[0] >= 120
    assert small.hwm_mib[0] < 60  # the child's size, not this (larger) test process's
    assert large.hwm_mib[0] - small.hwm_mib[0] >= 115


def test_a_child_that_fails_or_misses_a_mark_is_an_error_not_a_number() -> None:
    with pytest.raises(harness.BenchError, match="missing"):
        harness.run_child([sys.executable, "-c", "print('first-paint')"], marks=("first-paint", "rows-painted"))
    with pytest.raises(harness.BenchError, match="exited 3"):
        harness.run_child([sys.executable, "-c", "import sys; sys.exit(3)"])


def test_values_and_marks_come_back_from_the_child() -> None:
    code = ("import sys; sys.path.insert(0, {!r}); import child; child.mark('first-paint'); "
            "child.value('keystroke', 12.5); child.value('keystroke', 7.0)").format(str(harness.ROOT / "benchmarks"))
    run = harness.run_child([sys.executable, "-c", code], marks=("first-paint",))
    assert run.values == {"keystroke": [12.5, 7.0]}
    assert run.marks["first-paint"] > 0


def test_instructions_are_counted_up_to_the_mark_and_not_after(tmp_path) -> None:
    """bench_startup's deterministic row: callgrind counts what the child's main thread ran until it
    printed the mark; work after the mark, or on another thread, is not counted, and a child that never
    prints it is an error, not a number."""
    import os
    import shutil

    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed (.ci/run installs it)")
    script = tmp_path / "child.py"
    script.write_text("import sys\n"
                      "def spin(n):\n    return sum(i * i for i in range(n))\n"
                      "spin(int(sys.argv[1]))\nprint('mark', flush=True)\nspin(int(sys.argv[2]))\n")
    env = dict(os.environ)
    little = harness.count_instructions([str(script), "1000", "0"], env, "mark")
    more_before = harness.count_instructions([str(script), "300000", "0"], env, "mark")
    more_after = harness.count_instructions([str(script), "1000", "300000"], env, "mark")
    print(f"millions of instructions: {little:.1f}, spin before the mark {more_before:.1f}, "
          f"after it {more_after:.1f}")
    assert more_before > little + 20  # 300,000 squares summed: tens of millions more
    assert abs(more_after - little) < 5  # what runs after the mark is not counted
    with pytest.raises(harness.BenchError):
        harness.count_instructions([str(script), "1000", "0"], env, "never-printed")
    # A thread of the child's working before the mark runs on another core: not the main thread's count.
    threaded = tmp_path / "threaded.py"
    threaded.write_text("import sys, threading\n"
                        "def spin(n):\n    return sum(i * i for i in range(n))\n"
                        "t = threading.Thread(target=spin, args=(int(sys.argv[1]),))\nt.start()\nt.join()\n"
                        "print('mark', flush=True)\n")
    alone = harness.count_instructions([str(threaded), "1000"], env, "mark")
    beside = harness.count_instructions([str(threaded), "300000"], env, "mark")
    print(f"main thread's millions, a thread beside it spinning 1,000 / 300,000 times: {alone:.1f} / {beside:.1f}")
    assert abs(beside - alone) < 5
