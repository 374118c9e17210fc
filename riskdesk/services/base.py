"""What every service shares: sessions, the acting user, permission checks and the audit trail."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import BindParameter, Select, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from riskdesk.db import Database, read_together
from riskdesk.domain.actor import Actor
from riskdesk.domain.actor import default_actor as default_actor  # re-exported for callers
from riskdesk.domain.errors import NotFound, PermissionDenied
from riskdesk.domain.permissions import WHO_MAY, Permission, Role, allows
from riskdesk.models import Setting, User
from riskdesk.services.conflicts import transaction

if TYPE_CHECKING:
    from sqlalchemy.sql import Executable

#: A person's row as plain columns: the user check reads it beside other statements in one round
#: trip, and the people list reads the same columns.
USER_COLUMNS = (User.id, User.login, User.display_name, User.job_title, User.role, User.active)


def user_read(login: str | BindParameter[str]) -> Select[Any]:
    """A person's row in the people list, by login (on SQLite, the acting user's)."""
    return select(*USER_COLUMNS).where(User.login == login)


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
        """The acting user's row.

        On PostgreSQL the person is the server's ``session_user`` and their role is the riskdesk
        group role that login belongs to (``riskdesk_risk_owner`` …): the ``actor`` passed in is
        not believed (only a superuser, the database administrator, may name someone else, and
        the trail still shows it was them). On SQLite the person is the actor (the OS login):
        the database's first user becomes its administrator, anyone later has no role, and so
        may do nothing, until an administrator gives them one.
        """
        ident = self.db.server_identity()
        if ident is not None and not ident.superuser:
            return self._server_user(s, ident.login, actor)
        user = s.scalar(select(User).where(User.login == actor.login))
        if user is None:
            anyone = s.scalar(select(func.count()).select_from(User))
            role = Role.NONE if anyone else Role.ADMIN
            user = User(login=actor.login, display_name=actor.display_name or actor.login, role=role.value)
            s.add(user)
            s.flush()
        elif not user.active:
            raise _inactive(user)
        return user

    def user_reads(self, actor: Actor) -> list[Executable]:
        """What ``user_from`` needs, as statements a caller sends with its own reads (one round trip)."""
        ident = self.db.server_identity()
        if ident is not None and not ident.superuser:
            return [text("SELECT riskdesk_role()"), select(*USER_COLUMNS).where(User.login == ident.login)]
        return [user_read(actor.login)]

    def user_from(self, s: Session, actor: Actor, results: Sequence[Sequence[Any]]) -> User:
        """The acting user, as ``user`` decides it, from what ``user_reads`` read (``results``, in
        that order). A plain object, not the row: for reading only. Someone using riskdesk for the
        first time is added by ``user``."""
        ident = self.db.server_identity()
        server = ident is not None and not ident.superuser
        role = Role(results[0][0][0] or Role.NONE.value) if server else None
        if role == Role.NONE:  # as _server_user: not stored, and allowed nothing
            return User(login=ident.login, display_name=ident.login, role=role.value, active=True)  # type: ignore[union-attr]
        if not results[-1]:
            return self.user(s, actor)
        r = results[-1][0]
        user = User(id=r.id, login=r.login, display_name=r.display_name, job_title=r.job_title,
                    role=role.value if role is not None else r.role, active=r.active)
        if not user.active:
            raise _inactive(user)
        return user

    def require_from(self, s: Session, actor: Actor, results: Sequence[Sequence[Any]], permission: Permission
                     ) -> User:
        """``require`` from what ``user_reads`` read."""
        user = self.user_from(s, actor, results)
        if not allows(user.role, permission):
            raise PermissionDenied(refusal(user.display_name, user.role, permission))
        return user

    def read_with_user(self, s: Session, actor: Actor, statements: Sequence[Executable], permission: Permission,
                       *, begin: bool = False) -> tuple[list[Any], list[Any]]:
        """The acting user's reads and ``statements``, sent together (one round trip to a shared
        server): ``(for user_from, the rows of each statement)``. ``begin``: the call goes on to
        write, and its transaction begins with these reads (see ``read_together``).

        A login with no riskdesk role may not even read the people list, so the server refuses the
        whole batch: it is then told so as ``require`` tells it (for ``permission``), not as a
        database error. Any other refusal stands."""
        who = self.user_reads(actor)
        try:
            results = read_together(s.connection(), [*who, *statements], begin=begin)
        except DBAPIError as exc:
            # Insufficient privilege. Sent as a call's first statement, the batch ran outside a
            # transaction (see riskdesk.db's lazy transactions), so the connection is still usable.
            if getattr(exc.orig, "sqlstate", "") == "42501":
                self.require(s, actor, permission)
            raise
        return results[:len(who)], results[len(who):]

    def _server_user(self, s: Session, login: str, actor: Actor) -> User:
        role = Role(s.scalar(text("SELECT riskdesk_role()")) or Role.NONE.value)
        if role == Role.NONE:
            # Not stored: a login with no role may not even add itself to the people list.
            return User(login=login, display_name=login, role=role.value, active=True)
        user = s.scalar(select(User).where(User.login == login))
        if user is None:
            name = actor.display_name if actor.login == login and actor.display_name else login
            user = User(login=login, display_name=name, role=role.value, active=True)
            s.add(user)
            s.flush()
        elif not user.active:
            raise _inactive(user)
        elif user.role != role.value:
            # The group role is the truth; the stored copy is only for the people list. A plain
            # object, not the row, so nothing tries to write the difference back.
            user = User(id=user.id, login=user.login, display_name=user.display_name, job_title=user.job_title,
                        role=role.value, active=user.active)
        return user

    def require(self, s: Session, actor: Actor, permission: Permission) -> User:
        user = self.user(s, actor)
        if not allows(user.role, permission):
            raise PermissionDenied(refusal(user.display_name, user.role, permission))
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
        """Append an entry to the hash-chained trail, in the caller's transaction."""
        from riskdesk.services import audit

        login = user if isinstance(user, str) else user.login
        audit.record(s, login, action, entity, entity_id, label, jsonable(dict(changes or {})), note)

    # -- settings ------------------------------------------------------------------------------

    @staticmethod
    def setting(s: Session, key: str, default: str = "") -> str:
        # Read once per transaction and held, so that set_setting() writes WHERE value = <the
        # value read here> and a concurrent change is refused, not overwritten. A setting read as
        # missing stays missing for the rest of the transaction: read again, it could be someone
        # else's, just saved, and the write would then replace what the check never saw.
        seen = s.info.setdefault("settings read", {})
        if key in seen:
            row = seen[key]
        else:
            row = seen[key] = s.get(Setting, key)
        return row.value if row else default

    @staticmethod
    def hold_setting(s: Session, key: str, found: Any | None) -> None:
        """Take ``found`` (the setting's key and value, read with other statements; None: missing)
        as this transaction's read of ``key``, unless it has been read already: ``setting`` and
        ``set_setting`` then treat it as their own read."""
        seen = s.info.setdefault("settings read", {})
        if key in seen:
            return
        row = None
        if found is not None:
            from sqlalchemy.orm import make_transient_to_detached

            row = Setting(key=found.key, value=found.value)
            make_transient_to_detached(row)  # as if loaded: a change is written WHERE value = <this>
            s.add(row)
        seen[key] = row

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


def _inactive(user: User) -> PermissionDenied:
    return PermissionDenied(f"{user.display_name} ({user.login}) is no longer an active riskdesk user.")


def refusal(name: str, role: str, permission: Permission) -> str:
    """Why a person may not do something, as sentences they can act on."""
    who = WHO_MAY.get(permission, f"Your role does not allow this ({permission.value.replace('_', ' ')}).")
    if role == Role.NONE.value:
        return (f"{name} has no riskdesk role yet. {who} Ask a riskdesk administrator to give "
                "you one (riskdesk user add / user set-role).")
    try:
        label = Role(role).label
    except ValueError:
        label = role
    return f"{who} {name} is signed in as {label}."


def get_or_404(s: Session, model: type, ident: int, what: str) -> Any:
    obj = s.get(model, ident)
    if obj is None:
        raise NotFound(f"{what} {ident} does not exist (it may have been deleted by someone else).")
    return obj
