"""Ombudsman (LGSCO) casework: enquiries, reply dates and extensions, decisions, recommendations,
financial remedies, the daily due list, the Ombudsman's published figures, and the report's data.

Reading needs ``VIEW_COMPLAINTS``; writing needs ``EDIT_COMPLAINTS``. Every write checks the case's
version (a stale edit is refused, never overwritten) and appends an audit entry in the same
transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from riskdesk.domain import clocks
from riskdesk.domain.errors import AlreadyDone, StaleEdit, ValidationError
from riskdesk.domain.ombudsman import (
    LGSCO_DEPARTMENTS,
    BenchmarkRow,
    CaseDetail,
    CaseDraft,
    CaseRow,
    Decision,
    DecisionGroup,
    DueLine,
    ExtensionRow,
    OmbudsmanReportData,
    Procedure,
    PublishedYear,
    RecommendationKind,
    RecommendationRow,
    ReconLine,
    RemedyRow,
    check_compliance,
    check_remedy_approval,
    fy_bounds,
    fy_label,
    fy_of,
    money,
    parse_decision,
    validate_case,
)
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.register import Actor
from riskdesk.models import (
    CaseworkReport,
    OmbudsmanBenchmark,
    OmbudsmanCase,
    OmbudsmanExtension,
    OmbudsmanPublishedYear,
    OmbudsmanRecommendation,
    OmbudsmanRemedy,
)
from riskdesk.models.base import utcnow
from riskdesk.services.base import ServiceContext, collector_paused, diff, get_or_404
from riskdesk.services.complaints import settle_heap

#: The ``casework_report`` kind under which a presented Ombudsman report is frozen (the table the
#: complaints reports already freeze into: one row per kind and year, so no table of its own).
REPORT_KIND = "ombudsman"

_DRAFT_FIELDS = ("reference", "department", "first_enquiry_on", "response_due_on", "logged_on", "service_group",
                 "procedure", "complaint_ref", "summary", "responded_on", "early_resolution_offered_on",
                 "public_report_on")


def _snapshot(c: OmbudsmanCase) -> dict[str, Any]:
    """What the audit trail compares before and after a change."""
    return {
        **{f: getattr(c, f) for f in _DRAFT_FIELDS},
        "reply_due_on": c.reply_due_on, "decision": c.decision, "final_decision_on": c.final_decision_on,
        "investigated": c.investigated,
        "recommendations": [f"{r.kind} | {r.text} | due {r.due_on or '-'} | complied {r.completed_on or '-'}"
                            for r in c.recommendations],
        "remedies": [f"{r.amount_pence}p | {r.description} | approved {r.approved_on or '-'} | chair "
                     f"{r.chair_consulted_on or '-'} | paid {r.paid_on or '-'}" for r in c.remedies],
    }


def _reply_due(c: OmbudsmanCase) -> date | None:
    return c.extensions[-1].new_due if c.extensions else c.response_due_on


def _why(c: OmbudsmanCase) -> tuple[str, ...]:
    """"Why this date?" for the reply: the letter's date, any extension, the days between."""
    if c.response_due_on is None:
        return ("No reply date recorded: type the date the Ombudsman's letter asks for.",)
    ext = c.extensions[-1].new_due if c.extensions else None
    due = clocks.typed_due("C10", "reply to the Ombudsman's enquiry", c.first_enquiry_on, c.response_due_on,
                           extended_to=ext)
    lines = list(due.lines())
    for e in c.extensions:
        lines.append(f"extension agreed with the Ombudsman on {e.agreed_on:%d/%m/%Y}: {e.previous_due or '-'} "
                     f"→ {e.new_due} ({e.reason})")
    return tuple(lines)


# -- the presented report, frozen (SPEC D.8) -------------------------------------------------------------


def _encode(data: OmbudsmanReportData) -> str:
    """The report's data as JSON with sorted keys: the same data always gives the same text (and hash)."""

    def default(o: object) -> str:
        if isinstance(o, date):
            return o.isoformat()
        raise TypeError(f"{type(o).__name__} cannot be frozen")

    return json.dumps(asdict(data), sort_keys=True, ensure_ascii=False, default=default)


