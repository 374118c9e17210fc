"""What every service shares: sessions, the acting user, permission checks and the audit trail."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskdesk.db import Database
from riskdesk.domain.errors import NotFound, PermissionDenied
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.domain.register import default_actor as default_actor  # re-exported for callers
from riskdesk.models import AuditEntry, Setting, User
from riskdesk.services.conflicts import transaction


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    Reading a large register allocates tens of thousands of rows and tuples, none of them in
    reference cycles; the collector would otherwise walk the whole heap several times over
    (a third of the time of listing 5,000 risks). It is switched back on afterwards, if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def jsonable(value: Any) -> Any:
    """A value as the audit trail stores it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that changed."""
    out: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            out[key] = [old, new]
    return out


class ServiceContext:
    """Shared plumbing; each service holds one."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error; a write that lost a race
        with someone else's ends in StaleEdit/AlreadyDone, never a raw database error."""
        with transaction(self.db.sessions) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.db.sessions() as session:
            yield session

    # -- acting user ---------------------------------------------------------------------------

    def user(self, s: Session, actor: Actor) -> User:
        """The acting user's row, created on first sight.

        On a personal (SQLite) database the first person is an administrator. On a shared
        database the first person becomes administrator and later newcomers get read-only
        access until an administrator gives them a role.
        """
        user = s.scalar(select(User).where(User.login == actor.login))
        if user is None:
            has_admin = s.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value))
            role = Role.ADMIN if self.db.is_sqlite or not has_admin else Role.AUDITOR
            user = User(login=actor.login, display_name=actor.display_name or actor.login, role=role.value)
            s.add(user)
            s.flush()
        elif not user.active:
            raise PermissionDenied(f"{user.display_name} ({user.login}) is no longer an active riskdesk user.")
        return user

    def require(self, s: Session, actor: Actor, permission: Permission) -> User:
        user = self.user(s, actor)
        if not allows(user.role, permission):
            raise PermissionDenied(
                f"{user.display_name} ({Role(user.role).label}) may not {permission.value.replace('_', ' ')}."
            )
        return user

    # -- audit trail ---------------------------------------------------------------------------

    def audit(
        self,
        s: Session,
        user: User | str,
        action: str,
        entity: str,
        entity_id: int | None,
        label: str,
        changes: Mapping[str, Any] | None = None,
        note: str = "",
    ) -> None:
        login = user if isinstance(user, str) else user.login
        s.add(
            AuditEntry(
                user_login=login,
                action=action,
                entity=entity,
                entity_id=entity_id,
                label=label,
                changes=jsonable(dict(changes or {})),
                note=note,
            )
        )

    # -- settings ------------------------------------------------------------------------------

    @staticmethod
    def setting(s: Session, key: str, default: str = "") -> str:
        row = s.get(Setting, key)
        # Hold the row for the rest of the transaction, so that set_setting() writes
        # WHERE value = <the value read here> and a concurrent change is refused, not overwritten.
        s.info.setdefault("settings read", {})[key] = row
        return row.value if row else default

    @staticmethod
    def set_setting(s: Session, key: str, value: str) -> None:
        # Read as missing earlier in this transaction: insert, so that if someone else has
        # created it since, the unique key refuses this write instead of overwriting theirs.
        seen = s.info.setdefault("settings read", {})
        row = None if key in seen and seen[key] is None else s.get(Setting, key)
        if row is None:
            seen[key] = row = Setting(key=key, value=value)
            s.add(row)
        else:
            row.value = value


def get_or_404(s: Session, model: type, ident: int, what: str) -> Any:
    obj = s.get(model, ident)
    if obj is None:
        raise NotFound(f"{what} {ident} does not exist (it may have been deleted by someone else).")
    return obj
