"""The complaints figures the council publishes, computed from records (SPEC F.0–F.3), frozen
when presented, and printed through ``reports/complaints_report*.py``.

Two reports: ``complaints`` (the Corporate Complaints & Compliments Annual Report, 004) and
``item8`` (the complaints part of the committee's annual LGSCO report, 000 item 8). Each is a
JSON-able dict of figures; presenting stores it with its SHA-256, and from then on that year's
report prints from the stored figures (byte for byte) and the next year's "prior" column reads
them rather than recounting records that may since have changed (SPEC D.8).

Bases, as the printed definitions say: contacts by the date the team LOGGED them; complaints by
the date RECEIVED; Stage 1 and Stage 2 performance and outcomes by the date of the RESPONSE.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from riskdesk.domain.actor import Actor
from riskdesk.domain.casework_figures import change, check_narrative, fy_label, parse_fy, pct
from riskdesk.domain.complaints import Acceptance, ContactKind, EnquiryCategory, Outcome, Procedure
from riskdesk.domain.errors import NotFound, ValidationError
from riskdesk.domain.permissions import Permission
from riskdesk.models import (
    CaseworkReport,
    Complaint,
    ComplaintRemedy,
    ComplaintService,
    ComplaintServiceAlias,
    ComplaintStage,
    Compliment,
    Contact,
    Department,
)
from riskdesk.services.base import ServiceContext

KINDS = ("complaints", "item8")
#: Department order of the council's complaints tables (004:295-300); others follow by code.
DEPARTMENT_ORDER = ("E&T", "CFS", "A&C", "CR", "CEX", "PH")
#: The other name each table prints for a service (a report template's alias choice).
ALIASES = {
    "prior_top5": ("SENA Services",),
    "top5": (),
    "item8_top5": ("SEN Assessment", "Highway Maintenance"),
    "appendix": ("SEN Assessment",),
}


def _bounds(fy: str) -> tuple[date, date]:
    start = int(fy[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def _prior(fy: str) -> str:
    start = int(fy[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


# The enum values the queries and counts compare with, looked up once (not once per row).
_CORPORATE, _ASC, _CSC = Procedure.CORPORATE.value, Procedure.ASC.value, Procedure.CSC.value
_FAULT_FOUND, _NOT_UPHELD = Outcome.FAULT_FOUND.value, Outcome.NOT_UPHELD.value
_NO_FINDING, _WITHDRAWN = Outcome.NO_FINDING.value, Outcome.WITHDRAWN.value
_NOT_ACCEPTED = Acceptance.NOT_ACCEPTED.value
_ENQUIRY_KINDS = (ContactKind.ENQUIRY.value, ContactKind.SERVICE_REQUEST.value)
_COMPLAINT_KIND = ContactKind.COMPLAINT.value


@dataclass(frozen=True)
class _Received:
    """One year's complaints by the date RECEIVED (not-accepted ones left out), counted in SQL."""

    by_procedure: dict[str, int]
    #: Corporate complaints per service (None: no service recorded).
    corporate_by_service: dict[int | None, int]
    corporate: int
    #: Corporate complaints whose final outcome is Fault Found.
    upheld: int
    #: Children's statutory complaints that went to the Ombudsman.
    csc_ombudsman: int
    #: All procedures, per department id (None: no department recorded).
    by_department: dict[int | None, int]


def _received_counts(s: Session, fy: str) -> _Received:
    start, end = _bounds(fy)
    c = Complaint
    by_procedure: Counter[str] = Counter()
    by_service: Counter[int | None] = Counter()
    by_department: Counter[int | None] = Counter()
    upheld = csc_ombudsman = 0
    for procedure, sid, dep, outcome, n, ombudsman in s.execute(
            select(c.procedure, c.service_id, c.department_id, c.final_outcome, func.count(),
                   func.count(case((c.went_to_ombudsman, 1))))
            .where(c.received_on >= start, c.received_on <= end, c.acceptance != _NOT_ACCEPTED)
            .group_by(c.procedure, c.service_id, c.department_id, c.final_outcome)):
        by_procedure[procedure] += n
        by_department[dep] += n
        if procedure == _CORPORATE:
            by_service[sid] += n
            if outcome == _FAULT_FOUND:
                upheld += n
        elif procedure == _CSC:
            csc_ombudsman += ombudsman
    return _Received(dict(by_procedure), dict(by_service), by_procedure.get(_CORPORATE, 0), upheld, csc_ombudsman,
                     dict(by_department))


