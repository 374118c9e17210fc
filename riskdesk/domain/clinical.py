"""Clinical governance: audits, quality visits, Patient Group Directions and the assurance summary.

Pure rules and the frozen rows services hand out. No database and no Qt.

PGD warning rule (review and expiry alike):

* A date passes at the end of that day: a PGD expiring on 28 February may still be used on
  28 February and is *expired* from 1 March.
* Warnings run at 90, 60 and 30 days before the date, counted to the **last working day on or
  before it**. Nobody can review, sign or reissue a PGD at a weekend or on a bank holiday, so a
  PGD expiring on Sunday must be reissued by the Friday; counting to the Friday means each
  warning arrives that much earlier, and the Friday itself (and the weekend after it) is always
  inside the 30-day window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum, StrEnum

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.workdays import is_working_day

#: Serious-incident counts, supplied by whoever owns the SI log (riskdesk's clinical-audit code
#: never imports it). Called with the first and last day of a period (both inclusive); returns
#: the number of SIs reported in that period per provider id (``ProviderRow.id``). Providers
#: with no SIs may be left out. ``None`` in place of the callable means "not available".
SiCounts = Callable[[date, date], Mapping[int, int]]

MAX_TITLE = 300
MAX_SHORT = 200

#: Table 1 headings, in the order the committee reads them.
ASSURANCE_HEADINGS: tuple[str, ...] = (
    "Quality Visits",
    "Clinical Audits",
    "Patient Group Directions (PGDs)",
    "Safeguarding",
    "Serious Incidents (SIs)",
    "Re-procurement",
    "Partnerships",
    "Patient Feedback",
    "Complaints and Compliments",
    "Business Continuity (BC) arrangements",
    "Care Quality Commission (CQC)",
)

#: Bodies whose standards audits are measured against, as officers write them.
STANDARD_BODIES: tuple[str, ...] = ("BASHH", "FSRH", "NICE", "BHIVA", "RCN", "RCGP", "NHSE", "UKHSA", "Local")


class AuditKind(StrEnum):
    AUDIT = "audit"
    RE_AUDIT = "re_audit"

    @property
    def label(self) -> str:
        return "Audit" if self is AuditKind.AUDIT else "Re-audit"


class AuditStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {"planned": "Planned", "in_progress": "In progress", "complete": "Complete"}[self.value]


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rgb(self) -> str:
        return {"red": "#ff0000", "amber": "#ffc000", "green": "#00b050"}[self.value]


class PgdStatus(StrEnum):
    DRAFT = "draft"
    IN_USE = "in_use"
    UNDER_REVIEW = "under_review"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "in_use": "In use", "under_review": "Under review",
                "withdrawn": "Withdrawn"}[self.value]


class WarningLevel(IntEnum):
    """How close a date is; higher is worse."""

    NONE = 0
    DAYS_90 = 1
    DAYS_60 = 2
    DAYS_30 = 3
    PASSED = 4

    @property
    def label(self) -> str:
        return {0: "", 1: "90-day warning", 2: "60-day warning", 3: "30-day warning", 4: "passed"}[self.value]


# -- PGD warnings ----------------------------------------------------------------------------------


def last_working_day_on_or_before(day: date) -> date:
    """``day`` itself when it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def warning_level(deadline: date, today: date) -> WarningLevel:
    """The warning due on ``today`` for something that must be done by ``deadline``.

    ``PASSED`` from the day after ``deadline``. Otherwise the 90/60/30-day thresholds are
    counted to the last working day on or before ``deadline`` (see the module docs), so a
    weekend deadline warns earlier, never later.
    """
    if today > deadline:
        return WarningLevel.PASSED
    days = (last_working_day_on_or_before(deadline) - today).days
    if days <= 30:
        return WarningLevel.DAYS_30
    if days <= 60:
        return WarningLevel.DAYS_60
    if days <= 90:
        return WarningLevel.DAYS_90
    return WarningLevel.NONE


