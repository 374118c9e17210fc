"""The append-only, hash-chained audit trail: who, when, what, old → new.

Rows are only ever inserted, by services (or by the database's own triggers on PostgreSQL),
in the same transaction as the change they describe. Database triggers refuse UPDATE and
DELETE except a redaction authorised by a later, chained entry (migration 0009). Each row
carries its place in the hash chain (``seq``, ``prev_hash``, ``hash``); see
``riskdesk.domain.audit_chain`` for the canonical form.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Index, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from riskdesk.domain.actor import os_login
from riskdesk.models.base import Base, utcnow


def stored_json(value: Any) -> str:
    """The exact JSON text riskdesk writes for ``changes`` on SQLite, where Python computes the hash."""
    return json.dumps(value)


class ChainedJSON(TypeDecorator[Any]):
    """JSON whose stored text is pinned: the chain hashes the text as stored, byte for byte.

    On SQLite the text is ``stored_json`` (whatever serializer an engine was configured with);
    on PostgreSQL the column is ``json`` (not ``jsonb``), which keeps the text it was given, and
    the server hashes that text itself.
    """

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return lambda value: None if value is None else stored_json(value)
        return super().bind_processor(dialect)


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_login: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))  # "risk.assess", "risk.remove", …
    entity: Mapped[str] = mapped_column(String(64))  # "risk", "category", …
    entity_id: Mapped[int | None] = mapped_column(default=None)
    label: Mapped[str] = mapped_column(String(200), default="")  # "Risk 1.1" as the user knows it
    #: {field: [old, new]} with JSON-safe values.
    changes: Mapped[dict[str, Any]] = mapped_column(ChainedJSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    #: Who was really there: the operating-system login on SQLite (beside a ``--as`` name), the
    #: server's ``session_user`` on PostgreSQL (set by the database, not by riskdesk).
    os_login: Mapped[str] = mapped_column(String(128), default=os_login, server_default="")
    #: Position in the chain: 1, 2, 3 … with no gaps. Set by the writer (SQLite) or the server trigger.
    seq: Mapped[int | None] = mapped_column(BigInteger, default=None)
    prev_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    hash: Mapped[str | None] = mapped_column(String(64), default=None)

    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        # A unique index rather than a constraint: SQLite adds it without rebuilding the table.
        Index("uq_audit_entry_seq", "seq", unique=True),
    )


class AuditChainHead(Base):
    """One row: the last entry's sequence number and hash. Writers lock it to append in order."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditSeal(Base):
    """A chain head recorded outside the trail (quarter close, cycle presented)."""

    __tablename__ = "audit_seal"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sealed_by: Mapped[str] = mapped_column(String(128), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
