"""The 5 × 5 scoring scheme: impact and likelihood levels, criteria text, bands.

Score = impact × likelihood, 1–25, never normalised. Bands are configuration
because councils differ. A scheme is versioned: each assessment records the
version it was scored under, so old scores keep their meaning and the printed
criteria always match the scores beside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskdesk.domain.errors import ValidationError

LEVELS = (1, 2, 3, 4, 5)
#: Every score a 5 × 5 scheme can produce.
ACHIEVABLE_SCORES = tuple(sorted({i * lv for i in LEVELS for lv in LEVELS}))
#: Matrix sizes a council may choose (3 × 3 to 6 × 6).
MATRIX_SIZES = (3, 4, 5, 6)


def achievable_scores(size: int) -> tuple[int, ...]:
    """Every score an ``size`` × ``size`` matrix can produce."""
    return tuple(sorted({i * lv for i in range(1, size + 1) for lv in range(1, size + 1)}))


def check_level(field_name: str, value: Any, size: int = 5) -> int:
    """Return ``value`` as a level 1–``size`` or raise a ValidationError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise ValidationError(field_name, value, f"must be a whole number from 1 to {size}")
    if not 1 <= value <= size:
        raise ValidationError(field_name, value, f"must be a whole number from 1 to {size}")
    return value


@dataclass(frozen=True, slots=True)
class Score:
    """One impact × likelihood pair."""

    impact: int
    likelihood: int

    def __post_init__(self) -> None:
        # Any matrix riskdesk offers (up to 6 × 6); the save checks the scheme's own size.
        check_level("impact", self.impact, MATRIX_SIZES[-1])
        check_level("likelihood", self.likelihood, MATRIX_SIZES[-1])

    @property
    def score(self) -> int:
        return self.impact * self.likelihood

    @classmethod
    def of(cls, impact: Any, likelihood: Any, *, what: str = "", size: int = 5) -> Score:
        """Build a score on a ``size`` × ``size`` matrix, naming ``what`` ("current", "target") in any error."""
        prefix = f"{what} " if what else ""
        return cls(check_level(f"{prefix}impact", impact, size), check_level(f"{prefix}likelihood", likelihood, size))


@dataclass(frozen=True, slots=True)
class Band:
    """A range of scores with a name and a colour: high/red 15–25."""

    name: str  # "high"
    colour: str  # "red"
    low: int
    high: int
    rgb: str  # "#e6001f": fill colour for cells and the matrix

    @property
    def label(self) -> str:
        """As the council writes it: ``high/red``."""
        return f"{self.name}/{self.colour}"

    def contains(self, score: int) -> bool:
        return self.low <= score <= self.high


@dataclass(frozen=True, slots=True)
class Bands:
    """Bands ordered from lowest to highest; every achievable score falls in exactly one."""

    bands: tuple[Band, ...]
    #: The matrix size the bands must cover (a 4 × 4 scheme's bands need not reach 25).
    size: int = 5

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.bands, key=lambda b: b.low))
        object.__setattr__(self, "bands", ordered)
        if self.size not in MATRIX_SIZES:
            raise ValidationError("matrix size", self.size, "must be 3, 4, 5 or 6")
        for band in ordered:
            if band.low > band.high:
                raise ValidationError(f"band {band.name}", f"{band.low}–{band.high}", "starts above where it ends")
        for score in achievable_scores(self.size):
            hits = [b.name for b in ordered if b.contains(score)]
            if len(hits) != 1:
                where = "no band" if not hits else "bands " + " and ".join(hits)
                raise ValidationError("bands", score, f"is a possible score but falls in {where}")

    def band_for(self, score: int) -> Band:
        for band in self.bands:
            if band.contains(score):
                return band
        raise ValidationError("score", score, "is outside every band")

    def below(self, band: Band) -> Band | None:
        i = self.bands.index(band)
        return self.bands[i - 1] if i > 0 else None

    def above(self, band: Band) -> Band | None:
        i = self.bands.index(band)
        return self.bands[i + 1] if i + 1 < len(self.bands) else None


DEFAULT_BANDS = Bands(
    (
        Band("low", "green", 1, 6, "#92d050"),
        Band("medium", "amber", 8, 12, "#ffc000"),
        Band("high", "red", 15, 25, "#ff0000"),
    )
)