@dataclass(frozen=True)
class _ResponseGroup:
    """Stage responses sent in a year with the same procedure, service and outcome as at the year end."""

    procedure: str
    service_id: int | None
    outcome: str | None
    #: The complaint's final outcome as recorded now (the learning coverage).
    final_outcome: str | None
    n: int
    #: How many took at most 10, 20 and 40 working days, and more than 65 (none where not recorded).
    le10: int
    le20: int
    le40: int
    gt65: int
    #: How many of the complaints have a remedy recorded.
    remedied: int


def _response_groups(s: Session, fy: str, number: int) -> list[_ResponseGroup]:
    """Stage ``number`` responses sent in the year, grouped. The outcome (Table 5) is the next stage's
    if that was answered by the year end, else this stage's."""
    start, end = _bounds(fy)
    st, c = ComplaintStage, Complaint
    later = aliased(ComplaintStage)
    days = st.days_taken
    remedied = select(ComplaintRemedy.id).where(ComplaintRemedy.complaint_id == st.complaint_id).exists()
    stmt = (select(c.procedure, c.service_id, st.outcome, later.outcome, c.final_outcome, func.count(),
                   func.count(case((days <= 10, 1))), func.count(case((days <= 20, 1))),
                   func.count(case((days <= 40, 1))), func.count(case((days > 65, 1))),
                   func.count(case((remedied, 1))))
            .join(c, c.id == st.complaint_id)
            .outerjoin(later, and_(later.complaint_id == st.complaint_id, later.number == st.number + 1,
                                   later.responded_on <= end))
            .where(st.number == number, st.responded_on >= start, st.responded_on <= end)
            .group_by(c.procedure, c.service_id, st.outcome, later.outcome, c.final_outcome))
    return [_ResponseGroup(p, sid, o2 or o1, final, n, le10, le20, le40, gt65, rem)
            for p, sid, o1, o2, final, n, le10, le20, le40, gt65, rem in s.execute(stmt)]


class CaseworkReportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- figures -----------------------------------------------------------------------------------

    def figures(self, actor: Actor, kind: str, fy: str) -> dict[str, Any]:
        """The report's figures: as presented if it has been, else computed from records now."""
        kind, fy = self._check(kind, fy)
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            frozen = self._frozen(s, kind, fy)
            if frozen is not None:
                return frozen
            return self._compute(s, kind, fy)

    def present(self, actor: Actor, kind: str, fy: str, *, on: date | None = None) -> str:
        """Freeze the report's figures as presented; returns their SHA-256. A second present is refused."""
        kind, fy = self._check(kind, fy)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            if self._frozen(s, kind, fy) is not None:
                raise ValidationError("report", f"{kind} {fy}", "has already been presented; it reprints as it was")
            figures = self._compute(s, kind, fy)
            payload = json.dumps(figures, sort_keys=True, ensure_ascii=False)
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            s.add(CaseworkReport(kind=kind, fy=fy, presented_on=on or date.today(), presented_by=user.login,
                                 payload=payload, digest=digest))
            self._ctx.audit(s, user, "casework_report.present", "casework_report", None, f"{kind} {fy}",
                            {"digest": [None, digest]})
            return digest

    def narrative_flags(self, actor: Actor, text: str) -> list[str]:
        """Percentages in the officer's prose that the numbers beside them contradict."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
        return [f.text for f in check_narrative(text)]

    def write(self, actor: Actor, kind: str, fy: str, out: str | Path, *, fmt: str = "pdf") -> Path:
        """Print the report (PDF or Word) from its figures."""
        figures = self.figures(actor, kind, fy)
        if fmt == "docx":
            from riskdesk.reports.complaints_report_docx import write_docx

            return write_docx(figures, Path(out))
        from riskdesk.reports.complaints_report import write_pdf

        return write_pdf(figures, Path(out))

    def text(self, actor: Actor, kind: str, fy: str) -> str:
        from riskdesk.reports.complaints_report import plain_text

        return plain_text(self.figures(actor, kind, fy))

    @staticmethod
    def _check(kind: str, fy: str) -> tuple[str, str]:
        if kind not in KINDS:
            raise ValidationError("report", kind, "is not a casework report riskdesk knows: " + ", ".join(KINDS))
        try:
            return kind, parse_fy(fy)
        except ValueError as exc:
            raise ValidationError("year", fy, str(exc)) from None

    @staticmethod
    def _frozen(s: Session, kind: str, fy: str) -> dict[str, Any] | None:
        payload = s.scalar(select(CaseworkReport.payload).where(CaseworkReport.kind == kind, CaseworkReport.fy == fy))
        return json.loads(payload) if payload else None

    def _compute(self, s: Session, kind: str, fy: str) -> dict[str, Any]:
        if kind == "item8":
            return self._item8(s, fy)
        return self._annual(s, fy)

    # -- helpers over records ----------------------------------------------------------------------
    #
    # Every figure is counted in SQL (GROUP BY with conditional counts), at most once per year and
    # table per computation: at 100,000 complaints, reading each row into Python to count it cost
    # more than the rest of the report together (issue 13). Nothing is grouped by an expression
    # (PostgreSQL's server-side parameters would make ``GROUP BY CASE … $1`` differ from the select
    # list's ``$5``): the conditions sit inside the aggregates.

    @staticmethod
    def _service_names(s: Session, prefer: tuple[str, ...]) -> dict[int, str]:
        names = dict(s.execute(select(ComplaintService.id, ComplaintService.name)).all())
        if prefer:
            for sid, alias in s.execute(select(ComplaintServiceAlias.service_id, ComplaintServiceAlias.alias)):
                if alias in prefer:
                    names[sid] = alias
        return names

    @staticmethod
    def _cached(s: Session, key: tuple[Any, ...], make: Any) -> Any:
        """One query per (kind, year) per computation: a report asks for the same figures many times."""
        cache = s.info.setdefault("casework figures", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def _received(self, s: Session, fy: str) -> _Received:
        return self._cached(s, ("received", fy), lambda: _received_counts(s, fy))

    def _responses(self, s: Session, fy: str, number: int) -> list[_ResponseGroup]:
        return self._cached(s, ("responses", fy, number), lambda: _response_groups(s, fy, number))

    def _service_flags(self, s: Session) -> tuple[frozenset[int], frozenset[int]]:
        """(services left out of the top five, children's social care services under the corporate procedure)."""
        def make() -> tuple[frozenset[int], frozenset[int]]:
            excluded = frozenset(s.scalars(select(ComplaintService.id)
                                           .where(ComplaintService.exclude_from_top_services)))
            csc = frozenset(s.scalars(select(ComplaintService.id).where(ComplaintService.childrens_social_care)))
            return excluded, csc

        return self._cached(s, ("service flags",), make)

    def _corporate_block(self, s: Session, fy: str, prefer: tuple[str, ...]) -> dict[str, Any]:
        return self._cached(s, ("corporate", fy, prefer), lambda: self._corporate_rows(s, fy, prefer))

    def _corporate_rows(self, s: Session, fy: str, prefer: tuple[str, ...]) -> dict[str, Any]:
        rec = self._received(s, fy)
        names = self._cached(s, ("names", prefer), lambda: self._service_names(s, prefer))
        excluded, csc_corp = self._service_flags(s)
        by_service = {sid: n for sid, n in rec.corporate_by_service.items() if sid is not None}
        top = sorted(((names[sid], n) for sid, n in by_service.items() if sid not in excluded),
                     key=lambda x: (-x[1], x[0]))[:5]
        s1 = [g for g in self._responses(s, fy, 1) if g.procedure == _CORPORATE]
        s2 = [g for g in self._responses(s, fy, 2) if g.procedure == _CORPORATE]
        s1_n = sum(g.n for g in s1)
        within = {10: sum(g.le10 for g in s1), 20: sum(g.le20 for g in s1), 40: sum(g.le40 for g in s1)}
        s2_n = sum(g.n for g in s2)
        s2_within = sum(g.le20 for g in s2)
        outcomes: Counter[str | None] = Counter()
        for g in s1:
            outcomes[g.outcome] += g.n
        return {
            "received": rec.corporate,
            "upheld": rec.upheld,
            "upheld_pct": pct(rec.upheld, rec.corporate),
            "top5": [[n, c] for n, c in top],
            "by_service": {names[sid]: n for sid, n in by_service.items()},
            "excluded_from_top": sum(n for sid, n in by_service.items() if sid in excluded),
            "csc_under_corporate": sum(n for sid, n in by_service.items() if sid in csc_corp),
            "s1_responses": s1_n,
            "s1_within": {str(k): v for k, v in within.items()},
            "s1_pct": {str(k): pct(v, s1_n) for k, v in within.items()},
            "s1_over40": s1_n - within[40],
            "s1_over40_pct": pct(s1_n - within[40], s1_n),
            "s2_responses": s2_n,
            "s2_within20": s2_within,
            "s2_over20": s2_n - s2_within,
            "s2_pct": pct(s2_within, s2_n),
            "outcomes": {o: outcomes.get(o, 0) for o in (_FAULT_FOUND, _NOT_UPHELD, _NO_FINDING)},
            "withdrawn": outcomes.get(_WITHDRAWN, 0),
        }

    def _asc_block(self, s: Session, fy: str) -> dict[str, Any]:
        received = self._received(s, fy).by_procedure.get(_ASC, 0)
        resp = [g for g in self._responses(s, fy, 1) if g.procedure == _ASC]
        n = sum(g.n for g in resp)
        within = sum(g.le20 for g in resp)
        over65 = sum(g.gt65 for g in resp)
        fault = sum(g.n for g in resp if g.outcome == _FAULT_FOUND)
        return {"received": received, "responses": n, "within20_pct": pct(within, n),
                "over65": over65, "fault_pct": pct(fault, n)}

    def _csc_block(self, s: Session, fy: str) -> dict[str, Any]:
        rec = self._received(s, fy)
        accepted = rec.by_procedure.get(_CSC, 0)
        start, end = _bounds(fy)
        st, c = ComplaintStage, Complaint
        # Stages of the children's complaints RECEIVED in the year (each complaint has one row per stage).
        by_number = {number: (n, within, over40) for number, n, within, over40 in s.execute(
            select(st.number, func.count(), func.count(case((st.days_taken <= 20, 1))),
                   func.count(case((st.days_taken > 40, 1))))
            .join(c, c.id == st.complaint_id)
            .where(c.procedure == _CSC, c.received_on >= start, c.received_on <= end,
                   c.acceptance != _NOT_ACCEPTED)
            .group_by(st.number))}
        s2 = by_number.get(2, (0, 0, 0))[0]
        s3 = by_number.get(3, (0, 0, 0))[0]
        _n1, within, over40 = by_number.get(1, (0, 0, 0))
        return {"accepted": accepted, "stage2": s2, "stage2_pct": pct(s2, accepted), "stage3": s3,
                "ombudsman": rec.csc_ombudsman, "within20_pct": pct(within, accepted),
                "over40": over40, "over40_pct": pct(over40, accepted)}

    def _corporate_received(self, s: Session, fy: str) -> int:
        """Corporate complaints received in a year (the trend): one indexed COUNT, not the year's rows."""
        cached = s.info.get("casework figures", {}).get(("received", fy))
        if cached is not None:
            return cached.corporate
        start, end = _bounds(fy)
        c = Complaint
        return s.scalar(select(func.count()).select_from(c).where(
            c.procedure == _CORPORATE, c.received_on >= start, c.received_on <= end,
            c.acceptance != _NOT_ACCEPTED)) or 0

    def _prior_block(self, s: Session, kind: str, fy: str, compute: Any) -> dict[str, Any]:
        frozen = self._frozen(s, kind, fy)
        if frozen is not None:
            return dict(frozen.get("current", {}), frozen=True)
        return dict(compute(), frozen=False)

    # -- item 8 (000:630-689) ----------------------------------------------------------------------

    def _item8(self, s: Session, fy: str) -> dict[str, Any]:
        prefer = ALIASES["item8_top5"]

        def block(year: str) -> dict[str, Any]:
            return {"corporate": self._corporate_block(s, year, prefer), "asc": self._asc_block(s, year),
                    "csc": self._csc_block(s, year)}

        current = block(fy)
        prior = self._prior_block(s, "item8", _prior(fy), lambda: block(_prior(fy)))
        return {"kind": "item8", "fy": fy, "prior_fy": _prior(fy), "current": current, "prior": prior}

    # -- the annual report (004) -------------------------------------------------------------------

    def _contacts(self, s: Session, fy: str) -> dict[str, int]:
        start, end = _bounds(fy)
        rows = s.execute(select(Contact.kind, Complaint.procedure, func.count())
                         .outerjoin(Complaint, Complaint.contact_id == Contact.id)
                         .where(Contact.logged_on >= start, Contact.logged_on <= end)
                         .group_by(Contact.kind, Complaint.procedure))
        out: Counter[str] = Counter()
        for kind, procedure, n in rows:
            if kind in _ENQUIRY_KINDS:
                out["enquiries"] += n
            elif kind == _COMPLAINT_KIND:
                out[procedure or "corporate"] += n
            else:
                out[kind] += n
        return dict(out)

    def _departments(self, s: Session, fy: str) -> dict[str, int]:
        codes = dict(s.execute(select(Department.id, Department.code)).all())
        out: Counter[str] = Counter()
        for dep, n in self._received(s, fy).by_department.items():
            out[codes.get(dep, "")] += n
        return dict(out)

    def _annual(self, s: Session, fy: str) -> dict[str, Any]:
        prior_fy = _prior(fy)
        start, end = _bounds(fy)
        cur_c, pri_c = self._contacts(s, fy), self._contacts(s, prior_fy)
        rows = []
        for key, label in (("enquiries", "Enquiries, Comments, and Informal resolution"),
                           ("corporate", "Corporate Complaints"),
                           ("asc", "Adult Social Care Statutory Complaints"),
                           ("csc", "Childrens Social Care Statutory Complaints"),
                           ("lgsco", "Ombudsman Investigations"), ("compliment", "Compliments")):
            rows.append([label, pri_c.get(key, 0), cur_c.get(key, 0)])
        total = [sum(r[1] for r in rows), sum(r[2] for r in rows)]
        deps = {code: name for code, name in s.execute(select(Department.code, Department.name))}
        cur_d, pri_d = self._departments(s, fy), self._departments(s, prior_fy)
        order = [c for c in DEPARTMENT_ORDER if c in deps] + sorted(c for c in deps if c not in DEPARTMENT_ORDER)
        # The council's six departments always print (a 0 is news); others only when they had complaints.
        by_dep = [[deps[c], pri_d.get(c, 0), cur_d.get(c, 0)] for c in order
                  if c in DEPARTMENT_ORDER or pri_d.get(c, 0) or cur_d.get(c, 0)]
        if pri_d.get("", 0) or cur_d.get("", 0):
            by_dep.append(["No department recorded", pri_d.get("", 0), cur_d.get("", 0)])
        cur = self._corporate_block(s, fy, ())
        pri = self._corporate_block(s, prior_fy, ())
        pri_alias = self._corporate_block(s, prior_fy, ALIASES["prior_top5"])
        cur_alias = self._corporate_block(s, fy, ALIASES["prior_top5"])
        # The trend: the figure a presented report froze where there is one (records of a year
        # before riskdesk may be partial), else records, else "not recorded".
        trend = []
        for k in range(4, -1, -1):
            year = f"{int(fy[:4]) - k}/{(int(fy[:4]) - k + 1) % 100:02d}"
            frozen = self._frozen(s, "item8", year) if year != fy else None
            got = (frozen or {}).get("current", {}).get("corporate", {}).get("received")
            if got is not None:
                n, source = got, "as published"
            else:
                n = self._corporate_received(s, year)
                n, source = (n, "records") if n else (None, "not recorded")
            trend.append([fy_label(year, "slash"), n, source])
        # Enquiries by category (LOGGED).
        cats = dict(s.execute(select(Contact.enquiry_category, func.count())
                              .where(Contact.kind.in_(_ENQUIRY_KINDS),
                                     Contact.logged_on >= start, Contact.logged_on <= end)
                              .group_by(Contact.enquiry_category)).all())
        enquiries = [[c.label, cats.get(c.value, 0)] for c in EnquiryCategory
                     if c is not EnquiryCategory.COMMENT or cats.get(c.value, 0)]
        # Compliments.
        names = self._service_names(s, ())
        comp_by = dict(s.execute(select(Compliment.service_id, func.count())
                                 .where(Compliment.logged_on >= start, Compliment.logged_on <= end)
                                 .group_by(Compliment.service_id)).all())
        top_comp = max(comp_by.items(), key=lambda x: (x[1], -x[0] if x[0] else 0), default=(None, 0))
        appendix_names = self._service_names(s, ALIASES["appendix"])
        appendix = [[text, appendix_names.get(sid, "")] for text, sid in s.execute(
            select(Compliment.text, Compliment.service_id).where(Compliment.publish_fy == fy)
            .order_by(Compliment.logged_on, Compliment.id))]
        # Learning: remedies selected for this year's table, and how many fault-found complaints have one.
        learning = [[y, w] for y, w in s.execute(
            select(ComplaintRemedy.you_complained_that, ComplaintRemedy.we_have)
            .where(ComplaintRemedy.sample_for_report_fy == fy).order_by(ComplaintRemedy.id))]
        # Corporate complaints answered at Stage 1 in the year whose final outcome is Fault Found (one
        # stage 1 per complaint, so the grouped stage responses count complaints).
        ff = [g for g in self._responses(s, fy, 1) if g.procedure == _CORPORATE and g.final_outcome == _FAULT_FOUND]
        fault_found = sum(g.n for g in ff)
        with_remedy = sum(g.remedied for g in ff)
        # Facts about the top services for the narrative (004:123-169).
        facts = []
        h2_start = date(start.year, 10, 1)
        svc_ids = {v: k for k, v in names.items()}
        # One GROUP BY for the five services (every corporate complaint since October, whatever its acceptance).
        since_october = dict(s.execute(select(Complaint.service_id, func.count())
                                       .where(Complaint.procedure == _CORPORATE, Complaint.received_on >= h2_start,
                                              Complaint.received_on <= end)
                                       .group_by(Complaint.service_id)).all()) if cur["top5"] else {}
        for name, n in cur["top5"]:
            sid = svc_ids.get(name)
            since = since_october.get(sid, 0)
            fault = sum(g.n for g in self._responses(s, fy, 1)
                        if g.service_id == sid and g.procedure == _CORPORATE and g.outcome == _FAULT_FOUND)
            facts.append({"service": name, "received": n, "share_pct": pct(n, cur["received"]),
                          "since_october": since, "fault_found": fault})
        out_total = sum(cur["outcomes"].values())
        prior_out_total = sum(pri["outcomes"].values())
        return {
            "kind": "complaints", "fy": fy, "prior_fy": prior_fy,
            "contacts": {"rows": rows, "total": total},
            "enquiry_share_pct": pct(cur_c.get("enquiries", 0), total[1]),
            "by_department": by_dep,
            "trend": trend,
            "corporate_change": change(pri["received"], cur["received"]),
            "corporate_prior_change": (change(trend[-3][1], trend[-2][1])
                                       if trend[-3][1] is not None and trend[-2][1] is not None else None),
            "prior_top5": [[alias_name, n, cur_alias["by_service"].get(alias_name, 0)]
                           for alias_name, n in pri_alias["top5"]],
            "top5": cur["top5"],
            "excluded_from_top": cur["excluded_from_top"],
            "service_facts": facts,
            "enquiries": {"total": sum(n for _l, n in enquiries), "categories": enquiries},
            "compliments": {"total": sum(comp_by.values()), "prior": pri_c.get("compliment", 0),
                            "top": [names.get(top_comp[0], ""), top_comp[1]], "appendix": appendix},
            "stage1": {"responses": cur["s1_responses"], "within": cur["s1_within"], "pct": cur["s1_pct"],
                       "over40": cur["s1_over40"], "over40_pct": cur["s1_over40_pct"], "prior_pct": pri["s1_pct"]},
            "stage2": {"responses": cur["s2_responses"], "prior": pri["s2_responses"], "within20": cur["s2_within20"],
                       "within20_pct": cur["s2_pct"], "over20": cur["s2_over20"]},
            "outcomes": {"fault": cur["outcomes"]["fault_found"],
                         "fault_pct": pct(cur["outcomes"]["fault_found"], out_total),
                         "not_upheld": cur["outcomes"]["not_upheld"],
                         "not_upheld_pct": pct(cur["outcomes"]["not_upheld"], out_total),
                         "no_finding": cur["outcomes"]["no_finding"],
                         "no_finding_pct": pct(cur["outcomes"]["no_finding"], out_total),
                         "withdrawn": cur["withdrawn"],
                         "prior_fault_pct": pct(pri["outcomes"]["fault_found"], prior_out_total)},
            "learning": learning,
            "coverage": [with_remedy, fault_found],
        }

    def presented(self, actor: Actor) -> list[tuple[str, str, date, str]]:
        """(kind, year, presented on, digest) of every presented casework report."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            return [(k, f, d, g) for k, f, d, g in s.execute(
                select(CaseworkReport.kind, CaseworkReport.fy, CaseworkReport.presented_on, CaseworkReport.digest)
                .order_by(CaseworkReport.fy, CaseworkReport.kind))]

    def get_presented(self, actor: Actor, kind: str, fy: str) -> dict[str, Any]:
        kind, fy = self._check(kind, fy)
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            frozen = self._frozen(s, kind, fy)
            if frozen is None:
                raise NotFound(f"The {kind} report for {fy} has not been presented.")
            return frozen
