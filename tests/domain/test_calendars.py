"""The shared calendars: UK-wide holidays by name, overrides, and the fast arithmetic against a walk."""

from datetime import date, timedelta

import pytest

from riskdesk.domain import calendars
from riskdesk.domain.calendars import (
    Calendar,
    CalendarId,
    Nation,
    Override,
    OverrideKind,
    add_working_days,
    explain,
    working_days_between,
)


@pytest.fixture(autouse=True)
def _no_overrides():
    calendars.install_overrides(())
    yield
    calendars.install_overrides(())


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2023, 3, 17), "17 Mar 2023 — Saint Patrick's Day (Northern Ireland)"),
        (date(2023, 7, 12), "12 Jul 2023 — Battle of the Boyne (Northern Ireland)"),
        (date(2024, 1, 2), "2 Jan 2024 — New Year Holiday (Scotland)"),
        (date(2023, 8, 7), "7 Aug 2023 — Summer Bank Holiday (Scotland)"),
        (date(2023, 11, 30), "30 Nov 2023 — Saint Andrew's Day (Scotland)"),
        (date(2023, 1, 3), "3 Jan 2023 — New Year Holiday (observed) (Scotland)"),
        (date(2023, 12, 25), "25 Dec 2023 — Christmas Day (all UK nations)"),
        (date(2023, 8, 28), "28 Aug 2023 — Late Summer Bank Holiday (England, Wales, Northern Ireland)"),
    ],
)
def test_uk_wide_holidays_are_named_with_their_nation(day, text):
    uk, eng = calendars.get("UK_ANY"), calendars.get("ENG")
    assert not uk.is_working_day(day)
    assert uk.skipped_day(day).text == text
    # Only the days every English calendar shares are holidays in England too.
    assert eng.is_working_day(day) is ("England" not in text and "all UK" not in text)


def test_england_calendar_names_its_own_source():
    assert calendars.get("ENG").skipped_day(date(2023, 5, 8)).text == "8 May 2023 — Coronation of Charles III (England)"
    assert calendars.get("ENG").skipped_day(date(2023, 3, 18)).text == "18 Mar 2023 — Saturday"


def test_day0_is_never_counted_and_a_weekend_receipt_makes_monday_day_one():
    assert add_working_days("UK_ANY", date(2023, 3, 4), 1) == date(2023, 3, 6)  # Saturday → Monday
    assert add_working_days("ENG", date(2023, 6, 2), 1) == date(2023, 6, 5)  # Friday → Monday
    assert add_working_days("ENG", date(2023, 6, 2), 0) == date(2023, 6, 2)
    assert working_days_between("UK_ANY", date(2023, 3, 6), date(2023, 3, 6)) == 0
    with pytest.raises(ValueError, match="negative"):
        add_working_days("ENG", date(2023, 6, 2), -1)


def test_explain_lists_skipped_days_by_name_and_counts_weekends():
    e = explain("UK_ANY", date(2023, 12, 11), 20)
    assert e.due == date(2024, 1, 12)
    assert list(e.lines()) == [
        "25 Dec 2023 — Christmas Day (all UK nations)",
        "26 Dec 2023 — Boxing Day (all UK nations)",
        "1 Jan 2024 — New Year's Day (all UK nations)",
        "2 Jan 2024 — New Year Holiday (Scotland)",
        "8 Saturdays and Sundays",
    ]


def test_added_bank_holiday_moves_due_dates_on_the_calendars_of_its_nations_only():
    before_eng = add_working_days("ENG", date(2023, 6, 1), 10)
    before_uk = add_working_days("UK_ANY", date(2023, 6, 1), 10)
    calendars.install_overrides([Override(date(2023, 6, 5), OverrideKind.ADD_BANK_HOLIDAY, (Nation.SCT,),
                                          "Proclaimed holiday")])
    assert add_working_days("ENG", date(2023, 6, 1), 10) == before_eng
    assert add_working_days("UK_ANY", date(2023, 6, 1), 10) == before_uk + timedelta(days=1)
    assert calendars.get("UK_ANY").skipped_day(date(2023, 6, 5)).text == "5 Jun 2023 — Proclaimed holiday (Scotland)"


