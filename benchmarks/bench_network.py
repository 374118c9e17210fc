"""A shared PostgreSQL server over an office network: the window's main operations, through the
public services, with 10 ms added each way by a loopback proxy (a 20 ms round trip).

For each operation: time per operation and round trips counted at the proxy (SQLAlchemy's
statements and transactions in the note). The floor is the same data fetched or written by plain
psycopg through the same proxy in one statement. Goals: a score save ≤ 3 round trips, opening a
risk ≤ 2, opening the register ≤ 300 ms + the floor's time to transfer its rows.

Needs PostgreSQL's binaries (Debian's ``postgresql`` package); skipped with a message without them.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import adapter
import datagen
from harness import INFO, QUICK, RUNS, Goal, Row, Stat, errored, finish, judge, skipped
from netproxy import DelayProxy
from pgserver import PgServer, binaries

PORT = int(os.environ.get("BENCH_PG_PORT", "55503"))
RISKS = 300 if QUICK else 5_000
INCIDENTS = 2_000 if QUICK else 20_000
DELAY = 0.010
LOGIN = "postgres"  # the server's session user: riskdesk's identity on a shared database

FLOOR_SQL = {
    "open the register": """
        SELECT r.ref, (SELECT string_agg(d.code, ' ' ORDER BY rd.position) FROM risk_department rd
                       JOIN department d ON d.id = rd.department_id WHERE rd.risk_id = r.id),
               r.description, a.current_impact, a.current_likelihood, a.target_impact, a.target_likelihood,
               a.direction, a.update_text, u.display_name, c.name
        FROM risk r JOIN category c ON c.id = r.category_id
        LEFT JOIN assessment a ON a.risk_id = r.id
             AND a.period = (SELECT value FROM setting WHERE key = 'current_period')
        LEFT JOIN app_user u ON u.id = r.owner_id
        WHERE r.status = 'current' ORDER BY c.position, r.id""",
    "open a risk": """
        SELECT r.*, a.* FROM risk r JOIN assessment a ON a.risk_id = r.id WHERE r.id = %(risk)s ORDER BY a.period""",
    "save a score": """
        UPDATE assessment SET current_impact = %(impact)s, version = version + 1
        WHERE risk_id = %(risk)s AND period = (SELECT value FROM setting WHERE key = 'current_period')""",
    "open the SI list": """
        SELECT si.*, p.short_name, s.name FROM serious_incident si JOIN provider p ON p.id = si.provider_id
        JOIN commissioned_service s ON s.id = si.service_id ORDER BY si.reported_on DESC, si.id DESC""",
}


def tables() -> datagen.Tables:
    t = datagen.merge(datagen.register_tables(RISKS), datagen.incident_tables(INCIDENTS))
    t["app_user"] = [*t["app_user"], {"id": 1000, "login": LOGIN, "display_name": "Server owner", "job_title": "",
                                      "role": "admin", "active": True}]
    return t


def count_statements(engine: object) -> dict[str, int]:
    from sqlalchemy import event

    counts = {"statements": 0, "commits": 0}

    def statement(*_a: object) -> None:
        counts["statements"] += 1

    def commit(*_a: object) -> None:
        counts["commits"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    return counts


def measure(proxy: DelayProxy, fn: Callable[[], object], counts: dict[str, int] | None = None
            ) -> tuple[list[float], list[int], list[int]]:
    fn()  # warm: the pool's connection is made, caches filled, as in a window that has been open a while
    times, trips, statements = [], [], []
    for _ in range(RUNS):
        proxy.reset()
        if counts:
            counts["statements"] = 0
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        trips.append(proxy.round_trips)
        statements.append(counts["statements"] if counts else 1)
    return times, trips, statements


def main() -> int:
    ops = ("open the register", "open a risk", "save a score", "open the SI list")
    if binaries() is None:
        print("bench_network: skipped: no PostgreSQL binaries here (apt-get install postgresql)")
        return finish([skipped(f"{op} over a 20 ms round trip", INFO, "no PostgreSQL binaries") for op in ops])
    import psycopg

    results: list[Row] = []
    with PgServer(PORT) as pg:
        datagen.create(pg.url(), tables())
        with DelayProxy(PORT, DELAY) as proxy:
            services = adapter.services_for(pg.url(proxy.port))
            counts = count_statements(adapter.engine_of(services))
            who = adapter.actor(LOGIN)
            raw = psycopg.connect(f"postgresql://postgres@127.0.0.1:{proxy.port}/postgres", autocommit=True)
            impact = iter(range(10_000))
            risk = 1
            save = {"fn": None}

            def app_save() -> None:
                save["fn"]()  # type: ignore[misc]

            app_ops: dict[str, Callable[[], object]] = {
                "open the register": lambda: adapter.op_open_register(services, who),
                "open a risk": lambda: adapter.op_open_risk(services, who, risk),
                "save a score": app_save,
                "open the SI list": lambda: adapter.op_open_incidents(services, who),
            }

            def floor_op(op: str) -> Callable[[], object]:
                return lambda: raw.execute(FLOOR_SQL[op], {"risk": risk, "impact": next(impact) % 5 + 1}).rowcount

            try:
                for op in ops:
                    if op == "save a score":
                        # Each save is a new score for the risk: the editor's reads happen untimed before it.
                        times, trips, stmts = [], [], []
                        for k in range(RUNS + 1):
                            save["fn"] = adapter.prepare_save_score(services, who, risk, k % 5 + 1)
                            t, r, s = measure_once(proxy, app_save, counts)
                            if k:
                                times.append(t)
                                trips.append(r)
                                stmts.append(s)
                    else:
                        times, trips, stmts = measure(proxy, app_ops[op], counts)
                    ftimes, ftrips, _ = measure(proxy, floor_op(op))
                    note = f"{statistics.median(stmts):.0f} SQL statements"
                    time_goal = INFO
                    if op == "open the register":
                        time_goal = Goal(max_value=300 + statistics.median(ftimes))
                        note += f"; goal = 300 ms + the floor's {statistics.median(ftimes):.0f} ms rows transfer"
                    results.append(judge(f"{op}, time over a 20 ms round trip", time_goal, Stat.of(times),
                                         Stat.of(ftimes), note=note))
                    trip_goal = {"save a score": Goal(max_value=3, unit="round trips"),
                                 "open a risk": Goal(max_value=2, unit="round trips")}.get(
                        op, Goal(unit="round trips"))
                    results.append(judge(f"{op}, round trips", trip_goal, Stat.of(trips), Stat.of(ftrips)))
            except Exception as exc:
                results.append(errored("network benchmark", INFO, f"{type(exc).__name__}: {exc}"[:300]))
            finally:
                raw.close()
                services.db.dispose()
    return finish(results)


def measure_once(proxy: DelayProxy, fn: Callable[[], object], counts: dict[str, int]) -> tuple[float, int, int]:
    proxy.reset()
    counts["statements"] = 0
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000, proxy.round_trips, counts["statements"]


if __name__ == "__main__":
    sys.exit(main())
