"""Find the header row(s) of a sheet and map its columns onto riskdesk's fields.

A mapping names source columns by their *header text*, not by position, so a mapping saved
for last quarter's file still fits when the council inserts a column this quarter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from riskdesk.io.readers import Cell, CellRange, Grid
from riskdesk.io.readers import column_letter as column_letter

#: Every field a source column can feed. ``ignore`` drops the column.
FIELDS: tuple[str, ...] = (
    "ref",
    "description",
    "effects",
    "category",
    "departments",
    "owner",
    "current_impact",
    "current_likelihood",
    "current_score",
    "target_impact",
    "target_likelihood",
    "target_score",
    "inherent_impact",
    "inherent_likelihood",
    "inherent_score",
    "score_note",
    "other_lines",
    "direction",
    "direction_text",
    "update",
    "mitigation",
    "actions",
    "comments",
    "ignore",
)

#: Fields several source columns may feed; their texts are joined (see :func:`join_texts`).
MULTI_FIELDS = frozenset({"effects", "update", "mitigation", "actions", "comments", "ignore"})

SCORE_SETS = ("current", "target", "inherent")
SCORE_PARTS = ("impact", "likelihood", "score")

#: Cells that mean "nothing here". Compared after stripping and lower-casing.
PLACEHOLDERS = frozenset({"-", "--", "---", "—", "–", "n/a", "na", "n.a.", "n/k", "tbc", "none", "nil", "?", "."})

#: Headers of columns the exporter adds when a text is longer than one Excel cell holds.
CONTINUATION = re.compile(r"^(?P<base>.+?) \(continued (?P<n>\d+)\)$")


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: The longest placeholder. Lower-casing never shortens a text (each character becomes one or
#: more), so a longer text is none of them and is not lower-cased (an update runs to pages).
_PLACEHOLDER_LENGTH = max(map(len, PLACEHOLDERS))


def is_placeholder(value: Cell) -> bool:
    return isinstance(value, str) and is_placeholder_text(value.strip())


def is_placeholder_text(text: str) -> bool:
    """Whether ``text``, already stripped, is a placeholder ("-", "n/a", "—" …)."""
    return len(text) <= _PLACEHOLDER_LENGTH and text.lower() in PLACEHOLDERS


def cell_text(value: Cell) -> str:
    """A cell as the text a person sees (dates as dd/mm/yyyy, whole numbers without ".0")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


# -- header rows --------------------------------------------------------------------------------


def _is_texty(value: Cell) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or is_placeholder(text):
        return False
    try:
        float(text.replace(",", ""))
    except ValueError:
        return True
    return False


def _filled(row: Sequence[Cell]) -> int:
    return sum(1 for v in row if not is_blank(v))


def detect_header_rows(grid: Grid, *, search: int = 30) -> tuple[int, int]:
    """Find the header row(s): ``(index of the first header row in the grid, 1 or 2)``.

    The header is the first row, after any title rows, that has at least two cells, mostly text,
    and is at least half as wide as the widest row nearby (a title row has one wide cell; a
    "Prepared by" line has two narrow ones). A second header row is taken when the first looks
    like a banner over groups: it leaves a gap where the row below has a short text label and
    the row below is all short text (no numbers, as a data row would have).

    Args:
        grid: the raw grid.
        search: how many rows from the top to consider.

    Returns:
        ``(start, count)`` with ``start`` 0-based (Excel row ``start + 1``).
    """
    top = grid[:search]
    widest = max((_filled(r) for r in top), default=0)
    start = 0
    for i, row in enumerate(top):
        filled = _filled(row)
        if filled < 2 or filled < widest / 2:
            continue
        texty = sum(1 for v in row if _is_texty(v))
        if texty / filled >= 0.6:
            start = i
            break
    else:
        return (0, 1) if grid else (0, 0)
    if start + 1 < len(grid) and _looks_like_banner(grid[start], grid[start + 1]):
        return start, 2
    return start, 1


def _looks_like_banner(first: Sequence[Cell], second: Sequence[Cell]) -> bool:
    if not second:
        return False
    labels = [v for v in second if not is_blank(v)]
    if not labels or not all(_is_texty(v) and len(str(v).strip()) <= 60 for v in labels):
        return False
    gaps = sum(
        1
        for j, v in enumerate(second)
        if not is_blank(v) and (j >= len(first) or is_blank(first[j]))
    )
    return gaps > 0 and _filled(second) >= 2


