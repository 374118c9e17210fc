"""Administrator overrides of the working-day calendars, and recomputing the clocks they move.

An override is a newly proclaimed bank holiday, a day to take out (a cancelled holiday or a data
error), or a local closure day (complaint calendars only; never FOI, FOIA s.10(6)). Each change is
permission-checked (administrator), audited, installed into ``riskdesk.domain.calendars`` so every
clock counts with it at once, and the stored SI due dates are recomputed — closed cases too,
because a late-announced bank holiday can turn "late" into "on time" (SPEC E.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload

from riskdesk.domain import calendars
from riskdesk.domain.actor import Actor
from riskdesk.domain.calendars import ALL_NATIONS, Nation, Override, OverrideKind
from riskdesk.domain.errors import NotFound, ValidationError
from riskdesk.domain.incidents import Framework, due_dates
from riskdesk.domain.permissions import Permission
from riskdesk.models import CalendarOverride
from riskdesk.services.base import ServiceContext


@dataclass(frozen=True)
class OverrideRow:
    id: int
    day: date
    kind: OverrideKind
    nations: tuple[Nation, ...]
    name: str
    reason: str
    created_by: str
    created_at: datetime

    @property
    def override(self) -> Override:
        return Override(self.day, self.kind, self.nations, self.name)

    @property
    def label(self) -> str:
        where = ", ".join(n.label for n in self.nations) if self.nations else "complaint calendars"
        return f"{self.kind.label}: {calendars.fmt_day(self.day)} {self.name} ({where})".replace("  ", " ")


@dataclass(frozen=True)
class CalendarChange:
    """What a change did: the override, and the stored due dates it moved."""

    override: OverrideRow
    due_dates_moved: int


def _nations_text(nations: tuple[Nation, ...]) -> str:
    return ",".join(n.value for n in ALL_NATIONS if n in nations)


def _refuse_a_weekend(day: date, what: str) -> None:
    """No clock counts a Saturday or a Sunday: ``what`` added on one would change nothing."""
    if day.weekday() >= 5:
        weekday = ("Saturday", "Sunday")[day.weekday() - 5]  # not %A: the window's locale may not be English
        raise ValidationError("day", day.isoformat(), f"is a {weekday}, which no clock counts: {what} there "
                              "would change nothing")


def _row(o: CalendarOverride) -> OverrideRow:
    nations = tuple(Nation(n) for n in o.nations.split(",") if n)
    return OverrideRow(o.id, o.day, OverrideKind(o.kind), nations, o.name, o.reason, o.created_by, o.created_at)


#: The ``holidays`` version the stored due dates were last worked out with (SPEC E.5).
HOLIDAYS_VERSION_KEY = "calendar.holidays_version"


class CalendarService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- reading -----------------------------------------------------------------------------------

    def overrides(self, actor: Actor) -> tuple[OverrideRow, ...]:
        """Every override, by day (any user may see why a clock counts as it does)."""
        with self._ctx.begin() as s:
            self._ctx.user(s, actor)
            return tuple(_row(o) for o in s.scalars(select(CalendarOverride).order_by(CalendarOverride.day,
                                                                                       CalendarOverride.id)))

    def install(self) -> int:
        """Load the overrides from the database into every calendar; returns how many there are."""
        overrides = self.stored_overrides()
        calendars.install_overrides(overrides)
        return len(overrides)

    def stored_overrides(self) -> list[Override]:
        """The overrides the database holds, in the order they were made."""
        try:
            with self._ctx.read() as s:
                return [_row(o).override for o in s.scalars(select(CalendarOverride).order_by(CalendarOverride.id))]
        except DBAPIError:
            # A database opened without upgrading (backup, restore) may predate the table; its
            # clocks then count the published bank holidays only.
            return []

    def stale_holidays_version(self) -> str | None:
        """The ``holidays`` version stored due dates were worked out with, if it is not today's.

        A new version can add a bank holiday (a late proclamation) or correct one, so stored due
        dates should then be recomputed (``recompute``). None when they are current, or when the
        database has never recorded a version (nothing to compare with).
        """
        with self._ctx.read() as s:
            stored = self._ctx.setting(s, HOLIDAYS_VERSION_KEY)
        return stored if stored and stored != calendars.holidays_version() else None

    def recompute(self, actor: Actor) -> int:
        """Recompute every stored due date with today's calendars; returns how many moved."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.MANAGE_CALENDAR)
            before = self._ctx.setting(s, HOLIDAYS_VERSION_KEY)
            moved = self._reinstall_and_recompute(s, user.login)
            self._ctx.audit(s, user, "calendar.recompute", "calendar_override", None, "Working-day calendars",
                            {"holidays_version": [before or None, calendars.holidays_version()]},
                            note=f"{moved} stored due date(s) moved")
        return moved

    # -- changes -----------------------------------------------------------------------------------

    def add_bank_holiday(self, actor: Actor, day: date, name: str, *, nations: tuple[Nation, ...] = ALL_NATIONS,
                         reason: str = "") -> CalendarChange:
        """A newly proclaimed bank holiday in ``nations`` (all four by default)."""
        if not name.strip():
            raise ValidationError("name", name, "is needed: say what the bank holiday is (it is printed in "
                                  "every explanation of a due date)")
        _refuse_a_weekend(day, "a bank holiday")
        uk = calendars.get(calendars.CalendarId.UK_ANY)
        if nations and all(day in uk.nation_days(n, day.year) for n in nations):
            raise ValidationError("day", day.isoformat(), "is already a bank holiday in "
                                  + ", ".join(n.label for n in nations) + ": there is nothing to add")
        return self._add(actor, day, OverrideKind.ADD_BANK_HOLIDAY, nations, name.strip(), reason)

    def remove_bank_holiday(self, actor: Actor, day: date, *, nations: tuple[Nation, ...], reason: str) -> CalendarChange:
        """Treat ``day`` as a working day in ``nations`` (a cancelled holiday, or a data error)."""
        if not reason.strip():
            raise ValidationError("reason", reason, "is needed to take a bank holiday out of the calendar")
        uk = calendars.get(calendars.CalendarId.UK_ANY)
        if not any(day in uk.nation_days(n, day.year) for n in nations):
            raise ValidationError("day", day.isoformat(), "is not a bank holiday in "
                                  + ", ".join(n.label for n in nations))
        return self._add(actor, day, OverrideKind.REMOVE_BANK_HOLIDAY, nations, "", reason)

    def add_local_closure(self, actor: Actor, day: date, name: str, *, reason: str = "") -> CalendarChange:
        """A council closure day: complaint clocks skip it; FOI and the SI log do not (FOIA s.10(6))."""
        _refuse_a_weekend(day, "a closure day")
        uk = calendars.get(calendars.CalendarId.UK_ANY)
        if day in uk.nation_days(Nation.ENG, day.year):
            raise ValidationError("day", day.isoformat(), "is a bank holiday in England, which the complaint "
                                  "clocks skip already: a closure day there would change nothing")
        return self._add(actor, day, OverrideKind.LOCAL_CLOSURE, (), name.strip() or "Local closure day", reason)

    def delete(self, actor: Actor, override_id: int, *, reason: str) -> CalendarChange:
        """Withdraw an override; the calendars go back to the published bank holidays for that day."""
        if not reason.strip():
            raise ValidationError("reason", reason, "is needed to withdraw a calendar change")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.MANAGE_CALENDAR)
            obj = s.get(CalendarOverride, override_id)
            if obj is None:
                raise NotFound(f"Calendar change {override_id} does not exist (it may have been withdrawn already).")
            row = _row(obj)
            s.delete(obj)
            s.flush()
            self._ctx.audit(s, user, "calendar.withdraw", "calendar_override", row.id, row.label,
                            {"day": [row.day, None], "kind": [row.kind, None]}, note=reason.strip())
            moved = self._reinstall_and_recompute(s, user.login)
        return CalendarChange(row, moved)

    def _add(self, actor: Actor, day: date, kind: OverrideKind, nations: tuple[Nation, ...], name: str,
             reason: str) -> CalendarChange:
        if kind is not OverrideKind.LOCAL_CLOSURE and not nations:
            raise ValidationError("nations", "", "name at least one part of the UK")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.MANAGE_CALENDAR)
            text = _nations_text(nations)
            exists = s.scalar(select(CalendarOverride.id).where(
                CalendarOverride.day == day, CalendarOverride.kind == kind.value, CalendarOverride.nations == text))
            if exists is not None:
                raise ValidationError("day", day.isoformat(), f"already has this change ({kind.label})")
            obj = CalendarOverride(day=day, kind=kind.value, nations=text, name=name, reason=reason.strip(),
                                   created_by=user.login)
            s.add(obj)
            s.flush()
            row = _row(obj)
            self._ctx.audit(s, user, "calendar.add", "calendar_override", row.id, row.label,
                            {"day": [None, day], "kind": [None, kind], "nations": [None, text], "name": [None, name]},
                            note=reason.strip())
            moved = self._reinstall_and_recompute(s, user.login)
        return CalendarChange(row, moved)

    def _reinstall_and_recompute(self, s: Session, login: str) -> int:
        """Install the overrides as they now stand and move every stored due date they change."""
        rows = [_row(o) for o in s.scalars(select(CalendarOverride).order_by(CalendarOverride.id))]
        previous = calendars.installed_overrides()
        calendars.install_overrides(r.override for r in rows)
        self._ctx.set_setting(s, HOLIDAYS_VERSION_KEY, calendars.holidays_version())
        try:
            return self._recompute_si_due_dates(s, login)
        except Exception:
            calendars.install_overrides(previous)  # the transaction rolls back; so do the calendars
            raise

    def _recompute_si_due_dates(self, s: Session, login: str) -> int:
        """SI due dates are stored (the list paints 100,000 rows without recomputing them)."""
        from riskdesk.models import SeriousIncident

        moved = 0
        stmt = (select(SeriousIncident).where(SeriousIncident.framework == Framework.SIF_2015.value)
                .options(selectinload(SeriousIncident.extensions)))
        for si in s.scalars(stmt):
            extended_to = si.extensions[-1].new_due if si.extensions else None
            dues = due_dates(Framework(si.framework), si.identified_on, si.reported_on, si.agreed_due, extended_to)
            new = {"steis_due": dues.steis, "initial_review_due": dues.initial_review, "report_due": dues.report}
            old = {"steis_due": si.steis_due, "initial_review_due": si.initial_review_due, "report_due": si.report_due}
            if new == old:
                continue
            # A core UPDATE, not the ORM: derived dates must not bump the row's version and make
            # someone's open edit of the SI look stale; their save recomputes the same dates.
            s.execute(update(SeriousIncident).where(SeriousIncident.id == si.id).values(**new)
                      .execution_options(synchronize_session=False))
            self._ctx.audit(s, login, "incident.due_dates_recomputed", "serious_incident", si.id, si.reference,
                            {k: [old[k], new[k]] for k in new if old[k] != new[k]},
                            note="calendar changed")
            moved += 1
        return moved
