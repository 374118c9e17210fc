"""Import and export core: read a council's spreadsheet, map and validate it, write safe exports.

No database and no Qt here. pandas, openpyxl and python-calamine are imported inside the
functions that need them, so importing this package stays cheap.
"""
