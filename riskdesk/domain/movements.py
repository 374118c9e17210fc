"""Movements since the register was last presented, computed from two snapshots, never typed.

The committee report's paragraph "Movements since the CRR was last presented" lists the
risks added, removed and amended (Change from / Change to / Rationale). riskdesk derives it
by comparing the snapshot frozen when the previous cycle was presented with the register
as it stands for this cycle, matching risks by their stable internal id (refs are reused).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from riskdesk.domain.snapshot import (
    AmendedRisk,
    Movements,
    RegisterSnapshot,
    RemovedRisk,
    ScoreChange,
    SnapshotRisk,
)

#: Reason printed for a risk that left the register without a recorded removal (e.g. it was
#: de-escalated to a departmental register and no reason was passed in).
NO_LONGER_ON_REGISTER = "No longer on the register."


def department_label(risk: SnapshotRisk) -> str:
    """The department as the movements paragraph writes it: "C&FS (Children's Social Care)"."""
    text = risk.departments_text.strip()
    area = risk.service_area.strip()
    return f"{text} ({area})" if area else text


def compute_movements(
    previous: RegisterSnapshot | None,
    current: RegisterSnapshot,
    *,
    rationales: Mapping[int, str] | None = None,
    departures: Mapping[int, tuple[str, date]] | None = None,
) -> Movements | None:
    """What changed between two presented states of a register.

    Args:
        previous: The snapshot frozen when the register was last presented, or None for a
            first cycle (nothing to compare with: the result is None).
        current: The register as it will be presented now.
        rationales: Risk id → the rationale(s) recorded with the description amendments made
            since ``previous`` was presented (several are joined by the caller).
        departures: Risk id → (reason, date) for risks that left the register some other way
            than a recorded removal in ``current.removed`` (e.g. de-escalation).

    Returns:
        Added (in ``current`` only), removed (in ``previous`` only; reason and date from
        ``current.removed`` or ``departures``), amended (description changed) and score
        changes (headline current score moved), each in register order; exempt risks keep
        their flag so Part A can leave them out. None when there is no previous snapshot.
    """
    if previous is None:
        return None
    rationales = rationales or {}
    departures = departures or {}
    before = {r.risk_id: r for r in previous.risks()}
    now = {r.risk_id: r for r in current.risks()}

    added = tuple(r for r in current.risks() if r.risk_id not in before)

    recorded = {r.risk_id: r for r in current.removed if r.risk_id is not None}
    removed: list[RemovedRisk] = []
    for risk in previous.risks():
        if risk.risk_id in now:
            continue
        gone = recorded.get(risk.risk_id)
        if gone is not None:
            removed.append(replace(gone, exempt=gone.exempt or risk.exempt))
            continue
        reason, when = departures.get(risk.risk_id, (NO_LONGER_ON_REGISTER, current.meeting_date))
        removed.append(RemovedRisk(
            ref=risk.ref, department=risk.departments_text, description=risk.description,
            score=risk.current.score, impact=risk.current.impact, likelihood=risk.current.likelihood,
            reason=reason, removed_on=when, exempt=risk.exempt, risk_id=risk.risk_id,
        ))

    amended: list[AmendedRisk] = []
    score_changes: list[ScoreChange] = []
    for risk in current.risks():
        old = before.get(risk.risk_id)
        if old is None:
            continue
        if old.description != risk.description:
            amended.append(AmendedRisk(
                ref=risk.ref, department=department_label(risk), change_from=old.description,
                change_to=risk.description, rationale=rationales.get(risk.risk_id, ""),
                exempt=risk.exempt or old.exempt, risk_id=risk.risk_id,
            ))
        if old.current.score != risk.current.score:
            score_changes.append(ScoreChange(ref=risk.ref, previous=old.current.score, current=risk.current.score,
                                             exempt=risk.exempt or old.exempt, risk_id=risk.risk_id))
    return Movements(
        since=previous.meeting_date,
        added=added,
        removed=tuple(removed),
        amended=tuple(amended),
        score_changes=tuple(score_changes),
    )


def public_movements(movements: Movements) -> Movements:
    """The movements without exempt risks: what the public Part A may print."""
    return Movements(
        since=movements.since,
        added=tuple(r for r in movements.added if not r.exempt),
        removed=tuple(r for r in movements.removed if not r.exempt),
        amended=tuple(r for r in movements.amended if not r.exempt),
        score_changes=tuple(r for r in movements.score_changes if not r.exempt),
    )
