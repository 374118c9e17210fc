"""FOI and EIR: vocabularies, validation, clocks over a request's stored dates, and the annual
report's figures as pure arithmetic over frozen rows (SPEC B.6, D.6, E, F.0, F.5).

No database here: the service reads rows, this module counts them, so every figure of the
committee's Part 3 can be unit-tested, and the report prints from a frozen ``FoiFigures``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from riskdesk.domain import clocks
from riskdesk.domain.calendars import CalendarId, get
from riskdesk.domain.clocks import ClockState, Due
from riskdesk.domain.errors import ValidationError

#: FOI departments in the order the committee's table prints them (000:741-746), then MULTI.
DEPARTMENTS: tuple[str, ...] = ("A&C", "CEX", "CFS", "CR", "E&T", "PH")
DEPARTMENT_NAMES: dict[str, str] = {
    "A&C": "Adults and Communities", "CEX": "Chief Executives", "CFS": "Children and Family Services",
    "CR": "Corporate Resources", "E&T": "Environment and Transport", "PH": "Public Health",
}
MULTI = "MULTI"
#: Response-time bands (working days taken) as printed; "<5" means 0–5 (SPEC A.1 F1.31).
BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("<5", 0, 5), ("6-10", 6, 10), ("11-15", 11, 15), ("16-20", 16, 20), (">20", 21, None),
)
#: s.12: the appropriate limit for local government is £450 at £25 an hour = 18 hours.
COST_LIMIT_HOURS = Decimal(18)
#: The ICO's suggested target (000:734) and the self-assessment toolkit's lines (B.6.11).
ICO_TARGET = 90
STATUTORY_DAYS = 20


class Regime(StrEnum):
    FOIA = "foia"
    EIR = "eir"

    @property
    def label(self) -> str:
        return {"foia": "FOIA", "eir": "EIR"}[self.value]


class Channel(StrEnum):
    EMAIL = "email"
    WEB_FORM = "web_form"
    LETTER = "letter"
    WHATDOTHEYKNOW = "whatdotheyknow"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"email": "E-mail", "web_form": "Web form", "letter": "Letter",
                "whatdotheyknow": "WhatDoTheyKnow", "other": "Other"}[self.value]


class Outcome(StrEnum):
    FULL = "provided_in_full"
    PARTIAL = "partial"
    REFUSED = "refused_in_full"
    NOT_HELD = "not_held"
    NCND = "neither_confirm_nor_deny"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed_no_clarification"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        return {
            "provided_in_full": "Provided in full", "partial": "Provided in part",
            "refused_in_full": "Refused in full", "not_held": "Information not held",
            "neither_confirm_nor_deny": "Neither confirm nor deny", "withdrawn": "Withdrawn",
            "lapsed_no_clarification": "Lapsed (no clarification)", "transferred": "Transferred",
        }[self.value]

    @property
    def responded(self) -> bool:
        """Counted as a response (F.0 FOI-RESPONDED); withdrawn, lapsed, transferred are not."""
        return self not in (Outcome.WITHDRAWN, Outcome.LAPSED, Outcome.TRANSFERRED)


class ReviewOutcome(StrEnum):
    UPHELD_DISCLOSURE = "upheld_further_disclosure"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "original_decision_upheld"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"upheld_further_disclosure": "Upheld – further disclosure", "partly_upheld": "Partly upheld",
                "original_decision_upheld": "Not upheld (original decision stands)",
                "withdrawn": "Withdrawn"}[self.value]


class IcoOutcome(StrEnum):
    NO_BREACH = "no_breach"
    BREACH = "breach_steps_required"
    INFORMAL = "resolved_informally"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"no_breach": "No breach", "breach_steps_required": "Breach – steps required",
                "resolved_informally": "Resolved informally", "withdrawn": "Withdrawn"}[self.value]


#: Clock bands the list filters on.
class ClockBand(StrEnum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "due_today": "Due today", "due_soon": "Due in 5 working days",
                "on_track": "On track", "closed": "Closed"}[self.value]


#: The longest reference an export may give a request (``FoiRequest.source_reference``), and what
#: a longer one is told.
SOURCE_REFERENCE_MAX = 80
SOURCE_REFERENCE_TOO_LONG = f"is longer than the {SOURCE_REFERENCE_MAX} characters a reference may have"

#: How an imported request's summary begins (``imported_summary``).
IMPORTED_FROM = "Imported from "


def imported_summary(file_name: str, reference: str) -> str:
    """The summary an imported request is given, until an officer writes one: the file it came from
    and its reference there. Earlier imports are found by the reference kept apart from it
    (``FoiRequest.source_reference``), which no edit of the summary touches."""
    return f"{IMPORTED_FROM}{file_name}" + (f" ({reference})" if reference else "")


def department_label(departments: str) -> str:
    """The single department, or MULTI when the request touches more than one (000:747)."""
    codes = departments.split()
    return codes[0] if len(codes) == 1 else MULTI


def split_bases(text: str) -> list[str]:
    return [b.strip() for b in text.replace(";", ",").split(",") if b.strip()]


def is_cost_limit(basis: str) -> bool:
    return basis.replace(" ", "").lower() in ("s.12", "s12", "s.12(1)", "section12")


def band_of(days: int) -> int:
    """The index of the response-time band ``days`` falls in."""
    for i, (_label, low, high) in enumerate(BANDS):
        if days >= low and (high is None or days <= high):
            return i
    return 0


def pct(part: int, whole: int) -> int:
    """A whole-number percentage, rounded half up as the council publishes (SPEC F.0, A.7 I-1)."""
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """"three", "twenty-seven"; digits from 100 up."""
    if n < 0 or n >= 100:
        return str(n)
    if n < 20:
        return _WORDS[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] + (f"-{_WORDS[unit]}" if unit else "")


# -- the clock of one request --------------------------------------------------------------------


@dataclass(frozen=True)
class ClockDates:
    """The dates a request's clock is computed from (stored on the request)."""

    regime: Regime
    received_on: date
    clarification_sought_on: date | None = None
    clarified_on: date | None = None
    fee_requested_on: date | None = None
    fee_received_on: date | None = None
    extension_notified_on: date | None = None


