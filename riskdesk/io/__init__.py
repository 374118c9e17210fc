"""Import and export core: read a council's spreadsheet, map and validate it, write safe exports.

No database and no Qt here. pandas, openpyxl and python-calamine are imported inside the
functions that need them, so importing this package stays cheap.

Typical use by the import wizard and service::

    book = read_workbook(path)                     # or encoding="cp1252" as the user chose
    sheet = book.sheet(mapping.sheet)
    mapping, scales = guess_for_sheet(sheet)       # user confirms (mapping.confirm_all()) or remaps
    scales = scales.with_range("impact", 10)        # only when the user says the file is 1-10
    prepared = prepare_import(sheet, mapping, scales, known_departments=..., known_owners=...,
                              source_name=path.name)
    prepared.scales, prepared.ignored_scores, prepared.summary()   # what the preview shows
    if prepared.ok:
        ...  # write prepared.to_import in one transaction

Nothing here changes a value behind the user's back: a scale is 1-5 unless a header, a saved
mapping or the user states another, and each column's scale is reported with why; a value
outside it is an error on that cell; a file is read in one encoding or refused; control
characters are refused; every converted score keeps the cells the file gave.
"""

from riskdesk.io.errors import ExportError, ImportFileError
from riskdesk.io.export import Column, export_rows
from riskdesk.io.mapping import (
    FIELDS,
    ImportMapping,
    detect_header_rows,
    guess_mapping,
    header_names,
    parse_map_option,
)
from riskdesk.io.prepare import (
    ColumnScale,
    IgnoredScoreColumn,
    ImportedRisk,
    PreparedImport,
    ProblemGroup,
    RowProblem,
    guess_for_sheet,
    prepare_import,
    summarise,
)
from riskdesk.io.readers import Sheet, Workbook, read_workbook
from riskdesk.io.register import REGISTER_COLUMNS, register_row
from riskdesk.io.scales import Scale, ScaleMap, parse_scale_option, propose_scales

__all__ = [
    "FIELDS",
    "REGISTER_COLUMNS",
    "Column",
    "ColumnScale",
    "ExportError",
    "IgnoredScoreColumn",
    "ImportFileError",
    "ImportMapping",
    "ImportedRisk",
    "PreparedImport",
    "ProblemGroup",
    "RowProblem",
    "Scale",
    "ScaleMap",
    "Sheet",
    "Workbook",
    "detect_header_rows",
    "export_rows",
    "guess_for_sheet",
    "guess_mapping",
    "header_names",
    "parse_map_option",
    "parse_scale_option",
    "prepare_import",
    "propose_scales",
    "read_workbook",
    "register_row",
    "summarise",
]