@dataclass(frozen=True)
class PgdAlert:
    """The worst of a PGD's review and expiry warnings on one day.

    Attributes:
        level: the warning level (``NONE`` when nothing is near).
        what: "expiry" or "review" (expiry wins a tie: it stops the PGD being used).
        deadline: the date the warning is about.
        days_left: calendar days from today to ``deadline`` (negative once passed).
    """

    level: WarningLevel
    what: str = ""
    deadline: date | None = None
    days_left: int = 0

    @property
    def expired(self) -> bool:
        return self.what == "expiry" and self.level is WarningLevel.PASSED

    @property
    def text(self) -> str:
        """"EXPIRED 3 days ago", "Expires in 25 days (30-day warning)", "Review overdue by 2 days"."""
        if self.level is WarningLevel.NONE or self.deadline is None:
            return ""
        when = self.deadline.strftime("%d/%m/%Y")
        if self.level is WarningLevel.PASSED:
            ago = -self.days_left
            if self.what == "expiry":
                return f"EXPIRED on {when} ({ago} day{'s' if ago != 1 else ''} ago) – must not be used"
            return f"Review overdue since {when} ({ago} day{'s' if ago != 1 else ''})"
        n = self.days_left
        span = "today" if n == 0 else f"in {n} day{'s' if n != 1 else ''}"
        verb = "Expires" if self.what == "expiry" else "Review due"
        return f"{verb} {span} ({when}; {self.level.label})"

    @property
    def short_text(self) -> str:
        """For the dashboard strip: "EXPIRED 01/02/2026", "review due in 20 days", "expires in 45 days"."""
        if self.level is WarningLevel.NONE or self.deadline is None:
            return ""
        if self.level is WarningLevel.PASSED:
            return f"EXPIRED {self.deadline:%d/%m/%Y}" if self.what == "expiry" else \
                f"review overdue since {self.deadline:%d/%m/%Y}"
        n = self.days_left
        span = "today" if n == 0 else f"in {n} day{'s' if n != 1 else ''}"
        return f"{'expires' if self.what == 'expiry' else 'review due'} {span}"


def pgd_alert(review_due: date | None, expiry: date | None, today: date) -> PgdAlert:
    """The warning to show for a PGD on ``today``; a withdrawn PGD is the caller's business."""
    best = PgdAlert(WarningLevel.NONE)
    for what, deadline in (("expiry", expiry), ("review", review_due)):
        if deadline is None:
            continue
        level = warning_level(deadline, today)
        if level > best.level:
            best = PgdAlert(level, what, deadline, (deadline - today).days)
    return best


# -- rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionItem:
    """An action from an audit or visit. ``due`` may be unknown; ``done`` is the completion date."""

    description: str
    owner: str = ""
    due: date | None = None
    done: date | None = None

    @property
    def complete(self) -> bool:
        return self.done is not None

    def overdue(self, today: date) -> bool:
        return self.done is None and self.due is not None and self.due < today


@dataclass(frozen=True)
class AuditDraft:
    """What a user enters for a clinical audit or re-audit."""

    service_id: int
    quarter: Quarter
    title: str
    kind: AuditKind = AuditKind.AUDIT
    previous_audit_id: int | None = None
    standard_body: str = ""
    status: AuditStatus = AuditStatus.PLANNED
    findings: str = ""
    rag: Rag | None = None
    actions: tuple[ActionItem, ...] = ()
    reaudit_due: date | None = None


@dataclass(frozen=True)
class ClinicalAuditRow:
    id: int
    service_id: int
    service_name: str
    provider_id: int
    provider_name: str
    provider_label: str
    quarter: Quarter
    title: str
    kind: AuditKind
    previous_audit_id: int | None
    previous_audit_title: str
    standard_body: str
    status: AuditStatus
    findings: str
    rag: Rag | None
    actions: tuple[ActionItem, ...]
    reaudit_due: date | None
    version: int
    position: int = 0

    def draft(self) -> AuditDraft:
        return AuditDraft(self.service_id, self.quarter, self.title, self.kind, self.previous_audit_id,
                          self.standard_body, self.status, self.findings, self.rag, self.actions, self.reaudit_due)

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if not a.complete)


@dataclass(frozen=True)
class VisitDraft:
    service_id: int
    planned: date
    actual: date | None = None
    visitors: str = ""
    outcome: str = ""
    rag: Rag | None = None
    actions: tuple[ActionItem, ...] = ()
    next_due: date | None = None


@dataclass(frozen=True)
class QualityVisitRow:
    id: int
    service_id: int
    service_name: str
    provider_id: int
    provider_name: str
    provider_label: str
    planned: date
    actual: date | None
    visitors: str
    outcome: str
    rag: Rag | None
    actions: tuple[ActionItem, ...]
    next_due: date | None
    version: int

    def draft(self) -> VisitDraft:
        return VisitDraft(self.service_id, self.planned, self.actual, self.visitors, self.outcome, self.rag,
                          self.actions, self.next_due)

    @property
    def when(self) -> date:
        """The day the visit happened, else the day it is planned for."""
        return self.actual or self.planned

    @property
    def actions_complete(self) -> bool | None:
        """True when every action is done; None when the visit has no actions recorded."""
        return all(a.complete for a in self.actions) if self.actions else None


