"""``riskdesk audit verify`` on 100,000 and 1,000,000 entries: time and peak memory of the child.

The trail is generated with riskdesk's own chained writer (SQLite, realistic entries: a label,
a note and a {field: [old, new]} change), then ``riskdesk audit verify`` runs as a child process.
Peak memory is the child's VmHWM, read from /proc/<pid>/status by the child itself just before
it exits (ru_maxrss would include the parent). Verdict: memory is bounded when ten times the
entries costs less than 64 MB more peak memory (verification streams the trail; it never holds it).

Run: ``python benchmarks/bench_audit_verify.py [ENTRIES ...]``. With ``RISKDESK_BENCH_PG_URL`` set
(``postgresql://postgres@127.0.0.1:5432/postgres``), the trail is built on that PostgreSQL server
instead (the server's trigger chains it; verification streams it through a server-side cursor). Exit status 1 if memory grows with
the trail or verification fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from riskdesk.db import Database  # noqa: E402
from riskdesk.domain.register import Actor  # noqa: E402
from riskdesk.services import Services  # noqa: E402
from riskdesk.services import audit as audit_trail  # noqa: E402

BATCH = 20_000
GROWTH_LIMIT_MB = 64

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


def verify(path: Path) -> tuple[float, float, int, str]:
    t0 = time.perf_counter()
    where = _pg(PG_DB) if PG_URL else str(path)
    proc = subprocess.run([sys.executable, "-c", CHILD, "--database", where, "--as", "bench", "audit", "verify"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - t0
    hwm = next((int(line.split("=")[1]) for line in proc.stderr.splitlines() if line.startswith("VMHWM_KB=")), 0)
    return seconds, hwm / 1024, proc.returncode, proc.stdout.strip()


def main(sizes: list[int]) -> int:
    print(f"backend: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}")
    print(f"{'entries':>10}  {'build s':>8}  {'verify s':>9}  {'entries/s':>10}  {'peak MB':>8}  result")
    peaks = []
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"trail-{n}.sqlite"
            built = build(path, n)
            seconds, peak, status, said = verify(path)
            peaks.append((n, peak))
            ok &= status == 0
            print(f"{n:>10,}  {built:>8.1f}  {seconds:>9.1f}  {n / seconds:>10,.0f}  {peak:>8.1f}  "
                  f"{'intact' if status == 0 else 'FAILED: ' + said[:200]}", flush=True)
            if PG_URL:
                _pg_recreate(drop_only=True)
            else:
                path.unlink()
    (n0, p0), (n1, p1) = peaks[0], peaks[-1]
    bounded = p1 - p0 < GROWTH_LIMIT_MB
    print(f"verdict: peak memory {p0:.0f} MB at {n0:,} entries, {p1:.0f} MB at {n1:,} "
          f"({'bounded' if bounded else 'GROWS WITH THE TRAIL'}: limit +{GROWTH_LIMIT_MB} MB for {n1 // n0}× entries)")
    return 0 if ok and bounded else 1


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]))
