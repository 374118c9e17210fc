"""Report cycles: one committee meeting's appendix, frozen when presented."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from riskdesk.models.base import Base, utcnow


class ReportCycle(Base):
    """A quarterly presentation of a register to committee.

    A draft is printed live from the register; presenting it stores the snapshot (JSON) and
    its SHA-256, after which the row never changes and the appendix always prints the same.
    """

    __tablename__ = "report_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    meeting_date: Mapped[date] = mapped_column(Date)
    #: The committee: "Corporate Governance Committee".
    meeting_title: Mapped[str] = mapped_column(String(200))
    #: "Corporate Risk Register Update (November 2023)"
    title: Mapped[str] = mapped_column(String(300))
    appendix_label: Mapped[str] = mapped_column(String(64), default="Appendix A")
    #: The update column heading: "Update October 2023".
    update_heading: Mapped[str] = mapped_column(String(200))
    #: Quarter code the scores belong to: "2023Q3".
    period: Mapped[str] = mapped_column(String(8))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("report_cycle.id"), default=None)
    #: "draft" or "presented"
    status: Mapped[str] = mapped_column(String(16), default="draft")
    presented_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    presented_by: Mapped[str | None] = mapped_column(String(128), default=None)
    #: riskdesk.domain.snapshot.RegisterSnapshot.to_json(), set when presented.
    snapshot_json: Mapped[str | None] = mapped_column(Text, default=None)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(128), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_report_cycle_register_status", "register_id", "status"),)