@dataclass(frozen=True)
class PgdDraft:
    service_id: int
    name: str
    medicine: str = ""
    document_version: str = ""
    issued: date | None = None
    review_due: date | None = None
    expiry: date | None = None
    status: PgdStatus = PgdStatus.IN_USE


@dataclass(frozen=True)
class PgdRow:
    id: int
    service_id: int
    service_name: str
    provider_id: int
    provider_name: str
    provider_label: str
    name: str
    medicine: str
    document_version: str
    issued: date | None
    review_due: date | None
    expiry: date | None
    status: PgdStatus
    version: int

    def draft(self) -> PgdDraft:
        return PgdDraft(self.service_id, self.name, self.medicine, self.document_version, self.issued,
                        self.review_due, self.expiry, self.status)

    def alert(self, today: date) -> PgdAlert:
        """The warning for ``today``; none for a withdrawn PGD (it is no longer in use)."""
        if self.status is PgdStatus.WITHDRAWN:
            return PgdAlert(WarningLevel.NONE)
        return pgd_alert(self.review_due, self.expiry, today)


@dataclass(frozen=True)
class AssuranceLine:
    """One row of the assurance summary (Table 1): heading, area and assurance text."""

    heading: str
    area: str
    assurance: str
    service_id: int | None = None


@dataclass(frozen=True)
class AssuranceSummaryRow:
    id: int
    label: str  # "October 2022 – September 2023"
    start: date
    end: date
    caption: str
    lines: tuple[AssuranceLine, ...]
    version: int


@dataclass(frozen=True)
class ClinicalOverview:
    """The dashboard strip: what needs attention today."""

    today: date
    audits_this_quarter: int
    audits_in_progress: int
    reaudits_due: int
    visits_due: int
    overdue_actions: int
    pgd_alerts: tuple[tuple[PgdRow, PgdAlert], ...]

    @property
    def expired_pgds(self) -> int:
        return sum(1 for _, a in self.pgd_alerts if a.expired)


@dataclass(frozen=True)
class ProviderProfile:
    """Everything a contract or quality meeting needs about one provider in one quarter."""

    provider_id: int
    provider_label: str
    quarter: Quarter
    today: date
    services: tuple[str, ...]
    audits: tuple[ClinicalAuditRow, ...]
    reaudits_due: tuple[ClinicalAuditRow, ...]
    visits: tuple[QualityVisitRow, ...]
    last_visit: QualityVisitRow | None
    pgds: tuple[tuple[PgdRow, PgdAlert], ...]
    open_actions: tuple[tuple[str, ActionItem], ...]
    #: SIs reported in the quarter, or None when the SI log is not available.
    serious_incidents: int | None
    serious_incidents_year: int | None = None


@dataclass(frozen=True)
class AppendixGroup:
    """Audits of one provider's service in one quarter, in recorded order."""

    service: str
    provider_label: str
    quarter: Quarter
    audits: tuple[ClinicalAuditRow, ...]


def appendix_groups(audits: Iterable[ClinicalAuditRow]) -> tuple[AppendixGroup, ...]:
    """``audits`` (in appendix order: service, provider, quarter) grouped by runs of the same
    service, provider and quarter, each group's audits in the order given."""
    runs: list[tuple[tuple[str, str, Quarter], list[ClinicalAuditRow]]] = []
    for a in audits:
        key = (a.service_name, a.provider_label, a.quarter)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(a)
        else:
            runs.append((key, [a]))
    return tuple(AppendixGroup(*key, tuple(group)) for key, group in runs)


@dataclass(frozen=True)
class AuditAppendix:
    """The clinical audits appendix (as Appendix C): groups, then the PGD list per service."""

    title: str
    period_label: str
    groups: tuple[AppendixGroup, ...]
    pgds: tuple[PgdRow, ...]
    generated: date = field(default_factory=date.today)


# -- validation and helpers ------------------------------------------------------------------------


def clean_text(field_name: str, value: str | None, *, required: bool = False, limit: int | None = None) -> str:
    """Keep the user's text (line breaks and all); refuse empty required text and over-long text."""
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError(field_name, value, "must not be empty")
    if limit is not None and len(text) > limit:
        raise ValidationError(field_name, f"{text[:40]}…", f"is longer than {limit} characters ({len(text)})")
    return text