def test_removed_bank_holiday_and_local_closure_days():
    calendars.install_overrides([Override(date(2023, 7, 12), OverrideKind.REMOVE_BANK_HOLIDAY, (Nation.NIR,))])
    assert calendars.get("UK_ANY").is_working_day(date(2023, 7, 12))
    calendars.install_overrides([Override(date(2023, 12, 27), OverrideKind.LOCAL_CLOSURE, (), "Council closure")])
    # Closure days count for complaints only; FOI (s.10(6), LTT47) and the SI log ignore them.
    assert not calendars.get("COMPLAINTS").is_working_day(date(2023, 12, 27))
    assert calendars.get("ENG").is_working_day(date(2023, 12, 27))
    assert calendars.get("UK_ANY").is_working_day(date(2023, 12, 27))
    assert calendars.get("COMPLAINTS").skipped_day(date(2023, 12, 27)).text == (
        "27 Dec 2023 — Council closure (local closure day)")


def _walk_is_working(cal: Calendar, day: date) -> bool:
    """The reference: straight from the ``holidays`` package lists, no running counts."""
    if day.weekday() >= 5:
        return False
    return not any(day in calendars.package_holidays(n, day.year) for n in cal.nations)


@pytest.mark.parametrize("cid", [CalendarId.ENG, CalendarId.UK_ANY])
def test_fast_arithmetic_equals_day_by_day_counting_for_every_pair_2015_2035(cid):
    """Every pair (day0, d) of 2015–2035: working_days_between and add_working_days equal the walk.

    For each day0 the whole sequence of working days after it is compared at once (one slice
    each), so the 29 million pairs cost seconds, not minutes.
    """
    cal = calendars.get(cid)
    first, last = date(2015, 1, 1), date(2035, 12, 31)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [_walk_is_working(cal, d) for d in days]
    # Day-by-day counting: the walk's running total from the first day.
    running, total = [], 0
    for w in working:
        total += w
        running.append(total)
    numbers = [cal.working_day_number(d) for d in days]
    working_days = [d for d, w in zip(days, working, strict=True) if w]
    # working_days_between(day0, d) = walk count after day0 up to d, for every pair: the two
    # running counts must differ by one constant.
    offset = numbers[0] - running[0]
    mismatches = [d for d, n, r in zip(days, numbers, running, strict=True) if n - r != offset]
    print(f"{cid}: pairs differing from the walk: {len(mismatches)}")
    assert mismatches == []
    # add_working_days(day0, n) for every n within the range: the n-th working day after day0.
    pairs = 0
    for i, day0 in enumerate(days):
        after = working_days[running[i]:]
        assert cal.working_days_after(day0, len(after)) == tuple(after), day0
        pairs += len(after)
    print(f"{cid}: {pairs} (day0, n) pairs checked")
    assert pairs == sum(total - r for r in running) > 19_000_000
    # add_working_days itself (one lookup, not a slice) for every day0 at a spread of n, and
    # working_days_between over a spread of pairs both ways round.
    checked = 0
    for i, day0 in enumerate(days):
        for n in (1, 2, 3, 5, 10, 20, 25, 40, 60, 65, 130, 250, 1000, 4000):
            if running[i] + n <= total:
                assert add_working_days(cid, day0, n) == working_days[running[i] + n - 1], (day0, n)
                checked += 1
        for j in range(i % 53, len(days), 211):
            assert working_days_between(cid, day0, days[j]) == running[j] - running[i], (day0, days[j])
            checked += 1
    print(f"{cid}: {checked} direct calls checked")


def test_si_clocks_count_with_an_installed_override_even_when_cached():
    from riskdesk.domain.incidents import ClockKind, make_clock

    due, today = date(2023, 6, 16), date(2023, 6, 9)
    assert make_clock(ClockKind.REPORT, due, None, today).days_left == 5
    calendars.install_overrides([Override(date(2023, 6, 12), OverrideKind.ADD_BANK_HOLIDAY, (Nation.ENG,), "Holiday")])
    assert make_clock(ClockKind.REPORT, due, None, today).days_left == 4
    calendars.install_overrides(())
    assert make_clock(ClockKind.REPORT, due, None, today).days_left == 5