@dataclass(frozen=True, slots=True)
class ImpactLevel:
    level: int
    label: str  # "Major"
    #: Criteria text per dimension, in print order: (("People", "Serious injury"), …)
    criteria: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LikelihoodLevel:
    level: int
    label: str  # "Possible"
    frequency: str = ""  # example of loss/event frequency
    probability: str = ""  # "40-60%"


@dataclass(frozen=True, slots=True)
class ScoringScheme:
    """A versioned scoring scheme: labels, criteria and bands."""

    version: int
    name: str
    impact_levels: tuple[ImpactLevel, ...]
    likelihood_levels: tuple[LikelihoodLevel, ...]
    bands: Bands = DEFAULT_BANDS
    #: Labels on the matrix axes where they differ from the criteria tables.
    impact_axis_labels: tuple[str, ...] = ()
    likelihood_axis_labels: tuple[str, ...] = ()
    impact_note: str = ""
    likelihood_note: str = ""
    matrix_footnote: str = ""
    impact_columns: tuple[str, ...] = field(default=())
    #: Matrix size: impact and likelihood both run 1..size.
    size: int = 5
    #: Orange Book appetite scale: (("averse", 4), ("minimal", 6), …) → the maximum tolerable score.
    appetite_levels: tuple[tuple[str, int], ...] = ()
    #: Appetite per category, by category name (case-insensitive): (("Safeguarding", "averse"), …).
    category_appetite: tuple[tuple[str, str], ...] = ()
    #: Months between reviews per band name (("high", 1), ("medium", 3), ("low", 6)).
    review_months: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if self.size not in MATRIX_SIZES:
            raise ValidationError("matrix size", self.size, "must be 3, 4, 5 or 6")
        levels = tuple(range(1, self.size + 1))
        if tuple(lv.level for lv in self.impact_levels) != levels:
            raise ValidationError(
                "impact levels", [lv.level for lv in self.impact_levels], f"must be 1 to {self.size} in order"
            )
        if tuple(lv.level for lv in self.likelihood_levels) != levels:
            raise ValidationError(
                "likelihood levels", [lv.level for lv in self.likelihood_levels], f"must be 1 to {self.size} in order"
            )
        for what, labels in (("impact axis labels", self.impact_axis_labels),
                             ("likelihood axis labels", self.likelihood_axis_labels)):
            if labels and len(labels) != self.size:
                raise ValidationError(what, len(labels), f"must be {self.size}, one per level, or none")
        if self.bands.size != self.size:
            # Bands are checked against the scores this matrix can produce.
            object.__setattr__(self, "bands", Bands(self.bands.bands, self.size))

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(range(1, self.size + 1))

    def _level(self, what: str, level: int) -> int:
        if level not in self.levels:
            raise ValidationError(what, level, f"must be a whole number from 1 to {self.size}")
        return level

    def impact_label(self, level: int) -> str:
        return self.impact_levels[self._level("impact", level) - 1].label

    def likelihood_label(self, level: int) -> str:
        return self.likelihood_levels[self._level("likelihood", level) - 1].label

    def impact_axis_label(self, level: int) -> str:
        if self.impact_axis_labels:
            return self.impact_axis_labels[level - 1]
        return self.impact_label(level)

    def likelihood_axis_label(self, level: int) -> str:
        if self.likelihood_axis_labels:
            return self.likelihood_axis_labels[level - 1]
        return self.likelihood_label(level)

    def band_for(self, score: int) -> Band:
        return self.bands.band_for(score)

    def criteria_dimensions(self) -> tuple[str, ...]:
        """The impact criteria column names, in print order."""
        return tuple(name for name, _ in self.impact_levels[0].criteria)

    # -- storage -------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "impact_levels": [
                {"level": lv.level, "label": lv.label, "criteria": [list(c) for c in lv.criteria]}
                for lv in self.impact_levels
            ],
            "likelihood_levels": [
                {"level": lv.level, "label": lv.label, "frequency": lv.frequency, "probability": lv.probability}
                for lv in self.likelihood_levels
            ],
            "bands": [
                {"name": b.name, "colour": b.colour, "low": b.low, "high": b.high, "rgb": b.rgb}
                for b in self.bands.bands
            ],
            "impact_axis_labels": list(self.impact_axis_labels),
            "likelihood_axis_labels": list(self.likelihood_axis_labels),
            "impact_note": self.impact_note,
            "likelihood_note": self.likelihood_note,
            "matrix_footnote": self.matrix_footnote,
            "impact_columns": list(self.impact_columns),
            "size": self.size,
            "appetite_levels": [list(p) for p in self.appetite_levels],
            "category_appetite": [list(p) for p in self.category_appetite],
            "review_months": [list(p) for p in self.review_months],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringScheme:
        return cls(
            version=int(data["version"]),
            name=str(data["name"]),
            impact_levels=tuple(
                ImpactLevel(int(lv["level"]), str(lv["label"]), tuple((str(a), str(b)) for a, b in lv["criteria"]))
                for lv in data["impact_levels"]
            ),
            likelihood_levels=tuple(
                LikelihoodLevel(int(lv["level"]), str(lv["label"]), lv.get("frequency", ""), lv.get("probability", ""))
                for lv in data["likelihood_levels"]
            ),
            bands=(Bands(tuple(Band(**b) for b in data["bands"]), int(data.get("size", 5)))
                   if data.get("bands") else DEFAULT_BANDS),
            impact_axis_labels=tuple(data.get("impact_axis_labels", ())),
            likelihood_axis_labels=tuple(data.get("likelihood_axis_labels", ())),
            impact_note=data.get("impact_note", ""),
            likelihood_note=data.get("likelihood_note", ""),
            matrix_footnote=data.get("matrix_footnote", ""),
            impact_columns=tuple(data.get("impact_columns", ())),
            size=int(data.get("size", 5)),
            appetite_levels=tuple((str(k), int(v)) for k, v in data.get("appetite_levels", ())),
            category_appetite=tuple((str(k), str(v)) for k, v in data.get("category_appetite", ())),
            review_months=tuple((str(k), int(v)) for k, v in data.get("review_months", ())),
        )


