"""Working-day calendars shared by every clock (SIs, PGDs, complaints, FOI/EIR).

Three calendars, each Saturdays, Sundays and bank holidays (the ``holidays`` package) plus the
administrator's overrides:

* ``ENG`` — bank holidays in England (``holidays`` subdivision ENG). The SI log, PGDs and the
  Ombudsman's dates use it.
* ``COMPLAINTS`` — ``ENG`` plus the council's local closure days. Complaint clocks use it; with
  no closure days recorded it is exactly ``ENG``. Closure days never reach the FOI calendar
  (FOIA s.10(6); foiwiki LTT47).
* ``UK_ANY`` — a bank holiday in *any* part of the UK (union of ENG, WLS, SCT, NIR), as FOIA
  s.10(6) defines a working day; EIR clocks use it too.

Counting (SPEC E.2): day 0 is the date of receipt, whatever day it is; ``add_working_days(cal,
day0, n)`` is the n-th working day after it, and ``working_days_between(cal, day0, d)`` counts the
working days after day 0 up to and including ``d``. Both are constant time: each calendar keeps a
running count of working days per year (the approach the SI log used for 100,000 rows), so every
clock shares one fast implementation.

Overrides live in the database; the calendar service installs them here with
``install_overrides`` after each change, and at start with ``install_overrides_later``: they are
read when a clock first needs a calendar, so a start that shows the register never waits for
them. Calendars are looked up by id at call time (``get("ENG")``), so a newly proclaimed bank
holiday reaches every clock at once, and each installed set of overrides builds fresh calendar
objects, so no cached count is ever stale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Nation(StrEnum):
    """A part of the UK whose bank holidays a calendar may count (``holidays`` subdivisions)."""

    ENG = "ENG"
    WLS = "WLS"
    SCT = "SCT"
    NIR = "NIR"

    @property
    def label(self) -> str:
        return {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}[self.value]


ALL_NATIONS: tuple[Nation, ...] = (Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR)


class CalendarId(StrEnum):
    ENG = "ENG"
    COMPLAINTS = "COMPLAINTS"
    UK_ANY = "UK_ANY"

    @property
    def label(self) -> str:
        return {
            "ENG": "England bank holidays",
            "COMPLAINTS": "England bank holidays and the council's local closure days",
            "UK_ANY": "bank holidays in any part of the UK (FOIA s.10(6))",
        }[self.value]

    @property
    def nations(self) -> tuple[Nation, ...]:
        return ALL_NATIONS if self is CalendarId.UK_ANY else (Nation.ENG,)

    @property
    def uses_local_closures(self) -> bool:
        return self is CalendarId.COMPLAINTS


class OverrideKind(StrEnum):
    """What an administrator's calendar override does."""

    ADD_BANK_HOLIDAY = "add_bank_holiday"  # a newly proclaimed bank holiday
    REMOVE_BANK_HOLIDAY = "remove_bank_holiday"  # a day the package lists in error, or a cancelled one
    LOCAL_CLOSURE = "local_closure"  # complaint calendars only

    @property
    def label(self) -> str:
        return {
            "add_bank_holiday": "Bank holiday added",
            "remove_bank_holiday": "Bank holiday removed",
            "local_closure": "Local closure day (complaints only)",
        }[self.value]


