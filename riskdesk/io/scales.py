"""Translate a source register's impact and likelihood values onto riskdesk's 1–5 levels.

A :class:`ScaleMap` holds one :class:`Scale` for impact and one for likelihood. Each scale has
a numeric range (1–5, 1–10, 1–4, 1–3…) with a table from source number to level, and a word
table ("almost certain" → 5). The wizard shows the proposal from :func:`propose_scales` and
the user confirms or edits the tables; nothing is translated behind their back.

Fractional values (3.5): riskdesk rounds halves **up** (3.5 → 4, 2.4 → 2) and reports a
warning naming the cell, because under-stating a risk is the worse mistake and the officer
must see every value that changed. A scale can instead be set to refuse fractions
(``fractions="error"``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from riskdesk.domain.scoring import LEVELS

# Known word scales, lowest first. A source's words are matched against these in order; the
# first scale containing every word seen wins, so the 5-word scales are tried first.
LIKELIHOOD_WORD_SCALES: tuple[tuple[str, ...], ...] = (
    ("rare", "unlikely", "possible", "likely", "almost certain"),
    ("very unlikely", "unlikely", "possible", "likely", "very likely"),
    ("remote", "unlikely", "possible", "probable", "highly probable"),
    ("very low", "low", "medium", "high", "very high"),
    ("low", "medium", "high"),
    ("unlikely", "possible", "likely"),
)
IMPACT_WORD_SCALES: tuple[tuple[str, ...], ...] = (
    ("negligible", "minor", "moderate", "major", "critical"),
    ("insignificant", "minor", "moderate", "major", "catastrophic"),
    ("negligible", "minor", "moderate", "major", "catastrophic"),
    ("insignificant", "minor", "moderate", "major", "severe"),
    ("very low", "low", "medium", "high", "very high"),
    ("minor", "serious", "major"),
    ("minor", "serious", "major", "catastrophic"),
    ("low", "medium", "high"),
)


def spread(n: int) -> dict[int, int]:
    """Default table for a 1–n scale onto 1–5.

    1–5 is kept as is. A longer scale (1–10) is halved and rounded up, ``ceil(x × 5 / n)``, so
    1–2 → 1 … 9–10 → 5. A shorter scale (1–3, 1–4) is spread evenly from 1 to 5 and rounded
    half up: 1–3 → 1, 3, 5 and 1–4 → 1, 2, 4, 5.
    """
    if n < 2:
        raise ValueError("a scale needs at least two levels")
    if n == 5:
        return {i: i for i in LEVELS}
    if n > 5:
        return {x: max(1, math.ceil(x * 5 / n)) for x in range(1, n + 1)}
    return {x: _round_half_up(1 + (x - 1) * 4 / (n - 1)) for x in range(1, n + 1)}


def _round_half_up(value: float) -> int:
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _word_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


@dataclass(frozen=True)
class Scale:
    """How one dimension (impact or likelihood) of a source register reads.

    Attributes:
        maximum: the top of the source's numeric scale (5 for 1–5, 10 for 1–10).
        numbers: source whole number → riskdesk level; defaults to :func:`spread`.
        words: word → level; matched ignoring case, spaces and punctuation.
        fractions: "round" (half up, with a warning) or "error".
    """

    maximum: int = 5
    numbers: tuple[tuple[int, int], ...] = ()
    words: tuple[tuple[str, int], ...] = ()
    fractions: Literal["round", "error"] = "round"
    _word_index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.numbers:
            object.__setattr__(self, "numbers", tuple(sorted(spread(self.maximum).items())))
        for _, level in self.numbers:
            if level not in LEVELS:
                raise ValueError(f"a scale table must give levels 1 to 5, not {level}")
        for _, level in self.words:
            if level not in LEVELS:
                raise ValueError(f"a word table must give levels 1 to 5, not {level}")
        object.__setattr__(self, "_word_index", {_word_key(w): lvl for w, lvl in self.words})

    @property
    def table(self) -> dict[int, int]:
        return dict(self.numbers)

    def word_level(self, text: str) -> int | None:
        return self._word_index.get(_word_key(text))

    def to_dict(self) -> dict[str, Any]:
        return {
            "maximum": self.maximum,
            "numbers": [[a, b] for a, b in self.numbers],
            "words": [[w, lvl] for w, lvl in self.words],
            "fractions": self.fractions,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scale:
        return cls(
            maximum=int(data.get("maximum", 5)),
            numbers=tuple((int(a), int(b)) for a, b in data.get("numbers", ())),
            words=tuple((str(w), int(lvl)) for w, lvl in data.get("words", ())),
            fractions=data.get("fractions", "round"),
        )


def word_table(words: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """Spread an ordered list of scale words (lowest first) over levels 1–5."""
    words = tuple(words)
    table = spread(len(words)) if len(words) != 5 else {i: i for i in LEVELS}
    return tuple((w, table[i + 1]) for i, w in enumerate(words))


DEFAULT_IMPACT_WORDS = (*word_table(IMPACT_WORD_SCALES[0]), ("insignificant", 1), ("catastrophic", 5), ("severe", 5))
DEFAULT_LIKELIHOOD_WORDS = (*word_table(LIKELIHOOD_WORD_SCALES[0]), ("very unlikely", 1), ("remote", 1), ("probable", 4), ("very likely", 5), ("almost certainly", 5), ("certain", 5))


@dataclass(frozen=True)
class ScaleMap:
    """Impact and likelihood scales of one source register."""

    impact: Scale = field(default_factory=lambda: Scale(words=DEFAULT_IMPACT_WORDS))
    likelihood: Scale = field(default_factory=lambda: Scale(words=DEFAULT_LIKELIHOOD_WORDS))

    def for_part(self, part: str) -> Scale:
        return self.impact if part == "impact" else self.likelihood

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, saved beside the mapping."""
        return {"impact": self.impact.to_dict(), "likelihood": self.likelihood.to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScaleMap:
        return cls(Scale.from_dict(data["impact"]), Scale.from_dict(data["likelihood"]))


@dataclass(frozen=True)
class Level:
    """The result of reading one impact or likelihood cell.

    Attributes:
        level: the riskdesk level 1–5, or None when the cell cannot be read.
        source: the number as the source gave it (for checking a stated score), or None for words.
        problem: why the cell could not be read, or what was changed; None when exact.
        severity: "error" when ``level`` is None, "warning" when the value was rounded.
    """

    level: int | None
    source: float | None = None
    problem: str | None = None
    severity: Literal["error", "warning"] = "error"


_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:[-–—:.)=]|\s)\s*[A-Za-z]")  # "4 - Major", "3) Possible"
_TRAILING_NUMBER = re.compile(r"^[A-Za-z][A-Za-z \-]*\(\s*(\d+(?:\.\d+)?)\s*\)\s*$")  # "Major (4)"


