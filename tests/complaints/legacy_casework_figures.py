"""The complaints figures as riskdesk computed them before issue 13's speed-up: every complaint and
stage row of a year read into Python and counted there. Kept, unchanged but for the public API
around it, as the reference the SQL-counted figures must equal exactly (test_casework_figures_equal).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from riskdesk.domain.casework_figures import change, fy_label, pct
from riskdesk.domain.complaints import ContactKind, EnquiryCategory, Outcome, Procedure
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


class RowByRowFigures:
    """``compute(session, kind, fy)``: the figures of the ``complaints`` or ``item8`` report, row by row."""

    def compute(self, s: Session, kind: str, fy: str) -> dict[str, Any]:
        s.info.pop("casework figures", None)  # never share the service's per-session cache
        try:
            return self._compute(s, kind, fy)
        finally:
            s.info.pop("casework figures", None)

    @staticmethod
    def _frozen(s: Session, kind: str, fy: str) -> dict[str, Any] | None:
        payload = s.scalar(select(CaseworkReport.payload).where(CaseworkReport.kind == kind, CaseworkReport.fy == fy))
        return json.loads(payload) if payload else None

    def _compute(self, s: Session, kind: str, fy: str) -> dict[str, Any]:
        if kind == "item8":
            return self._item8(s, fy)
        return self._annual(s, fy)

    # -- helpers over records ----------------------------------------------------------------------

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
        """One query per (kind, year) per computation: a report asks for the same rows many times."""
        cache = s.info.setdefault("casework figures", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def _received(self, s: Session, fy: str) -> list[tuple[Any, ...]]:
        return self._cached(s, ("received", fy), lambda: self._received_rows(s, fy))

    def _responses(self, s: Session, fy: str, number: int) -> list[tuple[Any, ...]]:
        return self._cached(s, ("responses", fy, number), lambda: self._response_rows(s, fy, number))

    @staticmethod
    def _received_rows(s: Session, fy: str) -> list[tuple[Any, ...]]:
        """(id, procedure, service_id, department_id, received_on, final outcome, went to Ombudsman)."""
        start, end = _bounds(fy)
        c = Complaint
        return list(s.execute(select(c.id, c.procedure, c.service_id, c.department_id, c.received_on,
                                     c.final_outcome, c.went_to_ombudsman)
                              .where(c.received_on >= start, c.received_on <= end, c.acceptance != "not_accepted")))

    @staticmethod
    def _response_rows(s: Session, fy: str, number: int) -> list[tuple[Any, ...]]:
        """Stage ``number`` responses in the year: (procedure, service_id, days taken, outcome as at the year end)."""
        start, end = _bounds(fy)
        st, c = ComplaintStage, Complaint
        later = aliased(ComplaintStage)
        # Table 5's outcome: the stage 2 outcome if stage 2 was answered by the year end, else stage 1's.
        stmt = (select(c.procedure, c.service_id, st.days_taken, st.outcome, later.outcome)
                .join(c, c.id == st.complaint_id)
                .outerjoin(later, and_(later.complaint_id == st.complaint_id, later.number == st.number + 1,
                                       later.responded_on <= end))
                .where(st.number == number, st.responded_on >= start, st.responded_on <= end))
        return [(p, sid, t, o2 or o1) for p, sid, t, o1, o2 in s.execute(stmt)]

    def _corporate_block(self, s: Session, fy: str, prefer: tuple[str, ...]) -> dict[str, Any]:
        return self._cached(s, ("corporate", fy, prefer), lambda: self._corporate_rows(s, fy, prefer))

    def _corporate_rows(self, s: Session, fy: str, prefer: tuple[str, ...]) -> dict[str, Any]:
        rec = [r for r in self._received(s, fy) if r[1] == Procedure.CORPORATE.value]
        names = self._service_names(s, prefer)
        excluded = set(s.scalars(select(ComplaintService.id).where(ComplaintService.exclude_from_top_services)))
        csc_corp = set(s.scalars(select(ComplaintService.id).where(ComplaintService.childrens_social_care)))
        by_service = Counter(r[2] for r in rec if r[2] is not None)
        top = sorted(((names[sid], n) for sid, n in by_service.items() if sid not in excluded),
                     key=lambda x: (-x[1], x[0]))[:5]
        s1 = [r for r in self._responses(s, fy, 1) if r[0] == Procedure.CORPORATE.value]
        s2 = [r for r in self._responses(s, fy, 2) if r[0] == Procedure.CORPORATE.value]
        within = {k: sum(1 for r in s1 if r[2] is not None and r[2] <= k) for k in (10, 20, 40)}
        upheld = sum(1 for r in rec if r[5] == Outcome.FAULT_FOUND.value)
        s2_within = sum(1 for r in s2 if r[2] is not None and r[2] <= 20)
        outcomes = Counter(r[3] for r in s1)
        return {
            "received": len(rec),
            "upheld": upheld,
            "upheld_pct": pct(upheld, len(rec)),
            "top5": [[n, c] for n, c in top],
            "by_service": {names[sid]: n for sid, n in by_service.items()},
            "excluded_from_top": sum(n for sid, n in by_service.items() if sid in excluded),
            "csc_under_corporate": sum(n for sid, n in by_service.items() if sid in csc_corp),
            "s1_responses": len(s1),
            "s1_within": {str(k): v for k, v in within.items()},
            "s1_pct": {str(k): pct(v, len(s1)) for k, v in within.items()},
            "s1_over40": len(s1) - within[40],
            "s1_over40_pct": pct(len(s1) - within[40], len(s1)),
            "s2_responses": len(s2),
            "s2_within20": s2_within,
            "s2_over20": len(s2) - s2_within,
            "s2_pct": pct(s2_within, len(s2)),
            "outcomes": {o.value: outcomes.get(o.value, 0) for o in (Outcome.FAULT_FOUND, Outcome.NOT_UPHELD,
                                                                   Outcome.NO_FINDING)},
            "withdrawn": outcomes.get(Outcome.WITHDRAWN.value, 0),
        }

    def _asc_block(self, s: Session, fy: str) -> dict[str, Any]:
        rec = [r for r in self._received(s, fy) if r[1] == Procedure.ASC.value]
        resp = [r for r in self._responses(s, fy, 1) if r[0] == Procedure.ASC.value]
        within = sum(1 for r in resp if r[2] is not None and r[2] <= 20)
        over65 = sum(1 for r in resp if r[2] is not None and r[2] > 65)
        fault = sum(1 for r in resp if r[3] == Outcome.FAULT_FOUND.value)
        return {"received": len(rec), "responses": len(resp), "within20_pct": pct(within, len(resp)),
                "over65": over65, "fault_pct": pct(fault, len(resp))}

    def _csc_block(self, s: Session, fy: str) -> dict[str, Any]:
        rec = [r for r in self._received(s, fy) if r[1] == Procedure.CSC.value]
        ids = [r[0] for r in rec]
        stages: dict[int, dict[int, int | None]] = defaultdict(dict)
        for chunk in range(0, len(ids), 900):
            for cid, number, taken in s.execute(select(ComplaintStage.complaint_id, ComplaintStage.number,
                                                       ComplaintStage.days_taken)
                                                .where(ComplaintStage.complaint_id.in_(ids[chunk:chunk + 900]))):
                stages[cid][number] = taken
        s2 = sum(1 for i in ids if 2 in stages[i])
        s3 = sum(1 for i in ids if 3 in stages[i])
        taken = [stages[i].get(1) for i in ids]
        within = sum(1 for t in taken if t is not None and t <= 20)
        over40 = sum(1 for t in taken if t is not None and t > 40)
        return {"accepted": len(rec), "stage2": s2, "stage2_pct": pct(s2, len(rec)), "stage3": s3,
                "ombudsman": sum(1 for r in rec if r[6]), "within20_pct": pct(within, len(rec)),
                "over40": over40, "over40_pct": pct(over40, len(rec))}

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
            if kind in (ContactKind.ENQUIRY.value, ContactKind.SERVICE_REQUEST.value):
                out["enquiries"] += n
            elif kind == ContactKind.COMPLAINT.value:
                out[procedure or "corporate"] += n
            else:
                out[kind] += n
        return dict(out)

    def _departments(self, s: Session, fy: str) -> dict[str, int]:
        codes = dict(s.execute(select(Department.id, Department.code)).all())
        return dict(Counter(codes.get(r[3], "") for r in self._received(s, fy)))

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
                n = sum(1 for r in self._received(s, year) if r[1] == Procedure.CORPORATE.value)
                n, source = (n, "records") if n else (None, "not recorded")
            trend.append([fy_label(year, "slash"), n, source])
        # Enquiries by category (LOGGED).
        cats = dict(s.execute(select(Contact.enquiry_category, func.count())
                              .where(Contact.kind.in_([ContactKind.ENQUIRY.value, ContactKind.SERVICE_REQUEST.value]),
                                     Contact.logged_on >= start, Contact.logged_on <= end)
                              .group_by(Contact.enquiry_category)).all())
        enquiries = [[c.label, cats.get(c.value, 0)] for c in EnquiryCategory
                     if c is not EnquiryCategory.COMMENT or cats.get(c.value, 0)]
        # Compliments.
        names = self._service_names(s, ())
        comp_by = Counter(sid for (sid,) in s.execute(select(Compliment.service_id)
                                                       .where(Compliment.logged_on >= start,
                                                              Compliment.logged_on <= end)))
        top_comp = max(comp_by.items(), key=lambda x: (x[1], -x[0] if x[0] else 0), default=(None, 0))
        appendix_names = self._service_names(s, ALIASES["appendix"])
        appendix = [[text, appendix_names.get(sid, "")] for text, sid in s.execute(
            select(Compliment.text, Compliment.service_id).where(Compliment.publish_fy == fy)
            .order_by(Compliment.logged_on, Compliment.id))]
        # Learning: remedies selected for this year's table, and how many fault-found complaints have one.
        learning = [[y, w] for y, w in s.execute(
            select(ComplaintRemedy.you_complained_that, ComplaintRemedy.we_have)
            .where(ComplaintRemedy.sample_for_report_fy == fy).order_by(ComplaintRemedy.id))]
        st = ComplaintStage
        ff = (select(st.complaint_id).join(Complaint, Complaint.id == st.complaint_id)
              .where(st.number == 1, st.responded_on >= start, st.responded_on <= end,
                     Complaint.procedure == Procedure.CORPORATE.value,
                     Complaint.final_outcome == Outcome.FAULT_FOUND.value))
        fault_ids = set(s.scalars(ff))
        with_remedy = set(s.scalars(select(ComplaintRemedy.complaint_id).distinct()
                                    .where(ComplaintRemedy.complaint_id.in_(ff))))
        # Facts about the top services for the narrative (004:123-169).
        facts = []
        h2_start = date(start.year, 10, 1)
        svc_ids = {v: k for k, v in names.items()}
        for name, n in cur["top5"]:
            sid = svc_ids.get(name)
            since = s.scalar(select(func.count()).select_from(Complaint).where(
                Complaint.service_id == sid, Complaint.procedure == Procedure.CORPORATE.value,
                Complaint.received_on >= h2_start, Complaint.received_on <= end))
            fault = sum(1 for r in self._responses(s, fy, 1)
                        if r[1] == sid and r[0] == Procedure.CORPORATE.value and r[3] == Outcome.FAULT_FOUND.value)
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
            "coverage": [len(with_remedy), len(fault_ids)],
        }
