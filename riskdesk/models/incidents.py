"""Serious incidents reported by providers of commissioned public-health services."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.models.base import Base, utcnow
from riskdesk.models.providers import CommissionedService, Provider


class SeriousIncident(Base):
    __tablename__ = "serious_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # "SI-2023-004"
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("commissioned_service.id"))
    occurred_on: Mapped[date | None] = mapped_column(Date, default=None)
    identified_on: Mapped[date] = mapped_column(Date)
    #: Date the SI reached the council's public-health SI inbox (what the annual report counts).
    reported_on: Mapped[date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text)
    #: StEIS or LFPSE reference.
    external_ref: Mapped[str] = mapped_column(String(60), default="")
    #: A value of riskdesk.domain.incidents.Framework.
    framework: Mapped[str] = mapped_column(String(16))
    #: A value of riskdesk.domain.incidents.LearningResponse (PSIRF only).
    learning_response: Mapped[str | None] = mapped_column(String(32), default=None)
    agreed_due: Mapped[date | None] = mapped_column(Date, default=None)
    #: A value of riskdesk.domain.incidents.Status.
    status: Mapped[str] = mapped_column(String(32), default="reported", index=True)
    steis_reported_on: Mapped[date | None] = mapped_column(Date, default=None)
    initial_review_on: Mapped[date | None] = mapped_column(Date, default=None)
    report_received_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    lessons: Mapped[str] = mapped_column(Text, default="")
    # Due dates are worked out by the service on every save (extensions included) and stored, so
    # that listing 100,000 SIs does not recount working days from scratch.
    steis_due: Mapped[date | None] = mapped_column(Date, default=None)
    initial_review_due: Mapped[date | None] = mapped_column(Date, default=None)
    report_due: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    provider: Mapped[Provider] = relationship()
    service: Mapped[CommissionedService] = relationship()
    actions: Mapped[list[IncidentAction]] = relationship(
        order_by="IncidentAction.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[IncidentReview]] = relationship(
        order_by="(IncidentReview.reviewed_on, IncidentReview.id)", cascade="all, delete-orphan"
    )
    extensions: Mapped[list[IncidentExtension]] = relationship(
        order_by="IncidentExtension.id", cascade="all, delete-orphan"
    )
    risk_links: Mapped[list[IncidentRisk]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_serious_incident_provider_reported", "provider_id", "reported_on"),)


class IncidentAction(Base):
    __tablename__ = "incident_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("serious_incident.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    completed_on: Mapped[date | None] = mapped_column(Date, default=None)


class IncidentReview(Base):
    """A monthly review of an SI by the commissioner."""

    __tablename__ = "incident_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("serious_incident.id", ondelete="CASCADE"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text)


class IncidentExtension(Base):
    """An agreed extension of the report clock: never changed or deleted once recorded."""

    __tablename__ = "incident_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("serious_incident.id", ondelete="CASCADE"), index=True)
    previous_due: Mapped[date | None] = mapped_column(Date, default=None)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IncidentRisk(Base):
    """An SI linked to a risk in a register (many-to-many)."""

    __tablename__ = "incident_risk"

    incident_id: Mapped[int] = mapped_column(ForeignKey("serious_incident.id", ondelete="CASCADE"), primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True)
