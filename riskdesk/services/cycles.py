"""Report cycles: create, preview, present (freeze) and print the committee appendix.

A draft cycle prints live from the register. Presenting it builds the snapshot from the
database (risks, scores, targets, updates, directions, categories including retired ones,
the department key, footnotes and column headings, risks removed in the last two years, the
scoring scheme) together with the movements since the previous presented cycle, and stores
it as JSON with its SHA-256. From then on the cycle never changes and its appendix prints
the same bytes, whatever happens to the register afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import BindParameter, Select, and_, or_, select
from sqlalchemy.orm import Session, object_session

from riskdesk.db import read_together
from riskdesk.domain.cycles import (
    DEFAULT_APPENDIX_LABEL,
    DEFAULT_MEETING_TITLE,
    DRAFT,
    PRESENTED,
    CycleRow,
    check_wording,
    default_title,
    default_update_heading,
    long_date,
    removed_since,
)
from riskdesk.domain.errors import NotFound, StaleEdit, ValidationError
from riskdesk.domain.movements import compute_movements
from riskdesk.domain.permissions import Permission
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import (
    Footnote,
    Movements,
    RegisterSnapshot,
)
from riskdesk.models import (
    Amendment,
    Assessment,
    AuditEntry,
    Category,
    Department,
    Escalation,
    Register,
    Removal,
    ReportCycle,
    Risk,
    RiskDepartment,
    SchemeVersion,
    Setting,
    User,
)
from riskdesk.models.base import utcnow
from riskdesk.services import audit as audit_trail
from riskdesk.services.base import ServiceContext, diff
from riskdesk.services.registers import (
    COMMITTEE_NAME,
    CURRENT_PERIOD,
    require_register,
    scheme_row,
)
from riskdesk.services.risks import list_reads
from riskdesk.services.snapshot_rows import (
    APPENDIX_APPETITE,
    COLUMNS_SETTING,
    FOOTNOTES_SETTING,
    SNAPSHOT_SETTINGS,
    appendix_format,
    columns_from,
    footnotes_from,
    latest_cycle,
    snapshot_from,
    write_snapshot,
)

LAST_PRESENTED = "last_presented_on"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class SnapshotProblem(ValidationError):
    """The register cannot be presented as it stands (e.g. a risk was never scored)."""


# -- pieces shared with the published-register loader -------------------------------------------


def _cycle_row(s: Session, c: ReportCycle) -> CycleRow:
    reg = s.get(Register, c.register_id)
    prev = s.get(ReportCycle, c.previous_id) if c.previous_id else None
    return CycleRow(
        id=c.id, register_id=c.register_id, register_name=reg.name if reg else "", meeting_date=c.meeting_date,
        meeting_title=c.meeting_title, title=c.title, appendix_label=c.appendix_label,
        update_heading=c.update_heading, period=c.period, previous_id=c.previous_id,
        previous_meeting_date=prev.meeting_date if prev else None, status=c.status, presented_at=c.presented_at,
        presented_by=c.presented_by, snapshot_sha256=c.snapshot_sha256, created_at=c.created_at,
        created_by=c.created_by, version=c.version,
    )


def _cycle_state(c: ReportCycle) -> dict[str, Any]:
    return {
        "meeting_date": c.meeting_date, "meeting_title": c.meeting_title, "title": c.title,
        "appendix_label": c.appendix_label, "update_heading": c.update_heading, "period": c.period,
        "previous_id": c.previous_id, "status": c.status, "snapshot_sha256": c.snapshot_sha256,
    }


def latest_presented(s: Session, register_id: int, *, before: date | None = None,
                     exclude: int | None = None) -> ReportCycle | None:
    """The register's most recently presented cycle (optionally with a meeting before ``before``)."""
    stmt = select(ReportCycle).where(ReportCycle.register_id == register_id, ReportCycle.status == PRESENTED)
    if before is not None:
        stmt = stmt.where(ReportCycle.meeting_date < before)
    if exclude is not None:
        stmt = stmt.where(ReportCycle.id != exclude)
    return s.scalars(stmt.order_by(ReportCycle.meeting_date.desc(), ReportCycle.id.desc()).limit(1)).first()


