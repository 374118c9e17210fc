"""bench_report_scaling's verdicts, on synthetic timings (no report is built, no process spawned)."""

import json

import bench_report_scaling as scaling
import harness
import pytest

SIZES = (29, 250, 500, 1000, 2000)
REPORT_SIZES = (250, 500, 1000, 2000)


def _samples(per_item_ms, *, pdf_over_floor=1.0, kinds=scaling.KINDS):
    """Five samples (seconds) per (kind, size): ``per_item_ms(n)`` ms per item, ±2 % spread."""
    out = {}
    for kind in kinds:
        for n in SIZES if kind in scaling.APPENDIX_KINDS else REPORT_SIZES:
            seconds = per_item_ms(n) * n / 1000 * (pdf_over_floor if kind == "pdf" else 1.0)
            out[(kind, n)] = [seconds * f for f in (0.98, 0.99, 1.0, 1.01, 1.02)]
    return out


def linear(_n):
    return 40.0


def doubling(n):
    """Per-item time doubling with each doubling of the size: quadratic cost."""
    return 40.0 * n / 250


def _rows(samples, **kw):
    return scaling.verdict_rows(samples, SIZES, REPORT_SIZES, **kw)


def _by_metric(rows, words):
    found = [r for r in rows if r.metric.startswith(words[0]) and all(w in r.metric for w in words[1:])]
    assert len(found) == 1, (words, [r.metric for r in rows])
    return found[0]


def test_linear_costs_meet_every_goal():
    rows = _rows(_samples(linear))
    assert not [r for r in rows if r.failed]
    for kind in ("appendix PDF", "Word appendix", "clinical audits appendix PDF", "SI report PDF"):
        row = _by_metric(rows, (kind, "time per", "at 2,000 against at 250"))
        assert row.verdict == "met"
        assert row.ratio == "1.00×"
        assert row.goal.startswith("≤ 1.2×")


def test_every_size_has_a_row_with_the_time_per_item():
    rows = _rows(_samples(linear))
    for n in SIZES:
        pdf = _by_metric(rows, ("appendix PDF,", f"{n:,} risks"))
        assert "40.00 ms per risk" in pdf.metric and pdf.floor != "—" and pdf.ratio == "1.00×"
        assert "40.00 ms per risk" in _by_metric(rows, ("Word appendix,", f"{n:,} risks")).note
    for n in REPORT_SIZES:
        assert "40.00 ms per audit" in _by_metric(rows, ("clinical", f"{n:,} audits")).note
        assert "40.00 ms per SI" in _by_metric(rows, ("SI report", f"{n:,} SIs")).note
    # the ratio goal at 29 and at the largest size; the sizes between are info
    assert [r.verdict for r in rows if r.metric.startswith("appendix PDF,") and "risks" in r.metric] == [
        "met", "info", "info", "info", "met"]


@pytest.mark.parametrize("kind", ["pdf", "docx", "clinical", "si"])
def test_super_linear_cost_is_missed(kind):
    samples = _samples(linear)
    samples.update({key: value for key, value in _samples(doubling, kinds=(kind,)).items()})
    if kind == "pdf":  # keep the PDF's ratio goal out of it: the floor grows alike
        samples.update({key: value for key, value in _samples(doubling, kinds=("floor",)).items()})
    rows = _rows(samples)
    missed = [r for r in rows if r.failed]
    assert [r.metric for r in missed] == [
        f"{scaling.LABEL[kind][0]}, time per {scaling.LABEL[kind][2]} at 2,000 against at 250"]
    assert missed[0].verdict == "MISSED"
    assert missed[0].ratio == "8.00×"  # 2,000 / 250


def test_slightly_super_linear_within_the_goal_is_met():
    rows = _rows(_samples(lambda n: 40.0 * (1 + 0.15 * (n - 250) / 1750)))  # 1.15× at 2,000
    assert _by_metric(rows, ("appendix PDF", "time per risk")).verdict == "met"
    rows = _rows(_samples(lambda n: 40.0 * (1 + 0.25 * (n - 250) / 1750)))  # 1.25× at 2,000
    assert _by_metric(rows, ("appendix PDF", "time per risk")).verdict == "MISSED"


def test_pdf_one_and_a_half_times_its_floor_misses_at_29_and_at_the_largest():
    rows = _rows(_samples(linear, pdf_over_floor=1.5))
    missed = [r.metric for r in rows if r.failed]
    assert len(missed) == 2
    assert "29 risks" in missed[0] and "2,000 risks" in missed[1]
    assert all(r.ratio == "1.50×" for r in rows if r.metric.startswith("appendix PDF,") and "risks" in r.metric)


