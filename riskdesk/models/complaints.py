"""The complaints team's casework: the front door (contacts), complaints and their stages,
extensions, remedies, compliments, the restricted complainant record and frozen annual reports.

Case facts never hold a complainant's name or contact details: those live in ``complainant``,
which only the complaints team and administrators may read (SPEC D.10), so that retention
deletion can remove them while the case facts and the append-only audit trail stay.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.models.base import Base, utcnow


class ComplaintService(Base):
    """A service complaints are recorded against ("SENA", "Waste Management")."""

    __tablename__ = "complaint_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), default=None)
    #: Groups services for themes ("Education & SEND").
    service_group: Mapped[str] = mapped_column(String(200), default="")
    #: Left out of the "top five services" lists (children's social care under the corporate procedure, 004:141).
    exclude_from_top_services: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Complaints here are children's social care complaints handled under the corporate procedure.
    childrens_social_care: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    aliases: Mapped[list[ComplaintServiceAlias]] = relationship(cascade="all, delete-orphan")


class ComplaintServiceAlias(Base):
    """Another name of a service that reports print ("SEN Assessment" for "SENA")."""

    __tablename__ = "complaint_service_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("complaint_service.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), unique=True)


class Complainant(Base):
    """Personal data about a person who contacted the council (restricted: VIEW_COMPLAINANT)."""

    __tablename__ = "complainant"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    disclosed_disability: Mapped[str] = mapped_column(Text, default="")
    reasonable_adjustments: Mapped[str] = mapped_column(Text, default="")
    contact_restrictions: Mapped[str] = mapped_column(Text, default="")
    restrictions_review_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: The date the case this person is part of was last touched; retention counts from it.
    last_activity_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Contact(Base):
    """One contact the complaints team handled: what the contact-type table counts (by ``logged_on``)."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # "CT-2023-00001"
    #: A value of riskdesk.domain.complaints.ContactKind.
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    #: The date the team logged it: the basis of the contact-type table (SPEC I-3).
    logged_on: Mapped[date] = mapped_column(Date)
    #: When it arrived, for the 24-hour informal-resolution window (None when not known).
    received_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    channel: Mapped[str] = mapped_column(String(20), default="phone")
    #: A value of riskdesk.domain.complaints.EnquiryCategory (enquiries and service requests).
    enquiry_category: Mapped[str | None] = mapped_column(String(40), default=None)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), default=None)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_service.id"), default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainant.id", ondelete="SET NULL"),
                                                       default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (Index("ix_contact_kind_logged", "kind", "logged_on"),)


