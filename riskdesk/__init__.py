"""riskdesk: a council's corporate risk register, serious-incident log and clinical-audit log."""

__version__ = "0.1.0"
