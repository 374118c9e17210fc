"""Import mappings saved by name, so next quarter's spreadsheet imports with the same choices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from riskdesk.models.base import Base, utcnow


class SavedImportMapping(Base):
    """A named :class:`~riskdesk.io.mapping.ImportMapping` with its :class:`~riskdesk.io.scales.ScaleMap`."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: riskdesk.io.mapping.ImportMapping.to_dict()
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: riskdesk.io.scales.ScaleMap.to_dict()
    scales: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(128), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
