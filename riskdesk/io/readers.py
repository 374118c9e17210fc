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

import contextlib
import csv
import io
from collections import Counter
from collections.abc import Iterator, Sequence
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
        encoding, encoding_why: how a text file was decoded (see :func:`decode_file`).
    """

    path: Path
    sheets: tuple[Sheet, ...]
    #: For a text file: the encoding read ("utf-8", "cp1252") and why; "" for a workbook.
    encoding: str = ""
    encoding_why: str = ""

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


#: The largest file riskdesk imports. A register of 10,000 risks with long updates is under 20 MB;
#: reading a file costs several times its size in memory, and this keeps an import under 500 MB.
MAX_FILE_BYTES = 40 * 1024 * 1024
#: The most cells a file may hold. Each cell costs Python about 60 bytes however short it is, so a
#: file of tiny cells is bounded by this rather than by its size (10,000 risks × 30 columns is 300,000).
MAX_CELLS = 2_000_000
#: The most an .xlsx/.ods may expand to when unzipped (a small file can unzip to gigabytes) …
MAX_UNZIPPED_BYTES = 120 * 1024 * 1024
#: … and its sheets' own XML, which holds one element per cell (about 25 bytes each at least), so
#: this bounds the cells of a workbook as :data:`MAX_CELLS` does those of a CSV.
MAX_SHEET_XML_BYTES = 50 * 1024 * 1024


def read_workbook(path: str | Path, *, fill_merged_down: bool = False, encoding: str | None = None) -> Workbook:
    """Read every sheet of a spreadsheet or delimited text file.

    Args:
        path: an .xlsx, .xlsm, .xls, .ods, .csv, .tsv or .txt file.
        fill_merged_down: copy the value of each merged range into every cell it covers
            (across and down). Calamine gives a merged range as the value in its first cell and
            blanks elsewhere; registers that merge a reference or owner over several rows, or a
            banner over several header columns, read as intended with this on. Header detection
            spreads banners by itself, so this is only needed for merged *data* cells.
        encoding: the encoding of a text file as the user chose it; see :func:`decode_file`.

    Returns:
        The sheets with their raw grids.

    Raises:
        ImportFileError: the file is empty, missing, of an unknown type, damaged,
            password-protected or not a spreadsheet at all; the message says which and what to do.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if path.is_dir():
        raise ImportFileError(path, "is a folder, not a file; choose the spreadsheet inside it")
    if ext not in EXCEL_EXTENSIONS | TEXT_EXTENSIONS:
        kinds = ".xlsx, .xlsm, .xls, .ods and .csv"
        what = f"a {ext} file" if ext else "a file without an extension"
        raise ImportFileError(path, f"is {what}; riskdesk can import {kinds} files")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.is_file():
            raise ImportFileError(
                path, f"is {size / 1024 / 1024:.0f} MB; riskdesk imports files of up to "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB (a register of 10,000 risks is well under that). "
                "Is it the right file? Split it, or remove pictures and unused sheets, and import again",
            )
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
        decoded = decode_file(path, data, encoding)
        del data  # the bytes are not needed once decoded; a large file should not be held twice
        grid = _read_delimited(path, decoded.text, tab=ext == ".tsv")
        if not any(any(c is not None for c in row) for row in grid):
            raise ImportFileError(path, "is empty")
        return Workbook(path, (Sheet(path.stem, grid),), decoded.encoding, decoded.why)
    if data.startswith(_ZIP_SIGNATURE):
        _refuse_zip_bomb(path, data)
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


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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
            with _merges_noted(book, ext) as merges:
                frames = pd.read_excel(
                    book, sheet_name=names, header=None, dtype=object, keep_default_na=False, na_filter=False
                )
            merges |= _merged_ranges(book, [n for n in names if n not in merges], ext)
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
        # A non-empty text without \r, and an int, are their own clean cell: kept without a call (nearly
        # every cell of a register; a quarter of a million in a large one).
        grid = [[v if (t := type(v)) is int or (t is str and v and "\r" not in v) else _clean_cell(v) for v in row]
                for row in frame.itertuples(index=False, name=None)]
        sheets.append(Sheet(name, _trim(grid), merges.get(name, ())))
    if not any(s.grid for s in sheets):
        raise ImportFileError(path, "has no data in any of its sheets")
    return tuple(sheets)


