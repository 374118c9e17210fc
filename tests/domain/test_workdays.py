from datetime import date

from riskdesk.domain.workdays import add_working_days, bank_holiday_name, is_working_day, working_days_between


def test_weekend_skipped():
    assert add_working_days(date(2023, 6, 2), 1) == date(2023, 6, 5)  # Friday → Monday


def test_christmas_and_boxing_day_skipped():
    # Fri 22 Dec 2023 + 1 working day: Mon 25 and Tue 26 are bank holidays.
    assert add_working_days(date(2023, 12, 22), 1) == date(2023, 12, 27)


def test_easter_skipped():
    # Good Friday 29 Mar 2024 and Easter Monday 1 Apr 2024.
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)


def test_coronation_bank_holiday_2023():
    assert not is_working_day(date(2023, 5, 8))
    assert "Coronation" in (bank_holiday_name(date(2023, 5, 8)) or "")
    assert add_working_days(date(2023, 5, 5), 1) == date(2023, 5, 9)


def test_between_counts_working_days_and_signs():
    assert working_days_between(date(2023, 12, 22), date(2023, 12, 29)) == 3
    assert working_days_between(date(2023, 12, 29), date(2023, 12, 22)) == -3
    assert working_days_between(date(2023, 12, 22), date(2023, 12, 22)) == 0


def test_sixty_working_days():
    start = date(2023, 10, 2)
    due = add_working_days(start, 60)
    assert working_days_between(start, due) == 60
    assert is_working_day(due)
