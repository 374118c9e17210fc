"""Translate a source register's impact and likelihood values onto riskdesk's 1–5 levels.

A :class:`ScaleMap` holds one :class:`Scale` for impact and one for likelihood. Each scale has
a numeric range (1–5, 1–10, 1–4, 1–3…) with a table from source number to level, and a word
table ("almost certain" → 5). The wizard shows the proposal from :func:`propose_scales` and
the user confirms or edits the tables; nothing is translated behind their back.

The numeric range is never inferred from the values: a 1–5 register with one impact mistyped
as 7 is a 1–5 register with one error, not a 1–10 register. The range is 1–5 unless the column
header states another ("Impact (1-10)"), a saved mapping holds one, or the user chooses one
(``--scale impact=1-10``, the wizard's scale page). Each :class:`Scale` says why in ``why``.

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


#: The longest numeric scale riskdesk accepts (1–100 covers every published register); a scale
#: table has one entry per value, so the cap also bounds memory.
MAX_SCALE = 100
#: Why a range is 1–5 when nothing says otherwise.
DEFAULT_WHY = "riskdesk's own 1 to 5 (neither the header nor you gave another scale)"


def spread(n: int) -> dict[int, int]:
    """Default table for a 1–n scale onto 1–5.

    1–5 is kept as is. A longer scale (1–10) is halved and rounded up, ``ceil(x × 5 / n)``, so
    1–2 → 1 … 9–10 → 5. A shorter scale (1–3, 1–4) is spread evenly from 1 to 5 and rounded
    half up: 1–3 → 1, 3, 5 and 1–4 → 1, 2, 4, 5.
    """
    if n < 2:
        raise ValueError("a scale needs at least two levels")
    if n > MAX_SCALE:
        raise ValueError(f"a scale has at most {MAX_SCALE} levels")
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
        why: why riskdesk reads this range ("riskdesk's own 1–5: …", "the header says 1–10",
            "chosen by you"), shown in the dry run and the wizard.
    """

    maximum: int = 5
    numbers: tuple[tuple[int, int], ...] = ()
    words: tuple[tuple[str, int], ...] = ()
    fractions: Literal["round", "error"] = "round"
    why: str = field(default="", compare=False)
    _word_index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 2 <= self.maximum <= MAX_SCALE:
            raise ValueError(f"a scale runs from 1 to between 2 and {MAX_SCALE}, not to {self.maximum}")
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
            "why": self.why,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scale:
        maximum = int(data.get("maximum", 5))
        if not 2 <= maximum <= MAX_SCALE:
            # Older riskdesk proposed a scale from the largest value seen (an impact typed as
            # 10000000 made a 1–10,000,000 scale); such a saved scale is read as 1–5, and says so.
            return cls(maximum=5, words=tuple((str(w), int(lvl)) for w, lvl in data.get("words", ())),
                       fractions=data.get("fractions", "round"),
                       why=f"the saved scale of 1 to {maximum:,} is not one riskdesk reads; 1 to 5 is used instead "
                       "(choose another with --scale or in the wizard)")
        return cls(
            maximum=maximum,
            numbers=tuple((int(a), int(b)) for a, b in data.get("numbers", ())),
            words=tuple((str(w), int(lvl)) for w, lvl in data.get("words", ())),
            fractions=data.get("fractions", "round"),
            why=str(data.get("why", "")),
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

    def with_range(self, part: str, maximum: int, why: str = "chosen by you") -> ScaleMap:
        """A copy where ``part`` ("impact" or "likelihood") runs 1 to ``maximum`` (default table, words kept)."""
        from dataclasses import replace

        scale = replace(self.for_part(part), maximum=maximum, numbers=(), why=why)
        return replace(self, **{part: scale})

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
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            number = math.inf
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
    if not math.isfinite(number):
        return Level(None, None, f"is not a number riskdesk can read as {a} {what} (the scale is 1 to {top})")
    if number < 1 or number > top:
        # Never a reason to rescale: the rest of the column says what the scale is.
        hint = (f"; if the whole column is on another scale, choose it (--scale {what.split()[-1]}=1-10, or the "
                "scale page of the import wizard); riskdesk never rescales a file by itself") if number > top else ""
        return Level(None, number if abs(number) < 1e15 else None,
                     f"is outside the {what} scale of 1 to {top} ({scale.why or DEFAULT_WHY}){hint}")
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


_HEADER_SCALE = re.compile(r"(?:\b1\s*(?:-|–|—|to)\s*|out of\s*|/\s*)(\d{1,3})\b", re.IGNORECASE)


def scale_in_header(header: str) -> int | None:
    """The top of a scale a header states: "Impact (1-10)" → 10, "Likelihood (1 to 4)" → 4, "out of 5" → 5."""
    m = _HEADER_SCALE.search(header or "")
    if not m:
        return None
    top = int(m.group(1))
    return top if 2 <= top <= MAX_SCALE else None


def parse_scale_option(text: str) -> tuple[str, int]:
    """Read ``--scale impact=1-10`` (or ``likelihood=1-4``, ``impact=10``) as ``("impact", 10)``.

    Raises:
        ValueError: worded for the user, naming what was given and what is expected.
    """
    m = re.fullmatch(r"\s*(impact|likelihood)\s*=\s*(?:1\s*(?:-|–|to)\s*)?(\d{1,9})\s*", text or "", re.IGNORECASE)
    if not m:
        raise ValueError(f"“{text}” is not a scale; write it as impact=1-10 or likelihood=1-4")
    top = int(m.group(2))
    if not 2 <= top <= MAX_SCALE:
        raise ValueError(f"“{text}”: a scale runs from 1 to between 2 and {MAX_SCALE}")
    return m.group(1).lower(), top


def propose_scales(
    impact_values: Iterable[object],
    likelihood_values: Iterable[object],
    *,
    impact_headers: Iterable[str] = (),
    likelihood_headers: Iterable[str] = (),
) -> ScaleMap:
    """Propose scales for the user to confirm: the numeric range, and the word table from the words used.

    The range is 1–5 unless a header states another ("Impact (1-10)"); it is never inferred
    from the values (see the module docs), so a stray 7 in a 1–5 column is an error on that
    cell. Words are matched against the known word scales (:data:`IMPACT_WORD_SCALES`,
    :data:`LIKELIHOOD_WORD_SCALES`): a five-step scale holding every word seen decides the table,
    else the shortest scale that does, so "Minor/Serious/Major" is read as a three-step scale
    (1, 3, 5) rather than as two words from the five-step one.
    """
    return ScaleMap(
        _propose(impact_values, impact_headers, IMPACT_WORD_SCALES, DEFAULT_IMPACT_WORDS),
        _propose(likelihood_values, likelihood_headers, LIKELIHOOD_WORD_SCALES, DEFAULT_LIKELIHOOD_WORDS),
    )


def _propose(values: Iterable[object], headers: Iterable[str], known: tuple[tuple[str, ...], ...],
             default_words: tuple) -> Scale:
    words = set()
    for value in values:
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if not (_NUMBER.match(text) or _LEADING_NUMBER.match(text) or _TRAILING_NUMBER.match(text)):
                words.add(_word_key(text))
    maximum, why = 5, DEFAULT_WHY
    for header in headers:
        top = scale_in_header(header)
        if top:
            maximum, why = top, f"the header “{header}” says 1 to {top}"
            break
    word_pairs = default_words
    if words:
        fitting = [scale for scale in known if words <= {_word_key(w) for w in scale}]
        # A five-step scale wins (it needs no spreading); otherwise the shortest scale that
        # holds every word, so "Minor/Serious/Major" is not read as the first three of four.
        fitting.sort(key=lambda scale: (len(scale) != 5, len(scale)))
        if fitting:
            word_pairs = word_table(fitting[0])
    return Scale(maximum=maximum, words=word_pairs, why=why)
