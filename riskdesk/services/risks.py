"""Risks: add, amend, remove, restore, escalate, assess, list. Each public method is one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, String, and_, cast, func, select, true
from sqlalchemy.orm import Session, aliased, make_transient_to_detached
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from riskdesk.db import read_together
from riskdesk.domain.direction import Direction, direction_words
from riskdesk.domain.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission, allows, hidden_audit_entities
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor, RiskRow, category_heading
from riskdesk.domain.risk_detail import (
    ActionChange,
    ActionRow,
    AssessmentChange,
    AssessmentRow,
    AuditRow,
    NewRisk,
    RemovalRow,
    RiskChange,
)
from riskdesk.domain.scoring import Score, ScoringScheme
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.models import (
    Amendment,
    Assessment,
    AssessmentLine,
    AuditEntry,
    Category,
    Department,
    Escalation,
    Register,
    Removal,
    Risk,
    RiskAction,
    RiskDepartment,
    SchemeVersion,
    Setting,
    User,
)
from riskdesk.services.base import ServiceContext, collector_paused, diff, refusal
from riskdesk.services.listing import RegisterChoices, choices_from, risk_rows, schemes_missing, score_or_none
from riskdesk.services.registers import (
    CURRENT_PERIOD,
    choice_reads,
    find_department,
    require_register,
    scheme_row,
)

MAX_REF = 16


@dataclass(frozen=True)
class SavedAssessment:
    """What the register page redraws from after a score save, returned by the save itself."""

    row: RiskRow
    assessment: AssessmentRow
    audit: AuditRow | None  # the entry the save wrote (None for a user who may not read the trail)


@dataclass(frozen=True)
class RiskFilter:
    """Server-side narrowing of the register; finer filtering happens on the rows in memory."""

    status: str = "current"  # "current", "removed" or "all"


def _clean_ref(ref: str) -> str:
    ref = (ref or "").strip()
    if not ref:
        raise ValidationError("ref", ref, "must not be empty")
    if len(ref) > MAX_REF:
        raise ValidationError("ref", ref, f"is longer than {MAX_REF} characters")
    return ref


def _clean_text(field: str, value: str, *, required: bool = True) -> str:
    # Keep the user's text exactly (line breaks, bullets, spacing); only drop NULs, which no
    # database column can hold, and trailing whitespace at the very end.
    value = (value or "").replace("\x00", "").rstrip()
    if required and not value.strip():
        raise ValidationError(field, value, "must not be empty")
    return value


def _lines(a: Any, lines: Iterable[Any] | None = None) -> tuple[ScoreLine, ...]:
    """An assessment's scoring lines, the first from the assessment itself; the others are
    ``a.lines`` (an ORM object) or ``lines`` (read as columns)."""
    head = ScoreLine(
        Score(a.current_impact, a.current_likelihood),
        score_or_none(a.target_impact, a.target_likelihood),
        "",
        a.note or "",
    )
    extra = tuple(
        ScoreLine(
            Score(lv.current_impact, lv.current_likelihood),
            score_or_none(lv.target_impact, lv.target_likelihood),
            lv.label or "",
            lv.note or "",
        )
        for lv in (a.lines if lines is None else lines)
    )
    return (head, *extra)


def _risk_state(risk: Risk) -> dict[str, Any]:
    return {
        "ref": risk.ref,
        "description": risk.description,
        "category_id": risk.category_id,
        "departments": [rd.department.code for rd in risk.departments],
        "departments_text": risk.departments_text,
        "owner_id": risk.owner_id,
        "service_area": risk.service_area,
        "exempt": risk.exempt,
        "status": risk.status,
        "register_id": risk.register_id,
    }


def _assessment_state(a: Assessment | None) -> dict[str, Any]:
    if a is None:
        return {}
    state: dict[str, Any] = {
        "current": f"{a.current_impact}x{a.current_likelihood}={a.current_impact * a.current_likelihood}",
        "target": (
            f"{a.target_impact}x{a.target_likelihood}={a.target_impact * a.target_likelihood}"
            if a.target_impact is not None and a.target_likelihood is not None
            else None
        ),
        "direction": a.direction,
        "direction_text": a.direction_text,
        "update": a.update_text,
        "note": a.note,
    }
    for lv in a.lines:
        state[f"line {lv.position}"] = (
            f"{lv.label}: {lv.current_impact}x{lv.current_likelihood}"
            + (f" → {lv.target_impact}x{lv.target_likelihood}" if lv.target_impact else "")
        )
    return state


def _label(risk: Risk) -> str:
    return f"Risk {risk.ref}"


def _scope(register_id: int | BindParameter[int] | None, risk_ids: Sequence[int] | None, status: str) -> ColumnElement[bool]:
    """Which risks a listing covers, as a condition on ``Risk``."""
    conds: list[ColumnElement[bool]] = []
    if register_id is not None:
        conds.append(Risk.register_id == register_id)
    if risk_ids is not None:
        conds.append(Risk.id.in_(list(risk_ids)))
    if status != "all":
        conds.append(Risk.status == status)
    return and_(true(), *conds)


def list_reads(register_id: int | BindParameter[int], status: str = "current") -> list[Select[Any]]:
    """What ``RiskService.list_risks`` reads after the acting user: the register's rows
    (``_row_reads``) and the scheme versions they are scored under."""
    return [*_row_reads(register_id, None, status), select(SchemeVersion.id, SchemeVersion.data)]


def _row_reads(register_id: int | BindParameter[int] | None, risk_ids: Sequence[int] | None, status: str) -> list[Select[Any]]:
    """What a listing of risks reads, as independent statements: sent together, they are one
    round trip to a shared server. Plain column queries, not ORM objects: listing 5,000 risks
    must stay quick.

    Each risk's latest assessment and its score history come in the risk's own row: the history
    as one text per risk (``"2024Q1 12 6,2024Q2 9 "``: period, current score, target score or
    nothing), not a row per period: 5,000 risks scored for eight quarters are 5,000 rows rather
    than 50,000 in three reads, and on a shared server far fewer bytes."""
    scope = _scope(register_id, risk_ids, status)
    latest, older, past = aliased(Assessment), aliased(Assessment), aliased(Assessment)
    entry = (past.period + " " + cast(past.current_impact * past.current_likelihood, String) + " "
             + func.coalesce(cast(past.target_impact * past.target_likelihood, String), ""))
    return [
        select(
            Risk.id, Risk.register_id, Risk.ref, Risk.category_id, Risk.description, Risk.service_area,
            Risk.departments_text, Risk.owner_id, Risk.status, Risk.exempt, Risk.version,
            Risk.first_presented_on, Category.number, Category.name, Category.retired,
            Category.heading_as_given, Category.position, User.display_name,
            latest.id.label("a_id"), latest.period, latest.current_impact, latest.current_likelihood,
            latest.target_impact, latest.target_likelihood, latest.note, latest.direction, latest.direction_text,
            latest.update_text, latest.scheme_id.label("a_scheme_id"), latest.version.label("a_version"),
            select(func.aggregate_strings(entry, ",")).where(past.risk_id == Risk.id).correlate(Risk)
            .scalar_subquery().label("history"),
        )
        .outerjoin(Category, Category.id == Risk.category_id)
        .outerjoin(User, User.id == Risk.owner_id)
        .outerjoin(latest, and_(latest.risk_id == Risk.id, latest.period == select(func.max(older.period)).where(
            older.risk_id == Risk.id).correlate(Risk).scalar_subquery()))
        .where(scope),
        select(RiskDepartment.risk_id, Department.code)
        .join(Department, Department.id == RiskDepartment.department_id)
        .join(Risk, Risk.id == RiskDepartment.risk_id)
        .where(scope)
        .order_by(RiskDepartment.risk_id, RiskDepartment.position),
        # The scoring lines of the risks' assessments (the latest's are kept).
        select(AssessmentLine.assessment_id, AssessmentLine.label, AssessmentLine.current_impact,
               AssessmentLine.current_likelihood, AssessmentLine.target_impact,
               AssessmentLine.target_likelihood, AssessmentLine.note)
        .join(Assessment, Assessment.id == AssessmentLine.assessment_id)
        .join(Risk, Risk.id == Assessment.risk_id)
        .where(scope)
        .order_by(AssessmentLine.assessment_id, AssessmentLine.position),
    ]


def _assessment_row(a: Any, lines: tuple[ScoreLine, ...], versions: dict[int, tuple[int, ScoringScheme]]
                    ) -> AssessmentRow:
    """A period's assessment as the editor's history shows it (``a``: the row or its columns)."""
    version, scheme = versions[a.scheme_id]
    words = a.direction_text or direction_words(
        Direction(a.direction), lines[0].current.score, scheme.bands,
        lines[0].target.score if lines[0].target else None,
    )
    return AssessmentRow(a.id, a.risk_id, a.period, lines, Direction(a.direction), words, a.update_text, version,
                         a.recorded_at, a.recorded_by, a.version, a.source_values or "")


def _sorted_actions(rows: list[ActionRow]) -> list[ActionRow]:
    """Open actions first, soonest due first."""
    rows.sort(key=lambda a: (a.done, a.due_on or date.max, a.id))
    return rows


def _audit_stmt(hidden: frozenset[str], entity: str | None, entity_id: int | None,
                limit: int | None) -> Select[Any]:
    """The audit entries, newest first, but those about ``hidden`` kinds of thing."""
    stmt = select(AuditEntry.id, AuditEntry.at, AuditEntry.user_login, AuditEntry.action, AuditEntry.entity,
                  AuditEntry.entity_id, AuditEntry.label, AuditEntry.changes, AuditEntry.note,
                  AuditEntry.os_login).order_by(AuditEntry.id.desc())
    if hidden:  # entries about incidents hold their text: only those who may see incidents read them
        stmt = stmt.where(AuditEntry.entity.not_in(sorted(hidden)))
    if entity is not None:
        stmt = stmt.where(AuditEntry.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if limit:
        stmt = stmt.limit(limit)
    return stmt


def _audit_row(e: Any) -> AuditRow:
    return AuditRow(e.id, e.at, e.user_login, e.action, e.entity, e.entity_id, e.label, dict(e.changes), e.note,
                    e.os_login or "")


def _as_loaded(s: Session, model: type[Any], row: Any) -> Any:
    """``row`` (every column of ``model``'s table) as the session's own object, as if it had been
    loaded: a change to it is written back as an UPDATE checked against its version."""
    obj = model(**row._mapping)
    make_transient_to_detached(obj)
    s.add(obj)
    return obj


class RiskService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- reading -------------------------------------------------------------------------------

    def list_risks(self, actor: Actor, register_id: int, flt: RiskFilter = RiskFilter()) -> list[RiskRow]:
        """Every risk of a register with its latest assessment, in register order."""
        with self._ctx.begin() as s, collector_paused():
            return self._listing(s, actor, register_id, flt.status, [])[0]

    def open_register(self, actor: Actor, register_id: int) -> tuple[list[RiskRow], RegisterChoices]:
        """What the register page shows of a register: its current risks (as :meth:`list_risks`)
        and what its filters and editor offer (as ``RegisterService.choices``), in one read: one
        round trip to a shared server, where the two calls took two."""
        with self._ctx.begin() as s, collector_paused():
            rows, chosen = self._listing(s, actor, register_id, "current", choice_reads(register_id))
            return rows, choices_from(*chosen)

    def _listing(self, s: Session, actor: Actor, register_id: int, status: str, reads: Sequence[Any]
                 ) -> tuple[list[RiskRow], list[list[Any]]]:
        """A register's risks, once the actor may see them, and the rows of each of ``reads``:
        who is asking, the rows' reads, the schemes they are scored under and ``reads``, sent
        together (one round trip)."""
        listing = list_reads(register_id, status)
        who, results = self._ctx.read_with_user(s, actor, [*listing, *reads], Permission.VIEW_REGISTER)
        self._ctx.require_from(s, actor, who, Permission.VIEW_REGISTER)
        found, more = results[:len(listing)], results[len(listing):]
        schemes = {sv.id: ScoringScheme.from_dict(sv.data) for sv in found.pop()}
        return self._rows_from(s, found, schemes), more

    def get(self, actor: Actor, risk_id: int) -> RiskRow:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            rows = self._rows(s, risk_ids=[risk_id], status="all")
            if not rows:
                raise NotFound(f"Risk {risk_id} does not exist (it may have been deleted).")
            return rows[0]

    def _rows(
        self,
        s: Session,
        *,
        register_id: int | None = None,
        risk_ids: Sequence[int] | None = None,
        status: str = "current",
        schemes: dict[int, ScoringScheme] | None = None,
    ) -> list[RiskRow]:
        reads = _row_reads(register_id, risk_ids, status)
        return self._rows_from(s, read_together(s.connection(), reads), schemes=schemes)

    def _rows_from(self, s: Session, results: Sequence[Sequence[Any]],
                   schemes: dict[int, ScoringScheme] | None) -> list[RiskRow]:
        """The rows from what ``_row_reads`` read (in that order; sent together, one round trip)."""
        base = results[0]
        if not base:
            return []
        if schemes is None or schemes_missing(base, schemes):
            schemes = {sv.id: ScoringScheme.from_dict(sv.data) for sv in s.scalars(select(SchemeVersion))}
        return risk_rows(base, results[1], results[2], schemes)

    def history(self, actor: Actor, risk_id: int) -> list[AssessmentRow]:
        """Every assessment of a risk, oldest first."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return self._history(s, risk_id, {sv.id: sv for sv in s.scalars(select(SchemeVersion))})

    def _history(self, s: Session, risk_id: int, schemes: dict[int, SchemeVersion]) -> list[AssessmentRow]:
        risk = self._risk(s, risk_id)
        versions = {i: (sv.version, ScoringScheme.from_dict(sv.data)) for i, sv in schemes.items()}
        return [_assessment_row(a, _lines(a), versions) for a in risk.assessments]

    def open_in_editor(self, actor: Actor, risk_id: int, *, audit_limit: int = 200
                       ) -> tuple[RiskRow, list[AssessmentRow], list[ActionRow], list[AuditRow]]:
        """What the editor shows for a risk (``get``, ``history``, ``actions`` and its audit trail)
        in one read: every statement is independent of the others' answers, so on a shared server
        they go together, as one round trip, where one by one they were a dozen."""
        with self._ctx.begin() as s:
            listing = _row_reads(None, [risk_id], "all")
            own = [
                select(SchemeVersion.id, SchemeVersion.version, SchemeVersion.data),
                select(Assessment.id, Assessment.risk_id, Assessment.period, Assessment.current_impact,
                       Assessment.current_likelihood, Assessment.target_impact, Assessment.target_likelihood,
                       Assessment.note, Assessment.direction, Assessment.direction_text, Assessment.update_text,
                       Assessment.scheme_id, Assessment.recorded_at, Assessment.recorded_by, Assessment.version,
                       Assessment.source_values)
                .where(Assessment.risk_id == risk_id).order_by(Assessment.period),
                select(RiskAction.id, RiskAction.risk_id, RiskAction.description, RiskAction.owner_id,
                       User.display_name, RiskAction.due_on, RiskAction.completed_on, RiskAction.version)
                .outerjoin(User, User.id == RiskAction.owner_id).where(RiskAction.risk_id == risk_id),
                _audit_stmt(frozenset(), "risk", risk_id, audit_limit),
            ]
            who, results = self._ctx.read_with_user(s, actor, [*own, *listing], Permission.VIEW_REGISTER)
            user = self._ctx.require_from(s, actor, who, Permission.VIEW_REGISTER)
            if not allows(user.role, Permission.VIEW_AUDIT_TRAIL):
                raise PermissionDenied(refusal(user.display_name, user.role, Permission.VIEW_AUDIT_TRAIL))
            scheme_rows, assessments, actions, audit = results[:len(own)]
            found = results[len(own):]
            versions = {sv.id: (sv.version, ScoringScheme.from_dict(sv.data)) for sv in scheme_rows}
            rows = self._rows_from(s, found, {i: v[1] for i, v in versions.items()})
            if not rows:
                raise NotFound(f"Risk {risk_id} does not exist (it may have been deleted).")
            lines: dict[int, list[Any]] = defaultdict(list)
            for line in found[2]:  # every scoring line of the risk's assessments, in order
                lines[line.assessment_id].append(line)
            history = [_assessment_row(a, _lines(a, lines.get(a.id, ())), versions) for a in assessments]
            shown = [] if "risk" in hidden_audit_entities(user.role) else [_audit_row(e) for e in audit]
            owned = [ActionRow(a.id, a.risk_id, a.description, a.owner_id, a.display_name or "", a.due_on,
                               a.completed_on, a.version) for a in actions]
            return rows[0], history, _sorted_actions(owned), shown

    def removed(self, actor: Actor, register_id: int, since: date | None = None) -> list[RemovalRow]:
        """Risks removed from a register (and not restored), newest first."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            stmt = (
                select(Removal, Risk)
                .join(Risk, Risk.id == Removal.risk_id)
                .where(Risk.register_id == register_id, Risk.status == "removed", Removal.restored_on.is_(None))
                .order_by(Removal.removed_on.desc(), Removal.id.desc())
            )
            if since is not None:
                stmt = stmt.where(Removal.removed_on >= since)
            out = []
            for rem, risk in s.execute(stmt):
                codes = [rd.department.code for rd in risk.departments]
                out.append(RemovalRow(risk.id, risk.ref, risk.departments_text or " ".join(codes), risk.description,
                                      rem.score, rem.impact, rem.likelihood, rem.reason, rem.removed_on, rem.removed_by))
            return out

    def audit_trail(self, actor: Actor, *, entity: str | None = None, entity_id: int | None = None,
                    limit: int | None = None) -> list[AuditRow]:
        """Who changed what, newest first."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_AUDIT_TRAIL)
            return self._audit_rows(s, user, entity, entity_id, limit)

    @staticmethod
    def _audit_rows(s: Session, user: User, entity: str | None, entity_id: int | None,
                    limit: int | None) -> list[AuditRow]:
        stmt = _audit_stmt(hidden_audit_entities(user.role), entity, entity_id, limit)
        return [_audit_row(e) for e in s.execute(stmt).all()]

    def readable_audit_rows(self, actor: Actor, rows: Sequence[AuditRow]) -> list[AuditRow]:
        """The entries of ``rows`` the actor may read."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_AUDIT_TRAIL)
        hidden = hidden_audit_entities(user.role)
        return [r for r in rows if r.entity not in hidden]

    # -- writing -------------------------------------------------------------------------------

    def add_risk(self, actor: Actor, new: NewRisk) -> RiskRow:
        ref = _clean_ref(new.ref)
        description = _clean_text("description", new.description)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            require_register(s, new.register_id)
            self._check_ref_free(s, new.register_id, ref)
            if new.category_id is not None:
                self._category(s, new.category_id, new.register_id)
            if new.owner_id is not None and s.get(User, new.owner_id) is None:
                raise ValidationError("owner", new.owner_id, "is not a riskdesk user")
            risk = Risk(register_id=new.register_id, ref=ref, description=description, category_id=new.category_id,
                        owner_id=new.owner_id, service_area=(new.service_area or "").strip(), exempt=new.exempt)
            risk.departments = self._departments(s, new.departments)
            s.add(risk)
            s.flush()
            self._ctx.audit(s, user, "risk.add", "risk", risk.id, _label(risk), diff({}, _risk_state(risk)))
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    def amend_risk(self, actor: Actor, risk_id: int, change: RiskChange, *, expected_version: int) -> RiskRow:
        """Change a risk's wording, category, departments, owner or flags.

        Changing the description of a risk already presented to committee needs a rationale;
        it is recorded as an amendment that the next report prints.
        """
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            risk = self._risk(s, risk_id)
            self._check_version(risk, expected_version)
            before = _risk_state(risk)
            if change.ref is not None and change.ref.strip() != risk.ref:
                ref = _clean_ref(change.ref)
                if risk.status == "current":
                    self._check_ref_free(s, risk.register_id, ref, exclude=risk.id)
                risk.ref = ref
            if change.description is not None:
                description = _clean_text("description", change.description)
                if description != risk.description:
                    rationale = (change.rationale or "").strip()
                    if risk.first_presented_on is not None and not rationale:
                        raise ValidationError(
                            "rationale", change.rationale,
                            f"is needed: risk {risk.ref} has been presented to committee, so a change to its "
                            "description must say why",
                        )
                    s.add(Amendment(risk_id=risk.id, field="description", old_value=risk.description,
                                    new_value=description, rationale=rationale, changed_by=user.login))
                    risk.description = description
            if change.category_id is not None and change.category_id != risk.category_id:
                self._category(s, change.category_id, risk.register_id)
                risk.category_id = change.category_id
            if change.departments is not None:
                wanted = self._departments(s, change.departments)
                if [d.department_id for d in wanted] != [d.department_id for d in risk.departments]:
                    risk.departments.clear()
                    s.flush()
                    risk.departments.extend(wanted)
                    # Only child rows changed: touch the risk row so its version moves on and a
                    # concurrent editor's save is refused as stale.
                    flag_modified(risk, "description")
            if change.departments_text is not None:
                risk.departments_text = change.departments_text.strip() or None
            if change.clear_owner:
                risk.owner_id = None
            elif change.owner_id is not None:
                if s.get(User, change.owner_id) is None:
                    raise ValidationError("owner", change.owner_id, "is not a riskdesk user")
                risk.owner_id = change.owner_id
            if change.service_area is not None:
                risk.service_area = change.service_area.strip()
            if change.exempt is not None:
                risk.exempt = change.exempt
            changes = diff(before, _risk_state(risk))
            if not changes:
                return self._rows(s, risk_ids=[risk.id], status="all")[0]
            s.flush()
            note = (change.rationale or "").strip() if "description" in changes else ""
            self._ctx.audit(s, user, "risk.amend", "risk", risk.id, _label(risk), changes, note)
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    def remove_risk(self, actor: Actor, risk_id: int, reason: str, *, expected_version: int,
                    removed_on: date | None = None) -> RiskRow:
        reason = _clean_text("reason for removal", reason)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            risk = self._risk(s, risk_id)
            self._check_version(risk, expected_version)
            if risk.status != "current":
                raise ValidationError("risk", risk.ref, "has already been removed")
            latest = risk.assessments[-1] if risk.assessments else None
            removal = Removal(
                risk_id=risk.id, removed_on=removed_on or date.today(), reason=reason, removed_by=user.login,
                score=latest.current_impact * latest.current_likelihood if latest else None,
                impact=latest.current_impact if latest else None,
                likelihood=latest.current_likelihood if latest else None,
            )
            s.add(removal)
            risk.status = "removed"
            s.flush()
            self._ctx.audit(s, user, "risk.remove", "risk", risk.id, _label(risk),
                            {"status": ["current", "removed"], "score at removal": [None, removal.score]}, reason)
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    def restore_risk(self, actor: Actor, risk_id: int, *, expected_version: int, new_ref: str | None = None,
                     reason: str = "") -> RiskRow:
        """Put a removed risk back on its register (its ref may have been reused: give a new one)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            risk = self._risk(s, risk_id)
            self._check_version(risk, expected_version)
            if risk.status != "removed":
                raise ValidationError("risk", risk.ref, "is not removed")
            ref = _clean_ref(new_ref) if new_ref else risk.ref
            self._check_ref_free(s, risk.register_id, ref)
            old_ref = risk.ref
            removal = s.scalars(
                select(Removal).where(Removal.risk_id == risk.id, Removal.restored_on.is_(None))
                .order_by(Removal.id.desc())
            ).first()
            if removal is not None:
                removal.restored_on = date.today()
                removal.restored_by = user.login
            risk.status = "current"
            risk.ref = ref
            s.flush()
            self._ctx.audit(s, user, "risk.restore", "risk", risk.id, _label(risk),
                            diff({"status": "removed", "ref": old_ref}, {"status": "current", "ref": ref}), reason)
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    def move_register(self, actor: Actor, risk_id: int, to_register_id: int, reason: str, *,
                      expected_version: int, new_ref: str | None = None,
                      category_id: int | None = None) -> RiskRow:
        """Escalate a risk to the corporate register, or de-escalate it to a departmental one."""
        reason = _clean_text("reason", reason)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            risk = self._risk(s, risk_id)
            self._check_version(risk, expected_version)
            if risk.status != "current":
                raise ValidationError("risk", risk.ref, "is removed; restore it before moving it")
            target = require_register(s, to_register_id)
            if target.id == risk.register_id:
                raise ValidationError("register", target.name, "is the register the risk is already on")
            ref = _clean_ref(new_ref) if new_ref else risk.ref
            self._check_ref_free(s, target.id, ref)
            if category_id is not None:
                self._category(s, category_id, target.id)
            kind = "escalate" if target.kind == "corporate" else "de-escalate"
            s.add(Escalation(risk_id=risk.id, kind=kind, from_register_id=risk.register_id, to_register_id=target.id,
                             old_ref=risk.ref, new_ref=ref, reason=reason, by=user.login))
            before = _risk_state(risk)
            risk.register_id = target.id
            risk.ref = ref
            risk.category_id = category_id
            s.flush()
            self._ctx.audit(s, user, f"risk.{kind}", "risk", risk.id, _label(risk), diff(before, _risk_state(risk)),
                            reason)
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    def record_assessment(self, actor: Actor, risk_id: int, period: Quarter, change: AssessmentChange, *,
                          expected_version: int | None) -> RiskRow:
        """Record (or revise) a risk's assessment for a period.

        ``expected_version`` is the version of that period's assessment as the caller saw it, or
        ``None`` when the caller saw none; a mismatch means someone else saved first.
        """
        with self._ctx.begin() as s:
            risk, *_ = self._record(s, actor, risk_id, period, change, expected_version)
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    def save_assessment(self, actor: Actor, risk_id: int, period: Quarter, change: AssessmentChange, *,
                        expected_version: int | None) -> SavedAssessment:
        """``record_assessment`` for the register page: one transaction that also returns what the
        page redraws from (the row, the period's assessment, the audit entry), so it reads nothing after."""
        with self._ctx.begin() as s:
            risk, a, sv, user, audited = self._record(s, actor, risk_id, period, change, expected_version)
            scheme = ScoringScheme.from_dict(sv.data)
            # The row read back, and the audit entry just written (the newest of the risk's: the
            # trail's head is held by this transaction), together.
            reads = _row_reads(None, [risk.id], "all")
            shown = (audited and allows(user.role, Permission.VIEW_AUDIT_TRAIL)
                     and "risk" not in hidden_audit_entities(user.role))
            if shown:
                reads.append(_audit_stmt(frozenset(), "risk", risk.id, 1))
            # The last statements of the save: they go with its audit entry and its COMMIT.
            results = read_together(s.connection(), reads, commit=True)
            entry = _audit_row(results.pop()[0]) if shown else None
            # The scheme the save just used is the one the row's latest assessment is scored under.
            row = self._rows_from(s, results, {sv.id: scheme})[0]
            assessment = _assessment_row(a, _lines(a), {sv.id: (sv.version, scheme)})
            return SavedAssessment(row, assessment, entry)

    def _record(self, s: Session, actor: Actor, risk_id: int, period: Quarter, change: AssessmentChange,
                expected_version: int | None) -> tuple[Any, Assessment, Any, User, bool]:
        """Write a period's assessment and its audit entry inside the caller's transaction.

        What it checks and rewrites is read first, together (one round trip to a shared server):
        the acting user, the risk, the current quarter, the period's assessment and its lines, the
        newest scheme. The assessment and its lines become the session's own, as if loaded."""
        update = _clean_text("update", change.update_text, required=False)
        reads = [
            select(Risk.id, Risk.ref, Risk.owner_id, Risk.status).where(Risk.id == risk_id),
            select(Setting.key, Setting.value).where(Setting.key == CURRENT_PERIOD),
            select(*Assessment.__table__.c).where(Assessment.risk_id == risk_id, Assessment.period == period.code),
            select(*AssessmentLine.__table__.c).join(Assessment, Assessment.id == AssessmentLine.assessment_id)
            .where(Assessment.risk_id == risk_id, Assessment.period == period.code).order_by(AssessmentLine.position),
            select(SchemeVersion.id, SchemeVersion.version, SchemeVersion.data)
            .order_by(SchemeVersion.version.desc()).limit(1),
        ]
        who, results = self._ctx.read_with_user(s, actor, reads, Permission.ASSESS_OWN_RISK, begin=True)
        user = self._ctx.user_from(s, actor, who)
        risks, settings, assessments, line_rows, schemes = results
        if not risks:
            raise NotFound(f"Risk {risk_id} does not exist (it may have been deleted).")
        risk = risks[0]
        may_any = allows(user.role, Permission.ASSESS_ANY_RISK)
        may_own = allows(user.role, Permission.ASSESS_OWN_RISK) and risk.owner_id == user.id
        if not (may_any or may_own):
            raise PermissionDenied(f"{user.display_name} cannot update risk {risk.ref}: it is not theirs. "
                                   "Only its owner and the corporate risk team can update it.")
        if risk.status != "current":
            raise ValidationError("risk", risk.ref, "is removed; restore it before scoring it")
        self._ctx.hold_setting(s, CURRENT_PERIOD, settings[0] if settings else None)
        self._check_open(s, period)
        a = _as_loaded(s, Assessment, assessments[0]) if assessments else None
        if a is not None:
            set_committed_value(a, "lines", [_as_loaded(s, AssessmentLine, line) for line in line_rows])
        seen = a.version if a is not None else None
        if seen != expected_version:
            raise StaleEdit(f"The {period.label} assessment of risk {risk.ref}")
        before = _assessment_state(a)
        scheme = schemes[0] if schemes else scheme_row(s)  # read once: the same row for the whole save
        _check_size(change, int(scheme.data.get("size", 5)))
        new = a is None
        if a is None:
            # ``lines=[]`` marks the collection loaded: a new assessment has none to read back.
            a = Assessment(risk_id=risk.id, period=period.code, current_impact=change.current.impact,
                           current_likelihood=change.current.likelihood, scheme_id=scheme.id, lines=[])
            s.add(a)
        a.current_impact, a.current_likelihood = change.current.impact, change.current.likelihood
        a.target_impact = change.target.impact if change.target else None
        a.target_likelihood = change.target.likelihood if change.target else None
        a.direction = Direction(change.direction).value
        a.direction_text = (change.direction_text or "").strip() or None
        a.update_text = update
        a.note = change.note or ""
        a.recorded_by = user.login
        a.scheme_id = scheme.id
        wanted = [
            (lv.label, lv.current.impact, lv.current.likelihood,
             lv.target.impact if lv.target else None, lv.target.likelihood if lv.target else None, lv.note)
            for lv in change.lines
        ]
        have = [] if new else [(lv.label, lv.current_impact, lv.current_likelihood, lv.target_impact,
                                lv.target_likelihood, lv.note) for lv in a.lines]
        if wanted != have:
            a.lines.clear()
            s.flush()
            for pos, (label, ci, cl, ti, tl, note) in enumerate(wanted, start=2):
                a.lines.append(AssessmentLine(position=pos, label=label or "", current_impact=ci,
                                              current_likelihood=cl, target_impact=ti, target_likelihood=tl,
                                              note=note or ""))
        s.flush()
        changes = diff(before, _assessment_state(a))
        if changes:
            self._ctx.audit(s, user, "risk.assess", "risk", risk.id, f"{_label(risk)} ({period.label})", changes)
        return risk, a, scheme, user, bool(changes)

    def withdraw_assessment(self, actor: Actor, risk_id: int, period: Quarter, *, expected_version: int) -> RiskRow:
        """Take back a period's assessment (undo of a first update this period); the audit keeps it."""
        with self._ctx.begin() as s:
            user = self._ctx.user(s, actor)
            risk = self._risk(s, risk_id)
            self._require_assess(user, risk)
            self._check_open(s, period)
            a = s.scalar(select(Assessment).where(Assessment.risk_id == risk.id, Assessment.period == period.code))
            if a is None or a.version != expected_version:
                raise StaleEdit(f"The {period.label} assessment of risk {risk.ref}")
            before = _assessment_state(a)
            s.delete(a)
            s.flush()
            self._ctx.audit(s, user, "risk.assess.withdraw", "risk", risk.id, f"{_label(risk)} ({period.label})",
                            diff(before, {}))
            return self._rows(s, risk_ids=[risk.id], status="all")[0]

    # -- actions -------------------------------------------------------------------------------

    def actions(self, actor: Actor, risk_id: int) -> list[ActionRow]:
        """A risk's mitigating actions: open ones first by due date, then completed ones."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return self._actions(s, risk_id)

    def _actions(self, s: Session, risk_id: int) -> list[ActionRow]:
        self._risk(s, risk_id)
        return _sorted_actions([self._action_row(s, a)
                                for a in s.scalars(select(RiskAction).where(RiskAction.risk_id == risk_id))])

    def add_action(self, actor: Actor, risk_id: int, change: ActionChange) -> ActionRow:
        with self._ctx.begin() as s:
            risk = self._risk(s, risk_id)
            user = self._require_action_edit(s, actor, risk)
            action = RiskAction(risk_id=risk.id)
            self._apply_action(s, action, change)
            s.add(action)
            s.flush()
            self._ctx.audit(s, user, "action.add", "risk", risk.id, f"{_label(risk)} action",
                            diff({}, self._action_state(s, action)))
            return self._action_row(s, action)

    def update_action(self, actor: Actor, action_id: int, change: ActionChange, *, expected_version: int) -> ActionRow:
        with self._ctx.begin() as s:
            action, risk = self._action(s, action_id, expected_version)
            user = self._require_action_edit(s, actor, risk)
            before = self._action_state(s, action)
            self._apply_action(s, action, change)
            s.flush()
            changes = diff(before, self._action_state(s, action))
            if changes:
                verb = "action.complete" if "completed" in changes and action.completed_on else "action.update"
                self._ctx.audit(s, user, verb, "risk", risk.id, f"{_label(risk)} action", changes)
            return self._action_row(s, action)

    def complete_action(self, actor: Actor, action_id: int, completed_on: date | None = None, *,
                        expected_version: int) -> ActionRow:
        """Mark an action done (today unless a date is given)."""
        with self._ctx.begin() as s:
            action, _ = self._action(s, action_id, expected_version)
            change = ActionChange(action.description, action.owner_id, action.due_on, completed_on or date.today())
        return self.update_action(actor, action_id, change, expected_version=expected_version)

    def delete_action(self, actor: Actor, action_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            action, risk = self._action(s, action_id, expected_version)
            user = self._require_action_edit(s, actor, risk)
            before = self._action_state(s, action)
            s.delete(action)
            s.flush()
            self._ctx.audit(s, user, "action.delete", "risk", risk.id, f"{_label(risk)} action", diff(before, {}))

    @staticmethod
    def _action(s: Session, action_id: int, expected_version: int) -> tuple[RiskAction, Risk]:
        action = s.get(RiskAction, action_id)
        if action is None:
            raise NotFound(f"Action {action_id} does not exist (it may have been deleted by someone else).")
        risk = s.get(Risk, action.risk_id)
        if action.version != expected_version:
            raise StaleEdit(f"An action on risk {risk.ref if risk else action.risk_id}")
        return action, risk  # type: ignore[return-value]

    def _require_action_edit(self, s: Session, actor: Actor, risk: Risk) -> User:
        # Whoever may re-score the risk may keep its actions up to date.
        user = self._ctx.user(s, actor)
        self._require_assess(user, risk)
        return user

    @staticmethod
    def _require_assess(user: User, risk: Risk) -> None:
        may_any = allows(user.role, Permission.ASSESS_ANY_RISK)
        may_own = allows(user.role, Permission.ASSESS_OWN_RISK) and risk.owner_id == user.id
        if not (may_any or may_own):
            raise PermissionDenied(f"{user.display_name} cannot update risk {risk.ref}: it is not theirs. "
                                   "Only its owner and the corporate risk team can update it.")

    @staticmethod
    def _apply_action(s: Session, action: RiskAction, change: ActionChange) -> None:
        action.description = _clean_text("action", change.description)
        if change.owner_id is not None and s.get(User, change.owner_id) is None:
            raise ValidationError("action owner", change.owner_id, "is not a riskdesk user")
        if change.completed_on and change.completed_on > date.today():
            raise ValidationError("completed date", change.completed_on, "is in the future")
        action.owner_id = change.owner_id
        action.due_on = change.due_on
        action.completed_on = change.completed_on

    @staticmethod
    def _action_state(s: Session, action: RiskAction) -> dict[str, Any]:
        owner = s.get(User, action.owner_id) if action.owner_id else None
        return {"action": action.description, "owner": owner.display_name if owner else None,
                "due": action.due_on, "completed": action.completed_on}

    @staticmethod
    def _action_row(s: Session, action: RiskAction) -> ActionRow:
        owner = s.get(User, action.owner_id) if action.owner_id else None
        return ActionRow(action.id, action.risk_id, action.description, action.owner_id,
                         owner.display_name if owner else "", action.due_on, action.completed_on, action.version)

    def mark_presented(self, actor: Actor, register_id: int, presented_on: date) -> int:
        """Mark every current risk of a register not yet presented as presented on that date."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            risks = s.scalars(select(Risk).where(Risk.register_id == register_id, Risk.status == "current",
                                                 Risk.first_presented_on.is_(None))).all()
            for risk in risks:
                risk.first_presented_on = presented_on
            if risks:
                self._ctx.audit(s, user, "register.presented", "register", register_id, f"{len(risks)} risks",
                                {"first_presented_on": [None, presented_on]})
            return len(risks)

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _risk(s: Session, risk_id: int) -> Risk:
        risk = s.get(Risk, risk_id)
        if risk is None:
            raise NotFound(f"Risk {risk_id} does not exist (it may have been deleted).")
        return risk

    def _check_open(self, s: Session, period: Quarter) -> None:
        """Assessments of a closed quarter are history: they are kept, never rewritten."""
        value = self._ctx.setting(s, CURRENT_PERIOD)
        if value and period < Quarter.parse(value):
            current = Quarter.parse(value)
            raise ValidationError(
                "period", period.label,
                f"is closed; this quarter's updates go into {current.label}",
            )

    @staticmethod
    def _check_version(risk: Risk, expected: int) -> None:
        if risk.version != expected:
            raise StaleEdit(f"Risk {risk.ref}")

    @staticmethod
    def _check_ref_free(s: Session, register_id: int, ref: str, exclude: int | None = None) -> None:
        stmt = select(Risk.id).where(and_(Risk.register_id == register_id, Risk.ref == ref, Risk.status == "current"))
        if exclude is not None:
            stmt = stmt.where(Risk.id != exclude)
        if s.scalar(stmt) is not None:
            reg = s.get(Register, register_id)
            raise ValidationError("ref", ref, f"is already used by a current risk on the {reg.name}")

    @staticmethod
    def _category(s: Session, category_id: int, register_id: int) -> Category:
        cat = s.get(Category, category_id)
        if cat is None or cat.register_id != register_id:
            raise ValidationError("category", category_id, "is not a category of this register")
        if cat.retired:
            raise ValidationError("category", category_heading(cat.number, cat.name, True, cat.heading_as_given),
                                  "is retired; reinstate it first")
        return cat

    @staticmethod
    def _departments(s: Session, codes: Iterable[str]) -> list[RiskDepartment]:
        out: list[RiskDepartment] = []
        seen: set[int] = set()
        for pos, code in enumerate(codes):
            dept = find_department(s, code)
            if dept is None:
                raise ValidationError("department", code, "is not a known department code")
            if dept.id in seen:
                continue
            seen.add(dept.id)
            out.append(RiskDepartment(department_id=dept.id, position=pos, department=dept))
        return out


def _check_size(change: AssessmentChange, size: int) -> None:
    """Refuse a level beyond the scheme's matrix (a 6 on a 5 × 5, a 5 on a 4 × 4), naming the score."""
    lines = [("current", change.current), ("target", change.target)]
    lines += [(f"{line.label or 'line'}: {kind}", score) for line in change.lines
              for kind, score in (("current", line.current), ("target", line.target))]
    for what, score in lines:
        if score is None:
            continue
        for part, value in (("impact", score.impact), ("likelihood", score.likelihood)):
            if value > size:
                raise ValidationError(f"{what} {part}", value, f"must be a whole number from 1 to {size} on this "
                                                              f"{size} × {size} matrix")
