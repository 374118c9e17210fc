"""Exports: formula injection neutralised, numbers and dates typed, long text never cut."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from riskdesk.io.errors import ExportError
from riskdesk.io.export import EXCEL_CELL_LIMIT, Column, export_rows, split_long_text
from riskdesk.io.readers import read_workbook

DANGEROUS = ["=1+2", "+44 1234", "-SUM(A1)", "@cmd", "\tTAB=1", "\rCR=1"]
COLUMNS = [Column("Ref"), Column("Text"), Column("Score"), Column("Reviewed")]


def _read_xlsx(path: Path):
    from openpyxl import load_workbook

    return load_workbook(path).active


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_injection_xlsx(tmp_path: Path, text: str) -> None:
    path = export_rows(tmp_path / "out.xlsx", COLUMNS, [["1", text, -3, None]], sheet_name="Risks")
    ws = _read_xlsx(path)
    cell = ws.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == "'" + text
    number = ws.cell(row=2, column=3)
    assert number.value == -3 and number.data_type == "n"  # a negative number is not text


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_injection_csv(tmp_path: Path, text: str) -> None:
    path = export_rows(tmp_path / "out.csv", COLUMNS, [["1", text, -3, None]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][1] == "'" + text
    assert rows[1][2] == "-3"


def test_safe_text_is_left_alone_and_apostrophes_are_escaped(tmp_path: Path) -> None:
    path = export_rows(tmp_path / "out.csv", COLUMNS, [["1", "Budget £2m – council’s", 4.5, None],
                                                       ["2", "'=already", 0, None]])
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][1] == "Budget £2m – council’s"
    assert rows[2][1] == "''=already"


def test_dates_are_real_dates_in_xlsx_and_iso_in_csv(tmp_path: Path) -> None:
    rows = [["1", "x", 1, date(2024, 3, 31)], ["2", "y", 2, datetime(2024, 4, 1, 9, 30)]]
    ws = _read_xlsx(export_rows(tmp_path / "out.xlsx", COLUMNS, rows))
    cell = ws.cell(row=2, column=4)
    assert cell.is_date and cell.value == datetime(2024, 3, 31) and cell.number_format == "dd/mm/yyyy"
    assert ws.cell(row=3, column=4).value == datetime(2024, 4, 1, 9, 30)
    with (export_rows(tmp_path / "out.csv", COLUMNS, rows)).open(encoding="utf-8-sig", newline="") as fh:
        out = list(csv.reader(fh))
    assert out[1][3] == "2024-03-31" and out[2][3] == "2024-04-01 09:30"


def test_header_is_bold_and_frozen_and_widths_are_set(tmp_path: Path) -> None:
    ws = _read_xlsx(export_rows(tmp_path / "out.xlsx", COLUMNS, [["1", "word " * 40, 1, None]]))
    assert ws.freeze_panes == "A2"
    assert ws.cell(row=1, column=1).font.bold
    assert 8 <= ws.column_dimensions["A"].width <= 10
    assert ws.column_dimensions["B"].width == 60
    assert ws.cell(row=2, column=2).alignment.wrap_text


def test_long_text_continues_in_extra_columns(tmp_path: Path) -> None:
    long = ("line of update text\n" * 2500).strip()  # 49,999 characters
    ws = _read_xlsx(export_rows(tmp_path / "out.xlsx", COLUMNS, [["1", long, 1, None], ["2", "short", 2, None]]))
    headings = [c.value for c in ws[1]]
    assert headings == ["Ref", "Text", "Text (continued 2)", "Score", "Reviewed"]
    first, second = ws.cell(row=2, column=2).value, ws.cell(row=2, column=3).value
    assert len(first) <= EXCEL_CELL_LIMIT and first + second == long
    assert first.endswith("\n")  # split at a line break
    assert ws.cell(row=3, column=3).value is None


def test_split_counts_utf16_units() -> None:
    text = "😀" * 20_000  # 40,000 UTF-16 units
    parts = split_long_text(text)
    assert "".join(parts) == text and all(len(p.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT for p in parts)


def test_bad_requests_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"exports to \.xlsx or \.csv"):
        export_rows(tmp_path / "out.pdf", COLUMNS, [])
    with pytest.raises(ExportError, match="Row 2 has 1 cells but there are 4 columns"):
        export_rows(tmp_path / "out.csv", COLUMNS, [["1"]])
    assert not list(tmp_path.glob(".riskdesk-export-*"))  # no half-written temporary file left


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_control_characters_already_stored_never_fail_an_export(tmp_path: Path, ext: str) -> None:
    # An ESC stored before imports refused it: the export must still work, replace it visibly and say so.
    notes: list[str] = []
    path = export_rows(tmp_path / f"out.{ext}", COLUMNS, [["1", "esc\x1b[31m red\x07 bell", 1, None],
                                                          ["2", "fine\ttab", 2, None]], notes=notes)
    book = read_workbook(path).sheet()
    assert book.grid[1][1] == "esc\u241b[31m red\u2407 bell" and book.grid[2][1] == "fine\ttab"
    print("cells with control characters replaced:", len(notes))
    assert notes == ["Row 2, Text: ESC (code 0x1b) shown as \u241b"]
