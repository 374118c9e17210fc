"""The corporate register and departmental registers: categories, departments, risks, assessments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.models.base import Base, utcnow


class Setting(Base):
    """Council-wide configuration: council name, current reporting period, …"""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")

    # The value is its own version: a change is written ``WHERE value = <the value read>``, so two
    # people closing the same quarter or saving the wording at once cannot both succeed.
    __mapper_args__ = {"version_id_col": value, "version_id_generator": False}  # noqa: RUF012


class SchemeVersion(Base):
    """A version of the scoring scheme; assessments point at the one they were scored under."""

    __tablename__ = "scheme_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: riskdesk.domain.scoring.ScoringScheme.to_dict()
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))  # "A&C"; matched case-insensitively
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("uq_department_code_ci", func.lower(code), unique=True),)


class Register(Base):
    __tablename__ = "register"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: "corporate" or "departmental"
    kind: Mapped[str] = mapped_column(String(16), default="departmental")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), default=None)

    categories: Mapped[list[Category]] = relationship(
        back_populates="register", order_by="Category.position", cascade="all, delete-orphan"
    )


class Category(Base):
    """A numbered heading of a register; one may be unnumbered; retired ones still print."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    number: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str | None] = mapped_column(String(200), default=None)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)
    #: Printed heading where it differs from the one riskdesk would compose.
    heading_as_given: Mapped[str | None] = mapped_column(String(300), default=None)
    version: Mapped[int] = mapped_column(default=1)

    register: Mapped[Register] = relationship(back_populates="categories")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RiskDepartment(Base):
    __tablename__ = "risk_department"

    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)

    department: Mapped[Department] = relationship(lazy="joined")


class Risk(Base):
    __tablename__ = "risk"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), default=None)
    ref: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    #: Sub-heading printed above the description ("Children's Social Care").
    service_area: Mapped[str] = mapped_column(String(200), default="")
    #: The department cell as the council prints it, when it differs from the codes joined.
    departments_text: Mapped[str | None] = mapped_column(String(200), default=None)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    #: "current" or "removed"
    status: Mapped[str] = mapped_column(String(16), default="current")
    #: Part B: exempt from publication.
    exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Date the risk was first presented to committee; after that, amending the description
    #: needs a rationale.
    first_presented_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    #: The inherent score ("risk if no action", before controls) as an imported register gives it:
    #: a property of the risk, not a past quarter's assessment, so no movement is computed from it.
    inherent_impact: Mapped[int | None] = mapped_column(default=None)
    inherent_likelihood: Mapped[int | None] = mapped_column(default=None)
    #: The inherent score's cells as the file gave them ("file: Impact 5 of 5, Likelihood 5 of 5, Score 25").
    inherent_source: Mapped[str | None] = mapped_column(Text, default=None)

    departments: Mapped[list[RiskDepartment]] = relationship(
        order_by="RiskDepartment.position", cascade="all, delete-orphan", lazy="selectin"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="risk", order_by="Assessment.period", cascade="all, delete-orphan"
    )
    category: Mapped[Category | None] = relationship()
    register: Mapped[Register] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        # A ref is unique only among the *current* risks of a register: refs are reused.
        Index(
            "uq_risk_current_ref",
            "register_id",
            "ref",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
        Index("ix_risk_register_status", "register_id", "status"),
    )


class Assessment(Base):
    """A risk's scores, direction and update for one reporting period. Kept, never overwritten."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))  # Quarter.code: "2023Q3"
    current_impact: Mapped[int]
    current_likelihood: Mapped[int]
    target_impact: Mapped[int | None] = mapped_column(default=None)
    target_likelihood: Mapped[int | None] = mapped_column(default=None)
    #: Printed under the headline current score ("Decreased from 20").
    note: Mapped[str] = mapped_column(String(200), default="")
    direction: Mapped[str] = mapped_column(String(8), default="level")
    #: Words as printed when they differ from those riskdesk derives from the bands.
    direction_text: Mapped[str | None] = mapped_column(String(200), default=None)
    update_text: Mapped[str] = mapped_column(Text, default="")
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme_version.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(128), default="")
    version: Mapped[int] = mapped_column(default=1)
    #: For an imported assessment, the score cells as the file gave them
    #: ("file: Impact 6.67 of 10, Likelihood 4 of 5; target: …"), so a converted score can be checked.
    source_values: Mapped[str | None] = mapped_column(Text, default=None)

    risk: Mapped[Risk] = relationship(back_populates="assessments")
    lines: Mapped[list[AssessmentLine]] = relationship(
        order_by="AssessmentLine.position", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (UniqueConstraint("risk_id", "period"),)


class AssessmentLine(Base):
    """An extra scoring line (position 2, 3, …) for a risk scored per department group."""

    __tablename__ = "assessment_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(200), default="")
    current_impact: Mapped[int]
    current_likelihood: Mapped[int]
    target_impact: Mapped[int | None] = mapped_column(default=None)
    target_likelihood: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(200), default="")


class Amendment(Base):
    """A change of description after presentation: printed as Change from / Change to / Rationale."""

    __tablename__ = "amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(32), default="description")
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(128), default="")


class Removal(Base):
    """A risk taken off its register: reason, date and the score at removal."""

    __tablename__ = "removal"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    removed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    #: As recorded at removal (the published register has one row where it disagrees with I × L).
    score: Mapped[int | None] = mapped_column(default=None)
    impact: Mapped[int | None] = mapped_column(default=None)
    likelihood: Mapped[int | None] = mapped_column(default=None)
    removed_by: Mapped[str] = mapped_column(String(128), default="")
    restored_on: Mapped[date | None] = mapped_column(Date, default=None)
    restored_by: Mapped[str | None] = mapped_column(String(128), default=None)


class Escalation(Base):
    """A move between registers: escalated to the corporate register, or de-escalated back."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "escalate" / "de-escalate"
    from_register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    to_register_id: Mapped[int] = mapped_column(ForeignKey("register.id"))
    old_ref: Mapped[str] = mapped_column(String(16))
    new_ref: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(128), default="")


class RiskAction(Base):
    """A mitigating action on a risk: description, owner, due date, completed date."""

    __tablename__ = "risk_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risk.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    #: The owner's current forecast of completion, where it differs from the due date.
    expected_on: Mapped[date | None] = mapped_column(Date, default=None)
    completed_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
