"""Reading files: encodings, delimiters and the file-level errors a user can act on."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from iohelpers import write_xlsx

from riskdesk.domain.errors import RiskdeskError
from riskdesk.io.errors import ImportFileError
from riskdesk.io.readers import read_workbook


def test_import_file_error_is_a_riskdesk_error() -> None:
    assert issubclass(ImportFileError, RiskdeskError)


def test_empty_files(tmp_path: Path) -> None:
    for name in ("empty.csv", "empty.xlsx"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(ImportFileError, match=r"“empty\..*” is empty"):
            read_workbook(tmp_path / name)
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf\r\n,,\r\n")
    with pytest.raises(ImportFileError, match="is empty"):
        read_workbook(tmp_path / "bom.csv")


def test_unknown_extension(tmp_path: Path) -> None:
    (tmp_path / "register.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(ImportFileError, match=r"is a \.pdf file; riskdesk can import \.xlsx"):
        read_workbook(tmp_path / "register.pdf")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="does not exist"):
        read_workbook(tmp_path / "gone.xlsx")


def test_random_bytes_are_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(4096).replace(b"PK", b"pk"))
    with pytest.raises(ImportFileError, match="is not an Excel workbook; the file is damaged"):
        read_workbook(path)


def test_truncated_xlsx_is_reported_as_damaged(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["Ref", "Risk"], ["1", "Flood"]])
    data = good.read_bytes()
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="cannot be read as a spreadsheet; the file is damaged"):
        read_workbook(bad)


def test_encrypted_xlsx_says_how_to_remove_the_password(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE2 compound file with EncryptionInfo/EncryptedPackage streams.
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    directory = "EncryptionInfo".encode("utf-16-le") + bytes(50) + "EncryptedPackage".encode("utf-16-le")
    path = tmp_path / "locked.xlsx"
    path.write_bytes(header + directory + os.urandom(2048))
    with pytest.raises(ImportFileError) as err:
        read_workbook(path)
    assert str(err.value) == (
        "“locked.xlsx” is password-protected; open it in Excel, remove the password, save, and import again"
    )


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Ref</td></tr></table></body></html>")
    with pytest.raises(ImportFileError, match=r"is a web page saved with an \.xls name"):
        read_workbook(path)


def test_windows_1252_csv_keeps_pound_quote_and_dash(tmp_path: Path) -> None:
    text = "Ref,Risk,Update\r\n1,Budget gap of £2m – council’s reserves,“Agreed”\r\n"
    path = tmp_path / "win.csv"
    path.write_bytes(text.encode("cp1252"))
    grid = read_workbook(path).sheet().grid
    assert grid[1] == ["1", "Budget gap of £2m – council’s reserves", "“Agreed”"]


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    for name, data in (("bom.csv", b"\xef\xbb\xbf"), ("plain.csv", b"")):
        path = tmp_path / name
        path.write_bytes(data + "Ref,Risk\n1,Cost £5 – high\n".encode())
        assert read_workbook(path).sheet().grid == [["Ref", "Risk"], ["1", "Cost £5 – high"]]


def test_undecodable_bytes_are_refused_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Ref,Risk\n1,bad \x81 byte\n")  # 0x81 is undefined in Windows-1252
    with pytest.raises(ImportFileError, match="neither UTF-8 nor Windows-1252"):
        read_workbook(path)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    import csv

    rows = [
        ["Ref", "Risk, with comma; and semicolon", "Owner"],
        ["1", "Line one, two; three\nline two", "CMT"],
        ["2", "Plain", "Paul Medd"],
    ]
    path = tmp_path / "d.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    assert read_workbook(path).sheet().grid == rows


def test_xlsx_grid_is_anchored_at_a1_with_real_values(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [[None], [None, "Title"], ["Ref", "Score", "Reviewed", "Text"], [1, 3.5, date(2024, 3, 31), "a\nb"]],
    )
    book = read_workbook(path)
    assert book.sheet_names == ("Register",)
    grid = book.sheet("Register").grid
    assert grid[1] == [None, "Title"]
    assert grid[3] == [1, 3.5, date(2024, 3, 31), "a\nb"]
    with pytest.raises(ImportFileError, match="has no sheet called “Nope”"):
        book.sheet("Nope")


def test_fill_merged_down(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "m.xlsx", [["Ref", "Owner"], ["1", "CMT"], [None, None], ["2", "Paul"]], merges=["B2:B3"]
    )
    assert read_workbook(path).sheet().grid[2] == []
    assert read_workbook(path, fill_merged_down=True).sheet().grid[2] == [None, "CMT"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_delimiter_is_sniffed_when_long_quoted_cells_are_full_of_the_other_one(tmp_path: Path, delimiter: str) -> None:
    # Regression: a 40,000-character update of lines like "noted; agreed; done" read as ";"-delimited.
    import csv

    other = ";" if delimiter == "," else ","
    paragraph = f"Progress noted{other} agreed{other} done" * 12
    rows = [["Ref", "Description", "Owner", "Update"]]
    rows += [[str(n), f"Risk {n}", "CMT", "\n\n".join([paragraph] * 40)] for n in range(3)]
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    assert read_workbook(path).sheet().grid == rows
