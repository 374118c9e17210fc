"""The scheme editor's service: bands, labels and criteria, matrix size, appetite, review cadence.

Saving never changes a version: it creates the next one. Assessments keep the version they were
scored under and presented cycles keep their frozen snapshot, so old scores keep their meaning;
the next appendix prints the newest version. The guided re-score lists the risks whose band or
level meaning the change moves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select

from riskdesk.domain.appetite import check_appetite
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor, ref_sort_key
from riskdesk.domain.scheme_rules import check_scheme
from riskdesk.domain.scoring import ScoringScheme
from riskdesk.models import Assessment, Risk, SchemeVersion, User
from riskdesk.services.base import ServiceContext
from riskdesk.services.registers import scheme_row
from riskdesk.services.snapshot_rows import APPENDIX_APPETITE

FORMAT = "riskdesk-scheme"


@dataclass(frozen=True)
class RescoreRow:
    """A current risk whose meaning a new scheme version changes: its owner should re-score it."""

    risk_id: int
    ref: str
    owner_id: int | None
    owner_name: str
    impact: int
    likelihood: int
    score: int
    old_band: str
    new_band: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SavedScheme:
    version: int
    name: str
    rescore: tuple[RescoreRow, ...]


def scheme_to_json(scheme: ScoringScheme) -> str:
    return json.dumps({"format": FORMAT, **scheme.to_dict()}, ensure_ascii=False, indent=2) + "\n"


def scheme_from_json(text: str) -> ScoringScheme:
    """A scheme from a council's file, refusing anything riskdesk would misread, by name."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError("scheme file", f"line {exc.lineno}", f"is not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ValidationError("scheme file", type(data).__name__, "must hold one JSON object")
    data.setdefault("version", 0)
    data.setdefault("name", "Imported scheme")
    for key in ("impact_levels", "likelihood_levels", "bands"):
        if not data.get(key):
            raise ValidationError("scheme file", key, "is missing")
    try:
        return ScoringScheme.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError("scheme file", str(exc), "is not in the shape 'riskdesk scheme export' writes") from None


def _level_meaning(scheme: ScoringScheme, what: str, level: int) -> tuple[Any, ...] | None:
    levels = scheme.impact_levels if what == "impact" else scheme.likelihood_levels
    if level > len(levels):
        return None
    lv = levels[level - 1]
    if what == "impact":
        return (lv.label, lv.criteria)  # type: ignore[union-attr]
    return (lv.label, lv.frequency, lv.probability)  # type: ignore[union-attr]


def rescore_reasons(old: ScoringScheme, new: ScoringScheme, impact: int, likelihood: int) -> list[str]:
    """Why a score given under ``old`` may mean something else under ``new`` (empty: it does not)."""
    reasons = []
    score = impact * likelihood
    if impact > new.size or likelihood > new.size:
        return [f"impact {impact} × likelihood {likelihood} is outside the new {new.size} × {new.size} matrix"]
    old_band, new_band = old.band_for(score), new.band_for(score)
    if (old_band.name, old_band.colour) != (new_band.name, new_band.colour):
        reasons.append(f"score {score} moves from {old_band.label} to {new_band.label}")
    if _level_meaning(old, "impact", impact) != _level_meaning(new, "impact", impact):
        reasons.append(f"impact {impact} is worded differently")
    if _level_meaning(old, "likelihood", likelihood) != _level_meaning(new, "likelihood", likelihood):
        reasons.append(f"likelihood {likelihood} is worded differently")
    return reasons


class SchemeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def current(self, actor: Actor, version: int | None = None) -> ScoringScheme:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return ScoringScheme.from_dict(scheme_row(s, version).data)

    def versions(self, actor: Actor) -> list[tuple[int, str]]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            scheme_row(s)
            return [(v, n) for v, n in s.execute(select(SchemeVersion.version, SchemeVersion.name)
                                                 .order_by(SchemeVersion.version))]

    def export_json(self, actor: Actor, version: int | None = None) -> str:
        return scheme_to_json(self.current(actor, version))

    def import_json(self, actor: Actor, text: str, *, name: str | None = None) -> SavedScheme:
        scheme = scheme_from_json(text)
        if name:
            scheme = replace(scheme, name=name)
        return self.save(actor, scheme)

    def save(self, actor: Actor, scheme: ScoringScheme) -> SavedScheme:
        """Save the edited scheme as the next version; returns it with the guided re-score list."""
        check_scheme(scheme)
        check_appetite(dict(scheme.appetite_levels), dict(scheme.category_appetite), scheme.size)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.MANAGE_SCHEME)
            old = ScoringScheme.from_dict(scheme_row(s).data)
            version = (s.scalar(select(func.max(SchemeVersion.version))) or 0) + 1
            new = replace(scheme, version=version, name=scheme.name.strip() or f"Scheme version {version}")
            row = SchemeVersion(version=version, name=new.name, data=new.to_dict())
            s.add(row)
            s.flush()
            self._ctx.audit(s, user, "scheme.save", "scheme_version", row.id, f"Scheme version {version}",
                            {"version": [old.version, version], "size": [old.size, new.size],
                             "bands": [[b.label for b in old.bands.bands], [b.label for b in new.bands.bands]]},
                            note=new.name)
            return SavedScheme(version, new.name, tuple(self._rescore(s, new)))

    def rescore_list(self, actor: Actor, owner_only: bool = False) -> list[RescoreRow]:
        """Current risks whose latest score was given under an older version and means something else now."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            new = ScoringScheme.from_dict(scheme_row(s).data)
            rows = self._rescore(s, new)
            return [r for r in rows if r.owner_id == user.id] if owner_only else rows

    def _rescore(self, s: Any, new: ScoringScheme) -> list[RescoreRow]:
        schemes = {sv.id: ScoringScheme.from_dict(sv.data) for sv in s.scalars(select(SchemeVersion))}
        latest = select(func.max(Assessment.period)).where(Assessment.risk_id == Risk.id).correlate(Risk) \
            .scalar_subquery()
        out = []
        for a, risk, owner in s.execute(
            select(Assessment, Risk, User.display_name).join(Risk, Risk.id == Assessment.risk_id)
            .outerjoin(User, User.id == Risk.owner_id)
            .where(Risk.status == "current", Assessment.period == latest)
        ):
            old = schemes[a.scheme_id]
            if old.version == new.version:
                continue
            reasons = rescore_reasons(old, new, a.current_impact, a.current_likelihood)
            if reasons:
                score = a.current_impact * a.current_likelihood
                try:
                    new_band = new.band_for(score).label
                except ValidationError:
                    new_band = "outside the matrix"
                out.append(RescoreRow(risk.id, risk.ref, risk.owner_id, owner or "", a.current_impact,
                                      a.current_likelihood, score, old.band_for(score).label, new_band,
                                      tuple(reasons)))
        return sorted(out, key=lambda r: ref_sort_key(r.ref))

    # -- appendix wording switch ---------------------------------------------------------------

    def appendix_appetite_mark(self, actor: Actor) -> bool:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            return self._ctx.setting(s, APPENDIX_APPETITE, "off") == "on"

    def set_appendix_appetite_mark(self, actor: Actor, on: bool) -> None:
        """Appendix wording: print a mark beside scores above their category's appetite."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            before = self._ctx.setting(s, APPENDIX_APPETITE, "off")
            after = "on" if on else "off"
            if before != after:
                self._ctx.set_setting(s, APPENDIX_APPETITE, after)
                self._ctx.audit(s, user, "wording.update", "setting", None, "Appendix appetite mark",
                                {APPENDIX_APPETITE: [before, after]})