def header_names(
    grid: Grid, start: int, count: int, merges: Sequence[CellRange] = ()
) -> list[str]:
    """The column names for header rows ``start .. start+count-1`` (0-based), unique and non-empty.

    With two header rows the first is a banner over groups of columns: each name becomes
    "banner - field" ("Current risk - Impact"). Where the file records merged cells the banner
    spreads exactly over its merged range; otherwise (CSV, .xls, .ods) a banner spreads right
    over blank banner cells while the row below has labels, and stops at a banner that has no
    label below it (a heading merged down over both rows, like "Reference").

    Empty names become "Column C" (by letter) and repeated names get " (2)", " (3)"… so that a
    mapping can name every column.
    """
    width = max((len(grid[i]) for i in range(start, min(start + count, len(grid)))), default=0)

    def text(row: int, col: int) -> str:
        if row >= len(grid) or col >= len(grid[row]):
            return ""
        return " ".join(cell_text(grid[row][col]).split())

    if count <= 1:
        raw = [text(start, j) for j in range(width)]
    else:
        banner = [text(start, j) for j in range(width)]
        fields = [text(start + 1, j) for j in range(width)]
        covered = set()
        for r0, c0, r1, c1 in merges:
            if r0 == start and r1 == start:  # merged across the banner row only
                for j in range(c0 + 1, min(c1, width - 1) + 1):
                    banner[j] = banner[c0]
                    covered.add(j)
        if not merges:
            carry = ""
            for j in range(width):
                if banner[j]:
                    carry = banner[j] if fields[j] else ""
                elif fields[j] and carry:
                    banner[j] = carry
        raw = []
        for b, f in zip(banner, fields, strict=True):
            if b and f and b.lower() != f.lower():
                raw.append(f"{b} - {f}")
            else:
                raw.append(b or f)
    names: list[str] = []
    seen: dict[str, int] = {}
    for j, name in enumerate(raw):
        name = name or f"Column {column_letter(j)}"
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        names.append(name)
    return names


