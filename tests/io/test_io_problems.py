"""A corpus of malformed registers: each gives the named row-level problems expected."""

from __future__ import annotations

import csv
from pathlib import Path

from iohelpers import HEADERS, import_file, write_xlsx

from riskdesk.domain.scoring import Score
from riskdesk.io.mapping import ImportMapping, guess_mapping
from riskdesk.io.prepare import RowProblem, prepare_import
from riskdesk.io.readers import read_workbook
from riskdesk.io.scales import Scale, ScaleMap, propose_scales

DEPTS = {"CR": "Corporate Resources", "A&C": "Adults & Communities", "C&FS": "Children & Family Services"}
OWNERS = ("Jane Doe", "Head of Legal and Democratic Services", "Sam Smith")


def _one(problems: tuple[RowProblem, ...], row: int, column: str) -> RowProblem:
    found = [p for p in problems if p.row == row and p.column == column]
    assert len(found) == 1, [str(p) for p in problems]
    return found[0]


def _run(tmp_path: Path, rows: list[list[object]], **kwargs: object):
    return import_file(
        write_xlsx(tmp_path / "reg.xlsx", [HEADERS, *rows]),
        known_departments=DEPTS, known_owners=OWNERS, **kwargs,
    )


def test_a_clean_row(tmp_path: Path) -> None:
    p = _run(tmp_path, [["1.1", "Flood", "CR", "Jane Doe", 4, 3, 12, "On track"]])
    assert p.ok and p.problems == ()
    risk = p.rows[0]
    assert (risk.row, risk.ref, risk.departments, risk.owners, risk.current, risk.update) == (
        2, "1.1", ("CR",), ("Jane Doe",), Score(4, 3), "On track"
    )


def test_text_in_score_cells(tmp_path: Path) -> None:
    p = _run(tmp_path, [["1", "Flood", "CR", "Jane Doe", "see note", 3, 12, ""]])
    assert not p.ok
    problem = _one(p.problems, 2, "Current Impact")
    assert problem.value == "see note" and problem.severity == "error"
    assert "is text, not a current impact riskdesk can read" in problem.message
    assert p.rows[0].current is None


def test_out_of_range_numbers(tmp_path: Path) -> None:
    p = _run(tmp_path, [["1", "Flood", "CR", "Jane Doe", 7, 0, "", ""]])
    impact = _one(p.problems, 2, "Current Impact")
    likelihood = _one(p.problems, 2, "Current Likelihood")
    assert impact.value == "7" and "outside the current impact scale of 1 to 5" in impact.message
    assert likelihood.value == "0" and "outside the current likelihood scale of 1 to 5" in likelihood.message
    assert not p.ok


def test_duplicate_refs_name_the_first_row_and_skipping_clears_them(tmp_path: Path) -> None:
    rows = [["A1", "Flood", "CR", "Jane Doe", 2, 2, 4, ""], ["a1 ", "Fire", "CR", "Jane Doe", 3, 3, 9, ""]]
    p = _run(tmp_path, rows)
    dup = _one(p.problems, 3, "Ref")
    assert dup.value == "a1" and "is also the reference of row 2" in dup.message and dup.severity == "error"
    assert not p.ok
    skipped = _run(tmp_path, rows, skip_rows={3})
    assert skipped.ok and skipped.rows[1].skip and len(skipped.to_import) == 1


def test_empty_required_fields(tmp_path: Path) -> None:
    p = _run(tmp_path, [[None, "Flood", "CR", "Jane Doe", 2, 2, 4, ""], ["2", "-", "CR", "Jane Doe", 2, 2, 4, ""]])
    ref = _one(p.problems, 2, "Ref")
    assert "is empty; every risk needs a reference" in ref.message
    desc = _one(p.problems, 3, "Risk")
    assert desc.value == "-" and "is a placeholder, not a risk description" in desc.message
    assert not p.ok
    assert prepare_import(read_workbook(tmp_path / "reg.xlsx").sheet(), guess_mapping(HEADERS),
                          skip_rows={2, 3}).ok