class Complaint(Base):
    """A complaint under one procedure (corporate, adult or children's statutory)."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # "CC-2023-00001"
    #: The contact that logged it (its own, kind "complaint").
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    #: The service request or enquiry this complaint was converted from (a recorded conversion: the
    #: earlier contact keeps its kind and is still counted as what it was).
    converted_from_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), default=None, index=True)
    #: A value of riskdesk.domain.complaints.Procedure.
    procedure: Mapped[str] = mapped_column(String(16))
    #: The rule set fixed at receipt (riskdesk.domain.clocks.RULE_SETS code; corporate only).
    rule_set: Mapped[str] = mapped_column(String(32), default="")
    received_on: Mapped[date] = mapped_column(Date)
    issue_on: Mapped[date | None] = mapped_column(Date, default=None)
    aware_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: A value of riskdesk.domain.complaints.Acceptance.
    acceptance: Mapped[str] = mapped_column(String(16), default="accepted")
    exclusion_reason: Mapped[str | None] = mapped_column(String(40), default=None)
    exclusion_evidence: Mapped[str] = mapped_column(Text, default="")
    #: Why a complaint made more than 12 months after the matter was accepted anyway.
    out_of_time_reason: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), default=None)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_service.id"), default=None, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    safeguarding: Mapped[bool] = mapped_column(Boolean, default=False)
    health_and_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A value of riskdesk.domain.complaints.Outcome, from the last responded stage (Code 6.22).
    final_outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    #: The date of the final response: the "resolved" basis of the annual report.
    resolved_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: Every follow-up action done or cancelled.
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("complainant.id", ondelete="SET NULL"),
                                                       default=None)
    #: The complaint was the subject of an Ombudsman case (set by the Ombudsman log or the fixture).
    went_to_ombudsman: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    stages: Mapped[list[ComplaintStage]] = relationship(order_by="ComplaintStage.number",
                                                        cascade="all, delete-orphan")
    remedies: Mapped[list[ComplaintRemedy]] = relationship(order_by="ComplaintRemedy.id",
                                                           cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # received_on alone: the annual reports count a year's complaints across every procedure.
    __table_args__ = (Index("ix_complaint_procedure_received", "procedure", "received_on"),
                      Index("ix_complaint_received_on", "received_on"))


class ComplaintStage(Base):
    """One stage of a complaint; due dates are worked out on save and stored (lists never recount)."""

    __tablename__ = "complaint_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    requested_on: Mapped[date] = mapped_column(Date)
    acknowledged_on: Mapped[date | None] = mapped_column(Date, default=None)
    handler: Mapped[str] = mapped_column(String(200), default="")
    responded_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)
    ack_due: Mapped[date | None] = mapped_column(Date, default=None)
    base_due: Mapped[date | None] = mapped_column(Date, default=None)
    due: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    max_due: Mapped[date | None] = mapped_column(Date, default=None)
    #: Working days taken from day 0 to the response (stored with the response, for the KPIs).
    days_taken: Mapped[int | None] = mapped_column(Integer, default=None)

    extensions: Mapped[list[StageExtension]] = relationship(order_by="StageExtension.id",
                                                            cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("complaint_id", "number"),)


class StageExtension(Base):
    """An extension of a stage's response date: never changed or deleted once recorded."""

    __tablename__ = "stage_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("complaint_stage.id", ondelete="CASCADE"), index=True)
    previous_due: Mapped[date] = mapped_column(Date)
    new_due: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    #: Why going beyond the rule set's maximum is justified (a comply-or-explain entry).
    good_reason: Mapped[str] = mapped_column(Text, default="")
    communicated_on: Mapped[date] = mapped_column(Date)
    ombudsman_details_given: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(128), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ComplaintRemedy(Base):
    """A remedy or follow-up action (Code 7.1), tracked to completion after the response."""

    __tablename__ = "complaint_remedy"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    #: A value of riskdesk.domain.complaints.RemedyKind.
    kind: Mapped[str] = mapped_column(String(32))
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    you_complained_that: Mapped[str] = mapped_column(Text, default="")
    we_have: Mapped[str] = mapped_column(Text, default="")
    #: "2023/24": printed in that year's "You complained that / We have" table.
    sample_for_report_fy: Mapped[str | None] = mapped_column(String(8), default=None)


class Compliment(Base):
    """Positive feedback about a service, with the words as received."""

    __tablename__ = "compliment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), default=None, index=True)
    logged_on: Mapped[date] = mapped_column(Date, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), default=None)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_service.id"), default=None)
    text: Mapped[str] = mapped_column(Text, default="")
    #: "2023/24": printed in that year's annual report appendix (staff named by initial only).
    publish_fy: Mapped[str | None] = mapped_column(String(8), default=None)


class CaseworkReport(Base):
    """A casework report as presented: its figures frozen, so it reprints the same forever."""

    __tablename__ = "casework_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "complaints", "item8"
    fy: Mapped[str] = mapped_column(String(8))  # "2023/24"
    presented_on: Mapped[date] = mapped_column(Date)
    presented_by: Mapped[str] = mapped_column(String(128))
    #: The report's figures as JSON (sorted keys), and their SHA-256.
    payload: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("kind", "fy"),)
