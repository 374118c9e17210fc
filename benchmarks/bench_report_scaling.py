"""Do the reports' costs grow linearly with what they print? (issue 17, item 3)

Each measurement is a **fresh process** (as ``riskdesk appendix`` or a report command pays it:
fonts registered, nothing cached); the data is generated in memory, seeded, before the clock
starts, and only the build is timed (the child reports the seconds as ``value seconds X``).

* **Register appendix** at 29 (the published register), 250, 500, 1,000 and 2,000 risks
  (``bench_appendix.published_snapshot`` / ``generated(n)``): the appendix PDF
  (``write_appendix_pdf``), its floor (a bare ReportLab table of the same rows,
  ``bench_appendix.floor``) and the Word appendix (``write_appendix_docx``).
* **Clinical audits appendix** (``write_audit_appendix``, as Appendix C) at 250, 500, 1,000 and
  2,000 audits: one financial year (four quarters) across 8 providers × 3 services (24 provider
  tables, as ``bench_clinical``), titles of 6–14 words, findings on a third, re-audits, 0–3
  actions each; the PGD list under it is a fixed 40 (it does not grow with the audits).
* **Serious-incident report** (``write_si_report``) at 250, 500, 1,000 and 2,000 SIs reported in
  the report's twelve months (and about as many in the twelve before, Table 2's first period),
  a quarter of them still open with 0–3 open actions and some overdue deadlines, across
  12 providers. The report prints at most ``MAX_DETAIL_LINES`` detail lines per list (the rest are
  counted in the summary), so its time should barely grow at all.

The cases run interleaved across kinds **and sizes** (pdf at 29, floor at 29, …, si at 2,000, then
again), ``RUNS`` rounds (≥ 7; ``BENCH_QUICK`` runs 29/60/120 risks and 60/120 items, 3 runs, in about
30 s), after one untimed round at the smallest size (OS file cache). A run lasts some ten minutes, and
this VM's speed drifts over minutes: measured one size after another, the 250-risk samples once came
from a fast spell and the 2,000-risk ones from a slow one (5.57 against 7.96 ms per risk, where the
same code measured 8.15 against 5.71 in the run before). Each round now holds every size.

Rows handed to RESULTS.md (exit status 1 on a miss):

* per size, the appendix PDF against its floor (ratio = PDF / floor): info, except at 29 risks
  and at the largest size, where the goal is ≤ 1.3 × the floor;
* per size, the Word appendix, the clinical appendix and the SI report: info, with the time per
  item in the note;
* linearity, one row each for the PDF, Word, clinical and SI: the time per item at the largest
  size (riskdesk column) against the time per item at the base size (floor column: 250, or the
  smallest size above 29 when 250 is not measured); goal ratio ≤ 1.2.

Run: ``python benchmarks/bench_report_scaling.py [--runs N] [--sizes 29,250,…]
[--report-sizes 250,…] [--kinds pdf,floor,docx,clinical,si]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from harness import INFO, BenchError, Goal, Row, Stat, errored, judge  # noqa: E402

SIZES = (29, 60, 120) if harness.QUICK else (29, 250, 500, 1000, 2000)
REPORT_SIZES = (60, 120) if harness.QUICK else (250, 500, 1000, 2000)
RUNS = harness.RUNS
APPENDIX_KINDS = ("pdf", "floor", "docx")
REPORT_KINDS = ("clinical", "si")
KINDS = APPENDIX_KINDS + REPORT_KINDS
RATIO_GOAL = Goal(max_ratio=1.3)
LINEAR_GOAL = 1.2
#: What each kind is called in the rows, and what it counts.
LABEL = {"pdf": ("appendix PDF", "risks", "risk"), "docx": ("Word appendix", "risks", "risk"),
         "clinical": ("clinical audits appendix PDF", "audits", "audit"),
         "si": ("SI report PDF", "SIs", "SI")}
TIMEOUT = 900


# --- data, generated before the clock starts ----------------------------------------------------

def _snapshot(n: int):  # type: ignore[no-untyped-def]
    import bench_appendix

    return bench_appendix.published_snapshot() if n == 29 else bench_appendix.generated(n)


CLINICAL_WORDS = ("chlamydia", "screening", "contraception", "implant", "consent", "safeguarding", "records",
                  "BASHH", "NICE", "guideline", "partner", "notification", "HIV", "PrEP", "uptake", "young",
                  "people", "documentation", "follow-up", "results", "within", "days", "clinic", "audit")


def _words(rnd: random.Random, low: int, high: int) -> str:
    return " ".join(rnd.choice(CLINICAL_WORDS) for _ in range(rnd.randint(low, high)))


def clinical_appendix(n: int):  # type: ignore[no-untyped-def]
    """``n`` audits in one financial year across 24 provider services, seeded; 40 PGDs."""
    from riskdesk.domain.clinical import (
        ActionItem,
        AuditAppendix,
        AuditKind,
        AuditStatus,
        ClinicalAuditRow,
        PgdRow,
        PgdStatus,
        Rag,
        appendix_groups,
    )
    from riskdesk.domain.quarters import Quarter

    rnd = random.Random(1700 + n)
    combos = [(p * 3 + s, f"Service {s + 1}", p, f"Provider {p + 1} NHS Trust", f"Provider {p + 1} NHS Trust (P{p + 1})")
              for p in range(8) for s in range(3)]
    quarters = [Quarter(2023, q) for q in (1, 2, 3, 4)]
    audits = []
    for i in range(n):
        sid, service, pid, pname, plabel = rnd.choice(combos)
        quarter = rnd.choice(quarters)
        reaudit = rnd.random() < 0.2
        actions = tuple(ActionItem(_words(rnd, 4, 10), "Lead nurse", date(2023, 6, 1) + timedelta(days=rnd.randint(0, 400)),
                                   date(2024, 1, 1) if rnd.random() < 0.5 else None)
                        for _ in range(rnd.randint(0, 3)))
        audits.append(ClinicalAuditRow(
            id=i + 1, service_id=sid, service_name=service, provider_id=pid, provider_name=pname,
            provider_label=plabel, quarter=quarter, title=f"Audit {i + 1}: {_words(rnd, 6, 14)}",
            kind=AuditKind.RE_AUDIT if reaudit else AuditKind.AUDIT, previous_audit_id=None,
            previous_audit_title=_words(rnd, 6, 12) if reaudit else "", standard_body=rnd.choice(("BASHH", "NICE", "")),
            status=rnd.choice(list(AuditStatus)), findings=_words(rnd, 20, 40) if rnd.random() < 0.33 else "",
            rag=rnd.choice([*Rag, None]), actions=actions,
            reaudit_due=date(2024, 4, 1) + timedelta(days=rnd.randint(0, 365)) if rnd.random() < 0.3 else None,
            version=1, position=i))
    audits.sort(key=lambda a: (a.service_name, a.provider_label, a.quarter.code, a.position))
    pgds = tuple(PgdRow(i + 1, i % 24, f"Service {i % 3 + 1}", i % 8, f"Provider {i % 8 + 1} NHS Trust",
                        f"P{i % 8 + 1}", f"PGD {i + 1}: {_words(rnd, 3, 8)}", "", f"v{1 + i % 4}",
                        date(2023, 8, 1), date(2024, 8, 1) + timedelta(days=30 * (i % 12)),
                        date(2025, 2, 1) + timedelta(days=30 * (i % 18)), PgdStatus.IN_USE, 1)
                  for i in range(40))
    return AuditAppendix("Clinical audits", "23/24 Q1 to 23/24 Q4", appendix_groups(audits), pgds, generated=date(2024, 6, 1))


def si_report_data(n: int):  # type: ignore[no-untyped-def]
    """``n`` SIs reported October–September (about as many the year before), seeded."""
    from riskdesk.domain.incidents import (
        OpenActionLine,
        OverdueClockLine,
        ProviderSummaryLine,
        SiReportData,
        two_period_counts,
    )

    rnd = random.Random(2900 + n)
    first, last = (2022, 10), (2023, 9)
    start, today = date(2021, 10, 1), date(2023, 10, 16)
    reported = [start + timedelta(days=rnd.randrange(365)) for _ in range(rnd.randint(n * 9 // 10, n))]
    reported += [date(2022, 10, 1) + timedelta(days=rnd.randrange(365)) for _ in range(n)]
    p1, p2 = two_period_counts(reported, first, last)
    providers = [f"Provider {p + 1} – {_words(rnd, 1, 3)}" for p in range(12)]
    actions, overdue, summary = [], [], {p: [0, 0, 0, 0] for p in providers}
    for i in range(n // 4):  # a quarter of the year's SIs still open
        provider, ref = rnd.choice(providers), f"SI-2023-{i + 1:04d}"
        acc = summary[provider]
        acc[0] += 1
        for _ in range(rnd.randint(0, 3)):
            due = date(2023, 6, 1) + timedelta(days=rnd.randrange(240))
            actions.append(OpenActionLine(provider, ref, _words(rnd, 5, 20), "Head of service", due, due < today))
            acc[1] += 1
            acc[2] += due < today
        if rnd.random() < 0.3:
            days = rnd.randint(1, 60)
            overdue.append(OverdueClockLine(provider, ref, rnd.choice(("72-hour report", "Investigation report")),
                                            today - timedelta(days=days), days))
            acc[3] += 1
    actions.sort(key=lambda a: (a.provider.lower(), a.due_on or date.max, a.reference))
    overdue.sort(key=lambda o: (o.provider.lower(), -o.days_overdue, o.reference))
    return SiReportData(title="Serious incidents reported to Public Health", generated_on=today, period1=p1,
                        period2=p2, open_actions=tuple(actions), overdue_clocks=tuple(overdue),
                        providers=tuple(ProviderSummaryLine(p, *summary[p]) for p in sorted(summary, key=str.lower)),
                        subtitle=f"Reported into the dedicated PH SI inbox, {p2.label} compared with {p1.label}")


# --- one measurement: a fresh process ---------------------------------------------------------

def child(kind: str, n: int) -> float:
    """One measurement in this (fresh) process: seconds for the build alone."""
    with tempfile.TemporaryDirectory(prefix="riskdesk-bench-scaling-") as tmp:
        out = Path(tmp) / "report.pdf"
        if kind in APPENDIX_KINDS:
            data = _snapshot(n)
            if kind == "pdf":
                from riskdesk.reports.appendix import write_appendix_pdf as build
            elif kind == "docx":
                from riskdesk.reports.appendix_docx import write_appendix_docx as build
            else:
                import bench_appendix

                def build(s, _out):  # type: ignore[no-untyped-def]
                    bench_appendix.floor(s)
            import io

            start = time.perf_counter()
            build(data, io.BytesIO())
            return time.perf_counter() - start
        if kind == "clinical":
            appendix = clinical_appendix(n)
            from riskdesk.reports.clinical_report import write_audit_appendix

            start = time.perf_counter()
            write_audit_appendix(out, appendix, today=date(2024, 6, 1))
            return time.perf_counter() - start
        if kind == "si":
            si = si_report_data(n)
            from riskdesk.reports.si_report import write_si_report

            start = time.perf_counter()
            write_si_report(si, out)
            return time.perf_counter() - start
    raise BenchError(f"unknown kind {kind!r}")


def measure(kind: str, n: int, env: dict[str, str]) -> float:
    """Seconds one fresh process took to build ``kind`` at ``n`` items."""
    run = harness.run_child([sys.executable, __file__, "--child", kind, str(n)], env, timeout=TIMEOUT)
    seconds = run.values.get("seconds")
    if not seconds:
        raise BenchError(f"{kind} at {n}: the child reported no time")
    return seconds[-1]


# --- verdicts: a pure function of the samples ---------------------------------------------------

def per_item(samples: Sequence[float], n: int) -> Stat:
    """Milliseconds per item, sample by sample."""
    return Stat.of([s * 1000 / n for s in samples])


def base_size(sizes: Sequence[int]) -> int | None:
    """The size the largest is compared with: 250 (the smallest ≥ 250), else the smallest above 29;
    None when there is nothing smaller than the largest to compare with."""
    ordered = sorted(sizes)
    candidates = [n for n in ordered if n >= 250] or [n for n in ordered if n > 29] or ordered
    base = candidates[0] if candidates else None
    return base if base is not None and base < ordered[-1] else None


def linearity_row(kind: str, samples: dict[tuple[str, int], list[float]], sizes: Sequence[int]) -> Row | None:
    """Time per item at the largest size (riskdesk column) against the base size's (floor column)."""
    base = base_size(sizes)
    if base is None:
        return None
    top = max(sizes)
    name, _plural, unit = LABEL[kind]
    row = judge(f"{name}, time per {unit} at {top:,} against at {base:,}", Goal(max_ratio=LINEAR_GOAL, unit=f"ms/{unit}"),
                per_item(samples[(kind, top)], top), per_item(samples[(kind, base)], base),
                note=f"floor column: per {unit} at {base:,}; ratio: the growth")
    return replace(row, goal=f"≤ {LINEAR_GOAL:g}× the {base:,}-{unit} time per {unit}")


