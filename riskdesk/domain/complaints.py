"""Complaints and the front door: vocabularies, the rules the Code and the regulations set, and
the rows the window shows (SPEC B.1–B.4, D.2–D.4). Pure Python: the service applies these.

Labels are exactly as the council's reports print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from riskdesk.domain.clocks import (
    DUE_SOON_DAYS,
    Due,
    add_months,
    asc_ack,
    asc_response,
    complaint_ack,
    complaint_response,
    csc_panel,
    csc_response,
    rule_set_for,
)
from riskdesk.domain.errors import ValidationError

#: The informal-resolution window the council offers (004:175).
INFORMAL_WINDOW = timedelta(hours=24)
#: Years after a case's last activity that a complainant's personal data is kept [U: retention schedule].
DEFAULT_RETENTION_YEARS = 6


class ContactKind(StrEnum):
    ENQUIRY = "enquiry"
    SERVICE_REQUEST = "service_request"
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    LGSCO = "lgsco"

    @property
    def label(self) -> str:
        return {"enquiry": "Enquiry or informal resolution", "service_request": "Service request",
                "complaint": "Complaint", "compliment": "Compliment", "lgsco": "Ombudsman enquiry"}[self.value]


class EnquiryCategory(StrEnum):
    """The four categories of 004 §2.6, in the order the report prints them, and comments."""

    SERVICE_REQUEST = "service_request_passed_on"
    INFORMAL = "informal_resolution_24h"
    ADVICE = "advice_signposting"
    REDRESS = "alternative_redress"
    COMMENT = "comment"

    @property
    def label(self) -> str:
        return {
            "service_request_passed_on": "First time requests for service passed to CSC or access point",
            "informal_resolution_24h": "Informal resolution within 24 hours",
            "advice_signposting": "Advice & signposting to the correct organisation",
            "alternative_redress": "Signposting to alternative procedures for redress",
            "comment": "Comment",
        }[self.value]


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    LETTER = "letter"
    IN_PERSON = "in_person"
    SOCIAL = "social_media"
    REPRESENTATIVE = "councillor_mp"

    @property
    def label(self) -> str:
        return {"phone": "Phone", "email": "E-mail", "web": "Web form", "letter": "Letter", "in_person": "In person",
                "social_media": "Social media", "councillor_mp": "Via councillor or MP"}[self.value]


class Procedure(StrEnum):
    CORPORATE = "corporate"
    ASC = "asc"
    CSC = "csc"

    @property
    def label(self) -> str:
        return {"corporate": "Corporate", "asc": "Adult social care (statutory)",
                "csc": "Children's social care (statutory)"}[self.value]

    @property
    def max_stages(self) -> int:
        return {"corporate": 2, "asc": 1, "csc": 3}[self.value]

    @property
    def prefix(self) -> str:
        return {"corporate": "CC", "asc": "AS", "csc": "CS"}[self.value]


class Acceptance(StrEnum):
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"accepted": "Accepted", "not_accepted": "Not accepted", "withdrawn": "Withdrawn"}[self.value]


class Outcome(StrEnum):
    """Code 6.8: upheld (fault found) or not; there is no "partially upheld"."""

    FAULT_FOUND = "fault_found"
    NOT_UPHELD = "not_upheld"
    NO_FINDING = "no_finding"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"fault_found": "Fault Found", "not_upheld": "Not Upheld", "no_finding": "No finding",
                "withdrawn": "Withdrawn"}[self.value]


class ExclusionReason(StrEnum):
    """Reasons the council's policy allows for not accepting a complaint (Code 2.x)."""

    OUT_OF_TIME = "out_of_time"
    LEGAL_PROCEEDINGS = "legal_proceedings"
    OTHER_ROUTE = "other_route"
    ALREADY_CONSIDERED = "already_considered"
    NOT_COUNCIL = "not_council"

    @property
    def label(self) -> str:
        return {
            "out_of_time": "Made more than 12 months after the matter (Code 2.2)",
            "legal_proceedings": "The subject of legal proceedings",
            "other_route": "A statutory appeal or tribunal route exists",
            "already_considered": "Already considered under this procedure",
            "not_council": "Not about the council or those acting for it",
        }[self.value]