def frozen_snapshot(c: ReportCycle) -> RegisterSnapshot:
    """The snapshot stored when ``c`` was presented, checked against its SHA-256."""
    if c.snapshot_json is None:
        raise NotFound(f"Report cycle {c.id} has not been presented: it has no frozen snapshot.")
    digest = hashlib.sha256(c.snapshot_json.encode("utf-8")).hexdigest()
    if digest != c.snapshot_sha256:
        raise ValidationError("report cycle", c.id, "has a stored snapshot that no longer matches its SHA-256 "
                              "checksum; it has been altered outside riskdesk. Restore the database from a backup")
    s = object_session(c)
    if s is not None:
        # The checksum alone is unkeyed (anyone can recompute it); the chained audit entry that
        # recorded it when the cycle was presented is what a doctored snapshot cannot match.
        recorded = s.scalar(select(AuditEntry.changes).where(
            AuditEntry.action == "cycle.present", AuditEntry.entity == "report_cycle", AuditEntry.entity_id == c.id,
        ).order_by(AuditEntry.id.desc()).limit(1))
        pair = recorded.get("snapshot_sha256") if isinstance(recorded, dict) else None
        if isinstance(pair, list) and len(pair) == 2 and pair[1] and pair[1] != digest:
            raise ValidationError("report cycle", c.id, "has a stored snapshot that differs from the one recorded "
                                  "in the audit trail when it was presented; it has been altered outside riskdesk. "
                                  "Run riskdesk audit verify, and restore the database from a backup")
    return RegisterSnapshot.from_json(c.snapshot_json)


def footnotes_setting(ctx: ServiceContext, s: Session) -> tuple[Footnote, ...]:
    return footnotes_from(ctx.setting(s, FOOTNOTES_SETTING))


def columns_setting(ctx: ServiceContext, s: Session) -> tuple[tuple[str, str], ...]:
    return columns_from(ctx.setting(s, COLUMNS_SETTING))


def appetite_mark_setting(ctx: ServiceContext, s: Session) -> bool:
    """Appendix wording: whether the appendix marks scores above their category's appetite."""
    return ctx.setting(s, APPENDIX_APPETITE, "off") == "on"


def cycles_read() -> Select[Any]:
    """Every cycle, newest meeting first, with its register's kind (``latest_cycle`` picks from them)."""
    return (select(ReportCycle.id, ReportCycle.register_id, ReportCycle.meeting_date, ReportCycle.meeting_title,
                   ReportCycle.title, ReportCycle.appendix_label, ReportCycle.update_heading, ReportCycle.period,
                   ReportCycle.status, Register.kind)
            .outerjoin(Register, Register.id == ReportCycle.register_id)
            .order_by(ReportCycle.meeting_date.desc(), ReportCycle.id.desc()))


def snapshot_reads(register: int | BindParameter[int], since: date | BindParameter[date]) -> dict[str, Select[Any]]:
    """What a draft cycle's snapshot reads of its register (``snapshot_rows.snapshot_from``
    builds it), by name: the current risks as the register lists them, the scheme versions and
    the one the scores were given under, the categories, the printed settings, the department
    key, and the risks removed since ``since`` (with their departments). Each is independent of
    the others' answers. ``riskdesk appendix`` runs them compiled for SQLite (``appendix_look``)."""
    risks, departments_of, lines, _schemes = list_reads(register)
    removed = and_(Risk.register_id == register, Risk.status == "removed", Removal.restored_on.is_(None),
                   Removal.removed_on >= since)
    return {
        "register": select(Register.name).where(Register.id == register),
        "risks": risks, "risk_departments": departments_of, "risk_lines": lines,
        "schemes": select(SchemeVersion.id, SchemeVersion.version, SchemeVersion.data),
        "scored_under": select(Assessment.scheme_id).join(Risk, Risk.id == Assessment.risk_id)
        .where(Risk.register_id == register, Risk.status == "current")
        .order_by(Assessment.period.desc(), Assessment.scheme_id.desc()).limit(1),
        "categories": select(Category.id, Category.number, Category.name, Category.retired, Category.heading_as_given)
        .where(Category.register_id == register).order_by(Category.position),
        "settings": select(Setting.key, Setting.value).where(or_(*(Setting.key == key for key in SNAPSHOT_SETTINGS))),
        "departments": select(Department.code, Department.name).where(Department.active.is_(True))
        .order_by(Department.id),
        "removed": select(Removal.removed_on, Removal.reason, Removal.score, Removal.impact, Removal.likelihood,
                          Risk.id.label("risk_id"), Risk.ref, Risk.description, Risk.departments_text, Risk.exempt)
        .join(Risk, Risk.id == Removal.risk_id).where(removed).order_by(Removal.removed_on, Removal.id),
        "removed_departments": select(RiskDepartment.risk_id, Department.code)
        .join(Department, Department.id == RiskDepartment.department_id)
        .where(RiskDepartment.risk_id.in_(select(Removal.risk_id).join(Risk, Risk.id == Removal.risk_id)
                                          .where(removed)))
        .order_by(RiskDepartment.risk_id, RiskDepartment.position),
    }


