"""Printed outputs: the committee appendix as PDF (ReportLab) and Word (python-docx).

Nothing is imported here on purpose: ReportLab costs ~0.16 s to import, so the app imports
``riskdesk.reports.appendix`` / ``riskdesk.reports.appendix_docx`` only when the user prints.
The only input is a :class:`riskdesk.domain.snapshot.RegisterSnapshot`.
"""
