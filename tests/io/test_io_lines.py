"""The "Other scoring lines" cell: written readably, read back exactly, and every bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest
from iohelpers import import_file, write_xlsx

from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.io.lines import format_line, format_lines, parse_line, parse_lines
from riskdesk.io.mapping import guess_mapping
from riskdesk.io.register import REGISTER_COLUMNS

NASTY = [
    ScoreLine(Score(5, 4), Score(3, 3), "E&T", "Decreased from 20"),
    ScoreLine(Score(5, 4), None, "", ""),
    ScoreLine(Score(4, 5), Score(3, 3)),
    ScoreLine(Score(1, 1), Score(1, 1), "Adults: North → South -> East (note: x)", "a: b → c (note: d) ) ("),
    ScoreLine(Score(2, 3), None, " leading and trailing ", "  two\nlines\\n not an escape \\ "),
    ScoreLine(Score(3, 2), Score(2, 2), "back\\slash\\:", "(note:"),
    ScoreLine(Score(5, 5), None, "-", "=SUM(A1)"),
]


def test_readable_form() -> None:
    assert format_line(NASTY[0]) == "E&T: 5×4 → 3×3 (note: Decreased from 20)"
    assert format_line(NASTY[1]) == "5×4 → no target"
    assert format_line(NASTY[2]) == "4×5 → 3×3"
    assert format_lines([]) == ""


@pytest.mark.parametrize("line", NASTY, ids=range(len(NASTY)))
def test_every_character_comes_back(line: ScoreLine) -> None:
    assert "\n" not in format_line(line)
    assert parse_line(format_line(line)) == line


def test_a_whole_cell_comes_back_in_order() -> None:
    lines, problems = parse_lines(format_lines(NASTY))
    assert problems == () and list(lines) == NASTY


def test_hand_typed_variants_read_the_same() -> None:
    want = ScoreLine(Score(5, 4), Score(3, 3), "E&T", "")
    for typed in ("E&T: 5x4 -> 3X3", "E&T:5 × 4→3*3", "E&T: 5 x 4  ->  3 x 3 "):
        assert parse_line(typed) == want
    assert parse_lines("\r\n5×4 → 3×3\r\n\r\n")[0] == (ScoreLine(Score(5, 4), Score(3, 3)),)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("E&T: 7×4 → 3×3", "the current impact “7” must be a whole number from 1 to 5"),
        ("E&T: 5×4 → 3×0", "the target likelihood “0” must be a whole number from 1 to 5"),
        ("E&T: 5 4 → 3×3", "the current score “5 4” is not written as impact×likelihood"),
        ("E&T: 5×4 3×3", "has no “→” between the current and the target score"),
        ("E&T: → 3×3", "has no current score"),
        ("5×4 → 3×3 (note: unfinished", "has a note that does not end with “)”"),
        ("5×4 → 3×3 (note: " + "x" * 201 + ")", "has a note of 201 characters; riskdesk keeps at most 200"),
    ],
)
def test_malformed_lines_say_why(line: str, why: str) -> None:
    with pytest.raises(ValueError, match="^" + why.replace("(", r"\(").replace(")", r"\)")):
        parse_line(line)


def test_guess_mapping_knows_riskdesks_own_headings() -> None:
    mapping = guess_mapping([c.heading for c in REGISTER_COLUMNS])
    fields = dict(mapping.columns)
    assert fields["Score note"] == "score_note"
    assert fields["Other scoring lines"] == "other_lines"
    assert fields["Direction words"] == "direction_text"
    assert fields["Direction of travel"] == "direction"
    assert fields["Current score"] == "current_score"
    assert "ignore" not in fields.values()


def test_malformed_cell_is_a_named_row_problem(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["Ref", "Description", "Current impact", "Current likelihood", "Other scoring lines"],
        ["7.2", "Budget", 5, 5, "E&T: 5×4 → 3×3\nC&FS: 7×4 → 3×3\n5×4 3×3"],
        ["7.3", "Fine", 5, 3, "4×4 → no target"],
    ])
    prepared = import_file(path)
    assert not prepared.ok
    errors = [(p.row, p.column, p.value, p.message) for p in prepared.errors]
    assert errors == [
        (2, "Other scoring lines", "C&FS: 7×4 → 3×3",
         "(scoring line 2 of this cell) the current impact “7” must be a whole number from 1 to 5. "
         "Correct it in the file, or skip this row."),
        (2, "Other scoring lines", "5×4 3×3", errors[1][3]),
    ]
    assert "scoring line 3" in errors[1][3] and "has no “→”" in errors[1][3]
    assert str(prepared.errors[0]).startswith("Row 2, Other scoring lines: “C&FS: 7×4 → 3×3” (scoring line 2")
    assert prepared.rows[1].lines == (ScoreLine(Score(4, 4), None),)


def test_over_long_score_note_and_direction_words_are_row_errors(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["Ref", "Description", "Current impact", "Current likelihood", "Score note", "Direction words"],
        ["1", "Budget", 5, 5, "n" * 201, "w" * 200],
    ])
    prepared = import_file(path)
    assert [(p.row, p.column) for p in prepared.errors] == [(2, "Score note")]
    assert "201 characters" in prepared.errors[0].message
    assert prepared.rows[0].direction_text == "w" * 200
