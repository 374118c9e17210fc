"""What a committee challenges: appetite, responses, controls, assurance, review dates, on-time actions, lessons.

Every method reads or writes in one transaction; writes check the user may re-score the risk (or
edit SIs, for lessons) and leave an audit entry. The window and the CLI only call these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskdesk.domain.appetite import appetite_for, out_of_appetite, removal_candidate
from riskdesk.domain.controls import (
    AssuranceRow,
    ControlRow,
    Effectiveness,
    OnTimeRate,
    Response,
    check_line,
    on_time_rate,
    parse_enum,
)
from riskdesk.domain.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.register import Actor, ref_sort_key
from riskdesk.domain.reviews import is_overdue, next_review
from riskdesk.domain.scoring import ScoringScheme
from riskdesk.models import (
    Assessment,
    AssessmentGovernance,
    AssuranceSource,
    AuditEntry,
    Category,
    Department,
    IncidentRisk,
    LessonRisk,
    Risk,
    RiskAction,
    RiskControl,
    RiskDepartment,
    SchemeVersion,
    SeriousIncident,
    User,
)
from riskdesk.services.base import ServiceContext, diff
from riskdesk.services.registers import scheme_row


@dataclass(frozen=True)
class GovernedRow:
    """A current risk as the register, the dashboard and the risk editor show its governance."""

    risk_id: int
    register_id: int
    ref: str
    category: str
    owner_id: int | None
    owner_name: str
    impact: int | None
    likelihood: int | None
    score: int | None
    band: str
    appetite_level: str
    appetite_max: int | None
    out_of_appetite: bool
    #: At or below appetite for the last two quarters: candidate for removal.
    removal_candidate: bool
    response: str | None
    next_review_on: date | None
    review_overdue: bool
    #: A lesson marked relevant since the risk's latest assessment.
    rescore_prompted: bool


@dataclass(frozen=True)
class HeatCell:
    impact: int
    likelihood: int
    count: int
    out_of_appetite: int
    refs: tuple[str, ...]


@dataclass(frozen=True)
class LinkedIncident:
    incident_id: int
    reference: str
    status: str
    reported_on: date
    lessons: str
    relevant_to_risk: bool


def _label(risk: Risk) -> str:
    return f"Risk {risk.ref}"


class GovernanceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- the register with appetite, response and review dates ---------------------------------

    def register_view(self, actor: Actor, register_id: int, *, today: date | None = None) -> list[GovernedRow]:
        """Every current risk of a register with its appetite flag, response, next review and prompts."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return self._view(s, today or date.today(), register_id=register_id)

    def out_of_appetite(self, actor: Actor, register_id: int) -> list[GovernedRow]:
        """The dashboard's list: risks scoring above their category's appetite, highest first."""
        rows = [r for r in self.register_view(actor, register_id) if r.out_of_appetite]
        return sorted(rows, key=lambda r: (-(r.score or 0), ref_sort_key(r.ref)))

    def heat_map(self, actor: Actor, register_id: int) -> dict[tuple[int, int], HeatCell]:
        """Per (impact, likelihood) cell: how many risks, and how many of them out of appetite."""
        cells: dict[tuple[int, int], list[GovernedRow]] = defaultdict(list)
        for r in self.register_view(actor, register_id):
            if r.impact is not None and r.likelihood is not None:
                cells[(r.impact, r.likelihood)].append(r)
        return {
            key: HeatCell(key[0], key[1], len(rows), sum(r.out_of_appetite for r in rows),
                          tuple(r.ref for r in sorted(rows, key=lambda r: ref_sort_key(r.ref))))
            for key, rows in cells.items()
        }

    def removal_candidates(self, actor: Actor, register_id: int) -> list[GovernedRow]:
        """Hygiene: at or below appetite for two quarters — candidate for removal."""
        return [r for r in self.register_view(actor, register_id) if r.removal_candidate]

    def overdue_reviews(self, actor: Actor, *, today: date | None = None,
                        register_id: int | None = None) -> list[GovernedRow]:
        """Current risks whose next review date has passed (the dashboard and the quarter close list them)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            rows = self._view(s, today or date.today(), register_id=register_id)
        return sorted((r for r in rows if r.review_overdue), key=lambda r: (r.next_review_on, ref_sort_key(r.ref)))

    def my_reviews_due(self, actor: Actor, *, today: date | None = None, within_days: int = 31) -> list[GovernedRow]:
        """The acting owner's risks due for review within ``within_days`` (overdue ones included)."""
        today = today or date.today()
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            rows = self._view(s, today, owner_id=user.id)
        return sorted((r for r in rows if r.next_review_on is not None
                       and (r.next_review_on - today).days <= within_days),
                      key=lambda r: (r.next_review_on, ref_sort_key(r.ref)))

    def rescore_prompted(self, actor: Actor) -> list[GovernedRow]:
        """The acting owner's risks a relevant lesson has prompted to re-score (until the next assessment)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            rows = self._view(s, date.today(), owner_id=user.id)
        return [r for r in rows if r.rescore_prompted]

    def _view(self, s: Session, today: date, *, register_id: int | None = None,
              owner_id: int | None = None) -> list[GovernedRow]:
        current = ScoringScheme.from_dict(scheme_row(s).data)
        schemes = {sv.id: ScoringScheme.from_dict(sv.data) for sv in s.scalars(select(SchemeVersion))}
        stmt = select(Risk, Category.name, User.display_name).outerjoin(Category, Category.id == Risk.category_id) \
            .outerjoin(User, User.id == Risk.owner_id).where(Risk.status == "current")
        if register_id is not None:
            stmt = stmt.where(Risk.register_id == register_id)
        if owner_id is not None:
            stmt = stmt.where(Risk.owner_id == owner_id)
        risks = s.execute(stmt).all()
        ids = [r.id for r, _, _ in risks]
        history: dict[int, list[Assessment]] = defaultdict(list)
        for a in s.scalars(select(Assessment).where(Assessment.risk_id.in_(ids)).order_by(Assessment.period)):
            history[a.risk_id].append(a)
        latest_ids = [h[-1].id for h in history.values()]
        gov = {g.assessment_id: g for g in s.scalars(
            select(AssessmentGovernance).where(AssessmentGovernance.assessment_id.in_(latest_ids)))}
        # A prompt stands until the next assessment: compare the audit trail's order (ids, not clocks:
        # revising this quarter's assessment keeps its first recorded time).
        last: dict[tuple[int, str], int] = {
            (rid, action): top for rid, action, top in s.execute(
                select(AuditEntry.entity_id, AuditEntry.action, func.max(AuditEntry.id))
                .where(AuditEntry.entity == "risk", AuditEntry.entity_id.in_(ids),
                       AuditEntry.action.in_(("risk.assess", "lesson.relevant")))
                .group_by(AuditEntry.entity_id, AuditEntry.action))
        }
        out = []
        for risk, category, owner_name in risks:
            hist = history.get(risk.id, [])
            a = hist[-1] if hist else None
            appetite = appetite_for(current, category)
            score = a.current_impact * a.current_likelihood if a else None
            g = gov.get(a.id) if a else None
            review = None
            if a is not None:
                review = g.next_review_on if g and g.next_review_on else next_review(
                    schemes.get(a.scheme_id, current), score or 1, a.recorded_at.date())
            try:
                band = current.band_for(score).name if score is not None else ""
            except ValidationError:
                band = ""
            marked = last.get((risk.id, "lesson.relevant"))
            prompted = marked is not None and marked > last.get((risk.id, "risk.assess"), 0)
            out.append(GovernedRow(
                risk_id=risk.id, register_id=risk.register_id, ref=risk.ref, category=category or "",
                owner_id=risk.owner_id, owner_name=owner_name or "",
                impact=a.current_impact if a else None, likelihood=a.current_likelihood if a else None,
                score=score, band=band,
                appetite_level=appetite.level if appetite else "", appetite_max=appetite.max_score if appetite else None,
                out_of_appetite=out_of_appetite(score, appetite),
                removal_candidate=removal_candidate([h.current_impact * h.current_likelihood for h in hist], appetite),
                response=g.response if g else None, next_review_on=review,
                review_overdue=is_overdue(review, today), rescore_prompted=prompted,
            ))
        return sorted(out, key=lambda r: (r.register_id, ref_sort_key(r.ref)))

    # -- response and review date of the latest assessment -------------------------------------

    def set_response(self, actor: Actor, risk_id: int, response: str | None, *,
                     next_review_on: date | None = None) -> GovernedRow:
        """Record the 4T(+1) response (and, optionally, a review date other than the cadence's) on the
        risk's latest assessment."""
        with self._ctx.begin() as s:
            risk = self._risk(s, risk_id)
            user = self._require_assess(s, actor, risk)
            a = s.scalars(select(Assessment).where(Assessment.risk_id == risk.id)
                          .order_by(Assessment.period.desc()).limit(1)).first()
            if a is None:
                raise ValidationError("response", response, f"needs an assessment: risk {risk.ref} is not scored yet")
            value = parse_enum(Response, "response", response).value if response else None
            if next_review_on is not None and next_review_on < a.recorded_at.date():
                raise ValidationError("next review date", next_review_on, "is before the assessment it follows")
            g = s.get(AssessmentGovernance, a.id) or AssessmentGovernance(assessment_id=a.id)
            before = {"response": g.response, "next_review_on": g.next_review_on}
            g.response, g.next_review_on = value, next_review_on
            s.add(g)
            s.flush()
            self._ctx.audit(s, user, "risk.response", "risk", risk.id, _label(risk),
                            diff(before, {"response": value, "next_review_on": next_review_on}), note=a.period)
            return governed(self._view(s, date.today(), register_id=risk.register_id), risk.id)

    # -- existing controls and sources of assurance --------------------------------------------

    def controls(self, actor: Actor, risk_id: int) -> list[ControlRow]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            self._risk(s, risk_id)
            return [self._control_row(c) for c in s.scalars(
                select(RiskControl).where(RiskControl.risk_id == risk_id).order_by(RiskControl.line, RiskControl.id))]

    def add_control(self, actor: Actor, risk_id: int, description: str, *, owner: str = "", line: int = 1,
                    effectiveness: str = "partly", last_tested_on: date | None = None) -> ControlRow:
        with self._ctx.begin() as s:
            risk = self._risk(s, risk_id)
            user = self._require_assess(s, actor, risk)
            control = RiskControl(risk_id=risk.id)
            self._apply_control(control, description, owner, line, effectiveness, last_tested_on)
            s.add(control)
            s.flush()
            self._ctx.audit(s, user, "control.add", "risk", risk.id, f"{_label(risk)} control",
                            diff({}, self._control_state(control)))
            return self._control_row(control)

    def update_control(self, actor: Actor, control_id: int, description: str, *, owner: str = "", line: int = 1,
                       effectiveness: str = "partly", last_tested_on: date | None = None,
                       expected_version: int) -> ControlRow:
        with self._ctx.begin() as s:
            control = s.get(RiskControl, control_id)
            if control is None:
                raise NotFound(f"Control {control_id} does not exist (it may have been deleted by someone else).")
            risk = self._risk(s, control.risk_id)
            user = self._require_assess(s, actor, risk)
            if control.version != expected_version:
                raise StaleEdit(f"A control on risk {risk.ref}")
            before = self._control_state(control)
            self._apply_control(control, description, owner, line, effectiveness, last_tested_on)
            s.flush()
            changes = diff(before, self._control_state(control))
            if changes:
                self._ctx.audit(s, user, "control.update", "risk", risk.id, f"{_label(risk)} control", changes)
            return self._control_row(control)

    def delete_control(self, actor: Actor, control_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            control = s.get(RiskControl, control_id)
            if control is None:
                raise NotFound(f"Control {control_id} does not exist (it may have been deleted by someone else).")
            risk = self._risk(s, control.risk_id)
            user = self._require_assess(s, actor, risk)
            if control.version != expected_version:
                raise StaleEdit(f"A control on risk {risk.ref}")
            self._ctx.audit(s, user, "control.delete", "risk", risk.id, f"{_label(risk)} control",
                            diff(self._control_state(control), {}))
            s.delete(control)

    def assurances(self, actor: Actor, risk_id: int) -> list[AssuranceRow]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            self._risk(s, risk_id)
            return [AssuranceRow(a.id, a.risk_id, a.source, a.line, a.last_received_on, a.version)
                    for a in s.scalars(select(AssuranceSource).where(AssuranceSource.risk_id == risk_id)
                                       .order_by(AssuranceSource.line, AssuranceSource.id))]

    def add_assurance(self, actor: Actor, risk_id: int, source: str, *, line: int,
                      last_received_on: date | None = None) -> AssuranceRow:
        with self._ctx.begin() as s:
            risk = self._risk(s, risk_id)
            user = self._require_assess(s, actor, risk)
            text = (source or "").strip()
            if not text:
                raise ValidationError("source of assurance", source, "must not be empty")
            row = AssuranceSource(risk_id=risk.id, source=text, line=check_line(line),
                                  last_received_on=last_received_on)
            s.add(row)
            s.flush()
            self._ctx.audit(s, user, "assurance.add", "risk", risk.id, f"{_label(risk)} assurance",
                            diff({}, {"source": text, "line": row.line, "last_received_on": last_received_on}))
            return AssuranceRow(row.id, row.risk_id, row.source, row.line, row.last_received_on, row.version)

    def update_assurance(self, actor: Actor, assurance_id: int, source: str, *, line: int,
                         last_received_on: date | None = None, expected_version: int) -> AssuranceRow:
        with self._ctx.begin() as s:
            row = s.get(AssuranceSource, assurance_id)
            if row is None:
                raise NotFound(f"Source of assurance {assurance_id} does not exist (it may have been deleted by "
                               "someone else).")
            risk = self._risk(s, row.risk_id)
            user = self._require_assess(s, actor, risk)
            if row.version != expected_version:
                raise StaleEdit(f"A source of assurance on risk {risk.ref}")
            text = (source or "").strip()
            if not text:
                raise ValidationError("source of assurance", source, "must not be empty")
            before = {"source": row.source, "line": row.line, "last_received_on": row.last_received_on}
            row.source, row.line, row.last_received_on = text, check_line(line), last_received_on
            s.flush()
            changes = diff(before, {"source": text, "line": row.line, "last_received_on": last_received_on})
            if changes:
                self._ctx.audit(s, user, "assurance.update", "risk", risk.id, f"{_label(risk)} assurance", changes)
            return AssuranceRow(row.id, row.risk_id, row.source, row.line, row.last_received_on, row.version)

    def delete_assurance(self, actor: Actor, assurance_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            row = s.get(AssuranceSource, assurance_id)
            if row is None:
                raise NotFound(f"Source of assurance {assurance_id} does not exist (it may have been deleted by "
                               "someone else).")
            risk = self._risk(s, row.risk_id)
            user = self._require_assess(s, actor, risk)
            if row.version != expected_version:
                raise StaleEdit(f"A source of assurance on risk {risk.ref}")
            self._ctx.audit(s, user, "assurance.delete", "risk", risk.id, f"{_label(risk)} assurance",
                            diff({"source": row.source, "line": row.line, "last_received_on": row.last_received_on},
                                 {}))
            s.delete(row)

    @staticmethod
    def _apply_control(c: RiskControl, description: str, owner: str, line: int, effectiveness: str,
                       last_tested_on: date | None) -> None:
        text = (description or "").strip()
        if not text:
            raise ValidationError("control", description, "must not be empty")
        if last_tested_on and last_tested_on > date.today():
            raise ValidationError("last tested", last_tested_on, "is in the future")
        c.description, c.owner, c.line = text, (owner or "").strip(), check_line(line)
        c.effectiveness = parse_enum(Effectiveness, "effectiveness", effectiveness).value
        c.last_tested_on = last_tested_on

    @staticmethod
    def _control_state(c: RiskControl) -> dict[str, Any]:
        return {"control": c.description, "owner": c.owner, "line": c.line, "effectiveness": c.effectiveness,
                "last_tested_on": c.last_tested_on}

    @staticmethod
    def _control_row(c: RiskControl) -> ControlRow:
        return ControlRow(c.id, c.risk_id, c.description, c.owner, c.line, c.effectiveness, c.last_tested_on,
                          c.version)

    # -- actions: expected completion and the on-time rate -------------------------------------

    def set_action_expected(self, actor: Actor, action_id: int, expected_on: date | None, *,
                            expected_version: int) -> None:
        """The owner's forecast completion date of an action (the due date stays the commitment)."""
        with self._ctx.begin() as s:
            action = s.get(RiskAction, action_id)
            if action is None:
                raise NotFound(f"Action {action_id} does not exist (it may have been deleted by someone else).")
            risk = self._risk(s, action.risk_id)
            user = self._require_assess(s, actor, risk)
            if action.version != expected_version:
                raise StaleEdit(f"An action on risk {risk.ref}")
            before = action.expected_on
            action.expected_on = expected_on
            s.flush()
            if before != expected_on:
                self._ctx.audit(s, user, "action.update", "risk", risk.id, f"{_label(risk)} action",
                                diff({"expected": before}, {"expected": expected_on}))

    def on_time_rates(self, actor: Actor, register_id: int, *, today: date | None = None
                      ) -> tuple[OnTimeRate, list[OnTimeRate], list[OnTimeRate]]:
        """(register, per department, per risk) on-time rates of a register's actions on current risks."""
        today = today or date.today()
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            rows = s.execute(
                select(Risk.id, Risk.ref, RiskAction.due_on, RiskAction.completed_on)
                .join(RiskAction, RiskAction.risk_id == Risk.id)
                .where(Risk.register_id == register_id, Risk.status == "current")
            ).all()
            depts: dict[int, list[str]] = defaultdict(list)
            for rid, code in s.execute(select(RiskDepartment.risk_id, Department.code)
                                       .join(Department, Department.id == RiskDepartment.department_id)):
                depts[rid].append(code)
        by_risk: dict[str, list[tuple[date | None, date | None]]] = defaultdict(list)
        by_dept: dict[str, list[tuple[date | None, date | None]]] = defaultdict(list)
        for rid, ref, due, done in rows:
            by_risk[ref].append((due, done))
            for code in depts.get(rid, ()):
                by_dept[code].append((due, done))
        register = on_time_rate("register", ((due, done) for _, _, due, done in rows), today)
        return (register,
                [on_time_rate(k, v, today) for k, v in sorted(by_dept.items())],
                [on_time_rate(k, v, today) for k, v in sorted(by_risk.items(), key=lambda kv: ref_sort_key(kv[0]))])

    # -- SIs and their lessons -----------------------------------------------------------------

    def linked_incidents(self, actor: Actor, risk_id: int) -> list[LinkedIncident]:
        """A risk's linked SIs and their lessons; only for those who may view incidents."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_INCIDENTS)
            self._risk(s, risk_id)
            relevant = set(s.scalars(select(LessonRisk.incident_id).where(LessonRisk.risk_id == risk_id)))
            return [LinkedIncident(si.id, si.reference, si.status, si.reported_on, si.lessons, si.id in relevant)
                    for si in s.scalars(select(SeriousIncident).join(IncidentRisk, IncidentRisk.incident_id
                                                                     == SeriousIncident.id)
                                        .where(IncidentRisk.risk_id == risk_id).order_by(SeriousIncident.reported_on))]

    def mark_lesson_relevant(self, actor: Actor, incident_id: int, risk_id: int) -> None:
        """Mark an SI's lessons relevant to a linked risk: its owner is prompted to re-score."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_INCIDENTS)
            risk = self._risk(s, risk_id)
            si = s.get(SeriousIncident, incident_id)
            if si is None:
                raise NotFound(f"SI {incident_id} does not exist (it may have been deleted by someone else).")
            if s.get(IncidentRisk, (incident_id, risk_id)) is None:
                raise ValidationError("lesson", si.reference, f"is from an SI not linked to risk {risk.ref}")
            if not (si.lessons or "").strip():
                raise ValidationError("lesson", si.reference, "has no lessons recorded yet")
            s.add(LessonRisk(incident_id=si.id, risk_id=risk.id, lesson=si.lessons, marked_by=user.login))
            self._ctx.audit(s, user, "lesson.relevant", "risk", risk.id, _label(risk),
                            # The SI's own text stays out of an entry about a risk: roles that may
                            # not read incidents read entries about risks.
                            {"incident": [None, si.reference]}, note=si.reference)

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _risk(s: Session, risk_id: int) -> Risk:
        risk = s.get(Risk, risk_id)
        if risk is None:
            raise NotFound(f"Risk {risk_id} does not exist (it may have been deleted).")
        return risk

    def _require_assess(self, s: Session, actor: Actor, risk: Risk) -> User:
        # Whoever may re-score the risk may keep its response, controls and assurance up to date.
        user = self._ctx.user(s, actor)
        may_any = allows(user.role, Permission.ASSESS_ANY_RISK)
        may_own = allows(user.role, Permission.ASSESS_OWN_RISK) and risk.owner_id == user.id
        if not (may_any or may_own):
            raise PermissionDenied(f"{user.display_name} cannot update risk {risk.ref}: it is not theirs. "
                                   "Only its owner and the corporate risk team can update it.")
        return user


def governed(rows: Iterable[GovernedRow], risk_id: int) -> GovernedRow:
    for r in rows:
        if r.risk_id == risk_id:
            return r
    raise NotFound(f"Risk {risk_id} is not a current risk.")
