"""Write rows to .xlsx or .csv so that Excel opens them safely and nothing is lost.

Safety (OWASP "CSV Injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return gets a leading apostrophe, in CSV *and* in xlsx. In xlsx the cell is also
written as a string cell, never a formula, so Excel would not run it anyway; the apostrophe is
still added there because officers copy text out of the workbook into other sheets and
e-mails, where "=HYPERLINK(…)" would come alive again. Text that already starts with
apostrophes before such a character gets one more, and the importer removes exactly one, so a
riskdesk export reads back as it was written. Numbers stay numbers: -3 is a number, not text,
and is never prefixed.

Long text: an Excel cell holds at most 32,767 characters and Excel cuts longer CSV cells when
it opens the file. riskdesk never truncates: a longer text continues in extra columns headed
"Update (continued 2)", "Update (continued 3)"…, split after a line break or space where one
is near the limit. The importer joins continuation columns back onto their first column. CSV
is split the same way because it is meant to be opened in Excel.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path

from riskdesk.io.errors import ExportError
from riskdesk.io.text import describe, symbol

#: Excel's limit on the characters in one cell (counted in UTF-16 units).
EXCEL_CELL_LIMIT = 32_767
_DANGEROUS = re.compile(r"^(?:[=+\-@\t\r]|'+[=+\-@\t\r\n])")
# Word's manual line break (\x0b) and page break (\x0c) are turned into line breaks, which is what
# they mean. Any other control character (XML 1.0, so xlsx, cannot hold most of them) is replaced
# by its visible symbol ("␛" for ESC) and the export says so: text already stored, such as an
# append-only audit trail, must always export. A carriage return is kept: Excel reads it.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MIN_WIDTH, _MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Column:
    """One exported column.

    Attributes:
        heading: the header text.
        width: width in characters in xlsx; None means worked out from the heading and content.
    """

    heading: str
    width: float | None = None
    banded: bool = False  # a score: in xlsx its cell is filled with its band's colour (see ``band_fill``)


def guard_formula(text: str) -> str:
    """Prefix text Excel would read as a formula with an apostrophe (see the module docs)."""
    return "'" + text if _DANGEROUS.match(text) else text


def split_long_text(text: str, limit: int = EXCEL_CELL_LIMIT - 1) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 units, joining back to ``text`` exactly.

    One unit below Excel's limit is the default so that a part still fits after the formula
    guard adds its apostrophe. A part ends after the last line break (else space) in its final
    2,000 characters when there is one, so each cell reads sensibly on its own.
    """
    if len(text) * 2 <= limit or _utf16_len(text) <= limit:
        return [text]
    parts = []
    rest = text
    while _utf16_len(rest) > limit:
        cut = _fit(rest, limit)
        window = rest[max(0, cut - 2000) : cut]
        for sep in ("\n", " "):
            at = window.rfind(sep)
            if at > 0:
                cut = cut - len(window) + at + 1
                break
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return parts


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _fit(text: str, limit: int) -> int:
    """How many characters of ``text`` fit in ``limit`` UTF-16 units."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)


def export_rows(
    path: str | Path,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    sheet_name: str = "Register",
    notes: list[str] | None = None,
    band_fill: Callable[[int], str | None] | None = None,
) -> Path:
    """Write ``rows`` under ``columns`` to an .xlsx or .csv file, chosen by the extension.

    Cells may be ``str``, ``int``, ``float``, ``Decimal``, ``bool``, ``date``, ``datetime``,
    an ``Enum`` (its value) or None. xlsx: header row bold and frozen, dates as real date cells
    shown dd/mm/yyyy, long-text columns wrapped. CSV: UTF-8 with BOM (so Excel shows "£" and
    "’" right), dates as ISO yyyy-mm-dd. The file is written to a temporary name and moved into
    place, so a failed export never leaves half a file or spoils an earlier one.

    Args:
        path: where to write; the extension (.xlsx or .csv) decides the format.
        columns: the columns, in order.
        rows: one sequence of cells per row, as long as ``columns``.
        sheet_name: the xlsx sheet tab (cut to Excel's 31 characters).
        notes: when given, receives one line per cell whose control characters were replaced
            ("Row 5, Changes: ESC (code 0x1b) shown as ␛"), so the caller can say so.
        band_fill: xlsx only: the fill colour ("#e6001f") of a score in a ``banded`` column, as
            officers get in Excel today (None leaves the cell plain).

    Returns:
        The path written.

    Raises:
        ExportError: unknown extension or a row of the wrong length. Control characters never
            fail an export: they are replaced (see ``notes``).
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise ExportError(f"riskdesk exports to .xlsx or .csv; “{path.name}” has neither extension.")
    columns = list(columns)
    prepared = [_prepare_row(n, row, columns, notes) for n, row in enumerate(rows, start=2)]
    # Columns holding any over-long text get continuation columns, the same number on every row.
    spans = [1] * len(columns)
    for row in prepared:
        for j, cell in enumerate(row):
            if isinstance(cell, list) and len(cell) > spans[j]:
                spans[j] = len(cell)
    headings: list[str] = []
    for column, span in zip(columns, spans, strict=True):
        headings.append(column.heading)
        headings.extend(f"{column.heading} (continued {k})" for k in range(2, span + 1))
    flat = [_flatten(row, spans) for row in prepared]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".riskdesk-export-", suffix=ext, dir=path.parent)
    os.close(fd)
    try:
        if ext == ".csv":
            _write_csv(Path(tmp), headings, flat)
        else:
            widths = _widths(columns, spans, prepared)
            banded = [c.banded and band_fill is not None for c, span in zip(columns, spans, strict=True)
                      for _ in range(span)]
            _write_xlsx(Path(tmp), headings, flat, widths, sheet_name, banded, band_fill)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _prepare_row(n: int, row: Sequence[object], columns: Sequence[Column], notes: list[str] | None = None) -> list[object]:
    if len(row) != len(columns):
        raise ExportError(f"Row {n} has {len(row)} cells but there are {len(columns)} columns.")
    out: list[object] = []
    for value, column in zip(row, columns, strict=True):
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, str):
            if "\x0b" in value or "\x0c" in value:
                value = value.replace("\x0b", "\n").replace("\x0c", "\n")
            bad = _CONTROL.search(value)
            if bad:
                value = _CONTROL.sub(lambda m: symbol(m.group()), value)
                if notes is not None:
                    notes.append(f"Row {n}, {column.heading}: {describe(bad.group())} shown as {symbol(bad.group())}")
            parts = split_long_text(value)
            out.append([guard_formula(p) for p in parts] if len(parts) > 1 else guard_formula(value))
        elif value is None or isinstance(value, bool | int | float | date | time):
            out.append(value)
        else:
            out.append(guard_formula(str(value)))
    return out