def _movements(s: Session, c: ReportCycle, current: RegisterSnapshot) -> Movements | None:
    # A draft compares with the latest cycle presented before its meeting (it may have been
    # presented after the draft was created, so it is looked up, not taken from previous_id).
    previous = latest_presented(s, c.register_id, before=c.meeting_date, exclude=c.id)
    if previous is None:
        return None
    since = previous.presented_at or datetime.combine(previous.meeting_date, datetime.min.time())
    rationales: dict[int, list[str]] = defaultdict(list)
    for risk_id, rationale in s.execute(
        select(Amendment.risk_id, Amendment.rationale)
        .join(Risk, Risk.id == Amendment.risk_id)
        .where(Risk.register_id == c.register_id, Amendment.field == "description", Amendment.changed_at > since)
        .order_by(Amendment.changed_at, Amendment.id)
    ):
        if rationale and rationale.strip() and rationale.strip() not in rationales[risk_id]:
            rationales[risk_id].append(rationale.strip())
    departures = {
        e.risk_id: (e.reason, e.at.date())
        for e in s.scalars(select(Escalation).where(Escalation.from_register_id == c.register_id,
                                                    Escalation.at > since).order_by(Escalation.at))
    }
    return compute_movements(
        frozen_snapshot(previous), current,
        rationales={k: "\n".join(v) for k, v in rationales.items()}, departures=departures,
    )


def build_snapshot(ctx: ServiceContext, s: Session, c: ReportCycle, *,
                   with_movements: bool = True) -> tuple[RegisterSnapshot, list[str]]:
    """The register as it stands, for cycle ``c``; also the refs of risks never scored.

    Unscored risks are left out of the snapshot (a preview still prints); presenting refuses them.
    """
    require_register(s, c.register_id)
    scheme_row(s)  # a database without a scoring scheme is given the default one first
    reads = snapshot_reads(c.register_id, removed_since(c.meeting_date))
    results = dict(zip(reads, read_together(s.connection(), list(reads.values())), strict=True))
    for key in SNAPSHOT_SETTINGS:  # read as this transaction's reads of them (set_setting checks them)
        ctx.hold_setting(s, key, next((row for row in results["settings"] if row.key == key), None))
    snapshot, unscored = snapshot_from(c, results, {key: ctx.setting(s, key) for key in SNAPSHOT_SETTINGS})
    if with_movements:
        snapshot = replace(snapshot, movements=_movements(s, c, snapshot))
    return snapshot, unscored


