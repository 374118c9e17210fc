"""The "Other scoring lines" cell: a risk's extra scoring lines written as text, and read back.

Most risks have one scoring line (the headline current and target score, exported in the score
columns). A risk scored per department group (7.2 in the published register) has more; each
extra line is one line of text in the cell, in order (positions 2, 3, …)::

    E&T: 5×4 → 3×3 (note: Decreased from 20)
    5×4 → no target
    4×5 → 3×3

That is ``[label: ]impact×likelihood → impact×likelihood[ (note: note)]``: the label and its
": " are left out when the line has no label, "no target" stands for a line without a target,
and the note part is left out when there is no note.

So that every character of a label or note comes back exactly, a few characters are written with
a backslash before them, and the reader removes it again:

* in labels and notes: a backslash as ``\\\\`` and a line break as ``\\n``;
* in labels only: ``:``, ``→`` and ``>`` (which would otherwise end the label or start the
  arrow) as ``\\:``, ``\\→`` and ``\\>``.

A note needs no more than that: it is the last thing on its line and runs from "(note: " to the
final ")", so it may hold colons, arrows and brackets as typed.

People editing the file by hand may also write ``x``, ``X`` or ``*`` for ``×``, ``->`` for ``→``,
and spaces around them; those read the same. Levels are riskdesk's own, whole numbers 1 to 5.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import Score, check_level
from riskdesk.domain.snapshot import ScoreLine

#: How many characters riskdesk keeps in a line's label or note (and the headline note and the
#: direction words): the database columns are this wide.
MAX_LINE_TEXT = 200

FORMAT_HINT = "write each line as “label: impact×likelihood → impact×likelihood (note: …)”, e.g. “E&T: 5×4 → 3×3”"
_LABEL_SPECIALS = {"\\": "\\\\", "\n": "\\n", ":": "\\:", "→": "\\→", ">": "\\>"}
_NOTE_SPECIALS = {"\\": "\\\\", "\n": "\\n"}
_PAIR = re.compile(r"^\s*(?P<i>[^\s×xX*]+)\s*[×xX*]\s*(?P<l>[^\s×xX*]+)\s*$")
_NO_TARGET = re.compile(r"^\s*(?:no target|none|-|—)\s*$", re.IGNORECASE)
_NOTE_MARK = "(note:"


@dataclass(frozen=True)
class LineProblem:
    """Why one line of the cell cannot be read.

    Attributes:
        number: the line's number within the cell (1-based, blank lines not counted).
        text: the line as written.
        reason: what is wrong and what to do, in plain words.
    """

    number: int
    text: str
    reason: str


def _escape(text: str, specials: dict[str, str]) -> str:
    return "".join(specials.get(ch, ch) for ch in text.replace("\r\n", "\n").replace("\r", "\n"))


def _unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _score_text(score: Score) -> str:
    return f"{score.impact}×{score.likelihood}"


def format_line(line: ScoreLine) -> str:
    """One extra scoring line as text (see the module docs)."""
    label = f"{_escape(line.label, _LABEL_SPECIALS)}: " if line.label else ""
    target = _score_text(line.target) if line.target is not None else "no target"
    note = f" {_NOTE_MARK} {_escape(line.note, _NOTE_SPECIALS)})" if line.note else ""
    return f"{label}{_score_text(line.current)} → {target}{note}"


def format_lines(lines: Sequence[ScoreLine]) -> str:
    """The extra scoring lines (positions 2…n) as the cell text, one per line; "" when none."""
    return "\n".join(format_line(line) for line in lines)


def _first_unescaped(text: str, wanted: tuple[str, ...]) -> tuple[int, str] | None:
    """(index, which) of the first of ``wanted`` not preceded by a backslash escape."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        for w in wanted:
            if text.startswith(w, i):
                return i, w
        i += 1
    return None


def _score(text: str, what: str) -> Score:
    m = _PAIR.match(text)
    if not m:
        shown = text.strip()
        if not shown:
            raise ValueError(f"has no {what} score; {FORMAT_HINT}")
        raise ValueError(f"the {what} score “{shown}” is not written as impact×likelihood (e.g. 5×4); {FORMAT_HINT}")
    try:
        return Score(check_level(f"{what} impact", m.group("i")), check_level(f"{what} likelihood", m.group("l")))
    except ValidationError as exc:
        raise ValueError(f"the {exc.field} “{exc.value}” {exc.reason}") from None


def parse_line(text: str) -> ScoreLine:
    """Read one line written by :func:`format_line` (or typed in that form).

    Raises:
        ValueError: the line is not in that form; the message says what is wrong.
    """
    arrow = _first_unescaped(text, ("→", "->"))
    if arrow is None:
        raise ValueError(f"has no “→” between the current and the target score; {FORMAT_HINT} "
                         "(“→ no target” when there is none)")
    at, mark = arrow
    left, right = text[:at], text[at + len(mark):]
    label = ""
    colon = _first_unescaped(left, (":",))
    if colon is not None:
        label = _unescape(left[: colon[0]])
        left = left[colon[0] + 1:]
        left = left[1:] if left.startswith(" ") else left
    note = ""
    mark_at = right.find(_NOTE_MARK)
    if mark_at >= 0:
        if not right.endswith(")"):
            raise ValueError("has a note that does not end with “)”; write it as “(note: …)” at the end of the line")
        raw_note = right[mark_at + len(_NOTE_MARK) : -1]
        note = _unescape(raw_note[1:] if raw_note.startswith(" ") else raw_note)
        right = right[:mark_at]
        right = right[:-1] if right.endswith(" ") else right
    current = _score(left, "current")
    target = None if _NO_TARGET.match(right) else _score(right, "target")
    for what, value in (("label", label), ("note", note)):
        if len(value) > MAX_LINE_TEXT:
            raise ValueError(f"has a {what} of {len(value)} characters; riskdesk keeps at most {MAX_LINE_TEXT}")
    return ScoreLine(current, target, label, note)


def parse_lines(text: str) -> tuple[tuple[ScoreLine, ...], tuple[LineProblem, ...]]:
    """Read the whole cell: (the lines that read, a problem for each line that did not).

    Blank lines are passed over. Line breaks may be \\n, \\r\\n or \\r.
    """
    lines: list[ScoreLine] = []
    problems: list[LineProblem] = []
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    number = 0
    for line in raw:
        if not line.strip():
            continue
        number += 1
        try:
            lines.append(parse_line(line))
        except ValueError as exc:
            problems.append(LineProblem(number, line, str(exc)))
    return tuple(lines), tuple(problems)