class RemedyKind(StrEnum):
    """Code 7.1."""

    APOLOGY = "apology"
    ACKNOWLEDGE = "acknowledge_fault"
    EXPLANATION = "explanation"
    DELAY = "action_on_delay"
    RECONSIDER = "reconsider_decision"
    AMEND_RECORD = "amend_record"
    FINANCIAL = "financial"
    CHANGE_POLICY = "change_policy"

    @property
    def label(self) -> str:
        return {
            "apology": "Apology", "acknowledge_fault": "Acknowledging where things went wrong",
            "explanation": "Explanation, assistance or reasons", "action_on_delay": "Action on delay",
            "reconsider_decision": "Reconsidering or changing a decision", "amend_record": "Amending a record",
            "financial": "Financial remedy", "change_policy": "Changing policy, procedure or practice",
        }[self.value]


class ClockBand(StrEnum):
    """Where a complaint's current stage stands, for the list's colour and filter."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    #: Past the Code's (or policy's) timescale but within an agreed extension.
    EXTENDED = "extended"
    RESPONDED = "responded"
    NOT_ACCEPTED = "not_accepted"

    @property
    def label(self) -> str:
        return {"on_track": "On track", "due_soon": "Due soon", "overdue": "Overdue",
                "extended": "Outside timescale, within extension", "responded": "Responded",
                "not_accepted": "Not accepted / withdrawn"}[self.value]


_PARTIAL = ("partially upheld", "partly upheld", "partial", "upheld in part", "partially_upheld")


def parse_outcome(value: str | Outcome) -> Outcome:
    """An outcome from its value or printed label; "partially upheld" is refused by name (Code 6.8)."""
    if isinstance(value, Outcome):
        return value
    text = " ".join(str(value).strip().lower().replace("-", " ").split())
    if text in _PARTIAL:
        raise ValidationError("outcome", value, "is not an outcome riskdesk records: under the Complaint Handling "
                              "Code (6.8) a complaint is upheld (Fault Found) or not (Not Upheld / No finding); "
                              "there is no \"partially upheld\". Record Fault Found for the parts upheld")
    for o in Outcome:
        if text in (o.value.replace("_", " "), o.label.lower()):
            return o
    raise ValidationError("outcome", value, "must be one of " + ", ".join(o.label for o in Outcome))


def twelve_month_limit(issue_on: date | None, aware_on: date | None) -> date | None:
    """The last day to complain: 12 months from the later of the matter and becoming aware (Code 2.2)."""
    start = max((d for d in (issue_on, aware_on) if d is not None), default=None)
    if start is None:
        return None
    return add_months(start, 12) - timedelta(days=1)


def check_acceptance(acceptance: Acceptance, *, received_on: date, issue_on: date | None, aware_on: date | None,
                     exclusion_reason: ExclusionReason | None, exclusion_evidence: str, out_of_time_reason: str,
                     safeguarding: bool, health_and_safety: bool) -> None:
    """Code 2.1–2.3: a refusal needs a policy reason and evidence, never for safeguarding or H&S;
    a late complaint accepted needs the discretion recorded."""
    limit = twelve_month_limit(issue_on, aware_on)
    if acceptance is Acceptance.NOT_ACCEPTED:
        if safeguarding or health_and_safety:
            what = "safeguarding" if safeguarding else "health and safety"
            raise ValidationError("acceptance", "not accepted", f"is not allowed: the complaint is flagged {what}, "
                                  "and the Code (2.3) never excludes such complaints")
        if exclusion_reason is None:
            raise ValidationError("exclusion reason", "", "is required to refuse a complaint: choose one of the "
                                  "policy's reasons (Code 2.1)")
        if not exclusion_evidence.strip():
            raise ValidationError("exclusion evidence", "", "is required: the council must be able to evidence "
                                  "its reasoning (Code 2.1)")
        if exclusion_reason is ExclusionReason.OUT_OF_TIME and (limit is None or received_on <= limit):
            raise ValidationError("exclusion reason", exclusion_reason.label,
                                  "does not apply: the complaint was made within 12 months"
                                  + (f" (the limit is {limit:%d %b %Y})" if limit else
                                     " (give the date of the matter or when the complainant became aware)"))
    elif acceptance is Acceptance.ACCEPTED and limit is not None and received_on > limit and \
            not out_of_time_reason.strip():
        raise ValidationError("out-of-time discretion", "", f"is required: the complaint was received "
                              f"{received_on:%d %b %Y}, after the 12-month limit ({limit:%d %b %Y}); record why "
                              "it is accepted anyway (Code 2.2)")


def same_person(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split()) and bool(a.strip())


def check_stage_handler(number: int, handler: str, earlier_handlers: list[str]) -> None:
    """Code 6.17: the person considering stage 2 must not be the one who considered stage 1."""
    if number >= 2 and any(same_person(handler, h) for h in earlier_handlers[:1]):
        raise ValidationError("stage 2 handler", handler, "is the stage 1 handler: the person considering the "
                              "complaint at stage 2 must not be the same person that considered it at stage 1 "
                              "(Code 6.17)")


def check_extension(*, current_due: date, new_due: date, maximum: date | None, reason: str, good_reason: str,
                    communicated_on: date | None, ombudsman_details_given: bool, procedure: Procedure) -> None:
    """Code 6.4/6.5 and 6.19/6.20: a reason, a later date within the maximum (or a good reason),
    the date it was told to the complainant and the Ombudsman's details given."""
    if not reason.strip():
        raise ValidationError("extension reason", "", "is required: the complainant must be told why (Code 6.4)")
    if new_due <= current_due:
        raise ValidationError("new due date", f"{new_due:%d %b %Y}",
                              f"must be after the date now in force ({current_due:%d %b %Y})")
    if communicated_on is None:
        raise ValidationError("date communicated", "", "is required: record when the complainant was told")
    if procedure is not Procedure.ASC and not ombudsman_details_given:
        raise ValidationError("Ombudsman details given", "no", "must be confirmed: an extension must give the "
                              "complainant the Ombudsman's contact details (Code 6.5)")
    if procedure is Procedure.ASC:
        return  # the regulations allow any longer period agreed with the complainant
    if (maximum is None or new_due > maximum) and not good_reason.strip():
        limit = f"the most the rules allow ({maximum:%d %b %Y})" if maximum else "the policy's fixed maximum"
        raise ValidationError("new due date", f"{new_due:%d %b %Y}", f"is beyond {limit}: record the good reason "
                              "for going further (it is listed as a departure from the Code)")