def check_actions(actions: tuple[ActionItem, ...]) -> tuple[ActionItem, ...]:
    out = []
    for n, a in enumerate(actions, start=1):
        description = clean_text(f"action {n} description", a.description, required=True)
        owner = clean_text(f"action {n} owner", a.owner, limit=MAX_SHORT)
        out.append(ActionItem(description, owner, a.due, a.done))
    return tuple(out)


def check_audit(d: AuditDraft) -> AuditDraft:
    """The draft with tidied text, or ValidationError naming the first problem."""
    title = clean_text("title", d.title, required=True, limit=MAX_TITLE)
    body = clean_text("standard or guideline body", d.standard_body, limit=60)
    if d.kind is AuditKind.AUDIT and d.previous_audit_id is not None:
        raise ValidationError("earlier audit", d.previous_audit_id, "can only be given for a re-audit")
    if d.reaudit_due is not None and d.reaudit_due < d.quarter.start:
        raise ValidationError("re-audit due", d.reaudit_due.strftime("%d/%m/%Y"),
                              f"is before the audit's own quarter ({d.quarter.label})")
    if d.rag is not None and d.status is AuditStatus.PLANNED:
        raise ValidationError("RAG rating", d.rag.label, "can only be given once the audit is under way or complete")
    return AuditDraft(d.service_id, d.quarter, title, d.kind, d.previous_audit_id, body, d.status,
                      clean_text("findings", d.findings), d.rag, check_actions(d.actions), d.reaudit_due)


def check_visit(d: VisitDraft) -> VisitDraft:
    if d.planned is None:
        raise ValidationError("planned date", None, "must be given")
    if d.next_due is not None and d.next_due <= (d.actual or d.planned):
        raise ValidationError("next visit due", d.next_due.strftime("%d/%m/%Y"),
                              "must be after this visit")
    if d.rag is not None and d.actual is None:
        raise ValidationError("RAG rating", d.rag.label, "needs the date the visit took place")
    return VisitDraft(d.service_id, d.planned, d.actual, clean_text("visited by", d.visitors, limit=MAX_SHORT),
                      clean_text("outcome", d.outcome), d.rag, check_actions(d.actions), d.next_due)


def check_pgd(d: PgdDraft) -> PgdDraft:
    name = clean_text("PGD name", d.name, required=True, limit=MAX_TITLE)
    if d.issued and d.review_due and d.review_due < d.issued:
        raise ValidationError("review due", d.review_due.strftime("%d/%m/%Y"), "is before the date issued")
    if d.issued and d.expiry and d.expiry <= d.issued:
        raise ValidationError("expiry", d.expiry.strftime("%d/%m/%Y"), "must be after the date issued")
    if d.review_due and d.expiry and d.review_due > d.expiry:
        raise ValidationError("review due", d.review_due.strftime("%d/%m/%Y"),
                              "is after the expiry date: a PGD must be reviewed before it expires")
    if d.status is PgdStatus.IN_USE and d.expiry is None:
        raise ValidationError("expiry", None, "must be given for a PGD in use")
    return PgdDraft(d.service_id, name, clean_text("medicine", d.medicine, limit=MAX_SHORT),
                    clean_text("version", d.document_version, limit=40), d.issued, d.review_due, d.expiry,
                    d.status)


_RE_AUDIT = re.compile(r"\bre-?\s*audit\b", re.IGNORECASE)


def looks_like_reaudit(title: str) -> bool:
    """"History taking in MSM – Re-audit", "Re-audit of Anogenital warts" → True."""
    return bool(_RE_AUDIT.search(title or ""))


def guess_standard_body(title: str) -> str:
    """The standard body named in a title ("BASHH Management of …" → "BASHH"), else ""."""
    words = set(re.findall(r"[A-Za-z]+", title or ""))
    for body in STANDARD_BODIES:
        if body in words:
            return body
    return ""


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    if last < first:
        raise ValidationError("period", f"{first.label} to {last.label}", "ends before it starts")
    out = [first]
    while out[-1] < last:
        out.append(out[-1].next())
    return out


def financial_year_quarters(text: str) -> tuple[Quarter, Quarter]:
    """``23/24`` or ``2023/24`` → (23/24 Q1, 23/24 Q4)."""
    try:
        first = Quarter.parse(f"{(text or '').strip()} Q1")
    except ValidationError as exc:
        raise ValidationError("financial year", text, "is not a financial year like 23/24") from exc
    return first, Quarter(first.fy, 4)
