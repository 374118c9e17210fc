"""Reads sent together (one multi-statement query on PostgreSQL, one by one on SQLite) return
exactly what each statement returns when sent alone: the same rows, the same Python values
(dates, JSON, booleans, NULLs, text with quotes and percent signs), the same column names; and a
statement the server refuses raises the database error SQLAlchemy would raise."""

from __future__ import annotations

import pytest
from sqlalchemy import func, literal, select, text, update
from sqlalchemy.exc import DBAPIError

from riskdesk.db import read_together, send_later
from riskdesk.domain.permissions import Permission
from riskdesk.models import Assessment, AuditEntry, Risk, SchemeVersion, Setting, User


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


# -- statements sent later: an audited write's entry goes with the next reads or the COMMIT ------

def _setting(services, key: str) -> str | None:
    with services.db.engine.connect() as conn:
        return conn.execute(select(Setting.value).where(Setting.key == key)).scalar()


def test_a_statement_sent_later_is_seen_by_the_reads_and_statements_after_it(published, admin):
    """Whether it goes with the next batch or ahead of a statement sent alone, what the service
    wrote first the server runs first: the reads after it see it."""
    ctx = published.registers._ctx
    with ctx.begin() as s:
        user = ctx.require(s, admin, Permission.EDIT_REGISTER)
        ctx.audit(s, user, "test.later", "risk", None, "first, with the batch")
        batch = read_together(s.connection(), [select(func.count()).select_from(AuditEntry)
                                               .where(AuditEntry.action == "test.later"),
                                               select(literal(1))])
        ctx.audit(s, user, "test.later", "risk", None, "second, ahead of a statement alone")
        alone = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "test.later"))
        ctx.audit(s, user, "test.later", "risk", None, "third, with the commit")
    with published.db.engine.connect() as conn:
        labels = conn.execute(select(AuditEntry.label).where(AuditEntry.action == "test.later")
                              .order_by(AuditEntry.seq)).scalars().all()
    print(f"seen by the batch: {batch[0][0][0]}, by the statement alone: {alone}, committed: {labels}")
    assert (batch[0][0][0], alone) == (1, 2)
    assert labels == ["first, with the batch", "second, ahead of a statement alone", "third, with the commit"]
    assert published.audit.verify(admin).intact


def test_a_statement_sent_later_that_fails_takes_the_whole_transaction_with_it(published):
    """Refused at the commit it went with, it leaves nothing of its transaction behind, and the
    connection is usable again."""
    before = _setting(published, "current_period")
    with pytest.raises(DBAPIError, match="no_such_table"), published.db.sessions.begin() as s:
        s.execute(update(Setting).where(Setting.key == "current_period").values(value="2031-Q1"))
        send_later(s.connection(), text("INSERT INTO no_such_table VALUES (1)"))
    after = _setting(published, "current_period")
    print(f"current period before {before!r}, after the refused commit {after!r}")
    assert after == before and before != "2031-Q1"
    with published.db.sessions.begin() as s:  # the pooled connection was left usable
        s.execute(update(Setting).where(Setting.key == "current_period").values(value="2031-Q1"))
    assert _setting(published, "current_period") == "2031-Q1"


def test_reads_that_begin_and_commit_a_transaction_keep_it_whole(published):
    """``begin``: a write after the reads is in their transaction (a rollback undoes it);
    ``commit``: the reads' batch ends it, and the write is kept."""
    with pytest.raises(RuntimeError), published.db.sessions.begin() as s:
        read_together(s.connection(), [select(literal(1)), select(literal(2))], begin=True)
        s.execute(update(Setting).where(Setting.key == "current_period").values(value="2032-Q1"))
        raise RuntimeError("the service fails after its write")
    assert _setting(published, "current_period") != "2032-Q1"
    with published.db.sessions.begin() as s:
        read_together(s.connection(), [select(literal(1)), select(literal(2))], begin=True)
        s.execute(update(Setting).where(Setting.key == "current_period").values(value="2032-Q1"))
        rows = read_together(s.connection(), [select(Setting.value).where(Setting.key == "current_period"),
                                              select(literal(3))], commit=True)
    assert rows[0][0][0] == "2032-Q1" and _setting(published, "current_period") == "2032-Q1"
