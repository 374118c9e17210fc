"""What a database holds, for `riskdesk info` and the About box.

`riskdesk info` is a fresh process each time, so its start-up is most of what the user waits for.
:func:`quick_summary` reads the counts through SQLAlchemy Core on the engine, without the ORM or
the models (a third and more of the import time); the ORM path (:class:`InfoService`) remains for
the window and for any case the quick path does not decide by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text

from riskdesk.db import current_revision, describe
from riskdesk.domain.actor import Actor
from riskdesk.domain.database_info import DatabaseInfo
from riskdesk.domain.permissions import Permission, allows

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Connection

    from riskdesk.db import Database
    from riskdesk.services.base import ServiceContext

# The same statements the ORM path builds from the models; plain SQL that SQLite and PostgreSQL
# both read (``kind != 'corporate'`` orders the corporate register first, false before true).
_RISK_COUNTS = text("SELECT register_id, status, count(*) FROM risk GROUP BY register_id, status")
_REGISTERS = text("SELECT id, name, kind FROM register ORDER BY kind != 'corporate', name")
_PERIODS = text("SELECT DISTINCT period FROM assessment ORDER BY period")
_CYCLES = text("SELECT count(*) FROM report_cycle")
_USERS = text("SELECT count(*) FROM app_user")
_AUDIT_ENTRIES = text("SELECT count(*) FROM audit_entry")
_USER = text("SELECT role, active FROM app_user WHERE login = :login")


def _may_view(conn: Connection, db: Database, actor: Actor) -> bool:
    """Whether the acting user is a known, active user allowed to view the register.

    False also when the ORM path must decide: a login seen for the first time (SQLite adds it,
    and the first one becomes the administrator), an inactive or refused user (the ORM path
    gives the reason in the same words as every other command).
    """
    ident = db.server_identity()
    if ident is not None and not ident.superuser:
        # As ServiceContext.user: on PostgreSQL the role is the server's group role, not the stored copy.
        row = conn.execute(_USER, {"login": ident.login}).first()
        role = conn.scalar(text("SELECT riskdesk_role()")) if row is not None else None
    else:
        row = conn.execute(_USER, {"login": actor.login}).first()
        role = row.role if row is not None else None
    return row is not None and bool(row.active) and role is not None and allows(role, Permission.VIEW_REGISTER)


def quick_summary(db: Database, actor: Actor) -> DatabaseInfo | None:
    """What the database holds, read through Core; None when :meth:`InfoService.summary` must answer
    (see :func:`_may_view`), which then gives the same figures or the same refusal."""
    engine = db.engine
    with engine.connect() as conn:
        if not _may_view(conn, db, actor):
            return None
        counts = {(rid, status): n for rid, status, n in conn.execute(_RISK_COUNTS)}
        registers = tuple(
            (name, kind, counts.get((rid, "current"), 0), counts.get((rid, "removed"), 0))
            for rid, name, kind in conn.execute(_REGISTERS)
        )
        periods = tuple(conn.scalars(_PERIODS))
        cycles = int(conn.scalar(_CYCLES) or 0)
        users = int(conn.scalar(_USERS) or 0)
        audit_entries = int(conn.scalar(_AUDIT_ENTRIES) or 0)
    return DatabaseInfo(
        database=describe(engine),
        schema_revision=current_revision(engine),
        registers=registers,
        periods=periods,
        cycles=cycles,
        users=users,
        audit_entries=audit_entries,
    )


class InfoService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def summary(self, actor: Actor) -> DatabaseInfo:
        from sqlalchemy import func, select

        from riskdesk.models import Assessment, AuditEntry, Register, ReportCycle, Risk, User

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
        from riskdesk.db import backup_database

        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.BACKUP)
        path = backup_database(self._ctx.db.engine, out)
        with self._ctx.begin() as s:
            self._ctx.audit(s, user.login, "database.backup", "database", None, describe(self._ctx.db.engine),
                            {"file": [None, str(path)]})
        return path
