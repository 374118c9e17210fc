"""Read a council's spreadsheet into raw grids: one list of rows per sheet, cells as plain values.

Nothing here interprets the register; it only turns a file into cells faithfully:

* ``.xlsx``/``.xlsm``/``.xls``/``.ods`` go through pandas with the calamine engine (Rust, about
  ten times faster than openpyxl on a large register) with ``header=None`` and ``dtype=object``
  so that no value is coerced and the grid stays anchored at cell A1.
* ``.csv``/``.tsv``/``.txt`` are decoded as UTF-8 (with or without BOM), UTF-16 when it has a
  BOM (Excel's "Unicode text"), and otherwise Windows-1252, because that is what Excel on a UK
  Windows PC writes for "CSV (Comma delimited)". A byte that is neither is refused, never
  replaced: a silently dropped "£" in a financial risk would be worse than an error.
* Cell values are ``str``, ``int``, ``float``, ``bool``, ``datetime.date``/``datetime``,
  ``datetime.time`` or ``None`` (empty). Whole-number floats become ``int``.

Row ``i`` of a grid is Excel row ``i + 1``; that is how problems are later reported.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from riskdesk.io.errors import ImportFileError

Cell = str | int | float | bool | date | time | None
Grid = list[list[Cell]]

#: (first row, first column, last row, last column), 0-based and inclusive, as calamine gives them.
CellRange = tuple[int, int, int, int]

EXCEL_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"
# An encrypted OOXML file is an OLE2 compound file holding these streams (MS-OFFCRYPTO 2.3.4).
_ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_PASSWORD_ADVICE = "is password-protected; open it in Excel, remove the password, save, and import again"


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells.

    Attributes:
        name: the sheet tab's name ("Sheet1"; the file's stem for a CSV).
        grid: rows of cell values; row ``i`` is Excel row ``i + 1``, column ``j`` is column ``j + 1``.
        merges: merged ranges where the format records them (xlsx), else empty. Header
            detection uses them to spread a banner over the columns it spans.
    """

    name: str
    grid: Grid
    merges: tuple[CellRange, ...] = field(default=())

    @property
    def width(self) -> int:
        return max((len(r) for r in self.grid), default=0)


@dataclass(frozen=True)
class Workbook:
    """Every sheet of a file, in tab order.

    Attributes:
        path: the file read.
        sheets: the sheets, in tab order; a CSV gives exactly one.
    """

    path: Path
    sheets: tuple[Sheet, ...]

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    def sheet(self, name: str | None = None) -> Sheet:
        """The sheet called ``name``, or the first sheet with any data when ``name`` is None.

        Raises:
            ImportFileError: no sheet has that name.
        """
        if name is None:
            return next((s for s in self.sheets if s.grid), self.sheets[0])
        for s in self.sheets:
            if s.name == name:
                return s
        names = ", ".join(f"“{n}”" for n in self.sheet_names)
        raise ImportFileError(self.path, f"has no sheet called “{name}” (its sheets are {names})")


