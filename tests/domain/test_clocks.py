"""The clocks of SPEC E.3 against the worked examples of E.6 (AC-K01 … AC-K16), dates worked by hand.

Each check asserts the due date and that the explanation names the non-working days skipped.
"""

from datetime import date

import pytest

from riskdesk.domain import calendars, clocks
from riskdesk.domain.calendars import CalendarId
from riskdesk.domain.clocks import ClockState, Due
from riskdesk.domain.errors import ValidationError


@pytest.fixture(autouse=True)
def _no_overrides():
    calendars.install_overrides(())
    yield
    calendars.install_overrides(())


def named(due: Due, *, to_maximum: bool = False) -> list[str]:
    """The named days the explanation lists (weekends left out), as printed."""
    days = due.skipped_to_maximum if to_maximum else due.skipped
    return [s.text for s in days if s.names]


def text(due: Due) -> str:
    return "\n".join(due.lines())


def test_ac_k01_st_patricks_day_moves_an_foi_due_date_that_england_alone_would_miss():
    due = clocks.foia_response(date(2023, 3, 6))
    assert due.due == date(2023, 4, 4)
    assert named(due) == ["17 Mar 2023 — Saint Patrick's Day (Northern Ireland)"]
    assert "an England-only calendar would give Mon 3 Apr 2023" in text(due)
    assert calendars.add_working_days("ENG", date(2023, 3, 6), 20) == date(2023, 4, 3)
    # A response on 4 Apr took 20 working days on UK_ANY (within 20) but 21 on England's calendar.
    assert due.taken(date(2023, 4, 4)) == 20
    assert calendars.working_days_between("ENG", date(2023, 3, 6), date(2023, 4, 4)) == 21


def test_ac_k02_received_on_a_saturday_monday_is_day_one():
    due = clocks.foia_response(date(2023, 3, 4))
    assert due.due == date(2023, 4, 3)
    assert "day 0: Sat 4 Mar 2023 — date of receipt (a non-working day: day 1 is Mon 6 Mar 2023)" in text(due)
    assert named(due) == ["17 Mar 2023 — Saint Patrick's Day (Northern Ireland)"]


@pytest.mark.parametrize(
    ("received", "expected", "names"),
    [
        (date(2023, 7, 3), date(2023, 8, 1), ["12 Jul 2023 — Battle of the Boyne (Northern Ireland)"]),  # AC-K03
        (date(2023, 11, 20), date(2023, 12, 19), ["30 Nov 2023 — Saint Andrew's Day (Scotland)"]),  # AC-K04
        (date(2023, 12, 11), date(2024, 1, 12), [  # AC-K05
            "25 Dec 2023 — Christmas Day (all UK nations)",
            "26 Dec 2023 — Boxing Day (all UK nations)",
            "1 Jan 2024 — New Year's Day (all UK nations)",
            "2 Jan 2024 — New Year Holiday (Scotland)",
        ]),
    ],
)
def test_ac_k03_to_k05_uk_wide_holidays(received, expected, names):
    due = clocks.foia_response(received)
    assert due.due == expected
    assert named(due) == names
    for line in names:
        assert line in text(due)


def test_ac_k06_christmas_receipt_foi_and_eir_extended():
    foi = clocks.foia_response(date(2023, 12, 22))
    assert foi.due == date(2024, 1, 25)
    assert "2 Jan 2024 — New Year Holiday (Scotland)" in named(foi)
    eir = clocks.eir_response(date(2023, 12, 22), extended=True)
    assert (eir.base_due, eir.due, eir.extended) == (date(2024, 1, 25), date(2024, 2, 22), True)
    assert "reg 7 extension to be notified by: Thu 25 Jan 2024" in text(eir)


