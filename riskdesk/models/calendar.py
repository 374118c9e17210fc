"""Administrators' changes to the working-day calendars (SPEC E.1, E.5).

A newly proclaimed bank holiday, a day the ``holidays`` package lists in error, or a local
closure day (complaint calendars only). The calendar service installs these into
``riskdesk.domain.calendars`` so every clock counts with them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from riskdesk.models.base import Base, utcnow


class CalendarOverride(Base):
    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    #: riskdesk.domain.calendars.OverrideKind
    kind: Mapped[str] = mapped_column(String(32))
    #: nations the change applies to, "ENG,WLS,SCT,NIR" order; "" for a local closure day.
    nations: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("day", "kind", "nations", name="uq_calendar_override_day_kind_nations"),)