def test_base_size_is_250_else_the_smallest_above_29():
    assert scaling.base_size(SIZES) == 250
    assert scaling.base_size((29, 60, 120)) == 60
    assert scaling.base_size((250, 500)) == 250
    assert scaling.base_size((29, 2000)) is None
    assert scaling.base_size((500,)) is None


def test_quick_sizes_give_a_linearity_row_against_the_smallest():
    samples = {(k, n): [n / 1000] * 2 for k in scaling.KINDS for n in (29, 60, 120)}
    rows = scaling.verdict_rows(samples, (29, 60, 120), (60, 120))
    row = _by_metric(rows, ("clinical", "at 120 against at 60"))
    assert row.verdict == "met"
    assert [r.verdict for r in rows if r.metric.startswith("appendix PDF,") and "risks" in r.metric] == [
        "met", "info", "met"]


def test_a_kind_that_could_not_be_measured_is_an_error_row():
    samples = _samples(linear)
    for n in REPORT_SIZES:
        del samples[("si", n)]
    rows = _rows(samples, errors={"si": "at 250: child exited 1"})
    err = [r for r in rows if r.failed]
    assert [(r.verdict, r.metric) for r in err] == [("error", "SI report PDF: scaling")]
    assert not [r for r in rows if "SI report PDF," in r.metric]


def test_missing_samples_at_a_size_are_an_error_not_a_crash():
    samples = _samples(linear)
    del samples[("clinical", 2000)]
    rows = _rows(samples)
    assert [r.verdict for r in rows if r.failed] == ["error"]


def test_rows_reach_finish_and_a_miss_exits_1(tmp_path, monkeypatch, capsys):
    target = tmp_path / "rows.jsonl"
    monkeypatch.setenv("BENCH_ROWS", str(target))
    assert harness.finish(_rows(_samples(linear))) == 0
    target.unlink()
    assert harness.finish(_rows(_samples(doubling))) == 1
    handed = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(handed) == len(SIZES) * 2 + len(REPORT_SIZES) * 2 + 4
    assert sum(r["verdict"] == "MISSED" for r in handed) == 4
    assert "goals missed" in capsys.readouterr().out


def test_main_hands_its_rows_to_finish(monkeypatch):
    """main() measures through ``measure`` and ends with finish(verdict_rows(...))."""
    seen = {}
    real_finish = harness.finish

    def fake_measure(kind, n, _env):
        return n * (0.08 if kind == "clinical" and n >= 1000 else 0.04) / 1000 * (1.5 if kind == "pdf" else 1)

    def fake_finish(rows):
        seen["rows"] = rows
        return real_finish(rows)

    monkeypatch.setattr(scaling, "measure", fake_measure)
    monkeypatch.setattr(scaling.harness, "compile_bytecode", lambda: None)
    monkeypatch.setattr(scaling.harness, "finish", fake_finish)
    monkeypatch.delenv("BENCH_ROWS", raising=False)
    monkeypatch.setattr("sys.argv", ["bench_report_scaling.py", "--runs", "1", "--sizes", "29,250,2000",
                                     "--report-sizes", "250,2000"])
    assert scaling.main() == 1
    missed = [r.metric for r in seen["rows"] if r.failed]
    assert missed == ["appendix PDF, 29 risks (0.06 ms per risk)", "appendix PDF, 2,000 risks (0.06 ms per risk)",
                      "clinical audits appendix PDF, time per audit at 2,000 against at 250"]


def test_every_round_holds_every_size(monkeypatch):
    """The 250-risk and the 2,000-risk samples are taken in the same rounds (the machine's speed
    drifts over a run's minutes): after one untimed round at the smallest size, each round measures
    every kind at every size before any is measured again."""
    calls = []

    def fake_measure(kind, n, _env):
        calls.append((kind, n))
        return n / 1000

    monkeypatch.setattr(scaling, "measure", fake_measure)
    monkeypatch.setattr(scaling.harness, "compile_bytecode", lambda: None)
    monkeypatch.setattr(scaling.harness, "finish", lambda rows: 0)
    monkeypatch.setattr("sys.argv", ["bench_report_scaling.py", "--runs", "3", "--sizes", "29,250,2000",
                                     "--report-sizes", "250,2000"])
    scaling.main()
    warm = [("pdf", 29), ("floor", 29), ("docx", 29)]
    one_round = [("pdf", 29), ("floor", 29), ("docx", 29),
                 ("pdf", 250), ("floor", 250), ("docx", 250), ("clinical", 250), ("si", 250),
                 ("pdf", 2000), ("floor", 2000), ("docx", 2000), ("clinical", 2000), ("si", 2000)]
    print(f"measurements: {len(calls)}, rounds after the warm-up: {(len(calls) - len(warm)) / len(one_round):g}")
    assert calls == warm + one_round * 3