def _long(day: date) -> str:
    """"1 July 2024", as committee papers write dates."""
    return f"{day.day} {day:%B %Y}"


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _decode(payload: str) -> OmbudsmanReportData:
    """The frozen report back as the data the writers print (the inverse of ``_encode``)."""
    d = json.loads(payload)
    pub = d["published"]
    return OmbudsmanReportData(
        fy=d["fy"],
        generated_on=date.fromisoformat(d["generated_on"]),
        enquiries=tuple((label, tuple(counts)) for label, counts in d["enquiries"]),
        decisions=tuple((Decision(k), n) for k, n in d["decisions"]),
        prior_fault_injustice=d["prior_fault_injustice"],
        public_reports=d["public_reports"],
        corporate_findings=d["corporate_findings"],
        groups=tuple(DecisionGroup(g["label"], g["decisions"], tuple(g["payments_pence"])) for g in d["groups"]),
        compensation_pence=d["compensation_pence"],
        prior_compensation_pence=d["prior_compensation_pence"],
        chair_consulted_payments=d["chair_consulted_payments"],
        published=None if pub is None else PublishedYear(**{**pub, "letter_date": _day(pub["letter_date"])}),
        reconciliation=tuple(ReconLine(**r) for r in d["reconciliation"]),
        benchmark=tuple(BenchmarkRow(**b) for b in d["benchmark"]),
        notes=tuple(d["notes"]),
        replies=tuple((y, n, k) for y, n, k in d["replies"]),
    )


def _frozen(s: Session, fy: int) -> tuple[OmbudsmanReportData, date] | None:
    """The year's report as presented, and when; None while it is a draft."""
    row = s.execute(select(CaseworkReport.payload, CaseworkReport.presented_on)
                    .where(CaseworkReport.kind == REPORT_KIND, CaseworkReport.fy == fy_label(fy))).first()
    return None if row is None else (_decode(row[0]), row[1])


def _with_prior_as_presented(data: OmbudsmanReportData,
                             prior: tuple[OmbudsmanReportData, date] | None) -> OmbudsmanReportData:
    """A draft's comparisons with last year read last year's presented report, not today's records.

    The committee saw those figures; if the records have changed since (a decision corrected, a case
    moved between departments), the draft prints what was presented and says what changed in a
    "restated" note, rather than silently printing a different "last year" (SPEC D.8, A.7 I-4).
    """
    if prior is None:
        return data
    p, on = prior
    label = fy_label(data.fy - 1)
    presented_fi = p.count(Decision.UPHELD_FAULT_INJUSTICE)
    presented_enquiries = dict(p.enquiries)
    enquiries = tuple((dept, (counts[0], *presented_enquiries[dept][:2])) if dept in presented_enquiries
                      else (dept, counts) for dept, counts in data.enquiries)
    changed = []
    if presented_fi != data.prior_fault_injustice:
        changed.append(f"maladministration and injustice findings {presented_fi} as presented, "
                       f"{data.prior_fault_injustice} in the records now")
    if p.compensation_pence != data.prior_compensation_pence:
        changed.append(f"compensation {money(p.compensation_pence)} as presented, "
                       f"{money(data.prior_compensation_pence)} in the records now")
    for (dept, now), (_, printed) in zip(data.enquiries, enquiries, strict=True):
        for year, recorded, presented in zip((data.fy - 1, data.fy - 2), now[1:], printed[1:], strict=True):
            if recorded != presented:
                changed.append(f"{dept} enquiries {fy_label(year)} {presented} as presented, {recorded} in the "
                               "records now")
    note = (f"{label} figures are those of the {label} report as presented on {_long(on)}"
            + (f"; restated: {'; '.join(changed)}." if changed else "."))
    return replace(data, enquiries=enquiries, prior_fault_injustice=presented_fi,
                   prior_compensation_pence=p.compensation_pence, notes=(*data.notes, note))


DRAFT_NOTE = "Draft: not yet presented; the figures are computed from the council's records as they stand."