def test_ac_k07_eir_extended_to_40_working_days():
    due = clocks.eir_response(date(2023, 3, 6), extended=True)
    assert due.due == date(2023, 5, 5)
    assert named(due) == [
        "17 Mar 2023 — Saint Patrick's Day (Northern Ireland)",
        "7 Apr 2023 — Good Friday (all UK nations)",
        "10 Apr 2023 — Easter Monday (England, Wales, Northern Ireland)",
        "1 May 2023 — May Day (all UK nations)",
    ]


def test_ac_k08_clarification_restarts_the_clock():
    due = clocks.foia_response(date(2023, 3, 6), clarification_sought=date(2023, 3, 8), clarified=date(2023, 3, 20))
    assert due.day0 == date(2023, 3, 20)
    assert due.due == date(2023, 4, 19)
    assert named(due) == ["7 Apr 2023 — Good Friday (all UK nations)",
                          "10 Apr 2023 — Easter Monday (England, Wales, Northern Ireland)"]
    assert "clarification received (the clock restarts; s.1(3)); request received 6 Mar 2023" in text(due)


def test_ac_k09_fee_notice_stops_the_clock_until_the_fee_arrives():
    due = clocks.foia_response(date(2023, 6, 1), fee_requested=date(2023, 6, 8), fee_received=date(2023, 6, 20))
    print(f"working days disregarded: {due.disregarded}")
    assert due.disregarded == 9
    assert due.due == date(2023, 7, 13)
    assert clocks.foia_response(date(2023, 6, 1)).due == date(2023, 6, 29)
    assert named(due) == ["12 Jul 2023 — Battle of the Boyne (Northern Ireland)"]
    assert "pause: 8 Jun 2023 to 20 Jun 2023: fees notice given until the fee was received (s.10(2)); " \
           "9 working days disregarded" in text(due)
    # Answered on the due date: 20 working days taken once the fee days are disregarded.
    assert due.taken(date(2023, 7, 13)) == 20


def test_ac_k10_public_interest_extension():
    due = clocks.foia_response(date(2023, 3, 6), pit_notice_on=date(2023, 4, 4))
    assert (due.base_due, due.due) == (date(2023, 4, 4), date(2023, 5, 5))
    assert "s.17 refusal notice due by: Tue 4 Apr 2023" in text(due)
    assert "1 May 2023 — May Day (all UK nations)" in named(due)
    assert not due.warnings
    late = clocks.foia_response(date(2023, 3, 6), pit_notice_on=date(2023, 4, 5))
    assert late.warnings and "after the 20th working day" in late.warnings[0]


def test_ac_k11_internal_review_and_its_longest_extension():
    due = clocks.foia_internal_review(date(2023, 5, 10))
    assert (due.due, due.maximum) == (date(2023, 6, 8), date(2023, 7, 6))
    assert named(due) == ["29 May 2023 — Spring Bank Holiday (all UK nations)"]
    assert clocks.foia_internal_review(date(2023, 5, 10), extended=True).due == date(2023, 7, 6)


def test_ac_k12_corporate_complaint_under_the_2024_code_and_the_draft():
    assert clocks.rule_set_for(date(2024, 4, 2)).code == "RS-CODE-2024"
    ack = clocks.complaint_ack(date(2024, 4, 2))
    assert ack is not None and ack.due == date(2024, 4, 9) and named(ack) == []
    resp = clocks.complaint_response(date(2024, 4, 2), acknowledged_on=date(2024, 4, 9))
    assert (resp.day0, resp.due, resp.maximum) == (date(2024, 4, 9), date(2024, 4, 23), date(2024, 5, 8))
    assert named(resp, to_maximum=True) == ["6 May 2024 — May Day (England)"]
    assert "longest extension: Wed 8 May 2024" in text(resp)
    draft = clocks.complaint_response(date(2024, 4, 2), rule_set_code="RS-CODE-DRAFT-2023")
    assert draft.day0 == date(2024, 4, 2) and draft.due == date(2024, 4, 16)


