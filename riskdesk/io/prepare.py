"""Apply a mapping to a sheet: one :class:`ImportedRisk` per data row and every problem, named.

Nothing is written anywhere. The import service takes :attr:`PreparedImport.to_import` when
:attr:`PreparedImport.ok` is True and writes it in one transaction; the wizard shows
:attr:`PreparedImport.problems` beside the rows and lets the user skip rows or change the
mapping and prepare again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import DEFAULT_BANDS, Bands, Score
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.io.lines import MAX_LINE_TEXT, parse_lines
from riskdesk.io.mapping import (
    CONTINUATION,
    SCORE_PARTS,
    SCORE_SETS,
    ImportMapping,
    cell_text,
    detect_header_rows,
    header_names,
    is_blank,
    is_placeholder,
    is_placeholder_text,
    join_texts,
)
from riskdesk.io.readers import Cell, Grid, Sheet
from riskdesk.io.scales import Level, Scale, ScaleMap, propose_scales, read_level
from riskdesk.io.text import CONTROL, describe, has_control, visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one cell (or a whole row, or the mapping when ``row`` is a header row).

    Attributes:
        row: the row number as Excel shows it (1-based, header and title rows counted).
        column: the source column's header, or "" for the row as a whole.
        value: the cell as text ("" when empty).
        message: why, in plain words, usually with what to do about it.
        severity: "error" stops the import until fixed or the row is skipped; "warning" does not.
    """

    row: int
    column: str
    value: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", {self.column}" if self.column else "")
        shown = visible(self.value if len(self.value) <= 60 else self.value[:57] + "…")
        value = f"“{shown}” " if self.value else ""
        return f"{where}: {value}{self.message}"


@dataclass(frozen=True)
class ImportedRisk:
    """One risk read from a source row, ready for the import service.

    Attributes:
        row: source row number as the user sees it in Excel.
        ref: the reference as written ("1", "7.2").
        description: the risk text whole, line breaks kept; an effects column is appended.
        category: category as written, or "".
        departments: department codes (known ones in riskdesk's spelling).
        owners: owner names (known ones in riskdesk's spelling).
        current, target, inherent: the score sets, None where the source has none.
        current_stated_score, target_stated_score, inherent_stated_score: the score column as
            the source states it (for the audit trail), None where absent.
        direction: declared direction of travel, or None.
        update: the update text (several columns joined, see :func:`~riskdesk.io.mapping.join_texts`).
        mitigation, actions, comments: further texts, joined the same way.
        skip: the user chose not to import this row.
        note: the note printed under the headline current score ("Decreased from 20"), or "".
        lines: the extra scoring lines after the headline one (positions 2…n), in order, each
            with its label, target (or None) and note; () for a risk with one line.
        direction_text: the direction words as printed when they differ from the words riskdesk
            derives from the bands, or "" to use the derived words.
        current_raw: the current impact and likelihood as numbers the file wrote (None for a word),
            which an ignored "Risk Index" column is compared with.
        current_source, target_source, inherent_source: the score cells as the file gives them,
            kept with the assessment ("file: Impact 6.67 of 10, Likelihood 4 of 5, Score 26.68"),
            "" where the set is absent.
    """

    row: int
    ref: str
    description: str
    category: str = ""
    departments: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    current: Score | None = None
    target: Score | None = None
    inherent: Score | None = None
    current_stated_score: int | float | None = None
    target_stated_score: int | float | None = None
    inherent_stated_score: int | float | None = None
    direction: Direction | None = None
    update: str = ""
    mitigation: str = ""
    actions: str = ""
    comments: str = ""
    skip: bool = False
    note: str = ""
    lines: tuple[ScoreLine, ...] = ()
    direction_text: str = ""
    # Provenance, not content: two rows with the same scores are the same risk however the file wrote them.
    current_raw: tuple[float | None, float | None] = field(default=(None, None), compare=False)
    current_source: str = field(default="", compare=False)
    target_source: str = field(default="", compare=False)
    inherent_source: str = field(default="", compare=False)


@dataclass(frozen=True)
class ColumnScale:
    """How one mapped score column is read, for the dry run and the wizard's scale page.

    Attributes:
        header: the source column.
        field: the riskdesk field it feeds ("current_impact", "target_score"…).
        reading: the scale in words ("1 to 5", or for a score column what is done with it).
        why: why that scale ("the header “Impact (1-10)” says 1 to 10", "chosen by you"…).
        words: each word used in the column with the level it becomes, in order of first use.
        numbers: each number used that becomes a different level (a 1–10 scale's 7 → 4).
        outside: how many cells lie outside the scale (each is also a row error).
        cells: how many non-empty cells the column has.
    """

    header: str
    field: str
    reading: str
    why: str
    words: tuple[tuple[str, int], ...] = ()
    numbers: tuple[tuple[str, int], ...] = ()
    outside: int = 0
    cells: int = 0


@dataclass(frozen=True)
class IgnoredScoreColumn:
    """A column the mapping ignores that still carries a score or a band ("Risk Priority", "Risk Index").

    Attributes:
        header: the source column.
        kind: "band" (low/medium/high, red/amber/green) or "score" (numbers).
        cells: its non-empty cells.
        disagreements: ``(row, value in the file, what riskdesk computes)`` for each row where it
            contradicts the current score (for "score") or its band (for "band").
    """

    header: str
    kind: str
    cells: int
    disagreements: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class ProblemGroup:
    """Identical problems on many rows, shown once with a count (see :func:`summarise`)."""

    severity: Severity
    column: str
    message: str
    rows: tuple[int, ...]
    values: tuple[str, ...]  # the one value the grouped problems share

    def __str__(self) -> str:
        value = f"“{visible(self.values[0][:57])}” " if self.values and self.values[0] else ""
        where = f"{self.column}: " if self.column else ""
        if len(self.rows) == 1:
            return f"Row {self.rows[0]}, {where}{value}{self.message}" if self.column else (
                f"Row {self.rows[0]}: {value}{self.message}")
        shown = ", ".join(str(r) for r in self.rows[:8]) + (f" and {len(self.rows) - 8:,} more" if len(self.rows) > 8 else "")
        return f"{where}{value}{self.message} — {len(self.rows):,} rows ({shown})"


def summarise(problems: Iterable[RowProblem]) -> list[ProblemGroup]:
    """Group problems whose severity, column, value and message are the same, in order of first row.

    ``import --create-owners --create-departments`` once printed 30,000 identical lines; a
    repeating warning is now one line with its count and the first rows.
    """
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for p in problems:
        groups.setdefault((p.severity, p.column, p.message, p.value), []).append(p.row)
    return [ProblemGroup(sev, col, msg, tuple(rows), (value,))  # type: ignore[arg-type]
            for (sev, col, msg, value), rows in groups.items()]


