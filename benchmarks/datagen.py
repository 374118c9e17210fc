"""Deterministic benchmark databases: the same seed gives the same rows on every backend.

The rows are built as plain dicts first (every id, date and timestamp explicit, nothing from the
clock or from an unordered SELECT), then inserted with bulk SQL through SQLAlchemy Core. The
benchmarks are not part of the application, so they may write tables directly; reading back always
goes through riskdesk's public services or its window.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

#: The login the benchmarks act as: an administrator, so every page and action is open to it.
BENCH_LOGIN = "bench"
OWNERS = 40
DEPARTMENTS = ("ASC", "CFS", "CR", "CE", "E&T", "PH", "HR", "FIN")
WORDS = ("council", "budget", "demand", "service", "staff", "funding", "delivery", "contract", "data", "cyber",
         "flood", "highway", "school", "care", "market", "provider", "pressure", "savings", "inflation",
         "recruitment", "retention", "safeguarding", "waste", "energy")
SI_WORDS = ("naloxone", "overdose", "medication", "PGD", "safeguarding", "referral", "email", "strategy meeting",
            "coroner", "community", "clinic", "recall", "opiate", "alcohol", "home visit", "health visitor")
SI_CATEGORIES = ("Drug-related death", "Medication incident", "Communication failure", "Safeguarding concern",
                 "Unexpected death of a service user")
STAMP = datetime(2024, 1, 1, 9, 0, 0)  # every created_at / recorded_at: no clock in the data

Tables = dict[str, list[dict[str, Any]]]


def _words(rnd: random.Random, pool: tuple[str, ...], low: int, high: int) -> str:
    return " ".join(rnd.choice(pool) for _ in range(rnd.randint(low, high)))


def register_tables(risks: int, quarters: int = 8, seed: int = 7) -> Tables:
    """A corporate register of ``risks`` risks, each with ``quarters`` assessments, 20 categories."""
    from riskdesk.domain.quarters import Quarter
    from riskdesk.domain.scoring import default_scheme

    rnd = random.Random(seed)
    periods = [Quarter(2024, 1)]
    for _ in range(quarters - 1):
        periods.append(periods[-1].next())
    users = [{"id": 1, "login": BENCH_LOGIN, "display_name": "Benchmark", "job_title": "", "role": "admin",
              "active": True}]
    users += [{"id": i + 1, "login": f"owner{i}", "display_name": f"Owner {i:02d}", "job_title": "",
               "role": "risk_owner", "active": True} for i in range(1, OWNERS + 1)]
    t: Tables = {
        "scheme_version": [{"id": 1, "version": 1, "name": default_scheme().name, "data": default_scheme().to_dict(),
                            "created_at": STAMP}],
        "app_user": users,
        "department": [{"id": i + 1, "code": code, "name": f"Department {code}", "active": True}
                       for i, code in enumerate(DEPARTMENTS)],
        "register": [{"id": 1, "name": "Benchmark Corporate Risk Register", "kind": "corporate",
                      "department_id": None}],
        "category": [{"id": c, "register_id": 1, "number": c, "name": f"Category {c}", "retired": False,
                      "position": c, "heading_as_given": None, "version": 1} for c in range(1, 21)],
        "risk": [], "risk_department": [], "assessment": [],
        "setting": [{"key": "current_period", "value": periods[-1].code}],
    }
    aid = 0
    for r in range(1, risks + 1):
        cat = (r - 1) % 20 + 1
        t["risk"].append({
            "id": r, "register_id": 1, "category_id": cat, "ref": f"{cat}.{(r - 1) // 20 + 1}",
            "description": f"If {_words(rnd, WORDS, 15, 45)} then services will be affected.",
            "service_area": "", "departments_text": None, "owner_id": rnd.randint(2, OWNERS + 1),
            "status": "current", "exempt": False, "first_presented_on": None, "created_at": STAMP, "version": 1})
        for pos, dept in enumerate(rnd.sample(range(1, len(DEPARTMENTS) + 1), rnd.randint(1, 2))):
            t["risk_department"].append({"risk_id": r, "department_id": dept, "position": pos})
        impact, likelihood = rnd.randint(1, 5), rnd.randint(1, 5)
        for q in periods:
            impact = min(5, max(1, impact + rnd.choice((-1, 0, 0, 1))))
            aid += 1
            t["assessment"].append({
                "id": aid, "risk_id": r, "period": q.code, "current_impact": impact,
                "current_likelihood": likelihood, "target_impact": max(1, impact - 1),
                "target_likelihood": max(1, likelihood - 1), "note": "",
                "direction": rnd.choice(("up", "level", "down")), "direction_text": None,
                "update_text": "\n".join("• " + _words(rnd, WORDS, 20, 30) for _ in range(3)),
                "scheme_id": 1, "recorded_at": STAMP, "recorded_by": BENCH_LOGIN, "version": 1})
    return t


@cache
def _dues(framework: str, identified: date, reported: date, agreed: date | None) -> Any:
    from riskdesk.domain.incidents import Framework, due_dates

    return due_dates(Framework(framework), identified, reported, agreed)


def incident_tables(count: int, seed: int = 11) -> Tables:
    """``count`` serious incidents over ten years across four providers, a third with an action."""
    from riskdesk.domain.incidents import LearningResponse, Status

    rnd = random.Random(seed)
    providers = (("Turning Point", "TP", "Integrated substance misuse service"),
                 ("Midlands Partnership University NHS Foundation Trust", "MPFT", "Integrated sexual health service"),
                 ("Leicestershire Partnership NHS Trust", "LPT", "0–11 Healthy Together"),
                 ("Change Grow Live", "CGL", "Young people's substance misuse service"))
    t: Tables = {
        "app_user": [{"id": 1, "login": BENCH_LOGIN, "display_name": "Benchmark", "job_title": "", "role": "admin",
                      "active": True}],
        "provider": [{"id": i + 1, "name": name, "short_name": short, "active": True, "version": 1}
                     for i, (name, short, _svc) in enumerate(providers)],
        "commissioned_service": [{"id": i + 1, "provider_id": i + 1, "name": svc, "area": "", "active": True}
                                 for i, (_n, _s, svc) in enumerate(providers)],
        "serious_incident": [], "incident_action": [],
    }
    statuses = [s.value for s in Status]
    responses = [r.value for r in LearningResponse]
    start = date(2015, 1, 1)
    for i in range(1, count + 1):
        pid = rnd.randint(1, len(providers))
        reported = start + timedelta(days=rnd.randint(0, 3200))
        identified = reported - timedelta(days=rnd.randint(0, 2))
        framework = "psirf" if reported.year >= 2023 else "sif_2015"
        agreed = reported + timedelta(days=rnd.choice((40, 60, 90))) if framework == "psirf" else None
        dues = _dues(framework, identified, reported, agreed)
        # As in life: SIs more than a year old are nearly all closed.
        status = "closed" if reported.year < 2022 and rnd.random() < 0.97 else rnd.choice(statuses)
        done = status in ("report_received", "action_plan", "closed")
        t["serious_incident"].append({
            "id": i, "reference": f"SI-{reported.year}-{i:06d}", "provider_id": pid, "service_id": pid,
            "occurred_on": identified, "identified_on": identified, "reported_on": reported,
            "category": rnd.choice(SI_CATEGORIES), "description": _words(rnd, SI_WORDS, 8, 30),
            "external_ref": f"{reported.year}/{rnd.randint(10000, 99999)}", "framework": framework,
            "learning_response": rnd.choice(responses) if framework == "psirf" else None, "agreed_due": agreed,
            "status": status,
            "steis_reported_on": identified + timedelta(days=1) if framework == "sif_2015" else None,
            "initial_review_on": identified + timedelta(days=3) if framework == "sif_2015" else None,
            "report_received_on": reported + timedelta(days=80) if done else None,
            "closed_on": reported + timedelta(days=150) if status == "closed" else None, "lessons": "",
            "steis_due": dues.steis, "initial_review_due": dues.initial_review, "report_due": dues.report,
            "created_at": STAMP, "updated_at": STAMP, "version": 1})
        if i % 3 == 0:
            t["incident_action"].append({
                "id": i // 3, "incident_id": i, "position": 0, "description": "Share learning", "owner": "Lead",
                "due_on": reported + timedelta(days=100),
                "completed_on": reported + timedelta(days=99) if status == "closed" else None})
    return t


def merge(*parts: Tables) -> Tables:
    """Several generated sets in one database (the first one's rows win for a shared table)."""
    out: Tables = {}
    for part in parts:
        for name, rows in part.items():
            out.setdefault(name, rows)
    return out


def create(url: str, tables: Tables) -> None:
    """Migrate the database at ``url`` to head and insert ``tables``, in foreign-key order."""
    from sqlalchemy import text

    from riskdesk.db import make_engine, run_migrations
    from riskdesk.models import Base, load_all

    load_all()
    engine = make_engine(url)
    try:
        run_migrations(engine)
        meta = Base.metadata
        with engine.begin() as conn:
            for table in meta.sorted_tables:
                rows = tables.get(table.name)
                for start in range(0, len(rows or ()), 5000):
                    conn.execute(table.insert(), rows[start:start + 5000])  # type: ignore[index]
            if engine.dialect.name == "postgresql":
                # Explicit ids leave the sequences behind: bring them level so the app's own inserts work.
                for name in tables:
                    table = meta.tables[name]
                    if "id" in table.c and table.c.id.autoincrement:
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                          f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))
        if engine.dialect.name == "postgresql":
            # The planner's statistics, as autovacuum gathers them within a minute of a bulk load
            # on any server: without them it plans for tables of one row (the register's statement
            # ran in 103 ms instead of 63, on 5,000 risks). After the commit, in a transaction of its
            # own: run inside the load's transaction, that COMMIT was still busy after 10 minutes
            # (cause not found; nothing in riskdesk runs ANALYZE).
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()


def dump(url: str, names: Iterable[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the named tables, ordered by primary key (so two backends can be compared)."""
    from sqlalchemy import create_engine, select

    from riskdesk.models import Base, load_all

    load_all()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = {}
            for name in names:
                table = Base.metadata.tables[name]
                out[name] = [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
            return out
    finally:
        engine.dispose()
