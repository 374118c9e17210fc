"""The Local Government and Social Care Ombudsman (LGSCO): vocabularies, rules, rows and the
report's wording (SPEC B.5, B.7, D.5, F.4). Pure Python: no Qt, no SQL.

Two kinds of figure live side by side and are never mixed: what the council's own records say
(computed here from frozen rows) and what the Ombudsman publishes about the council (its annual
letter, the statistical-neighbour table), which riskdesk records as published and only reconciles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from riskdesk.domain.errors import ValidationError

#: A payment above this (in pence) needs the Committee Chair consulted before approval (000:626-627).
CHAIR_CONSULTATION_LIMIT_PENCE = 500_000


class Decision(StrEnum):
    """The Ombudsman's final decision, in the categories the council reports (004:309-314, B.5)."""

    PREMATURE = "premature"
    OUT_OF_JURISDICTION = "out_of_jurisdiction"
    CLOSED_NO_FURTHER_ACTION = "closed_no_further_action"
    NOT_UPHELD_NO_FAULT = "not_upheld_no_fault"
    UPHELD_FAULT_INJUSTICE = "upheld_fault_injustice"
    UPHELD_FAULT_NO_INJUSTICE = "upheld_fault_no_injustice"
    UPHELD_SATISFACTORY_REMEDY = "upheld_satisfactory_remedy"

    @property
    def label(self) -> str:
        return DECISION_LABELS[self]

    @property
    def upheld(self) -> bool:
        """The Ombudsman's "upheld": any fault, including fault the council had already remedied (003:23-31)."""
        return self.value.startswith("upheld_")

    @property
    def investigated(self) -> bool:
        """Decided after a detailed investigation (as opposed to at the assessment stage)."""
        return self in (Decision.NOT_UPHELD_NO_FAULT, Decision.UPHELD_FAULT_INJUSTICE,
                        Decision.UPHELD_FAULT_NO_INJUSTICE, Decision.UPHELD_SATISFACTORY_REMEDY)


DECISION_LABELS: dict[Decision, str] = {
    Decision.PREMATURE: "Premature – referred back for local resolution",
    Decision.OUT_OF_JURISDICTION: "Closed after initial enquiries – out of jurisdiction",
    Decision.CLOSED_NO_FURTHER_ACTION: "Closed after initial enquiries – no further action",
    Decision.NOT_UPHELD_NO_FAULT: "Not upheld – no fault after investigation",
    Decision.UPHELD_FAULT_INJUSTICE: "Upheld – fault and injustice",
    Decision.UPHELD_FAULT_NO_INJUSTICE: "Upheld – fault, no injustice",
    Decision.UPHELD_SATISFACTORY_REMEDY: "Upheld – satisfactory remedy provided by the council",
}


def parse_decision(value: str | Decision) -> Decision:
    """A decision category, or a ValidationError naming every category the Ombudsman uses."""
    if isinstance(value, Decision):
        return value
    text = (value or "").strip()
    for d in Decision:
        if text.lower() in (d.value, d.label.lower()):
            return d
    raise ValidationError("Ombudsman decision", value, "is not one of the Ombudsman's categories: "
                          + "; ".join(d.label for d in Decision))


class Procedure(StrEnum):
    """Which of the council's procedures the complaint went through before the Ombudsman."""

    CORPORATE = "corporate"
    ADULT_SOCIAL_CARE = "asc"
    CHILDRENS_SOCIAL_CARE = "csc"

    @property
    def label(self) -> str:
        return {"corporate": "Corporate", "asc": "Adult social care (statutory)",
                "csc": "Children's social care (statutory)"}[self.value]


class RecommendationKind(StrEnum):
    PERSONAL_REMEDY = "personal_remedy"
    SERVICE_IMPROVEMENT = "service_improvement"
    OTHERS_AFFECTED = "others_affected"

    @property
    def label(self) -> str:
        return {"personal_remedy": "Personal remedy", "service_improvement": "Service improvement",
                "others_affected": "Others similarly affected"}[self.value]