class OmbudsmanService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- reading -------------------------------------------------------------------------------------

    def can_edit(self, actor: Actor) -> bool:
        """Whether the window should offer editing (every write checks again)."""
        with self._ctx.begin() as s:
            return allows(self._ctx.user(s, actor).role, Permission.EDIT_COMPLAINTS)

    def list_cases(self, actor: Actor, *, today: date | None = None) -> list[CaseRow]:
        """Every case, newest enquiry first, with its next due date (stored dates, nothing recounted)."""
        today = today or date.today()
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            with collector_paused():
                rows = self._rows(s)
        settle_heap(len(rows))  # a large list read: no full collection on the next keystroke
        return rows

    def _rows(self, s: Session, where: Any = None) -> list[CaseRow]:
        r = OmbudsmanRecommendation
        recs = (select(r.case_id, func.count().label("n"), func.min(r.due_on).label("first_due"))
                .where(r.completed_on.is_(None)).group_by(r.case_id).subquery())
        c = OmbudsmanCase
        stmt = (select(c.id, c.reference, c.department, c.service_group, c.first_enquiry_on, c.reply_due_on,
                       c.responded_on, c.decision, c.final_decision_on, c.complaint_ref, c.version, recs.c.n,
                       recs.c.first_due)
                .outerjoin(recs, recs.c.case_id == c.id)
                .order_by(c.first_enquiry_on.desc(), c.id.desc()))
        if where is not None:
            stmt = stmt.where(where)
        decisions = {d.value: d for d in Decision}
        out = []
        for (id_, ref, dept, group, first, reply_due, responded, decision, decided, cref, version, n_open,
             first_due) in s.connection().execute(stmt):
            candidates = []
            if responded is None and reply_due is not None:
                candidates.append((reply_due, "reply to the Ombudsman"))
            if first_due is not None:
                candidates.append((first_due, "recommendation"))
            nxt = min(candidates) if candidates else (None, "")
            out.append(CaseRow(id_, ref, dept, group, first, reply_due, responded,
                               decisions.get(decision) if decision else None, decided, nxt[0], nxt[1],
                               int(n_open or 0), cref, version))
        return out

    def get(self, actor: Actor, case_id: int) -> CaseDetail:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            return self._detail(s, get_or_404(s, OmbudsmanCase, case_id, "Ombudsman case"))

    def _detail(self, s: Session, c: OmbudsmanCase) -> CaseDetail:
        s.flush()
        row = self._rows(s, OmbudsmanCase.id == c.id)[0]
        draft = CaseDraft(**{f: getattr(c, f) for f in _DRAFT_FIELDS if f != "procedure"},
                          procedure=Procedure(c.procedure))
        return CaseDetail(
            row, draft, c.investigated,
            tuple(ExtensionRow(e.id, e.agreed_on, e.previous_due, e.new_due, e.reason, e.recorded_by)
                  for e in c.extensions),
            tuple(RecommendationRow(r.id, RecommendationKind(r.kind), r.text, r.due_on, r.completed_on)
                  for r in c.recommendations),
            tuple(RemedyRow(m.id, m.amount_pence, m.description, m.others_affected, m.beneficiaries, m.approved_on,
                            m.chair_consulted_on, m.paid_on) for m in c.remedies),
            _why(c),
        )

    def due(self, actor: Actor, days: int, *, today: date | None = None) -> list[DueLine]:
        """The daily list (002:126-138): replies and recommendations due within ``days`` calendar days,
        overdue ones included, earliest first."""
        if days < 0:
            raise ValidationError("days", days, "must be 0 or more")
        today = today or date.today()
        until = today + timedelta(days=days)
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            c = OmbudsmanCase
            out = [DueLine(i, ref, dept, "reply to the Ombudsman's enquiry", due, (due - today).days)
                   for i, ref, dept, due in s.execute(
                       select(c.id, c.reference, c.department, c.reply_due_on)
                       .where(c.responded_on.is_(None), c.reply_due_on.is_not(None), c.reply_due_on <= until))]
            r = OmbudsmanRecommendation
            for i, ref, dept, text, due in s.execute(
                    select(c.id, c.reference, c.department, r.text, r.due_on).join(r, r.case_id == c.id)
                    .where(r.completed_on.is_(None), r.due_on.is_not(None), r.due_on <= until)):
                out.append(DueLine(i, ref, dept, f"recommendation: {text}", due, (due - today).days))
            return sorted(out, key=lambda d: (d.due_on, d.reference, d.what))

    # -- writing -------------------------------------------------------------------------------------

    def _open(self, s: Session, actor: Actor, case_id: int, expected_version: int) -> tuple[Any, OmbudsmanCase]:
        user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
        c = get_or_404(s, OmbudsmanCase, case_id, "Ombudsman case")
        if c.version != expected_version:
            raise StaleEdit(f"Ombudsman case {c.reference}")
        return user, c

    def _done(self, s: Session, user: Any, c: OmbudsmanCase, action: str, before: dict[str, Any],
              note: str = "") -> CaseDetail:
        c.reply_due_on = _reply_due(c)
        c.updated_at = utcnow()
        s.flush()
        self._ctx.audit(s, user, action, "ombudsman_case", c.id, f"Ombudsman case {c.reference}",
                        diff(before, _snapshot(c)), note)
        return self._detail(s, c)

    def create_case(self, actor: Actor, draft: CaseDraft) -> CaseDetail:
        validate_case(draft)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            if s.scalar(select(OmbudsmanCase.id).where(OmbudsmanCase.reference == draft.reference.strip())):
                raise ValidationError("Ombudsman reference", draft.reference, "is already recorded")
            values = asdict(draft)
            values["reference"] = draft.reference.strip()
            values["procedure"] = draft.procedure.value
            values["logged_on"] = draft.logged_on or draft.first_enquiry_on
            c = OmbudsmanCase(**values)
            s.add(c)
            s.flush()
            return self._done(s, user, c, "ombudsman.create", {})

    def update_case(self, actor: Actor, case_id: int, draft: CaseDraft, *, expected_version: int) -> CaseDetail:
        validate_case(draft)
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            before = _snapshot(c)
            for f in _DRAFT_FIELDS:
                value = getattr(draft, f)
                if f == "procedure":
                    value = draft.procedure.value
                elif f == "logged_on":
                    value = value or c.logged_on
                elif f == "reference":
                    value = value.strip()
                setattr(c, f, value)
            return self._done(s, user, c, "ombudsman.update", before)

    def agree_extension(self, actor: Actor, case_id: int, *, new_due: date, reason: str, agreed_on: date,
                        expected_version: int) -> CaseDetail:
        """An extension agreed with the Ombudsman: needs a reason and a later date (002:231-233)."""
        if not reason.strip():
            raise ValidationError("reason", reason, "is required: the Ombudsman agrees extensions for a reason")
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            current = _reply_due(c)
            if current is not None and new_due <= current:
                raise ValidationError("new reply date", new_due.isoformat(),
                                      f"must be after the date now in force ({current.isoformat()})")
            before = _snapshot(c)
            c.extensions.append(OmbudsmanExtension(agreed_on=agreed_on, previous_due=current, new_due=new_due,
                                                   reason=reason.strip(), recorded_by=user.login))
            before["reply_due_on"] = current
            return self._done(s, user, c, "ombudsman.extend", before, reason.strip())

    def record_decision(self, actor: Actor, case_id: int, *, decision: str | Decision, decided_on: date,
                        expected_version: int, investigated: bool | None = None) -> CaseDetail:
        d = parse_decision(decision)
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            if decided_on < c.first_enquiry_on:
                raise ValidationError("decision date", decided_on.isoformat(),
                                      f"is before the Ombudsman's enquiry of {c.first_enquiry_on.isoformat()}")
            done = [r for r in c.recommendations if r.completed_on is not None and r.completed_on < decided_on]
            if done:
                raise ValidationError("decision date", decided_on.isoformat(),
                                      f"is after a recommendation was recorded as complied with "
                                      f"({done[0].completed_on.isoformat()})")
            before = _snapshot(c)
            c.decision, c.final_decision_on = d.value, decided_on
            c.investigated = d.investigated if investigated is None else investigated
            return self._done(s, user, c, "ombudsman.decision", before)

    def add_recommendation(self, actor: Actor, case_id: int, *, kind: RecommendationKind, text: str,
                           due_on: date | None, expected_version: int) -> CaseDetail:
        if not text.strip():
            raise ValidationError("recommendation", text, "is required")
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            if c.final_decision_on is None:
                raise ValidationError("recommendation", text, "comes with the Ombudsman's decision: record the "
                                      "decision first")
            if due_on is not None and due_on < c.final_decision_on:
                raise ValidationError("due date", due_on.isoformat(), "is before the Ombudsman's decision")
            before = _snapshot(c)
            c.recommendations.append(OmbudsmanRecommendation(kind=RecommendationKind(kind).value, text=text.strip(),
                                                             due_on=due_on))
            return self._done(s, user, c, "ombudsman.recommendation", before)

    def record_compliance(self, actor: Actor, case_id: int, recommendation_id: int, *, completed_on: date | None,
                          expected_version: int) -> CaseDetail:
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            rec = next((r for r in c.recommendations if r.id == recommendation_id), None)
            if rec is None:
                raise ValidationError("recommendation", recommendation_id, "is not one of this case's")
            check_compliance(completed_on, c.final_decision_on)
            before = _snapshot(c)
            rec.completed_on = completed_on
            return self._done(s, user, c, "ombudsman.compliance", before)

    def add_remedy(self, actor: Actor, case_id: int, *, amount_pence: int, description: str = "",
                   others_affected: bool = False, beneficiaries: int = 1, approved_on: date | None = None,
                   chair_consulted_on: date | None = None, paid_on: date | None = None,
                   expected_version: int) -> CaseDetail:
        check_remedy_approval(amount_pence, approved_on, chair_consulted_on)
        if beneficiaries < 1:
            raise ValidationError("beneficiaries", beneficiaries, "must be 1 or more")
        if paid_on is not None and approved_on is None:
            raise ValidationError("paid on", paid_on.isoformat(), "needs the payment approved first")
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            before = _snapshot(c)
            c.remedies.append(OmbudsmanRemedy(amount_pence=amount_pence, description=description.strip(),
                                              others_affected=others_affected, beneficiaries=beneficiaries,
                                              approved_on=approved_on, chair_consulted_on=chair_consulted_on,
                                              paid_on=paid_on))
            return self._done(s, user, c, "ombudsman.remedy", before)

    def approve_remedy(self, actor: Actor, case_id: int, remedy_id: int, *, approved_on: date,
                       chair_consulted_on: date | None, expected_version: int) -> CaseDetail:
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            remedy = next((m for m in c.remedies if m.id == remedy_id), None)
            if remedy is None:
                raise ValidationError("payment", remedy_id, "is not one of this case's")
            check_remedy_approval(remedy.amount_pence, approved_on, chair_consulted_on)
            before = _snapshot(c)
            remedy.approved_on, remedy.chair_consulted_on = approved_on, chair_consulted_on
            return self._done(s, user, c, "ombudsman.approve_payment", before)

    # -- undo: writing an earlier state back (the page's Ctrl+Z) ------------------------------------

    def restore_case(self, actor: Actor, case_id: int, state: CaseDetail, *, expected_version: int) -> CaseDetail:
        """Write a case back to ``state`` (an earlier ``get``): its fields, decision, extensions,
        recommendations and unapproved payments. Undo and redo of the page's edits come here, so
        they are permission-checked, version-checked and audited like any edit. An approved
        payment is never taken away (the council has committed the money): it stays as it is."""
        validate_case(state.draft)
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            before = _snapshot(c)
            wanted = {m.id for m in state.remedies}
            for m in list(c.remedies):
                if m.id not in wanted and m.approved_on is None:  # an approved payment stays whatever is undone
                    c.remedies.remove(m)
            have = {m.id for m in c.remedies}
            for m in state.remedies:
                if m.id not in have:
                    c.remedies.append(OmbudsmanRemedy(
                        amount_pence=m.amount_pence, description=m.description, others_affected=m.others_affected,
                        beneficiaries=m.beneficiaries, approved_on=m.approved_on,
                        chair_consulted_on=m.chair_consulted_on, paid_on=m.paid_on))
            for f in _DRAFT_FIELDS:
                value = getattr(state.draft, f)
                setattr(c, f, value.value if f == "procedure" else value)
            c.decision = state.row.decision.value if state.row.decision else None
            c.final_decision_on, c.investigated = state.row.final_decision_on, state.investigated
            # Rows that were there are matched by id; a row the state has but the case lost (a redo
            # after an undo) is recorded again with the same values.
            recs = {r.id: r for r in state.recommendations}
            for r in list(c.recommendations):
                if r.id in recs:
                    r.completed_on = recs.pop(r.id).completed_on
                else:
                    c.recommendations.remove(r)
            for r in recs.values():
                c.recommendations.append(OmbudsmanRecommendation(kind=r.kind.value, text=r.text, due_on=r.due_on,
                                                                 completed_on=r.completed_on))
            exts = {e.id for e in state.extensions}
            for e in list(c.extensions):
                if e.id not in exts:
                    c.extensions.remove(e)
            have = {e.id for e in c.extensions}
            for e in state.extensions:
                if e.id not in have:
                    c.extensions.append(OmbudsmanExtension(agreed_on=e.agreed_on, previous_due=e.previous_due,
                                                           new_due=e.new_due, reason=e.reason,
                                                           recorded_by=e.recorded_by))
            return self._done(s, user, c, "ombudsman.restore", before, "undo or redo of an earlier change")

    def delete_case(self, actor: Actor, case_id: int, *, expected_version: int) -> None:
        """Remove a case recorded by mistake (the undo of recording it); refused once a payment was approved."""
        with self._ctx.begin() as s:
            user, c = self._open(s, actor, case_id, expected_version)
            approved = [m for m in c.remedies if m.approved_on is not None]
            if approved:
                raise ValidationError("Ombudsman case", c.reference, "has an approved payment and cannot be removed")
            before = _snapshot(c)
            s.delete(c)
            s.flush()
            self._ctx.audit(s, user, "ombudsman.delete", "ombudsman_case", case_id, f"Ombudsman case {c.reference}",
                            diff(before, {}))

    # -- what the Ombudsman publishes (recorded, never recomputed) -----------------------------------

    def record_published_year(self, actor: Actor, year: PublishedYear) -> PublishedYear:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            row = s.scalar(select(OmbudsmanPublishedYear).where(OmbudsmanPublishedYear.fy == year.fy))
            values = asdict(year)
            before = {k: getattr(row, k) for k in values} if row else {}
            if row is None:
                row = OmbudsmanPublishedYear(**values)
                s.add(row)
            else:
                for k, v in values.items():
                    setattr(row, k, v)
            s.flush()
            self._ctx.audit(s, user, "ombudsman.published_year", "ombudsman_published_year", row.id,
                            f"Ombudsman annual letter {fy_label(year.fy)}", diff(before, values))
            return year

    def record_benchmark(self, actor: Actor, fy: int, rows: list[BenchmarkRow]) -> int:
        """Replace the year's statistical-neighbour table with ``rows``, in the printed order."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            for old in s.scalars(select(OmbudsmanBenchmark).where(OmbudsmanBenchmark.fy == fy)):
                s.delete(old)
            s.flush()
            for i, r in enumerate(rows, 1):
                s.add(OmbudsmanBenchmark(fy=fy, position=i, authority=r.authority, new_complaints=r.new_complaints,
                                         uphold_pct=r.uphold_pct, per_100k=r.per_100k, is_self=r.is_self))
            s.flush()
            self._ctx.audit(s, user, "ombudsman.benchmark", "ombudsman_benchmark", None,
                            f"Statistical neighbours {fy_label(fy)}",
                            {"rows": [None, [f"{r.authority} {r.new_complaints} {r.uphold_pct} {r.per_100k}"
                                             for r in rows]]})
            return len(rows)

    def published_year(self, actor: Actor, fy: int) -> PublishedYear | None:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            return self._published(s, fy)

    @staticmethod
    def _published(s: Session, fy: int) -> PublishedYear | None:
        row = s.scalar(select(OmbudsmanPublishedYear).where(OmbudsmanPublishedYear.fy == fy))
        if row is None:
            return None
        return PublishedYear(**{k: getattr(row, k) for k in PublishedYear.__dataclass_fields__})

    # -- the report ----------------------------------------------------------------------------------

    def report_data(self, actor: Actor, fy: int, *, include_others_affected: bool = True,
                    today: date | None = None) -> OmbudsmanReportData:
        """The Ombudsman section of the annual report for the year starting April ``fy`` (F.4 R-LG1/2/4)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            return self._report(s, fy, include_others_affected, today or date.today())

    def _report(self, s: Session, fy: int, others: bool, today: date) -> OmbudsmanReportData:
        """The year's report: as presented once it has been, else computed from the records now."""
        frozen = _frozen(s, fy)
        if frozen is not None:
            return frozen[0]
        data = self._draft(s, fy, others, today)
        return replace(data, notes=(*data.notes, DRAFT_NOTE))

    def _draft(self, s: Session, fy: int, others: bool, today: date) -> OmbudsmanReportData:
        return _with_prior_as_presented(self._compute(s, fy, others, today), _frozen(s, fy - 1))

    def _compute(self, s: Session, fy: int, others: bool, today: date) -> OmbudsmanReportData:
        c = OmbudsmanCase
        first, _ = fy_bounds(fy - 2)
        _, last = fy_bounds(fy)
        # New enquiries by department, three years (basis: the Ombudsman's first enquiry, F.0).
        counts: Counter[tuple[str, int]] = Counter()
        for dept, day in s.execute(select(c.department, c.first_enquiry_on)
                                   .where(c.first_enquiry_on >= first, c.first_enquiry_on <= last)):
            counts[(dept, fy_of(day))] += 1
        enquiries = tuple((label, (counts[(code, fy)], counts[(code, fy - 1)], counts[(code, fy - 2)]))
                          for code, label in LGSCO_DEPARTMENTS)
        # Replies sent by the due date in force (the letter's, or an agreed extension), by enquiry year (002).
        replied: Counter[int] = Counter()
        on_time: Counter[int] = Counter()
        for day, due, done in s.execute(select(c.first_enquiry_on, c.reply_due_on, c.responded_on)
                                        .where(c.first_enquiry_on >= first, c.first_enquiry_on <= last)):
            replied[fy_of(day)] += 1
            on_time[fy_of(day)] += bool(done is not None and due is not None and done <= due)
        replies = tuple((y, replied[y], on_time[y]) for y in (fy, fy - 1, fy - 2))

        def decided(year: int) -> list[OmbudsmanCase]:
            a, b = fy_bounds(year)
            # Remedies and recommendations in two more queries, not one per case (N+1 took seconds).
            return list(s.scalars(select(c).where(c.final_decision_on >= a, c.final_decision_on <= b)
                                  .options(selectinload(c.remedies), selectinload(c.recommendations))))

        now, prior = decided(fy), decided(fy - 1)
        tally = Counter(Decision(x.decision) for x in now if x.decision)
        decisions = tuple((d, tally.get(d, 0)) for d in Decision)
        prior_fi = sum(1 for x in prior if x.decision == Decision.UPHELD_FAULT_INJUSTICE)
        a, b = fy_bounds(fy)
        public = s.scalar(select(func.count()).select_from(c).where(c.public_report_on >= a,
                                                                    c.public_report_on <= b)) or 0

        def pay(cases: list[OmbudsmanCase]) -> int:
            return sum(m.amount_pence for x in cases for m in x.remedies if others or not m.others_affected)

        findings = [x for x in now if x.decision == Decision.UPHELD_FAULT_INJUSTICE]
        corporate = [x for x in findings if x.procedure == Procedure.CORPORATE.value]
        groups: dict[str, list[OmbudsmanCase]] = defaultdict(list)
        for x in corporate:
            groups[x.service_group or "Other services"].append(x)
        group_rows = tuple(sorted((DecisionGroup(label, len(xs), tuple(sorted(m.amount_pence for x in xs
                                                                              for m in x.remedies)))
                                   for label, xs in groups.items()), key=lambda g: (-g.decisions, g.label)))
        chair = s.scalar(select(func.count()).select_from(OmbudsmanRemedy)
                         .where(OmbudsmanRemedy.approved_on >= a, OmbudsmanRemedy.approved_on <= b,
                                OmbudsmanRemedy.amount_pence > 500_000,
                                OmbudsmanRemedy.chair_consulted_on.is_not(None))) or 0
        published = self._published(s, fy)
        recon: tuple[ReconLine, ...] = ()
        if published is not None:
            complied = sum(1 for x in now if x.recommendations
                           and all(r.completed_on is not None for r in x.recommendations))
            recon = (
                ReconLine("Detailed investigations", published.investigations,
                          sum(1 for x in now if x.decision and Decision(x.decision).investigated)),
                ReconLine("Upheld (any fault)", published.upheld,
                          sum(1 for x in now if x.decision and Decision(x.decision).upheld)),
                ReconLine("Satisfactory remedy provided by the council", published.satisfactory_remedy_count,
                          tally.get(Decision.UPHELD_SATISFACTORY_REMEDY, 0)),
                ReconLine("Compliance outcomes", published.compliance_outcomes, complied),
                ReconLine("Public reports", published.public_reports, public),
            )
        bench = tuple(BenchmarkRow(r.authority, r.new_complaints, r.uphold_pct, r.per_100k, r.is_self)
                      for r in s.scalars(select(OmbudsmanBenchmark).where(OmbudsmanBenchmark.fy == fy)
                                         .order_by(OmbudsmanBenchmark.position)))
        notes = (
            "New enquiries are counted by the date of the Ombudsman's first enquiry; decisions, public reports and "
            "compensation by the date of the Ombudsman's final decision (council-held records).",
            "Compensation is the sum of financial remedies the Ombudsman recommended on decisions in the year"
            + (", including payments to others similarly affected." if others else
               ", excluding payments to others similarly affected."),
            "Percentages are rounded half up to a whole number.",
        )
        return OmbudsmanReportData(fy, today, enquiries, decisions, prior_fi, int(public), len(corporate),
                                   group_rows, pay(now), pay(prior), int(chair), published, recon, bench, notes,
                                   replies)

    def present(self, actor: Actor, fy: int, *, on: date | None = None,
                include_others_affected: bool = True) -> str:
        """Freeze the year's report as presented to the committee; returns the SHA-256 of its data.

        From then on the year prints from this snapshot, byte for byte, whatever later happens to the
        records, and the next year's comparisons read it. A second presentation is refused.
        """
        on = on or date.today()
        label = fy_label(fy)
        if on <= fy_bounds(fy)[1]:
            raise ValidationError("presented on", on.isoformat(), f"is not after the end of {label} "
                                  f"({_long(fy_bounds(fy)[1])}): the annual report is presented once the year "
                                  "is over")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            done = _frozen(s, fy)
            if done is not None:
                raise AlreadyDone(f"The Ombudsman report {label} was already presented on {_long(done[1])}; it "
                                  "reprints as it was presented and your request changed nothing.")
            data = self._draft(s, fy, include_others_affected, on)
            # The Word file's dates come from generated_on: the presentation day keeps reprints identical.
            data = replace(data, generated_on=on, notes=(*data.notes, (
                f"Presented to the committee on {_long(on)}. This is the report as presented: later changes "
                "to the records do not alter it.")))
            payload = _encode(data)
            digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
            row = CaseworkReport(kind=REPORT_KIND, fy=label, presented_on=on, presented_by=user.login,
                                 payload=payload, digest=digest)
            s.add(row)
            s.flush()
            self._ctx.audit(s, user, "ombudsman.present", "casework_report", row.id, f"Ombudsman report {label}",
                            {"status": ["draft", "presented"], "presented_on": [None, on.isoformat()],
                             "digest": [None, digest]})
            return digest

    def presentation(self, actor: Actor, fy: int) -> tuple[date, str, str] | None:
        """(presented on, presented by, SHA-256) of the year's presented report; None while a draft."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            row = s.execute(select(CaseworkReport.presented_on, CaseworkReport.presented_by, CaseworkReport.digest)
                            .where(CaseworkReport.kind == REPORT_KIND, CaseworkReport.fy == fy_label(fy))).first()
            return None if row is None else (row[0], row[1], row[2])

    def write_report(self, actor: Actor, fy: int, *, pdf: str | None = None, docx: str | None = None,
                     today: date | None = None) -> OmbudsmanReportData:
        """Print the report as PDF and/or Word (the writers never read the database)."""
        data = self.report_data(actor, fy, today=today)
        from riskdesk.reports import ombudsman_report

        if pdf:
            ombudsman_report.write_ombudsman_pdf(data, pdf)
        if docx:
            ombudsman_report.write_ombudsman_docx(data, docx)
        return data


__all__ = ["OmbudsmanService"]
