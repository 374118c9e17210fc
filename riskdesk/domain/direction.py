"""Direction of travel: the owner's expectation of the residual score over the next 12 months.

The words are derived from the bands ("Expected to remain high/red", "Expected to move to
medium/amber"). riskdesk also knows the *actual* movement from history ("Decreased from 20")
and can flag a declared direction that history keeps contradicting.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import Bands


class Direction(StrEnum):
    UP = "up"
    LEVEL = "level"
    DOWN = "down"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "level": "↔", "down": "↓"}[self.value]

    @classmethod
    def parse(cls, value: object) -> Direction:
        text = str(value or "").strip().lower()
        aliases = {"up": cls.UP, "↑": cls.UP, "increase": cls.UP, "level": cls.LEVEL, "↔": cls.LEVEL,
                   "same": cls.LEVEL, "steady": cls.LEVEL, "down": cls.DOWN, "↓": cls.DOWN, "decrease": cls.DOWN}
        if text in aliases:
            return aliases[text]
        raise ValidationError("direction of travel", value, "must be up, level or down")


def direction_words(direction: Direction, current_score: int, bands: Bands, target_score: int | None = None) -> str:
    """The words printed beside the arrow, derived from the bands.

    Level stays in the current band. Down moves to the target's band when that is lower,
    otherwise to the band below. Up moves to the band above.
    """
    band = bands.band_for(current_score)
    if direction is Direction.LEVEL:
        return f"Expected to remain {band.label}"
    if direction is Direction.DOWN:
        lower = bands.below(band)
        if target_score is not None:
            target_band = bands.band_for(target_score)
            if target_band.low < band.low:
                lower = target_band
        if lower is None:
            return f"Expected to decrease within {band.label}"
        return f"Expected to move to {lower.label}"
    higher = bands.above(band)
    if higher is None:
        return f"Expected to increase within {band.label}"
    return f"Expected to move to {higher.label}"


def movement_note(previous_score: int | None, current_score: int | None) -> str | None:
    """Actual movement since the previous period: "Decreased from 20", or None when unchanged/unknown."""
    if previous_score is None or current_score is None or previous_score == current_score:
        return None
    verb = "Decreased" if current_score < previous_score else "Increased"
    return f"{verb} from {previous_score}"


def actual_direction(previous_score: int, current_score: int) -> Direction:
    if current_score > previous_score:
        return Direction.UP
    if current_score < previous_score:
        return Direction.DOWN
    return Direction.LEVEL


def contradicted(declared: Direction, history: Sequence[int]) -> bool:
    """True when the last two movements both went against the declared direction.

    ``history`` is the score per period, oldest first; at least three periods are needed.
    Declaring "down" while the score rose twice, or "up" while it fell twice, or "level"
    while it moved the same way twice, counts as contradicted.
    """
    if len(history) < 3:
        return False
    a, b, c = history[-3:]
    moves = (actual_direction(a, b), actual_direction(b, c))
    if declared is Direction.DOWN:
        return all(m is Direction.UP for m in moves)
    if declared is Direction.UP:
        return all(m is Direction.DOWN for m in moves)
    return moves[0] is moves[1] and moves[0] is not Direction.LEVEL
