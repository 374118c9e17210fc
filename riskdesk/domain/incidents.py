"""Serious incidents (SIs) in commissioned public-health services, seen from the commissioner's side.

Pure rules and frozen rows: frameworks and their clocks in working days, the status workflow,
the patient-identifiable-data check and the monthly counts of the annual report. No database.

Clocks (working days skip weekends and English bank holidays):

* SIF 2015 – StEIS report within 2 working days of identification, initial review within 3
  working days of identification, investigation report within 60 working days of reporting.
* PSIRF – the learning response is due on the date agreed for the case.

The report clock may be extended, but only with a recorded reason and a new due date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

from riskdesk.domain import calendars
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.workdays import add_working_days

# -- vocabularies ----------------------------------------------------------------------------------


class Framework(StrEnum):
    SIF_2015 = "sif_2015"
    PSIRF = "psirf"

    @property
    def label(self) -> str:
        return {"sif_2015": "SIF 2015", "psirf": "PSIRF"}[self.value]


class LearningResponse(StrEnum):
    PSII = "psii"
    AFTER_ACTION_REVIEW = "after_action_review"
    SWARM_HUDDLE = "swarm_huddle"
    MDT_REVIEW = "mdt_review"
    THEMATIC_REVIEW = "thematic_review"

    @property
    def label(self) -> str:
        return {
            "psii": "Patient safety incident investigation (PSII)",
            "after_action_review": "After-action review",
            "swarm_huddle": "SWARM huddle",
            "mdt_review": "MDT review",
            "thematic_review": "Thematic review",
        }[self.value]


class Status(StrEnum):
    REPORTED = "reported"
    UNDER_INVESTIGATION = "under_investigation"
    REPORT_RECEIVED = "report_received"
    ACTION_PLAN = "action_plan"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "reported": "Reported",
            "under_investigation": "Under investigation",
            "report_received": "Report received",
            "action_plan": "Action plan",
            "closed": "Closed",
        }[self.value]

    @property
    def step(self) -> int:
        return list(Status).index(self)


def allowed_statuses(current: Status) -> tuple[Status, ...]:
    """The statuses an SI may move to from ``current``: itself, the next step, or one step back.

    Going back one step corrects a mistake or reopens a closed SI; skipping steps is refused,
    because each step is something the commissioner has to see happen.
    """
    order = list(Status)
    i = order.index(current)
    out = [current]
    if i + 1 < len(order):
        out.append(order[i + 1])
    if i > 0:
        out.append(order[i - 1])
    return tuple(sorted(out, key=lambda s: s.step))


#: Suggested categories (the field is free text, these fill its drop-down).
CATEGORIES = (
    "Unexpected death of a service user",
    "Drug-related death",
    "Medication incident",
    "Communication failure",
    "Safeguarding concern",
    "Information governance breach",
    "Delayed or missed diagnosis",
    "Treatment delay",
    "Other",
)


class ClockKind(StrEnum):
    STEIS = "steis"
    INITIAL_REVIEW = "initial_review"
    REPORT = "report"

    @property
    def label(self) -> str:
        return {
            "steis": "StEIS report",
            "initial_review": "Initial review",
            "report": "Investigation report",
        }[self.value]


class ClockBand(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"

    @property
    def label(self) -> str:
        return {"on_track": "On track", "due_soon": "Due soon", "overdue": "Overdue", "met": "Met"}[self.value]


#: A clock is "due soon" when this many working days or fewer are left.
DUE_SOON_DAYS = 5
SIF_STEIS_DAYS = 2
SIF_INITIAL_REVIEW_DAYS = 3
SIF_REPORT_DAYS = 60
#: SI clocks count English working days (with the administrator's calendar overrides).
SI_CALENDAR = calendars.CalendarId.ENG

# -- fast working-day arithmetic ---------------------------------------------------------------------
# The SI list computes three clocks for each of 100,000 rows; the shared calendar module keeps a
# running count of working days per year, so each count is two lookups (same answers as the walk).


def working_day_number(day: date) -> int:
    """A running count of working days, so that the difference of two is the days between them."""
    return calendars.get(SI_CALENDAR).working_day_number(day)


def working_days_until(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

    Equal to ``workdays.working_days_between`` but constant time.
    """
    return calendars.get(SI_CALENDAR).working_days_between(start, end)


