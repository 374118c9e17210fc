"""Risk appetite per category (HM Treasury Orange Book scale) and what follows from it.

The council maps each appetite level to the highest residual score it will tolerate, and gives
each category a level; both live in the scoring scheme, so they are versioned with it. A risk is
"out of appetite" when its current score is above its category's maximum. A risk at or below
appetite for two quarters running is a candidate for removal (Bracknell Forest's rule).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import ScoringScheme

#: Orange Book appetite levels, lowest tolerance first.
APPETITE_LEVELS = ("averse", "minimal", "cautious", "open", "eager")

#: riskdesk's starting maxima on a 5 × 5 matrix; councils set their own.
DEFAULT_APPETITE_MAXIMA: dict[str, int] = {"averse": 4, "minimal": 6, "cautious": 10, "open": 15, "eager": 20}

#: Quarters at or below appetite before a risk is suggested for removal.
REMOVAL_RUN = 2


@dataclass(frozen=True)
class Appetite:
    """A category's appetite: the level and the maximum tolerable score it maps to."""

    category: str
    level: str
    max_score: int


def check_appetite(levels: Mapping[str, int], categories: Mapping[str, str], size: int) -> None:
    """Refuse an appetite scale that is not the Orange Book's or not increasing, or an unknown level."""
    top = size * size
    unknown = sorted(set(levels) - set(APPETITE_LEVELS))
    if unknown:
        raise ValidationError("appetite level", unknown[0], f"is not one of {', '.join(APPETITE_LEVELS)}")
    last = 0
    for name in APPETITE_LEVELS:
        if name not in levels:
            continue
        value = levels[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
            raise ValidationError(f"appetite {name}", value, f"must be a whole score from 1 to {top}")
        if value < last:
            raise ValidationError(f"appetite {name}", value, "is below the maximum of a more averse level")
        last = value
    for category, level in categories.items():
        if level not in levels:
            raise ValidationError(f"appetite of {category}", level, "is not a level the scheme sets a maximum for")


def appetite_for(scheme: ScoringScheme, category: str | None) -> Appetite | None:
    """The appetite the scheme sets for a category (by name, case-insensitive), or None."""
    if not category:
        return None
    levels = dict(scheme.appetite_levels)
    want = category.strip().casefold()
    for name, level in scheme.category_appetite:
        if name.strip().casefold() == want and level in levels:
            return Appetite(name, level, levels[level])
    return None


def out_of_appetite(score: int | None, appetite: Appetite | None) -> bool:
    """True when the current score is above the category's maximum tolerable score."""
    return score is not None and appetite is not None and score > appetite.max_score


def within_appetite_run(scores: Sequence[int | None], max_score: int) -> int:
    """How many of the latest quarters (oldest first in ``scores``) were at or below appetite."""
    run = 0
    for score in reversed(scores):
        if score is None or score > max_score:
            break
        run += 1
    return run


def removal_candidate(scores: Sequence[int | None], appetite: Appetite | None) -> bool:
    """At or below appetite for the last two quarters: a candidate for removal."""
    return appetite is not None and within_appetite_run(scores, appetite.max_score) >= REMOVAL_RUN


def appetite_mark(scheme: ScoringScheme, category: str | None, score: int | None) -> tuple[bool, str] | None:
    """(out of appetite, words for a tooltip), or None where the category has no appetite or no score."""
    appetite = appetite_for(scheme, category)
    if appetite is None or score is None:
        return None
    out = out_of_appetite(score, appetite)
    return out, (f"Score {score} is {'above' if out else 'within'} the {appetite.level} appetite of "
                 f"{appetite.category} (at most {appetite.max_score})")
