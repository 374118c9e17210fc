"""Responses (4T + take the opportunity), existing controls, sources of assurance, action timeliness."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from riskdesk.domain.errors import ValidationError


class Response(StrEnum):
    TREAT = "treat"
    TOLERATE = "tolerate"
    TRANSFER = "transfer"
    TERMINATE = "terminate"
    TAKE = "take"  # take the opportunity

    @property
    def label(self) -> str:
        return "Take the opportunity" if self is Response.TAKE else self.value.capitalize()


class Effectiveness(StrEnum):
    EFFECTIVE = "effective"
    PARTLY = "partly"
    NOT_EFFECTIVE = "not_effective"

    @property
    def label(self) -> str:
        return {"effective": "Effective", "partly": "Partly effective", "not_effective": "Not effective"}[self.value]


#: Orange Book Annex 2: first line (management), second (oversight functions), third (internal audit).
LINES_OF_DEFENCE = (1, 2, 3)


def parse_enum(kind: type[StrEnum], field: str, value: object) -> StrEnum:
    try:
        return kind(str(value).strip().lower().replace(" ", "_"))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ValidationError(field, value, f"must be one of {allowed}") from None


def check_line(value: object) -> int:
    if isinstance(value, bool) or value not in LINES_OF_DEFENCE:
        raise ValidationError("line of defence", value, "must be 1, 2 or 3")
    return int(value)  # type: ignore[call-overload]


@dataclass(frozen=True)
class ControlRow:
    id: int
    risk_id: int
    description: str
    owner: str
    line: int
    effectiveness: str
    last_tested_on: date | None
    version: int


@dataclass(frozen=True)
class AssuranceRow:
    id: int
    risk_id: int
    source: str
    line: int
    last_received_on: date | None
    version: int


@dataclass(frozen=True)
class OnTimeRate:
    """Completed actions finished by their due date, out of those with a due date that are done or late.

    An action still open but not yet due is not counted: it can still be on time. An open action
    past its due date counts as late, so the rate cannot be improved by leaving actions open.
    """

    label: str
    on_time: int
    counted: int

    @property
    def rate(self) -> float | None:
        return None if self.counted == 0 else self.on_time / self.counted

    @property
    def percent(self) -> str:
        return "–" if self.rate is None else f"{round(self.rate * 100)}%"


def on_time_rate(label: str, actions: Iterable[tuple[date | None, date | None]], today: date) -> OnTimeRate:
    """``actions`` are (due, completed) pairs."""
    on_time = counted = 0
    for due, done in actions:
        if due is None:
            continue
        if done is not None:
            counted += 1
            on_time += done <= due
        elif due < today:
            counted += 1
    return OnTimeRate(label, on_time, counted)
