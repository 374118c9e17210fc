"""Does the appendix cost grow linearly with the register? (issue 17, item 3)

For 29 (the published register), 250, 500, 1,000 and 2,000 risks this times, each in a
**fresh process** (as `riskdesk appendix` pays it: fonts registered, nothing cached):

* the appendix PDF (``write_appendix_pdf``);
* the floor: a bare ReportLab table of the same rows (``bench_appendix.floor``);
* the Word appendix (``write_appendix_docx``).

Runs are interleaved (pdf, floor, docx, pdf, floor, docx, …), ``RUNS`` of each (≥ 7), and
the median is reported with the spread. Goals, checked at the end (exit status 1 on a miss):

* appendix PDF ≤ 1.3 × the floor at 29 and at 2,000 risks;
* linear: the 2,000-risk time per risk ≤ 1.2 × the 250-risk one, for the PDF and the Word file.

The number of risks is generated before the clock starts; only the build is timed.
Run: ``python benchmarks/bench_report_scaling.py [--runs N] [--sizes 29,250,…]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = (29, 250, 500, 1000, 2000)
RUNS = 7
KINDS = ("pdf", "floor", "docx")
RATIO_GOAL = 1.3
LINEAR_GOAL = 1.2


def _snapshot(n: int):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(HERE))
    import bench_appendix

    if n == 29:
        return bench_appendix.published_snapshot()
    return bench_appendix.generated(n)


def child(kind: str, n: int) -> float:
    """One measurement in this (fresh) process: seconds for the build alone."""
    snap = _snapshot(n)
    if kind == "pdf":
        from riskdesk.reports.appendix import write_appendix_pdf as build
    elif kind == "docx":
        from riskdesk.reports.appendix_docx import write_appendix_docx as build
    else:
        import bench_appendix

        def build(s, _out):  # type: ignore[no-untyped-def]
            bench_appendix.floor(s)

    start = time.perf_counter()
    build(snap, io.BytesIO())
    return time.perf_counter() - start


def measure(kind: str, n: int) -> float:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n)], check=True, capture_output=True,
                         text=True).stdout
    return float(out.strip().splitlines()[-1])


def verdicts(table: dict[tuple[str, int], float], sizes: tuple[int, ...]) -> list[tuple[str, float, float, bool]]:
    """(goal, measured, limit, met) for every goal this benchmark checks."""
    out: list[tuple[str, float, float, bool]] = []
    for n in (sizes[0], sizes[-1]):
        ratio = table[("pdf", n)] / table[("floor", n)]
        out.append((f"appendix PDF / bare ReportLab table at {n:,} risks", ratio, RATIO_GOAL, ratio <= RATIO_GOAL))
    small = next((n for n in sizes if n >= 250), sizes[0])
    for kind in ("pdf", "docx"):
        growth = (table[(kind, sizes[-1])] / sizes[-1]) / (table[(kind, small)] / small)
        out.append((f"{kind}: time per risk at {sizes[-1]:,} / at {small:,}", growth, LINEAR_GOAL,
                    growth <= LINEAR_GOAL))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("KIND", "N"))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    if args.child:
        print(f"{child(args.child[0], int(args.child[1])):.6f}")
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(","))
    samples: dict[tuple[str, int], list[float]] = {(k, n): [] for k in KINDS for n in sizes}
    for n in sizes:
        for _ in range(args.runs):
            for kind in KINDS:  # interleaved, so a slow moment of the machine hits all three
                samples[(kind, n)].append(measure(kind, n))
    median = {key: statistics.median(values) for key, values in samples.items()}
    print(f"Appendix scaling, fresh process per run, median of {args.runs} interleaved runs (spread = max-min)\n")
    print("| risks | PDF s | floor s | PDF/floor | PDF ms/risk | Word s | Word ms/risk |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        pdf, flo, docx = median[("pdf", n)], median[("floor", n)], median[("docx", n)]
        spread = max(samples[("pdf", n)]) - min(samples[("pdf", n)])
        print(f"| {n:,} | {pdf:.3f} (±{spread:.3f}) | {flo:.3f} | {pdf / flo:.2f}× | {pdf / n * 1000:.2f} | "
              f"{docx:.3f} | {docx / n * 1000:.2f} |")
    print()
    missed = 0
    for goal, value, limit, met in verdicts(median, sizes):
        print(f"{'MET ' if met else 'MISSED'}  {goal}: {value:.2f} (goal <= {limit})")
        missed += not met
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