def test_stated_score_that_disagrees(tmp_path: Path) -> None:
    rows = [["1", "Flood", "CR", "Jane Doe", 4, 3, 16, ""]]
    p = _run(tmp_path, rows)
    problem = _one(p.problems, 2, "Current Score")
    assert problem.severity == "error" and problem.value == "16"
    assert "does not match Current Impact 4 × Current Likelihood 3 = 12" in problem.message
    sheet = read_workbook(tmp_path / "reg.xlsx").sheet()
    trusting = ImportMapping.from_dict({**guess_mapping(HEADERS).to_dict(), "trust_impact_likelihood": True})
    p2 = prepare_import(sheet, trusting, known_departments=DEPTS, known_owners=OWNERS)
    assert p2.ok and p2.rows[0].current == Score(4, 3) and p2.rows[0].current_stated_score == 16
    assert _one(p2.problems, 2, "Current Score").severity == "warning"


def test_missing_columns_in_a_saved_mapping(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "reg.xlsx", [["Ref", "Risk", "Owner"], ["1", "Flood", "Jane Doe"]])
    sheet = read_workbook(path).sheet()
    saved = guess_mapping(HEADERS)  # made for last quarter's file, which had the score columns
    p = prepare_import(sheet, saved, known_owners=OWNERS)
    impact = _one(p.problems, 1, "Current Impact")
    assert impact.severity == "error" and "this sheet has no such column" in impact.message
    assert _one(p.problems, 1, "Update").severity == "warning"
    assert not p.ok
    p2 = prepare_import(sheet, guess_mapping(["Ref", "Risk", "Owner"]))
    assert any("No column is mapped to the current impact" in str(x) for x in p2.problems)


def test_unknown_department_and_owner_are_warnings_with_proposals(tmp_path: Path) -> None:
    p = _run(tmp_path, [["1", "Flood", "A&C C&FS PH", "Jane Doe & John Roe", 2, 2, 4, ""]])
    assert p.ok
    assert p.rows[0].departments == ("A&C", "C&FS", "PH")
    assert p.new_departments == ("PH",)
    dept = _one(p.problems, 2, "Dept")
    assert "“PH”, which riskdesk does not have yet; it will be created" in dept.message
    assert p.rows[0].owners == ("Jane Doe", "John Roe")
    assert "“John Roe”, who is not a known risk owner" in _one(p.problems, 2, "Owner").message


def test_owner_splitting_and_known_names_with_and(tmp_path: Path) -> None:
    p = _run(tmp_path, [
        ["1", "Flood", "CR (ALL)", "Head of Legal and Democratic Services", 2, 2, 4, ""],
        ["2", "Fire", "cr", "jane doe, Sam Smith / Jane Doe and Sam Smith", 2, 2, 4, ""],
    ])
    assert p.rows[0].owners == ("Head of Legal and Democratic Services",)
    assert p.rows[0].departments == ("CR", "ALL")
    assert p.rows[1].owners == ("Jane Doe", "Sam Smith")
    assert p.rows[1].departments == ("CR",)


def test_blank_rows_and_placeholder_rows_are_left_out_but_numbered_right(tmp_path: Path) -> None:
    p = _run(tmp_path, [
        [None] * 8,
        ["-", "n/a", "—", None, "-", None, None, None],
        ["1", "Flood", "CR", "Jane Doe", 2, 2, 4, "-"],
        HEADERS,  # header repeated on a new printed page
        ["2", "Fire", "CR", "Jane Doe", 2, "n/a", None, None],
    ])
    assert [r.row for r in p.rows] == [4, 6]
    placeholder = _one(p.problems, 4, "Update")
    assert placeholder.severity == "warning" and "placeholder" in placeholder.message
    assert p.rows[0].update == ""
    like = [x for x in p.problems if x.row == 6 and x.column == "Current Likelihood"]
    assert [x.severity for x in like] == ["warning", "error"]
    assert "is empty, but the current impact is filled in" in like[1].message


def test_thirty_thousand_character_cell_is_whole(tmp_path: Path) -> None:
    text = ("Paragraph. " * 2728)[:30_000].strip()
    p = _run(tmp_path, [["1", "Flood", "CR", "Jane Doe", 2, 2, 4, text]])
    assert p.ok and p.rows[0].update == text and len(text) > 29_990