@dataclass(frozen=True)
class Override:
    """One administrator's change to the calendars.

    Attributes:
        day: the day concerned.
        kind: add or remove a bank holiday, or a local closure day.
        nations: the parts of the UK a bank-holiday change applies to (empty for a closure day).
        name: what the day is called ("State Funeral of Queen Elizabeth II").
    """

    day: date
    kind: OverrideKind
    nations: tuple[Nation, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class DayName:
    """One reason a day is not a working day: a name and where it comes from."""

    name: str
    source: str  # "Northern Ireland", "England, Wales", "all UK nations", "local closure day"

    @property
    def text(self) -> str:
        return f"{self.name} ({self.source})"


@dataclass(frozen=True)
class SkippedDay:
    """A non-working day a clock passed over."""

    day: date
    weekend: bool
    names: tuple[DayName, ...] = ()

    @property
    def text(self) -> str:
        """"17 Mar 2023 — Saint Patrick's Day (Northern Ireland)"."""
        what = "; ".join(n.text for n in self.names) if self.names else self.day.strftime("%A")
        return f"{fmt_day(self.day)} — {what}"


def fmt_day(day: date) -> str:
    """"17 Mar 2023" (no leading zero), as the explanations print dates."""
    return f"{day.day} {day:%b %Y}"


# -- the holidays package ----------------------------------------------------------------------------

_HOLIDAYS_LOCK = threading.Lock()
_holiday_cache: dict[tuple[Nation, int], dict[date, tuple[str, ...]]] = {}


def package_holidays(nation: Nation, year: int) -> dict[date, tuple[str, ...]]:
    """The bank holidays the ``holidays`` package lists for ``nation`` in ``year``, with names."""
    key = (nation, year)
    found = _holiday_cache.get(key)
    if found is None:
        import holidays  # imported here: only needed once a clock is computed

        with _HOLIDAYS_LOCK:
            raw = holidays.country_holidays("GB", subdiv=nation.value, years=year)
            # The package joins two names for one day with "; " ("New Year Holiday; New Year's Day
            # (observed)"); split them so each name can say which nations it comes from.
            found = {d: tuple(n.strip() for n in name.split(";")) for d, name in raw.items()}
            _holiday_cache[key] = found
    return found


def holidays_version() -> str:
    """The ``holidays`` package version; due dates are recomputed when it changes (SPEC E.5)."""
    import holidays

    return str(holidays.__version__)


# -- calendars ---------------------------------------------------------------------------------------


class Calendar:
    """A working-day calendar: weekends, bank holidays of some nations, overrides.

    Instances are immutable once built; ``install_overrides`` replaces them rather than editing.
    """

    def __init__(self, cid: CalendarId, overrides: Iterable[Override] = ()) -> None:
        self.id = cid
        self.nations = cid.nations
        added: dict[tuple[Nation, date], str] = {}
        removed: set[tuple[Nation, date]] = set()
        closures: dict[date, str] = {}
        for o in overrides:
            if o.kind is OverrideKind.LOCAL_CLOSURE:
                if cid.uses_local_closures:
                    closures[o.day] = o.name or "Local closure day"
                continue
            for nation in o.nations:
                if nation not in self.nations:
                    continue
                if o.kind is OverrideKind.ADD_BANK_HOLIDAY:
                    added[(nation, o.day)] = o.name or "Bank holiday"
                    removed.discard((nation, o.day))
                else:
                    removed.add((nation, o.day))
                    added.pop((nation, o.day), None)
        self._added = added
        self._removed = frozenset(removed)
        self._closures = closures
        self._lock = threading.Lock()
        self._years: dict[int, frozenset[date]] = {}
        self._counts: dict[int, tuple[int, ...]] = {}
        self._bases: dict[int, int] = {}
        self._ordinal0: dict[int, int] = {}
        self._workdays: dict[int, tuple[date, ...]] = {}
        self._numbers: dict[date, int] = {}

    def __repr__(self) -> str:
        return f"Calendar({self.id.value})"

    # -- which days -------------------------------------------------------------------------------

    def _nation_days(self, nation: Nation, year: int) -> dict[date, tuple[str, ...]]:
        days = {d: names for d, names in package_holidays(nation, year).items() if (nation, d) not in self._removed}
        for (n, d), name in self._added.items():
            if n is nation and d.year == year:
                days[d] = (name,)
        return days

    def nation_days(self, nation: Nation, year: int) -> dict[date, tuple[str, ...]]:
        """``nation``'s bank holidays in ``year`` with names, overrides applied (empty if not counted)."""
        return self._nation_days(nation, year) if nation in self.nations else {}

    def holidays(self, year: int) -> frozenset[date]:
        """Every non-working weekday-or-weekend holiday of ``year`` (bank holidays and closures)."""
        found = self._years.get(year)
        if found is None:
            days: set[date] = set()
            for nation in self.nations:
                days.update(self._nation_days(nation, year))
            days.update(d for d in self._closures if d.year == year)
            found = frozenset(days)
            self._years[year] = found
        return found

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(day.year)

    def names(self, day: date) -> tuple[DayName, ...]:
        """Why ``day`` is a holiday on this calendar: each name with the nations it comes from."""
        by_name: dict[str, list[Nation]] = {}
        for nation in self.nations:
            for name in self._nation_days(nation, day.year).get(day, ()):
                by_name.setdefault(name, []).append(nation)
        out = [DayName(name, _nations_text(nations, self.nations)) for name, nations in by_name.items()]
        if day in self._closures:
            out.append(DayName(self._closures[day], "local closure day"))
        return tuple(out)

    def skipped_day(self, day: date) -> SkippedDay:
        return SkippedDay(day, day.weekday() >= 5, self.names(day) if day in self.holidays(day.year) else ())

    # -- fast arithmetic ----------------------------------------------------------------------------

    def _year(self, year: int) -> tuple[int, ...]:
        """Working days from 1 January up to and including each day of ``year``."""
        counts = self._counts.get(year)
        if counts is None:
            hol = self.holidays(year)
            day = date(year, 1, 1)
            out = []
            workdays = []
            n = 0
            step = timedelta(days=1)
            while day.year == year:
                if day.weekday() < 5 and day not in hol:
                    n += 1
                    workdays.append(day)
                out.append(n)
                day += step
            counts = tuple(out)
            with self._lock:
                self._workdays[year] = tuple(workdays)
                self._ordinal0[year] = date(year, 1, 1).toordinal()
                self._counts[year] = counts
        return counts

    def _base(self, year: int) -> int:
        """Working days in the years from 2000 up to ``year - 1`` (negative before 2000)."""
        base = self._bases.get(year)
        if base is None:
            # Walk from the nearest known year so far-off years do not recurse deeply.
            if year >= 2000:
                y, base = 2000, 0
                known = [k for k in self._bases if 2000 <= k <= year]
                if known:
                    y = max(known)
                    base = self._bases[y]
                while y < year:
                    base += self._year(y)[-1]
                    y += 1
                    self._bases[y] = base
            else:
                y, base = 2000, 0
                while y > year:
                    y -= 1
                    base -= self._year(y)[-1]
                    self._bases[y] = base
            self._bases[year] = base
        return base

    def working_day_number(self, day: date) -> int:
        """A running count of working days: the difference of two is the working days between them.

        A non-working day has the number of the working day before it.
        """
        # Memoised per day: the SI list asks for the same few thousand dates across 100,000 rows,
        # and a dict hit costs a fraction of the year-table arithmetic.
        found = self._numbers.get(day)
        if found is None:
            counts = self._counts.get(day.year)
            if counts is None:
                counts = self._year(day.year)
            found = self._base(day.year) + counts[day.toordinal() - self._ordinal0[day.year]]
            self._numbers[day] = found
        return found

    def working_days_between(self, day0: date, day: date) -> int:
        """Working days after ``day0`` up to and including ``day``; negative when ``day`` is earlier."""
        numbers = self._numbers
        a = numbers.get(day)
        b = numbers.get(day0)
        if a is None or b is None:
            return self.working_day_number(day) - self.working_day_number(day0)
        return a - b

    def _locate(self, number: int, year: int) -> tuple[int, int]:
        """The year holding working day ``number`` (searching from ``year``) and its index there."""
        while self._base(year + 1) < number:
            year += 1
        while self._base(year) >= number:
            year -= 1
        self._year(year)
        return year, number - self._base(year) - 1

    def add_working_days(self, day0: date, n: int) -> date:
        """The ``n``-th working day after ``day0`` (``day0`` itself never counts; n = 0 gives day0)."""
        if n < 0:
            raise ValueError("the number of working days must not be negative")
        if n == 0:
            return day0
        year, i = self._locate(self.working_day_number(day0) + n, day0.year)
        return self._workdays[year][i]

    def working_days_after(self, day0: date, n: int) -> tuple[date, ...]:
        """The first ``n`` working days after ``day0``, in order (slices of the yearly lists)."""
        if n <= 0:
            return ()
        year, i = self._locate(self.working_day_number(day0) + 1, day0.year)
        out: list[date] = []
        while len(out) < n:
            self._year(year)
            out.extend(self._workdays[year][i:i + n - len(out)])
            year, i = year + 1, 0
        return tuple(out)

    def skipped_between(self, day0: date, end: date) -> tuple[SkippedDay, ...]:
        """The non-working days after ``day0`` up to and including ``end``."""
        out = []
        day = day0 + timedelta(days=1)
        while day <= end:
            if not self.is_working_day(day):
                out.append(self.skipped_day(day))
            day += timedelta(days=1)
        return tuple(out)

    def next_working_day(self, day: date) -> date:
        return self.add_working_days(day, 1)


def _nations_text(nations: list[Nation], of: tuple[Nation, ...]) -> str:
    if len(of) > 1 and len(nations) == len(of):
        return "all UK nations"
    return ", ".join(n.label for n in nations)


# -- the installed calendars ---------------------------------------------------------------------------

_registry_lock = threading.RLock()
_overrides: tuple[Override, ...] = ()
_calendars: dict[CalendarId, Calendar] = {}
_pending: Callable[[], Iterable[Override]] | None = None  # overrides to read at first use

CalendarRef = Calendar | CalendarId | str


def install_overrides(overrides: Iterable[Override]) -> None:
    """Make ``overrides`` (from the database) part of every calendar from now on."""
    global _overrides, _calendars, _pending
    with _registry_lock:
        _overrides = tuple(overrides)
        _calendars = {}
        _pending = None


def install_overrides_later(read: Callable[[], Iterable[Override]]) -> None:
    """``install_overrides(read())``, done when a calendar is first needed rather than now.

    If ``read`` fails, nothing is installed and the next calendar asked for tries again."""
    global _calendars, _pending
    with _registry_lock:
        _pending = read
        _calendars = {}


def _install_pending() -> None:
    with _registry_lock:  # the first clock waits for the read; the others then find it done
        if _pending is not None:
            install_overrides(_pending())


def installed_overrides() -> tuple[Override, ...]:
    if _pending is not None:
        _install_pending()
    return _overrides


def get(cal: CalendarRef) -> Calendar:
    """The calendar ``cal`` names, with the installed overrides."""
    if _pending is not None:
        _install_pending()
    found = _calendars.get(cal)  # type: ignore[call-overload]  # str and CalendarId hash alike
    if found is not None:
        return found
    if isinstance(cal, Calendar):
        return cal
    cid = CalendarId(cal)
    found = _calendars.get(cid)
    if found is None:
        with _registry_lock:
            found = _calendars.get(cid)
            if found is None:
                found = Calendar(cid, _overrides)
                _calendars[cid] = found
    return found


def add_working_days(cal: CalendarRef, day0: date, n: int) -> date:
    """The ``n``-th working day after ``day0`` on ``cal`` (``add_working_days("ENG", Friday, 1)`` = Monday)."""
    return get(cal).add_working_days(day0, n)


def working_days_between(cal: CalendarRef, day0: date, day: date) -> int:
    """Working days after ``day0`` up to and including ``day`` on ``cal`` (0 on the day itself)."""
    return get(cal).working_days_between(day0, day)


def is_working_day(cal: CalendarRef, day: date) -> bool:
    return get(cal).is_working_day(day)


@dataclass(frozen=True)
class Explanation:
    """Why ``add_working_days(cal, day0, n)`` is the date it is."""

    calendar: CalendarId
    day0: date
    n: int
    due: date
    skipped: tuple[SkippedDay, ...] = field(default=())

    @property
    def holidays(self) -> tuple[SkippedDay, ...]:
        """The skipped days that have a name (bank holidays, closure days), weekends left out."""
        return tuple(s for s in self.skipped if s.names)

    @property
    def weekend_days(self) -> int:
        return sum(1 for s in self.skipped if s.weekend and not s.names)

    def lines(self) -> Iterator[str]:
        for s in self.holidays:
            yield s.text
        if self.weekend_days:
            yield f"{self.weekend_days} Saturdays and Sundays"


def explain(cal: CalendarRef, day0: date, n: int) -> Explanation:
    """``add_working_days(cal, day0, n)`` with the non-working days it skipped, named."""
    c = get(cal)
    due = c.add_working_days(day0, n)
    return Explanation(c.id, day0, n, due, c.skipped_between(day0, due))