def read_level(value: object, scale: Scale, *, what: str) -> Level:
    """Translate one cell onto a level 1–5 with the scale's tables.

    Args:
        value: the cell: a number, a numeric string, a word, or "4 - Major".
        scale: the source scale for this dimension.
        what: "impact" or "likelihood", for the messages.
    """
    number: float | None = None
    a = "an" if what[:1] in "aeiou" else "a"
    if isinstance(value, bool):
        return Level(None, problem=f"is TRUE/FALSE, not {a} {what}")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if _NUMBER.match(text):
            number = float(text)
        else:
            m = _LEADING_NUMBER.match(text) or _TRAILING_NUMBER.match(text)
            if m:
                number = float(m.group(1))
            else:
                level = scale.word_level(text)
                if level is not None:
                    return Level(level)
                known = ", ".join(w for w, _ in scale.words[:5])
                hint = f" (words riskdesk knows for {what}: {known}…)" if known else ""
                return Level(None, problem=f"is text, not {a} {what} riskdesk can read{hint}")
    else:
        return Level(None, problem=f"is not a number or a word riskdesk can read as {a} {what}")
    top = scale.maximum
    if number < 1 or number > top:
        return Level(None, number, f"is outside the {what} scale of 1 to {top}")
    rounded_note = None
    whole = number
    if not number.is_integer():
        if scale.fractions == "error":
            return Level(None, number, f"is not a whole number; {what} must be a whole number from 1 to {top}")
        whole = float(_round_half_up(number))
        rounded_note = f"is not a whole number; riskdesk rounds halves up, so it is read as {int(whole)}"
    level = scale.table.get(int(whole))
    if level is None:
        return Level(None, number, f"has no entry in the {what} scale table")
    if rounded_note:
        if level != int(whole):
            rounded_note += f" (level {level} on riskdesk's 1 to 5 scale)"
        return Level(level, number, rounded_note, "warning")
    return Level(level, number)


def propose_scales(impact_values: Iterable[object], likelihood_values: Iterable[object]) -> ScaleMap:
    """Propose scales from the values a source actually uses, for the user to confirm.

    The numeric range is 1–5 unless a larger whole number occurs (then 1–10 when nothing
    exceeds 10, else the largest value). Words are matched against the known word scales
    (:data:`IMPACT_WORD_SCALES`, :data:`LIKELIHOOD_WORD_SCALES`): a five-step scale holding
    every word seen decides the table, else the shortest scale that does, so "Minor/Serious/Major" is read as a three-step scale
    (1, 3, 5) rather than as two words from the five-step one. A 1–4 or 1–3 numeric scale
    cannot be told from a 1–5 scale that happens not to use 5, so the wizard must ask.
    """
    return ScaleMap(
        _propose(impact_values, IMPACT_WORD_SCALES, DEFAULT_IMPACT_WORDS),
        _propose(likelihood_values, LIKELIHOOD_WORD_SCALES, DEFAULT_LIKELIHOOD_WORDS),
    )


def _propose(values: Iterable[object], known: tuple[tuple[str, ...], ...], default_words: tuple) -> Scale:
    biggest = 0.0
    words = set()
    for value in values:
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            biggest = max(biggest, float(value))
        elif isinstance(value, str) and value.strip():
            text = value.strip()
            if _NUMBER.match(text):
                biggest = max(biggest, float(text))
            elif not (_LEADING_NUMBER.match(text) or _TRAILING_NUMBER.match(text)):
                words.add(_word_key(text))
    maximum = 5 if biggest <= 5 else (10 if biggest <= 10 else math.ceil(biggest))
    word_pairs = default_words
    if words:
        fitting = [scale for scale in known if words <= {_word_key(w) for w in scale}]
        # A five-step scale wins (it needs no spreading); otherwise the shortest scale that
        # holds every word, so "Minor/Serious/Major" is not read as the first three of four.
        fitting.sort(key=lambda scale: (len(scale) != 5, len(scale)))
        if fitting:
            word_pairs = word_table(fitting[0])
    return Scale(maximum=maximum, words=word_pairs)
