"""SI rules: working-day clocks, the status workflow, the patient-data check, the two-period table."""

from datetime import date

import pytest

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.incidents import (
    ClockBand,
    ClockKind,
    ExtensionRow,
    Framework,
    IncidentDraft,
    LearningResponse,
    PidKind,
    Status,
    allowed_statuses,
    clocks_for,
    due_dates,
    find_pid,
    make_clock,
    nhs_number_valid,
    parse_month,
    two_period_counts,
    validate_draft,
    working_days_until,
)
from riskdesk.domain.workdays import working_days_between


def _sif_clocks(identified, reported, today, **done):
    dues = due_dates(Framework.SIF_2015, identified, reported, None)
    return {c.kind: c for c in clocks_for(dues, steis_reported_on=done.get("steis"),
                                          initial_review_on=done.get("review"),
                                          report_received_on=done.get("report"), closed_on=None, today=today)}


def test_sif_clocks_over_christmas():
    # Identified Fri 22 Dec 2023: Mon 25 and Tue 26 are bank holidays.
    c = _sif_clocks(date(2023, 12, 22), date(2023, 12, 22), today=date(2023, 12, 22))
    assert c[ClockKind.STEIS].due == date(2023, 12, 28)
    assert c[ClockKind.INITIAL_REVIEW].due == date(2023, 12, 29)
    assert c[ClockKind.STEIS].days_left == 2 and c[ClockKind.STEIS].band is ClockBand.DUE_SOON


def test_sif_clocks_over_easter():
    # Identified Thu 28 Mar 2024; Good Friday 29 Mar and Easter Monday 1 Apr are skipped.
    c = _sif_clocks(date(2024, 3, 28), date(2024, 3, 28), today=date(2024, 3, 28))
    assert c[ClockKind.STEIS].due == date(2024, 4, 3)
    assert c[ClockKind.INITIAL_REVIEW].due == date(2024, 4, 4)


def test_sif_clocks_over_the_coronation_bank_holiday():
    # Identified Fri 5 May 2023; Mon 8 May 2023 (coronation of King Charles III) is a bank holiday.
    c = _sif_clocks(date(2023, 5, 5), date(2023, 5, 5), today=date(2023, 5, 9))
    assert c[ClockKind.STEIS].due == date(2023, 5, 10)
    assert c[ClockKind.INITIAL_REVIEW].due == date(2023, 5, 11)
    assert c[ClockKind.STEIS].days_left == 1
    # 60 working days from 5 May 2023 skip the coronation and the spring bank holiday (29 May).
    # May 16 + June 22 + July 21 = 59, so the 60th is Tue 1 August.
    assert c[ClockKind.REPORT].due == date(2023, 8, 1)
    assert working_days_between(date(2023, 5, 5), date(2023, 8, 1)) == 60


def test_report_clock_over_christmas_and_new_year():
    c = _sif_clocks(date(2023, 11, 20), date(2023, 11, 20), today=date(2023, 11, 20))
    # 60 working days skipping 25, 26 Dec and 1 Jan.
    assert c[ClockKind.REPORT].due == date(2024, 2, 15)
    assert working_days_between(date(2023, 11, 20), date(2024, 2, 15)) == 60


def test_bands_overdue_due_soon_on_track_and_met():
    due = date(2023, 5, 12)
    assert make_clock(ClockKind.REPORT, due, None, date(2023, 5, 15)).band is ClockBand.OVERDUE
    assert make_clock(ClockKind.REPORT, due, None, date(2023, 5, 15)).days_left == -1
    # Fri 5 May → Fri 12 May is 4 working days (the coronation Monday does not count): due soon.
    assert make_clock(ClockKind.REPORT, due, None, date(2023, 5, 5)).days_left == 4
    assert make_clock(ClockKind.REPORT, due, None, date(2023, 5, 5)).band is ClockBand.DUE_SOON
    assert make_clock(ClockKind.REPORT, due, None, date(2023, 4, 21)).band is ClockBand.ON_TRACK
    met = make_clock(ClockKind.REPORT, due, date(2023, 5, 16), date(2023, 6, 1))
    assert met.band is ClockBand.MET and met.days_left == -2
    assert "2 working days late" in met.summary


def test_fast_working_day_count_agrees_with_the_walk():
    days = [date(2019, 12, 20), date(2020, 1, 1), date(2023, 5, 8), date(2023, 12, 22), date(2024, 4, 2),
            date(1999, 12, 31)]
    for a in days:
        for b in days:
            assert working_days_until(a, b) == working_days_between(a, b), (a, b)


