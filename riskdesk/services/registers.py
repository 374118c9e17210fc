"""Registers, categories, departments, users, the scoring scheme and council settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Select, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from riskdesk.db import read_together
from riskdesk.domain.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import (
    Actor,
    CategoryRow,
    DepartmentRow,
    RegisterRow,
    UserRow,
    category_heading,
)
from riskdesk.domain.scoring import ScoringScheme, default_scheme
from riskdesk.models import Category, Department, Register, Risk, SchemeVersion, Setting, User
from riskdesk.services import audit as audit_trail
from riskdesk.services.base import USER_COLUMNS, ServiceContext, diff, get_or_404
from riskdesk.services.listing import (
    COUNCIL_NAME,
    CURRENT_PERIOD,
    Opening,
    RegisterChoices,
    choices_from,
)
from riskdesk.services.listing import category_row as _category_row
from riskdesk.services.listing import department_row as _department_row
from riskdesk.services.listing import registers_from as _registers_from
from riskdesk.services.listing import user_row as _user_row

COMMITTEE_NAME = "committee_name"


def find_department(s: Session, code: str) -> Department | None:
    return s.scalar(select(Department).where(func.lower(Department.code) == code.strip().lower()))


def scheme_row(s: Session, version: int | None = None) -> SchemeVersion:
    """The scheme version asked for, or the newest; a database without one gets the default."""
    stmt = select(SchemeVersion)
    stmt = stmt.where(SchemeVersion.version == version) if version else stmt.order_by(SchemeVersion.version.desc())
    row = s.scalars(stmt.limit(1)).first()
    if row is None:
        if version:
            raise NotFound(f"Scoring scheme version {version} does not exist.")
        scheme = default_scheme()
        row = SchemeVersion(version=scheme.version, name=scheme.name, data=scheme.to_dict())
        s.add(row)
        s.flush()
        # Written through riskdesk, so said in the trail (on PostgreSQL an unrecorded write is
        # reported as a change made directly in the database). The server names the login there.
        from riskdesk.domain.actor import os_login
        from riskdesk.services import audit

        audit.record(s, os_login(), "scheme.default", "scheme_version", row.id, scheme.name,
                     {"version": [None, scheme.version]}, "the default scoring scheme, created on first use")
    return row


def _register_reads() -> list[Select[Any]]:
    return [
        select(Risk.register_id, func.count()).where(Risk.status == "current").group_by(Risk.register_id),
        select(Register.id, Register.name, Register.kind, Department.code)
        .outerjoin(Department, Department.id == Register.department_id)
        .order_by(Register.kind != "corporate", Register.name),
    ]


def _category_reads(register_id: int | BindParameter[int]) -> list[Select[Any]]:
    """A register's categories in order, and how many current risks each holds."""
    return [
        select(Risk.category_id, func.count())
        .where(Risk.register_id == register_id, Risk.status == "current").group_by(Risk.category_id),
        select(Category.id, Category.register_id, Category.number, Category.name, Category.retired,
               Category.position, Category.heading_as_given, Category.version)
        .where(Category.register_id == register_id).order_by(Category.position),
    ]


def opening_reads() -> list[Select[Any]]:
    """What ``RegisterService.opening`` reads after the acting user: the newest scheme, the
    current period, the registers and their counts."""
    return [
        select(SchemeVersion.data).order_by(SchemeVersion.version.desc()).limit(1),
        select(Setting.value).where(Setting.key == CURRENT_PERIOD),
        *_register_reads(),
    ]


def choice_reads(register_id: int | BindParameter[int]) -> list[Select[Any]]:
    """What ``RegisterService.choices`` reads after the acting user."""
    return [
        select(Department.id, Department.code, Department.name, Department.active).order_by(Department.code),
        *_category_reads(register_id),
        select(*USER_COLUMNS).order_by(User.display_name),
        select(Setting.value).where(Setting.key == COUNCIL_NAME),
    ]


