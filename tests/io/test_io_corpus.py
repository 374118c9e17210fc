"""The malformed-import corpus (tests/io/corpus/): each file's exact outcome, and no value changed silently.

Each file is read, mapped and prepared the way ``riskdesk import`` does it (guessed mapping, the
user's ``--map``/``--scale``/``--encoding`` where the case gives them). It is either refused,
naming the row and column, or imported with every value as in the file: a number on riskdesk's
1–5 scale stays that number, and anything converted (a word, a stated 1–10 scale, a rounded
fraction) is shown in the preview and keeps the file's original cells.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from riskdesk.io.errors import ImportFileError
from riskdesk.io.mapping import parse_map_option
from riskdesk.io.prepare import PreparedImport, guess_for_sheet, prepare_import
from riskdesk.io.readers import read_workbook
from riskdesk.io.scales import parse_scale_option

CORPUS = Path(__file__).parent / "corpus"
sys.path.insert(0, str(CORPUS))
from make_corpus import CASES, Case, FileRefused, Imported, RowRefused  # noqa: E402

BY_NAME = {c.name: c for c in CASES}


def run_case(case: Case, path: Path | None = None) -> PreparedImport:
    """Read and prepare a corpus file as the CLI does; ImportFileError propagates."""
    path = path or CORPUS / case.name
    book = read_workbook(path, encoding=case.options.get("encoding"))  # type: ignore[arg-type]
    sheet = book.sheet()
    mapping, scales = guess_for_sheet(sheet)
    for text in case.options.get("map", ()):  # type: ignore[attr-defined]
        header, field_name = parse_map_option(text)
        mapping = mapping.with_column(header, field_name)
    for text in case.options.get("scale", ()):  # type: ignore[attr-defined]
        part, top = parse_scale_option(text)
        scales = scales.with_range(part, top, f"you chose --scale {part}=1-{top}")
    return prepare_import(sheet, mapping, scales, known_owners=("Jane Doe",), source_name=case.name,
                          encoding=book.encoding, encoding_why=book.encoding_why)


def silent_changes(case: Case, prepared: PreparedImport) -> list[str]:
    """Values that would be stored differently from the file without the preview saying so."""
    if isinstance(case.outcome, FileRefused | RowRefused):
        return [] if not prepared.ok else [f"{case.name}: imported although it must be refused"]
    out = []
    shown = {col.header: col for col in prepared.scales}
    headers = {f: h for h, f in _mapping_of(prepared)}
    grid = read_workbook(CORPUS / case.name, encoding=case.options.get("encoding")).sheet().grid  # type: ignore[arg-type]
    for risk in prepared.to_import:
        row = grid[risk.row - 1]
        for set_name, score in (("current", risk.current), ("target", risk.target)):
            if score is None:
                continue
            for part, level in (("impact", score.impact), ("likelihood", score.likelihood)):
                header = headers.get(f"{set_name}_{part}")
                j = prepared.headers.index(header) if header else None
                cell = row[j] if j is not None and j < len(row) else None
                text = str(cell).strip()
                try:
                    as_number = float(text)
                except ValueError:
                    as_number = None
                col = shown.get(header or "")
                source = getattr(risk, f"{set_name}_source")
                if as_number is not None and col is not None and col.reading.startswith("1 to 5") \
                        and as_number == level:
                    continue  # exactly as in the file
                # Converted: the preview must show the conversion and the original cell must be kept.
                listed = col is not None and (any(w == text for w, _ in col.words)
                                              or any(n == text for n, _ in col.numbers)
                                              or not col.why.startswith("riskdesk's own"))
                warned = any(p.row == risk.row and p.column == header for p in prepared.warnings)
                if not ((listed or warned) and text in source):
                    out.append(f"{case.name} row {risk.row} {header}: {text!r} stored as {level}")
    return out


def _mapping_of(prepared: PreparedImport) -> list[tuple[str, str]]:
    return [(col.header, col.field) for col in prepared.scales]


def test_the_corpus_is_large_enough_and_committed_as_generated() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        assert (CORPUS / case.name).read_bytes() == case.data, f"{case.name}: run tests/io/corpus/make_corpus.py"


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_corpus_file_has_its_exact_outcome(name: str) -> None:
    case = BY_NAME[name]
    outcome = case.outcome
    if isinstance(outcome, FileRefused):
        with pytest.raises(ImportFileError) as info:
            run_case(case)
        message = str(info.value)
        assert outcome.match in message
        if outcome.row is not None:
            assert f"at row {outcome.row}, column {outcome.column} " in message
        return
    prepared = run_case(case)
    if isinstance(outcome, RowRefused):
        assert not prepared.ok
        hits = [p for p in prepared.errors if p.row == outcome.row and p.column == outcome.column
                and p.value == outcome.value and outcome.match in p.message]
        assert hits, [str(p) for p in prepared.errors]
        # Only the cells at fault are refused: every other row still reads as in the file.
        for risk in prepared.rows:
            if risk.row != outcome.row and risk.current is not None and outcome.row > 1:
                assert not [p for p in prepared.problems_for(risk.row) if p.severity == "error"]
        return
    assert isinstance(outcome, Imported)
    assert prepared.ok, [str(p) for p in prepared.errors]
    got = {r.ref: (r.current.impact, r.current.likelihood, r.target.impact if r.target else None,
                   r.target.likelihood if r.target else None) for r in prepared.to_import if r.current}
    assert got == outcome.levels
    by_ref = {r.ref: r for r in prepared.to_import}
    for ref, text in outcome.sources:
        assert text in by_ref[ref].current_source
    for ref, attr, text in outcome.texts:
        assert getattr(by_ref[ref], attr) == text
    for row, column, words in outcome.warnings:
        assert any(p.row == row and p.column == column and words in p.message for p in prepared.warnings), \
            [str(p) for p in prepared.warnings]
    for header, rows in outcome.ignored:
        col = next(c for c in prepared.ignored_scores if c.header == header)
        assert tuple(r for r, _, _ in col.disagreements) == rows


def test_no_corpus_file_changes_a_value_silently() -> None:
    changed: list[str] = []
    files_changed = 0
    for case in CASES:
        try:
            prepared = run_case(case)
        except ImportFileError:
            continue  # refused as a whole: nothing stored
        found = silent_changes(case, prepared)
        files_changed += bool(found)
        changed.extend(found)
    print(f"corpus files: {len(CASES)}; files that changed any value silently: {files_changed}")
    assert files_changed == 0, changed


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: no 200 MB written to the test disk
        fh.write(b"Ref,Risk\n")
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=r"is 200 MB; riskdesk imports files of up to 40 MB"):
        read_workbook(path)


def test_the_dry_run_preview_states_each_scale_and_the_words_it_converts() -> None:
    words = run_case(BY_NAME["word_scales.csv"])
    impact = next(c for c in words.scales if c.header == "Current Impact")
    assert impact.reading == "1 to 5" and impact.why.startswith("riskdesk's own 1 to 5")
    assert impact.words == (("High", 4), ("Very High", 5), ("Medium", 3))
    york = run_case(BY_NAME["york_style.csv"])
    ten = next(c for c in york.scales if c.field == "current_impact")
    assert ten.header == "Impact (1-10)" and ten.why == "the header “Impact (1-10)” says 1 to 10"
    assert ("7", 4) in ten.numbers and ("10", 5) in ten.numbers
    chosen = run_case(BY_NAME["ten_point_fractions_chosen.csv"])
    assert next(c for c in chosen.scales if c.field == "current_impact").why == "you chose --scale impact=1-10"
    assert chosen.encoding == "utf-8"
    assert run_case(BY_NAME["cp1252_pound_and_quotes.csv"]).encoding == "cp1252"
