"""SQLAlchemy tables. Importing this package registers every model on ``Base.metadata``."""

from riskdesk.models.audit import AuditEntry
from riskdesk.models.base import Base
from riskdesk.models.cycles import ReportCycle
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
    "Provider",
    "Register",
    "Removal",
    "ReportCycle",
    "Risk",
    "RiskDepartment",
    "SchemeVersion",
    "Setting",
    "User",
]
