"""``riskdesk audit verify`` on 100,000 and 1,000,000 entries: time and peak memory of the child.

The trail is generated with riskdesk's own chained writer (SQLite, realistic entries: a label,
a note and a {field: [old, new]} change), then ``riskdesk audit verify`` runs as a fresh child
process, timed from spawn to exit. Peak memory is the child's own VmHWM, read from
/proc/self/status by the child itself just before it exits (ru_maxrss would include the parent),
in MB (10⁶ bytes). Goals: the trail is verified intact at every size, and memory is bounded: ten
times the entries costs at most 64 MB more peak memory (verification streams the trail; it never
holds it). Verification time and peaks are info. The smaller trail is verified ``RUNS`` times, the
larger (≈20 s a verification) once, to keep the run near 95 s.

Run: ``python benchmarks/bench_audit_verify.py [ENTRIES ...]`` (``BENCH_QUICK=1``: 2,000 and
20,000). With ``RISKDESK_BENCH_PG_URL`` set (``postgresql://postgres@127.0.0.1:5432/postgres``),
the trail is built on that PostgreSQL server instead (the server's trigger chains it; verification
streams it through a server-side cursor). Exit status 1 if memory grows with the trail or
verification fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402
    QUICK,
    ROOT,
    RUNS,
    Goal,
    Row,
    Stat,
    errored,
    finish,
    isolate_this_process,
    isolated_env,
    judge,
    scratch,
)

sys.path.insert(0, str(ROOT))

from riskdesk.db import Database  # noqa: E402
from riskdesk.domain.register import Actor  # noqa: E402
from riskdesk.services import Services  # noqa: E402
from riskdesk.services import audit as audit_trail  # noqa: E402

BATCH = 20_000
SIZES = [2_000, 20_000] if QUICK else [100_000, 1_000_000]
#: Trails this large are verified once (a verification takes ≈20 s); smaller ones RUNS times.
ONCE_FROM = 500_000
GROWTH_GOAL = Goal(max_value=64, unit="MB")
INTACT_GOAL = Goal(max_value=0, unit="trails not verified intact")

CHILD = r"""
import sys
from riskdesk.cli import run
status = run(sys.argv[1:])
with open("/proc/self/status") as fh:
    hwm = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