# -- clocks ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # slots: one per SI in a list of 100,000
class Clock:
    """One deadline of an SI as the commissioner tracks it.

    Attributes:
        kind: which deadline.
        due: the due date (after any extension).
        done_on: when it was met, or None while open.
        days_left: working days from today to ``due`` (negative = overdue); for a met clock,
            working days from ``done_on`` to ``due`` (negative = it was met late).
        band: on track, due soon (≤ 5 working days), overdue or met.
        extended: the due date comes from an extension.
    """

    kind: ClockKind
    due: date
    done_on: date | None
    days_left: int
    band: ClockBand
    extended: bool = False

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def summary(self) -> str:
        """"Due 12/03/2023 · 4 working days left" and the like."""
        due = self.due.strftime("%d/%m/%Y")
        if self.band is ClockBand.MET and self.done_on is not None:
            late = f", {-self.days_left} working days late" if self.days_left < 0 else ""
            return f"Met {self.done_on.strftime('%d/%m/%Y')} (due {due}{late})"
        if self.days_left < 0:
            n = -self.days_left
            return f"Overdue by {n} working day{'s' if n != 1 else ''} (due {due})"
        if self.days_left == 0:
            return f"Due today ({due})"
        return f"Due {due} · {self.days_left} working day{'s' if self.days_left != 1 else ''} left"


def make_clock(kind: ClockKind, due: date, done_on: date | None, today: date, *, extended: bool = False) -> Clock:
    """The clock due on ``due``, met on ``done_on`` (None while open), seen on ``today``."""
    return _make_clock(kind, due, done_on, today, extended, calendars.get(SI_CALENDAR))


# Many SIs share due dates, so the same clock recurs: caching it saves seconds on 100,000 rows.
# The calendar is part of the key: a calendar override installs new calendar objects, so no
# clock cached before it is reused after it.
@lru_cache(maxsize=65536)
def _make_clock(kind: ClockKind, due: date, done_on: date | None, today: date, extended: bool,
                cal: calendars.Calendar) -> Clock:
    if done_on is not None:
        return Clock(kind, due, done_on, cal.working_days_between(done_on, due), ClockBand.MET, extended)
    left = cal.working_days_between(today, due)
    if left < 0:
        band = ClockBand.OVERDUE
    elif left <= DUE_SOON_DAYS:
        band = ClockBand.DUE_SOON
    else:
        band = ClockBand.ON_TRACK
    return Clock(kind, due, None, left, band, extended)


@dataclass(frozen=True)
class DueDates:
    """The due dates an SI's clocks run to, as the service stores them."""

    steis: date | None
    initial_review: date | None
    report: date | None


def base_report_due(framework: Framework, reported_on: date, agreed_due: date | None) -> date | None:
    """The report clock's due date before any extension."""
    if framework is Framework.SIF_2015:
        return add_working_days(reported_on, SIF_REPORT_DAYS)
    return agreed_due


def due_dates(framework: Framework, identified_on: date, reported_on: date, agreed_due: date | None,
              extended_to: date | None = None) -> DueDates:
    """The due dates of every clock; ``extended_to`` is the newest extension's date, if any."""
    if framework is Framework.SIF_2015:
        return DueDates(
            add_working_days(identified_on, SIF_STEIS_DAYS),
            add_working_days(identified_on, SIF_INITIAL_REVIEW_DAYS),
            extended_to or add_working_days(reported_on, SIF_REPORT_DAYS),
        )
    return DueDates(None, None, extended_to or agreed_due)


def clocks_for(dues: DueDates, *, steis_reported_on: date | None, initial_review_on: date | None,
               report_received_on: date | None, closed_on: date | None, today: date,
               extended: bool = False) -> tuple[Clock, ...]:
    """The SI's clocks, in order. A closed SI's open clocks count as met on the closure date."""
    out = []
    for kind, due, done in (
        (ClockKind.STEIS, dues.steis, steis_reported_on),
        (ClockKind.INITIAL_REVIEW, dues.initial_review, initial_review_on),
        (ClockKind.REPORT, dues.report, report_received_on),
    ):
        if due is None:
            continue
        out.append(make_clock(kind, due, done or closed_on, today, extended=extended and kind is ClockKind.REPORT))
    return tuple(out)