class Comply(StrEnum):
    YES = "yes"
    NO = "no"
    PARTLY = "partly"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: The Ombudsman table's departments, in the order and with the labels the council prints (004:295-300).
LGSCO_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("E&T", "Environment and Transport"),
    ("CFS", "Children and Family Services"),
    ("A&C", "Adults and Communities"),
    ("CR", "Corporate Resources"),
    ("CEX", "Chief Executives"),
    ("PH", "Public Health"),
)


# -- rules -------------------------------------------------------------------------------------------


def check_remedy_approval(amount_pence: int, approved_on: date | None, chair_consulted_on: date | None) -> None:
    """B.7.1: over £5,000 may not be approved unless the Committee Chair was consulted first."""
    if amount_pence <= 0:
        raise ValidationError("amount", money(amount_pence), "must be more than £0")
    if approved_on is None:
        return
    if amount_pence > CHAIR_CONSULTATION_LIMIT_PENCE and chair_consulted_on is None:
        raise ValidationError(
            "approval", money(amount_pence),
            "is over £5,000, so it cannot be approved until the Chair of the Corporate Governance Committee "
            "has been consulted: record the date of that consultation first (delegation of 26 Nov 2012, "
            "000:626-627)")
    if chair_consulted_on is not None and chair_consulted_on > approved_on:
        raise ValidationError("Chair consulted on", chair_consulted_on.isoformat(),
                              f"is after the approval ({approved_on.isoformat()}); the Chair is consulted first")


def check_compliance(completed_on: date | None, decided_on: date | None) -> None:
    """A recommendation cannot have been complied with before the Ombudsman made it."""
    if completed_on is None:
        return
    if decided_on is None:
        raise ValidationError("complied on", completed_on.isoformat(),
                              "cannot be recorded before the Ombudsman's final decision is recorded")
    if completed_on < decided_on:
        raise ValidationError("complied on", completed_on.isoformat(),
                              f"is before the Ombudsman's decision of {decided_on.isoformat()}")


