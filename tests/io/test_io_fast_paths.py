"""The import's fast paths give what the plain reading gives, cell for cell, on tricky cells."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from pathlib import Path

from iohelpers import write_xlsx

from riskdesk.domain.direction import Direction
from riskdesk.io.mapping import ImportMapping, is_placeholder
from riskdesk.io.prepare import ImportedRisk, clean_text, prepare_import, text_unless_placeholder
from riskdesk.io.readers import read_workbook

TRICKY = [
    None, "", " ", "\t \n", "-", " - ", "--", "n/a", " N/A ", "TBC", "none", "?", ".", "\u00a0-\u00a0", "—", "–",
    "n.a.", "'", "''", "'=SUM(1)", "''=x", " '=a", "'-", "'plain", "a\r\nb", "x\ry", "\r-\r", "  padded  ",
    "x" * 300, "- " * 40, "Risk", 0, 1, 2.5, 3.0, True, False, date(2023, 1, 2), datetime(2023, 1, 2, 3, 4),
    time(5, 6), "İ", "NONE\u0130",
]


def test_text_unless_placeholder_is_clean_text_or_none_for_a_placeholder() -> None:
    for value in TRICKY:
        expected = None if is_placeholder(value) else clean_text(value)
        assert text_unless_placeholder(value) == expected, value


HEADERS = ["Ref", "Risk", "Owner", "Current Impact", "Current Likelihood", "Current Score", "Direction", "Update",
           "Update (continued 2)"]
MAPPING = ImportMapping(columns=(("Ref", "ref"), ("Risk", "description"), ("Owner", "owner"),
                                 ("Current Impact", "current_impact"), ("Current Likelihood", "current_likelihood"),
                                 ("Current Score", "current_score"), ("Direction", "direction"),
                                 ("Update", "update")), header_rows=(1, 1))


def test_rows_read_the_same_whatever_repeats_and_however_short() -> None:
    grid: list[list[object]] = [HEADERS]
    for n, value in enumerate(TRICKY * 2, start=1):  # every cell twice: a repeat reads as the first did
        grid.append([str(n), "Flood", "Jane Doe", 4, 3, value, value, value, "'=more"])
        grid.append([f"{n}b", value, value, value, 2, " 6 ", "sideways", "short row"])
    grid.append(["short", "Fire"])
    prepared = prepare_import(grid, MAPPING, known_owners=("Jane Doe",))
    first, second = (prepared.rows[:2 * len(TRICKY)], prepared.rows[2 * len(TRICKY):4 * len(TRICKY)])
    for a, b in zip(first, second, strict=True):
        assert dataclasses.replace(a, row=0, ref="") == dataclasses.replace(b, row=0, ref="")
    messages = {p.row: [] for p in prepared.problems}
    for p in prepared.problems:
        messages[p.row].append((p.column, p.value, p.message, p.severity))
    for n in range(len(TRICKY)):  # the second copy of each row has the first copy's problems
        for suffix in (0, 1):
            row_a, row_b = 2 + 2 * n + suffix, 2 + 2 * (n + len(TRICKY)) + suffix
            assert messages.get(row_a, []) == messages.get(row_b, []), TRICKY[n]
    # every unknown direction is a warning on its own row, not only where it was first read
    sideways = [p.row for p in prepared.problems if p.value == "sideways"]
    assert len(sideways) == 2 * len(TRICKY)
    placeholders = [p for p in prepared.problems if p.message == "is a placeholder, so no direction of travel is set."]
    assert len(placeholders) == 2 * sum(map(is_placeholder, TRICKY)) > 0
    # a continued update joins its parts, each part's formula guard undone
    assert prepared.rows[0].update == "=more" and prepared.rows[0].direction is None
    assert prepared.rows[-1].ref == "short" and prepared.rows[-1].update == ""


def test_a_read_row_is_the_dataclass_its_fields_make() -> None:
    grid = [HEADERS, ["1", "Flood", "Jane Doe", 4, 3, 12, "up", "On track", ""]]
    risk = prepare_import(grid, MAPPING, known_owners=("Jane Doe",)).rows[0]
    names = [f.name for f in dataclasses.fields(ImportedRisk)]
    assert list(vars(risk)) == names  # every field set, in the declared order
    made = ImportedRisk(**vars(risk))
    assert made == risk and repr(made) == repr(risk) and hash(made) == hash(risk)
    assert (risk.direction, risk.update, risk.current_raw) == (Direction.UP, "On track", (4, 3))


def test_an_xlsx_reads_each_kind_of_cell_as_its_clean_value(tmp_path: Path) -> None:
    cells = [1, 0, -3, 2**40, 2.0, 2.5, True, False, "", " ", "a\r\nb", "x\ry", "plain", "0",
             datetime(2024, 3, 31), datetime(2024, 3, 31, 9, 15), time(9, 15)]
    path = write_xlsx(tmp_path / "kinds.xlsx", [[f"C{n}" for n in range(len(cells))], cells])
    row = read_workbook(path).sheet().grid[1]
    expected = [1, 0, -3, 2**40, 2, 2.5, True, False, None, " ", "a\nb", "x\ny", "plain", "0",
                date(2024, 3, 31), datetime(2024, 3, 31, 9, 15), time(9, 15)]
    assert [(type(v), v) for v in row] == [(type(v), v) for v in expected]


def test_unknown_names_reported_by_the_caller_are_left_out_of_those_columns_only() -> None:
    mapping = ImportMapping(columns=(("Ref", "ref"), ("Risk", "description"), ("Dept", "departments"),
                                     ("Owner", "owner"), ("Current Impact", "current_impact"),
                                     ("Current Likelihood", "current_likelihood")), header_rows=(1, 1))
    grid = [["Ref", "Risk", "Dept", "Owner", "Current Impact", "Current Likelihood"],
            ["1", "Flood", "CR, XX", "Jane Doe / Bob", 4, 3],
            ["2", "Fire", "ZZ", "Bob", 2, 2],
            ["3", "Theft", "-", "Dan and Jane Doe", 1, 1]]
    known = {"known_departments": ["CR"], "known_owners": ["Jane Doe"], "skip_rows": {3}}
    plain = prepare_import(grid, mapping, **known)  # type: ignore[arg-type]
    quiet = prepare_import(grid, mapping, **known, unknown_names_reported=("Dept", "Owner"))  # type: ignore[arg-type]
    kept = [p for p in plain.problems if not (p.severity == "warning" and (
        (p.column == "Dept" and "which riskdesk does not have yet" in p.message)
        or (p.column == "Owner" and "who is not a known risk owner" in p.message)))]
    assert len(plain.problems) - len(kept) == 5  # XX, ZZ; Bob, Bob, Dan (a skipped row's too)
    assert quiet.problems == tuple(kept)
    assert (quiet.rows, quiet.new_departments, quiet.unknown_owners) == (
        plain.rows, plain.new_departments, plain.unknown_owners)
    other = prepare_import(grid, mapping, **known, unknown_names_reported=("Risk", "Ref"))  # type: ignore[arg-type]
    assert other.problems == plain.problems
