"""FOI and EIR requests, their requesters (restricted), internal reviews, ICO cases (SPEC D.6).

The requester's name and contact details live in ``foi_requester``, apart from the case facts:
only roles with VIEW_REQUESTER read it (the service, and row-level security on PostgreSQL), and
it can be anonymised after retention while every figure the reports need stays in ``foi_request``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.domain.foi import SOURCE_REFERENCE_MAX
from riskdesk.models.base import Base, utcnow


class FoiRequest(Base):
    __tablename__ = "foi_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)  # "FOI-2022-00001"
    #: riskdesk.domain.foi.Regime value; a switch records its reason here and in the trail.
    regime: Mapped[str] = mapped_column(String(8))
    regime_reason: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(32), default="email")
    #: "Member of the public", "Business", "Media" …; None = not identifiable (F1.24).
    requester_type: Mapped[str | None] = mapped_column(String(80), default=None)
    subject: Mapped[str] = mapped_column(String(120), default="")
    #: Department codes separated by spaces ("CFS", "A&C CR"); more than one prints as MULTI.
    departments: Mapped[str] = mapped_column(String(120), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    #: The request's reference in the export it was imported from (iCasework, Infreemation…); None
    #: for a request logged here. Unique, so no export can bring the same request in twice.
    source_reference: Mapped[str | None] = mapped_column(String(SOURCE_REFERENCE_MAX), default=None, unique=True,
                                                         index=True)
    division: Mapped[str] = mapped_column(String(120), default="")
    local_alert_sent_on: Mapped[date | None] = mapped_column(Date, default=None)
    media: Mapped[bool] = mapped_column(Boolean, default=False)
    media_approved_on: Mapped[date | None] = mapped_column(Date, default=None)
    clarification_sought_on: Mapped[date | None] = mapped_column(Date, default=None)
    clarified_on: Mapped[date | None] = mapped_column(Date, default=None)
    fee_requested_on: Mapped[date | None] = mapped_column(Date, default=None)
    fee_received_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: FOIA: the s.17 public-interest notice; EIR: the reg 7 extension notice.
    extension_notified_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: Stored by the service on every save (recomputed from the dates above), so lists paint fast.
    due_on: Mapped[date] = mapped_column(Date, index=True)
    extended_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    responded_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    #: Working days taken (UK_ANY, pauses disregarded), stored with the response.
    days_taken: Mapped[int | None] = mapped_column(default=None)
    #: riskdesk.domain.foi.Outcome value.
    outcome: Mapped[str | None] = mapped_column(String(32), default=None)
    #: Sections/exceptions relied on, comma-separated ("s.12", "s.40(2), s.43").
    bases: Mapped[str] = mapped_column(String(300), default="")
    public_interest_test: Mapped[str] = mapped_column(Text, default="")
    cost_estimate_hours: Mapped[Decimal | None] = mapped_column(Numeric(7, 2), default=None)
    disclosure_log: Mapped[bool | None] = mapped_column(Boolean, default=None)
    disclosure_published_on: Mapped[date | None] = mapped_column(Date, default=None)
    disclosure_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    reviews: Mapped[list[FoiInternalReview]] = relationship(order_by="FoiInternalReview.id",
                                                            cascade="all, delete-orphan")
    ico_cases: Mapped[list[FoiIcoCase]] = relationship(order_by="FoiIcoCase.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class FoiRequester(Base):
    """Restricted personal data: who asked. Never in a report; the trail keeps hashes only."""

    __tablename__ = "foi_requester"

    request_id: Mapped[int] = mapped_column(ForeignKey("foi_request.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class FoiInternalReview(Base):
    __tablename__ = "foi_internal_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("foi_request.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    extended_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    responded_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: riskdesk.domain.foi.ReviewOutcome value.
    outcome: Mapped[str | None] = mapped_column(String(32), default=None)
    ico_rights_given: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class FoiIcoCase(Base):
    __tablename__ = "foi_ico_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("foi_request.id", ondelete="CASCADE"), index=True)
    ico_reference: Mapped[str] = mapped_column(String(60), default="")
    received_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16), default="enquiry")  # enquiry | investigation
    decision_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    decision_ref: Mapped[str] = mapped_column(String(60), default="")  # decision notice, "IC-123456-A1B2"
    #: riskdesk.domain.foi.IcoOutcome value.
    outcome: Mapped[str | None] = mapped_column(String(32), default=None)
    further_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)
    steps_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class FoiLinkOfficer(Base):
    """Which departments' requests a link officer (role foi_read) may read."""

    __tablename__ = "foi_link_officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(128), index=True)
    department: Mapped[str] = mapped_column(String(16))

    __table_args__ = (UniqueConstraint("login", "department", name="uq_foi_link_officer_login_department"),)


class FoiReport(Base):
    """An annual FOI report as presented: the figures frozen as JSON, printed again unchanged."""

    __tablename__ = "foi_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(8), unique=True)  # "22/23"
    presented_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    presented_by: Mapped[str] = mapped_column(String(128))
    figures_json: Mapped[str] = mapped_column(Text)
    figures_sha256: Mapped[str] = mapped_column(String(64))


Index("ix_foi_request_outcome_responded", FoiRequest.outcome, FoiRequest.responded_on)
