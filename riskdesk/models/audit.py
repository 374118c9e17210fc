"""The append-only audit trail: who, when, what, old → new.

Rows are only ever inserted, by services, in the same transaction as the change they
describe. Database triggers (see the baseline migration) refuse UPDATE and DELETE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskdesk.domain.actor import os_login
from riskdesk.models.base import Base, utcnow


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
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    #: Who was really there: the operating-system login on SQLite (beside a ``--as`` name), the
    #: server's ``session_user`` on PostgreSQL (set by the database, not by riskdesk).
    os_login: Mapped[str] = mapped_column(String(128), default=os_login, server_default="")

    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)