def test_ac_k13_easter_and_the_coronation():
    # The E.6 row is worked under the 2024 Code's counting (10 WD from acknowledgement).
    ack = clocks.complaint_ack(date(2023, 4, 6), rule_set_code="RS-CODE-2024")
    assert ack is not None and ack.due == date(2023, 4, 17)
    assert named(ack) == ["7 Apr 2023 — Good Friday (England)", "10 Apr 2023 — Easter Monday (England)"]
    resp = clocks.complaint_response(date(2023, 4, 6), rule_set_code="RS-CODE-2024")
    assert resp.due == date(2023, 5, 2) and named(resp) == ["1 May 2023 — May Day (England)"]
    assert resp.maximum == date(2023, 5, 17)
    assert named(resp, to_maximum=True) == ["8 May 2023 — Coronation of Charles III (England)"]


def test_ac_k14_christmas_complaint():
    ack = clocks.complaint_ack(date(2024, 12, 20))
    assert ack is not None and ack.due == date(2024, 12, 31)
    assert named(ack) == ["25 Dec 2024 — Christmas Day (England)", "26 Dec 2024 — Boxing Day (England)"]
    resp = clocks.complaint_response(date(2024, 12, 20), acknowledged_on=date(2024, 12, 31))
    assert resp.due == date(2025, 1, 15) and named(resp) == ["1 Jan 2025 — New Year's Day (England)"]


def test_ac_k15_childrens_stage_1_and_2():
    s1 = clocks.csc_response(date(2023, 6, 1))
    assert (s1.due, s1.maximum) == (date(2023, 6, 15), date(2023, 6, 29))
    s2 = clocks.csc_response(date(2023, 6, 1), stage=2)
    assert (s2.due, s2.maximum) == (date(2023, 7, 6), date(2023, 9, 1))
    assert named(s2, to_maximum=True) == ["28 Aug 2023 — Late Summer Bank Holiday (England)"]


def test_ac_k16_childrens_stage_3_panel():
    due = clocks.csc_panel(date(2023, 9, 1))
    assert due.due == date(2023, 10, 13)
    assert named(due) == [] and "12 Saturdays and Sundays" in text(due)


# -- the rules around the worked examples --------------------------------------------------------------


def test_late_acknowledgement_runs_the_2024_code_clock_from_the_due_date():
    on_time = clocks.complaint_response(date(2024, 4, 2), acknowledged_on=date(2024, 4, 4))
    assert on_time.day0 == date(2024, 4, 4)
    late = clocks.complaint_response(date(2024, 4, 2), acknowledged_on=date(2024, 4, 12))
    assert late.day0 == date(2024, 4, 9) and late.due == date(2024, 4, 23)
    assert "acknowledged late" in late.day0_reason


def test_local_policy_before_the_code_counts_40_days_with_kpi_marks():
    due = clocks.complaint_response(date(2023, 6, 1))
    assert due.rule_set == "RS-LOCAL-2023"
    assert due.due == calendars.add_working_days("COMPLAINTS", date(2023, 6, 1), 40)
    assert [label for label, _ in due.marks] == ["KPI 10 working days", "KPI 20 working days"]
    assert clocks.complaint_ack(date(2023, 6, 1)) is None  # the local policy sets no acknowledgement


def test_local_closure_days_move_complaint_clocks_only():
    calendars.install_overrides([calendars.Override(date(2024, 12, 27), calendars.OverrideKind.LOCAL_CLOSURE,
                                                    (), "Council closure day")])
    ack = clocks.complaint_ack(date(2024, 12, 20))
    assert ack is not None and ack.due == date(2025, 1, 2)  # 1 Jan is a bank holiday as well
    assert "27 Dec 2024 — Council closure day (local closure day)" in named(ack)
    assert clocks.foia_response(date(2024, 12, 20)).due == clocks.foia_response(date(2024, 12, 20)).base_due
    assert calendars.is_working_day("UK_ANY", date(2024, 12, 27))


