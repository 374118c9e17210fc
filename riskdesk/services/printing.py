"""Printing the clinical reports, with the same permission check as the committee appendix.

The window and the CLI call these methods; neither imports ``riskdesk.reports``. Each method
checks that the actor may view clinical governance before a byte is written (the appendix of
the register is printed by ``CycleService.write``, which checks its own permission). ReportLab
and openpyxl are imported only when something is printed or exported.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from riskdesk.domain.clinical import ClinicalAuditRow, PgdRow, QualityVisitRow
from riskdesk.domain.permissions import Permission
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.reports.shared import DEFAULT_COLUMNS, ReportCancelled
from riskdesk.services.base import ServiceContext

if TYPE_CHECKING:
    from riskdesk.services.clinical import ClinicalService

__all__ = ["DEFAULT_COLUMNS", "ClinicalPrinting", "ReportCancelled"]


class ClinicalPrinting:
    """The clinical audits appendix, the PGD schedule, the assurance summary and the list exports."""

    def __init__(self, ctx: ServiceContext, clinical: ClinicalService) -> None:
        self._ctx = ctx
        self._clinical = clinical

    def _require(self, actor: Actor) -> None:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_CLINICAL)

    def audit_appendix(self, actor: Actor, out: str | Path, first: Quarter, last: Quarter, *,
                       title: str = "Clinical audits", today: date | None = None) -> Path:
        """Write the audits appendix (audits by service, provider and quarter, then PGDs) as a PDF."""
        from riskdesk.reports.clinical_report import write_audit_appendix

        appendix = self._clinical.audit_appendix(actor, first, last, title=title)  # checks VIEW_CLINICAL
        return write_audit_appendix(out, appendix, today=today)

    def pgd_schedule(self, actor: Actor, out: str | Path, today: date, pgds: Sequence[PgdRow] | None = None) -> Path:
        """Write the PGD review and expiry schedule: ``pgds`` as listed in the window, else every PGD."""
        from riskdesk.reports.clinical_report import write_pgd_schedule

        if pgds is None:
            pgds = self._clinical.list_pgds(actor)  # checks VIEW_CLINICAL
        else:
            self._require(actor)
        return write_pgd_schedule(out, pgds, today)

    def assurance_summary(self, actor: Actor, out: str | Path, summary_id: int) -> Path:
        """Write one assurance summary (heading, area, assurance text) as a PDF."""
        from riskdesk.reports.clinical_report import write_assurance_summary

        return write_assurance_summary(out, self._clinical.get_summary(actor, summary_id))

    def export_audits(self, actor: Actor, out: str | Path, audits: Sequence[ClinicalAuditRow]) -> Path:
        from riskdesk.reports.clinical_report import export_audits

        self._require(actor)
        return export_audits(out, audits)

    def export_visits(self, actor: Actor, out: str | Path, visits: Sequence[QualityVisitRow]) -> Path:
        from riskdesk.reports.clinical_report import export_visits

        self._require(actor)
        return export_visits(out, visits)

    def export_pgds(self, actor: Actor, out: str | Path, pgds: Sequence[PgdRow], today: date) -> Path:
        from riskdesk.reports.clinical_report import export_pgds

        self._require(actor)
        return export_pgds(out, pgds, today)

    def export_assurance(self, actor: Actor, out: str | Path, summary_id: int) -> Path:
        from riskdesk.reports.clinical_report import export_assurance

        return export_assurance(out, self._clinical.get_summary(actor, summary_id))
