"""Reads sent together (one multi-statement query on PostgreSQL, one by one on SQLite) return
exactly what each statement returns when sent alone: the same rows, the same Python values
(dates, JSON, booleans, NULLs, text with quotes and percent signs), the same column names; and a
statement the server refuses raises the database error SQLAlchemy would raise."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select, text
from sqlalchemy.exc import DBAPIError

from riskdesk.db import read_together
from riskdesk.models import Assessment, AuditEntry, Risk, SchemeVersion, User


def test_reads_together_return_what_each_returns_alone(published, admin, corporate_id):
    statements = [
        select(Risk.id, Risk.ref, Risk.description, Risk.exempt, Risk.first_presented_on, Risk.owner_id)
        .where(Risk.register_id == corporate_id).order_by(Risk.id),
        select(Assessment.risk_id, Assessment.period, Assessment.target_impact * Assessment.target_likelihood,
               Assessment.recorded_at).where(Assessment.risk_id.in_([1, 2, 3])).order_by(Assessment.id),
        select(SchemeVersion.id, SchemeVersion.data),
        select(AuditEntry.id, AuditEntry.changes, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(5),
        select(User.login, literal("it's 50% %(done)s; -- not a comment").label("odd")),
        select(Risk.id).where(Risk.ref == "no such risk"),
    ]
    with published.db.engine.connect() as conn:
        alone = [[tuple(r) for r in conn.execute(stmt).all()] for stmt in statements]
        keys = [list(conn.execute(stmt).keys()) for stmt in statements]
        together = read_together(conn, statements)
    assert [[tuple(r) for r in rows] for rows in together] == alone
    assert [list(rows[0]._fields) if rows else k for rows, k in zip(together, keys, strict=True)] == keys
    print(f"{len(statements)} statements, {sum(len(r) for r in alone)} rows, the same together as alone "
          f"({published.db.engine.dialect.name})")
    assert together[0] and isinstance(together[2][0].data, dict) and together[-1] == []
    assert together[4][0].odd == "it's 50% %(done)s; -- not a comment"


def test_a_refused_statement_among_them_raises_the_database_error(published):
    with published.db.engine.connect() as conn, pytest.raises(DBAPIError, match="no_such_table"):
        read_together(conn, [select(Risk.id), text("SELECT * FROM no_such_table")])