class RegisterService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def choices(self, actor: Actor, register_id: int) -> RegisterChoices:
        """``list_departments``, ``list_categories``, ``list_users`` and ``council_name`` in one
        read: one round trip to a shared server, where one by one they were nine."""
        with self._ctx.begin() as s:
            who, chosen = self._ctx.read_with_user(s, actor, choice_reads(register_id), Permission.VIEW_REGISTER)
            self._ctx.require_from(s, actor, who, Permission.VIEW_REGISTER)
            return choices_from(*chosen)

    # -- registers -----------------------------------------------------------------------------

    def list_registers(self, actor: Actor) -> list[RegisterRow]:
        with self._ctx.begin() as s:
            # Who is asking, the counts and the registers: one round trip to a shared server.
            who, found = self._ctx.read_with_user(s, actor, _register_reads(), Permission.VIEW_REGISTER)
            self._ctx.require_from(s, actor, who, Permission.VIEW_REGISTER)
            return _registers_from(*found)

    def opening(self, actor: Actor) -> Opening:
        """``me``, ``scheme``, ``current_period`` and ``list_registers`` in one read: one round trip
        to a shared server, where one by one they were four. Whoever those calls treat apart (a
        login with no role, someone new, a database with no scheme yet) gets the four calls."""
        with self._ctx.begin() as s:
            try:
                who, (scheme, period, *registers) = self._ctx.read_with_user(s, actor, opening_reads(),
                                                                              Permission.VIEW_REGISTER)
            except PermissionDenied:
                who = None
            if who is not None and who[-1] and scheme:
                user = self._ctx.user_from(s, actor, who)
                if allows(user.role, Permission.VIEW_REGISTER):
                    return Opening(
                        me=_user_row(user),
                        scheme=ScoringScheme.from_dict(scheme[0].data),
                        period=Quarter.parse(period[0].value) if period and period[0].value else Quarter.of(
                            date.today()),
                        registers=_registers_from(*registers),
                    )
        me = self.me(actor)  # first: on a new database it adds the user
        return Opening(me, self.scheme(actor), self.current_period(actor), self.list_registers(actor))

    def corporate_register(self, actor: Actor) -> RegisterRow | None:
        return next((r for r in self.list_registers(actor) if r.is_corporate), None)

    def create_register(self, actor: Actor, name: str, kind: str = "departmental",
                        department_code: str | None = None) -> RegisterRow:
        name = (name or "").strip()
        if not name:
            raise ValidationError("register name", name, "must not be empty")
        if kind not in ("corporate", "departmental"):
            raise ValidationError("register kind", kind, "must be corporate or departmental")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            if s.scalar(select(Register).where(Register.name == name)):
                raise ValidationError("register name", name, "is already used by another register")
            if kind == "corporate" and s.scalar(select(Register).where(Register.kind == "corporate")):
                raise ValidationError("register kind", kind, "is taken: there is already a corporate register")
            dept = None
            if department_code:
                dept = find_department(s, department_code)
                if dept is None:
                    raise ValidationError("department", department_code, "is not a known department code")
            reg = Register(name=name, kind=kind, department_id=dept.id if dept else None)
            s.add(reg)
            s.flush()
            self._ctx.audit(s, user, "register.create", "register", reg.id, name,
                            {"name": [None, name], "kind": [None, kind]})
            return RegisterRow(reg.id, reg.name, reg.kind, dept.code if dept else None, 0)

    # -- categories ----------------------------------------------------------------------------

    def list_categories(self, actor: Actor, register_id: int) -> list[CategoryRow]:
        with self._ctx.begin() as s:
            who, (counts, categories) = self._ctx.read_with_user(s, actor, _category_reads(register_id),
                                                                 Permission.VIEW_REGISTER)
            self._ctx.require_from(s, actor, who, Permission.VIEW_REGISTER)
            count = dict(counts)
            return [_category_row(c, count.get(c.id, 0)) for c in categories]

    def add_category(self, actor: Actor, register_id: int, number: int | None, name: str | None,
                     *, retired: bool = False, heading_as_given: str | None = None) -> CategoryRow:
        name = (name or "").strip() or None
        if name is None and number is None:
            raise ValidationError("category", "", "needs a number, a name or both")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            get_or_404(s, Register, register_id, "Register")
            if number is not None and s.scalar(
                select(Category).where(Category.register_id == register_id, Category.number == number)
            ):
                raise ValidationError("category number", number, "is already used in this register")
            last = s.scalar(select(func.max(Category.position)).where(Category.register_id == register_id))
            cat = Category(register_id=register_id, number=number, name=name, retired=retired,
                           position=(last or 0) + 1, heading_as_given=heading_as_given)
            s.add(cat)
            s.flush()
            heading = category_heading(number, name, retired, heading_as_given)
            self._ctx.audit(s, user, "category.add", "category", cat.id, heading, {"heading": [None, heading]})
            return _category_row(cat)

    def set_category_retired(self, actor: Actor, category_id: int, retired: bool, *, expected_version: int) -> CategoryRow:
        """Retire a category (it still prints) or reinstate it."""

        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            cat = get_or_404(s, Category, category_id, "Category")
            heading = category_heading(cat.number, cat.name, cat.retired, cat.heading_as_given)
            if cat.version != expected_version:
                raise StaleEdit(f"Category {heading}")
            if retired:
                in_use = s.scalar(
                    select(func.count()).select_from(Risk).where(Risk.category_id == cat.id, Risk.status == "current")
                )
                if in_use:
                    raise ValidationError(
                        "category", heading, f"still holds {in_use} current risk(s); move them before retiring it"
                    )
            before = {"retired": cat.retired}
            cat.retired = retired
            cat.heading_as_given = None  # the composed heading now says whether it is retired
            s.flush()
            self._ctx.audit(s, user, "category.retire" if retired else "category.reinstate", "category", cat.id,
                            heading, diff(before, {"retired": retired}))
            return _category_row(cat)

    # -- departments ---------------------------------------------------------------------------

    def list_departments(self, actor: Actor) -> list[DepartmentRow]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return [_department_row(d) for d in s.scalars(select(Department).order_by(Department.code))]

    def add_department(self, actor: Actor, code: str, name: str) -> DepartmentRow:
        code, name = (code or "").strip(), (name or "").strip()
        if not code:
            raise ValidationError("department code", code, "must not be empty")
        if len(code) > 32:
            raise ValidationError("department code", code, "is longer than 32 characters")
        if not name:
            raise ValidationError("department name", name, "must not be empty")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.MANAGE_REFERENCE)
            if find_department(s, code):
                raise ValidationError("department code", code, "is already in use (codes ignore case)")
            dept = Department(code=code, name=name)
            s.add(dept)
            s.flush()
            self._ctx.audit(s, user, "department.add", "department", dept.id, code,
                            {"code": [None, code], "name": [None, name]})
            return _department_row(dept)

    def update_department(self, actor: Actor, department_id: int, *, name: str | None = None,
                          active: bool | None = None) -> DepartmentRow:
        """Rename a department or retire it from the pick lists (its code stays on old risks)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.MANAGE_REFERENCE)
            dept = get_or_404(s, Department, department_id, "Department")
            before = {"name": dept.name, "active": dept.active}
            if name is not None:
                name = name.strip()
                if not name:
                    raise ValidationError("department name", name, "must not be empty")
                dept.name = name
            if active is not None:
                dept.active = active
            changes = diff(before, {"name": dept.name, "active": dept.active})
            if changes:
                self._ctx.audit(s, user, "department.update", "department", dept.id, dept.code, changes)
            return _department_row(dept)

    # -- users ---------------------------------------------------------------------------------

    def me(self, actor: Actor) -> UserRow:
        with self._ctx.begin() as s:
            try:  # the server's role and the people-list row: one round trip
                who = read_together(s.connection(), self._ctx.user_reads(actor))
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", "") != "42501":
                    raise
                # No riskdesk role: the server refuses them the people list, and the window still
                # needs to say who they are (the read ran outside a transaction: carry on).
                return _user_row(self._ctx.user(s, actor))
            return _user_row(self._ctx.user_from(s, actor, who))

    def list_users(self, actor: Actor) -> list[UserRow]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return [_user_row(u) for u in s.scalars(select(User).order_by(User.display_name))]

    def add_user(self, actor: Actor, login: str, display_name: str, role: str = Role.RISK_OWNER.value,
                 job_title: str = "") -> UserRow:
        login, display_name = (login or "").strip(), (display_name or "").strip()
        if not login:
            raise ValidationError("login", login, "must not be empty")
        if not display_name:
            raise ValidationError("name", display_name, "must not be empty")
        try:
            role = Role(role).value
        except ValueError:
            raise ValidationError("role", role, "is not a riskdesk role") from None
        with self._ctx.begin() as s:
            me = self._ctx.require(s, actor, Permission.MANAGE_REFERENCE)
            if role == Role.ADMIN.value:
                self._ctx.require(s, actor, Permission.MANAGE_USERS)
            if s.scalar(select(User).where(User.login == login)):
                raise ValidationError("login", login, "is already a riskdesk user")
            u = User(login=login, display_name=display_name, role=role, job_title=job_title)
            s.add(u)
            s.flush()
            self._ctx.audit(s, me, "user.add", "user", u.id, display_name, {"login": [None, login], "role": [None, role]})
            return _user_row(u)

    def set_role(self, actor: Actor, user_id: int, role: str) -> UserRow:
        """Change a person's role (administrators); on PostgreSQL also their group role."""
        from riskdesk.services.users import UserService

        with self._ctx.read() as s:
            login = get_or_404(s, User, user_id, "User").login
        return UserService(self._ctx).set_role(actor, login, role)

    # -- scheme and settings -------------------------------------------------------------------

    def scheme(self, actor: Actor, version: int | None = None) -> ScoringScheme:
        with self._ctx.begin() as s:
            stmt = select(SchemeVersion.data)
            stmt = stmt.where(SchemeVersion.version == version) if version else stmt.order_by(
                SchemeVersion.version.desc())
            who, (found,) = self._ctx.read_with_user(s, actor, [stmt.limit(1)], Permission.VIEW_REGISTER)
            self._ctx.require_from(s, actor, who, Permission.VIEW_REGISTER)
            # None yet: the default is stored now (or the version asked for does not exist).
            return ScoringScheme.from_dict(found[0].data if found else scheme_row(s, version).data)

    def current_period(self, actor: Actor) -> Quarter:
        """The reporting period owners are updating now; defaults to today's quarter."""
        with self._ctx.begin() as s:
            try:
                who, (found,) = self._ctx.read_with_user(
                    s, actor, [select(Setting.value).where(Setting.key == CURRENT_PERIOD)], Permission.VIEW_REGISTER)
            except PermissionDenied:  # no role: may read nothing, not even settings (the server refused)
                return Quarter.of(date.today())
            if self._ctx.user_from(s, actor, who).role == Role.NONE.value:  # ... nor here
                return Quarter.of(date.today())
            return Quarter.parse(found[0].value) if found and found[0].value else Quarter.of(date.today())

    def set_current_period(self, actor: Actor, quarter: Quarter) -> None:
        """Make ``quarter`` the period owners update (to reopen one closed by mistake). Refused when
        it is current already (nothing would change, yet it would be audited as a change), and when
        it begins after the quarter following today's: a mistyped year (``62/63 Q1``) would send
        every owner's update into a quarter that has not begun."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            before = self._ctx.setting(s, CURRENT_PERIOD)
            today = Quarter.of(date.today())
            if quarter == (Quarter.parse(before) if before else today):
                raise ValidationError("quarter", quarter.label, "is the current reporting period already: "
                                      "nothing was changed")
            if quarter > today.next():
                raise ValidationError("quarter", quarter.label, f"begins on {quarter.start:%d %b %Y}, after the "
                                      f"next quarter ({today.next().label}), the latest that can be made current. "
                                      "Check the year; nothing was changed")
            self._ctx.set_setting(s, CURRENT_PERIOD, quarter.code)
            self._ctx.audit(s, user, "settings.period", "setting", None, "Current reporting period",
                            {"current_period": [before or None, quarter.code]})

    def not_updated(self, actor: Actor, period: Quarter) -> list[tuple[str, str]]:
        """(register name, ref) of every current risk with no assessment for ``period``."""
        from riskdesk.models import Assessment

        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            scored = select(Assessment.risk_id).where(Assessment.period == period.code)
            rows = s.execute(
                select(Register.name, Risk.ref)
                .join(Register, Register.id == Risk.register_id)
                .where(Risk.status == "current", Risk.id.not_in(scored))
            ).all()
            from riskdesk.domain.register import ref_sort_key

            return sorted(((name, ref) for name, ref in rows), key=lambda x: (x[0], ref_sort_key(x[1])))

    def close_quarter(self, actor: Actor, *, expected: Quarter) -> Quarter:
        """Close the reporting period: owners' updates go into the next quarter from now on.

        ``expected`` is the quarter the user saw as current; if someone else closed it
        meanwhile the close is refused rather than skipping a quarter. Risks nobody updated
        are not blocked: their last assessment stays their latest, and the register flags them
        as not updated in the new quarter. Returns the new current quarter.
        """
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            value = self._ctx.setting(s, CURRENT_PERIOD)
            current = Quarter.parse(value) if value else Quarter.of(date.today())
            if current != expected:
                from riskdesk.services.conflicts import period_moved_on

                raise period_moved_on(s, expected, current)  # AlreadyDone if someone closed it just now
            new = current.next()
            self._ctx.set_setting(s, CURRENT_PERIOD, new.code)
            self._ctx.audit(s, user, "period.close", "setting", None, f"Closed {current.label}",
                            {"current_period": [current.code, new.code]})
            audit_trail.seal(s, user.login, f"{current.label} closed")  # the trail as it stood at the close
            return new

    def council_name(self, actor: Actor) -> str:
        with self._ctx.begin() as s:
            if self._ctx.user(s, actor).role == Role.NONE.value:
                return ""
            return self._ctx.setting(s, COUNCIL_NAME, "")


def require_register(s: Session, register_id: int) -> Register:
    reg = s.get(Register, register_id)
    if reg is None:
        raise NotFound(f"Register {register_id} does not exist.")
    return reg