def verdict_rows(samples: dict[tuple[str, int], list[float]], sizes: Sequence[int],
                 report_sizes: Sequence[int] = (), errors: dict[str, str] | None = None) -> list[Row]:
    """Every row this benchmark hands to RESULTS.md, from the samples (seconds) of each (kind, size).

    A kind with an entry in ``errors`` (or without samples at every size) gets one error row instead."""
    errors = dict(errors or {})
    sizes, report_sizes = sorted(sizes), sorted(report_sizes)
    for kind in KINDS:
        wanted = sizes if kind in APPENDIX_KINDS else report_sizes
        have = [n for n in wanted if samples.get((kind, n))]
        if kind not in errors and have and len(have) < len(wanted):
            errors[kind] = f"no samples at {', '.join(f'{n:,}' for n in wanted if n not in have)}"
    rows: list[Row] = []
    if sizes and not {"pdf", "floor"} & errors.keys() and samples.get(("pdf", sizes[0])):
        for n in sizes:
            pdf, flo = samples[("pdf", n)], samples.get(("floor", n))
            goal = RATIO_GOAL if n in (29, sizes[-1]) else INFO
            rows.append(judge(f"appendix PDF, {n:,} risks ({per_item(pdf, n).median:.2f} ms per risk)", goal,
                              harness.ms(pdf), harness.ms(flo) if flo else None,
                              note="floor: bare ReportLab table of the same rows"))
    if samples.get(("docx", sizes[0] if sizes else 0)) and "docx" not in errors:
        for n in sizes:
            docx = samples[("docx", n)]
            rows.append(judge(f"Word appendix, {n:,} risks", INFO, harness.ms(docx),
                              note=f"{per_item(docx, n).median:.2f} ms per risk"))
    for kind in REPORT_KINDS:
        if kind in errors or not report_sizes or not samples.get((kind, report_sizes[0])):
            continue
        name, plural, unit = LABEL[kind]
        for n in report_sizes:
            got = samples[(kind, n)]
            rows.append(judge(f"{name}, {n:,} {plural}", INFO, harness.ms(got),
                              note=f"{per_item(got, n).median:.2f} ms per {unit}"))
    for kind in ("pdf", "docx", *REPORT_KINDS):
        wanted = sizes if kind in APPENDIX_KINDS else report_sizes
        if kind in errors or not wanted or not samples.get((kind, wanted[0])):
            continue
        row = linearity_row(kind, samples, wanted)
        if row is not None:
            rows.append(row)
    for kind, why in errors.items():
        name = LABEL.get(kind, ("appendix floor (bare ReportLab table)",))[0]
        goal = RATIO_GOAL if kind in ("pdf", "floor") else Goal(max_ratio=LINEAR_GOAL)
        rows.append(errored(f"{name}: scaling", goal, why[-400:]))
    return rows


