"""The pages (tabs) of the main window besides the register, created on first show.

Each feature adds one entry: (title, accessible description, "module:Class"). The class is
constructed as ``Class(services, actor, parent)`` the first time its tab is opened, so pages
cost nothing at start-up.
"""

from __future__ import annotations

#: (tab title with & mnemonic, description, "module:Class")
PAGES: list[tuple[str, str, str]] = [
    ("Re&ports", "Report cycles and the committee appendix", "riskdesk.ui.reports.page:ReportsPage"),
    ("&Incidents", "Serious incidents in commissioned public-health services",
     "riskdesk.ui.incidents.page:IncidentsPage"),
    ("&Clinical governance", "Clinical audits, quality visits and PGDs", "riskdesk.ui.clinical.page:ClinicalPage"),
    ("F&OI/EIR", "Freedom of Information and Environmental Information requests", "riskdesk.ui.foi.page:FoiPage"),
    ("Co&mplaints", "Complaints, enquiries and compliments", "riskdesk.ui.complaints.page:ComplaintsPage"),
    ("Om&budsman", "Ombudsman enquiries, decisions, remedies and the Code self-assessment",
     "riskdesk.ui.ombudsman.page:OmbudsmanPage"),
]
