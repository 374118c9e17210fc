"""Statutory and policy clocks for complaints, FOI and EIR (SPEC Part E, clocks C1–C16).

Each clock function returns a ``Due`` that explains itself: day 0 and why, the calendar, every
non-working day skipped (with its name and the nation it comes from), pauses, extensions and the
resulting due date — the "why this date?" panel and ``riskdesk deadline`` print it as it is.

Corporate-complaint timings come from rule sets, data versioned by the date they come into
force (``RULE_SETS``); a case uses the rule set in force on its receipt date unless one is named.

One module rather than a package: the clocks are small functions over one ``Due`` type and one
rule-set table; the records, services and reports that use them live elsewhere.
"""

from __future__ import annotations

import calendar as _monthcal
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from riskdesk.domain.calendars import CalendarId, SkippedDay, fmt_day, get
from riskdesk.domain.errors import ValidationError

#: Working days left at or below which an open clock is "due soon" (as the SI log).
DUE_SOON_DAYS = 5
#: Working days after a clarification was sought with no answer before a request lapses [U].
CLARIFICATION_LAPSE_DAYS = 60


class ClockState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"

    @property
    def label(self) -> str:
        return {"on_track": "On track", "due_soon": "Due soon", "overdue": "Overdue", "met": "Met",
                "met_late": "Met late"}[self.value]


# -- rule sets (data, versioned by the date they come into force) ---------------------------------------


class Basis(StrEnum):
    """What a response clock counts from."""

    RECEIVED = "received"  # receipt of the complaint / the escalation request
    ACKNOWLEDGED = "acknowledged"  # the acknowledgement (or the acknowledgement due date if later)


@dataclass(frozen=True)
class StageRule:
    """One stage's timings under a rule set (working days; None = the rule set sets none)."""

    ack_days: int | None
    response_days: int
    response_from: Basis
    extension_days: int  # the most an extension may add without "good reason" (0 = none)
    kpi_days: tuple[int, ...] = ()  # local KPI marks printed beside the due date
    citation: str = ""


@dataclass(frozen=True)
class RuleSet:
    code: str
    title: str
    in_force_from: date | None  # None: never chosen by date (a draft), only by name
    stage1: StageRule
    stage2: StageRule
    source: str


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        "RS-LOCAL-2023", "Council complaints policy 2023/24", date.min,
        StageRule(None, 40, Basis.RECEIVED, 0, (10, 20), "policy maximum of 40 working days (004:217); KPI 10/20"),
        StageRule(None, 20, Basis.RECEIVED, 0, (), "up to 20 working days (004:228)"),
        "council policy; applies to complaints received before the Code was adopted",
    ),
    RuleSet(
        "RS-CODE-DRAFT-2023", "Joint Complaint Handling Code, consultation draft (Nov 2023)", None,
        StageRule(5, 10, Basis.RECEIVED, 10, (), "Code 6.2-6.4 (draft): 10 WD from receipt, +10 WD"),
        StageRule(5, 20, Basis.RECEIVED, 20, (), "Code 6.13-6.19 (draft): 20 WD from the request, +20 WD"),
        "000:1538-1977",
    ),
    RuleSet(
        "RS-CODE-2024", "Joint Complaint Handling Code (final, Feb 2024)", date(2024, 4, 1),
        StageRule(5, 10, Basis.ACKNOWLEDGED, 10, (), "Code 2024: 10 WD from acknowledgement, +10 WD"),
        StageRule(5, 20, Basis.ACKNOWLEDGED, 20, (), "Code 2024: 20 WD from acknowledgement, +20 WD"),
        "LGSCO Code Feb 2024; councils from 1 Apr 2024, LGSCO casework from 1 Apr 2026 (001:35)",
    ),
)


def rule_set(code: str) -> RuleSet:
    for rs in RULE_SETS:
        if rs.code == code.upper():
            return rs
    raise ValidationError("rule set", code, "is not known; use one of " + ", ".join(r.code for r in RULE_SETS))


