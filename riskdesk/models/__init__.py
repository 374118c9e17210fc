"""SQLAlchemy tables. Importing this package registers every model on ``Base.metadata``."""

from riskdesk.models.audit import AuditEntry
from riskdesk.models.base import Base
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
    RiskDepartment,
    SchemeVersion,
    Setting,
)

__all__ = [
    "Amendment",
    "Assessment",
    "AssessmentLine",
    "AuditEntry",
    "Base",
    "Category",
    "CommissionedService",
    "Department",
    "Escalation",
    "IncidentAction",
    "IncidentExtension",
    "IncidentReview",
    "IncidentRisk",
    "Provider",
    "Register",
    "Removal",
    "Risk",
    "RiskDepartment",
    "SchemeVersion",
    "SeriousIncident",
    "Setting",
    "User",
]
