"""Working days on one calendar (default ``ENG``: weekends and English bank holidays skipped).

The arithmetic lives in ``riskdesk.domain.calendars`` (constant time, shared by every clock,
with the administrator's overrides); these functions keep the SI log's and the PGD rules'
signatures, with the calendar as an optional keyword.
"""

from __future__ import annotations

from datetime import date

from riskdesk.domain.calendars import CalendarId, CalendarRef, get


def bank_holiday_name(day: date, calendar: CalendarRef = CalendarId.ENG) -> str | None:
    """The name of the bank holiday (or closure day) on ``day``, or None on a working day or weekend."""
    names = get(calendar).names(day)
    return "; ".join(n.name for n in names) if names else None


def is_working_day(day: date, calendar: CalendarRef = CalendarId.ENG) -> bool:
    return get(calendar).is_working_day(day)


def add_working_days(start: date, days: int, calendar: CalendarRef = CalendarId.ENG) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count).

    ``add_working_days(Friday, 1)`` is the next Monday (or Tuesday after a bank holiday).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    return get(calendar).add_working_days(start, days)


def working_days_between(start: date, end: date, calendar: CalendarRef = CalendarId.ENG) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
    return get(calendar).working_days_between(start, end)