def final_outcome(outcomes: list[str | None]) -> Outcome | None:
    """The complaint's outcome: the last responded stage's (Code 6.22: a stage 1 fault found that
    stage 2 agrees with stays fault found)."""
    answered = [o for o in outcomes if o]
    return Outcome(answered[-1]) if answered else None


# -- clocks per stage -------------------------------------------------------------------------------------


def stage_clock(procedure: Procedure, number: int, *, received_on: date, requested_on: date,
                acknowledged_on: date | None, rule_set_code: str) -> tuple[Due | None, Due]:
    """(acknowledgement, response) clocks of one stage, with the explanation behind each date."""
    if procedure is Procedure.CORPORATE:
        ack = complaint_ack(requested_on, stage=number, rule_set_code=rule_set_code or None,
                            case_received=received_on)
        resp = complaint_response(requested_on, stage=number, acknowledged_on=acknowledged_on,
                                  rule_set_code=rule_set_code or None, case_received=received_on)
        return ack, resp
    if procedure is Procedure.ASC:
        return asc_ack(received_on), asc_response(received_on)
    if number == 3:
        return None, csc_panel(requested_on)
    return None, csc_response(requested_on, stage=number)


def default_rule_set(procedure: Procedure, received_on: date) -> str:
    return rule_set_for(received_on).code if procedure is Procedure.CORPORATE else ""


def band(*, acceptance: str, responded_on: date | None, base_due: date | None, due: date | None, today: date,
         working_days_left: int | None, due_soon_days: int = DUE_SOON_DAYS) -> ClockBand:
    """The list band of a stage: responded, overdue, outside the timescale within an extension, due soon."""
    if acceptance != Acceptance.ACCEPTED.value:
        return ClockBand.NOT_ACCEPTED
    if responded_on is not None:
        return ClockBand.RESPONDED
    if due is None:
        return ClockBand.ON_TRACK
    if today > due:
        return ClockBand.OVERDUE
    if base_due is not None and today > base_due:
        return ClockBand.EXTENDED
    if working_days_left is not None and working_days_left <= due_soon_days:
        return ClockBand.DUE_SOON
    return ClockBand.ON_TRACK