def test_eir_extension_notified_after_day_20_is_refused():
    ok = clocks.eir_response(date(2023, 3, 6), extension_notified_on=date(2023, 4, 4))
    assert ok.due == date(2023, 5, 5)
    with pytest.raises(ValidationError, match="must be notified within 20 working days"):
        clocks.eir_response(date(2023, 3, 6), extension_notified_on=date(2023, 4, 5))


def test_fee_and_clarification_dates_must_make_sense():
    with pytest.raises(ValidationError, match="before the fees notice date"):
        clocks.foia_response(date(2023, 6, 1), fee_requested=date(2023, 6, 8), fee_received=date(2023, 6, 7))
    with pytest.raises(ValidationError, match="give the date the fee was received"):
        clocks.foia_response(date(2023, 6, 1), fee_requested=date(2023, 6, 8))
    with pytest.raises(ValidationError, match="before the date of receipt"):
        clocks.foia_response(date(2023, 6, 1), clarified=date(2023, 5, 30))


def test_clarification_not_yet_answered_shows_the_lapse_date():
    due = clocks.foia_response(date(2023, 3, 6), clarification_sought=date(2023, 3, 8))
    assert "the request lapses after" in text(due)


def test_eir_reconsideration_and_late_representations():
    assert clocks.eir_reconsideration(date(2023, 5, 10)).due == date(2023, 7, 6)
    late = clocks.eir_reconsideration(date(2023, 9, 1), response_sent_on=date(2023, 5, 10))
    assert late.warnings


def test_adult_social_care_six_months_and_local_marks():
    due = clocks.asc_response(date(2023, 6, 1))
    assert due.due == date(2023, 11, 30)
    assert clocks.asc_response(date(2023, 8, 31)).due == date(2024, 2, 28)
    assert dict(due.marks)["local target, 20 working days"] == date(2023, 6, 29)
    assert clocks.asc_ack(date(2023, 6, 1)).due == date(2023, 6, 6)
    agreed = clocks.asc_response(date(2023, 6, 1), agreed_until=date(2024, 1, 31))
    assert agreed.extended and agreed.due == date(2024, 1, 31)


def test_ombudsman_time_limit_and_typed_dates():
    assert clocks.lgsco_time_limit(date(2023, 3, 15)).due == date(2024, 3, 14)
    typed = clocks.typed_due("C10", "LGSCO enquiry reply", date(2023, 12, 20), date(2024, 1, 17),
                             extended_to=date(2024, 1, 24))
    assert typed.due == date(2024, 1, 24) and typed.extended
    assert "25 Dec 2023 — Christmas Day (England)" in named(typed)


@pytest.mark.parametrize(
    ("today", "done_on", "state"),
    [
        (date(2023, 3, 20), None, ClockState.ON_TRACK),
        (date(2023, 3, 28), None, ClockState.DUE_SOON),  # 5 working days left
        (date(2023, 4, 4), None, ClockState.DUE_SOON),  # due today
        (date(2023, 4, 5), None, ClockState.OVERDUE),
        (date(2023, 4, 20), date(2023, 4, 4), ClockState.MET),
        (date(2023, 4, 20), date(2023, 4, 5), ClockState.MET_LATE),
    ],
)
def test_clock_states(today, done_on, state):
    assert clocks.foia_response(date(2023, 3, 6)).state(today, done_on) is state


def test_rule_sets_are_chosen_by_receipt_date_and_named_ones_are_checked():
    assert clocks.rule_set_for(date(2024, 3, 31)).code == "RS-LOCAL-2023"
    assert clocks.rule_set_for(date(2024, 4, 1)).code == "RS-CODE-2024"
    assert clocks.rule_set_for(date(2015, 1, 1)).code == "RS-LOCAL-2023"
    with pytest.raises(ValidationError, match="is not known"):
        clocks.rule_set("RS-NOPE")
    assert CalendarId.COMPLAINTS.label.startswith("England")
