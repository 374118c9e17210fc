"""People and their roles: ``riskdesk user add / set-role / remove / list``.

Administrators only, and every change is an audit entry. On PostgreSQL the role is the group
role the login belongs to (``riskdesk_risk_owner`` …), so giving and taking a role is a GRANT or
REVOKE in the same transaction as the people list and the audit entry; the database then
enforces it whatever program the person connects with.
"""

from __future__ import annotations

import re
from enum import StrEnum

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from riskdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from riskdesk.domain.permissions import ASSIGNABLE, Permission, Role, group_role
from riskdesk.domain.register import Actor, UserRow
from riskdesk.models import User
from riskdesk.services.base import ServiceContext

#: PostgreSQL logins riskdesk will name in GRANT/REVOKE: letters, digits and . _ @ - (no quoting
#: tricks), at most 63 bytes as PostgreSQL allows.
_LOGIN = re.compile(r"^[A-Za-z0-9_.@-]{1,63}$")


def _row(u: User) -> UserRow:
    return UserRow(u.id, u.login, u.display_name, u.job_title, u.role, u.active)


def clean_login(login: str, *, server: bool = True) -> str:
    """A login as typed, checked; a server login must be one riskdesk can name in GRANT."""
    login = (login or "").strip()
    if not login:
        raise ValidationError("login", login, "must not be empty")
    if server and not _LOGIN.match(login):
        raise ValidationError("login", login, "must be 1–63 letters, digits, dots, underscores, @ or hyphens")
    return login


def clean_role(role: str) -> Role:
    try:
        value = Role(role)
    except ValueError:
        value = None
    if value is None or value not in ASSIGNABLE:
        names = ", ".join(r.value for r in ASSIGNABLE)
        raise ValidationError("role", role, f"is not a riskdesk role (one of {names})")
    return value