def _flatten(row: list[object], spans: list[int]) -> list[object]:
    flat: list[object] = []
    for cell, span in zip(row, spans, strict=True):
        parts = cell if isinstance(cell, list) else [cell]
        flat.extend(parts)
        flat.extend([None] * (span - len(parts)))
    return flat


def _widths(columns: Sequence[Column], spans: list[int], rows: list[list[object]]) -> list[tuple[float, bool]]:
    """(width, wrap) per output column: the heading or the longest line seen, 8 to 60 characters."""
    sample = rows[:500]  # enough to judge; measuring 10,000 long texts costs time for nothing
    out = []
    for j, (column, span) in enumerate(zip(columns, spans, strict=True)):
        longest = 0
        for row in sample:
            cell = row[j]
            if isinstance(cell, list):
                longest = _MAX_WIDTH + 1
                break
            if isinstance(cell, str):
                longest = max(longest, max(len(line) for line in cell.split("\n")))
            elif isinstance(cell, datetime):
                longest = max(longest, 16)
            elif isinstance(cell, date):
                longest = max(longest, 10)
            elif cell is not None:
                longest = max(longest, len(str(cell)))
        natural = max(len(column.heading) + 2, longest + 1)
        width = column.width or min(max(natural, _MIN_WIDTH), _MAX_WIDTH)
        wrap = natural > width
        out.extend([(width, wrap)] * span)
    return out


def _write_csv(path: Path, headings: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([guard_formula(h) for h in headings])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return value


def _write_xlsx(
    path: Path, headings: list[str], rows: list[list[object]], widths: list[tuple[float, bool]], sheet_name: str,
    banded: list[bool] | None = None, band_fill: Callable[[int], str | None] | None = None,
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet_name))
    for j, (width, _) in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    # Excel's filter buttons on every heading, as officers set them up by hand today.
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(headings), 1))}{len(rows) + 1}"
    banded = banded or [False] * len(headings)
    fills: dict[str, PatternFill] = {}

    def fill_for(score: int) -> PatternFill | None:
        colour = band_fill(score) if band_fill is not None else None
        if not colour:
            return None
        rgb = colour.lstrip("#").upper()
        if rgb not in fills:
            fills[rgb] = PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)
        return fills[rgb]
    bold = Font(bold=True)
    header = []
    for h in headings:
        cell = WriteOnlyCell(ws, value=guard_formula(h))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    wrapped = [wrap for _, wrap in widths]
    for row in rows:
        out: list[object] = []
        for j, value in enumerate(row):
            if isinstance(value, str):
                if wrapped[j] or value.startswith("'"):
                    # A cell object so the type is pinned to string: openpyxl would otherwise
                    # parse a leading "=" as a formula (the guard already prevents that).
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    if wrapped[j]:
                        cell.alignment = wrap_top
                    out.append(cell)
                else:
                    out.append(value)
            elif isinstance(value, datetime):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "dd/mm/yyyy hh:mm"
                out.append(cell)
            elif isinstance(value, date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "dd/mm/yyyy"
                out.append(cell)
            elif isinstance(value, float) and not math.isfinite(value):
                out.append(None)  # Excel has no NaN or infinity
            elif banded[j] and isinstance(value, int | float) and not isinstance(value, bool) and \
                    (fill := fill_for(int(value))) is not None:
                cell = WriteOnlyCell(ws, value=value)
                cell.fill = fill
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
    wb.save(path)


def _sheet_title(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'") or "Sheet1"
    return cleaned[:31]
