"""Helpers that build small spreadsheets for the import tests (imported by the test modules)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from riskdesk.io.mapping import detect_header_rows, guess_mapping, header_names
from riskdesk.io.prepare import PreparedImport, prepare_import
from riskdesk.io.readers import read_workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FENLAND = FIXTURES / "fenland_dc_corporate_risk_register_2019.csv"
FENLAND_OWNERS = ("Carol Pilson", "Peter Catchpole", "Paul Medd", "CMT")

HEADERS = ["Ref", "Risk", "Dept", "Owner", "Current Impact", "Current Likelihood", "Current Score", "Update"]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str] = ()) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def import_file(path: Path, **kwargs: object) -> PreparedImport:
    """Read, guess and prepare in one go, as the wizard does with the user accepting every proposal."""
    sheet = read_workbook(path).sheet()
    start, count = detect_header_rows(sheet.grid)
    mapping = guess_mapping(header_names(sheet.grid, start, count, sheet.merges))
    return prepare_import(sheet, mapping, source_name=path.name, **kwargs)  # type: ignore[arg-type]