class RoleChange(StrEnum):
    """What ``UserService.change_role`` did."""

    NONE = "none"  #: they had that role already: nothing changed, nothing recorded
    CHANGED = "changed"
    RESTORED = "restored"  #: the same role, but their PostgreSQL membership had drifted and was put right


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def list(self, actor: Actor) -> list[UserRow]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return [_row(u) for u in s.scalars(select(User).order_by(User.login))]

    def add(self, actor: Actor, login: str, role: str, *, display_name: str = "", job_title: str = "",
            create_login: bool = False, password: str | None = None) -> UserRow:
        """Give ``login`` a riskdesk role (re-activating them if they had left).

        ``create_login`` also creates the PostgreSQL login (needs CREATEROLE), with ``password``
        if given (else they sign in by Kerberos/GSSAPI or a password the DBA sets).
        """
        login, new_role = clean_login(login, server=not self._ctx.db.is_sqlite), clean_role(role)
        with self._ctx.begin() as s:
            me = self._ctx.require(s, actor, Permission.MANAGE_USERS)
            if create_login:
                self._create_login(s, login, password)
            u = s.scalar(select(User).where(User.login == login))
            before = {"role": None, "active": None} if u is None else {"role": u.role, "active": u.active}
            if u is None:
                u = User(login=login, display_name=(display_name or login).strip(), role=new_role.value,
                         job_title=job_title.strip(), active=True)
                s.add(u)
            else:
                if new_role is not Role.ADMIN:  # as set_role: add is also how a role is changed
                    self._not_the_last_admin(s, u)
                u.role, u.active = new_role.value, True
                if display_name.strip():
                    u.display_name = display_name.strip()
            s.flush()
            self._grant(s, login, new_role)
            self._ctx.audit(s, me, "user.add", "user", u.id, u.display_name,
                            {"login": [None, login], "role": [before["role"], new_role.value],
                             "active": [before["active"], True]})
            return _row(u)

    def set_role(self, actor: Actor, login: str, role: str) -> UserRow:
        """Give ``login`` the role ``role`` (``change_role``, without saying what that did)."""
        return self.change_role(actor, login, role)[0]

    def change_role(self, actor: Actor, login: str, role: str) -> tuple[UserRow, RoleChange]:
        """Give ``login`` the role ``role``; and what that did. The role they already have changes
        nothing and records nothing (a provisioning script may say it again), except on PostgreSQL
        where their server membership had drifted from it (a REVOKE by hand): that is put right,
        and recorded."""
        login, new_role = clean_login(login, server=not self._ctx.db.is_sqlite), clean_role(role)
        with self._ctx.begin() as s:
            me = self._ctx.require(s, actor, Permission.MANAGE_USERS)
            u = self._get(s, login)
            if new_role is not Role.ADMIN:
                self._not_the_last_admin(s, u)
            before = u.role
            u.role = new_role.value
            s.flush()
            regranted = self._grant(s, login, new_role)
            if before == new_role.value and not regranted:
                return _row(u), RoleChange.NONE
            self._ctx.audit(s, me, "user.role", "user", u.id, u.display_name, {"role": [before, new_role.value]},
                            note="" if before != new_role.value else "server role membership put right")
            return _row(u), RoleChange.CHANGED if before != new_role.value else RoleChange.RESTORED

    def remove(self, actor: Actor, login: str) -> UserRow:
        """Take every riskdesk role away; the person stays in the people list (as left) so that
        what they did keeps its name."""
        login = clean_login(login, server=not self._ctx.db.is_sqlite)
        with self._ctx.begin() as s:
            me = self._ctx.require(s, actor, Permission.MANAGE_USERS)
            u = self._get(s, login)
            if u.login == me.login:
                raise ValidationError("login", login, "is you: another administrator must remove you")
            self._not_the_last_admin(s, u)
            before = (u.role, u.active)
            u.role, u.active = Role.NONE.value, False
            s.flush()
            self._grant(s, login, None)
            self._ctx.audit(s, me, "user.remove", "user", u.id, u.display_name,
                            {"role": [before[0], Role.NONE.value], "active": [before[1], False]})
            return _row(u)

    @staticmethod
    def _not_the_last_admin(s: Session, u: User) -> None:
        """Nobody may leave a database without an administrator: no one could give roles again."""
        if u.role != Role.ADMIN.value or not u.active:
            return
        admins = s.scalar(select(func.count()).select_from(User).where(
            User.role == Role.ADMIN.value, User.active.is_(True)))
        if (admins or 0) <= 1:
            raise ValidationError("login", u.login, "is the only administrator: make someone else one first")

    # -- PostgreSQL ----------------------------------------------------------------------------

    @staticmethod
    def _get(s: Session, login: str) -> User:
        u = s.scalar(select(User).where(User.login == login))
        if u is None:
            raise NotFound(f"{login} is not a riskdesk user (add them with riskdesk user add {login} --role …).")
        return u

    def _create_login(self, s: Session, login: str, password: str | None) -> None:
        if self._ctx.db.is_sqlite:
            raise ValidationError("create login", login, "applies to a shared PostgreSQL database only")
        if s.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}):
            return
        sql = f'CREATE ROLE "{login}" LOGIN'
        if password:
            sql += " PASSWORD " + "'" + password.replace("'", "''") + "'"
        self._server(s, sql, f"create the login {login}",
                     "Only a database administrator with CREATEROLE can create logins; ask them to "
                     f"create {login}, then run this again without --create-login.")

    def _grant(self, s: Session, login: str, role: Role | None) -> bool:
        """Make ``login`` a member of exactly the group role for ``role`` (none for None); whether
        that changed their memberships."""
        if self._ctx.db.is_sqlite:
            return False
        if not s.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login}):
            raise NotFound(f"There is no PostgreSQL login {login}: ask the database administrator to create it, "
                           "or add --create-login if you may create logins.")
        held = set(s.scalars(text(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :n AND g.rolname LIKE 'riskdesk\\_%'"),
            {"n": login}))
        wanted = group_role(role) if role is not None else None
        for group in sorted(held - {wanted}):
            self._server(s, f'REVOKE {group} FROM "{login}"', f"take {group} from {login}", _ADMIN_HINT)
        if wanted and wanted not in held:
            self._server(s, f'GRANT {wanted} TO "{login}"', f"give {login} the role {wanted}", _ADMIN_HINT)
        return held != ({wanted} if wanted else set())

    @staticmethod
    def _server(s: Session, sql: str, what: str, hint: str) -> None:
        try:
            with s.begin_nested():
                s.execute(text(sql))
        except DBAPIError as exc:
            reason = (str(exc.orig).strip().splitlines() or [""])[0]
            raise PermissionDenied(f"The database would not {what}: {reason}. {hint}") from exc


_ADMIN_HINT = ("Making or unmaking a riskdesk administrator is for the database administrator "
               "(riskdesk server init --admin LOGIN, or GRANT riskdesk_admin TO LOGIN).")