@contextlib.contextmanager
def _merges_noted(book: object, ext: str) -> Iterator[dict[str, tuple[CellRange, ...]]]:
    """Merged ranges per sheet, noted from each sheet as pandas opens it, so no sheet is parsed twice.

    pandas opens every sheet through its calamine reader's ``get_sheet_by_name``; inside the
    ``with`` block that method is wrapped, on this one reader, to read the opened sheet's merged
    ranges too, and the dict given fills in. Where pandas offers no such reader, or a sheet's
    merges cannot be read there, the sheet is left out and :func:`_merged_ranges` reads them
    afterwards as before (parsing the sheet again).
    """
    noted: dict[str, tuple[CellRange, ...]] = {}
    reader = getattr(book, "_reader", None)
    open_sheet = getattr(reader, "get_sheet_by_name", None)
    if ext not in (".xlsx", ".xlsm") or open_sheet is None:
        yield noted
        return

    def open_noting_merges(name: str) -> object:
        sheet = open_sheet(name)
        with contextlib.suppress(Exception):  # left to _merged_ranges, which never fails an import over them
            noted[name] = _ranges(sheet.merged_cell_ranges)
        return sheet

    try:
        reader.get_sheet_by_name = open_noting_merges  # type: ignore[union-attr]
    except AttributeError:  # a reader that takes no attributes: every sheet is left to _merged_ranges
        yield noted
        return
    try:
        yield noted
    finally:
        del reader.get_sheet_by_name  # the reader's own method again (and no reference cycle left behind)


def _ranges(ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None) -> tuple[CellRange, ...]:
    return tuple((a[0], a[1], b[0], b[1]) for a, b in ranges or ())


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
            ranges = raw.get_sheet_by_name(name).merged_cell_ranges
        except Exception:  # merges are a convenience; never fail an import over them
            continue
        out[name] = _ranges(ranges)
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


#: Windows-1252 characters that plain English council text does not use. A file that is not
#: UTF-8 and holds one of these is most likely another 8-bit encoding (Mac Roman writes "é" as
#: the byte Windows-1252 reads as "Ž"), so riskdesk asks instead of guessing.
_UNLIKELY_1252 = frozenset("ŽžŠšŒœŸƒˆ˜‰‹›¤¦¨¯´¸¹ºªµ¶¬±¿¡ÐÞðþ÷×")


@dataclass(frozen=True)
class Decoded:
    """A text file decoded, and how: the dry run says which encoding it read and why."""

    text: str
    encoding: str
    why: str


def decode_text(path: str | Path, data: bytes, encoding: str | None = None) -> str:
    """Decode a text file; see :func:`decode_file` (this returns the text only)."""
    return decode_file(path, data, encoding).text