def response_clock(d: ClockDates) -> Due:
    """The response clock (C13 FOIA / C14 EIR), explained; raises ValidationError on impossible dates."""
    if d.regime == Regime.FOIA:
        return clocks.foia_response(d.received_on, clarification_sought=d.clarification_sought_on,
                                    clarified=d.clarified_on, fee_requested=d.fee_requested_on,
                                    fee_received=d.fee_received_on, pit_notice_on=d.extension_notified_on)
    if d.fee_requested_on or d.fee_received_on:
        raise ValidationError("fees notice", d.fee_requested_on or d.fee_received_on,
                              "applies to FOIA only: EIR charges do not stop the clock (switch the regime or "
                              "clear the fee dates)")
    return clocks.eir_response(d.received_on, clarification_sought=d.clarification_sought_on,
                               clarified=d.clarified_on, extension_notified_on=d.extension_notified_on)


def clock_band(due: date, responded_on: date | None, today: date, closed: bool = False) -> ClockBand:
    if responded_on is not None or closed:
        return ClockBand.CLOSED
    if due == today:
        return ClockBand.DUE_TODAY
    state = clocks.clock_state(CalendarId.UK_ANY, due, today)
    if state == ClockState.OVERDUE:
        return ClockBand.OVERDUE
    return ClockBand.DUE_SOON if state == ClockState.DUE_SOON else ClockBand.ON_TRACK


def working_days_taken(due: Due, responded_on: date) -> int:
    return due.taken(responded_on)


# -- validation of a response -------------------------------------------------------------------------


