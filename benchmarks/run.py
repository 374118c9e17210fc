"""`make bench`: run every benchmarks/bench_*.py in a fresh process, gather their verdict rows into
benchmarks/RESULTS.md, and exit non-zero when any goal is missed or any benchmark fails.

    run.py [NAME …]     only the benchmarks whose file name contains a NAME (e.g. run.py startup cli)

Every ``bench_*.py`` found here runs; a new benchmark registers by its file name alone (for example
``bench_complaints.py``: 100,000 complaints and 20,000 Ombudsman cases, ``run.py complaints``).

``BENCH_QUICK=1`` runs small sizes (a smoke test; its numbers mean little). ``BENCH_RESULTS``
names another file for the table (a quick run should not overwrite RESULTS.md).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import QUICK, RUNS, BenchError, Row, Stat, read_rows, spawn_to_exit, table  # noqa: E402


def load() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


#: ``python -c "import sqlalchemy"``, spawn to exit, on the machine the absolute goals (300 ms, 50 ms)
#: were set on: the host-speed line compares this host with it.
GOALS_HOST_IMPORT_MS = 170


def host_speed(runs: int = 7) -> str:
    """The host-speed line: ``python -c "import sqlalchemy"``, spawn to exit, median of ``runs``, against
    the machine the absolute goals were set on. The same machine class can run at other speeds from
    one day to the next; a ratio to a floor does not move with it, an absolute goal does."""
    try:
        samples = [spawn_to_exit([sys.executable, "-c", "import sqlalchemy"], dict(os.environ)) * 1000
                   for _ in range(runs)]
    except BenchError as exc:
        return f"host speed: not measured ({str(exc)[:120]})"
    return host_speed_line(Stat.of(samples))


def host_speed_line(took: Stat) -> str:
    return (f"host speed: `python -c \"import sqlalchemy\"` took {took.text('ms')} here, "
            f"{took.median / GOALS_HOST_IMPORT_MS:.2f}× the {GOALS_HOST_IMPORT_MS} ms it took on the machine the "
            "absolute goals were set on (a ratio to a floor in the same run does not move with the host's speed; "
            "an absolute goal does)")


def grouped(rows: list[Row]) -> str:
    """The table, each benchmark's rows under a line naming it."""
    lines = table(rows).splitlines()
    out, last = lines[:2], None
    for row, line in zip(rows, lines[2:], strict=True):
        if row.bench != last:
            out.append(f"| **{row.bench}** | | | | | |")
            last = row.bench
        out.append(line)
    return "\n".join(out)


def main(names: list[str]) -> int:
    scripts = [s for s in sorted(HERE.glob("bench_*.py")) if not names or any(n in s.stem for n in names)]
    rows: list[Row] = []
    started, load_before, speed = time.time(), load(), host_speed()
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        with tempfile.TemporaryDirectory(prefix="riskdesk-bench-rows-") as tmp:
            out = Path(tmp) / "rows.jsonl"
            env = dict(os.environ, BENCH_ROWS=str(out), QT_QPA_PLATFORM="offscreen")
            t0 = time.time()
            code = subprocess.run([sys.executable, str(script)], env=env, check=False).returncode
            took = time.time() - t0
            got = read_rows(out)
        for r in got:
            r.bench = script.stem
        if not got:
            verdict = "info" if code == 0 else "error"
            got = [Row(f"{script.stem}: exit status (prints its own table, no verdict rows)", "exits 0",
                       f"exit {code}", "—", "—", verdict, bench=script.stem)]
        elif code != 0 and not any(r.failed for r in got):
            got.append(Row(f"{script.stem}: exit status", "exits 0", f"exit {code}", "—", "—", "error",
                           bench=script.stem))
        print(f"({script.stem}: {took:.0f} s, exit {code})", flush=True)
        rows += got

    target = Path(os.environ.get("BENCH_RESULTS", HERE / "RESULTS.md"))
    missed = [r for r in rows if r.failed]
    when = datetime.fromtimestamp(started, UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); goals, floors and why in benchmarks/README.md.",
        "",
        f"- measured {when}, {time.time() - started:.0f} s in all{' — QUICK mode: small sizes' if QUICK else ''}",
        f"- {RUNS} interleaved runs per case (fewer where a row's n says so: a case of seconds each), at least 15 where each run is "
        "a fresh process (start-up and commands, as the user pays them); "
        "median (min–max, n)",
        f"- machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}; "
        f"load average before {load_before}, after {load()}",
        f"- {speed}",
        f"- {len(missed)} of {len(rows)} rows missed or failed",
        "",
        grouped(rows),
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwrote {target}")
    if missed:
        print("goals missed or not measured:")
        for r in missed:
            print(f"  - [{r.bench}] {r.metric}: {r.riskdesk} (goal {r.goal}) {r.verdict}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