def rule_set_for(received: date) -> RuleSet:
    """The rule set in force on ``received`` (the latest to have come into force by then)."""
    dated = [rs for rs in RULE_SETS if rs.in_force_from is not None and rs.in_force_from <= received]
    return max(dated, key=lambda rs: rs.in_force_from or date.min)


# -- the explained due date ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pause:
    """Days the clock did not run, and how many working days that disregards."""

    start: date
    end: date
    working_days: int
    reason: str

    @property
    def text(self) -> str:
        return (f"{fmt_day(self.start)} to {fmt_day(self.end)}: {self.reason}; "
                f"{self.working_days} working day{'s' if self.working_days != 1 else ''} disregarded")


@dataclass(frozen=True)
class Due:
    """A due date and why it is that date.

    Attributes:
        clock: the SPEC clock id ("C13").
        title: what is due ("FOIA response").
        calendar: the working-day calendar counted on.
        day0: the date counting starts after; ``day0_reason`` says why that date.
        working_days: the clock's length in working days (before pauses).
        base_due: the due date without any extension.
        due: the due date in force (the extended date when an extension applies).
        maximum: the latest date an extension may reach, or None when there is none.
        extended: ``due`` comes from an extension.
        pauses: periods disregarded (fee notices).
        skipped: the non-working days from day 0 to ``due``; ``skipped_to_maximum`` those after it.
        marks: other dates worth showing ("KPI 10 working days", "s.17 notice by").
        notes: anything else the reader should know (a warning is a note starting "Warning:").
    """

    clock: str
    title: str
    source: str
    calendar: CalendarId
    day0: date
    day0_reason: str
    working_days: int
    base_due: date
    due: date
    maximum: date | None = None
    extended: bool = False
    rule_set: str = ""
    pauses: tuple[Pause, ...] = ()
    skipped: tuple[SkippedDay, ...] = ()
    skipped_to_maximum: tuple[SkippedDay, ...] = ()
    marks: tuple[tuple[str, date], ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def disregarded(self) -> int:
        return sum(p.working_days for p in self.pauses)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n for n in self.notes if n.startswith("Warning:"))

    def taken(self, done_on: date) -> int:
        """Working days taken from day 0 to ``done_on`` on the clock's calendar, pauses disregarded."""
        cal = get(self.calendar)
        days = cal.working_days_between(self.day0, done_on)
        for p in self.pauses:
            if p.start <= done_on:
                days -= _working_days_in(self.calendar, max(p.start, self.day0 + timedelta(days=1)),
                                         min(p.end, done_on))
        return days

    def state(self, today: date, done_on: date | None = None, due_soon_days: int = DUE_SOON_DAYS) -> ClockState:
        return clock_state(self.calendar, self.due, today, done_on, due_soon_days)

    def lines(self) -> Iterator[str]:
        """The explanation, one line each, as "why this date?" prints it."""
        length = f": {self.working_days} working days" if self.working_days else ""
        yield f"{self.clock} {self.title}{length} ({self.source})"
        if self.rule_set:
            rs = rule_set(self.rule_set)
            yield f"rule set: {rs.code} — {rs.title}"
        yield f"calendar: {self.calendar.value} — {self.calendar.label}"
        yield f"day 0: {_long(self.day0)} — {self.day0_reason}"
        for p in self.pauses:
            yield f"pause: {p.text}"
        named = [s for s in self.skipped if s.names]
        weekend = sum(1 for s in self.skipped if not s.names)
        if named or weekend:
            yield "non-working days skipped:"
            for s in named:
                yield f"  {s.text}"
            if weekend:
                yield f"  {weekend} Saturdays and Sundays"
        if self.extended:
            yield f"due without extension: {_long(self.base_due)}"
        yield f"due: {_long(self.due)}" + (" (extended)" if self.extended else "")
        for label, day in self.marks:
            yield f"{label}: {_long(day)}"
        if self.maximum is not None and not self.extended:
            yield f"longest extension: {_long(self.maximum)}"
            for s in self.skipped_to_maximum:
                if s.names:
                    yield f"  {s.text}"
        for note in self.notes:
            yield f"note: {note}" if not note.startswith("Warning:") else note