def validate_response(regime: Regime, outcome: Outcome | None, bases: str, cost_estimate_hours: Decimal | None,
                      public_interest_test: str, media: bool, media_approved_on: date | None,
                      responded_on: date | None, received_on: date) -> None:
    """Refuse a response the law or the council's rules do not allow, naming the field (SPEC D.6)."""
    if outcome is None:
        if responded_on is not None:
            raise ValidationError("outcome", "", "is needed once a response date is given")
        return
    if responded_on is None and outcome.responded:
        raise ValidationError("response date", "", f"is needed for the outcome “{outcome.label}”")
    if responded_on is not None and responded_on < received_on:
        raise ValidationError("response date", responded_on.isoformat(),
                              f"is before the request was received ({received_on.isoformat()})")
    listed = split_bases(bases)
    if outcome == Outcome.REFUSED and not listed:
        raise ValidationError("sections relied on", bases,
                              "must name at least one section for a refusal (s.12, s.14, an exemption …)")
    if outcome == Outcome.PARTIAL and not listed:
        raise ValidationError("sections relied on", bases,
                              "must name the exemption used or “not held” for the part withheld")
    if any(is_cost_limit(b) for b in listed):
        if regime == Regime.EIR:
            raise ValidationError("sections relied on", bases,
                                  "s.12 (cost limit) is not available under the EIR: use reg 12(4)(b) "
                                  "(manifestly unreasonable)")
        if cost_estimate_hours is None:
            raise ValidationError("hours estimate", "", "is required for a s.12 refusal (the cost limit is "
                                  f"{COST_LIMIT_HOURS} hours at £25 an hour)")
        if cost_estimate_hours <= COST_LIMIT_HOURS:
            raise ValidationError("hours estimate", str(cost_estimate_hours),
                                  f"must exceed the {COST_LIMIT_HOURS}-hour limit for s.12 to apply")
    qualified = [b for b in listed if not is_cost_limit(b) and not b.lower().startswith("s.14")
                 and b.lower() not in ("not held",)]
    if outcome in (Outcome.REFUSED, Outcome.PARTIAL) and qualified and _needs_pit(qualified) \
            and not public_interest_test.strip():
        raise ValidationError("public-interest test", "",
                              f"must be recorded for the qualified exemption(s) {', '.join(qualified)}")
    if media and outcome.responded and media_approved_on is None:
        raise ValidationError("Media Team approval", "",
                              "is required before a media request is answered (000:720)")


#: Absolute FOIA exemptions: no public-interest test (s.2(3)).
_ABSOLUTE = ("s.21", "s.23", "s.32", "s.34", "s.36", "s.40(1)", "s.40(2)", "s.41", "s.44")


def _needs_pit(bases: Sequence[str]) -> bool:
    return any(not b.lower().startswith(_ABSOLUTE) for b in bases)


def validate_extension(regime: Regime, due: Due, notified_on: date | None, new_due: date | None) -> None:
    """PIT: at most 20 more working days, notice by the 20th; EIR reg 7: notified within 20 (SPEC B.6)."""
    if notified_on is None:
        return
    if regime == Regime.EIR and notified_on > due.base_due:
        raise ValidationError("extension notified", notified_on.isoformat(),
                              f"is too late: an EIR extension must be notified within 20 working days "
                              f"(by {due.base_due.isoformat()})")
    if new_due is not None and due.maximum is not None and new_due > due.maximum:
        limit = "20 further working days" if regime == Regime.FOIA else "40 working days in all (reg 7)"
        raise ValidationError("extended due date", new_due.isoformat(),
                              f"is beyond {limit}: the latest is {due.maximum.isoformat()}")


# -- the annual report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A financial year (``22/23``) or a quarter (``22/23 Q1``)."""

    label: str
    start: date
    end: date

    @property
    def fy_label(self) -> str:
        """"2022-23" as Part 3 prints it (000:754)."""
        return f"{self.start.year if self.start.month >= 4 else self.start.year - 1}-{str(self.fy_end_year)[2:]}"

    @property
    def fy_end_year(self) -> int:
        return (self.start.year + 1) if self.start.month >= 4 else self.start.year

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def previous_year(self) -> Period:
        y = self.fy_end_year - 1
        return parse_period(f"{(y - 1) % 100:02d}/{y % 100:02d}")


def parse_period(text: str) -> Period:
    """``22/23`` = 1 Apr 2022 – 31 Mar 2023; ``22/23 Q1`` = Apr–Jun 2022 (also 2022/23, 2022-23)."""
    raw = text.strip().upper().replace("-", "/")
    quarter = None
    if "Q" in raw:
        raw, _, q = raw.partition("Q")
        raw = raw.strip()
        if q.strip() not in ("1", "2", "3", "4"):
            raise ValidationError("period", text, "has no quarter 1–4: write it as 22/23 Q1")
        quarter = int(q.strip())
    first, _, second = raw.partition("/")
    try:
        y1 = int(first)
        y2 = int(second)
    except ValueError:
        raise ValidationError("period", text, "is not a financial year: write it as 22/23 (or 22/23 Q1)") from None
    y1 = y1 + 2000 if y1 < 100 else y1
    y2 = y2 + 2000 if y2 < 100 else y2
    if y2 != y1 + 1:
        raise ValidationError("period", text, "must be two consecutive years, e.g. 22/23")
    if quarter is None:
        return Period(f"{y1 % 100:02d}/{y2 % 100:02d}", date(y1, 4, 1), date(y2, 3, 31))
    starts = {1: date(y1, 4, 1), 2: date(y1, 7, 1), 3: date(y1, 10, 1), 4: date(y2, 1, 1)}
    ends = {1: date(y1, 6, 30), 2: date(y1, 9, 30), 3: date(y1, 12, 31), 4: date(y2, 3, 31)}
    return Period(f"{y1 % 100:02d}/{y2 % 100:02d} Q{quarter}", starts[quarter], ends[quarter])


