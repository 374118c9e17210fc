"""Round trips to a shared PostgreSQL server for the window's main operations, counted at a TCP
proxy between riskdesk and the server (the network benchmark's proxy, with no delay added).

The issue measured 18 round trips for a score save, 31 to open a risk and 30 to open the
register: each read-only call paid a pool ping, a BEGIN and a COMMIT of its own. Now a connection
is pinged only after a long idle spell, a transaction begins at a call's first write, so a
read costs its statements and nothing else, and reads that do not depend on each other go
together, as one multi-statement query (one statement here). A save begins its transaction with
its first reads and sends its audit entry and COMMIT with its last. Counts, not timings; PostgreSQL only.
"""

from __future__ import annotations

import adapter
import pytest
from netproxy import DelayProxy
from sqlalchemy import event
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL

WARM = 6
pytestmark = pytest.mark.skipif(not PG_URL, reason="round trips to a server: PostgreSQL only")


def _count(proxy, statements, fn) -> tuple[int, int]:
    # Warm, as a window that has been open a while: the pool's connection is made, and psycopg
    # has prepared the statements it runs often (on the fifth run, at one extra round trip each).
    for _ in range(WARM):
        fn()
    proxy.reset()
    statements.clear()
    fn()
    return proxy.round_trips, len(statements)


def test_reads_cost_their_statements_only_and_a_save_one_transaction(db_url, published, admin):
    target = make_url(db_url)
    with DelayProxy(target.port or 5432, 0.0) as proxy:
        services = adapter.services_for(target.set(host="127.0.0.1", port=proxy.port)
                                        .render_as_string(hide_password=False))
        statements: list[str] = []
        event.listen(services.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        try:
            risk = published.registers.list_registers(admin)[0]
            risk_id = published.risks.list_risks(admin, risk.id)[0].id
            counts = {
                "open the register": _count(proxy, statements, lambda: adapter.op_open_register(services, admin)),
                "open a risk": _count(proxy, statements, lambda: adapter.op_open_risk(services, admin, risk_id)),
                "open the SI list": _count(proxy, statements, lambda: adapter.op_open_incidents(services, admin)),
            }
            for impact in (1, 2, 3, 4, 5, 1, 2):  # the last one counted, after the others warmed
                save = adapter.prepare_save_score(services, admin, risk_id, impact)
                proxy.reset()
                statements.clear()
                save()
            counts["save a score"] = (proxy.round_trips, len(statements))
        finally:
            services.db.dispose()
    for op, (trips, stmts) in counts.items():
        print(f"{op}: {trips} round trips, {stmts} SQL statements")
    overhead = {op: trips - stmts for op, (trips, stmts) in counts.items()}
    print(f"round trips beyond the statements themselves: {overhead}")
    # Reads: no ping, BEGIN or COMMIT of their own (was 15 extra for the register, 12 for a risk).
    assert overhead["open the register"] == 0 and overhead["open a risk"] == 0
    assert overhead["open the SI list"] == 0
    # A save: its BEGIN goes with its first reads, its audit entry and COMMIT with its last (was 5
    # extra, then 2).
    assert overhead["save a score"] == 0
    # Opening a risk sends its reads together: one round trip (the goal: at most 2; it was
    # 31, then 12 one by one). A save reads what it checks together, writes, and reads back the row
    # with its audit entry and COMMIT (the issue: 18; then 13, then 6; its goal: at most 3).
    assert counts["open a risk"][0] <= 2
    assert counts["save a score"][0] <= 3
    # Opening the register is two reads, each one round trip with its user check: who is asking,
    # the scheme, the quarter and the registers; then the register's rows with the page's choices
    # (was 30, then 11 without the choices, which alone were 9, then 6; then 3).
    assert counts["open the register"][0] <= 2
    # The Incidents page's SIs, providers (with their services) and month's review go together:
    # one round trip (was eleven: three calls, each with its user check, and the services of each
    # provider read one provider at a time).
    assert counts["open the SI list"][0] == 1


def test_the_register_is_read_without_jit_compilation(db_url, published, admin):
    """PostgreSQL compiled the register's statement with JIT (its estimate passes jit_above_cost
    at a few thousand risks), about 22 ms of compiling for 60 ms of running: riskdesk's sessions
    turn JIT off."""
    from sqlalchemy import text

    with published.db.engine.connect() as conn:
        setting = conn.execute(text("SHOW jit")).scalar()
    print(f"jit in a riskdesk session: {setting}")
    assert setting == "off"
