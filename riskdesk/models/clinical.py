"""Clinical governance: audits and re-audits, quality visits, PGDs and the assurance summary."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.models.base import Base
from riskdesk.models.providers import CommissionedService


class ClinicalAudit(Base):
    __tablename__ = "clinical_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("commissioned_service.id"), index=True)
    #: Financial quarter, stored as its code ("2022Q3") so it sorts chronologically.
    quarter: Mapped[str] = mapped_column(String(8), index=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default="audit")
    previous_audit_id: Mapped[int | None] = mapped_column(ForeignKey("clinical_audit.id"), default=None)
    standard_body: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    findings: Mapped[str] = mapped_column(Text, default="")
    rag: Mapped[str | None] = mapped_column(String(8), default=None)
    reaudit_due: Mapped[date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(default=1)

    service: Mapped[CommissionedService] = relationship()
    previous: Mapped[ClinicalAudit | None] = relationship(remote_side=[id])
    actions: Mapped[list[ClinicalAction]] = relationship(
        back_populates="audit", order_by="ClinicalAction.position", cascade="all, delete-orphan",
        foreign_keys="ClinicalAction.audit_id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class QualityVisit(Base):
    __tablename__ = "quality_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("commissioned_service.id"), index=True)
    planned: Mapped[date] = mapped_column(Date)
    actual: Mapped[date | None] = mapped_column(Date, default=None)
    visitors: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    rag: Mapped[str | None] = mapped_column(String(8), default=None)
    next_due: Mapped[date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(default=1)

    service: Mapped[CommissionedService] = relationship()
    actions: Mapped[list[ClinicalAction]] = relationship(
        back_populates="visit", order_by="ClinicalAction.position", cascade="all, delete-orphan",
        foreign_keys="ClinicalAction.visit_id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ClinicalAction(Base):
    """An action arising from an audit or a quality visit (exactly one of the two)."""

    __tablename__ = "clinical_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("clinical_audit.id"), index=True, default=None)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("quality_visit.id"), index=True, default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[date | None] = mapped_column(Date, default=None)
    done: Mapped[date | None] = mapped_column(Date, default=None)

    audit: Mapped[ClinicalAudit | None] = relationship(back_populates="actions", foreign_keys=[audit_id])
    visit: Mapped[QualityVisit | None] = relationship(back_populates="actions", foreign_keys=[visit_id])


class PatientGroupDirection(Base):
    __tablename__ = "pgd"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("commissioned_service.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    medicine: Mapped[str] = mapped_column(String(200), default="")
    document_version: Mapped[str] = mapped_column(String(40), default="")
    issued: Mapped[date | None] = mapped_column(Date, default=None)
    review_due: Mapped[date | None] = mapped_column(Date, default=None)
    expiry: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="in_use")
    version: Mapped[int] = mapped_column(default=1)

    service: Mapped[CommissionedService] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AssuranceSummary(Base):
    """The assurance summary (Table 1) for one reporting period."""

    __tablename__ = "assurance_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(120), unique=True)  # "October 2022 – September 2023"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    caption: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)

    entries: Mapped[list[AssuranceEntry]] = relationship(
        back_populates="summary", order_by="AssuranceEntry.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AssuranceEntry(Base):
    __tablename__ = "assurance_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("assurance_summary.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(Text, default="")
    assurance: Mapped[str] = mapped_column(Text, default="")
    service_id: Mapped[int | None] = mapped_column(ForeignKey("commissioned_service.id"), default=None)

    summary: Mapped[AssuranceSummary] = relationship(back_populates="entries")