# -- arithmetic and wording (F.0) ---------------------------------------------------------------------

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int, *, capital: bool = False) -> str:
    """``27`` → "twenty-seven" (capital=True: "Twenty-seven"), as 004:309-322 prints counts; 1000+ as digits."""
    if n < 0 or n >= 1000:
        words = f"{n:,}"
    elif n < 20:
        words = _ONES[n]
    elif n < 100:
        words = _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    else:
        rest = n % 100
        words = _ONES[n // 100] + " hundred" + (" and " + number_words(rest) if rest else "")
    return words[:1].upper() + words[1:] if capital else words


def money(pence: int) -> str:
    """``2722215`` → "£27,222.15"; whole pounds print without pence ("£68,945")."""
    pounds, p = divmod(abs(pence), 100)
    sign = "-" if pence < 0 else ""
    return f"{sign}£{pounds:,}" + (f".{p:02d}" if p else "")


def parse_money(text: str) -> int:
    """"£5,000.01" or "5000.01" → pence; a clear error for anything else."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except Exception:
        raise ValidationError("amount", text, "is not an amount of money: write it as 350 or 5,000.01") from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("amount", text, "has more than two decimal places")
    return int(value * 100)


def pct(part: int, whole: int) -> int | None:
    """A share as a whole percentage, rounded half up (F.0); None when there is nothing to divide by."""
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_fy(text: str) -> int:
    """"23/24", "2023/24", "2023-24" or "2023" → 2023 (the year the financial year starts)."""
    t = (text or "").strip().replace("-", "/").replace(" ", "")
    first = t.split("/")[0]
    try:
        start = int(first)
    except ValueError:
        raise ValidationError("year", text, "is not a financial year: write it as 23/24 or 2023/24") from None
    if start < 100:
        start += 2000
    if "/" in t:
        second = t.split("/")[1]
        if not second.isdigit() or int(second) % 100 != (start + 1) % 100:
            raise ValidationError("year", text, "is not a financial year (the second year must follow the first)")
    if not 1990 <= start <= 2100:
        raise ValidationError("year", text, "is out of range")
    return start


def fy_bounds(start: int) -> tuple[date, date]:
    return date(start, 4, 1), date(start + 1, 3, 31)


def fy_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_label(start: int, style: str = "slash") -> str:
    """"2023/24" (slash), "23/24" (short), "2023-24" (dash): the seeds print all three."""
    nxt = (start + 1) % 100
    if style == "short":
        return f"{start % 100:02d}/{nxt:02d}"
    if style == "dash":
        return f"{start}-{nxt:02d}"
    return f"{start}/{nxt:02d}"


# -- rows the services hand out -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDraft:
    """What a person types for an Ombudsman case (the editor's fields)."""

    reference: str
    department: str
    first_enquiry_on: date
    response_due_on: date | None = None
    logged_on: date | None = None
    service_group: str = ""
    procedure: Procedure = Procedure.CORPORATE
    complaint_ref: str = ""
    summary: str = ""
    responded_on: date | None = None
    early_resolution_offered_on: date | None = None
    public_report_on: date | None = None


def validate_case(d: CaseDraft) -> None:
    if not d.reference.strip():
        raise ValidationError("Ombudsman reference", d.reference, "is required (e.g. 23 005 558)")
    if d.department not in {code for code, _ in LGSCO_DEPARTMENTS}:
        raise ValidationError("department", d.department, "is not one of "
                              + ", ".join(code for code, _ in LGSCO_DEPARTMENTS))
    if d.response_due_on is not None and d.response_due_on < d.first_enquiry_on:
        raise ValidationError("reply due", d.response_due_on.isoformat(),
                              f"is before the Ombudsman's enquiry of {d.first_enquiry_on.isoformat()}")
    if d.responded_on is not None and d.responded_on < d.first_enquiry_on:
        raise ValidationError("replied on", d.responded_on.isoformat(),
                              f"is before the Ombudsman's enquiry of {d.first_enquiry_on.isoformat()}")


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list (stored dates only: the list never recounts working days)."""

    id: int
    reference: str
    department: str
    service_group: str
    first_enquiry_on: date
    reply_due_on: date | None  # the due date in force (an agreed extension, else the letter's)
    responded_on: date | None
    decision: Decision | None
    final_decision_on: date | None
    next_due_on: date | None  # the earliest open reply or recommendation date
    next_due_what: str
    open_recommendations: int
    complaint_ref: str
    version: int


@dataclass(frozen=True)
class ExtensionRow:
    id: int
    agreed_on: date
    previous_due: date | None
    new_due: date
    reason: str
    recorded_by: str


@dataclass(frozen=True)
class RecommendationRow:
    id: int
    kind: RecommendationKind
    text: str
    due_on: date | None
    completed_on: date | None

    @property
    def late(self) -> bool:
        return self.due_on is not None and self.completed_on is not None and self.completed_on > self.due_on


@dataclass(frozen=True)
class RemedyRow:
    id: int
    amount_pence: int
    description: str
    others_affected: bool
    beneficiaries: int
    approved_on: date | None
    chair_consulted_on: date | None
    paid_on: date | None


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    draft: CaseDraft
    investigated: bool
    extensions: tuple[ExtensionRow, ...]
    recommendations: tuple[RecommendationRow, ...]
    remedies: tuple[RemedyRow, ...]
    why: tuple[str, ...]  # "why this date?" for the reply due date


@dataclass(frozen=True)
class DueLine:
    """A line of the daily list (002:126-138): what is due, for which case, and when."""

    case_id: int
    reference: str
    department: str
    what: str
    due_on: date
    days_left: int  # calendar days; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class PublishedYear:
    """The Ombudsman's annual letter for one year, recorded exactly as published (003; 000:884-922).

    Percentages and rates are kept as the text printed ("83", "4.5"): riskdesk never recomputes them.
    """

    fy: int
    letter_date: date | None = None
    complaints_and_enquiries_received: int | None = None
    premature: int | None = None
    assessment_closures: int | None = None
    investigations: int | None = None
    upheld: int | None = None
    uphold_pct: str = ""
    similar_avg_uphold_pct: str = ""
    upheld_per_100k: str = ""
    similar_avg_per_100k: str = ""
    compliance_outcomes: int | None = None
    compliance_pct: str = ""
    similar_avg_compliance_pct: str = ""
    satisfactory_remedy_count: int | None = None
    satisfactory_remedy_pct: str = ""
    similar_avg_satisfactory_pct: str = ""
    public_reports: int | None = None
    source: str = ""


@dataclass(frozen=True)
class BenchmarkRow:
    """One authority of the statistical-neighbour table as printed (000:1363-1381)."""

    authority: str
    new_complaints: int
    uphold_pct: int
    per_100k: str
    is_self: bool = False


@dataclass(frozen=True)
class ReconLine:
    """Published by the Ombudsman vs held by the council, one measure."""

    measure: str
    published: int | None
    council: int

    @property
    def difference(self) -> int | None:
        return None if self.published is None else self.council - self.published


@dataclass(frozen=True)
class DecisionGroup:
    """Corporate maladministration findings in one service group, with their payments."""

    label: str
    decisions: int
    payments_pence: tuple[int, ...]


@dataclass(frozen=True)
class OmbudsmanReportData:
    """Everything the Ombudsman report prints, computed by the service from the council's records."""

    fy: int
    generated_on: date
    enquiries: tuple[tuple[str, tuple[int, int, int]], ...]  # (department label, counts newest year first)
    decisions: tuple[tuple[Decision, int], ...]
    prior_fault_injustice: int
    public_reports: int
    corporate_findings: int
    groups: tuple[DecisionGroup, ...]
    compensation_pence: int
    prior_compensation_pence: int
    chair_consulted_payments: int
    published: PublishedYear | None = None
    reconciliation: tuple[ReconLine, ...] = ()
    benchmark: tuple[BenchmarkRow, ...] = ()
    notes: tuple[str, ...] = field(default=())
    #: (year, enquiries that year, replies sent by the due date in force), newest first (002:39-64).
    replies: tuple[tuple[int, int, int], ...] = ()

    @property
    def title(self) -> str:
        return f"Local Government and Social Care Ombudsman {fy_label(self.fy, 'dash')}"

    @property
    def enquiry_years(self) -> tuple[str, str, str]:
        return (fy_label(self.fy, "short"), fy_label(self.fy - 1, "short"), fy_label(self.fy - 2, "short"))

    @property
    def enquiries_total(self) -> tuple[int, int, int]:
        return (sum(c[0] for _, c in self.enquiries), sum(c[1] for _, c in self.enquiries),
                sum(c[2] for _, c in self.enquiries))

    def count(self, decision: Decision) -> int:
        return dict(self.decisions).get(decision, 0)

    @property
    def decisions_total(self) -> int:
        return sum(n for _, n in self.decisions)


#: The decisions paragraph's bullets, in 004's order (F.4 R-LG2); None = printed only when non-zero.
_BULLETS: tuple[tuple[Decision, str, bool], ...] = (
    (Decision.OUT_OF_JURISDICTION, "identified as outside of the Ombudsman's remit", True),
    (Decision.CLOSED_NO_FURTHER_ACTION, "closed after initial enquiries (the Assessment stage) with no "
     "further action", True),
    (Decision.NOT_UPHELD_NO_FAULT, "closed after detailed investigation and with no maladministration found", True),
    (Decision.UPHELD_FAULT_INJUSTICE, "cases of maladministration and injustice were found", True),
    (Decision.UPHELD_FAULT_NO_INJUSTICE, "found fault but no injustice", False),
    (Decision.UPHELD_SATISFACTORY_REMEDY, "upheld where the Council had already provided a satisfactory remedy",
     False),
    (Decision.PREMATURE, "considered to be premature and referred back to the Council to complete their "
     "complaints procedure", True),
)


def decision_bullets(data: OmbudsmanReportData) -> list[str]:
    """"Six identified as outside of the Ombudsman's remit." … numbers as words, capitalised."""
    out = []
    for decision, words, always in _BULLETS:
        n = data.count(decision)
        if not n and not always:
            continue
        verb = "" if decision in (Decision.UPHELD_FAULT_INJUSTICE, Decision.OUT_OF_JURISDICTION,
                                  Decision.UPHELD_FAULT_NO_INJUSTICE) else ("was " if n == 1 else "were ")
        if decision == Decision.UPHELD_FAULT_INJUSTICE and n == 1:
            words = "case of maladministration and injustice was found"
        out.append(f"{number_words(n, capital=True)} {verb}{words}.")
    return out


def decision_sentences(data: OmbudsmanReportData) -> dict[str, str]:
    """The sentences around the bullets, keyed by what they say (the PDF and Word writers share them)."""
    prior = fy_label(data.fy - 1)
    now = data.count(Decision.UPHELD_FAULT_INJUSTICE)
    if now > data.prior_fault_injustice:
        trend = f"increased this year from {data.prior_fault_injustice} in {prior}"
    elif now < data.prior_fault_injustice:
        trend = f"decreased this year from {data.prior_fault_injustice} in {prior}"
    else:
        trend = f"stayed the same as in {prior} ({now})"
    if data.public_reports == 0:
        public = "No Public reports were issued against the Council during the year."
    elif data.public_reports == 1:
        public = "One Public report was issued against the Council during the year."
    else:
        public = (f"{number_words(data.public_reports, capital=True)} Public reports were issued against the "
                  "Council during the year.")
    if data.compensation_pence < data.prior_compensation_pence:
        change = "a decrease from"
    elif data.compensation_pence > data.prior_compensation_pence:
        change = "an increase from"
    else:
        change = "the same as"
    return {
        "decisions": f"The LGSCO issued Final Decisions on {data.decisions_total} cases during the year.",
        "trend": f"The numbers of cases where the Ombudsman highlighted maladministration {trend}.",
        "public": public,
        "corporate": (f"{number_words(data.corporate_findings, capital=True)} of the {number_words(now)} "
                      "maladministration findings related to corporate services."),
        "compensation": ("Total compensation payments recommended by the Ombudsman this year amounted to "
                         f"{money(data.compensation_pence)} {change} {money(data.prior_compensation_pence)} "
                         f"in {prior}."),
        "enquiries": (f"During the year {fy_label(data.fy, 'dash')}, the LGSCO made enquiries into "
                      f"{data.enquiries_total[0]} complaints."),
        "chair": (f"The Chair of the Corporate Governance Committee was consulted on "
                  f"{number_words(data.chair_consulted_payments)} payment"
                  f"{'s' if data.chair_consulted_payments != 1 else ''} that exceeded the £5,000 limit."),
    }


def group_heading(g: DecisionGroup) -> str:
    return f"{g.label} – {g.decisions} Decision{'s' if g.decisions != 1 else ''}"


def group_payments(g: DecisionGroup) -> str:
    if not g.payments_pence:
        return "No payments were recommended."
    if len(g.payments_pence) == 1:
        return f"The Council agreed to make a payment of {money(g.payments_pence[0])}."
    return (f"Payments ranging from {money(min(g.payments_pence))} to {money(max(g.payments_pence))}, "
            f"total {money(sum(g.payments_pence))}.")


# -- the Code self-assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfAssessmentRow:
    id: int
    position: int
    section: int
    section_title: str
    sub_heading: str
    code_ref: str
    requirement: str
    comply: Comply | None
    explanation: str
    evidence: str
    target_date: date | None


@dataclass(frozen=True)
class SelfAssessmentData:
    id: int
    fy: int
    template: str
    status: str  # "draft" or "presented"
    presented_on: date | None
    presented_by: str
    rows: tuple[SelfAssessmentRow, ...]
    version: int

    @property
    def frozen(self) -> bool:
        return self.status == "presented"

    @property
    def title(self) -> str:
        return f"Complaint Handling Code self-assessment {fy_label(self.fy)}"


SELF_ASSESSMENT_COLUMNS = ("Code section", "Code requirement", "Comply: Yes/No", "Explanations and Commentary",
                           "Evidence")


def published_from_dict(data: dict[str, object]) -> tuple[PublishedYear, tuple[BenchmarkRow, ...]]:
    """The Ombudsman's annual letter (and optionally its neighbours' table) from a typed record, as
    ``riskdesk ombudsman record-letter`` reads it. Unknown keys and wrong types are named, not ignored."""
    fields = PublishedYear.__dataclass_fields__
    known = set(fields) | {"benchmark"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError("letter", ", ".join(unknown), "is not a field of the Ombudsman's letter; use "
                              + ", ".join(sorted(known)))
    if "fy" not in data:
        raise ValidationError("letter", "fy", "is required (e.g. \"2023/24\")")
    values: dict[str, object] = {}
    for name, value in data.items():
        if name == "benchmark":
            continue
        if name == "fy":
            values[name] = parse_fy(str(value))
        elif name == "letter_date":
            try:
                values[name] = date.fromisoformat(str(value)) if value else None
            except ValueError:
                raise ValidationError("letter_date", value, "is not a date: write it as YYYY-MM-DD") from None
        elif fields[name].type in ("int | None",):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ValidationError(name, value, "must be a whole number of 0 or more")
            values[name] = value
        else:
            values[name] = "" if value is None else str(value).strip().rstrip("%")  # kept as printed
    table = data.get("benchmark") or []
    if not isinstance(table, list):
        raise ValidationError("benchmark", table, "must be a list of rows, one per authority")
    rows = tuple(_benchmark_row(i, row) for i, row in enumerate(table, 1))
    return PublishedYear(**values), rows  # type: ignore[arg-type]


_BENCHMARK_FIELDS = ("authority", "new_complaints", "uphold_pct", "per_100k", "is_self")


def _benchmark_row(i: int, row: object) -> BenchmarkRow:
    """Row ``i`` of the letter's neighbours' table, each value as printed or refused: never a
    number rounded (12.7 complaints), a "false" taken as true, or a missing figure printed "None"."""
    where = f"benchmark row {i}"
    if not isinstance(row, dict):
        raise ValidationError(where, row, "must be an object with " + ", ".join(_BENCHMARK_FIELDS[:4]))
    unknown = sorted(set(row) - set(_BENCHMARK_FIELDS))
    if unknown:
        raise ValidationError(where, ", ".join(unknown), "is not a field of a benchmark row; use "
                              + ", ".join(_BENCHMARK_FIELDS))
    missing = [name for name in _BENCHMARK_FIELDS[:4] if row.get(name) in (None, "")]
    if missing:
        raise ValidationError(where, ", ".join(missing), "is required (every row needs authority, "
                              "new_complaints, uphold_pct and per_100k)")
    authority, per_100k = row["authority"], row["per_100k"]
    if not isinstance(authority, str) or not authority.strip():
        raise ValidationError(f"{where} authority", authority, "must be the authority's name")
    if isinstance(per_100k, bool) or not isinstance(per_100k, str | int | float):
        raise ValidationError(f"{where} per_100k", per_100k, "must be the figure as printed (e.g. \"4.5\")")
    complaints = row["new_complaints"]
    if isinstance(complaints, bool) or not isinstance(complaints, int) or complaints < 0:
        raise ValidationError(f"{where} new_complaints", complaints, "must be a whole number of 0 or more")
    pct = row["uphold_pct"]
    text = pct.strip().removesuffix("%").strip() if isinstance(pct, str) else None
    if text is not None and text.isdigit():
        pct = int(text)  # "71" or "71%", as printed
    if isinstance(pct, bool) or not isinstance(pct, int) or not 0 <= pct <= 100:
        raise ValidationError(f"{where} uphold_pct", row["uphold_pct"], "must be a whole percentage from 0 to 100")
    is_self = row.get("is_self", False)
    if not isinstance(is_self, bool):
        raise ValidationError(f"{where} is_self", is_self, "must be true or false (without quotes)")
    return BenchmarkRow(authority.strip(), complaints, pct, str(per_100k).strip(), is_self)
