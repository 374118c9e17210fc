"""A risk's history and the edits to it, as services and the window pass them: its assessments,
actions, removals and audit entries (frozen rows), and the changes the editor sends.

Apart from :mod:`riskdesk.domain.register` so that what reads the register first (the window's
first look, ``riskdesk appendix``) does not pay for making these classes: each frozen dataclass
costs about a millisecond to create at import on this machine's class, on the way to the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from riskdesk.domain.direction import Direction
from riskdesk.domain.score_line import ScoreLine
from riskdesk.domain.scoring import Score


@dataclass(frozen=True)
class NewRisk:
    register_id: int
    ref: str
    description: str
    category_id: int | None = None
    departments: tuple[str, ...] = ()
    owner_id: int | None = None
    service_area: str = ""
    exempt: bool = False


@dataclass(frozen=True)
class RiskChange:
    """Fields to change on a risk; ``None`` leaves a field as it is."""

    ref: str | None = None
    description: str | None = None
    rationale: str = ""  # required when changing the description of a presented risk
    category_id: int | None = None
    departments: tuple[str, ...] | None = None
    departments_text: str | None = None
    owner_id: int | None = None
    clear_owner: bool = False
    service_area: str | None = None
    exempt: bool | None = None


@dataclass(frozen=True)
class AssessmentChange:
    """A period's scores and commentary. Extra lines follow the headline in ``lines``."""

    current: Score
    target: Score | None
    direction: Direction
    update_text: str
    lines: tuple[ScoreLine, ...] = ()
    note: str = ""
    direction_text: str | None = None


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    risk_id: int
    period: str
    lines: tuple[ScoreLine, ...]
    direction: Direction
    direction_text: str
    update_text: str
    scheme_version: int
    recorded_at: datetime
    recorded_by: str
    version: int
    #: For an imported assessment, the score cells as the file wrote them ("current: file: Impact 6.67 of 10, …").
    source_values: str = ""

    @property
    def current(self) -> Score:
        return self.lines[0].current

    @property
    def target(self) -> Score | None:
        return self.lines[0].target


@dataclass(frozen=True)
class RemovalRow:
    risk_id: int
    ref: str
    departments_text: str
    description: str
    score: int | None
    impact: int | None
    likelihood: int | None
    reason: str
    removed_on: date
    removed_by: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_login: str
    action: str
    entity: str
    entity_id: int | None
    label: str
    changes: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    #: The login the OS (SQLite) or the server (PostgreSQL) authenticated, when it was recorded.
    os_login: str = ""

    @property
    def who(self) -> str:
        """The person as the trail shows them: an acted-as name always carries the real login."""
        if self.os_login and self.os_login != self.user_login:
            return f"{self.user_login} (as login {self.os_login})"
        return self.user_login


@dataclass(frozen=True)
class ActionRow:
    """A mitigating action on a risk: what, who, by when, and when it was done."""

    id: int
    risk_id: int
    description: str
    owner_id: int | None
    owner_name: str
    due_on: date | None
    completed_on: date | None
    version: int

    @property
    def done(self) -> bool:
        return self.completed_on is not None

    def overdue(self, today: date) -> bool:
        return self.completed_on is None and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class ActionChange:
    """An action's fields as the user left them (all of them: the editor shows every field)."""

    description: str
    owner_id: int | None = None
    due_on: date | None = None
    completed_on: date | None = None