# --- the run ------------------------------------------------------------------------------------

def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(s) for s in text.split(",") if s.strip())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="register appendix sizes (risks)")
    parser.add_argument("--report-sizes", default=",".join(map(str, REPORT_SIZES)),
                        help="clinical appendix and SI report sizes (audits, SIs)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"some of {','.join(KINDS)}")
    args = parser.parse_args()
    if args.child:
        print(f"value seconds {child(args.child[0], int(args.child[1])):.6f}", flush=True)
        return 0
    kinds = [k for k in KINDS if k in args.kinds.split(",")]
    if "pdf" in kinds and "floor" not in kinds:
        kinds.insert(kinds.index("pdf") + 1, "floor")  # the PDF rows need their floor
    sizes = _ints(args.sizes) if any(k in APPENDIX_KINDS for k in kinds) else ()
    report_sizes = _ints(args.report_sizes) if any(k in REPORT_KINDS for k in kinds) else ()
    harness.compile_bytecode()
    samples: dict[tuple[str, int], list[float]] = {}
    errors: dict[str, str] = {}
    started = time.perf_counter()
    with harness.scratch() as tmp:
        env = harness.isolated_env(tmp)
        pairs = [(k, n) for n in sorted(set(sizes) | set(report_sizes)) for k in kinds
                 if n in (sizes if k in APPENDIX_KINDS else report_sizes)]

        def case(kind: str, n: int) -> float | None:
            if kind in errors:
                return None
            try:
                return measure(kind, n, env)
            except BenchError as exc:  # this kind is reported as an error; the others go on
                errors[kind] = f"at {n:,}: {exc}"
                return None

        smallest = min(n for _k, n in pairs) if pairs else 0
        for kind, n in pairs:  # one untimed round at the smallest size: the OS file cache, alike for all
            if n == smallest:
                case(kind, n)
        # Every size in every round, so that the machine's speed drifting over the minutes of a run
        # weighs on the 250-risk and the 2,000-risk samples alike (the linearity rows compare them).
        got = harness.interleave({f"{k}@{n}": (lambda k=k, n=n: case(k, n)) for k, n in pairs},
                                 runs=args.runs, warm=0)
        for k, n in pairs:
            values = got[f"{k}@{n}"]
            if all(v is not None for v in values):
                samples[(k, n)] = [float(v) for v in values]
    print(f"measured in {time.perf_counter() - started:.0f} s", flush=True)
    return harness.finish(verdict_rows(samples, sizes, report_sizes, errors))


if __name__ == "__main__":
    sys.exit(main())