def test_ten_point_scale_and_fractions(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ten.xlsx", [
        HEADERS,
        ["1", "Flood", "CR", "Jane Doe", 10, 7, 70, ""],
        ["2", "Fire", "CR", "Jane Doe", 3, 2, 6, ""],
        ["3", "Cyber", "CR", "Jane Doe", 3.5, 2, 7, ""],
        ["4", "Theft", "CR", "Jane Doe", 11, 2, 22, ""],
    ])
    sheet = read_workbook(path).sheet()
    mapping = guess_mapping(HEADERS)
    proposed = propose_scales([r[4] for r in sheet.grid[1:]][:3], [r[5] for r in sheet.grid[1:]])
    # Values never rescale a file: a 10 in the column is an error on a 1–5 scale until the user says 1–10.
    assert proposed.impact.maximum == 5 and proposed.likelihood.maximum == 5
    on_five = prepare_import(sheet, mapping, proposed, known_departments=DEPTS, known_owners=OWNERS)
    assert "outside the current impact scale of 1 to 5" in _one(on_five.problems, 2, "Current Impact").message
    assert on_five.rows[1].current == Score(3, 2)  # 3 stays 3: no silent 3 → 2
    scales = proposed.with_range("impact", 10).with_range("likelihood", 10)
    assert scales.impact.table[10] == 5 and scales.impact.table[3] == 2 and scales.impact.why == "chosen by you"
    p = prepare_import(sheet, mapping, scales, known_departments=DEPTS, known_owners=OWNERS)
    assert p.rows[0].current == Score(5, 4)  # 10 → 5, 7 → 4; stated 70 = 10 × 7 agrees
    assert p.rows[1].current == Score(2, 1)
    rounded = _one(p.problems, 4, "Current Impact")
    assert rounded.severity == "warning" and rounded.value == "3.5"
    assert "rounds halves up, so it is read as 4" in rounded.message
    assert p.rows[2].current == Score(2, 1)
    assert "outside the current impact scale of 1 to 10" in _one(p.problems, 5, "Current Impact").message
    strict = ScaleMap(Scale(maximum=10, fractions="error"), scales.likelihood)
    p2 = prepare_import(sheet, mapping, strict)
    assert _one(p2.problems, 4, "Current Impact").severity == "error"


def test_word_scales(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "words.xlsx", [
        HEADERS,
        ["1", "Flood", "CR", "Jane Doe", "Critical", "almost  Certain", 25, ""],
        ["2", "Fire", "CR", "Jane Doe", "minor", "Unlikely", 4, ""],
        ["3", "Cyber", "CR", "Jane Doe", "4 - Major", "Possible (3)", None, ""],
        ["4", "Theft", "CR", "Jane Doe", "Huge", "Likely", None, ""],
    ])
    p = prepare_import(read_workbook(path).sheet(), guess_mapping(HEADERS))
    assert [r.current for r in p.rows[:3]] == [Score(5, 5), Score(2, 2), Score(4, 3)]
    huge = _one(p.problems, 5, "Current Impact")
    assert huge.value == "Huge" and "is text" in huge.message and huge.severity == "error"


def test_three_word_impact_scale_is_proposed_as_such() -> None:
    scales = propose_scales(["Minor", "Serious", "Major", "serious"], ["Rare", "Likely"])
    assert scales.impact.word_level("SERIOUS") == 3
    assert scales.impact.word_level("Major") == 5
    assert scales.likelihood.word_level("likely") == 4


def test_scales_round_trip_through_json() -> None:
    scales = propose_scales([1, 8, 10], ["Rare"])
    assert ScaleMap.from_dict(scales.to_dict()) == scales


def test_pair_in_one_cell_follows_the_declared_order(tmp_path: Path) -> None:
    headers = ["Ref", "Risk", "Current risk score"]
    path = write_xlsx(tmp_path / "pair.xlsx", [headers, ["1", "Flood", "4 x 3"], ["2", "Fire", "L2 / I5"]])
    sheet = read_workbook(path).sheet()
    mapping = ImportMapping(columns=(("Ref", "ref"), ("Risk", "description"), ("Current risk score", "current_score")))
    p = prepare_import(sheet, mapping)
    assert [r.current for r in p.rows] == [Score(4, 3), Score(5, 2)]
    likelihood_first = ImportMapping.from_dict({**mapping.to_dict(), "impact_first": False})
    assert prepare_import(sheet, likelihood_first).rows[0].current == Score(3, 4)