@dataclass(frozen=True)
class PreparedImport:
    """The outcome of :func:`prepare_import`.

    Attributes:
        source_name: the file name, for audit entries ("imported from FILE, sheet S, row N").
        sheet_name: the sheet read.
        header_rows: ``(first header row as numbered in Excel, count)`` actually used.
        headers: the column names as the mapping sees them.
        rows: one risk per data row, skipped ones included with ``skip=True``.
        problems: every problem, in row order.
        new_departments: department codes not known to riskdesk (proposed for creation).
        unknown_owners: owner names not known to riskdesk.
        scales: how each mapped score column is read (scale, why, words and the levels they become).
        ignored_scores: ignored columns that carry scores or bands, with their disagreements.
        encoding, encoding_why: for a text file, the encoding read and why ("" for a workbook).
    """

    source_name: str
    sheet_name: str
    header_rows: tuple[int, int]
    headers: tuple[str, ...]
    rows: tuple[ImportedRisk, ...]
    problems: tuple[RowProblem, ...]
    new_departments: tuple[str, ...] = ()
    unknown_owners: tuple[str, ...] = ()
    _skipped: frozenset[int] = field(default=frozenset(), repr=False)
    scales: tuple[ColumnScale, ...] = ()
    ignored_scores: tuple[IgnoredScoreColumn, ...] = ()
    encoding: str = ""
    encoding_why: str = ""

    @property
    def skipped_rows(self) -> frozenset[int]:
        return self._skipped

    @property
    def errors(self) -> tuple[RowProblem, ...]:
        """Errors that still block the import (errors on skipped rows do not)."""
        return tuple(p for p in self.problems if p.severity == "error" and p.row not in self._skipped)

    @property
    def warnings(self) -> tuple[RowProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning" and p.row not in self._skipped)

    @property
    def ok(self) -> bool:
        """True when no error remains on a row that is to be imported (nor on the mapping)."""
        return not self.errors

    @property
    def to_import(self) -> tuple[ImportedRisk, ...]:
        return tuple(r for r in self.rows if not r.skip)

    def problems_for(self, row: int) -> tuple[RowProblem, ...]:
        return tuple(p for p in self.problems if p.row == row)

    def summary(self) -> list[ProblemGroup]:
        """The problems of rows not skipped, repeats grouped (see :func:`summarise`)."""
        return summarise(p for p in self.problems if p.row not in self._skipped)


_REQUIRED_TEXT = {"ref": "reference", "description": "risk description"}
#: The fields read as clean text, a placeholder read as empty (see _RowReader.read).
_TEXT_FIELDS = ("ref", "description", "effects", "category", "departments", "owner", "update", "mitigation",
                "actions", "comments")
_WORDS = {"impact": "impact", "likelihood": "likelihood", "score": "score"}
_OWNER_SPLIT = re.compile(r"\s*(?:/|&|,|;|\n|\band\b|\+)\s*", re.IGNORECASE)
_DEPT_SPLIT = re.compile(r"[,;/\n]+")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r\n]")
_PAIR = re.compile(
    r"^\s*(?P<a_tag>[IiLl])?\s*(?P<a>\d(?:\.\d+)?)\s*(?:x|×|\*|/|,)\s*(?P<b_tag>[IiLl])?\s*(?P<b>\d(?:\.\d+)?)\s*$"
)
_STATED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:$|[-–—:(]|\s+[A-Za-z])|\((\d+(?:\.\d+)?)\)\s*$")
_DIRECTION_WORDS = {
    "increasing": Direction.UP, "rising": Direction.UP, "worsening": Direction.UP, "higher": Direction.UP,
    "↗": Direction.UP, "⬆": Direction.UP,
    "decreasing": Direction.DOWN, "reducing": Direction.DOWN, "falling": Direction.DOWN,
    "improving": Direction.DOWN, "lower": Direction.DOWN, "↘": Direction.DOWN, "⬇": Direction.DOWN,
    "stable": Direction.LEVEL, "no change": Direction.LEVEL, "unchanged": Direction.LEVEL,
    "static": Direction.LEVEL, "constant": Direction.LEVEL, "→": Direction.LEVEL, "↔️": Direction.LEVEL,
    "⬌": Direction.LEVEL, "=": Direction.LEVEL,
}


def unescape_formula(text: str) -> str:
    """Undo the exporter's formula-injection guard: "'=SUM(1)" → "=SUM(1)".

    One apostrophe is removed when apostrophes are followed by a character that starts a
    formula. The exporter adds exactly one to such text (also to text that already starts with
    apostrophes before such a character), so exported text comes back as it was.
    """
    if not text.startswith("'"):  # nearly every cell: no guard to undo, and no pattern to run
        return text
    return text[1:] if _ESCAPED.match(text) else text