def read_workbook(path: str | Path, *, fill_merged_down: bool = False) -> Workbook:
    """Read every sheet of a spreadsheet or delimited text file.

    Args:
        path: an .xlsx, .xlsm, .xls, .ods, .csv, .tsv or .txt file.
        fill_merged_down: copy the value of each merged range into every cell it covers
            (across and down). Calamine gives a merged range as the value in its first cell and
            blanks elsewhere; registers that merge a reference or owner over several rows, or a
            banner over several header columns, read as intended with this on. Header detection
            spreads banners by itself, so this is only needed for merged *data* cells.

    Returns:
        The sheets with their raw grids.

    Raises:
        ImportFileError: the file is empty, missing, of an unknown type, damaged,
            password-protected or not a spreadsheet at all; the message says which and what to do.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in EXCEL_EXTENSIONS | TEXT_EXTENSIONS:
        kinds = ".xlsx, .xlsm, .xls, .ods and .csv"
        what = f"a {ext} file" if ext else "a file without an extension"
        raise ImportFileError(path, f"is {what}; riskdesk can import {kinds} files")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(path, "does not exist (was it moved or renamed?)") from None
    except IsADirectoryError:
        raise ImportFileError(path, "is a folder, not a file") from None
    except PermissionError:
        raise ImportFileError(path, "cannot be opened: permission denied (is it open in Excel?)") from None
    if not data.strip():
        raise ImportFileError(path, "is empty")
    if ext in TEXT_EXTENSIONS:
        _refuse_binary_as_text(path, data)
        grid = _read_delimited(path, data, tab=ext == ".tsv")
        if not any(any(c is not None for c in row) for row in grid):
            raise ImportFileError(path, "is empty")
        return Workbook(path, (Sheet(path.stem, grid),))
    sheets = _read_excel(path, data, ext)
    if fill_merged_down:
        sheets = tuple(Sheet(s.name, fill_merged(s.grid, s.merges), s.merges) for s in sheets)
    return Workbook(path, sheets)


def fill_merged(grid: Grid, merges: Sequence[CellRange], *, rows: range | None = None) -> Grid:
    """Return a copy of ``grid`` with each merged range's first value copied into all its cells.

    Args:
        grid: the raw grid.
        merges: merged ranges (0-based, inclusive).
        rows: only fill cells in these grid rows (e.g. the header rows); all rows when None.
    """
    out = [list(r) for r in grid]
    for r0, c0, r1, c1 in merges:
        if r0 >= len(out) or c0 >= len(out[r0]):
            continue
        value = out[r0][c0]
        for r in range(r0, min(r1, len(out) - 1) + 1):
            if rows is not None and r not in rows:
                continue
            row = out[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and row[c] is None:
                    row[c] = value
    return out


# -- Excel / ODS --------------------------------------------------------------------------------


def _read_excel(path: Path, data: bytes, ext: str) -> tuple[Sheet, ...]:
    head = data[:8]
    if head.startswith(_OLE2_SIGNATURE):
        if any(marker in data for marker in _ENCRYPTION_MARKERS):
            raise ImportFileError(path, _PASSWORD_ADVICE)
        if ext in (".xlsx", ".xlsm", ".ods"):
            # An old-format .xls saved under a new name; calamine reads it by content.
            pass
    elif head.startswith(_ZIP_SIGNATURE):
        if ext == ".xls":
            pass  # an .xlsx saved with the old extension: calamine reads it by content
    else:
        _refuse_not_a_workbook(path, data, ext)

    import pandas as pd  # here, not at module level: pandas costs half a second to import

    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            names = list(book.sheet_names)
            frames = pd.read_excel(
                book, sheet_name=names, header=None, dtype=object, keep_default_na=False, na_filter=False
            )
            merges = _merged_ranges(book, names, ext)
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own types; the user needs one message
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise ImportFileError(path, _PASSWORD_ADVICE) from exc
        raise ImportFileError(
            path,
            "cannot be read as a spreadsheet; the file is damaged or is not really an "
            f"{ext} file. Open it in Excel, save it again as .xlsx, and import that copy. (Detail: {text})",
        ) from exc
    sheets = []
    for name in names:
        frame = frames[name]
        grid = [[_clean_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]
        sheets.append(Sheet(name, _trim(grid), merges.get(name, ())))
    if not any(s.grid for s in sheets):
        raise ImportFileError(path, "has no data in any of its sheets")
    return tuple(sheets)


def _merged_ranges(book: object, names: list[str], ext: str) -> dict[str, tuple[CellRange, ...]]:
    """Merged ranges per sheet, from the calamine workbook pandas already opened."""
    if ext not in (".xlsx", ".xlsm"):
        return {}
    out: dict[str, tuple[CellRange, ...]] = {}
    raw = getattr(book, "book", None)
    if raw is None:
        return out
    for name in names:
        try:
            ranges = raw.get_sheet_by_name(name).merged_cell_ranges or ()
        except Exception:  # merges are a convenience; never fail an import over them
            continue
        out[name] = tuple((a[0], a[1], b[0], b[1]) for a, b in ranges)
    return out


def _clean_cell(value: object) -> Cell:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        # Calamine gives Excel's in-cell line breaks as \n, but a CSV pasted into a cell may bring \r\n.
        return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value != value:  # NaN: pandas' marker for nothing
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        if type(value) is not datetime:  # pandas Timestamp
            value = value.to_pydatetime()  # type: ignore[attr-defined]
        # Excel has only one date-time type; a midnight value is a date as far as anyone typed it.
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date | time):
        return value
    if hasattr(value, "total_seconds"):  # a duration cell; keep as text rather than guess
        return str(value)
    return str(value)


def _trim(grid: Grid) -> Grid:
    """Drop trailing empty cells and trailing empty rows (formatting often extends the used range)."""
    out: Grid = []
    for row in grid:
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


def _refuse_not_a_workbook(path: Path, data: bytes, ext: str) -> None:
    sample = data[:2048].lstrip().lower()
    if sample.startswith((b"<html", b"<!doctype html", b"<table")) or b"<html" in sample[:512]:
        raise ImportFileError(
            path,
            f"is a web page saved with an {ext} name (some systems export like this); "
            "open it in Excel, save it as an Excel Workbook (.xlsx), and import that copy",
        )
    if sample.startswith(b"%pdf"):
        raise ImportFileError(path, f"is a PDF document with an {ext} name, not a spreadsheet")
    if ext == ".ods":
        raise ImportFileError(path, "is not an OpenDocument spreadsheet (the file is damaged or of another type)")
    raise ImportFileError(
        path, f"is not an Excel workbook; the file is damaged or of another type saved with an {ext} name"
    )


# -- delimited text -----------------------------------------------------------------------------


def _refuse_binary_as_text(path: Path, data: bytes) -> None:
    if data.startswith(_ZIP_SIGNATURE) or data.startswith(_OLE2_SIGNATURE):
        raise ImportFileError(
            path, f"is an Excel workbook saved with a {path.suffix} name; rename it to .xlsx (or .xls) and import again"
        )


def decode_text(path: str | Path, data: bytes) -> str:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252.

    Raises:
        ImportFileError: the bytes are valid in none of these; nothing is replaced or dropped.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    last: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            last = exc
    assert last is not None
    raise ImportFileError(
        path,
        f"contains a character riskdesk cannot read at byte {last.start} (it is neither UTF-8 nor "
        "Windows-1252 text). In Excel choose Save As › “CSV UTF-8 (Comma delimited)” and import that copy",
    )


def sniff_delimiter(text: str, *, default: str = ",") -> str:
    """Pick comma, semicolon or tab: the one that splits the first records into the most, steadiest columns.

    ``csv.Sniffer`` is unreliable on registers, whose quoted cells run over many lines and
    themselves contain commas and semicolons; parsing a sample with each candidate is not.
    """
    sample = text[:200_000]
    # A quoted cell opens right after its delimiter. Counting ',"' against ';"' and '\t"' tells
    # the delimiter even when long quoted cells are full of the other characters (an update
    # written as "done; next; then" splits into many steady columns on ";" otherwise).
    opens = {d: sample.count(d + '"') for d in (",", ";", "\t")}
    ranked = sorted(opens.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] >= 3 and ranked[0][1] > 2 * ranked[1][1]:
        return ranked[0][0]
    best, best_score = default, (0.0, 0)
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
        widths = []
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    widths.append(len(row))
                if len(widths) >= 30:
                    break
        except csv.Error:
            continue
        if len(widths) > 1:
            widths = widths[:-1]  # the sample may cut the last record short
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (count / len(widths) * width, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_delimited(path: Path, data: bytes, *, tab: bool) -> Grid:
    text = decode_text(path, data)
    delimiter = "\t" if tab else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [[_text_cell(c) for c in row] for row in reader]
    except csv.Error as exc:
        raise ImportFileError(path, f"is not a readable delimited file: {exc}") from exc
    return _trim(rows)


def _text_cell(value: str) -> Cell:
    if value == "":
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
