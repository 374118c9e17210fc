"""Errors the import and export core raises, worded for the person who chose the file."""

from __future__ import annotations

from riskdesk.domain.errors import RiskdeskError


class ImportFileError(RiskdeskError):
    """The file as a whole cannot be read (empty, damaged, password-protected, wrong type).

    Row-level trouble is never raised: it is reported as :class:`~riskdesk.io.prepare.RowProblem`
    so that the user sees every problem at once instead of one per attempt.

    Attributes:
        path: the file as the user chose it.
        reason: the message without the file name, e.g. "is empty".
    """

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        from pathlib import Path

        super().__init__(f"“{Path(self.path).name}” {reason}")


class ExportError(RiskdeskError):
    """An export cannot be written as asked (unknown file type, a value Excel cannot hold)."""
