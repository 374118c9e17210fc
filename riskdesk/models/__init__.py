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
from riskdesk.models.cycles import ReportCycle
from riskdesk.models.governance import AssessmentGovernance, AssuranceSource, LessonRisk, RiskControl
from riskdesk.models.importing import SavedImportMapping
from riskdesk.models.incidents import (
    IncidentAction,
    IncidentExtension,
    IncidentReview,
    IncidentRisk,
    SeriousIncident,
)
from riskdesk.models.ombudsman import (
    OmbudsmanBenchmark,
    OmbudsmanCase,
    OmbudsmanExtension,
    OmbudsmanPublishedYear,
    OmbudsmanRecommendation,
    OmbudsmanRemedy,
    SelfAssessment,
    SelfAssessmentRowModel,
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
    "Category",
    "ClinicalAction",
    "ClinicalAudit",
    "CommissionedService",
    "Department",
    "Escalation",
    "IncidentAction",
    "IncidentExtension",
    "IncidentReview",
    "IncidentRisk",
    "LessonRisk",
    "OmbudsmanBenchmark",
    "OmbudsmanCase",
    "OmbudsmanExtension",
    "OmbudsmanPublishedYear",
    "OmbudsmanRecommendation",
    "OmbudsmanRemedy",
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
    "SelfAssessment",
    "SelfAssessmentRowModel",
    "SeriousIncident",
    "Setting",
    "User",
]
