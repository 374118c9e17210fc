"""What a committee challenges a register on: controls, assurance, responses, lessons that prompt a re-score."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import riskdesk.models.incidents  # noqa: F401  (lesson_risk refers to serious_incident)
from riskdesk.models.base import Base, utcnow


class RiskControl(Base):
    """An existing control (in place now), distinct from a further action still to be done."""

    __tablename__ = "risk_control"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    #: Line of defence 1, 2 or 3 (Orange Book Annex 2).
    line: Mapped[int] = mapped_column(default=1)
    #: A value of riskdesk.domain.controls.Effectiveness.
    effectiveness: Mapped[str] = mapped_column(String(16), default="partly")
    last_tested_on: Mapped[date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AssuranceSource(Base):
    """A source of assurance that a risk's controls work, with the line it comes from."""

    __tablename__ = "assurance_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(default=1)
    last_received_on: Mapped[date | None] = mapped_column(Date, default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AssessmentGovernance(Base):
    """The response chosen with an assessment and, where someone set one, its own review date.

    Kept beside the assessment rather than in it, so the score-save path stays as it is; without a
    row here the next review date is derived from the assessment's date and the band cadence.
    """

    __tablename__ = "assessment_governance"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), primary_key=True)
    #: A value of riskdesk.domain.controls.Response.
    response: Mapped[str | None] = mapped_column(String(16), default=None)
    next_review_on: Mapped[date | None] = mapped_column(Date, default=None)


class LessonRisk(Base):
    """An SI's lesson marked relevant to a linked risk: the owner is prompted to re-score."""

    __tablename__ = "lesson_risk"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("serious_incident.id", ondelete="CASCADE"), index=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    lesson: Mapped[str] = mapped_column(Text, default="")
    marked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    marked_by: Mapped[str] = mapped_column(String(128), default="")
