"""Calendar overrides: an administrator's change moves due dates at once, is audited, and persists."""

from datetime import date

import pytest
from sqlalchemy import select

from riskdesk.domain import calendars, clocks
from riskdesk.domain.calendars import Nation
from riskdesk.domain.errors import PermissionDenied, ValidationError
from riskdesk.domain.permissions import Role
from riskdesk.domain.register import Actor
from riskdesk.models import AuditEntry, SeriousIncident
from riskdesk.services import Services
from tests.services.si_world import draft, make_world

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def _clean_calendars():
    calendars.install_overrides(())
    yield
    calendars.install_overrides(())


def _audit(services: Services, entity: str = "calendar_override") -> list[AuditEntry]:
    with services.db.sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


def test_a_proclaimed_bank_holiday_moves_due_dates_and_is_audited(services, admin):
    before = clocks.foia_response(date(2023, 6, 1)).due
    assert before == date(2023, 6, 29)
    change = services.calendar.add_bank_holiday(admin, date(2023, 6, 9), "Proclaimed bank holiday",
                                                reason="Royal proclamation of 1 May 2023")
    after = clocks.foia_response(date(2023, 6, 1))
    assert after.due == date(2023, 6, 30)
    assert "9 Jun 2023 — Proclaimed bank holiday (all UK nations)" in "\n".join(after.lines())
    entries = _audit(services)
    assert [(e.action, e.user_login, e.note) for e in entries] == [
        ("calendar.add", "tester", "Royal proclamation of 1 May 2023")]
    assert entries[0].changes["day"] == [None, "2023-06-09"]
    assert change.override.nations == (Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR)
    # Another window over the same database counts with it from the start.
    calendars.install_overrides(())
    Services(services.db)
    assert clocks.foia_response(date(2023, 6, 1)).due == date(2023, 6, 30)


def test_the_overrides_are_read_when_a_clock_first_needs_them_not_when_the_database_opens(services, admin):
    from sqlalchemy import event

    services.calendar.add_bank_holiday(admin, date(2023, 6, 9), "Proclaimed bank holiday", reason="proclamation")
    reads: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if "calendar_override" in statement:
            reads.append(statement)

    event.listen(services.db.engine, "before_cursor_execute", seen)
    try:
        calendars.install_overrides(())
        reopened = Services(services.db)
        reopened.registers.list_registers(admin)
        print(f"override reads before any clock: {len(reads)}")
        assert reads == []  # opening the window's register does not wait for the calendars
        assert clocks.foia_response(date(2023, 6, 1)).due == date(2023, 6, 30)
        assert clocks.foia_response(date(2023, 6, 2)).due == date(2023, 7, 3)
        print(f"override reads after two clocks: {len(reads)}")
        assert len(reads) == 1  # read once, at the first clock
    finally:
        event.remove(services.db.engine, "before_cursor_execute", seen)


def test_a_failed_read_of_the_overrides_installs_nothing_and_is_tried_again(services):
    attempts = []

    def read():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("the network share went away")
        return [calendars.Override(day=date(2023, 6, 9), kind=calendars.OverrideKind.ADD_BANK_HOLIDAY, name="Proclaimed",
                                   nations=(Nation.ENG, Nation.WLS, Nation.SCT, Nation.NIR))]

    calendars.install_overrides_later(read)
    with pytest.raises(OSError):
        clocks.foia_response(date(2023, 6, 1))
    assert clocks.foia_response(date(2023, 6, 1)).due == date(2023, 6, 30)
    assert len(attempts) == 2


def test_removing_a_holiday_and_withdrawing_the_change_moves_dates_there_and_back(services, admin):
    # AC-R13's first half: take 12 July 2023 out of Northern Ireland's list, then restore it.
    assert clocks.foia_response(date(2023, 7, 3)).due == date(2023, 8, 1)
    change = services.calendar.remove_bank_holiday(admin, date(2023, 7, 12), nations=(Nation.NIR,),
                                                   reason="simulating a data error")
    assert clocks.foia_response(date(2023, 7, 3)).due == date(2023, 7, 31)
    services.calendar.delete(admin, change.override.id, reason="restored")
    assert clocks.foia_response(date(2023, 7, 3)).due == date(2023, 8, 1)
    assert [e.action for e in _audit(services)] == ["calendar.add", "calendar.withdraw"]
    assert services.calendar.overrides(admin) == ()


def test_local_closure_moves_complaint_clocks_only(services, admin):
    services.calendar.add_local_closure(admin, date(2024, 12, 27), "Council closure day")
    ack = clocks.complaint_ack(date(2024, 12, 20))
    assert ack is not None and ack.due == date(2025, 1, 2)
    assert clocks.foia_response(date(2024, 12, 20)).due == calendars.Calendar(calendars.CalendarId.UK_ANY) \
        .add_working_days(date(2024, 12, 20), 20)
    assert calendars.is_working_day("ENG", date(2024, 12, 27))


