"""The register as presented to committee: a frozen, self-contained snapshot.

Presenting a report cycle stores one of these as JSON. The appendix is printed from it
alone, so a past cycle prints again byte-for-byte, and "movements since last presented"
is computed by comparing two of them.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from riskdesk.domain.direction import Direction
from riskdesk.domain.score_line import ScoreLine as ScoreLine
from riskdesk.domain.scoring import Score, ScoringScheme


@dataclass(frozen=True)
class SnapshotRisk:
    risk_id: int
    ref: str
    departments: tuple[str, ...]
    #: The department cell as printed ("A&C C&FS PH", "CR (ALL)").
    departments_text: str
    description: str
    lines: tuple[ScoreLine, ...]
    update: str
    direction: Direction
    direction_text: str
    service_area: str = ""  # sub-heading printed above the description ("Children's Social Care")
    owner: str = ""
    exempt: bool = False  # Part B: left out of the public appendix
    #: The highest score the council tolerates for the risk's category when the snapshot was
    #: taken (None: no appetite set). Frozen here so a later scheme leaves presented cycles alone.
    appetite_max: int | None = None

    @property
    def current(self) -> Score:
        return self.lines[0].current

    @property
    def target(self) -> Score | None:
        return self.lines[0].target


@dataclass(frozen=True)
class SnapshotCategory:
    number: int | None
    name: str | None
    retired: bool
    heading: str  # as printed: "5. Safeguarding – category retired"
    risks: tuple[SnapshotRisk, ...] = ()


@dataclass(frozen=True)
class RemovedRisk:
    ref: str
    department: str
    description: str
    score: int  # as recorded at removal
    impact: int | None
    likelihood: int | None
    reason: str
    removed_on: date
    #: Part B: an exempt risk must not appear in the public Part A, not even as removed.
    #: Defaults keep snapshots stored before these fields existed loadable.
    exempt: bool = False
    risk_id: int | None = None


@dataclass(frozen=True)
class AmendedRisk:
    ref: str
    department: str
    change_from: str
    change_to: str
    rationale: str
    exempt: bool = False
    risk_id: int | None = None


@dataclass(frozen=True)
class ScoreChange:
    ref: str
    previous: int
    current: int
    exempt: bool = False
    risk_id: int | None = None


@dataclass(frozen=True)
class Movements:
    """What changed since the register was last presented."""

    since: date | None
    added: tuple[SnapshotRisk, ...] = ()
    removed: tuple[RemovedRisk, ...] = ()
    amended: tuple[AmendedRisk, ...] = ()
    score_changes: tuple[ScoreChange, ...] = ()


@dataclass(frozen=True)
class Footnote:
    marker: str  # "*", "**"
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisterSnapshot:
    council: str  # "Leicestershire County Council"
    register_name: str  # "Corporate Risk Register"
    title: str  # "Corporate Risk Register Update (November 2023)"
    appendix_label: str  # "Appendix A"
    meeting_title: str  # "Corporate Governance Committee"
    meeting_date: date
    update_heading: str  # "Update October 2023"
    period: str  # quarter code the scores belong to: "2023Q3"
    categories: tuple[SnapshotCategory, ...]
    department_key: tuple[tuple[str, str], ...]  # (("A&C", "Adults & Communities"), …)
    footnotes: tuple[Footnote, ...]
    removed: tuple[RemovedRisk, ...]  # removed since `removed_since`
    removed_since: date
    scheme: ScoringScheme
    movements: Movements | None = None
    columns: tuple[tuple[str, str], ...] = field(default=())  # optional heading overrides by key
    #: The audit trail's chain head when the cycle was presented ("12345-3f2a…"): printed in the
    #: footer, so a paper copy proves what the trail looked like that day (``riskdesk audit verify --seal``).
    audit_seal: str = ""
    #: Appendix wording switch: mark current scores above their risk's ``appetite_max``. False in
    #: snapshots stored before the switch existed, so they reprint as they were.
    appetite_mark: bool = False

    @property
    def seal_line(self) -> str:
        """The footer's small print, or "" for a draft (not sealed)."""
        return f"Audit seal {self.audit_seal}" if self.audit_seal else ""

    def risks(self) -> list[SnapshotRisk]:
        return [r for c in self.categories for r in c.risks]

    # -- storage -------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(_dump(self), ensure_ascii=False, sort_keys=True, indent=1)

    @classmethod
    def from_json(cls, text: str) -> RegisterSnapshot:
        return _load(cls, json.loads(text))


def _dump(value: Any) -> Any:
    if isinstance(value, ScoringScheme):
        return value.to_dict()
    if isinstance(value, Score):
        return {"impact": value.impact, "likelihood": value.likelihood}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


def _load(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _load(inner[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v) for v in data)
        return tuple(_load(a, v) for a, v in zip(args, data, strict=True))
    if tp is ScoringScheme:
        return ScoringScheme.from_dict(data)
    if tp is Score:
        return Score(int(data["impact"]), int(data["likelihood"]))
    if tp is date:
        return date.fromisoformat(data)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {f.name: _load(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    return data
