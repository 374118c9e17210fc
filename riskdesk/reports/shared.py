"""What code outside ``reports`` may use of the writers' shared helpers (``_common`` stays private)."""

from riskdesk.reports._common import DEFAULT_COLUMNS, ReportCancelled

__all__ = ["DEFAULT_COLUMNS", "ReportCancelled"]