def freeze(ctx: ServiceContext, s: Session, c: ReportCycle, snapshot: RegisterSnapshot, user: User,
           presented_at: datetime) -> None:
    """Store ``snapshot`` as the presented state of ``c`` and mark the register's risks presented."""
    # Seal the trail first: the seal goes into the snapshot (so into its checksum, which the
    # chained cycle.present entry records) and into the printed footer.
    sealed = audit_trail.seal(s, user.login, f"presented: {c.title}")
    snapshot = replace(snapshot, audit_seal=sealed.text)
    text = snapshot.to_json()
    before = _cycle_state(c)
    c.snapshot_json = text
    c.snapshot_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    c.status = PRESENTED
    c.presented_at = presented_at
    c.presented_by = user.login
    marked = 0
    for risk in s.scalars(select(Risk).where(Risk.register_id == c.register_id, Risk.status == "current",
                                             Risk.first_presented_on.is_(None))):
        risk.first_presented_on = c.meeting_date
        marked += 1
    previous = ctx.setting(s, LAST_PRESENTED)
    if not previous or previous < c.meeting_date.isoformat():
        ctx.set_setting(s, LAST_PRESENTED, c.meeting_date.isoformat())
    s.flush()
    ctx.audit(s, user, "cycle.present", "report_cycle", c.id, f"{c.title} ({long_date(c.meeting_date)})",
              diff(before, _cycle_state(c)), f"{marked} risk(s) presented for the first time")


def new_cycle(ctx: ServiceContext, s: Session, user: User, reg: Register, meeting: date, *,
              meeting_title: str | None = None, title: str | None = None, update_heading: str | None = None,
              appendix_label: str | None = None, period: str | None = None) -> ReportCycle:
    """A draft cycle with defaults derived from the meeting date and the current period."""
    if s.scalar(select(ReportCycle.id).where(ReportCycle.register_id == reg.id, ReportCycle.meeting_date == meeting)):
        raise ValidationError("meeting date", meeting.isoformat(),
                              f"already has a report cycle for the {reg.name}; open that one instead")
    previous = latest_presented(s, reg.id)
    if previous is not None and previous.meeting_date >= meeting:
        raise ValidationError("meeting date", meeting.isoformat(),
                              f"is not after the last presented meeting ({long_date(previous.meeting_date)})")
    if period is None:
        value = ctx.setting(s, CURRENT_PERIOD)
        period = Quarter.parse(value).code if value else Quarter.of(meeting).code
    else:
        period = Quarter.parse(period).code
    c = ReportCycle(
        register_id=reg.id, meeting_date=meeting,
        meeting_title=(meeting_title or "").strip() or ctx.setting(s, COMMITTEE_NAME, "") or DEFAULT_MEETING_TITLE,
        title=(title or "").strip() or default_title(meeting, reg.name),
        appendix_label=DEFAULT_APPENDIX_LABEL if appendix_label is None else appendix_label.strip(),
        update_heading=(update_heading or "").strip() or default_update_heading(meeting),
        period=period, previous_id=previous.id if previous else None, status=DRAFT, created_by=user.login,
    )
    for field, value, limit in (("title", c.title, 300), ("meeting title", c.meeting_title, 200),
                                ("update heading", c.update_heading, 200), ("appendix label", c.appendix_label, 64)):
        if len(value) > limit:
            raise ValidationError(field, value, f"is longer than {limit} characters")
    s.add(c)
    s.flush()
    ctx.audit(s, user, "cycle.create", "report_cycle", c.id, f"{c.title} ({long_date(meeting)})",
              diff({}, _cycle_state(c)))
    return c


def seed_published_cycles(ctx: ServiceContext, s: Session, user: User, reg: Register, *,
                          last_presented: date | None, meeting: date | None, title: str | None,
                          update_heading: str | None, period: str, meeting_title: str,
                          amended_from: dict[int, str]) -> None:
    """The cycles a published register implies: the last presented one, and the next as a draft.

    The presented cycle's snapshot is the register as it stood at the last meeting: the
    register as published with each amended description set back to its "Change from" text.
    Everything else (scores, targets, updates) is as published, because the pack does not
    give the earlier scores; the draft's movements therefore show the amendments and no
    score changes, as the published paragraph does.
    """
    previous: ReportCycle | None = None
    if last_presented is not None and (meeting is None or last_presented < meeting):
        prev_period = Quarter.of(last_presented).previous() if meeting is None else Quarter.parse(period).previous()
        previous = ReportCycle(
            register_id=reg.id, meeting_date=last_presented, meeting_title=meeting_title,
            title=default_title(last_presented, reg.name), appendix_label=DEFAULT_APPENDIX_LABEL,
            update_heading=default_update_heading(last_presented), period=prev_period.code, status=DRAFT,
            created_by=user.login,
        )
        s.add(previous)
        s.flush()
        snapshot, _ = build_snapshot(ctx, s, previous, with_movements=False)
        snapshot = replace(snapshot, categories=tuple(
            replace(cat, risks=tuple(replace(r, description=amended_from.get(r.risk_id, r.description))
                                     for r in cat.risks))
            for cat in snapshot.categories
        ))
        freeze(ctx, s, previous, snapshot, user, datetime.combine(last_presented, datetime.min.time()))
    if meeting is not None:
        new_cycle(ctx, s, user, reg, meeting, meeting_title=meeting_title, title=title,
                  update_heading=update_heading, period=period)


