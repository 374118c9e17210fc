"""SQLAlchemy tables. ``from riskdesk.models import X`` gives any model, wherever it is defined.

The register's tables (people, the register itself, the audit trail, the working-day calendar)
are defined when this package is imported. Each casework feature's tables (complaints, FOI,
the Ombudsman, serious incidents, clinical governance, providers, report cycles, saved import
mappings) are defined the first time one of its names is asked for, so that the window can show
its register without first building some forty mappers it has not been asked for (0.15 s of the
2 s from start to 5,000 rows painted, on a 2-core machine). ``load_all()`` defines every table: the migrations and
anything else that reads ``Base.metadata`` whole call it first.

A feature's module is imported holding SQLAlchemy's mapper-configuration lock. Another thread that
queries meanwhile waits for the module to finish before it configures the new mappers: configured
half-way through a module, a relationship to a class defined further down would fail to resolve,
and SQLAlchemy would then refuse every query. So nothing outside this package imports a feature's
model module directly (an import-linter contract checks it).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

from riskdesk.models.audit import (
    AuditChainHead,
    AuditEntry,
    AuditSeal,
)
from riskdesk.models.base import Base
from riskdesk.models.calendar import CalendarOverride
from riskdesk.models.people import User
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

if TYPE_CHECKING:
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
    from riskdesk.models.governance import (
        AssessmentGovernance,
        AssuranceSource,
        LessonRisk,
        RiskControl,
    )
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
    from riskdesk.models.providers import (
        CommissionedService,
        Provider,
    )

#: Each feature's model names, by the module (under riskdesk.models) that defines them.
_FEATURES: dict[str, tuple[str, ...]] = {
    "clinical": (
        "AssuranceEntry", "AssuranceSummary", "ClinicalAction", "ClinicalAudit", "PatientGroupDirection",
        "QualityVisit",
    ),
    "complaints": (
        "CaseworkReport", "Complainant", "Complaint", "ComplaintRemedy", "ComplaintService",
        "ComplaintServiceAlias", "ComplaintStage", "Compliment", "Contact", "StageExtension",
    ),
    "cycles": ("ReportCycle",),
    "foi": ("FoiIcoCase", "FoiInternalReview", "FoiLinkOfficer", "FoiReport", "FoiRequest", "FoiRequester"),
    "governance": ("AssessmentGovernance", "AssuranceSource", "LessonRisk", "RiskControl"),
    "importing": ("SavedImportMapping",),
    "incidents": ("IncidentAction", "IncidentExtension", "IncidentReview", "IncidentRisk", "SeriousIncident"),
    "ombudsman": (
        "OmbudsmanBenchmark", "OmbudsmanCase", "OmbudsmanExtension", "OmbudsmanPublishedYear",
        "OmbudsmanRecommendation", "OmbudsmanRemedy", "SelfAssessment", "SelfAssessmentRowModel",
    ),
    "providers": ("CommissionedService", "Provider"),
}
_MODULE_OF = {name: module for module, names in _FEATURES.items() for name in names}


def load(module: str) -> ModuleType:
    """Define a feature's tables (``module`` is its name under riskdesk.models), once; see above."""
    # SQLAlchemy's own lock (private; a release that renames it fails here, loudly, in every test).
    from sqlalchemy.orm.mapper import _CONFIGURE_MUTEX

    with _CONFIGURE_MUTEX:
        loaded = importlib.import_module(f"riskdesk.models.{module}")
        globals().update((name, getattr(loaded, name)) for name in _FEATURES[module])  # next time, no call here
        return loaded


def load_all() -> None:
    """Define every table on ``Base.metadata``."""
    for module in _FEATURES:
        load(module)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(load(module), name)


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
    "StageExtension",
    "User",
]