def _impact(level: int, label: str, *criteria: str) -> ImpactLevel:
    names = ("Service objectives", "Operations", "People", "Reputation", "Financial (per annum / per loss)")
    return ImpactLevel(level, label, tuple(zip(names, criteria, strict=True)))


def default_scheme() -> ScoringScheme:
    """riskdesk's own starting scheme for a new database (version 1).

    Councils replace the wording with their own; the structure (5 × 5, the bands) is the
    one most English councils publish.
    """
    return ScoringScheme(
        version=1,
        name="riskdesk standard 5 × 5",
        impact_levels=(
            _impact(1, "Negligible", "Objectives met with little or no effect", "Brief disruption, no effect on service quality",
                    "No injury or a minor injury needing no treatment", "Isolated complaints", "Under £50k"),
            _impact(2, "Minor", "Some service plan objectives delayed", "Short disruption with a small fall in quality",
                    "Minor injury to someone in the council's care", "Local complaints and some local media interest",
                    "£50k to £250k"),
            _impact(3, "Moderate", "Several objectives not met", "Disruption lasting weeks; partnerships strained",
                    "Injury needing treatment; a distressing experience", "Adverse local media coverage",
                    "£250k to £500k, absorbed within the service"),
            _impact(4, "Major", "Key objectives not met across a department", "Serious disruption to front-line services",
                    "Serious injury; a vulnerable person harmed", "Adverse national media coverage",
                    "£500k to £1m; needs corporate funding"),
            _impact(5, "Critical", "Council-wide objectives fail", "Loss of a statutory service or of a key partnership",
                    "Death or life-changing harm", "Sustained national coverage; intervention by government",
                    "Over £1m; threatens the medium term financial plan"),
        ),
        likelihood_levels=(
            LikelihoodLevel(1, "Rare", "Would happen only in exceptional circumstances", "Under 10%"),
            LikelihoodLevel(2, "Unlikely", "Not expected, but could happen", "10–30%"),
            LikelihoodLevel(3, "Possible", "Might happen now and then", "30–60%"),
            LikelihoodLevel(4, "Likely", "Will probably happen, but is not a persistent issue", "60–85%"),
            LikelihoodLevel(5, "Almost certain", "Expected to happen, possibly often", "Over 85%"),
        ),
        bands=DEFAULT_BANDS,
        impact_columns=("Scale", "Description", "Service objectives", "Operations", "People", "Reputation",
                        "Financial (per annum / per loss)"),
        matrix_footnote="Likelihood over the lifetime of the objective (usually 12 months).",
    )


def scores(pairs: Iterable[tuple[int, int]]) -> list[Score]:
    """Convenience: build several scores at once."""
    return [Score.of(i, lv) for i, lv in pairs]
