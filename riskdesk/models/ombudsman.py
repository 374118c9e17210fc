"""Ombudsman (LGSCO) casework, the Ombudsman's published figures, and the Code self-assessment (SPEC D.5, D.7)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.models.base import Base, utcnow


class OmbudsmanCase(Base):
    """An enquiry the Ombudsman made to the council about a complaint, through to its final decision."""

    __tablename__ = "ombudsman_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # the Ombudsman's, "23 005 558"
    #: Department code as the Ombudsman table prints them (riskdesk.domain.ombudsman.LGSCO_DEPARTMENTS).
    department: Mapped[str] = mapped_column(String(16), index=True)
    service_group: Mapped[str] = mapped_column(String(120), default="")
    #: A value of riskdesk.domain.ombudsman.Procedure.
    procedure: Mapped[str] = mapped_column(String(16), default="corporate")
    #: The council's own complaint reference, free text: the complaints log is a separate record.
    complaint_ref: Mapped[str] = mapped_column(String(60), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    #: When the complaints team logged it (the contact table's basis, 004:66) …
    logged_on: Mapped[date] = mapped_column(Date)
    #: … and the date of the Ombudsman's first letter (the basis of "new enquiries", 004:292).
    first_enquiry_on: Mapped[date] = mapped_column(Date, index=True)
    response_due_on: Mapped[date | None] = mapped_column(Date, default=None)  # as set in the letter
    #: The due date in force: the letter's, or the latest extension agreed with the Ombudsman. Stored so
    #: the daily list of thousands of cases is one indexed query.
    reply_due_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    responded_on: Mapped[date | None] = mapped_column(Date, default=None)
    early_resolution_offered_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: A value of riskdesk.domain.ombudsman.Decision.
    decision: Mapped[str | None] = mapped_column(String(40), default=None)
    final_decision_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    investigated: Mapped[bool] = mapped_column(Boolean, default=False)
    public_report_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    extensions: Mapped[list[OmbudsmanExtension]] = relationship(
        order_by="OmbudsmanExtension.id", cascade="all, delete-orphan")
    recommendations: Mapped[list[OmbudsmanRecommendation]] = relationship(
        order_by="OmbudsmanRecommendation.id", cascade="all, delete-orphan")
    remedies: Mapped[list[OmbudsmanRemedy]] = relationship(
        order_by="OmbudsmanRemedy.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OmbudsmanExtension(Base):
    """An extension of the reply date agreed with the Ombudsman, with its reason (002:231-233); never edited."""

    __tablename__ = "ombudsman_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ombudsman_case.id", ondelete="CASCADE"), index=True)
    agreed_on: Mapped[date] = mapped_column(Date)
    previous_due: Mapped[date | None] = mapped_column(Date, default=None)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(128), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OmbudsmanRecommendation(Base):
    __tablename__ = "ombudsman_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ombudsman_case.id", ondelete="CASCADE"), index=True)
    #: A value of riskdesk.domain.ombudsman.RecommendationKind.
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    completed_on: Mapped[date | None] = mapped_column(Date, default=None)


class OmbudsmanRemedy(Base):
    """A financial remedy the Ombudsman recommended; amounts in pence, never floats."""

    __tablename__ = "ombudsman_remedy"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ombudsman_case.id", ondelete="CASCADE"), index=True)
    amount_pence: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    #: A payment to others similarly affected (000:588), counted apart where a report asks.
    others_affected: Mapped[bool] = mapped_column(Boolean, default=False)
    beneficiaries: Mapped[int] = mapped_column(Integer, default=1)
    approved_on: Mapped[date | None] = mapped_column(Date, default=None)
    chair_consulted_on: Mapped[date | None] = mapped_column(Date, default=None)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)


class OmbudsmanPublishedYear(Base):
    """The Ombudsman's annual letter, as published: percentages kept as printed text, never recomputed."""

    __tablename__ = "ombudsman_published_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    fy: Mapped[int] = mapped_column(Integer, unique=True)  # the year the financial year starts
    letter_date: Mapped[date | None] = mapped_column(Date, default=None)
    complaints_and_enquiries_received: Mapped[int | None] = mapped_column(Integer, default=None)
    premature: Mapped[int | None] = mapped_column(Integer, default=None)
    assessment_closures: Mapped[int | None] = mapped_column(Integer, default=None)
    investigations: Mapped[int | None] = mapped_column(Integer, default=None)
    upheld: Mapped[int | None] = mapped_column(Integer, default=None)
    uphold_pct: Mapped[str] = mapped_column(String(16), default="")
    similar_avg_uphold_pct: Mapped[str] = mapped_column(String(16), default="")
    upheld_per_100k: Mapped[str] = mapped_column(String(16), default="")
    similar_avg_per_100k: Mapped[str] = mapped_column(String(16), default="")
    compliance_outcomes: Mapped[int | None] = mapped_column(Integer, default=None)
    compliance_pct: Mapped[str] = mapped_column(String(16), default="")
    similar_avg_compliance_pct: Mapped[str] = mapped_column(String(16), default="")
    satisfactory_remedy_count: Mapped[int | None] = mapped_column(Integer, default=None)
    satisfactory_remedy_pct: Mapped[str] = mapped_column(String(16), default="")
    similar_avg_satisfactory_pct: Mapped[str] = mapped_column(String(16), default="")
    public_reports: Mapped[int | None] = mapped_column(Integer, default=None)
    source: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OmbudsmanBenchmark(Base):
    """A statistical neighbour's row of the benchmarking table, as printed (000:1363-1381)."""

    __tablename__ = "ombudsman_benchmark"

    id: Mapped[int] = mapped_column(primary_key=True)
    fy: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    authority: Mapped[str] = mapped_column(String(120))
    new_complaints: Mapped[int] = mapped_column(Integer)
    uphold_pct: Mapped[int] = mapped_column(Integer)
    per_100k: Mapped[str] = mapped_column(String(16))
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("fy", "authority"),)


class SelfAssessment(Base):
    """One year's Code self-assessment; frozen (snapshot kept) when presented to the committee."""

    __tablename__ = "self_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    fy: Mapped[int] = mapped_column(Integer)
    template: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    presented_on: Mapped[date | None] = mapped_column(Date, default=None)
    presented_by: Mapped[str] = mapped_column(String(128), default="")
    #: The rows as presented (JSON): reprints read this, never the live rows.
    snapshot: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    rows: Mapped[list[SelfAssessmentRowModel]] = relationship(
        order_by="SelfAssessmentRowModel.position", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("fy", "template"),)


class SelfAssessmentRowModel(Base):
    __tablename__ = "self_assessment_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code_ref: Mapped[str] = mapped_column(String(16))
    comply: Mapped[str | None] = mapped_column(String(8), default=None)
    explanation: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None] = mapped_column(Date, default=None)
