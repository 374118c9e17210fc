"""The published Leicestershire register (17 November 2023) as a RegisterSnapshot.

Built straight from the four fixture files, without the database, so the report tests do
not depend on the DB loader. The loader should later produce an equal snapshot.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from riskdesk.domain.direction import Direction
from riskdesk.domain.scoring import DEFAULT_BANDS, ImpactLevel, LikelihoodLevel, Score, ScoringScheme
from riskdesk.domain.snapshot import (
    AmendedRisk,
    Footnote,
    Movements,
    RegisterSnapshot,
    RemovedRisk,
    ScoreLine,
    SnapshotCategory,
    SnapshotRisk,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MEETING = date(2023, 11, 17)
LAST_PRESENTED = date(2023, 9, 22)
REMOVED_SINCE = date(2021, 11, 17)  # two years before the meeting

#: The impact criteria columns in the fixture, in print order (after Scale and Description).
_IMPACT_FIELDS = (
    "departmental_service_plan",
    "internal_operations",
    "people",
    "reputation",
    "financial_per_annum_per_loss",
)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def published_scheme() -> ScoringScheme:
    """The council's own scoring scheme from ``scoring-criteria.json``."""
    data = load("scoring-criteria.json")
    columns = tuple(data["impact_columns_as_given"])
    dims = columns[2:]
    matrix = data["matrix"]
    return ScoringScheme(
        version=1,
        name="Leicestershire County Council risk scoring (2023)",
        impact_levels=tuple(
            ImpactLevel(
                int(level["level"]),
                level["description"],
                tuple((dim, level[key]) for dim, key in zip(dims, _IMPACT_FIELDS, strict=True)),
            )
            for level in data["impact_levels"]
        ),
        likelihood_levels=tuple(
            LikelihoodLevel(
                int(level["level"]),
                level["likelihood"],
                level["example_of_loss_event_frequency"],
                level["probability_pct_as_given"],
            )
            for level in data["likelihood_levels"]
        ),
        bands=DEFAULT_BANDS,
        impact_axis_labels=tuple(matrix["impact_axis_labels"][str(i)] for i in range(1, 6)),
        likelihood_axis_labels=tuple(matrix["likelihood_axis_labels"][str(i)] for i in range(1, 6)),
        impact_note=data["impact_note"],
        matrix_footnote=matrix["likelihood_axis_footnote"],
        impact_columns=columns,
    )


def _score(cell: dict[str, Any] | None) -> Score | None:
    return None if cell is None else Score(int(cell["impact"]), int(cell["likelihood"]))


def _risk(risk_id: int, raw: dict[str, Any]) -> SnapshotRisk:
    if raw.get("scoring_lines"):
        lines = tuple(
            ScoreLine(current=_score(line["current"]), target=_score(line["target"]),  # type: ignore[arg-type]
                      note=line["current"].get("impact_note", ""))
            for line in raw["scoring_lines"]
        )
    else:
        lines = (ScoreLine(current=_score(raw["current"]), target=_score(raw["target"]),  # type: ignore[arg-type]
                           note=raw["current"].get("impact_note", "")),)
    return SnapshotRisk(
        risk_id=risk_id,
        ref=raw["ref"],
        departments=tuple(raw["departments"]),
        departments_text=raw["departments_text"],
        description=raw["description"],
        lines=lines,
        update=raw["update"],
        direction=Direction(raw["direction"]),
        direction_text=raw["direction_text"],
        service_area=raw.get("service_area", ""),
    )


def _removed(raw: dict[str, Any]) -> RemovedRisk:
    return RemovedRisk(
        ref=raw["ref"],
        department=raw["department"],
        description=raw["description"],
        score=int(raw["score"]),
        impact=raw.get("impact"),
        likelihood=raw.get("likelihood"),
        reason=raw["reason"],
        removed_on=date.fromisoformat(raw["date_of_removal"]),
    )


@cache
def published_snapshot() -> RegisterSnapshot:
    """The register exactly as published for the 17 November 2023 committee."""
    crr = load("crr-2023-11.json")
    moves = load("crr-2023-11-movements.json")
    removed = load("crr-removed-since-2021-11.json")
    risk_id = 0
    categories = []
    for cat in crr["categories"]:
        risks = []
        for raw in cat["risks"]:
            risk_id += 1
            risks.append(_risk(risk_id, raw))
        categories.append(
            SnapshotCategory(
                number=cat["number"],
                name=cat["name"],
                retired=cat["retired"],
                heading=cat["heading_as_given"],
                risks=tuple(risks),
            )
        )
    footnotes = tuple(
        Footnote(marker=f["marker"], text=f["text"], items=tuple(f.get("items", ()))) for f in crr["footnotes"]
    )
    movements = Movements(
        since=LAST_PRESENTED,
        amended=tuple(
            AmendedRisk(
                ref=a["ref"],
                department=a["department"],
                change_from=a["change_from"],
                change_to=a["change_to"],
                rationale=a["rationale"],
            )
            for a in moves["amended"]
        ),
    )
    return RegisterSnapshot(
        council="Leicestershire County Council",
        register_name="Corporate Risk Register",
        title=crr["title"],
        appendix_label="Appendix A",
        meeting_title="Corporate Governance Committee",
        meeting_date=MEETING,
        update_heading=crr["update_heading"],
        period="2023Q3",
        categories=tuple(categories),
        department_key=tuple(crr["department_key"].items()),
        footnotes=footnotes,
        removed=tuple(_removed(r) for r in removed["risks"]),
        removed_since=REMOVED_SINCE,
        scheme=published_scheme(),
        movements=movements,
    )


def raw_risks() -> list[dict[str, Any]]:
    """The fixture's risk dicts in print order (for tests that compare against the source)."""
    return [r for c in load("crr-2023-11.json")["categories"] for r in c["risks"]]