print(f"VMHWM_KB={hwm}", file=sys.stderr)
sys.exit(status)
"""


PG_URL = os.environ.get("RISKDESK_BENCH_PG_URL", "")
PG_DB = "riskdesk_bench_audit"


def _pg(dbname: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)).set(
        database=dbname).render_as_string(hide_password=False)


def _pg_recreate(drop_only: bool = False) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(_pg("postgres"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        if not drop_only:
            conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    admin.dispose()


def build(path: Path, n: int) -> float:
    if PG_URL:
        _pg_recreate()
    db = Database.open(_pg(PG_DB) if PG_URL else f"sqlite:///{path}", backup=False)
    sv = Services(db)
    actor = Actor("bench", "Benchmark Administrator")
    sv.registers.add_department(actor, "BEN", "Benchmarks")  # the first user: an administrator
    t0 = time.perf_counter()
    start = datetime(2020, 1, 1)
    done = 1
    while done < n:
        size = min(BATCH, n - done)
        rows = [{"at": start + timedelta(seconds=done + i), "user_login": f"user{(done + i) % 37}",
                 "action": "risk.assess", "entity": "risk", "entity_id": (done + i) % 5000,
                 "label": f"Risk {(done + i) % 97}.{(done + i) % 13}",
                 "changes": {"current": [[4, 3], [4, 4]], "update": ["Budget pressure remains high.",
                                                                     f"Update {done + i}: mitigation on track."]},
                 "note": "quarterly update"} for i in range(size)]
        with db.sessions.begin() as s:
            audit_trail.append(s, rows)
        done += size
    db.dispose()
    return time.perf_counter() - t0


@dataclass
class Verified:
    """One trail size: build seconds, then per verification its seconds, peak MB and exit status."""

    entries: int
    build_s: float
    seconds: list[float]
    peaks_mb: list[float]  # the child's own VmHWM; missing when the child died before reading it
    statuses: list[int]
    said: str = ""  # the last verification's stdout (or stderr's last line when it crashed)
    crashed: bool = False  # a traceback, not riskdesk's own verdict

    @property
    def intact(self) -> bool:
        return bool(self.statuses) and not self.crashed and all(s == 0 for s in self.statuses)


def verdict_rows(results: Sequence[Verified], backend: str = "SQLite") -> list[Row]:
    """Info rows per size (verification time, peak memory); verdict rows: every trail verified
    intact, and peak memory growth from the smallest trail to the largest within 64 MB."""
    rows: list[Row] = []
    on = "" if backend == "SQLite" else f" ({backend})"
    for v in results:
        if v.seconds:
            st = Stat.of(v.seconds)
            rows.append(judge(f"`riskdesk audit verify`, {v.entries:,} entries{on}: spawn → exit", Goal(unit="s"), st,
                              note=f"{v.entries / st.median:,.0f} entries/s; trail built in {v.build_s:.1f} s"
                              + ("; one verification (n=1): each takes ≈20 s" if st.n == 1 else "")))
        if v.peaks_mb:
            rows.append(judge(f"peak memory, `audit verify` of {v.entries:,} entries{on}", Goal(unit="MB"),
                              Stat.of(v.peaks_mb), note="the child's own VmHWM" + (", n=1" if len(v.peaks_mb) == 1 else "")))
    broken = [v for v in results if not v.intact]
    intact_metric = f"trail verified intact at every size ({', '.join(f'{v.entries:,}' for v in results)}){on}"
    crashed = [v for v in broken if v.crashed or not v.statuses]
    if crashed:
        rows.append(errored(intact_metric, INTACT_GOAL, "; ".join(f"{v.entries:,}: {v.said[:150]}" for v in crashed)))
    else:
        note = "; ".join(f"{v.entries:,}: exit {max(v.statuses)}: {v.said[:150]}" for v in broken) or "intact"
        rows.append(judge(intact_metric, INTACT_GOAL, float(len(broken)), note=note))
    growth_metric = "peak memory growth, smallest → largest trail (streams, never holds the trail)"
    if len(results) < 2 or not results[0].peaks_mb or not results[-1].peaks_mb:
        rows.append(errored(growth_metric + on, GROWTH_GOAL, "needs a peak at two sizes"))
    else:
        small, large = results[0], results[-1]
        p0, p1 = Stat.of(small.peaks_mb).median, Stat.of(large.peaks_mb).median
        rows.append(judge(f"peak memory growth, {small.entries:,} → {large.entries:,} entries "
                          f"({large.entries // small.entries}×){on}", GROWTH_GOAL, p1 - p0,
                          note=f"{p1:.1f} MB at {large.entries:,} − {p0:.1f} MB at {small.entries:,}"))
    return rows


def verify_once(path: Path, env: dict[str, str]) -> tuple[float, float | None, int, str, bool]:
    """(seconds spawn → exit, peak MB or None, exit status, what it said, crashed)."""
    where = _pg(PG_DB) if PG_URL else str(path)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, "--database", where, "--as", "bench", "audit", "verify"],
                          capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=600)
    seconds = time.perf_counter() - t0
    kib = next((int(line.split("=")[1]) for line in proc.stderr.splitlines() if line.startswith("VMHWM_KB=")), None)
    crashed = kib is None or "Traceback (most recent call last)" in proc.stderr
    said = proc.stdout.strip() or (proc.stderr.strip().splitlines() or [""])[-1]
    return seconds, None if kib is None else kib * 1024 / 1e6, proc.returncode, said, crashed


def measure(sizes: Sequence[int]) -> list[Verified]:
    print(f"backend: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}")
    print(f"{'entries':>10}  {'build s':>8}  {'verify s':>9}  {'entries/s':>10}  {'peak MB':>8}  result")
    results = []
    with scratch() as tmp:  # config and data of this process and the child too: never the user's
        isolate_this_process(tmp)
        env = isolated_env(tmp)
        for n in sizes:
            path = tmp / f"trail-{n}.sqlite"
            v = Verified(n, build(path, n), [], [], [])
            for _ in range(1 if n >= ONCE_FROM else RUNS):
                seconds, peak, status, v.said, crashed = verify_once(path, env)
                v.seconds.append(seconds)
                v.statuses.append(status)
                v.crashed |= crashed
                if peak is not None:
                    v.peaks_mb.append(peak)
                print(f"{n:>10,}  {v.build_s:>8.1f}  {seconds:>9.1f}  {n / seconds:>10,.0f}  "
                      f"{peak if peak is not None else float('nan'):>8.1f}  "
                      f"{'intact' if status == 0 and not crashed else 'FAILED: ' + v.said[:200]}", flush=True)
            results.append(v)
            if PG_URL:
                _pg_recreate(drop_only=True)
            else:
                path.unlink()
    return results


def main(sizes: list[int]) -> int:
    return finish(verdict_rows(measure(sizes), "PostgreSQL" if PG_URL else "SQLite"))


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or SIZES))