def test_psirf_uses_the_agreed_date_and_extensions():
    dues = due_dates(Framework.PSIRF, date(2023, 3, 1), date(2023, 3, 2), date(2023, 6, 30))
    assert (dues.steis, dues.initial_review, dues.report) == (None, None, date(2023, 6, 30))
    assert due_dates(Framework.PSIRF, date(2023, 3, 1), date(2023, 3, 2), date(2023, 6, 30),
                     date(2023, 8, 31)).report == date(2023, 8, 31)


@pytest.mark.parametrize("text", ["943 476 5919", "9434765919", "943-476-5919", "94 34 76 59 19"])
def test_valid_nhs_numbers(text):
    assert nhs_number_valid(text)
    found = find_pid({"description": f"Client {text} died"})
    assert [(f.field, f.text, f.kind) for f in found] == [("description", text, PidKind.NHS_NUMBER)]


@pytest.mark.parametrize("text", ["943 476 5918", "9434765910", "123456789", "12345678901"])
def test_invalid_nhs_numbers_are_not_flagged(text):
    assert not nhs_number_valid(text)
    assert find_pid({"notes": f"Ref {text}"}) == []


def test_nhs_number_whose_check_digit_would_be_10_is_invalid():
    # 000000040: weighted sum 4 × 3 = 12, remainder 1, check 11 − 1 = 10, which no NHS number has.
    assert not any(nhs_number_valid(f"000000040{d}") for d in range(10))


def test_phone_number_like_digits_are_not_an_nhs_number_when_longer():
    assert find_pid({"d": "call 01163054239 today"}) == []


@pytest.mark.parametrize("text, match", [
    ("DOB 12/03/1984", "DOB 12/03/1984"),
    ("client born 3 March 1984 in Leicester", "born 3 March 1984"),
    ("d.o.b. 1/2/84", "d.o.b. 1/2/84"),
    ("Date of birth: 3rd March 1984", "Date of birth: 3rd March 1984"),
])
def test_dates_of_birth(text, match):
    found = find_pid({"lessons learned": text})
    assert [(f.text, f.kind) for f in found] == [(match, PidKind.DATE_OF_BIRTH)]


def test_dob_keyword_alone_is_flagged_but_ordinary_dates_are_not():
    assert [f.text for f in find_pid({"x": "the d.o.b. was recorded wrongly"})] == ["d.o.b."]
    assert find_pid({"x": "Reported on 12/03/2023; Dobson ward; newborn visit"}) == []


def test_status_moves_one_step_either_way():
    assert allowed_statuses(Status.REPORTED) == (Status.REPORTED, Status.UNDER_INVESTIGATION)
    assert allowed_statuses(Status.CLOSED) == (Status.ACTION_PLAN, Status.CLOSED)


def _draft(**kw):
    base = dict(provider_id=1, service_id=1, identified_on=date(2023, 3, 1), reported_on=date(2023, 3, 2),
                description="Medicine given without a valid PGD.", framework=Framework.SIF_2015)
    base.update(kw)
    return IncidentDraft(**base)


def test_validation_messages():
    with pytest.raises(ValidationError, match="cannot follow Reported"):
        validate_draft(_draft(status=Status.REPORT_RECEIVED, report_received_on=date(2023, 4, 1)),
                       Status.REPORTED, None)
    with pytest.raises(ValidationError, match="learning response"):
        validate_draft(_draft(framework=Framework.PSIRF), None, None)
    with pytest.raises(ValidationError, match="report received date"):
        validate_draft(_draft(status=Status.REPORT_RECEIVED), Status.UNDER_INVESTIGATION, None)
    with pytest.raises(ValidationError, match="before the date the incident was identified"):
        validate_draft(_draft(reported_on=date(2023, 2, 1)), None, None)
    with pytest.raises(ValidationError, match="must say what happened"):
        validate_draft(_draft(description="  "), None, None)
    with pytest.raises(ValidationError, match="reason"):
        validate_draft(_draft(new_extensions=(ExtensionRow(None, None, date(2023, 9, 1), " "),)), None, None)
    with pytest.raises(ValidationError, match="after the current due date"):
        validate_draft(_draft(new_extensions=(ExtensionRow(None, None, date(2023, 4, 1), "late"),)), None, None)
    ok = validate_draft(_draft(framework=Framework.SIF_2015, learning_response=LearningResponse.PSII), None, None)
    assert ok.learning_response is None


def test_two_period_table_and_twelve_month_rule():
    p1, p2 = two_period_counts([date(2021, 10, 4), date(2022, 12, 1), date(2022, 12, 31)], (2022, 10), (2023, 9))
    assert p1.months[0] == ((2021, 10), 1) and p1.total == 1
    assert dict(p2.months)[(2022, 12)] == 2 and p2.total == 2
    assert p2.label == "October 2022 – September 2023"
    with pytest.raises(ValidationError, match="twelve months"):
        two_period_counts([], (2022, 10), (2023, 10))
    with pytest.raises(ValidationError, match="like 2023-09"):
        parse_month("Sept 2023")
