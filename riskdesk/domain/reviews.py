"""Review dates: each assessment sets the risk's next review by a cadence per band."""

from __future__ import annotations

import calendar
from datetime import date

from riskdesk.domain.scoring import Band, ScoringScheme

#: Months between reviews by band colour when the council has not set its own.
DEFAULT_MONTHS_BY_COLOUR = {"red": 1, "amber": 3, "green": 6}
FALLBACK_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cadence_months(scheme: ScoringScheme, band: Band) -> int:
    """Months between reviews for a band: the council's setting, else red 1, amber 3, green 6."""
    for name, months in scheme.review_months:
        if name.casefold() == band.name.casefold():
            return months
    return DEFAULT_MONTHS_BY_COLOUR.get(band.colour.casefold(), FALLBACK_MONTHS)


def next_review(scheme: ScoringScheme, score: int, assessed_on: date) -> date:
    """The next review date set by an assessment on ``assessed_on`` with this current score."""
    return add_months(assessed_on, cadence_months(scheme, scheme.band_for(score)))


def is_overdue(next_review_on: date | None, today: date) -> bool:
    return next_review_on is not None and next_review_on < today