def most_pressing(clocks: Iterable[Clock]) -> Clock | None:
    """The open clock with the fewest working days left, else None."""
    open_ = [c for c in clocks if c.band is not ClockBand.MET]
    return min(open_, key=lambda c: c.days_left) if open_ else None


# -- patient-identifiable data ----------------------------------------------------------------------

# Text is normalised before matching, keeping each character's position in what was typed,
# so a finding quotes the user's own text: full-width and Arabic-Indic (any Unicode) digits
# become 0-9, non-breaking and other Unicode spaces become a space, zero-width characters
# vanish, Unicode dashes become "-", full-width punctuation its ASCII form.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f")
_SLASHES = {"\u2044": "/", "\u2215": "/", "\uff0f": "/"}
#: Digits belong to one number when at most this many separators ( . - / and spaces) part them.
_SEPARATORS = r"[ .\-/]{1,3}"
_DIGIT_RUN = re.compile(rf"\d+(?:{_SEPARATORS}\d+)*")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = (
    rf"(?:\d{{1,2}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+(?:\d{{4}}|'?\d{{2}})(?!\d)"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:{_MONTHS})\.?,?\s+(?:19|20)\d{{2}}"
    rf"|(?:19|20)\d{{2}}(?!\d))"
)
_DOB_KEYWORD = r"(?:d\s?\.?\s?o\s?\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|year\s+of\s+birth|\by\.?o\.?b\b\.?)"
_DOB_LEAD = rf"(?:{_DOB_KEYWORD}|\bborn\b|\bbirthday\b|\bb'?day\b)"
_DOB_WITH_DATE = re.compile(
    rf"{_DOB_LEAD}\s*[:\-=,]?\s*(?:(?:is|was|on|in|the|of|at|:)\s*){{0,3}}{_DATE}", re.IGNORECASE)
