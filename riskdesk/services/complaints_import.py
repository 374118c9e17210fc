"""Import a complaints log exported from another case-management system (an iCasework-style sheet).

The file is read by the import machinery's readers (``riskdesk.io.readers``: Excel, ODS, CSV,
with their size, encoding and password checks). Columns are found by their headings (the
"iCasework export" mapping below; headings are matched ignoring case and spacing). A dry run
names every problem by row and column; the import itself is all or nothing, in one transaction
with one audit entry. "Partially upheld" is never stored: it is refused unless the user confirms
that such rows are imported as Fault Found (Code 6.8), and the audit entry says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from riskdesk.domain.calendars import CalendarId, get
from riskdesk.domain.complaints import (
    ContactKind,
    Outcome,
    Procedure,
    default_rule_set,
    parse_outcome,
    stage_clock,
)
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor
from riskdesk.models import (
    Complaint,
    ComplaintService,
    ComplaintServiceAlias,
    ComplaintStage,
    Contact,
    Department,
)
from riskdesk.services.base import ServiceContext

#: Field → headings an iCasework-style export uses for it (compared lower-case, spaces squeezed).
ICASEWORK_MAPPING: dict[str, tuple[str, ...]] = {
    "reference": ("case reference", "case ref", "reference", "case id"),
    "procedure": ("case type", "procedure", "complaint type"),
    "received": ("date received", "received", "received date", "date opened"),
    "service": ("service", "service area"),
    "department": ("department", "directorate"),
    "handler": ("handler", "case owner", "investigating officer"),
    "responded": ("stage 1 response date", "response date", "date responded", "responded"),
    "outcome": ("outcome", "stage 1 outcome", "decision"),
    "summary": ("summary", "description", "nature of complaint"),
}
REQUIRED = ("reference", "received")
#: The export's outcome words riskdesk's outcomes stand for (an upheld complaint is one where fault was found).
OUTCOME_WORDS = {"upheld": Outcome.FAULT_FOUND, "not upheld": Outcome.NOT_UPHELD, "no finding": Outcome.NO_FINDING,
                 "withdrawn": Outcome.WITHDRAWN, "fault found": Outcome.FAULT_FOUND}
_PARTIAL = re.compile(r"^\s*(partially|partly)[\s_-]*upheld\s*$|^\s*upheld in part\s*$", re.I)


@dataclass(frozen=True)
class ImportProblem:
    row: int  # as the spreadsheet numbers it
    column: str  # the heading as written in the file
    value: str
    reason: str

    @property
    def text(self) -> str:
        return f"row {self.row}, {self.column}: “{self.value}” {self.reason}"


@dataclass(frozen=True)
class ComplaintsImportResult:
    rows: int
    imported: int
    dry_run: bool
    problems: tuple[ImportProblem, ...]
    partially_upheld_as_fault_found: int = 0

    @property
    def text(self) -> str:
        if self.problems:
            head = f"{len(self.problems)} problem(s) in {self.rows} row(s); nothing was imported:"
            return "\n".join([head, *(f"  {p.text}" for p in self.problems)])
        verb = "would import" if self.dry_run else "imported"
        extra = (f" ({self.partially_upheld_as_fault_found} \"partially upheld\" recorded as Fault Found, as "
                 "confirmed)" if self.partially_upheld_as_fault_found else "")
        return f"{self.rows} row(s) read; {verb} {self.imported} complaint(s){extra}."


def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").split())


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %b %Y", "%d %B %Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("is not a date (write it as 31/03/2024)")


def _procedure(text: str) -> Procedure:
    t = _norm(text)
    if not t or "corporate" in t or "stage" in t:
        return Procedure.CORPORATE
    if "adult" in t:
        return Procedure.ASC
    if "child" in t:
        return Procedure.CSC
    raise ValueError("is not a procedure riskdesk knows (corporate, adult social care, children's social care)")


class ComplaintsImporter:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def run(self, actor: Actor, path: str | Path, *, dry_run: bool = True,
            partially_upheld_as_fault_found: bool = False, sheet: str | None = None) -> ComplaintsImportResult:
        """Check (and unless ``dry_run``, import) every row; any problem imports nothing."""
        from riskdesk.io.mapping import cell_text
        from riskdesk.io.readers import read_workbook

        grid = read_workbook(path).sheet(sheet).grid
        if not grid:
            raise ValidationError("file", str(path), "has no rows")
        header = [cell_text(c) for c in grid[0]]
        columns: dict[str, int] = {}
        for i, h in enumerate(header):
            for field_name, names in ICASEWORK_MAPPING.items():
                if _norm(h) in names and field_name not in columns:
                    columns[field_name] = i
        missing = [f for f in REQUIRED if f not in columns]
        if missing:
            raise ValidationError("headings", ", ".join(h for h in header if h),
                                  "lack " + " and ".join(ICASEWORK_MAPPING[f][0].title() for f in missing)
                                  + " (the iCasework export mapping needs them)")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            by_id = {i: (i, d) for i, d in s.execute(select(ComplaintService.id, ComplaintService.department_id))}
            services = {n.lower(): by_id[i] for i, n in s.execute(select(ComplaintService.id, ComplaintService.name))}
            for sid, alias in s.execute(select(ComplaintServiceAlias.service_id, ComplaintServiceAlias.alias)):
                services[alias.lower()] = by_id[sid]
            departments = {c.lower(): i for i, c in s.execute(select(Department.id, Department.code))}
            existing = {r.lower() for r in s.scalars(select(Complaint.reference))}
            problems: list[ImportProblem] = []
            rows: list[dict[str, Any]] = []
            partial = 0
            seen: set[str] = set()
            for n, raw in enumerate(grid[1:], start=2):
                if all(cell_text(c).strip() == "" for c in raw):
                    continue

                def cell(name: str, raw: Any = raw) -> Any:
                    i = columns.get(name)
                    return raw[i] if i is not None and i < len(raw) else None

                def bad(name: str, value: Any, reason: str, n: int = n) -> None:
                    problems.append(ImportProblem(n, header[columns[name]], cell_text(value), reason))

                rec: dict[str, Any] = {"row": n}
                ref = cell_text(cell("reference")).strip()
                if not ref:
                    bad("reference", "", "is empty: every case needs its reference")
                elif ref.lower() in existing or ref.lower() in seen:
                    bad("reference", ref, "is already a complaint in riskdesk or earlier in this file")
                seen.add(ref.lower())
                rec["reference"] = ref
                for name in ("received", "responded"):
                    try:
                        rec[name] = _date(cell(name))
                    except ValueError as exc:
                        bad(name, cell(name), str(exc))
                if rec.get("received") is None and header[columns["received"]] not in [
                        p.column for p in problems if p.row == n]:
                    bad("received", "", "is empty: the date received starts every clock")
                try:
                    rec["procedure"] = _procedure(cell_text(cell("procedure")))
                except ValueError as exc:
                    bad("procedure", cell("procedure"), str(exc))
                svc = cell_text(cell("service")).strip()
                if svc and svc.lower() not in services:
                    bad("service", svc, "is not a service or alias riskdesk knows (add it first)")
                rec["service"] = services.get(svc.lower()) if svc else None
                dep = cell_text(cell("department")).strip()
                if dep and dep.lower() not in departments:
                    bad("department", dep, "is not a department code riskdesk knows")
                rec["department_id"] = departments.get(dep.lower()) if dep else None
                outcome_text = cell_text(cell("outcome")).strip()
                rec["outcome"] = None
                if outcome_text:
                    if _PARTIAL.match(outcome_text):
                        if partially_upheld_as_fault_found:
                            rec["outcome"], partial = Outcome.FAULT_FOUND, partial + 1
                        else:
                            bad("outcome", outcome_text, "cannot be recorded (Code 6.8: no \"partially upheld\"); "
                                "confirm that such rows are imported as Fault Found to go on")
                    elif _norm(outcome_text) in OUTCOME_WORDS:
                        rec["outcome"] = OUTCOME_WORDS[_norm(outcome_text)]
                    else:
                        try:
                            rec["outcome"] = parse_outcome(outcome_text)
                        except ValidationError as exc:
                            bad("outcome", outcome_text, exc.reason)
                if rec.get("responded") and not outcome_text:
                    bad("outcome", outcome_text, "is needed for a case with a response date")
                if rec.get("responded") and rec.get("received") and rec["responded"] < rec["received"]:
                    bad("responded", cell("responded"), "is before the date received")
                rec["handler"] = cell_text(cell("handler")).strip()
                rec["summary"] = cell_text(cell("summary")).strip()
                rows.append(rec)
            result = ComplaintsImportResult(len(rows), 0 if problems else len(rows), dry_run, tuple(problems),
                                            partial)
            if problems or dry_run:
                return result
            self._insert(s, rows)
            self._ctx.audit(s, user, "complaint.import", "complaint", None, Path(path).name,
                            {"complaints": [None, len(rows)]},
                            note=(f"{partial} \"partially upheld\" recorded as Fault Found, as the user confirmed"
                                  if partial else ""))
            return result

    @staticmethod
    def _insert(s: Any, rows: list[dict[str, Any]]) -> None:
        cal = get(CalendarId.COMPLAINTS)
        n = (s.scalar(select(func.count()).select_from(Contact)) or 0)
        for rec in rows:
            n += 1
            sid, sdep = rec["service"] or (None, None)
            dep = rec["department_id"] or sdep
            proc: Procedure = rec["procedure"]
            contact = Contact(reference=f"CT-IMP-{n:06d}", kind=ContactKind.COMPLAINT.value,
                              received_on=rec["received"], logged_on=rec["received"], channel="email",
                              department_id=dep, service_id=sid)
            s.add(contact)
            s.flush()
            rs = default_rule_set(proc, rec["received"])
            ack, resp = stage_clock(proc, 1, received_on=rec["received"], requested_on=rec["received"],
                                    acknowledged_on=None, rule_set_code=rs)
            responded = rec.get("responded")
            outcome: Outcome | None = rec.get("outcome")
            c = Complaint(reference=rec["reference"], contact_id=contact.id, procedure=proc.value, rule_set=rs,
                          received_on=rec["received"], department_id=dep, service_id=sid, summary=rec["summary"],
                          final_outcome=outcome.value if responded and outcome else None,
                          resolved_on=responded)
            c.stages.append(ComplaintStage(
                number=1, requested_on=rec["received"], handler=rec["handler"], responded_on=responded,
                outcome=outcome.value if responded and outcome else None, ack_due=ack.due if ack else None,
                base_due=resp.base_due, due=resp.base_due, max_due=resp.maximum,
                days_taken=cal.working_days_between(rec["received"], responded) if responded else None))
            s.add(c)
        s.flush()
