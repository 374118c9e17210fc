"""Import and export core: read a council's spreadsheet, map and validate it, write safe exports.

No database and no Qt here. pandas, openpyxl and python-calamine are imported inside the
functions that need them, so importing this package stays cheap.

Typical use by the import wizard and service::

    book = read_workbook(path)
    sheet = book.sheet(mapping.sheet)
    start, count = detect_header_rows(sheet.grid)
    mapping = guess_mapping(header_names(sheet.grid, start, count, sheet.merges))  # user confirms
    prepared = prepare_import(sheet, mapping, scales, known_departments=..., known_owners=...,
                              source_name=path.name)
    if prepared.ok:
        ...  # write prepared.to_import in one transaction
"""

from riskdesk.io.errors import ExportError, ImportFileError
from riskdesk.io.export import Column, export_rows
from riskdesk.io.mapping import FIELDS, ImportMapping, detect_header_rows, guess_mapping, header_names
from riskdesk.io.prepare import ImportedRisk, PreparedImport, RowProblem, prepare_import
from riskdesk.io.readers import Sheet, Workbook, read_workbook
from riskdesk.io.register import REGISTER_COLUMNS, register_row
from riskdesk.io.scales import Scale, ScaleMap, propose_scales

__all__ = [
    "FIELDS",
    "REGISTER_COLUMNS",
    "Column",
    "ExportError",
    "ImportFileError",
    "ImportMapping",
    "ImportedRisk",
    "PreparedImport",
    "RowProblem",
    "Scale",
    "ScaleMap",
    "Sheet",
    "Workbook",
    "detect_header_rows",
    "export_rows",
    "guess_mapping",
    "header_names",
    "prepare_import",
    "propose_scales",
    "read_workbook",
    "register_row",
]
