"""What services hand to the window about registers and risks: frozen rows, never ORM objects."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from datetime import date
from functools import cached_property
from typing import Any

# Kept importable from here; they live in small modules so the window can paint without this one.
from riskdesk.domain.actor import Actor as Actor
from riskdesk.domain.actor import default_actor as default_actor
from riskdesk.domain.actor import os_login as os_login
from riskdesk.domain.direction import Direction
from riskdesk.domain.refs import ref_sort_key as ref_sort_key
from riskdesk.domain.score_line import ScoreLine
from riskdesk.domain.scoring import Score


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    display_name: str
    job_title: str
    role: str
    active: bool


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    code: str
    name: str
    active: bool


@dataclass(frozen=True)
class RegisterRow:
    id: int
    name: str
    kind: str  # "corporate" / "departmental"
    department_code: str | None
    current_risks: int = 0

    @property
    def is_corporate(self) -> bool:
        return self.kind == "corporate"


@dataclass(frozen=True)
class CategoryRow:
    id: int
    register_id: int
    number: int | None
    name: str | None
    retired: bool
    position: int
    heading: str
    version: int
    risk_count: int = 0


def category_heading(number: int | None, name: str | None, retired: bool, as_given: str | None = None) -> str:
    """The heading as printed: "1. Medium Term Financial Strategy", "5. Safeguarding – category retired"."""
    if as_given:
        return as_given
    parts = []
    if number is not None:
        parts.append(f"{number}.")
    if name:
        parts.append(name)
    heading = " ".join(parts)
    if retired:
        heading = f"{heading} – category retired" if name else f"{heading} Category retired"
    return heading.strip()


@dataclass(frozen=True)
class RiskRow:
    """One risk as the register shows it: identity, wording and its latest assessment."""

    id: int
    register_id: int
    ref: str
    category_id: int | None
    category_heading: str
    category_position: int
    departments: tuple[str, ...]
    departments_text: str
    description: str
    service_area: str
    owner_id: int | None
    owner_name: str
    status: str
    exempt: bool
    version: int
    first_presented_on: date | None
    # The latest assessment (None when the risk has never been scored).
    period: str | None = None
    assessment_id: int | None = None
    assessment_version: int | None = None
    lines: tuple[ScoreLine, ...] = ()
    direction: Direction | None = None
    direction_text: str = ""
    update_text: str = ""
    previous_score: int | None = None
    #: Scores per period, oldest first: ((period, current score, target score or None), …)
    history: tuple[tuple[str, int, int | None], ...] = ()

    @property
    def current(self) -> Score | None:
        return self.lines[0].current if self.lines else None

    @property
    def target(self) -> Score | None:
        return self.lines[0].target if self.lines else None

    @property
    def score(self) -> int | None:
        return self.current.score if self.current else None

    @property
    def target_score(self) -> int | None:
        return self.target.score if self.target else None

    @property
    def presented(self) -> bool:
        return self.first_presented_on is not None

    @classmethod
    def listed(cls, values: dict[str, Any]) -> RiskRow:
        """The row with these field values, made without the frozen dataclass's ``__init__``: that
        sets each of 25 fields through ``object.__setattr__``, 3.3 µs a row, 16 ms of every
        5,000-risk register read. The row is the same as ``RiskRow(**values)`` would make (tests check).

        ``values`` holds every field (``UNSCORED_FIELDS`` has the defaults of a never-scored risk's) and
        may hold ``register_order``, made ahead with ``register_order_of``. It becomes the row's
        own attribute dictionary, as it is: the caller hands it over and keeps no reference to it.
        (Listing 5,000 risks, callgrind: copying it into the row's own dictionary instead cost 21%
        more instructions; that, with ``register_order`` made on the first sort, 61% more.)"""
        row = object.__new__(cls)
        object.__setattr__(row, "__dict__", values)
        return row

    @cached_property
    def register_order(self) -> tuple[Any, ...]:
        """Where the risk stands on its register: its category, then its ref in natural order.

        Made once per row: the service lists rows in this order, on its worker thread, and the
        table's Ref and Category columns then sort by the same key without making it again.
        """
        return register_order_of(self.category_position, self.ref)


def register_order_of(category_position: int, ref: str) -> tuple[Any, ...]:
    """``RiskRow.register_order`` for a row with this category position and ref."""
    return (category_position, ref_sort_key(ref))


#: The fields a never-scored risk's row leaves at their defaults, with them (for ``RiskRow.listed``):
#: those of its latest assessment.
UNSCORED_FIELDS: dict[str, Any] = {f.name: f.default for f in fields(RiskRow) if f.default is not MISSING}
