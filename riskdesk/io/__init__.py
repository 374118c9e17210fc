"""Import and export of spreadsheets (pandas, python-calamine, openpyxl). Never imports Qt."""