def clean_text(value: Cell) -> str:
    """A cell as stored text: formula guard undone, line breaks as \\n, outer whitespace removed."""
    if value is None:
        return ""
    text = cell_text(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unescape_formula(text).strip()


def text_unless_placeholder(value: Cell) -> str | None:
    """``clean_text(value)``, or None when the cell is a placeholder (``is_placeholder(value)``).

    The two together, for the hundreds of thousands of cells of a large import: a text cell is
    stripped once for both, and that stripped text *is* its clean text unless it has a line break
    to normalise or a formula guard to undo (then :func:`clean_text` does the whole work).
    """
    if isinstance(value, str):
        text = value.strip()
        if is_placeholder_text(text):
            return None
        if "\r" in value or value.startswith("'"):
            return clean_text(value)
        return text
    return clean_text(value)


def prepare_import(
    sheet_grid: Sheet | Grid,
    mapping: ImportMapping,
    scales: ScaleMap | None = None,
    *,
    known_departments: Mapping[str, str] | Iterable[str] = (),
    known_owners: Iterable[str] = (),
    source_name: str = "",
    skip_rows: Collection[int] = frozenset(),
    sheet_name: str | None = None,
    bands: Bands = DEFAULT_BANDS,
    encoding: str = "",
    encoding_why: str = "",
    unknown_names_reported: tuple[str, str] | None = None,
) -> PreparedImport:
    """Read every data row of a sheet through a mapping and a scale map.

    Blank rows, rows holding only placeholders ("-", "n/a", "—") and repeats of the header row
    (registers printed with the header on every page) are left out without a problem. Every
    other row becomes an :class:`ImportedRisk`, even when it has errors, so the wizard can show
    it.

    Args:
        sheet_grid: a :class:`~riskdesk.io.readers.Sheet` or a raw grid.
        mapping: the confirmed mapping (see :func:`~riskdesk.io.mapping.guess_mapping`).
        scales: how to read impact and likelihood; riskdesk's 1–5 and common words when None.
        known_departments: department codes riskdesk has, or a code → name mapping (names
            then match too). Matched ignoring case.
        known_owners: owner names riskdesk has. Matched ignoring case and spacing.
        source_name: the file name, kept for audit entries.
        skip_rows: row numbers (as in Excel) the user chose to leave out.
        sheet_name: the sheet's name when ``sheet_grid`` is a raw grid.
        bands: the bands an ignored "Risk Priority" column is compared with.
        encoding, encoding_why: how a text file was decoded, passed through for the preview.
        unknown_names_reported: ``(departments column, owner column)`` whose unknown departments and
            owners the caller reports itself (the import service, which knows the database): no
            "does not have yet" / "not a known risk owner" warning is made for those columns. The
            names are still split and listed in ``new_departments`` and ``unknown_owners``.

    Returns:
        The rows and every problem. Nothing is raised for bad data.
    """
    scales = scales or ScaleMap()
    if isinstance(sheet_grid, Sheet):
        grid, merges, name = sheet_grid.grid, sheet_grid.merges, sheet_grid.name
    else:
        grid, merges, name = sheet_grid, (), ""
    name = sheet_name or name
    if mapping.header_rows:
        start, count = mapping.header_rows[0] - 1, mapping.header_rows[1]
    else:
        start, count = detect_header_rows(grid)
    headers = header_names(grid, start, count, merges)
    header_row_no = start + count  # the last header row, as Excel numbers it
    reader = _RowReader(
        headers, mapping, scales, _Departments(known_departments), _Owners(known_owners), header_row_no
    )
    if unknown_names_reported is not None:
        reader.quiet_departments, reader.quiet_owners = unknown_names_reported
    problems: list[RowProblem] = list(reader.mapping_problems())
    rows: list[ImportedRisk] = []
    skip = frozenset(skip_rows)
    header_key = [h.lower() for h in headers]
    for i in range(start + count, len(grid)):
        raw = grid[i]
        # Each test below is first made of the row's first cell alone, which settles it for nearly
        # every data row; only a row it does not settle is looked at whole.
        first = raw[0] if raw else None
        if (is_blank(first) or is_placeholder(first)) and all(is_blank(v) or is_placeholder(v) for v in raw):
            continue
        # The cells the row and the header both have, compared one by one up to the first that differs.
        if ((not header_key or cell_text(first).strip().lower() == header_key[0])
                and all(cell_text(v).strip().lower() == h for v, h in zip(raw, header_key, strict=False))):
            continue  # header repeated on every printed page
        row_no = i + 1
        risk, row_problems = reader.read(raw, row_no, row_no in skip)
        rows.append(risk)
        problems.extend(row_problems)
    if not rows:
        problems.append(RowProblem(
            header_row_no, "", "", "The sheet has no risks below its header row (is it the right file or sheet?); "
            "nothing to import."))
    problems.extend(_duplicate_refs(rows, mapping))
    problems.extend(reader.column_problems())
    ignored = _ignored_scores(grid, start + count, headers, mapping, rows, bands)
    for col in ignored:
        for row_no, value, computed in col.disagreements:
            problems.append(RowProblem(
                row_no, col.header, value,
                f"disagrees with riskdesk's {computed}; this column is not imported (the mapping ignores it), "
                "so check which is right before you import.", "warning"))
    problems.sort(key=lambda p: p.row)
    return PreparedImport(
        source_name=source_name,
        sheet_name=name,
        header_rows=(start + 1, count),
        headers=tuple(headers),
        rows=tuple(rows),
        problems=tuple(problems),
        new_departments=tuple(reader.departments.unknown),
        unknown_owners=tuple(reader.owners.unknown),
        _skipped=skip,
        scales=reader.column_scales(),
        ignored_scores=tuple(ignored),
        encoding=encoding,
        encoding_why=encoding_why,
    )


def column_values(sheet: Sheet, mapping: ImportMapping, header: str) -> list[Cell]:
    """The data cells of one source column (below the header rows), as the mapping reads the sheet."""
    start, count = (mapping.header_rows[0] - 1, mapping.header_rows[1]) if mapping.header_rows else (
        detect_header_rows(sheet.grid))
    headers = header_names(sheet.grid, start, count, sheet.merges)
    if header not in headers:
        return []
    j = headers.index(header)
    return [row[j] for row in sheet.grid[start + count :] if j < len(row)]


def propose_scales_for(sheet: Sheet, mapping: ImportMapping) -> ScaleMap:
    """Scales proposed (see :func:`~riskdesk.io.scales.propose_scales`) from the values in the
    columns the mapping reads as impact and as likelihood, every score set together."""
    values: dict[str, list[Cell]] = {"impact": [], "likelihood": []}
    headers: dict[str, list[str]] = {"impact": [], "likelihood": []}
    for header, field_name in mapping.columns:
        part = field_name.rpartition("_")[2]
        if part in values:
            values[part].extend(column_values(sheet, mapping, header))
            headers[part].append(header)
    return propose_scales(values["impact"], values["likelihood"], impact_headers=headers["impact"],
                          likelihood_headers=headers["likelihood"])


def guess_for_sheet(sheet: Sheet, *, name: str = "",
                    header_rows: tuple[int, int] | None = None) -> tuple[ImportMapping, ScaleMap]:
    """The mapping and scales riskdesk proposes for a sheet, from its headers *and* its cells.

    The cells decide between two columns that both name a score part (a York-style file's text
    "Impact" and its "Impact (1-10)"); the headers state any scale ("(1-10)"). Every column is
    left unconfirmed, so a guess the cells contradict is refused by :func:`prepare_import`.
    ``header_rows`` is ``(first header row as Excel numbers it, count)`` when the user chose them
    (the import wizard's file page); otherwise they are detected.
    """
    from riskdesk.io.mapping import guess_mapping

    if header_rows is None:
        start, count = detect_header_rows(sheet.grid)
    else:
        start, count = header_rows[0] - 1, header_rows[1]
    headers = header_names(sheet.grid, start, count, sheet.merges)
    first = ImportMapping(header_rows=(start + 1, count))
    samples = {h: column_values(sheet, first, h)[:200] for h in headers}
    mapping = guess_mapping(headers, name=name, samples=samples)
    mapping = ImportMapping(columns=mapping.columns, name=name, header_rows=(start + 1, count),
                            impact_first=mapping.impact_first)
    return mapping, propose_scales_for(sheet, mapping)


def _duplicate_refs(rows: Sequence[ImportedRisk], mapping: ImportMapping) -> list[RowProblem]:
    column = next(iter(mapping.sources("ref")), "")
    first: dict[str, int] = {}
    out = []
    for risk in rows:
        if risk.skip or not risk.ref:
            continue
        key = " ".join(risk.ref.lower().split())
        if key in first:
            out.append(
                RowProblem(
                    risk.row, column, risk.ref,
                    f"is also the reference of row {first[key]}; each risk needs its own reference. "
                    "Correct one of them in the file, or skip one of the rows.",
                )
            )
        else:
            first[key] = risk.row
    return out


_SCALE_WORDS = frozenset({
    "low", "lo", "l", "med", "medium", "m", "mid", "moderate", "high", "hi", "h", "very high", "very low", "vh", "vl",
    "red", "amber", "green", "r", "a", "g", "rag", "yellow", "orange", "critical", "minor", "major", "significant",
})
_BAND_OF_WORD = {
    "low": "low", "lo": "low", "l": "low", "very low": "low", "vl": "low", "green": "low", "g": "low",
    "med": "medium", "medium": "medium", "m": "medium", "mid": "medium", "moderate": "medium", "amber": "medium",
    "a": "medium", "yellow": "medium", "orange": "medium",
    "high": "high", "hi": "high", "h": "high", "very high": "high", "vh": "high", "red": "high", "r": "high",
    "critical": "high",
}
_SCORE_HEADER = re.compile(r"\b(priority|index|score|rating|rag|band|grade|level|total|rank|severity)\b", re.IGNORECASE)
_NUMERIC = re.compile(r"^\s*[+-]?\d+(?:\.\d+)?\s*$")


def _word(value: Cell) -> str:
    return " ".join(cell_text(value).lower().replace("-", " ").split()).strip(" .")


def is_scale_word_or_number(value: Cell) -> bool:
    """A cell that is only a scale word ("Low", "Med", "High", "Red") or a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and (_word(value) in _SCALE_WORDS or bool(_NUMERIC.match(value)))


def _ignored_scores(
    grid: Grid, first: int, headers: list[str], mapping: ImportMapping, rows: Sequence[ImportedRisk],
    bands: Bands,
) -> list[IgnoredScoreColumn]:
    """Columns the mapping ignores that carry a score or band, and where they contradict riskdesk's."""
    by_row = {r.row: r for r in rows}
    out = []
    for j, header in enumerate(headers):
        if mapping.field_of(header) != "ignore" or CONTINUATION.match(header):
            continue
        cells = [(i + 1, grid[i][j]) for i in range(first, len(grid)) if j < len(grid[i]) and not is_blank(grid[i][j])]
        cells = [(n, v) for n, v in cells if n in by_row]
        if not cells:
            continue
        words = [(n, v) for n, v in cells if isinstance(v, str) and _word(v) in _BAND_OF_WORD]
        numbers = [(n, v) for n, v in cells if (isinstance(v, int | float) and not isinstance(v, bool))
                   or (isinstance(v, str) and _NUMERIC.match(v))]
        named = bool(_SCORE_HEADER.search(header))
        kind = ""
        if len(words) * 2 > len(cells):
            kind = "band"
        elif named and len(numbers) * 2 > len(cells):
            kind = "score"
        if not kind:
            continue
        disagreements = []
        for n, v in (words if kind == "band" else numbers):
            risk = by_row[n]
            if risk.current is None:
                continue
            if kind == "band":
                band = bands.band_for(risk.current.score)
                said = _BAND_OF_WORD[_word(v)]
                if said not in (band.name, band.colour):
                    disagreements.append((n, cell_text(v), f"band {band.label} (current score {risk.current.score})"))
            else:
                try:
                    number = float(cell_text(v))
                except ValueError:  # pragma: no cover - matched _NUMERIC
                    continue
                # Compared with the same product it is reported against: the file's own numbers where
                # it wrote numbers (a 1–10 register's index is on 1–100), else riskdesk's levels.
                raw_i, raw_l = risk.current_raw
                if raw_i is not None and raw_l is not None:
                    product, shown = raw_i * raw_l, f"{_show(raw_i)} × {_show(raw_l)} as written"
                else:
                    product, shown = float(risk.current.score), f"{risk.current.impact} × {risk.current.likelihood}"
                if not math.isclose(number, product, abs_tol=0.005 * max(1.0, product)):
                    disagreements.append((n, cell_text(v), f"current score {_show(round(product, 4))} ({shown})"))
        out.append(IgnoredScoreColumn(header, kind, len(cells), tuple(disagreements)))
    return out


#: How many distinct department or owner cells one import remembers the split of.
_SPLITS_KEPT = 4096


class _Names:
    """Splits a cell of names; a text seen before gives what it gave then (a register repeats a few)."""

    def __init__(self) -> None:
        self.unknown: list[str] = []  # every unknown name, in order of first use
        self._seen: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def split(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(names, unknown names)"""
        found = self._seen.get(text)
        if found is None:
            names, unknown = self._split(text)
            found = (names, tuple(unknown))
            if len(self._seen) < _SPLITS_KEPT:
                self._seen[text] = found
        return found

    def _split(self, text: str) -> tuple[tuple[str, ...], list[str]]:
        raise NotImplementedError


class _Departments(_Names):
    def __init__(self, known: Mapping[str, str] | Iterable[str]) -> None:
        super().__init__()
        self.lookup: dict[str, str] = {}
        if isinstance(known, Mapping):
            for code, full in known.items():
                self.lookup[_key(code)] = code
                self.lookup[_key(full)] = code
        else:
            for code in known:
                self.lookup[_key(code)] = code

    def _split(self, text: str) -> tuple[tuple[str, ...], list[str]]:
        """(codes, unknown codes)"""
        codes: list[str] = []
        unknown: list[str] = []
        for part in _DEPT_SPLIT.split(text):
            part = part.strip()
            if not part:
                continue
            whole = self.lookup.get(_key(part))
            if whole:
                codes.append(whole)
                continue
            tokens = [t.strip("()[]") for t in part.split()]
            tokens = [t for t in tokens if t]
            # "A&C C&FS PH" and "CR (ALL)" are several codes; an unknown name of several words is one.
            known_token = any(_key(t) in self.lookup for t in tokens)
            pieces = tokens if known_token else [" ".join(part.split())]
            for piece in pieces:
                code = self.lookup.get(_key(piece))
                if code is None:
                    code = piece
                    unknown.append(piece)
                    if piece not in self.unknown:
                        self.unknown.append(piece)
                if code not in codes:
                    codes.append(code)
        return tuple(codes), unknown


class _Owners(_Names):
    def __init__(self, known: Iterable[str]) -> None:
        super().__init__()
        self.lookup = {_key(o): o for o in known}

    def _split(self, text: str) -> tuple[tuple[str, ...], list[str]]:
        whole = self.lookup.get(_key(text))
        if whole:  # "Head of Legal and Democratic Services" must not be split on "and"
            return (whole,), []
        names: list[str] = []
        unknown: list[str] = []
        for part in _OWNER_SPLIT.split(text):
            part = " ".join(part.split())
            if not part:
                continue
            name = self.lookup.get(_key(part))
            if name is None:
                name = part
                unknown.append(part)
                if part not in self.unknown:
                    self.unknown.append(part)
            if name not in names:
                names.append(name)
        return tuple(names), unknown


def _key(text: str) -> str:
    return " ".join(text.lower().split())


#: How many distinct score sets (cells as written) one import remembers the outcome of; a file whose
#: score cells are all different (words, typos) is read cell by cell beyond this, as before.
_SCORE_OUTCOMES_KEPT = 4096


@dataclass(frozen=True)
class _ScoreOutcome:
    """What one score set's cells come to, whatever row they are on (see :meth:`_RowReader.score_set`)."""

    score: Score | None
    stated: int | float | None
    source: str
    problems: tuple[tuple[str, str, str, Severity], ...]  # RowProblem's fields after the row
    noted: tuple[tuple[str, Cell, Level, Scale], ...]  # note_cell()'s arguments, for rows not skipped
    raw: tuple[float | None, float | None] | None  # the current set's numbers as written, else None


class _RowReader:
    """Reads rows for one sheet and mapping; works out column positions once."""

    def __init__(
        self,
        headers: list[str],
        mapping: ImportMapping,
        scales: ScaleMap,
        departments: _Departments,
        owners: _Owners,
        header_row_no: int,
    ) -> None:
        self.headers = headers
        self.mapping = mapping
        self.scales = scales
        self.departments = departments
        self.owners = owners
        self.header_row_no = header_row_no
        index = {h: j for j, h in enumerate(headers)}
        # Exported continuation columns ("Update (continued 2)") are read as part of their first column.
        self.continued: dict[int, list[int]] = {}
        parts: dict[int, list[tuple[int, int]]] = {}
        for j, h in enumerate(headers):
            m = CONTINUATION.match(h)
            if m and m.group("base") in index:
                parts.setdefault(index[m.group("base")], []).append((int(m.group("n")), j))
        for base, found in parts.items():
            self.continued[base] = [j for _, j in sorted(found)]
        self.index = index
        self.missing = [h for h, f in mapping.columns if f != "ignore" and h not in index]
        self.sources: dict[str, list[tuple[str, int]]] = {}
        for h, f in mapping.columns:
            if f != "ignore" and h in index:
                self.sources.setdefault(f, []).append((h, index[h]))
        # Every column whose text is stored, continuation columns included, is checked for controls.
        self.stored_columns: list[tuple[str, int]] = []
        for found in self.sources.values():
            for h, j in found:
                self.stored_columns.append((h, j))
                self.stored_columns.extend((headers[k], k) for k in self.continued.get(j, ()))
        self.stored_indexes = [j for _, j in self.stored_columns]
        # The description and category columns, whose cells are counted for column_problems().
        self.counted_columns = [hj for f in ("description", "category") for hj in self.sources.get(f, ())]
        self.width = len(headers)
        self.padding: list[Cell] = [None] * self.width
        # The texts read() takes from each row: (field, its columns, whether a placeholder there is a warning).
        self.text_fields = [(f, self.sources.get(f, ()), f not in _REQUIRED_TEXT) for f in _TEXT_FIELDS]
        # The texts joined from their columns, each under its header when there are several.
        self.joined_fields = [(f, len(self.sources.get(f, ())) > 1) for f in ("update", "mitigation", "actions", "comments")]
        # The departments and owner columns whose unknown names are not warned of (see prepare_import).
        self.quiet_departments: str | None = None
        self.quiet_owners: str | None = None
        # (type, cell) -> what the cell says as a direction of travel; see direction().
        self.directions: dict[tuple[type, Cell], tuple[str, Direction | None, str]] = {}
        # Per score column: header -> {"words": {word: level}, "numbers": {text: level}, "outside": n, "cells": n,
        # "unreadable": n, "values": [first few cells]} for the scale report and the column checks.
        self.stats: dict[str, dict] = {}
        self.texts_seen: dict[str, list[int]] = {}  # description/category column -> [cells, scale-word cells]
        # Per score set: the (header, column) of its impact, likelihood and score, (None, None) where unmapped.
        self.score_columns: dict[str, tuple[tuple[str | None, int | None], ...]] = {
            s: tuple((self.sources.get(f"{s}_{part}") or [(None, None)])[0] for part in SCORE_PARTS)
            for s in SCORE_SETS
        }
        # Per score set: (part, header, column) of its impact, likelihood and score, for score_set().
        self.score_cells = {s: [(part, h, j) for part, (h, j) in zip(SCORE_PARTS, cols, strict=True)]
                            for s, cols in self.score_columns.items()}
        # (score set, its cells, their types) -> outcome; see score_set().
        self.score_outcomes: dict[tuple[object, ...], _ScoreOutcome] = {}

    def mapping_problems(self) -> list[RowProblem]:
        out = []
        row = self.header_row_no
        for h in self.missing:
            f = self.mapping.field_of(h)
            required = f in ("ref", "description", "current_impact", "current_likelihood")
            out.append(
                RowProblem(
                    row, h, "",
                    f"is in the saved mapping (as {f.replace('_', ' ')}) but this sheet has no such column. "
                    "Check the header row, or map another column.",
                    "error" if required else "warning",
                )
            )
        for f, words in (*_REQUIRED_TEXT.items(), ("current_impact", "current impact"),
                         ("current_likelihood", "current likelihood")):
            if f not in self.sources and not any(self.mapping.field_of(h) == f for h in self.missing):
                out.append(
                    RowProblem(row, "", "", f"No column is mapped to the {words}; riskdesk needs one.", "error")
                )
        return out

    # -- cells ------------------------------------------------------------------------------

    def cells_of(self, raw: Sequence[Cell]) -> Sequence[Cell]:
        """The row's cells as :meth:`cell` reads them, one per header: ``cells_of(raw)[j] == cell(raw, j)``.

        Worked out once per row (nearly always the row itself, as no export continues a column),
        rather than once per cell read.
        """
        cells = raw if len(raw) >= self.width else [*raw, *self.padding[len(raw):]]
        if self.continued:
            cells = list(cells)
            for j in self.continued:
                cells[j] = self.cell(raw, j)
        return cells

    def cell(self, raw: Sequence[Cell], j: int) -> Cell:
        value = raw[j] if j < len(raw) else None
        more = self.continued.get(j)
        if more:
            # Each exported part is guarded separately. Undo the guard of each continuation part
            # here; the first part's guard is undone with the whole text by clean_text().
            pieces = [cell_text(value)]
            pieces += [unescape_formula(cell_text(raw[k] if k < len(raw) else None)) for k in more]
            joined = "".join(pieces)
            return joined or None
        return value

    def find_controls(self, raw: Sequence[Cell], row_no: int, problems: list[RowProblem]) -> None:
        """A row error for each stored cell holding an invisible control character."""
        for h, j in self.stored_columns:
            value = raw[j] if j < len(raw) else None
            if isinstance(value, str):
                bad = CONTROL.search(value)
                if bad:
                    problems.append(RowProblem(
                        row_no, h, value,
                        f"contains an invisible control character, {describe(bad.group())}, at character "
                        f"{bad.start() + 1}; riskdesk does not store it (reports and exports cannot hold it, and a "
                        "terminal would act on it). Remove it in the file, or skip this row."))

    # -- one row ----------------------------------------------------------------------------

    def read(self, raw: Sequence[Cell], row_no: int, skip: bool) -> tuple[ImportedRisk, list[RowProblem]]:
        problems: list[RowProblem] = []
        # One search of the row's texts together (a newline is text, not a control character);
        # only a row with a control character somewhere is searched cell by cell.
        width = len(raw)
        texts_of_row = [v for j in self.stored_indexes if j < width and isinstance(v := raw[j], str)]
        if has_control("\n".join(texts_of_row)):
            self.find_controls(raw, row_no, problems)
        if not skip:
            for h, j in self.counted_columns:
                value = raw[j] if j < width else None
                if not is_blank(value):
                    seen = self.texts_seen.setdefault(h, [0, 0])
                    seen[0] += 1
                    # column_problems() asks only whether *every* cell is a scale word or number: once
                    # one is not, the column's later cells are counted but need not be looked at.
                    if seen[1] == seen[0] - 1:
                        seen[1] += is_scale_word_or_number(value)
        cells = self.cells_of(raw)
        texts: dict[str, list[tuple[str, str]]] = {}
        for f, found, warn in self.text_fields:  # text() for each field, inlined: this runs for every cell
            out = texts[f] = []
            for h, j in found:
                value = cells[j]
                text = text_unless_placeholder(value)
                if text is not None:
                    out.append((h, text))
                elif warn:
                    problems.append(RowProblem(row_no, h, cell_text(value),
                                               "is a placeholder, so this cell is read as empty.", "warning"))
        # riskdesk's own short texts are read as written: a note of "-" or "n/a" is what was typed.
        for f in ("score_note", "direction_text"):
            texts[f] = [(h, clean_text(cells[j])) for h, j in self.sources.get(f, ())]
        for f, words in _REQUIRED_TEXT.items():
            if f in self.sources and not any(t for _, t in texts[f]):
                h, j = self.sources[f][0]
                value = cells[j]
                shown = cell_text(value).strip()
                why = f"is a placeholder, not a {words}" if shown else f"is empty; every risk needs a {words}"
                problems.append(RowProblem(row_no, h, shown, f"{why}. Fill it in, or skip this row.", "error"))
        ref = texts["ref"][0][1] if texts["ref"] else ""  # the first column's text
        description = texts["description"][0][1] if texts["description"] else ""
        effects = join_texts(texts["effects"], headings=True)
        if effects:
            description = f"{description}\n\n{effects}" if description else effects
        departments: tuple[str, ...] = ()
        for h, t in texts["departments"]:
            if t:
                departments, unknown = self.departments.split(t)
                for code in unknown if h != self.quiet_departments else ():
                    problems.append(
                        RowProblem(row_no, h, t,
                                   f"names the department “{code}”, which riskdesk does not have yet; "
                                   "it will be created if you go ahead (or correct it in the file).", "warning")
                    )
        owners: tuple[str, ...] = ()
        for h, t in texts["owner"]:
            if t:
                owners, unknown = self.owners.split(t)
                for name in unknown if h != self.quiet_owners else ():
                    problems.append(
                        RowProblem(row_no, h, t,
                                   f"names “{name}”, who is not a known risk owner in riskdesk; "
                                   "check the spelling, or add them as an owner.", "warning")
                    )
        self.last_raw: tuple[float | None, float | None] = (None, None)
        scores = {s: self.score_set(cells, s, row_no, problems, skip) for s in SCORE_SETS}
        direction = self.direction(cells, row_no, problems)
        multi = {f: join_texts(texts[f], headings=headings) for f, headings in self.joined_fields}
        note = self.short_text(texts["score_note"], "note under the current score", row_no, problems)
        lines = self.other_lines(cells, row_no, problems)
        direction_text = self.short_text(texts["direction_text"], "direction words", row_no, problems)
        risk = _imported_risk(  # every field, in the order ImportedRisk declares them
            row=row_no,
            ref=ref,
            description=description,
            category=texts["category"][0][1] if texts["category"] else "",
            departments=departments,
            owners=owners,
            current=scores["current"][0],
            target=scores["target"][0],
            inherent=scores["inherent"][0],
            current_stated_score=scores["current"][1],
            target_stated_score=scores["target"][1],
            inherent_stated_score=scores["inherent"][1],
            direction=direction,
            **multi,
            skip=skip,
            note=note,
            lines=lines,
            direction_text=direction_text,
            current_raw=self.last_raw,
            current_source=scores["current"][2],
            target_source=scores["target"][2],
            inherent_source=scores["inherent"][2],
        )
        return risk, problems

    @staticmethod
    def short_text(found: list[tuple[str, str]], what: str, row_no: int, problems: list[RowProblem]) -> str:
        """The text of a single-column field riskdesk keeps at most :data:`MAX_LINE_TEXT` characters of."""
        for h, t in found:
            if len(t) > MAX_LINE_TEXT:
                problems.append(RowProblem(
                    row_no, h, t,
                    f"is {len(t)} characters long; riskdesk keeps a {what} of at most {MAX_LINE_TEXT}. "
                    "Shorten it in the file, or map this column to “ignore”.",
                ))
            return t
        return ""

    def other_lines(self, cells: Sequence[Cell], row_no: int, problems: list[RowProblem]) -> tuple[ScoreLine, ...]:
        """The extra scoring lines (see :mod:`riskdesk.io.lines`); each unreadable line is a row error."""
        for h, j in self.sources.get("other_lines", ()):
            value = cells[j]
            if is_blank(value) or is_placeholder(value):
                return ()
            # Not clean_text(): a label may start or end with spaces, and they are kept.
            text = unescape_formula(cell_text(value))
            lines, bad = parse_lines(text)
            for p in bad:
                problems.append(RowProblem(
                    row_no, h, p.text,
                    f"(scoring line {p.number} of this cell) {p.reason}. Correct it in the file, or skip this row.",
                ))
            return lines
        return ()

    def direction(self, cells: Sequence[Cell], row_no: int, problems: list[RowProblem]) -> Direction | None:
        for h, j in self.sources.get("direction", ()):
            value = cells[j]
            # A register repeats a few direction cells over thousands of rows: each is read once.
            key = (type(value), value)
            found = self.directions.get(key)
            if found is None:
                found = _read_direction(value)
                if len(self.directions) < _SPLITS_KEPT:
                    self.directions[key] = found
            kind, direction, shown = found
            if kind == "blank":
                return None
            if kind == "placeholder":
                problems.append(RowProblem(row_no, h, shown, "is a placeholder, so no direction of travel is set.", "warning"))
                return None
            if direction is not None:
                return direction
            problems.append(
                RowProblem(row_no, h, shown,
                           "is not a direction of travel riskdesk knows (up, level or down, or ↑ ↔ ↓); "
                           "the risk is imported without one.", "warning")
            )
        return None

    def score_set(
        self, cells: Sequence[Cell], set_name: str, row_no: int, problems: list[RowProblem], skip: bool = False
    ) -> tuple[Score | None, int | float | None, str]:
        """One score set of a row (``cells`` as :meth:`cells_of` gives it): score, stated score, source text."""
        values: list[Cell] = []
        for part, h, j in self.score_cells[set_name]:
            value = cells[j] if j is not None else None
            if isinstance(value, str):  # is_placeholder() and is_blank(), with one strip
                text = value.strip()
                if not text:
                    value = None
                elif is_placeholder_text(text):
                    problems.append(
                        RowProblem(row_no, h or "", value,
                                   f"is a placeholder, so the {set_name} {part} is read as empty.", "warning")
                    )
                    value = None
            values.append(value)
        # A register repeats a handful of score cells (25 impact × likelihood pairs) over thousands of
        # rows: each distinct set of cells is read and checked once, and its outcome replayed per row.
        key = (set_name, *values, *map(type, values))
        outcome = self.score_outcomes.get(key)
        if outcome is None:
            outcome = self.score_outcome(set_name, *values)
            if len(self.score_outcomes) < _SCORE_OUTCOMES_KEPT:
                self.score_outcomes[key] = outcome
        if outcome.problems:
            problems.extend(RowProblem(row_no, *p) for p in outcome.problems)
        if not skip:
            note_cell = self.note_cell
            for noted in outcome.noted:
                note_cell(*noted)
        if outcome.raw is not None:
            self.last_raw = outcome.raw
        return outcome.score, outcome.stated, outcome.source

    def score_outcome(self, set_name: str, impact_v: Cell, like_v: Cell, stated_v: Cell) -> _ScoreOutcome:
        """One score set read from its (non-placeholder, non-blank) cells: what :meth:`score_set` returns,
        with the problems (row left out) and the cells to note in the scale report, in order."""
        cols = dict(zip(SCORE_PARTS, self.score_columns[set_name], strict=True))
        problems: list[RowProblem] = []
        noted: list[tuple[str, Cell, Level, Scale]] = []
        row_no = 0  # the caller puts in the row

        def outcome(score: Score | None, stated: int | float | None, source: str = "",
                    raw: tuple[float | None, float | None] | None = None) -> _ScoreOutcome:
            return _ScoreOutcome(score, stated, source, tuple((p.column, p.value, p.message, p.severity)
                                                              for p in problems), tuple(noted), raw)

        label = set_name
        pair = None
        if impact_v is None and like_v is None and isinstance(stated_v, str):
            pair = self.pair(stated_v)
            if pair:
                impact_v, like_v = pair
                stated_v = None
        stated = self.stated(stated_v, cols["score"][0], row_no, problems, label)
        if impact_v is None and like_v is None:
            if set_name == "current" and "current_impact" in self.sources:
                what = "a current score" if stated is None else f"a current score of {_show(stated)}"
                why = "has no current impact and likelihood" if stated is None else (
                    f"has {what} but no current impact and likelihood; riskdesk needs both to score a risk"
                )
                problems.append(RowProblem(row_no, cols["impact"][0] or "", "", f"{why}. Fill them in, or skip this row.", "error"))
            elif stated is not None:
                problems.append(
                    RowProblem(row_no, cols["score"][0] or "", _show(stated),
                               f"is a {label} score without an impact and likelihood; riskdesk needs both, "
                               f"so no {label} score is imported.", "warning")
                )
            return outcome(None, stated)
        levels: dict[str, Level] = {}
        ok = True
        for part, value in (("impact", impact_v), ("likelihood", like_v)):
            h = cols[part][0] or cols["score"][0] or ""
            if value is None:
                other = "likelihood" if part == "impact" else "impact"
                problems.append(RowProblem(row_no, h, "", f"is empty, but the {label} {other} is filled in; "
                                           f"riskdesk needs both the {label} impact and likelihood.", "error"))
                ok = False
                continue
            scale = self.scales.for_part(part)
            level = read_level(value, scale, what=f"{label} {part}")
            if level.problem:
                problems.append(RowProblem(row_no, h, cell_text(value), level.problem + ".", level.severity))
            if level.level is None:
                ok = False
            levels[part] = level
            noted.append((h, value, level, scale))
        if not ok:
            return outcome(None, stated)
        score = Score(levels["impact"].level, levels["likelihood"].level)  # type: ignore[arg-type]
        if stated is not None:
            self.check_stated(score, levels, stated, cols, row_no, problems, label, cell_text(stated_v))
        raw = (levels["impact"].source, levels["likelihood"].source) if set_name == "current" else None
        return outcome(score, stated, self.source_text(impact_v, like_v, stated_v, levels), raw)

    def source_text(self, impact_v: Cell, like_v: Cell, stated_v: Cell, levels: dict[str, Level]) -> str:
        """The cells as the file gives them: "file: Impact 6.67 of 10, Likelihood 4 of 5, Score 26.68"."""
        parts = []
        for part, value in (("impact", impact_v), ("likelihood", like_v)):
            top = self.scales.for_part(part).maximum
            level = levels[part]
            text = " ".join(cell_text(value).split())[:60]
            if level.source is None:
                parts.append(f"{part.capitalize()} “{text}” (read as {level.level} of 5)")
            else:
                parts.append(f"{part.capitalize()} {text} of {top}")
        if stated_v is not None:
            parts.append(f"Score {' '.join(cell_text(stated_v).split())[:60]}")
        return "file: " + ", ".join(parts)

    def note_cell(self, header: str, value: Cell, level: Level, scale: Scale) -> None:
        st = self.stats.get(header)
        if st is None:
            st = self.stats[header] = {"words": {}, "numbers": {}, "outside": 0, "cells": 0, "unreadable": 0}
        st["cells"] += 1
        if level.level is None:
            if level.source is not None or (isinstance(value, str) and _NUMERIC.match(value)):
                st["outside"] += 1
            elif not (isinstance(value, int | float) and not isinstance(value, bool)):
                st["unreadable"] += 1
            return
        if level.source is None:  # a word
            text = " ".join(cell_text(value).split())
            if len(st["words"]) < 50:
                st["words"].setdefault(text, level.level)
        elif level.source != level.level and len(st["numbers"]) < 50:
            st["numbers"].setdefault(cell_text(value).strip(), level.level)

    def column_scales(self) -> tuple[ColumnScale, ...]:
        out = []
        for h, f in self.mapping.columns:
            if h not in self.index or f == "ignore":
                continue
            part = f.rpartition("_")[2]
            if f.partition("_")[0] not in SCORE_SETS:
                continue
            st = self.stats.get(h, {"words": {}, "numbers": {}, "outside": 0, "cells": 0})
            if part == "score":
                i_scale, l_scale = self.scales.impact, self.scales.likelihood
                out.append(ColumnScale(
                    h, f, f"checked against impact × likelihood (1 to {i_scale.maximum * l_scale.maximum}); "
                    "not stored, riskdesk stores impact and likelihood",
                    "a stated score or index is only ever compared, never used to rescale"))
                continue
            scale = self.scales.for_part(part)
            out.append(ColumnScale(
                h, f, f"1 to {scale.maximum}" + ("" if scale.maximum == 5 else " (converted to riskdesk's 1 to 5)"),
                scale.why or "riskdesk's own 1 to 5", tuple(st["words"].items()), tuple(st["numbers"].items()),
                st["outside"], st["cells"]))
        return tuple(out)

    def column_problems(self) -> list[RowProblem]:
        """A guessed column whose values contradict its field, refused with the column named."""
        out = []
        row = self.header_row_no
        advice = ("Map the right column with --map \"HEADER=FIELD\" (for example --map \"Risk Description=description\"), "
                  "or choose the columns in the import wizard.")
        for f, what in (("description", "risk description"), ("category", "category")):
            for h, _ in self.sources.get(f, ()):
                cells, words = self.texts_seen.get(h, [0, 0])
                if h in self.mapping.confirmed or not cells or words < cells:
                    continue
                out.append(RowProblem(
                    row, h, "",
                    f"was guessed to be the {what}, but every one of its {cells} cells is only a scale word or "
                    f"a number (Low, Med, High…). riskdesk will not import that as the {what}. {advice}"))
        for f in [f"{s}_{p}" for s in SCORE_SETS for p in ("impact", "likelihood")]:
            for h, _ in self.sources.get(f, ()):
                st = self.stats.get(h)
                if h in self.mapping.confirmed or not st or st["unreadable"] * 2 <= st["cells"]:
                    continue
                out.append(RowProblem(
                    row, h, "",
                    f"was guessed to be the {f.replace('_', ' ')}, but {st['unreadable']} of its {st['cells']} "
                    f"cells are text riskdesk cannot read as a score. Is there a numeric column for it (such as "
                    f"“{h} (1-5)”)? {advice}"))
        return out

    def pair(self, text: str) -> tuple[str, str] | None:
        """A score cell written as a pair: "4 x 3", "I4/L3", "L3 I4"."""
        m = _PAIR.match(text)
        if not m:
            return None
        a, b = m.group("a"), m.group("b")
        a_tag, b_tag = (m.group("a_tag") or "").lower(), (m.group("b_tag") or "").lower()
        if a_tag == "l" or b_tag == "i":
            return b, a
        if a_tag == "i" or b_tag == "l":
            return a, b
        return (a, b) if self.mapping.impact_first else (b, a)

    def stated(self, value: Cell, header: str | None, row_no: int, problems: list[RowProblem], label: str) -> int | float | None:
        if value is None:
            return None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int | float):
            number = value
        else:
            m = _STATED.match(str(value))
            number = None
            if m:
                found = float(m.group(1) or m.group(2))
                number = int(found) if found.is_integer() else found
        if number is None:
            problems.append(
                RowProblem(row_no, header or "", cell_text(value),
                           f"is text, not a {label} score; riskdesk works the score out as impact × likelihood "
                           "(or map this column to “ignore”).", "warning")
            )
        return number

    def check_stated(
        self,
        score: Score,
        levels: dict[str, Level],
        stated: int | float,
        cols: dict[str, tuple[str | None, int | None]],
        row_no: int,
        problems: list[RowProblem],
        label: str,
        as_written: str = "",
    ) -> None:
        # One product is worked out and the stated score is tested against exactly that product,
        # which is also the one reported: the numbers as the file writes them when both are numbers
        # (a 1–10 register states 1–100), else the levels (a word scale has no number of its own).
        raw_i, raw_l = levels["impact"].source, levels["likelihood"].source
        if raw_i is not None and raw_l is not None:
            product_value: float = raw_i * raw_l
            shown_i, shown_l = _show(raw_i), _show(raw_l)
        else:
            product_value = score.score
            shown_i, shown_l = str(score.impact), str(score.likelihood)
        if math.isclose(float(stated), product_value, rel_tol=0, abs_tol=0.005 * max(1.0, abs(product_value))):
            return
        i_h, l_h = cols["impact"][0] or "impact", cols["likelihood"][0] or "likelihood"
        product = f"{i_h} {shown_i} × {l_h} {shown_l}"
        expected = _show(round(product_value, 4))
        if self.mapping.trust_impact_likelihood:
            problems.append(
                RowProblem(row_no, cols["score"][0] or "", as_written or _show(stated),
                           f"does not match {product} = {expected}; as chosen, riskdesk uses impact × likelihood "
                           f"({score.score}).", "warning")
            )
        else:
            problems.append(
                RowProblem(row_no, cols["score"][0] or "", as_written or _show(stated),
                           f"does not match {product} = {expected}. Correct the score or the impact and likelihood "
                           "in the file, or choose “trust impact × likelihood” to use the product.", "error")
            )


def _read_direction(value: Cell) -> tuple[str, Direction | None, str]:
    """What one direction-of-travel cell says: ("blank" | "placeholder" | "read", the direction or None
    when no word is known, the cell as shown in a problem)."""
    if is_blank(value):
        return "blank", None, ""
    if is_placeholder(value):
        return "placeholder", None, cell_text(value)
    text = clean_text(value)
    try:
        return "read", Direction.parse(text), text
    except ValidationError:
        pass
    low = " ".join(text.lower().split())
    if low in _DIRECTION_WORDS:
        return "read", _DIRECTION_WORDS[low], text
    for start, d in (("expected to remain", Direction.LEVEL), ("expected to increase", Direction.UP),
                     ("expected to decrease", Direction.DOWN), ("expected to reduce", Direction.DOWN)):
        if low.startswith(start):
            return "read", d, text
    return "read", None, text


def _imported_risk(**fields: object) -> ImportedRisk:
    """``ImportedRisk(**fields)`` for read(), which gives every field.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``: 25 calls, about a
    tenth of reading a row. The object made here is the same, its fields set in one go.
    """
    risk = object.__new__(ImportedRisk)
    vars(risk).update(fields)
    return risk


def _show(number: float | int | None) -> str:
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)