def test_stored_si_due_dates_are_recomputed_with_an_audit_entry(services, admin):
    world = make_world(services, admin)
    si = services.incidents.save(admin, draft(world, date(2023, 6, 1)), today=date(2023, 6, 1))
    with services.db.sessions() as s:
        assert s.get(SeriousIncident, si.row.id).steis_due == date(2023, 6, 5)
        version = s.get(SeriousIncident, si.row.id).version
    change = services.calendar.add_bank_holiday(admin, date(2023, 6, 2), "Proclaimed bank holiday",
                                                nations=(Nation.ENG, Nation.WLS))
    print(f"stored SI due dates moved: {change.due_dates_moved}")
    assert change.due_dates_moved == 1
    with services.db.sessions() as s:
        row = s.get(SeriousIncident, si.row.id)
        # Derived dates move without bumping the version: nobody's open edit turns stale.
        assert (row.steis_due, row.initial_review_due, row.version) == (date(2023, 6, 6), date(2023, 6, 7), version)
    [entry] = _audit(services, "serious_incident")[-1:]
    assert entry.action == "incident.due_dates_recomputed"
    assert entry.changes["steis_due"] == ["2023-06-05", "2023-06-06"]


def test_only_an_administrator_may_change_the_calendars(services, admin):
    services.registers.add_user(admin, "clerk", "A Clerk", Role.RISK_TEAM.value)
    clerk = Actor("clerk")
    attempts = [
        lambda: services.calendar.add_bank_holiday(clerk, date(2023, 6, 9), "Holiday"),
        lambda: services.calendar.remove_bank_holiday(clerk, date(2023, 7, 12), nations=(Nation.NIR,), reason="x"),
        lambda: services.calendar.add_local_closure(clerk, date(2023, 12, 27), "Closure"),
    ]
    succeeded = 0
    for attempt in attempts:
        try:
            attempt()
            succeeded += 1
        except PermissionDenied as exc:
            assert "Only a riskdesk administrator can change the working-day calendar" in str(exc)
    print(f"forbidden calendar changes that succeeded: {succeeded}")
    assert succeeded == 0
    assert _audit(services) == [] and services.calendar.overrides(clerk) == ()
    assert calendars.installed_overrides() == ()


def test_bad_changes_are_refused_with_a_reason(services, admin):
    with pytest.raises(ValidationError, match="say what the bank holiday is"):
        services.calendar.add_bank_holiday(admin, date(2023, 6, 9), "  ")
    with pytest.raises(ValidationError, match="is not a bank holiday in Scotland"):
        services.calendar.remove_bank_holiday(admin, date(2023, 6, 9), nations=(Nation.SCT,), reason="typo")
    with pytest.raises(ValidationError, match="reason"):
        services.calendar.remove_bank_holiday(admin, date(2023, 7, 12), nations=(Nation.NIR,), reason="")
    services.calendar.add_local_closure(admin, date(2023, 12, 27), "Closure")
    with pytest.raises(ValidationError, match="already has this change"):
        services.calendar.add_local_closure(admin, date(2023, 12, 27), "Closure again")
    assert len(services.calendar.overrides(admin)) == 1


def test_a_change_that_would_move_no_clock_is_refused_and_nothing_is_recorded(services, admin):
    """A day the clocks skip already (a weekend, a bank holiday where it is one) is refused with the
    reason: before, it was recorded and audited, and reported "Stored due dates moved: 0"."""
    refused = {
        "Christmas Day, all four nations": lambda: services.calendar.add_bank_holiday(
            admin, date(2026, 12, 25), "Christmas"),
        "St Andrew's Day, Scotland": lambda: services.calendar.add_bank_holiday(
            admin, date(2026, 11, 30), "St Andrew's Day", nations=(Nation.SCT,)),
        "a Saturday": lambda: services.calendar.add_bank_holiday(admin, date(2026, 12, 5), "Proclaimed"),
        "a closure on a Sunday": lambda: services.calendar.add_local_closure(admin, date(2026, 12, 6), "Closure"),
        "a closure on Boxing Day": lambda: services.calendar.add_local_closure(admin, date(2026, 12, 28), "Closure"),
    }
    reasons = {}
    for what, change in refused.items():
        with pytest.raises(ValidationError) as caught:
            change()
        reasons[what] = str(caught.value)
    recorded = len(services.calendar.overrides(admin)) + len(_audit(services))
    print(f"refused {len(reasons)} of {len(refused)}; overrides and audit entries recorded: {recorded}")
    assert recorded == 0
    assert "already a bank holiday in England, Wales, Scotland, Northern Ireland" in reasons["Christmas Day, all four nations"]
    assert "is a Saturday, which no clock counts" in reasons["a Saturday"]
    assert "is a Sunday" in reasons["a closure on a Sunday"]
    assert "bank holiday in England" in reasons["a closure on Boxing Day"]
    # Where the day is a holiday in only some of the nations named, it is added for the others.
    services.calendar.add_bank_holiday(admin, date(2026, 11, 30), "St Andrew's Day", nations=(Nation.SCT, Nation.ENG))
    assert [o.day for o in services.calendar.overrides(admin)] == [date(2026, 11, 30)]


def test_a_new_holidays_version_is_noticed_and_recomputed(services, admin):
    world = make_world(services, admin)
    si = services.incidents.save(admin, draft(world, date(2023, 6, 1)), today=date(2023, 6, 1))
    with services.ctx.begin() as s:
        services.ctx.set_setting(s, "calendar.holidays_version", "0.50")
        s.execute(SeriousIncident.__table__.update().values(steis_due=date(2023, 6, 2)))  # as an old version had it
    assert services.calendar.stale_holidays_version() == "0.50"
    assert services.calendar.recompute(admin) == 1
    assert services.calendar.stale_holidays_version() is None
    with services.db.sessions() as s:
        assert s.get(SeriousIncident, si.row.id).steis_due == date(2023, 6, 5)
    entry = _audit(services)[-1]
    assert entry.action == "calendar.recompute"
    assert entry.changes["holidays_version"] == ["0.50", calendars.holidays_version()]