# -- mapping ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportMapping:
    """Which source column feeds which riskdesk field, plus how to read the sheet.

    Attributes:
        columns: ``(source header, field)`` pairs in source order; fields are from
            :data:`FIELDS`. A header not listed is ignored.
        name: the name the user saved it under ("Fenland CRR").
        sheet: the sheet to read; None means the first sheet with data.
        header_rows: ``(first header row as numbered in Excel, number of header rows)``;
            None means detect them.
        impact_first: the source lists impact before likelihood. Used where the order is not
            named: a score cell written as a pair ("4 x 3", "4/3") and unnamed score columns
            under a banner.
        trust_impact_likelihood: when a stated score disagrees with impact × likelihood, use
            impact × likelihood with a warning instead of stopping with an error.
        confirmed: source headers whose field a person chose or confirmed (``--map``, the wizard,
            a saved mapping). A guessed field that the column's values contradict (scale words
            as the description, text as a score) is refused; a confirmed one is the user's call.
    """

    columns: tuple[tuple[str, str], ...] = ()
    name: str = ""
    sheet: str | None = None
    header_rows: tuple[int, int] | None = None
    impact_first: bool = True
    trust_impact_likelihood: bool = False
    version: int = field(default=1, compare=False)
    confirmed: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        bad = [f for _, f in self.columns if f not in FIELDS]
        if bad:
            raise ValueError(f"unknown riskdesk field(s) in mapping: {', '.join(bad)}")
        singles = [f for _, f in self.columns if f not in MULTI_FIELDS]
        twice = sorted({f for f in singles if singles.count(f) > 1})
        if twice:
            raise ValueError(f"only one column may feed each of: {', '.join(twice)}")

    def field_of(self, header: str) -> str:
        """The field a source column feeds ("ignore" when not mapped)."""
        for h, f in self.columns:
            if h == header:
                return f
        return "ignore"

    def sources(self, field_name: str) -> tuple[str, ...]:
        """The source headers feeding ``field_name``, in source order."""
        return tuple(h for h, f in self.columns if f == field_name)

    def with_column(self, header: str, field_name: str) -> ImportMapping:
        """A copy with ``header`` feeding ``field_name`` (another column feeding a single field is set to ignore)."""
        columns = []
        found = False
        for h, f in self.columns:
            if h == header:
                columns.append((h, field_name))
                found = True
            elif f == field_name and field_name not in MULTI_FIELDS:
                columns.append((h, "ignore"))
            else:
                columns.append((h, f))
        if not found:
            columns.append((header, field_name))
        return replace(self, columns=tuple(columns), confirmed=self.confirmed | {header})

    def confirm_all(self) -> ImportMapping:
        """A copy in which every column's field counts as chosen by the user (the wizard's "these are right")."""
        return replace(self, confirmed=frozenset(h for h, _ in self.columns))

    def with_score_sets(self, assignment: Mapping[str, str | None]) -> ImportMapping:
        """A copy where the score sets are re-labelled, e.g. ``{"target": "inherent"}``.

        A value of None drops that set (its columns become ``ignore``). Sets not named keep
        their role. This is how the wizard lets the user say which set is current, which is
        target and which is history.
        """
        columns = []
        for h, f in self.columns:
            prefix, _, part = f.partition("_")
            if prefix in SCORE_SETS and part in SCORE_PARTS and prefix in assignment:
                new = assignment[prefix]
                columns.append((h, f"{new}_{part}" if new else "ignore"))
            else:
                columns.append((h, f))
        return replace(self, columns=tuple(columns))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for saving the mapping by name."""
        return {
            "version": 1,
            "name": self.name,
            "sheet": self.sheet,
            "header_rows": list(self.header_rows) if self.header_rows else None,
            "impact_first": self.impact_first,
            "trust_impact_likelihood": self.trust_impact_likelihood,
            "columns": [{"source": h, "field": f} for h, f in self.columns],
            "confirmed": sorted(self.confirmed),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportMapping:
        """Rebuild a mapping saved with :meth:`to_dict`."""
        header_rows = data.get("header_rows")
        columns = tuple((str(c["source"]), str(c["field"])) for c in data.get("columns", ()))
        # Mappings saved before riskdesk kept this were saved by a person: every column counts as confirmed.
        confirmed = data.get("confirmed")
        return cls(
            columns=columns,
            name=str(data.get("name", "")),
            sheet=data.get("sheet"),
            header_rows=(int(header_rows[0]), int(header_rows[1])) if header_rows else None,
            impact_first=bool(data.get("impact_first", True)),
            trust_impact_likelihood=bool(data.get("trust_impact_likelihood", False)),
            confirmed=frozenset(str(h) for h in confirmed) if confirmed is not None else frozenset(h for h, _ in columns),
        )


# -- guessing ------------------------------------------------------------------------------------

_SET_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "inherent",
        (
            "risk if no action", "inherent", "gross", "original", "before control", "before mitigation",
            "pre mitigation", "pre-mitigation", "unmitigated", "uncontrolled", "raw risk", "initial",
        ),
    ),
    ("target", ("target", "tolerable", "desired", "planned", "future", "forecast", "aim")),
    (
        "current",
        ("current", "residual", "net", "after control", "after mitigation", "post mitigation",
         "post-mitigation", "controlled", "mitigated", "revised", "present", "actual"),
    ),
)
_PART_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("impact", re.compile(r"\b(impact|severity|consequence|magnitude|i)\b")),
    ("likelihood", re.compile(r"\b(likelihood|probability|likeliness|chance|l|p)\b")),
    ("score", re.compile(r"\b(score|rating|total|overall|rag|level|i\s*x\s*l|l\s*x\s*i)\b")),
)
# riskdesk's own columns for what a score line and a direction carry besides the scores, tried
# before anything else ("Score note" is not a score; "Direction words" is not a direction).
_OWN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("score_note", re.compile(r"^(current |headline )?(score|scoring) notes?$")),
    ("other_lines", re.compile(r"^((other|extra|additional|further) )?(score|scoring) lines$")),
    ("direction_text", re.compile(r"^direction (of travel )?(words|wording|text)$")),
)
# Non-score fields, tried in order: earlier patterns win ("Comments and progress of actions" is
# an update, not comments or actions; "Risk and effects" is the description, not effects).
_FIELD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("direction", re.compile(r"\b(direction|travel|trend|movement)\b")),
    ("owner", re.compile(r"\b(owner|owners|responsible|lead officer|accountable|officer)\b")),
    ("ref", re.compile(r"^(risk )?(ref|reference|ref no|id|no|number|nr|#|risk no|risk number|risk id|crr risk no)\b")),
    ("ref", re.compile(r"\b(ref|reference|risk no|risk number|risk id)\b")),
    ("description", re.compile(r"\brisk\b.*\beffects?\b")),
    ("update", re.compile(r"\b(update|updates|progress|latest position|position statement|commentary|status)\b")),
    ("mitigation", re.compile(r"\b(mitigation|mitigations|mitigating|controls?|existing measures)\b")),
    ("actions", re.compile(r"\b(actions?|action plan|further measures)\b")),
    ("comments", re.compile(r"\b(comments?|notes?|remarks?)\b")),
    ("effects", re.compile(r"\b(effects?|consequences|implications)\b")),
    # Not "priority" alone: a "Risk Priority (low, med, high)" column is a band, not a heading.
    ("category", re.compile(r"\b(category|theme|type|classification|corporate objective|corporate priority)\b")),
    ("departments", re.compile(r"\b(dept|depts|department|departments|directorate|directorates|service|service area|function|portfolio)\b")),
    ("description", re.compile(r"\b(description|risk|title|event|issue|threat|cause)\b")),
)


def _norm(header: str) -> str:
    text = header.lower().replace("&", " and ").replace("_", " ")
    text = re.sub(r"[^\w#/\-]+", " ", text)
    return " ".join(text.split())


def _score_field(norm: str, has_part: str | None) -> tuple[str | None, str | None]:
    """(score set or None, part or None) named by a header."""
    found_set = None
    for name, words in _SET_WORDS:
        if any(re.search(rf"(^|\b){re.escape(w)}\b", norm) for w in words):
            found_set = name
            break
    return found_set, has_part


def _part_of(norm: str) -> str | None:
    hits = [part for part, pattern in _PART_PATTERNS if pattern.search(norm)]
    if len(hits) == 1:
        return hits[0]
    if "score" in hits and len(hits) > 1:
        # "Risk score (impact x likelihood)" is a score; "Impact score" is an impact.
        first = min(hits, key=lambda p: dict(_PART_PATTERNS)[p].search(norm).start())  # type: ignore[union-attr]
        return first if re.search(r"\(|\bx\b", norm) is None else "score"
    return None


def guess_mapping(
    headers: Sequence[str],
    *,
    name: str = "",
    impact_first: bool = True,
    samples: Mapping[str, Sequence[Cell]] | None = None,
) -> ImportMapping:
    """Propose a mapping from header names alone, for the user to confirm.

    Score columns are recognised by a set word (current/residual/net, target, inherent/gross/
    "risk if no action"…) and a part word (impact, likelihood, score). A part with no set word
    is current. A header naming a set but no part ("Current Risk Score (Impact, Likelihood, Risk
    Score)") followed by unnamed columns takes impact, likelihood, score in ``impact_first``
    order. Continuation columns written by the exporter ("Update (continued 2)") are left out:
    the importer re-joins them with their first column by itself.

    Args:
        headers: the column names from :func:`header_names`.
        name: a name for the mapping.
        impact_first: the source lists impact before likelihood.
        samples: the data cells of each column, when known. Where two columns both name an
            impact (or likelihood), the one whose cells are numbers or scale words is taken: a
            York-style file's text "Impact" column describes the impact, "Impact (1-10)" scores it;
            of two score columns, the one whose header states its scale ("(1-10)") is taken.

    Returns:
        A mapping in source order; a field matched twice keeps its first column and the
        later one is ignored.
    """
    base_headers = set(headers)
    taken: set[str] = set()
    columns: list[tuple[str, str]] = []
    order = ("impact", "likelihood", "score") if impact_first else ("likelihood", "impact", "score")
    pending: list[str] = []  # parts still to hand out to unnamed columns after a group header
    pending_set = "current"
    for header in headers:
        m = CONTINUATION.match(header)
        if m and m.group("base") in base_headers:
            continue
        norm = _norm(header)
        if re.fullmatch(r"column [a-z]+|unnamed \d+", norm) and pending:
            chosen = f"{pending_set}_{pending.pop(0)}"
            columns.append((header, chosen if chosen not in taken else "ignore"))
            taken.add(chosen)
            continue
        pending = []
        chosen = _guess_one(norm, taken)
        if chosen is None:
            set_name, _ = _score_field(norm, None)
            if set_name and re.search(r"\b(risk|score|rating)\b", norm):
                # a group header over unnamed columns; it is the first of them
                pending = list(order)
                pending_set = set_name
                chosen = f"{set_name}_{pending.pop(0)}"
            else:
                chosen = "ignore"
        if chosen in taken and chosen not in MULTI_FIELDS:
            chosen = "ignore"
        taken.add(chosen)
        columns.append((header, chosen))
    if samples:
        columns = _prefer_scored_columns(columns, samples)
    return ImportMapping(columns=tuple(columns), name=name, impact_first=impact_first)


_LEVEL_TEXT = re.compile(r"^\s*\d+(?:\.\d+)?\s*(?:$|[-–—:.)=]|\s+[A-Za-z])|\(\s*\d+(?:\.\d+)?\s*\)\s*$")


def _readable_share(values: Sequence[Cell]) -> float:
    """Share of non-empty cells that are numbers, "4 - Major", or a known scale word."""
    from riskdesk.io.scales import IMPACT_WORD_SCALES, LIKELIHOOD_WORD_SCALES

    known = {w for scale in (*IMPACT_WORD_SCALES, *LIKELIHOOD_WORD_SCALES) for w in scale} | {"med", "h", "m", "l"}
    filled = [v for v in values if not is_blank(v)]
    if not filled:
        return 1.0
    ok = 0
    for v in filled:
        if (isinstance(v, int | float) and not isinstance(v, bool)) or (isinstance(v, str) and (_LEVEL_TEXT.match(v) or " ".join(v.lower().split()) in known)):
            ok += 1
    return ok / len(filled)


def _prefer_scored_columns(
    columns: list[tuple[str, str]], samples: Mapping[str, Sequence[Cell]]
) -> list[tuple[str, str]]:
    """Give each impact/likelihood field to a column that holds scores, not prose, when there is one."""
    out = list(columns)
    for i, (header, field_name) in enumerate(out):
        set_name, _, part = field_name.partition("_")
        if set_name not in SCORE_SETS or part not in ("impact", "likelihood"):
            continue
        from riskdesk.io.scales import scale_in_header

        readable = _readable_share(samples.get(header, ())) >= 0.5
        if readable and scale_in_header(header):
            continue
        for k, (other, other_field) in enumerate(out):
            if other_field != "ignore" or _guess_one(_norm(other), set()) != field_name:
                continue
            if not any(not is_blank(v) for v in samples.get(other, ())):
                continue
            if _readable_share(samples.get(other, ())) >= 0.5 and (not readable or scale_in_header(other)):
                # Prose loses to scores; of two score columns, the one whose header states its scale wins.
                out[i], out[k] = (header, "ignore"), (other, field_name)
                break
    return out


def _guess_one(norm: str, taken: set[str]) -> str | None:
    for field_name, pattern in _OWN_PATTERNS:
        if pattern.search(norm) and field_name not in taken:
            return field_name
    part = _part_of(norm)
    if part and not re.search(r"\b(description|owner|update|comments?|effects?)\b", norm):
        set_name, _ = _score_field(norm, part)
        return f"{set_name or 'current'}_{part}"
    for field_name, pattern in _FIELD_PATTERNS:
        if pattern.search(norm):
            if field_name in taken and field_name not in MULTI_FIELDS:
                continue
            return field_name
    return None


def parse_map_option(text: str) -> tuple[str, str]:
    """Read ``--map "Impact (1-10)=current impact"`` as ``("Impact (1-10)", "current_impact")``.

    Raises:
        ValueError: worded for the user: the form expected, or the fields riskdesk knows.
    """
    header, sep, name = (text or "").rpartition("=")
    header = " ".join(header.split())
    field_name = "_".join(name.lower().replace("-", " ").split())
    if not sep or not header or not field_name:
        raise ValueError(f"“{text}” is not a column mapping; write it as \"HEADER=FIELD\", "
                         "for example --map \"Impact (1-10)=current impact\"")
    if field_name not in FIELDS:
        known = ", ".join(f.replace("_", " ") for f in FIELDS)
        raise ValueError(f"“{name.strip()}” is not a riskdesk field; the fields are: {known}")
    return header, field_name


# -- texts ----------------------------------------------------------------------------------------


def join_texts(parts: Iterable[tuple[str, str]], *, headings: bool) -> str:
    """Join texts from several source columns that feed one field.

    Each text keeps its own line breaks; texts are separated by a blank line. With
    ``headings`` each is introduced by its source header on a line of its own ("Progress:"),
    so nobody reading the merged update has to guess which column a paragraph came from. Empty
    texts are left out together with their heading.
    """
    chunks = []
    for header, text in parts:
        if not text:
            continue
        chunks.append(f"{header}:\n{text}" if headings else text)
    return "\n\n".join(chunks)
