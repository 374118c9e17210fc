"""PGD warnings (90/60/30 days, weekends, bank holidays) and the clinical validation rules."""

from datetime import date

import pytest

from riskdesk.domain.clinical import (
    AuditDraft,
    AuditKind,
    AuditStatus,
    PgdDraft,
    PgdRow,
    PgdStatus,
    Rag,
    VisitDraft,
    WarningLevel,
    check_audit,
    check_pgd,
    check_visit,
    financial_year_quarters,
    guess_standard_body,
    last_working_day_on_or_before,
    looks_like_reaudit,
    pgd_alert,
    warning_level,
)
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.quarters import Quarter

WEDNESDAY = date(2026, 9, 30)  # a working day


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (date(2026, 7, 1), WarningLevel.NONE),  # 91 days before
        (date(2026, 7, 2), WarningLevel.DAYS_90),  # 90 days before
        (date(2026, 7, 31), WarningLevel.DAYS_90),  # 61
        (date(2026, 8, 1), WarningLevel.DAYS_60),  # 60
        (date(2026, 8, 30), WarningLevel.DAYS_60),  # 31
        (date(2026, 8, 31), WarningLevel.DAYS_30),  # 30
        (WEDNESDAY, WarningLevel.DAYS_30),  # the last day it may be used
        (date(2026, 10, 1), WarningLevel.PASSED),  # the day after
    ],
)
def test_thresholds_on_a_working_day(today, level):
    assert warning_level(WEDNESDAY, today) is level


def test_weekend_expiry_warns_from_the_friday_before():
    sunday = date(2026, 2, 1)
    assert last_working_day_on_or_before(sunday) == date(2026, 1, 30)
    # 30 days before the Friday is 31 December; counted to the Sunday it would be 32 days (60-day level).
    assert warning_level(sunday, date(2025, 12, 31)) is WarningLevel.DAYS_30
    assert warning_level(sunday, date(2025, 12, 30)) is WarningLevel.DAYS_60
    # The Friday and the weekend itself are inside the window; expired only from Monday.
    assert warning_level(sunday, date(2026, 1, 30)) is WarningLevel.DAYS_30
    assert warning_level(sunday, date(2026, 1, 31)) is WarningLevel.DAYS_30
    assert warning_level(sunday, sunday) is WarningLevel.DAYS_30
    assert warning_level(sunday, date(2026, 2, 2)) is WarningLevel.PASSED


def test_bank_holiday_monday_expiry_counts_to_the_friday():
    late_summer = date(2026, 8, 31)  # Late Summer Bank Holiday
    assert last_working_day_on_or_before(late_summer) == date(2026, 8, 28)
    assert warning_level(late_summer, date(2026, 7, 29)) is WarningLevel.DAYS_30  # 30 days before Fri 28th
    assert warning_level(late_summer, date(2026, 7, 28)) is WarningLevel.DAYS_60


def test_alert_takes_the_worse_of_review_and_expiry():
    today = date(2026, 1, 10)
    alert = pgd_alert(date(2026, 1, 20), date(2026, 6, 1), today)
    assert (alert.level, alert.what, alert.days_left) == (WarningLevel.DAYS_30, "review", 10)
    assert alert.text == "Review due in 10 days (20/01/2026; 30-day warning)"
    expired = pgd_alert(date(2025, 6, 1), date(2026, 1, 7), today)
    assert expired.expired and expired.what == "expiry"
    assert expired.text.startswith("EXPIRED on 07/01/2026 (3 days ago)")
    assert pgd_alert(None, None, today).level is WarningLevel.NONE
    assert pgd_alert(None, date(2027, 1, 1), today).text == ""


def test_withdrawn_pgd_raises_no_warning():
    row = PgdRow(1, 1, "Sexual Health", 1, "MPFT", "MPFT", "X", "", "", None, None, date(2020, 1, 1),
                 PgdStatus.WITHDRAWN, 1)
    assert row.alert(date(2026, 1, 1)).level is WarningLevel.NONE
    live = PgdRow(**{**row.__dict__, "status": PgdStatus.IN_USE})
    assert live.alert(date(2026, 1, 1)).expired


def test_audit_rules():
    q = Quarter.parse("22/23 Q3")
    assert check_audit(AuditDraft(1, q, "  BASHH PEP  ")).title == "BASHH PEP"
    with pytest.raises(ValidationError, match="title"):
        check_audit(AuditDraft(1, q, "  "))
    with pytest.raises(ValidationError, match="only be given for a re-audit"):
        check_audit(AuditDraft(1, q, "x", previous_audit_id=3))
    with pytest.raises(ValidationError, match="before the audit's own quarter"):
        check_audit(AuditDraft(1, q, "x", reaudit_due=date(2022, 9, 30)))
    with pytest.raises(ValidationError, match="RAG"):
        check_audit(AuditDraft(1, q, "x", status=AuditStatus.PLANNED, rag=Rag.RED))
    assert check_audit(AuditDraft(1, q, "x", AuditKind.RE_AUDIT, 3, status=AuditStatus.COMPLETE, rag=Rag.GREEN))


def test_visit_and_pgd_rules():
    with pytest.raises(ValidationError, match="next visit due"):
        check_visit(VisitDraft(1, date(2023, 5, 1), date(2023, 5, 10), next_due=date(2023, 5, 10)))
    with pytest.raises(ValidationError, match="needs the date"):
        check_visit(VisitDraft(1, date(2023, 5, 1), rag=Rag.GREEN))
    with pytest.raises(ValidationError, match="reviewed before it expires"):
        check_pgd(PgdDraft(1, "EHC", review_due=date(2026, 3, 1), expiry=date(2026, 2, 1)))
    with pytest.raises(ValidationError, match="after the date issued"):
        check_pgd(PgdDraft(1, "EHC", issued=date(2026, 3, 1), expiry=date(2026, 2, 1)))
    with pytest.raises(ValidationError, match="expiry"):
        check_pgd(PgdDraft(1, "EHC", status=PgdStatus.IN_USE))
    assert check_pgd(PgdDraft(1, "EHC", status=PgdStatus.DRAFT)).name == "EHC"


def test_title_helpers_and_years():
    assert looks_like_reaudit("History taking in MSM – Re-audit")
    assert looks_like_reaudit("Management of Vulvovaginal Candidiasis re-audit")
    assert not looks_like_reaudit("Chlamydia Management")
    assert guess_standard_body("BASHH Management of Mycoplasma genitalium") == "BASHH"
    assert guess_standard_body("Nexplanon Insertion") == ""
    assert financial_year_quarters("23/24") == (Quarter(2023, 1), Quarter(2023, 4))
    with pytest.raises(ValidationError, match="financial year"):
        financial_year_quarters("2x")
