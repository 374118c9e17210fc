"""Providers of commissioned public-health services and the services they run."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from riskdesk.models.base import Base


class Provider(Base):
    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # "Midlands Partnership NHS Foundation Trust"
    short_name: Mapped[str] = mapped_column(String(40), default="")  # "MPFT"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(default=1)

    services: Mapped[list[CommissionedService]] = relationship(
        back_populates="provider", order_by="CommissionedService.name"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CommissionedService(Base):
    __tablename__ = "commissioned_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"))
    name: Mapped[str] = mapped_column(String(200))  # "Integrated Sexual Health Service"
    #: The commissioning area: "Substance misuse", "Sexual health", "0-19 Healthy Child Programme" …
    area: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    provider: Mapped[Provider] = relationship(back_populates="services")

    __table_args__ = (UniqueConstraint("provider_id", "name"),)
