"""SQLAlchemy tables. Importing this package registers every model on ``Base.metadata``."""

from riskdesk.models.audit import AuditChainHead, AuditEntry, AuditSeal
from riskdesk.models.base import Base
from riskdesk.models.calendar import CalendarOverride
from riskdesk.models.clinical import (
    AssuranceEntry,
    AssuranceSummary,
    ClinicalAction,
    ClinicalAudit,
    PatientGroupDirection,
    QualityVisit,
)
from riskdesk.models.complaints import (
    CaseworkReport,
    Complainant,
    Complaint,
    ComplaintRemedy,
    ComplaintService,
    ComplaintServiceAlias,
    ComplaintStage,
    Compliment,
    Contact,
    StageExtension,
)
from riskdesk.models.cycles import ReportCycle
from riskdesk.models.foi import (
    FoiIcoCase,
    FoiInternalReview,
    FoiLinkOfficer,
    FoiReport,
    FoiRequest,
    FoiRequester,
)
from riskdesk.models.governance import AssessmentGovernance, AssuranceSource, LessonRisk, RiskControl
from riskdesk.models.importing import SavedImportMapping
from riskdesk.models.incidents import (
    IncidentAction,
    IncidentExtension,
    IncidentReview,
    IncidentRisk,
    SeriousIncident,
)
from riskdesk.models.people import User
from riskdesk.models.providers import CommissionedService, Provider
from riskdesk.models.register import (
    Amendment,
    Assessment,
    AssessmentLine,
    Category,
    Department,
    Escalation,
    Register,
    Removal,
    Risk,
    RiskAction,
    RiskDepartment,
    SchemeVersion,
    Setting,
)

__all__ = [
    "Amendment",
    "Assessment",
    "AssessmentGovernance",
    "AssessmentLine",
    "AssuranceEntry",
    "AssuranceSource",
    "AssuranceSummary",
    "AuditChainHead",
    "AuditEntry",
    "AuditSeal",
    "Base",
    "CalendarOverride",
    "CaseworkReport",
    "Category",
    "ClinicalAction",
    "ClinicalAudit",
    "CommissionedService",
    "Complainant",
    "Complaint",
    "ComplaintRemedy",
    "ComplaintService",
    "ComplaintServiceAlias",
    "ComplaintStage",
    "Compliment",
    "Contact",
    "Department",
    "Escalation",
    "FoiIcoCase",
    "FoiInternalReview",
    "FoiLinkOfficer",
    "FoiReport",
    "FoiRequest",
    "FoiRequester",
    "IncidentAction",
    "IncidentExtension",
    "IncidentReview",
    "IncidentRisk",
    "LessonRisk",
    "PatientGroupDirection",
    "Provider",
    "QualityVisit",
    "Register",
    "Removal",
    "ReportCycle",
    "Risk",
    "RiskAction",
    "RiskControl",
    "RiskDepartment",
    "SavedImportMapping",
    "SchemeVersion",
    "SeriousIncident",
    "Setting",
    "StageExtension",
    "User",
]