def informal_window_open(received_at: datetime | None, now: datetime) -> bool:
    return received_at is not None and now - received_at <= INFORMAL_WINDOW


# -- what the window and CLI see ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    reference: str
    procedure: Procedure
    received_on: date
    department: str
    service: str
    stage: int
    handler: str
    due: date | None
    base_due: date | None
    band: ClockBand
    outcome: Outcome | None
    acceptance: Acceptance
    summary: str
    version: int


@dataclass(frozen=True)
class ExtensionRow:
    previous_due: date
    new_due: date
    reason: str
    good_reason: str
    communicated_on: date
    ombudsman_details_given: bool
    recorded_by: str


@dataclass(frozen=True)
class StageRow:
    number: int
    requested_on: date
    acknowledged_on: date | None
    handler: str
    responded_on: date | None
    outcome: Outcome | None
    ack_due: date | None
    base_due: date | None
    due: date | None
    max_due: date | None
    days_taken: int | None
    extensions: tuple[ExtensionRow, ...]
    #: "Why this date?": the response clock's explanation, one line each.
    why: tuple[str, ...]


@dataclass(frozen=True)
class RemedyRow:
    id: int
    kind: RemedyKind
    what: str
    owner: str
    due_on: date | None
    done_on: date | None
    cancelled_reason: str


@dataclass(frozen=True)
class ComplaintDetail:
    row: ComplaintRow
    rule_set: str
    issue_on: date | None
    aware_on: date | None
    time_limit: date | None
    exclusion_reason: ExclusionReason | None
    exclusion_evidence: str
    out_of_time_reason: str
    safeguarding: bool
    health_and_safety: bool
    resolved_on: date | None
    closed_on: date | None
    converted_from: str
    stages: tuple[StageRow, ...]
    remedies: tuple[RemedyRow, ...]


@dataclass(frozen=True)
class ComplaintDraft:
    """A new complaint as logged at the front door (stage 1 opens with it)."""

    procedure: Procedure
    received_on: date
    service: str = ""
    department: str = ""
    summary: str = ""
    handler: str = ""
    channel: Channel = Channel.PHONE
    issue_on: date | None = None
    aware_on: date | None = None
    safeguarding: bool = False
    health_and_safety: bool = False
    rule_set: str = ""
    logged_on: date | None = None


@dataclass(frozen=True)
class ContactDraft:
    kind: ContactKind
    received_on: date
    category: EnquiryCategory | None = None
    service: str = ""
    department: str = ""
    summary: str = ""
    channel: Channel = Channel.PHONE
    received_at: datetime | None = None
    logged_on: date | None = None


@dataclass(frozen=True)
class ContactRow:
    id: int
    reference: str
    kind: ContactKind
    received_on: date
    logged_on: date
    category: EnquiryCategory | None
    service: str
    summary: str
    #: The end of the 24-hour informal-resolution window (None when the time of arrival is not known).
    informal_window_ends: datetime | None
    converted_to: str
    version: int


@dataclass(frozen=True)
class ComplimentRow:
    id: int
    logged_on: date
    service: str
    department: str
    text: str
    publish_fy: str


@dataclass(frozen=True)
class ComplainantData:
    """The restricted personal data of one person (only the complaints team and administrators)."""

    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    disclosed_disability: str = ""
    reasonable_adjustments: str = ""
    contact_restrictions: str = ""
    restrictions_review_on: date | None = None


@dataclass(frozen=True)
class RetentionReport:
    """What a retention run deleted (or would delete, on a dry run)."""

    cutoff: date
    dry_run: bool
    complainants: int
    fields: int
    references: tuple[str, ...]

    @property
    def text(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        return (f"Personal data of cases with no activity since before {self.cutoff:%d %B %Y}: {verb} "
                f"{self.complainants} complainant record(s), {self.fields} filled field(s); cases "
                + (", ".join(self.references[:20]) + (" …" if len(self.references) > 20 else "")
                   if self.references else "none")
                + ". Case facts and statistics are kept.")