# -- the service ---------------------------------------------------------------------------------


class CycleService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- reading -------------------------------------------------------------------------------

    def list(self, actor: Actor, register_id: int | None = None) -> list[CycleRow]:
        """Cycles, newest meeting first."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            stmt = select(ReportCycle).order_by(ReportCycle.meeting_date.desc(), ReportCycle.id.desc())
            if register_id is not None:
                stmt = stmt.where(ReportCycle.register_id == register_id)
            return [_cycle_row(s, c) for c in s.scalars(stmt)]

    def drafts_for(self, actor: Actor, period: Quarter) -> list[CycleRow]:
        """Cycles for ``period`` not yet presented (they print the register as it stands, so
        closing the quarter before presenting them lets next quarter's updates in)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            stmt = (select(ReportCycle).where(ReportCycle.period == period.code, ReportCycle.status != PRESENTED)
                    .order_by(ReportCycle.meeting_date, ReportCycle.id))
            return [_cycle_row(s, c) for c in s.scalars(stmt)]

    def get(self, actor: Actor, cycle_id: int) -> CycleRow:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return _cycle_row(s, self._cycle(s, cycle_id))

    def resolve(self, actor: Actor, which: str | int) -> CycleRow:
        """A cycle named by id, or "latest" (the newest meeting of the corporate register first)."""
        text = str(which).strip().lower()
        if text == "latest":
            with self._ctx.begin() as s:
                self._ctx.require(s, actor, Permission.VIEW_REGISTER)
                latest = latest_cycle(s.execute(cycles_read()).all())
                if latest is None:
                    raise NotFound("There is no report cycle yet: create one with `riskdesk cycle new --meeting DATE`.")
                return _cycle_row(s, self._cycle(s, latest.id))
        if not text.isdigit():
            raise ValidationError("cycle", which, "must be a cycle number or 'latest'")
        return self.get(actor, int(text))

    def preview_snapshot(self, actor: Actor, cycle_id: int) -> RegisterSnapshot:
        """What the appendix prints: built live for a draft, the frozen snapshot once presented."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            c = self._cycle(s, cycle_id)
            if c.status == PRESENTED:
                return frozen_snapshot(c)
            return build_snapshot(self._ctx, s, c)[0]

    def movements(self, actor: Actor, cycle_id: int) -> Movements | None:
        """Movements since the previous presented cycle (None for a first cycle)."""
        return self.preview_snapshot(actor, cycle_id).movements

    def review(self, actor: Actor, cycle_id: int) -> tuple[Movements | None, list[str]]:
        """The movements and the refs of unscored risks, from one build (what the window shows)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            c = self._cycle(s, cycle_id)
            if c.status == PRESENTED:
                return frozen_snapshot(c).movements, []
            snapshot, unscored = build_snapshot(self._ctx, s, c)
            return snapshot.movements, unscored

    def unscored(self, actor: Actor, cycle_id: int) -> list[str]:
        """Refs of current risks that have no assessment (presenting refuses them)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            c = self._cycle(s, cycle_id)
            return [] if c.status == PRESENTED else build_snapshot(self._ctx, s, c, with_movements=False)[1]

    # -- writing -------------------------------------------------------------------------------

    def create(self, actor: Actor, meeting_date: date, *, register_id: int | None = None,
               meeting_title: str | None = None, title: str | None = None, update_heading: str | None = None,
               appendix_label: str | None = None, period: str | None = None) -> CycleRow:
        """A draft cycle for a committee meeting.

        Defaults: the corporate register; the committee name from the settings; title
        "Corporate Risk Register Update (<Month YYYY>)"; heading "Update <month before> YYYY";
        the current reporting period; previous = the register's latest presented cycle.
        """
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            if register_id is None:
                reg = s.scalar(select(Register).where(Register.kind == "corporate"))
                if reg is None:
                    raise ValidationError("register", "", "is needed: there is no corporate register yet")
            else:
                reg = require_register(s, register_id)
            c = new_cycle(self._ctx, s, user, reg, meeting_date, meeting_title=meeting_title, title=title,
                          update_heading=update_heading, appendix_label=appendix_label, period=period)
            return _cycle_row(s, c)

    def present(self, actor: Actor, cycle_id: int, *, expected_version: int | None = None) -> CycleRow:
        """Freeze the cycle's snapshot (with its movements), mark the risks presented. Irreversible."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            c = self._cycle(s, cycle_id)
            if expected_version is not None and c.version != expected_version:
                from riskdesk.services.conflicts import already_presented

                raise already_presented(c) if c.status == PRESENTED else StaleEdit(f"Report cycle {c.title}")
            if c.status == PRESENTED:
                when = c.presented_at.strftime("%d %b %Y %H:%M") if c.presented_at else "earlier"
                raise ValidationError("report cycle", c.title, f"was already presented ({when} by {c.presented_by}); "
                                      "a presented cycle never changes")
            self._refresh_previous(s, c)
            snapshot, unscored = build_snapshot(self._ctx, s, c)
            if unscored:
                raise SnapshotProblem("risks", ", ".join(unscored),
                                      "have no scores yet; score them (or remove them) before presenting")
            freeze(self._ctx, s, c, snapshot, user, utcnow())
            return _cycle_row(s, c)

    def write_appendix(self, actor: Actor, cycle_id: int, out: str | Path | BinaryIO, *, part: str = "A",
                       fmt: str | None = None, include_movements: bool = False, progress: Progress | None = None,
                       cancelled: Cancelled | None = None, snapshot: RegisterSnapshot | None = None) -> None:
        """Print the cycle's appendix as PDF or Word (``fmt`` defaults from the file extension).

        Safe on a worker thread: the snapshot is read in its own short transaction and the
        document is written afterwards; ``progress``/``cancelled`` are called on that thread.
        ``snapshot`` is what ``preview_snapshot`` just returned for this cycle, when the caller has
        read it already (the command line counts its risks and checks its characters first): a
        register's snapshot is then built once, not twice.

        Raises:
            ReportCancelled: ``cancelled`` returned True; nothing was written.
        """
        fmt = appendix_format(out, fmt)
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.EXPORT)
            # The PDF says it was made when the cycle was presented: true, and the same on a reprint.
            created = self._cycle(s, cycle_id).presented_at
        if snapshot is None:
            snapshot = self.preview_snapshot(actor, cycle_id)
        write_snapshot(snapshot, out, fmt=fmt, part=part, include_movements=include_movements, created=created,
                       progress=progress, cancelled=cancelled)

    def write_movements(self, actor: Actor, cycle_id: int, out: str | Path | BinaryIO, *,
                        fmt: str | None = None) -> None:
        """Print "Movements since the CRR was last presented" alone, for the covering report."""
        fmt = (fmt or (Path(out).suffix.lstrip(".") if isinstance(out, str | Path) else "docx") or "docx").lower()
        if fmt not in ("pdf", "docx"):
            raise ValidationError("format", fmt, "must be pdf or docx")
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.EXPORT)
            created = self._cycle(s, cycle_id).presented_at
        snapshot = self.preview_snapshot(actor, cycle_id)
        if fmt == "pdf":
            from riskdesk.reports.appendix import write_movements_section

            write_movements_section(snapshot, out, created=created)
        else:
            from riskdesk.reports.appendix_docx import write_movements_docx

            write_movements_docx(snapshot, out, created=created)

    def unprintable(self, actor: Actor, cycle_id: int, *, part: str = "A",
                    snapshot: RegisterSnapshot | None = None) -> dict[str, list[str]]:
        """Characters the appendix cannot print with the fonts found, by name, with the refs that hold them.

        The UI and CLI call this before saving so nothing prints silently as an empty box.
        ``snapshot``: as for ``write_appendix``.
        """
        from riskdesk.reports.fonts import unprintable_in_snapshot

        return unprintable_in_snapshot(snapshot or self.preview_snapshot(actor, cycle_id), part)

    # -- wording settings ----------------------------------------------------------------------

    def wording(self, actor: Actor) -> tuple[tuple[Footnote, ...], dict[str, str]]:
        """The footnotes and column headings new cycles will print."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return footnotes_setting(self._ctx, s), dict(columns_setting(self._ctx, s))

    def set_wording(self, actor: Actor, *, footnotes: tuple[Footnote, ...] | None = None,
                    columns: dict[str, str] | None = None,
                    expected: tuple[tuple[Footnote, ...], dict[str, str]] | None = None,
                    appetite_mark: bool | None = None, expected_appetite_mark: bool | None = None) -> None:
        """Change the footnotes, column headings and/or appetite mark for cycles not yet presented.

        Presented cycles keep the wording frozen in their snapshot. Text is stored exactly as
        given (the report escapes it when printing).

        Args:
            actor: the acting user (needs PRESENT_CYCLE).
            footnotes: the footnotes in print order, replacing all of them (None: unchanged).
            columns: heading overrides by column key, replacing the previous overrides; a key
                left out prints its default heading (None: unchanged).
            expected: the wording as ``wording()`` gave it when the user began editing; if
                someone has saved different wording since, nothing is saved.
            appetite_mark: print ▲ beside current scores above their category's appetite
                (None: unchanged).
            expected_appetite_mark: the switch as the user saw it when they began editing
                (None: not checked); someone else's change since refuses the save like ``expected``.

        Raises:
            WordingProblem: a heading or footnote is unknown, empty or too long (names which).
            StaleEdit: ``expected`` no longer matches the stored wording.
        """
        from riskdesk.reports.shared import DEFAULT_COLUMNS

        check_wording(footnotes, columns, DEFAULT_COLUMNS)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            if expected is not None and (footnotes_setting(self._ctx, s), dict(columns_setting(self._ctx, s))) != (
                    tuple(expected[0]), dict(expected[1])):
                raise StaleEdit("The appendix wording")
            if expected_appetite_mark is not None and appetite_mark_setting(self._ctx, s) != expected_appetite_mark:
                raise StaleEdit("The appendix wording")
            changes: dict[str, list[Any]] = {}
            for name, key, value in (
                ("footnotes", FOOTNOTES_SETTING, None if footnotes is None else json.dumps(
                    [{"marker": f.marker, "text": f.text, "items": list(f.items)} for f in footnotes],
                    ensure_ascii=False)),
                ("columns", COLUMNS_SETTING, None if columns is None else json.dumps(
                    columns, ensure_ascii=False, sort_keys=True)),
                ("appetite_mark", APPENDIX_APPETITE, None if appetite_mark is None else "on" if appetite_mark
                 else "off"),
            ):
                old = self._ctx.setting(s, key) or None
                if key == APPENDIX_APPETITE:
                    old = old or "off"  # never set means off: switching it off again is no change
                if value is not None and value != old:
                    changes[name] = [old, value]
                    self._ctx.set_setting(s, key, value)
            if changes:  # saving the wording unchanged leaves no audit entry of nothing
                self._ctx.audit(s, user, "settings.appendix", "setting", None, "Appendix wording", changes)

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _cycle(s: Session, cycle_id: int) -> ReportCycle:
        c = s.get(ReportCycle, cycle_id)
        if c is None:
            raise NotFound(f"Report cycle {cycle_id} does not exist.")
        return c

    @staticmethod
    def _refresh_previous(s: Session, c: ReportCycle) -> None:
        """Record the cycle the movements were computed against."""
        previous = latest_presented(s, c.register_id, before=c.meeting_date, exclude=c.id)
        wanted = previous.id if previous else None
        if c.previous_id != wanted:
            c.previous_id = wanted


__all__ = ["CycleRow", "CycleService", "SnapshotProblem", "seed_published_cycles"]