def decode_file(path: str | Path, data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a text file in exactly one encoding, never a mixture.

    Without ``encoding``: UTF-8 (BOM or not) or UTF-16 with a BOM. A file that is not UTF-8 but
    has no valid UTF-8 sequence either (every byte above 127 stands alone) is read as
    Windows-1252, Excel's "CSV (Comma delimited)" on a UK PC, unless it holds a character
    English text does not use in that encoding ("CafŽ" is Mac Roman's "Café"). A file that is
    mostly UTF-8 with a stray byte (text pasted from an old file) is refused: reading the
    whole file as Windows-1252 would turn every "£" into "Â£".

    Args:
        path: the file, for messages.
        data: its bytes.
        encoding: the encoding the user chose (``--encoding``); then only that one is tried.

    Raises:
        ImportFileError: naming the row and column of the first byte that does not fit, and
            how to choose the encoding.
    """
    if encoding:
        import codecs

        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(path, f"cannot be read as “{encoding}”: riskdesk does not know that encoding "
                                  "(try utf-8, cp1252 or mac_roman)") from None
        try:
            return Decoded(data.decode(name), name, "chosen by you")
        except UnicodeDecodeError as exc:
            raise _bad_byte(path, data, exc, f"is not valid {name} text") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return Decoded(data.decode("utf-8-sig"), "utf-8", "the file starts with a UTF-8 mark")
        except UnicodeDecodeError as exc:
            raise _bad_byte(path, data, exc, "starts with a UTF-8 mark but is not all UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16", "the file starts with a UTF-16 mark")
        except UnicodeDecodeError as exc:
            raise ImportFileError(path, f"starts with a UTF-16 mark but is damaged at byte {exc.start}; "
                                  "save it again from Excel") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc
    else:
        plain = text.isascii()
        return Decoded(text, "utf-8", "the file is plain ASCII" if plain else "the file is valid UTF-8")
    if _has_utf8_sequence(data):
        raise _bad_byte(
            path, data, first_bad,
            "is a mixture: mostly UTF-8 text, but this byte is not UTF-8 (it may have been pasted from an "
            "older file)",
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _bad_byte(path, data, exc, "is neither UTF-8 nor Windows-1252 text") from None
    for i, ch in enumerate(text):
        if ch in _UNLIKELY_1252 or (ch in "ÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÇÑ" and i > 0 and text[i - 1].islower()
                                    and text[i - 1].isascii()):
            at = len(text[:i].encode("cp1252"))
            raise _bad_byte(
                path, data, UnicodeDecodeError("cp1252", data, at, at + 1, "unlikely"),
                f"is not UTF-8, and as Windows-1252 this byte would read “{ch}”, which suggests another "
                f"encoding (Mac Roman reads it as “{data[at:at + 1].decode('mac_roman')}”)",
            )
    return Decoded(text, "cp1252", "the file is not UTF-8; every character above 127 is read as Windows-1252")


def _has_utf8_sequence(data: bytes) -> bool:
    """True when the bytes hold at least one valid multi-byte UTF-8 character."""
    import re as _re

    return _re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data) is not None


def bad_byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """(row, column), 1-based as Excel numbers them, of the byte at ``offset`` of a delimited file."""
    prefix = data[:offset].decode("latin-1")  # one character per byte: only delimiters matter here
    delimiter = sniff_delimiter(prefix) if prefix else ","
    rows = list(csv.reader(io.StringIO(prefix + "x", newline=""), delimiter=delimiter))
    if not rows:
        return 1, 1
    return len(rows), len(rows[-1])


def _bad_byte(path: str | Path, data: bytes, exc: UnicodeDecodeError, what: str) -> ImportFileError:
    row, col = bad_byte_position(data, exc.start)
    byte = data[exc.start : exc.start + 1].hex().upper()
    return ImportFileError(
        path,
        f"{what}: byte 0x{byte} at row {row}, column {column_letter(col - 1)} (column {col}). riskdesk reads a "
        "file in one encoding only. Save it from Excel as “CSV UTF-8 (Comma delimited)”, or say which "
        "encoding it is in: --encoding cp1252 (Windows), --encoding mac_roman (older Mac), or choose the "
        "encoding in the import wizard",
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


def _refuse_zip_bomb(path: Path, data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        return  # calamine words the damage
    unzipped = sum(info.file_size for info in infos)
    sheets = sum(info.file_size for info in infos
                 if info.filename.startswith(("xl/worksheets/", "content.xml")) and info.filename.endswith(".xml"))
    if sheets > MAX_SHEET_XML_BYTES:
        raise ImportFileError(
            path, f"holds {sheets / 1024 / 1024:.0f} MB of cells, more than riskdesk imports "
            f"({MAX_SHEET_XML_BYTES // 1024 // 1024} MB, about {MAX_CELLS:,} cells). Is it the right file? Remove "
            "unused rows, columns and sheets, or save the register sheet alone, and import again",
        )
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            path, f"unpacks to {unzipped / 1024 / 1024:.0f} MB of data, more than riskdesk imports "
            f"({MAX_UNZIPPED_BYTES // 1024 // 1024} MB). Is it the right file? Remove pictures and unused sheets, "
            "or save the register sheet alone, and import again",
        )


def _read_delimited(path: Path, text: str, *, tab: bool) -> Grid:
    delimiter = "\t" if tab else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Grid = []
    cells = 0
    try:
        for row in reader:
            cells += len(row)
            if cells > MAX_CELLS:
                raise ImportFileError(
                    path, f"has more than {MAX_CELLS:,} cells (row {len(rows) + 1} passes that); riskdesk imports "
                    "registers up to that size. Is it the right file? Remove unused rows and columns, and import again",
                )
            rows.append([_text_cell(c) for c in row])
    except csv.Error as exc:
        raise ImportFileError(path, f"is not a readable delimited file: {exc}") from exc
    return _trim(rows)


def _text_cell(value: str) -> Cell:
    if value == "":
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
