"""Use cases. The only place that writes, checks permissions and records the audit trail.

Every public method takes the acting user, runs in one transaction and returns frozen rows.
"""

from __future__ import annotations

from riskdesk.db import Database
from riskdesk.services.base import ServiceContext, default_actor
from riskdesk.services.clinical import ClinicalService
from riskdesk.services.cycles import CycleService
from riskdesk.services.exporting import ExportService
from riskdesk.services.importing import ImportService
from riskdesk.services.incidents import IncidentService
from riskdesk.services.info import InfoService
from riskdesk.services.providers import ProviderService
from riskdesk.services.published import PublishedRegisterLoader
from riskdesk.services.registers import RegisterService
from riskdesk.services.risks import RiskService


class Services:
    """Every service over one database; the window and the CLI hold one of these."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ctx = ServiceContext(db)
        self.registers = RegisterService(self.ctx)
        self.risks = RiskService(self.ctx)
        self.published = PublishedRegisterLoader(self.ctx)
        self.info = InfoService(self.ctx)
        self.providers = ProviderService(self.ctx)
        self.importing = ImportService(self.ctx)
        self.exporting = ExportService(self.ctx)
        self.incidents = IncidentService(self.ctx)
        # The assurance summary and provider profiles count SIs per provider from the SI log.
        self.clinical = ClinicalService(self.ctx, si_counts=self.incidents.counts_by_provider)
        self.cycles = CycleService(self.ctx)

    def demo(self):  # type: ignore[no-untyped-def]
        from riskdesk.services.demo import DemoLoader

        return DemoLoader(self.ctx)


__all__ = ["Services", "default_actor"]