def test_two_header_rows_with_merged_banners(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "banner.xlsx", [
        ["Anytown Council Corporate Risk Register 2024/25"],
        [None],
        ["Ref", "Risk", "Inherent risk", None, None, "Residual risk", None, None, "Owner"],
        [None, None, "Likelihood", "Impact", "Score", "Likelihood", "Impact", "Score", None],
        ["R1", "Flood", 5, 4, 20, 3, 2, 6, "Jane Doe"],
    ], merges=["C3:E3", "F3:H3", "A3:A4", "B3:B4", "I3:I4"])
    sheet = read_workbook(path).sheet()
    p = import_file(path, known_owners=OWNERS)
    assert p.header_rows == (3, 2)
    assert p.headers[2:8] == (
        "Inherent risk - Likelihood", "Inherent risk - Impact", "Inherent risk - Score",
        "Residual risk - Likelihood", "Residual risk - Impact", "Residual risk - Score",
    )
    assert p.headers[8] == "Owner"
    assert p.ok, [str(x) for x in p.problems]
    assert p.rows[0].row == 5
    assert p.rows[0].inherent == Score(4, 5) and p.rows[0].current == Score(2, 3)
    # The user can override the detected header rows; the result is the same here.
    override = ImportMapping.from_dict({**guess_mapping(p.headers).to_dict(), "header_rows": [3, 2]})
    assert prepare_import(sheet, override, known_owners=OWNERS).rows == p.rows


def test_two_header_rows_without_merge_information(tmp_path: Path) -> None:
    path = tmp_path / "banner.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([
            ["Ref", "Risk", "Current risk", "", "", "Mitigation", "Target risk", ""],
            ["", "", "Impact", "Likelihood", "Score", "", "Impact", "Likelihood"],
            ["7.2", "Flood", "4", "3", "12", "Sandbags", "2", "2"],
        ])
    p = import_file(path)
    assert p.headers == ("Ref", "Risk", "Current risk - Impact", "Current risk - Likelihood", "Current risk - Score",
                         "Mitigation", "Target risk - Impact", "Target risk - Likelihood")
    assert p.rows[0].current == Score(4, 3) and p.rows[0].target == Score(2, 2)
    assert p.rows[0].row == 3 and p.rows[0].mitigation == "Sandbags"


def test_problem_reads_as_a_sentence() -> None:
    problem = RowProblem(12, "Current Impact", "7", "is outside the current impact scale of 1 to 5.")
    assert str(problem) == "Row 12, Current Impact: “7” is outside the current impact scale of 1 to 5."


def test_scales_are_proposed_from_the_mapped_columns(tmp_path: Path) -> None:
    from riskdesk.io.prepare import column_values, propose_scales_for

    headers = ["Ref", "Risk", "Gross impact", "Gross likelihood", "Net impact", "Net likelihood"]
    path = write_xlsx(tmp_path / "s.xlsx", [headers, ["1", "Flood", 9, "Rare", 4, "Likely"]])
    sheet = read_workbook(path).sheet()
    mapping = guess_mapping(headers)
    assert column_values(sheet, mapping, "Gross impact") == [9]
    scales = propose_scales_for(sheet, mapping)
    assert scales.impact.maximum == 5 and scales.likelihood.word_level("rare") == 1


def test_a_saved_scale_from_the_old_guess_is_read_as_one_to_five_and_says_so() -> None:
    # riskdesk once proposed 1–10,000,000 from one mistyped impact; such a saved scale must load.
    scale = Scale.from_dict({"maximum": 10_000_000, "numbers": [], "words": [["high", 4]]})
    assert scale.maximum == 5 and scale.word_level("High") == 4
    assert "the saved scale of 1 to 10,000,000 is not one riskdesk reads" in scale.why