def _long(day: date) -> str:
    return f"{day:%a} {fmt_day(day)}"


def _working_days_in(cal: CalendarId, first: date, last: date) -> int:
    """Working days from ``first`` to ``last`` inclusive (0 when ``last`` is before ``first``)."""
    if last < first:
        return 0
    return get(cal).working_days_between(first - timedelta(days=1), last)


def _due(clock: str, title: str, source: str, cal: CalendarId, day0: date, day0_reason: str, n: int, *,
         extra: int | None = None, extended: bool = False, pauses: tuple[Pause, ...] = (), rule_set: str = "",
         marks: tuple[tuple[str, date], ...] = (), notes: tuple[str, ...] = ()) -> Due:
    c = get(cal)
    disregarded = sum(p.working_days for p in pauses)
    base = c.add_working_days(day0, n + disregarded)
    maximum = c.add_working_days(base, extra) if extra else None
    due = maximum if (extended and maximum is not None) else base
    return Due(
        clock, title, source, cal, day0, day0_reason, n, base, due, maximum, bool(extended and maximum),
        rule_set, pauses, c.skipped_between(day0, due),
        c.skipped_between(due, maximum) if maximum and not extended else (), marks, notes,
    )


def clock_state(cal: CalendarId | str, due: date, today: date, done_on: date | None = None,
                due_soon_days: int = DUE_SOON_DAYS) -> ClockState:
    """on_track / due_soon / overdue for an open clock; met / met_late once done."""
    if done_on is not None:
        return ClockState.MET if done_on <= due else ClockState.MET_LATE
    left = get(cal).working_days_between(today, due)
    if left < 0:
        return ClockState.OVERDUE
    return ClockState.DUE_SOON if left <= due_soon_days else ClockState.ON_TRACK


