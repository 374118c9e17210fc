"""Rows written by ``insert_many`` (the driver's executemany on SQLite, an import's risks,
assessments, department links and audit entries) are stored exactly as SQLAlchemy's own insert
stores them: the same text for timestamps and dates, the same booleans, NULLs and JSON, and
every default the rows leave out; rows that do not all have the same keys write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from riskdesk.db import insert_many
from riskdesk.models import Assessment, Risk


def _stored(conn, table, ids) -> list[tuple]:
    """The rows as the database holds them (the driver's own values: SQLite's text for a timestamp)."""
    cols = ", ".join(c.name for c in table.columns if c.name not in ("id", "created_at", "recorded_at"))
    marks = ", ".join("?" if conn.dialect.paramstyle == "qmark" else "%s" for _ in ids)
    raw = conn.connection.dbapi_connection.cursor()
    raw.execute(f"SELECT {cols} FROM {table.name} WHERE id IN ({marks}) ORDER BY id", tuple(ids))
    return [tuple(r) for r in raw.fetchall()]


def test_rows_are_stored_as_sqlalchemy_stores_them(published, corporate_id):
    risk, assessment = Risk.__table__, Assessment.__table__
    at = dt.datetime(2026, 12, 4, 9, 30, 0, 0)  # no microseconds: the driver's own adapter would drop them
    base = {"register_id": corporate_id, "category_id": None, "owner_id": None, "status": "current",
            "inherent_impact": None, "inherent_likelihood": None, "inherent_source": None}
    texts = ["plain", "it's 50% %(done)s; -- not a comment", "línea\nzwei ✓ — \u00a0"]
    with published.db.engine.begin() as conn:
        before = conn.scalar(select(risk.c.id).order_by(risk.c.id.desc()).limit(1)) or 0
        conn.execute(insert(risk), [dict(base, ref=f"S{i}", description=t) for i, t in enumerate(texts)])
        insert_many(conn, risk, [dict(base, ref=f"M{i}", description=t) for i, t in enumerate(texts)])
        ids = list(conn.scalars(select(risk.c.id).where(risk.c.id > before).order_by(risk.c.id)))
        sa_ids, many_ids = ids[:3], ids[3:]
        stored = [_stored(conn, risk, sa_ids), _stored(conn, risk, many_ids)]
        strip_ref = [[r[:2] + r[3:] for r in rows] for rows in stored]  # refs differ by design
        assert strip_ref[0] == strip_ref[1]
        created = conn.execute(select(risk.c.created_at).where(risk.c.id.in_(many_ids))).scalars().all()
        assert all(isinstance(c, dt.datetime) for c in created), created

        rows = [{"risk_id": rid, "period": "2026Q3", "current_impact": 4, "current_likelihood": 3,
                 "target_impact": None, "target_likelihood": None, "note": "", "direction": "up",
                 "direction_text": None, "update_text": t, "scheme_id": 1, "recorded_at": at,
                 "recorded_by": "someone"} for rid, t in zip(sa_ids, texts, strict=True)]
        conn.execute(insert(assessment), rows)
        insert_many(conn, assessment, [dict(r, risk_id=rid) for r, rid in zip(rows, many_ids, strict=True)])
        a_sa = conn.execute(select(assessment).where(assessment.c.risk_id.in_(sa_ids)).order_by(assessment.c.id)).all()
        a_many = conn.execute(select(assessment).where(assessment.c.risk_id.in_(many_ids))
                              .order_by(assessment.c.id)).all()
        assert [r[2:] for r in a_sa] == [r[2:] for r in a_many]  # all but id and risk_id
        assert {r.recorded_at for r in a_many} == {at}
        if conn.dialect.name == "sqlite":  # the very text SQLAlchemy writes, microseconds and all
            raw = conn.connection.dbapi_connection.cursor()
            raw.execute("SELECT DISTINCT recorded_at FROM assessment WHERE risk_id IN (?, ?, ?)", tuple(many_ids))
            assert raw.fetchall() == [("2026-12-04 09:30:00.000000",)]
    print(f"{len(texts)} risks and {len(texts)} assessments stored alike both ways ({conn.dialect.name})")


def test_rows_with_other_keys_write_nothing(published, corporate_id):
    risk = Risk.__table__
    good = {"register_id": corporate_id, "ref": "K1", "description": "one"}
    engine = published.db.engine
    last_id = select(risk.c.id).order_by(risk.c.id.desc()).limit(1)
    with engine.connect() as conn:
        before = conn.scalar(last_id)
    for bad in (dict(good, ref="K2", status="closed"), {"register_id": corporate_id, "ref": "K2"}):
        with pytest.raises(ValueError, match="needs exactly the keys"), engine.begin() as conn:
            insert_many(conn, risk, [good, bad])
    with engine.connect() as conn:
        assert conn.scalar(last_id) == before
