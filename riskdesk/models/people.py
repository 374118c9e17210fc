"""Users of riskdesk: risk owners, the risk team, public health leads, internal audit."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from riskdesk.models.base import Base


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(128), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    #: A value of riskdesk.domain.permissions.Role.
    role: Mapped[str] = mapped_column(String(32), default="risk_team")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