@dataclass(frozen=True)
class RequestFacts:
    """What the report needs of one request (no personal data)."""

    regime: Regime
    received_on: date
    requester_type: str | None
    subject: str
    departments: str
    responded_on: date | None
    outcome: Outcome | None
    bases: str
    days_taken: int | None
    extended_due_on: date | None = None


@dataclass(frozen=True)
class ReviewFacts:
    requested_on: date
    outcome: ReviewOutcome | None
    ico_rights_given: bool


@dataclass(frozen=True)
class IcoFacts:
    received_on: date
    decision_on: date | None
    outcome: IcoOutcome | None
    further_disclosure: bool


@dataclass(frozen=True)
class DepartmentRow:
    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def cells(self) -> list[str]:
        return [f"{n} ({pct(n, self.total)}%)" for n in self.counts]


@dataclass(frozen=True)
class FoiFigures:
    """Every figure of the FOI report (Part 3), computed once and frozen when presented."""

    period: str
    period_start: date
    period_end: date
    prior_label: str
    received: int
    prior_received: int | None
    top_subjects: tuple[tuple[str, int], ...]
    top_requester_types: tuple[tuple[str, int], ...]
    responded: int
    received_before_period: int
    by_regime: tuple[tuple[str, int], ...]
    full: int
    partial: int
    refused: int
    refused_cost: int
    not_held: int
    ncnd: int
    within_20: int
    within_extension: int
    prior_within_pct: int | None
    target_pct: int
    departments: tuple[DepartmentRow, ...]
    reviews_requested: int
    reviews_upheld_disclosure: int
    reviews_other: int
    reviews_referred_ico: int
    ico_received: int
    ico_decided: int
    ico_decision_text: str
    department_filter: str = ""
    not_responded: tuple[tuple[str, int], ...] = field(default=())

    # derived ----------------------------------------------------------------------------------------
    @property
    def received_change_pct(self) -> int | None:
        if not self.prior_received:
            return None
        return _signed_pct(self.received - self.prior_received, self.prior_received)

    @property
    def within_pct(self) -> int:
        return pct(self.within_20, self.responded)

    @property
    def within_change_points(self) -> int | None:
        if self.prior_within_pct is None:
            return None
        exact = Decimal(self.within_20) * 100 / Decimal(self.responded or 1) - self.prior_within_pct
        sign = -1 if exact < 0 else 1
        return sign * int(abs(exact).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def other_responses(self) -> int:
        return self.responded - self.full - self.partial - self.refused

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> FoiFigures:
        raw = json.loads(text)
        raw["period_start"] = date.fromisoformat(raw["period_start"])
        raw["period_end"] = date.fromisoformat(raw["period_end"])
        for key in ("top_subjects", "top_requester_types", "by_regime", "not_responded"):
            raw[key] = tuple(tuple(x) for x in raw.get(key, ()))
        raw["departments"] = tuple(DepartmentRow(d["label"], tuple(d["counts"])) for d in raw["departments"])
        return cls(**raw)


def _signed_pct(part: int, whole: int) -> int:
    exact = Decimal(part) * 100 / Decimal(whole)
    sign = -1 if exact < 0 else 1
    return sign * int(abs(exact).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _top(counter: Counter[str], n: int = 3) -> tuple[tuple[str, int], ...]:
    """Top ``n`` by count then name; a tie across place n keeps every tied row (SPEC F.0)."""
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) <= n:
        return tuple(ranked)
    cut = ranked[n - 1][1]
    return tuple(kv for kv in ranked if kv[1] >= cut)


_ICO_TEXT = {
    (IcoOutcome.NO_BREACH, True): "This found no significant fault with the Council's handling but did result "
                                  "in some additional disclosure of records.",
    (IcoOutcome.NO_BREACH, False): "This found no significant fault with the Council's handling.",
    (IcoOutcome.BREACH, True): "This found the Council in breach and required further disclosure.",
    (IcoOutcome.BREACH, False): "This found the Council in breach and required steps to be taken.",
    (IcoOutcome.INFORMAL, True): "This was resolved informally with some additional disclosure.",
    (IcoOutcome.INFORMAL, False): "This was resolved informally.",
}


def compute_figures(period: Period, requests: Iterable[RequestFacts], reviews: Iterable[ReviewFacts],
                    ico_cases: Iterable[IcoFacts], *, prior_received: int | None, prior_within_pct: int | None,
                    target_pct: int = ICO_TARGET, department: str = "") -> FoiFigures:
    """Count Part 3's figures on the bases of SPEC F.0 (received / responded / IR requested / ICO)."""
    received = 0
    subjects: Counter[str] = Counter()
    types: Counter[str] = Counter()
    regimes: Counter[str] = Counter()
    outcomes: Counter[Outcome] = Counter()
    not_responded: Counter[str] = Counter()
    refused_cost = within = within_ext = before = 0
    rows: dict[str, list[int]] = {d: [0] * len(BANDS) for d in (*DEPARTMENTS, MULTI)}
    for r in requests:
        if department and department not in r.departments.split():
            continue
        if period.contains(r.received_on):
            received += 1
            if r.subject:
                subjects[r.subject] += 1
            if r.requester_type:
                types[r.requester_type] += 1
        if not period.contains(r.responded_on) or r.outcome is None:
            continue
        if not r.outcome.responded:
            not_responded[r.outcome.label] += 1
            continue
        regimes[r.regime.label] += 1
        outcomes[r.outcome] += 1
        if r.received_on < period.start:
            before += 1
        if r.outcome == Outcome.REFUSED and any(is_cost_limit(b) for b in split_bases(r.bases)):
            refused_cost += 1
        days = r.days_taken or 0
        if days <= STATUTORY_DAYS:
            within += 1
        elif r.extended_due_on is not None and r.responded_on is not None and r.responded_on <= r.extended_due_on:
            within_ext += 1
        label = department_label(r.departments)
        rows.setdefault(label, [0] * len(BANDS))[band_of(days)] += 1
    dept_rows = [DepartmentRow(label, tuple(c)) for label, c in rows.items() if sum(c) or label in DEPARTMENTS]
    if department:
        dept_rows = [d for d in dept_rows if d.total]
    total = tuple(sum(d.counts[i] for d in dept_rows) for i in range(len(BANDS)))
    dept_rows.append(DepartmentRow("ALL", total))
    revs = [v for v in reviews if period.contains(v.requested_on)]
    upheld = sum(1 for v in revs if v.outcome == ReviewOutcome.UPHELD_DISCLOSURE)
    icos = list(ico_cases)
    ico_in = [c for c in icos if period.contains(c.received_on)]
    decided = [c for c in icos if period.contains(c.decision_on)]
    text = " ".join(_ICO_TEXT.get((c.outcome, c.further_disclosure), "") for c in decided
                    if c.outcome is not None).strip()
    return FoiFigures(
        period=period.label, period_start=period.start, period_end=period.end,
        prior_label=period.previous_year().fy_label, received=received, prior_received=prior_received,
        top_subjects=_top(subjects), top_requester_types=_top(types), responded=sum(outcomes.values()),
        received_before_period=before,
        by_regime=tuple((lbl, regimes[lbl]) for lbl in ("FOIA", "EIR")),
        full=outcomes[Outcome.FULL], partial=outcomes[Outcome.PARTIAL], refused=outcomes[Outcome.REFUSED],
        refused_cost=refused_cost, not_held=outcomes[Outcome.NOT_HELD], ncnd=outcomes[Outcome.NCND],
        within_20=within, within_extension=within_ext, prior_within_pct=prior_within_pct, target_pct=target_pct,
        departments=tuple(dept_rows), reviews_requested=len(revs), reviews_upheld_disclosure=upheld,
        reviews_other=len(revs) - upheld, reviews_referred_ico=sum(1 for v in revs if v.ico_rights_given),
        ico_received=len(ico_in), ico_decided=len(decided), ico_decision_text=text, department_filter=department,
        not_responded=tuple(sorted(not_responded.items())),
    )


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _sentence_number(n: int) -> str:
    """A number opening a sentence: in words, capitalised (000:755 "Five of the …")."""
    words = number_words(n)
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class ReportText:
    """Part 3 as paragraphs (list items are lines of their own), the department table, footnotes."""

    received: tuple[str, ...]
    responded: tuple[str, ...]
    timeliness: tuple[str, ...]
    table_title: str
    table_head: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    reviews: tuple[str, ...]
    footnotes: tuple[str, ...]


def report_text(f: FoiFigures) -> ReportText:
    """The sentences of R-F1 … R-F4 (SPEC F.5), worded as the committee's Part 3 prints them."""
    received: list[str] = []
    change = f.received_change_pct
    sentence = (f"Between {_long_date(f.period_start)} and {_long_date(f.period_end)}, {f.received} requests were "
                "received")
    if f.prior_received is not None:
        sentence += f" compared to {f.prior_received} in the previous year."
        if change is not None:
            word = "increase" if change > 0 else "reduction" if change < 0 else "change"
            sentence += f" This represents a {abs(change)}% {word}."
    else:
        sentence += "."
    received.append(sentence)
    if f.top_subjects:
        received.append(f"Requests were received across a wide range of subject matters with the top "
                        f"{number_words(len(f.top_subjects))} areas being:")
        received.extend(f"{name} {n}" for name, n in f.top_subjects)
    if f.top_requester_types:
        received.append("Where identifiable, data is now available on applicants seeking information and the "
                        f"following table sets out the top {number_words(len(f.top_requester_types))} requestors "
                        "during this period:")
        received.extend(f"{name} {n}" for name, n in f.top_requester_types)
    received.append("All requests by the Media are automatically flagged and approval is sought by the Council's "
                    "Media Team prior to any publication.")
    responded = [f"During the reporting year, {f.responded} requests were responded to."]
    if f.responded != f.received:
        responded[0] += (" The figures are different to the volume received as some requests were received "
                         "before the start of the reporting year.")
    responded[0] += " This can be further segmented into:"
    responded.extend(f"{n} {label} requests" for label, n in f.by_regime)
    responded.append(f"Information was provided in full for {f.full} requests ({pct(f.full, f.responded)}%) with a "
                     f"further {f.partial} instances ({pct(f.partial, f.responded)}%) where partial information was "
                     "provided with part of the request refused as either “not held” or using a valid exemption.")
    majority = (f"The majority ({f.refused_cost})" if f.refused_cost * 2 > f.refused
                else f"{f.refused_cost} of which")
    responded.append(f"{f.refused} requests were refused in full. {majority} because the cost of responding would "
                     "exceed the reasonable limits set out in legislation.")
    if f.other_responses:
        parts = [f"information not held: {f.not_held}"] if f.not_held else []
        if f.ncnd:
            parts.append(f"neither confirm nor deny: {f.ncnd}")
        responded.append(f"{f.other_responses} other responses ({'; '.join(parts)}).")
    timeliness = [f"{f.within_20} ({f.within_pct}%) of the requests were responded to within 20 working days."]
    points = f.within_change_points
    if points is not None:
        word = "reduction" if points < 0 else "increase" if points > 0 else "change"
        timeliness[0] += f" This was a {abs(points)}% {word} on {f.prior_label}."
    met = "Met" if f.within_pct >= f.target_pct else "Not met"
    timeliness.append(f"Information Commissioner Office (ICO) guidance suggests a target of {f.target_pct}% should "
                      f"be set by Local Authorities in this area. {met} for {_fy(f)} ({f.within_pct}% against "
                      f"{f.target_pct}%).")
    if f.within_extension:
        timeliness.append(f"A further {f.within_extension} were responded to within an extension notified in time.")
    reviews = [f"There have been {f.reviews_requested} internal reviews requested during {_fy(f)}. This equates to "
               f"{pct(f.reviews_requested, f.responded)}% of the overall requests responded to."]
    reviews.append(f"{_sentence_number(f.reviews_upheld_disclosure)} of the internal reviews were upheld and resulted "
                   f"in additional information being disclosed. The remaining {f.reviews_other} cases were referred "
                   "to the ICO." if f.reviews_other == f.reviews_referred_ico else
                   f"{_sentence_number(f.reviews_upheld_disclosure)} of the internal reviews were upheld and "
                   f"resulted in additional information being disclosed. The remaining {f.reviews_other} cases "
                   f"were not upheld ({f.reviews_referred_ico} told of their right to complain to the ICO).")
    decisions = f"{f.ico_decided} decision{'s' if f.ico_decided != 1 else ''} made"
    reviews.append(f"There have been {number_words(f.ico_received)} ICO enquiries made during the year, with "
                   f"{decisions}." + (f" {f.ico_decision_text}" if f.ico_decision_text else ""))
    head = ("Department", *(label for label, _low, _high in BANDS))
    rows = tuple((d.label, *d.cells()) for d in f.departments)
    notes = (
        f"Received: requests received between {_long_date(f.period_start)} and {_long_date(f.period_end)}; "
        "responded: requests answered in that period (withdrawn, lapsed and transferred requests excluded).",
        "Working days are counted from the day after receipt (or after clarification arrived), excluding weekends "
        "and bank holidays in any part of the UK (FOIA s.10(6)); fee-notice days are disregarded. "
        "Percentages are rounded half up; the change in timeliness is in percentage points.",
    )
    return ReportText(tuple(received), tuple(responded), tuple(timeliness), "Response times in working days", head,
                      rows, tuple(reviews), notes)


def _fy(f: FoiFigures) -> str:
    y = f.period_start.year if f.period_start.month >= 4 else f.period_start.year - 1
    return f"{y}-{str(y + 1)[2:]}"


def working_days_between(day0: date, day: date) -> int:
    return get(CalendarId.UK_ANY).working_days_between(day0, day)


# -- what the window and the CLI hold (frozen rows, never ORM objects) ---------------------------------


@dataclass(frozen=True)
class FoiDraft:
    """The editable facts of a request, as the editor or an import gives them."""

    regime: Regime
    received_on: date
    departments: str
    subject: str = ""
    channel: Channel = Channel.EMAIL
    requester_type: str | None = None
    summary: str = ""
    regime_reason: str = ""
    division: str = ""
    local_alert_sent_on: date | None = None
    media: bool = False
    media_approved_on: date | None = None
    clarification_sought_on: date | None = None
    clarified_on: date | None = None
    fee_requested_on: date | None = None
    fee_received_on: date | None = None
    extension_notified_on: date | None = None
    extended_due_on: date | None = None
    responded_on: date | None = None
    outcome: Outcome | None = None
    bases: str = ""
    public_interest_test: str = ""
    cost_estimate_hours: Decimal | None = None
    disclosure_log: bool | None = None
    disclosure_published_on: date | None = None
    disclosure_reason: str = ""

    @property
    def clock_dates(self) -> ClockDates:
        return ClockDates(self.regime, self.received_on, self.clarification_sought_on, self.clarified_on,
                          self.fee_requested_on, self.fee_received_on, self.extension_notified_on)


@dataclass(frozen=True)
class FoiRow:
    """One line of the FOI/EIR list."""

    id: int
    reference: str
    regime: Regime
    received_on: date
    subject: str
    requester_type: str | None
    departments: str
    due_on: date
    extended_due_on: date | None
    responded_on: date | None
    outcome: Outcome | None
    days_taken: int | None
    media: bool
    version: int
    band: ClockBand
    #: Its reference in the export it was imported from (iCasework, Infreemation…); None if logged here.
    source_reference: str | None = None

    @property
    def department(self) -> str:
        return department_label(self.departments)

    @property
    def due_in_force(self) -> date:
        return self.extended_due_on or self.due_on

    @property
    def status(self) -> str:
        if self.outcome is not None and not self.outcome.responded:
            return self.outcome.label
        return "Responded" if self.responded_on else "Open"


@dataclass(frozen=True)
class ReviewRow:
    id: int
    requested_on: date
    due_on: date
    extended_due_on: date | None
    extension_reason: str
    reviewer: str
    responded_on: date | None
    outcome: ReviewOutcome | None
    ico_rights_given: bool
    version: int


@dataclass(frozen=True)
class IcoRow:
    id: int
    ico_reference: str
    received_on: date
    kind: str
    decision_on: date | None
    decision_ref: str
    outcome: IcoOutcome | None
    further_disclosure: bool
    version: int


@dataclass(frozen=True)
class FoiDetail:
    """A request as the editor shows it: the facts, the explained clock, reviews and ICO cases."""

    row: FoiRow
    draft: FoiDraft
    why: tuple[str, ...]
    reviews: tuple[ReviewRow, ...]
    ico_cases: tuple[IcoRow, ...]