def add_months(day: date, months: int) -> date:
    """The same date ``months`` later, clamped to the end of a shorter month (31 Aug + 6 → 28/29 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, _monthcal.monthrange(year, month)[1]))


def _require_order(first_label: str, first: date, later_label: str, later: date) -> None:
    if later < first:
        raise ValidationError(later_label, later.isoformat(), f"is before the {first_label} ({first.isoformat()})")


# -- FOI and EIR (UK_ANY) -------------------------------------------------------------------------------

_FOI = CalendarId.UK_ANY


def _effective_receipt(received: date, clarification_sought: date | None, clarified: date | None,
                       lapse_days: int) -> tuple[date, str, list[str]]:
    notes: list[str] = []
    if clarified is not None:
        _require_order("date of receipt", received, "clarification received", clarified)
        if clarification_sought is not None:
            _require_order("date clarification was sought", clarification_sought, "clarification received", clarified)
        return (clarified, f"clarification received (the clock restarts; s.1(3)); request received {fmt_day(received)}",
                notes)
    if clarification_sought is not None:
        _require_order("date of receipt", received, "clarification sought", clarification_sought)
        lapse = get(_FOI).add_working_days(clarification_sought, lapse_days)
        notes.append(f"clarification sought {fmt_day(clarification_sought)}: the clock stops until it arrives "
                     f"and restarts from its receipt; with no answer the request lapses after {_long(lapse)} "
                     f"({lapse_days} working days)")
    reason = "date of receipt"
    if not get(_FOI).is_working_day(received):
        reason += f" (a non-working day: day 1 is {_long(get(_FOI).add_working_days(received, 1))})"
    return received, reason, notes


def _fee_pause(day0: date, fee_requested: date | None, fee_received: date | None) -> tuple[Pause, ...]:
    if fee_requested is None and fee_received is None:
        return ()
    if fee_requested is None:
        raise ValidationError("fee received", fee_received, "needs the date the fees notice was given")
    if fee_received is None:
        raise ValidationError("fees notice", fee_requested,
                              "stops the clock until the fee arrives: give the date the fee was received")
    _require_order("fees notice date", fee_requested, "fee received", fee_received)
    _require_order("date of receipt", day0, "fees notice", fee_requested)
    # s.10(2): the working days from the day the notice is given to the day the fee is received
    # are disregarded (day 0 itself is never counted, so it is never disregarded either).
    n = _working_days_in(_FOI, max(fee_requested, day0 + timedelta(days=1)), fee_received)
    return (Pause(fee_requested, fee_received, n, "fees notice given until the fee was received (s.10(2))"),)


def foia_response(received: date, *, clarification_sought: date | None = None, clarified: date | None = None,
                  fee_requested: date | None = None, fee_received: date | None = None,
                  pit_extended: bool = False, pit_notice_on: date | None = None,
                  lapse_days: int = CLARIFICATION_LAPSE_DAYS) -> Due:
    """C13: FOIA s.10(1), 20 working days (any-UK calendar), with clarification, fee and PIT rules."""
    day0, reason, notes = _effective_receipt(received, clarification_sought, clarified, lapse_days)
    pauses = _fee_pause(day0, fee_requested, fee_received)
    probe = _due("C13", "FOIA response", "FOIA s.10(1)", _FOI, day0, reason, 20, pauses=pauses)
    marks: tuple[tuple[str, date], ...] = ()
    if pit_extended or pit_notice_on:
        marks = (("s.17 refusal notice due by", probe.base_due),)
        if pit_notice_on is not None and pit_notice_on > probe.base_due:
            notes.append(f"Warning: the s.17 notice ({fmt_day(pit_notice_on)}) was given after the 20th working "
                         f"day ({fmt_day(probe.base_due)}); the request was late")
        notes.append("public-interest extension: no more than 20 further working days (ICO practice); "
                     "beyond it the case needs a comply-or-explain entry")
    eng = get(CalendarId.ENG).add_working_days(day0, 20 + sum(p.working_days for p in pauses))
    if eng != probe.base_due:
        notes.append(f"an England-only calendar would give {_long(eng)}: wrong for FOI, which skips bank "
                     "holidays in every part of the UK (s.10(6))")
    return _due("C13", "FOIA response", "FOIA s.10(1)", _FOI, day0, reason, 20, extra=20,
                extended=pit_extended or pit_notice_on is not None, pauses=pauses, marks=marks, notes=tuple(notes))


def eir_response(received: date, *, clarification_sought: date | None = None, clarified: date | None = None,
                 extended: bool = False, extension_notified_on: date | None = None,
                 lapse_days: int = CLARIFICATION_LAPSE_DAYS) -> Due:
    """C14: EIR reg 5(2), 20 working days; reg 7 extension to 40 if notified within the 20."""
    day0, reason, notes = _effective_receipt(received, clarification_sought, clarified, lapse_days)
    base = get(_FOI).add_working_days(day0, 20)
    if extension_notified_on is not None:
        if extension_notified_on > base:
            raise ValidationError(
                "EIR extension notified", extension_notified_on.isoformat(),
                f"is too late: a reg 7 extension must be notified within 20 working days (by {base.isoformat()})")
        extended = True
    marks = (("reg 7 extension to be notified by", base),) if extended else ()
    if extended:
        notes.append("reg 7(1): extended to 40 working days for the complexity and volume of the information")
    return _due("C14", "EIR response", "EIR reg 5(2)", _FOI, day0, reason, 20, extra=20, extended=extended,
                marks=marks, notes=tuple(notes))


def foia_internal_review(requested: date, *, extended: bool = False) -> Due:
    """C15: FOIA internal review, 20 working days, exceptionally 40 (s.45 Code of Practice)."""
    notes = ("an extension beyond 20 working days needs a recorded reason",) if extended else ()
    return _due("C15", "FOIA internal review", "s.45 Code of Practice", _FOI, requested, "review requested", 20,
                extra=20, extended=extended, notes=notes)


def eir_reconsideration(requested: date, *, response_sent_on: date | None = None) -> Due:
    """C16: EIR reg 11 reconsideration, 40 working days; representations due within 40 of the response."""
    notes: tuple[str, ...] = ()
    if response_sent_on is not None:
        last = get(_FOI).add_working_days(response_sent_on, 40)
        if requested > last:
            notes = (f"Warning: requested after {fmt_day(last)}, more than 40 working days after the response "
                     "(reg 11(2)); the council may decline it",)
    return _due("C16", "EIR reconsideration", "EIR reg 11(4)", _FOI, requested, "representations received", 40,
                notes=notes)


# -- corporate complaints (rule sets; COMPLAINTS calendar) -----------------------------------------------

_CMP = CalendarId.COMPLAINTS


def _rs(received: date, code: str | None) -> RuleSet:
    return rule_set(code) if code else rule_set_for(received)


def complaint_ack(received: date, *, stage: int = 1, rule_set_code: str | None = None,
                  case_received: date | None = None) -> Due | None:
    """C1 (stage 1) / C3 (stage 2): acknowledgement, 5 working days; None when the rule set sets none.

    ``received`` is the complaint's receipt (stage 1) or the escalation request (stage 2);
    ``case_received`` picks the rule set for stage 2 (the complaint's receipt date).
    """
    rs = _rs(case_received or received, rule_set_code)
    rule = rs.stage1 if stage == 1 else rs.stage2
    if rule.ack_days is None:
        return None
    clock, what = ("C1", "complaint received") if stage == 1 else ("C3", "escalation to stage 2 requested")
    return _due(clock, f"corporate complaint stage {stage} acknowledgement", "Code 6.2" if stage == 1 else "Code 6.13",
                _CMP, received, what, rule.ack_days, rule_set=rs.code)


def complaint_response(received: date, *, stage: int = 1, acknowledged_on: date | None = None,
                       rule_set_code: str | None = None, extended: bool = False,
                       case_received: date | None = None) -> Due:
    """C2 (stage 1) / C4 (stage 2): the response, counted from receipt or acknowledgement by rule set."""
    if stage not in (1, 2):
        raise ValidationError("stage", stage, "must be 1 or 2 for a corporate complaint")
    rs = _rs(case_received or received, rule_set_code)
    rule = rs.stage1 if stage == 1 else rs.stage2
    what = "complaint received" if stage == 1 else "escalation to stage 2 requested"
    day0, reason = received, what
    if rule.response_from is Basis.ACKNOWLEDGED:
        ack = complaint_ack(received, stage=stage, rule_set_code=rs.code)
        assert ack is not None  # a rule set counting from acknowledgement always sets one
        if acknowledged_on is not None and acknowledged_on <= ack.due:
            _require_order("date received", received, "acknowledged", acknowledged_on)
            day0, reason = acknowledged_on, f"acknowledged ({what} {fmt_day(received)})"
        else:
            day0 = ack.due
            reason = (f"acknowledgement due date ({what} {fmt_day(received)}; "
                      + ("acknowledged late, so the clock runs from the date it was due)"
                         if acknowledged_on else "not yet acknowledged)"))
    c = get(_CMP)
    marks = tuple((f"KPI {k} working days", c.add_working_days(day0, k)) for k in rule.kpi_days)
    return _due("C2" if stage == 1 else "C4", f"corporate complaint stage {stage} response", rule.citation, _CMP,
                day0, reason, rule.response_days, extra=rule.extension_days or None, extended=extended,
                rule_set=rs.code, marks=marks)


# -- statutory social care (COMPLAINTS calendar) ------------------------------------------------------------


def asc_ack(received: date) -> Due:
    """C5: adult social care acknowledgement and offer to discuss, 3 working days [U]."""
    return _due("C5", "adult social care acknowledgement", "SI 2009/309 (3 working days)", _CMP, received,
                "complaint received", 3)


def asc_response(received: date, *, agreed_until: date | None = None) -> Due:
    """C6: adult social care response within 6 months of receipt (or a longer agreed period).

    The local target (20 WD) and local maximum (65 WD) are marks beside it.
    """
    c = get(_CMP)
    six_months = add_months(received, 6) - timedelta(days=1)
    marks = (("local target, 20 working days", c.add_working_days(received, 20)),
             ("local maximum, 65 working days", c.add_working_days(received, 65)))
    notes = ["6 months beginning with the day of receipt: the day before the same date six months later "
             "(clamped to month end) [convention not verified]"]
    due, extended = six_months, False
    if agreed_until is not None:
        _require_order("date received", received, "agreed response date", agreed_until)
        due, extended = agreed_until, True
        notes.append("a longer period agreed with the complainant before the 6 months expired")
    return Due("C6", "adult social care response", "SI 2009/309 (6 months)", _CMP, received, "complaint received",
               0, six_months, due, None, extended, "", (), (), (), marks, tuple(notes))


def csc_response(start: date, *, stage: int = 1, extended: bool = False) -> Due:
    """C7 (stage 1: 10 WD, at most 20) / C8 (stage 2: 25 WD from the agreed statement, at most 65)."""
    if stage == 1:
        return _due("C7", "children's social care stage 1 response", "SI 2006/1738; 10 WD, at most 20", _CMP,
                    start, "complaint received", 10, extra=10, extended=extended)
    if stage == 2:
        return _due("C8", "children's social care stage 2 response", "SI 2006/1738; 25 WD, at most 65", _CMP,
                    start, "complaint statement agreed (or stage 2 requested)", 25, extra=40, extended=extended)
    raise ValidationError("stage", stage, "use csc_panel for stage 3")


def csc_panel(requested: date, *, met_on: date | None = None, report_on: date | None = None) -> Due:
    """C9: the stage 3 review panel meets within 30 WD; report within 5 WD of it; response 15 WD after."""
    c = get(_CMP)
    meeting = c.add_working_days(requested, 30)
    report_by = c.add_working_days(met_on or meeting, 5)
    marks = (("panel report due (5 working days after the meeting)", report_by),
             ("council's response due (15 working days after the report)",
              c.add_working_days(report_on or report_by, 15)))
    return _due("C9", "children's social care stage 3 panel meeting", "SI 2006/1738 reg 19(4)", _CMP, requested,
                "panel requested", 30, marks=marks)


def lgsco_time_limit(aware_on: date) -> Due:
    """C12: 12 months to complain to the Ombudsman (s.26B LGA 1974); information, never enforced."""
    last = add_months(aware_on, 12) - timedelta(days=1)
    return Due("C12", "time to complain to the Ombudsman", "LGA 1974 s.26B (12 months)", CalendarId.ENG, aware_on,
               "first had notice of the matter", 0, last, last, None, False, "", (), (), (), (),
               ("the Ombudsman may accept a later complaint at its discretion",))


def typed_due(clock: str, title: str, start: date, due: date, *, extended_to: date | None = None) -> Due:
    """C10/C11/C17: a due date typed from a letter (Ombudsman, ICO), with any agreed extension."""
    _require_order("start date", start, "due date", due)
    cal = get(CalendarId.ENG)
    final = extended_to or due
    return Due(clock, title, "date set in the letter", CalendarId.ENG, start, "letter dated", 0, due, final, None,
               extended_to is not None, "", (), cal.skipped_between(start, final), (), (),
               (f"{cal.working_days_between(start, final)} working days from the letter",))
