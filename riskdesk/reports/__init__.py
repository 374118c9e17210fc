"""ReportLab and python-docx reports. Never imports SQLAlchemy, the models or Qt."""
