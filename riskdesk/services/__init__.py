"""Use cases. The only place that writes, checks permissions and records the audit trail.

Every public method takes the acting user, runs in one transaction and returns frozen rows.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

# Kept light: ``riskdesk info`` imports riskdesk.services.info, and with it this package, without
# the ORM models that riskdesk.services.base brings in.
from riskdesk.domain.actor import default_actor as default_actor  # re-exported for callers

if TYPE_CHECKING:
    from riskdesk.db import Database
    from riskdesk.services.audit import AuditService
    from riskdesk.services.base import ServiceContext
    from riskdesk.services.calendar import CalendarService
    from riskdesk.services.casework_fixture import CaseworkFixtureLoader
    from riskdesk.services.casework_reports import CaseworkReportService
    from riskdesk.services.clinical import ClinicalService
    from riskdesk.services.complaints import ComplaintsService
    from riskdesk.services.complaints_import import ComplaintsImporter
    from riskdesk.services.cycles import CycleService
    from riskdesk.services.demo import DemoLoader
    from riskdesk.services.evidence import EvidenceService
    from riskdesk.services.exporting import ExportService
    from riskdesk.services.governance import GovernanceService
    from riskdesk.services.importing import ImportService
    from riskdesk.services.incidents import IncidentService
    from riskdesk.services.info import InfoService
    from riskdesk.services.ombudsman import OmbudsmanService
    from riskdesk.services.printing import ClinicalPrinting
    from riskdesk.services.profiles import ProfileService
    from riskdesk.services.providers import ProviderService
    from riskdesk.services.published import PublishedRegisterLoader
    from riskdesk.services.registers import RegisterService
    from riskdesk.services.risks import RiskService
    from riskdesk.services.scheme import SchemeService
    from riskdesk.services.self_assessment import SelfAssessmentService
    from riskdesk.services.users import UserService


class Services:
    """Every service over one database; the window and the CLI hold one of these.

    Each service is built (and its module imported) on first use, so opening the window does
    not pay for the SI log, clinical governance, report cycles or spreadsheet import, and a
    command such as ``riskdesk info`` not for the register's services either.
    """

    def __init__(self, db: Database) -> None:
        from riskdesk.domain import calendars
        from riskdesk.services.base import ServiceContext

        self.db = db
        self.ctx: ServiceContext = ServiceContext(db)
        # Every clock counts with this database's calendar overrides (proclaimed bank holidays),
        # read when a clock first needs a calendar: opening the register does not wait for them.
        calendars.install_overrides_later(lambda: self.calendar.stored_overrides())

    @cached_property
    def registers(self) -> RegisterService:
        from riskdesk.services.registers import RegisterService

        return RegisterService(self.ctx)

    @cached_property
    def risks(self) -> RiskService:
        from riskdesk.services.risks import RiskService

        return RiskService(self.ctx)

    @cached_property
    def published(self) -> PublishedRegisterLoader:
        from riskdesk.services.published import PublishedRegisterLoader

        return PublishedRegisterLoader(self.ctx)

    @cached_property
    def info(self) -> InfoService:
        from riskdesk.services.info import InfoService

        return InfoService(self.ctx)

    @cached_property
    def providers(self) -> ProviderService:
        from riskdesk.services.providers import ProviderService

        return ProviderService(self.ctx)

    @cached_property
    def calendar(self) -> CalendarService:
        from riskdesk.services.calendar import CalendarService

        return CalendarService(self.ctx)

    @cached_property
    def incidents(self) -> IncidentService:
        from riskdesk.services.incidents import IncidentService

        return IncidentService(self.ctx)

    @cached_property
    def complaints(self) -> ComplaintsService:
        from riskdesk.services.complaints import ComplaintsService

        return ComplaintsService(self.ctx)

    @cached_property
    def casework_reports(self) -> CaseworkReportService:
        from riskdesk.services.casework_reports import CaseworkReportService

        return CaseworkReportService(self.ctx)

    def complaints_import(self) -> ComplaintsImporter:
        from riskdesk.services.complaints_import import ComplaintsImporter

        return ComplaintsImporter(self.ctx)

    def casework_fixture(self) -> CaseworkFixtureLoader:
        from riskdesk.services.casework_fixture import CaseworkFixtureLoader

        return CaseworkFixtureLoader(self.ctx)

    @cached_property
    def clinical(self) -> ClinicalService:
        from riskdesk.services.clinical import ClinicalService

        # The assurance summary and provider profiles count SIs per provider from the SI log.
        return ClinicalService(self.ctx, si_counts=self.incidents.counts_by_provider)

    @cached_property
    def printing(self) -> ClinicalPrinting:
        from riskdesk.services.printing import ClinicalPrinting

        return ClinicalPrinting(self.ctx, self.clinical)

    @cached_property
    def cycles(self) -> CycleService:
        from riskdesk.services.cycles import CycleService

        return CycleService(self.ctx)

    @cached_property
    def importing(self) -> ImportService:
        from riskdesk.services.importing import ImportService

        return ImportService(self.ctx)

    @cached_property
    def users(self) -> UserService:
        from riskdesk.services.users import UserService

        return UserService(self.ctx)

    @cached_property
    def exporting(self) -> ExportService:
        from riskdesk.services.exporting import ExportService

        return ExportService(self.ctx)

    @cached_property
    def audit(self) -> AuditService:
        from riskdesk.services.audit import AuditService

        return AuditService(self.ctx)

    @cached_property
    def governance(self) -> GovernanceService:
        from riskdesk.services.governance import GovernanceService

        return GovernanceService(self.ctx)

    @cached_property
    def scheme(self) -> SchemeService:
        from riskdesk.services.scheme import SchemeService

        return SchemeService(self.ctx)

    @cached_property
    def evidence(self) -> EvidenceService:
        from riskdesk.services.evidence import EvidenceService

        service = EvidenceService(self)
        service.seal_hook = self.audit.chain_head  # the manifest carries the trail's chain head
        return service

    @cached_property
    def profiles(self) -> ProfileService:
        from riskdesk.services.profiles import ProfileService

        return ProfileService(self)

    @cached_property
    def ombudsman(self) -> OmbudsmanService:
        from riskdesk.services.ombudsman import OmbudsmanService

        return OmbudsmanService(self.ctx)

    @cached_property
    def self_assessment(self) -> SelfAssessmentService:
        from riskdesk.services.self_assessment import SelfAssessmentService

        return SelfAssessmentService(self.ctx)

    def demo(self) -> DemoLoader:
        from riskdesk.services.demo import DemoLoader

        return DemoLoader(self.ctx)


__all__ = ["Services", "default_actor"]