_DOB_KEYWORD_ALONE = re.compile(rf"\b{_DOB_KEYWORD}", re.IGNORECASE)


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` in the matching form, and for each of its characters the index it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            mapped = str(digit)
        elif ch in _SLASHES:
            mapped = _SLASHES[ch]
        elif ch.isspace():
            mapped = " "
        elif unicodedata.category(ch) == "Pd" or ch == "\u2212":
            mapped = "-"
        else:
            mapped = unicodedata.normalize("NFKC", ch)
        for m in mapped:
            out.append(m)
            where.append(i)
    return "".join(out), where


def _digit_groups(run: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\d+", run)]


def _nhs_candidates(norm: str) -> list[tuple[int, int]]:
    """Spans of ten digits (in whole groups) that could be an NHS number however they are spaced.

    A run longer than ten digits (an NHS number then a date, say) is searched for ten digits in
    whole groups that start and end at a space, so a phone number (11 digits) never yields one.
    """
    spans: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(norm):
        groups = [(m.start() + a, m.start() + b) for a, b in _digit_groups(m.group(0))]
        total = sum(b - a for a, b in groups)
        if total == 10:
            spans.append((m.start(), m.end()))
            continue
        if total < 10:
            continue
        for i in range(len(groups)):
            count = 0
            for j in range(i, len(groups)):
                count += groups[j][1] - groups[j][0]
                if count > 10:
                    break
                if count == 10:
                    start, end = groups[i][0], groups[j][1]
                    left_ok = i == 0 or " " in norm[groups[i - 1][1]:start]
                    right_ok = j == len(groups) - 1 or " " in norm[end:groups[j + 1][0]]
                    if left_ok and right_ok:
                        spans.append((start, end))
    return spans


def nhs_number_valid(text: str) -> bool:
    """True when ``text`` holds 10 digits (spaces, dots, dashes or slashes between) passing modulus 11."""
    norm, _ = _normalise(text)
    digits = [int(c) for c in norm if c.isdigit()]
    if len(digits) != 10 or any(c not in "0123456789 -./" for c in norm):
        return False
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


class PidKind(StrEnum):
    NHS_NUMBER = "nhs_number"
    DATE_OF_BIRTH = "date_of_birth"

    @property
    def label(self) -> str:
        return {"nhs_number": "NHS number", "date_of_birth": "date of birth"}[self.value]

    @property
    def with_article(self) -> str:
        return {"nhs_number": "an NHS number", "date_of_birth": "a date of birth"}[self.value]


@dataclass(frozen=True)
class PidFinding:
    """Text that looks like patient-identifiable data.

    Attributes:
        field: the field as the user sees it ("description", "action 2").
        text: the matched text.
        kind: what it looks like.
    """

    field: str
    text: str
    kind: PidKind

    def __str__(self) -> str:
        return f"{self.field}: “{self.text}” looks like {self.kind.with_article}"


def find_pid(fields: Mapping[str, str | None]) -> list[PidFinding]:
    """Everything in ``fields`` (name → free text) that looks like an NHS number or a date of birth."""
    out: list[PidFinding] = []
    for name, text in fields.items():
        if not text:
            continue
        norm, where = _normalise(text)

        def typed(a: int, b: int, norm: str = norm, where: list[int] = where, text: str = text) -> str:
            return text[where[a]:where[b - 1] + 1].strip()  # the user's own characters

        for a, b in _nhs_candidates(norm):
            if nhs_number_valid(norm[a:b]):
                out.append(PidFinding(name, typed(a, b), PidKind.NHS_NUMBER))
        spans: list[tuple[int, int]] = []
        for m in _DOB_WITH_DATE.finditer(norm):
            out.append(PidFinding(name, typed(*m.span()), PidKind.DATE_OF_BIRTH))
            spans.append(m.span())
        for m in _DOB_KEYWORD_ALONE.finditer(norm):
            if not any(a <= m.start() < b for a, b in spans):
                out.append(PidFinding(name, typed(*m.span()), PidKind.DATE_OF_BIRTH))
    return out


class PidWarning(ValidationError):
    """Free text looks like patient-identifiable data; save again with confirmation if it is not."""

    def __init__(self, findings: Sequence[PidFinding]) -> None:
        self.findings = tuple(findings)
        first = self.findings[0]
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        super().__init__(first.field, first.text,
                         f"looks like {first.kind.with_article}{more}. SI records must not hold patient-identifiable "
                         "data: remove it, or confirm that it is not patient data")


# -- rows handed to the window --------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    id: int | None
    description: str
    owner: str = ""
    due_on: date | None = None
    completed_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    def overdue(self, today: date) -> bool:
        return self.completed_on is None and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class ReviewRow:
    id: int | None
    reviewed_on: date
    reviewer: str
    notes: str


@dataclass(frozen=True)
class ExtensionRow:
    """A recorded extension of the report clock (kept for ever, audited)."""

    id: int | None
    previous_due: date | None
    new_due: date
    reason: str
    recorded_by: str = ""
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class RiskLink:
    risk_id: int
    ref: str
    register_name: str
    description: str

    @property
    def label(self) -> str:
        text = " ".join(self.description.split())
        return f"{self.register_name} {self.ref}: {text[:90]}{'…' if len(text) > 90 else ''}"


@dataclass(frozen=True, slots=True)  # slots: no per-row dict in a list of 100,000 SIs
class IncidentRow:
    """One SI in the list (no children), with its clocks worked out for ``today``."""

    id: int
    reference: str
    provider_id: int
    provider_name: str
    service_id: int
    service_name: str
    occurred_on: date | None
    identified_on: date
    reported_on: date
    category: str
    description: str
    external_ref: str
    framework: Framework
    learning_response: LearningResponse | None
    status: Status
    closed_on: date | None
    clocks: tuple[Clock, ...]
    open_actions: int = 0
    overdue_actions: int = 0
    version: int = 1

    @property
    def next_clock(self) -> Clock | None:
        return most_pressing(self.clocks)

    @property
    def overdue(self) -> bool:
        """Any clock or action overdue."""
        return self.overdue_actions > 0 or any(c.band is ClockBand.OVERDUE for c in self.clocks)

    @property
    def is_open(self) -> bool:
        return self.status is not Status.CLOSED

    @property
    def month(self) -> tuple[int, int]:
        return (self.reported_on.year, self.reported_on.month)


@dataclass(frozen=True)
class ActionDraft:
    id: int | None
    description: str
    owner: str = ""
    due_on: date | None = None
    completed_on: date | None = None


@dataclass(frozen=True)
class IncidentDraft:
    """Everything a user edits on an SI, saved in one go (the editor builds this).

    ``new_extensions`` holds extensions added in this edit; recorded ones cannot be changed.
    An empty ``reference`` is filled in by the service (``SI-2023-004``).
    """

    provider_id: int
    service_id: int
    identified_on: date
    reported_on: date
    description: str
    framework: Framework = Framework.PSIRF
    id: int | None = None
    reference: str = ""
    occurred_on: date | None = None
    category: str = ""
    external_ref: str = ""
    learning_response: LearningResponse | None = None
    agreed_due: date | None = None
    status: Status = Status.REPORTED
    steis_reported_on: date | None = None
    initial_review_on: date | None = None
    report_received_on: date | None = None
    closed_on: date | None = None
    lessons: str = ""
    actions: tuple[ActionDraft, ...] = ()
    reviews: tuple[ReviewRow, ...] = ()
    new_extensions: tuple[ExtensionRow, ...] = ()
    risk_ids: tuple[int, ...] = ()

    def with_(self, **changes: object) -> IncidentDraft:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class IncidentDetail:
    """One SI with everything under it."""

    row: IncidentRow
    agreed_due: date | None
    steis_reported_on: date | None
    initial_review_on: date | None
    report_received_on: date | None
    lessons: str
    actions: tuple[ActionRow, ...] = ()
    reviews: tuple[ReviewRow, ...] = ()
    extensions: tuple[ExtensionRow, ...] = ()
    risks: tuple[RiskLink, ...] = ()

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def version(self) -> int:
        return self.row.version

    def to_draft(self) -> IncidentDraft:
        r = self.row
        return IncidentDraft(
            id=r.id, reference=r.reference, provider_id=r.provider_id, service_id=r.service_id,
            occurred_on=r.occurred_on, identified_on=r.identified_on, reported_on=r.reported_on,
            category=r.category, description=r.description, external_ref=r.external_ref,
            framework=r.framework, learning_response=r.learning_response, agreed_due=self.agreed_due,
            status=r.status, steis_reported_on=self.steis_reported_on, initial_review_on=self.initial_review_on,
            report_received_on=self.report_received_on, closed_on=r.closed_on, lessons=self.lessons,
            actions=tuple(ActionDraft(a.id, a.description, a.owner, a.due_on, a.completed_on) for a in self.actions),
            reviews=self.reviews, risk_ids=tuple(k.risk_id for k in self.risks),
        )


# -- validation ---------------------------------------------------------------------------------------


def new_pid_findings(draft: IncidentDraft, stored: Iterable[str] = ()) -> list[PidFinding]:
    """PID findings in ``draft`` whose text is not already in ``stored`` (text a user confirmed before)."""
    known = {(f.text, f.kind) for f in find_pid({str(i): t for i, t in enumerate(stored)})}
    return [f for f in find_pid(pid_fields(draft)) if (f.text, f.kind) not in known]


def pid_fields(draft: IncidentDraft) -> dict[str, str]:
    """The free text of a draft that must not hold patient data, by the name the user sees."""
    out = {"reference": draft.reference, "category": draft.category, "description": draft.description,
           "StEIS/LFPSE reference": draft.external_ref, "lessons learned": draft.lessons}
    for i, a in enumerate(draft.actions, 1):
        out[f"action {i}"] = a.description
        out[f"action {i} owner"] = a.owner
    for r in draft.reviews:
        out[f"review of {r.reviewed_on.strftime('%d/%m/%Y')}"] = r.notes
    for i, x in enumerate(draft.new_extensions, 1):
        out[f"extension {i} reason"] = x.reason
    return out


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def validate_draft(draft: IncidentDraft, previous: Status | None, current_report_due: date | None) -> IncidentDraft:
    """Check a draft against the rules and return it tidied (whitespace, SIF without a response type).

    Args:
        draft: what the user wants to save.
        previous: the status stored now (None for a new SI).
        current_report_due: the report clock's due date before this edit's new extensions.

    Raises:
        ValidationError: the first rule broken, naming the field as the user sees it.
    """
    description = (draft.description or "").strip()
    if not description:
        raise ValidationError("description", draft.description, "must say what happened")
    if draft.occurred_on and draft.occurred_on > draft.identified_on:
        raise ValidationError("date of incident", _fmt(draft.occurred_on),
                              f"is after the date it was identified ({_fmt(draft.identified_on)})")
    if draft.reported_on < draft.identified_on:
        raise ValidationError("date reported", _fmt(draft.reported_on),
                              f"is before the date the incident was identified ({_fmt(draft.identified_on)})")
    framework = Framework(draft.framework)
    learning = draft.learning_response
    if framework is Framework.PSIRF and learning is None:
        raise ValidationError("learning response", "", "must be chosen for a PSIRF incident")
    if framework is Framework.SIF_2015:
        learning = None
    if draft.agreed_due and draft.agreed_due < draft.reported_on:
        raise ValidationError("agreed due date", _fmt(draft.agreed_due), "is before the date reported")
    for name, value in (("StEIS report date", draft.steis_reported_on),
                        ("initial review date", draft.initial_review_on)):
        if value and value < draft.identified_on:
            raise ValidationError(name, _fmt(value), f"is before the date identified ({_fmt(draft.identified_on)})")
    status = Status(draft.status)
    if previous is not None and status not in allowed_statuses(previous):
        nexts = " or ".join(s.label for s in allowed_statuses(previous) if s is not previous)
        raise ValidationError("status", status.label, f"cannot follow {previous.label}; it can move to {nexts}")
    if previous is None and status is not Status.REPORTED and status is not Status.UNDER_INVESTIGATION:
        raise ValidationError("status", status.label, "cannot be the status of a new SI: start at Reported")
    if status.step >= Status.REPORT_RECEIVED.step and draft.report_received_on is None:
        raise ValidationError("report received date", "", f"is needed when the status is {status.label}")
    if draft.report_received_on and draft.report_received_on < draft.reported_on:
        raise ValidationError("report received date", _fmt(draft.report_received_on),
                              f"is before the date reported ({_fmt(draft.reported_on)})")
    actions = []
    for i, a in enumerate(draft.actions, 1):
        text = (a.description or "").strip()
        if not text:
            raise ValidationError(f"action {i}", a.description, "must describe the action")
        actions.append(replace(a, description=text, owner=(a.owner or "").strip()))
    if status is Status.CLOSED:
        if draft.closed_on is None:
            raise ValidationError("closure date", "", "is needed to close an SI")
        open_ = [i for i, a in enumerate(actions, 1) if a.completed_on is None]
        if open_:
            raise ValidationError("status", status.label,
                                  f"cannot be set while action {', '.join(map(str, open_))} is still open")
    elif draft.closed_on is not None:
        raise ValidationError("closure date", _fmt(draft.closed_on), "can only be given when the SI is closed")
    if draft.closed_on and draft.report_received_on and draft.closed_on < draft.report_received_on:
        raise ValidationError("closure date", _fmt(draft.closed_on), "is before the report was received")
    reviews = []
    for r in draft.reviews:
        if not (r.notes or "").strip():
            raise ValidationError(f"review of {_fmt(r.reviewed_on)}", r.notes, "needs notes")
        reviews.append(replace(r, notes=r.notes.strip(), reviewer=(r.reviewer or "").strip()))
    due = current_report_due if current_report_due is not None else base_report_due(
        framework, draft.reported_on, draft.agreed_due)
    extensions = []
    for x in draft.new_extensions:
        if not (x.reason or "").strip():
            raise ValidationError("extension reason", x.reason, "must be recorded for every extension")
        if due is not None and x.new_due <= due:
            raise ValidationError("extension due date", _fmt(x.new_due), f"must be after the current due date {_fmt(due)}")
        extensions.append(replace(x, reason=x.reason.strip(), previous_due=due))
        due = x.new_due
    return replace(
        draft, description=description, learning_response=learning, reference=(draft.reference or "").strip(),
        category=(draft.category or "").strip(), external_ref=(draft.external_ref or "").strip(),
        lessons=(draft.lessons or "").strip(), actions=tuple(actions), reviews=tuple(reviews),
        new_extensions=tuple(extensions), risk_ids=tuple(dict.fromkeys(draft.risk_ids)),
    )


# -- months and the two-period table ---------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    """``"2023-09"`` → ``(2023, 9)``; a clear error for anything else."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError("month", text, "must be a year and month like 2023-09")
    return int(m.group(1)), int(m.group(2))


def add_months(month: tuple[int, int], n: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 + n
    return index // 12, index % 12 + 1


def month_label(month: tuple[int, int]) -> str:
    return date(month[0], month[1], 1).strftime("%B %Y")


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    m = first
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


@dataclass(frozen=True)
class PeriodCounts:
    """SIs reported into the SI inbox per month over one twelve-month period."""

    label: str
    months: tuple[tuple[tuple[int, int], int], ...]

    @property
    def total(self) -> int:
        return sum(n for _m, n in self.months)


def period_label(first: tuple[int, int], last: tuple[int, int]) -> str:
    return f"{month_label(first)} – {month_label(last)}"


def two_period_counts(reported: Iterable[date], first: tuple[int, int], last: tuple[int, int]
                      ) -> tuple[PeriodCounts, PeriodCounts]:
    """Monthly counts for ``first``…``last`` (the second period) and the same months a year earlier.

    Raises:
        ValidationError: the period is not twelve months.
    """
    months = months_between(first, last)
    if len(months) != 12:
        raise ValidationError("period", f"{first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}",
                              f"must be twelve months (it is {len(months)})")
    earlier = [add_months(m, -12) for m in months]
    counts: dict[tuple[int, int], int] = {}
    for d in reported:
        key = (d.year, d.month)
        counts[key] = counts.get(key, 0) + 1
    p1 = PeriodCounts(period_label(earlier[0], earlier[-1]), tuple((m, counts.get(m, 0)) for m in earlier))
    p2 = PeriodCounts(period_label(months[0], months[-1]), tuple((m, counts.get(m, 0)) for m in months))
    return p1, p2


@dataclass(frozen=True)
class OpenActionLine:
    provider: str
    reference: str
    description: str
    owner: str
    due_on: date | None
    overdue: bool


@dataclass(frozen=True)
class OverdueClockLine:
    provider: str
    reference: str
    clock: str
    due: date
    days_overdue: int


@dataclass(frozen=True)
class ProviderSummaryLine:
    """One provider's open work, as the report's summary table prints it."""

    provider: str
    open_sis: int
    open_actions: int
    overdue_actions: int
    overdue_clocks: int


def provider_summary(open_rows: Iterable[IncidentRow]) -> tuple[ProviderSummaryLine, ...]:
    """Open SIs, open and overdue actions and overdue deadlines per provider (open SIs only)."""
    acc: dict[str, list[int]] = {}
    for r in open_rows:
        a = acc.setdefault(r.provider_name, [0, 0, 0, 0])
        a[0] += 1
        a[1] += r.open_actions
        a[2] += r.overdue_actions
        a[3] += sum(1 for c in r.clocks if c.band is ClockBand.OVERDUE)
    return tuple(ProviderSummaryLine(name, *acc[name]) for name in sorted(acc, key=str.lower))


@dataclass(frozen=True)
class SiReportData:
    """Everything the SI report prints, handed over by the service (the report never reads the DB)."""

    title: str
    generated_on: date
    period1: PeriodCounts
    period2: PeriodCounts
    open_actions: tuple[OpenActionLine, ...] = ()
    overdue_clocks: tuple[OverdueClockLine, ...] = ()
    providers: tuple[ProviderSummaryLine, ...] = ()
    subtitle: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
