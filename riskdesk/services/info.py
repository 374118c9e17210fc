"""What a database holds, for `riskdesk info` and the About box."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from riskdesk.db import backup_database, current_revision, describe
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor, DatabaseInfo
from riskdesk.models import Assessment, AuditEntry, Register, ReportCycle, Risk, User
from riskdesk.services.base import ServiceContext


class InfoService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def summary(self, actor: Actor) -> DatabaseInfo:
        engine = self._ctx.db.engine
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            counts = {
                (rid, status): n
                for rid, status, n in s.execute(
                    select(Risk.register_id, Risk.status, func.count()).group_by(Risk.register_id, Risk.status)
                )
            }
            registers = tuple(
                (r.name, r.kind, counts.get((r.id, "current"), 0), counts.get((r.id, "removed"), 0))
                for r in s.scalars(select(Register).order_by(Register.kind != "corporate", Register.name))
            )
            periods = tuple(s.scalars(select(Assessment.period).distinct().order_by(Assessment.period)))
            cycles = int(s.scalar(select(func.count()).select_from(ReportCycle)) or 0)
            return DatabaseInfo(
                database=describe(engine),
                schema_revision=current_revision(engine),
                registers=registers,
                periods=periods,
                cycles=cycles,
                users=int(s.scalar(select(func.count()).select_from(User)) or 0),
                audit_entries=int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0),
            )

    def location(self) -> str:
        """Where the data lives, as a user would name it (no password); reads nothing."""
        return describe(self._ctx.db.engine)

    def backup(self, actor: Actor, out: Path | None = None) -> Path:
        """A consistent copy of the database (see riskdesk.db.backup_database), owner-only (0600).

        A backup holds everything, incidents included, so only administrators and the
        corporate risk team may take one."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.BACKUP)
        path = backup_database(self._ctx.db.engine, out)
        with self._ctx.begin() as s:
            self._ctx.audit(s, user.login, "database.backup", "database", None, describe(self._ctx.db.engine),
                            {"file": [None, str(path)]})
        return path
