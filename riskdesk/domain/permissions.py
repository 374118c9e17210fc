"""Roles and what each may do. Services check these; the window only hides what is refused."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RISK_TEAM = "risk_team"
    RISK_OWNER = "risk_owner"
    PUBLIC_HEALTH = "public_health"
    AUDITOR = "auditor"
    COMPLAINTS_TEAM = "complaints_team"
    COMPLAINTS_READ = "complaints_read"
    #: A login riskdesk has seen but no administrator has given a role: it may do nothing.
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "none": "No role yet",
            "admin": "Administrator",
            "risk_team": "Corporate risk team",
            "risk_owner": "Risk owner",
            "public_health": "Public health lead",
            "auditor": "Internal audit (read only)",
            "complaints_team": "Complaints and information team",
            "complaints_read": "Complaints link officer (read)",
        }[self.value]


class Permission(StrEnum):
    VIEW_REGISTER = "view_register"
    EDIT_REGISTER = "edit_register"  # add, amend, remove, restore, escalate, categories
    ASSESS_ANY_RISK = "assess_any_risk"
    ASSESS_OWN_RISK = "assess_own_risk"
    MANAGE_REFERENCE = "manage_reference"  # departments, owners
    MANAGE_USERS = "manage_users"
    PRESENT_CYCLE = "present_cycle"
    VIEW_AUDIT_TRAIL = "view_audit_trail"
    VIEW_INCIDENTS = "view_incidents"
    EDIT_INCIDENTS = "edit_incidents"
    VIEW_CLINICAL = "view_clinical"
    EDIT_CLINICAL = "edit_clinical"
    IMPORT = "import"
    EXPORT = "export"
    MANAGE_CALENDAR = "manage_calendar"  # bank-holiday overrides, local closure days (administrator)
    BACKUP = "backup"  # a backup holds everything, incidents included
    MANAGE_SCHEME = "manage_scheme"  # bands, criteria, matrix size, appetite, review cadence
    EVIDENCE_PACK = "build_evidence_packs"  # the quarter's evidence pack: risk team, internal audit
    VIEW_COMPLAINTS = "view_complaints"
    EDIT_COMPLAINTS = "edit_complaints"
    VIEW_COMPLAINANT = "view_complainant"


_READ = {
    Permission.VIEW_REGISTER,
    Permission.VIEW_AUDIT_TRAIL,
    Permission.EXPORT,
}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.RISK_TEAM: frozenset(
        _READ
        | {
            Permission.EDIT_REGISTER,
            Permission.ASSESS_ANY_RISK,
            Permission.ASSESS_OWN_RISK,
            Permission.MANAGE_REFERENCE,
            Permission.PRESENT_CYCLE,
            Permission.IMPORT,
            Permission.BACKUP,
            Permission.MANAGE_SCHEME,
            Permission.EVIDENCE_PACK,
        }
    ),
    Role.NONE: frozenset(),
    Role.RISK_OWNER: frozenset(_READ | {Permission.ASSESS_OWN_RISK}),
    Role.PUBLIC_HEALTH: frozenset(
        _READ
        | {
            Permission.ASSESS_OWN_RISK,
            Permission.VIEW_INCIDENTS,
            Permission.EDIT_INCIDENTS,
            Permission.VIEW_CLINICAL,
            Permission.EDIT_CLINICAL,
        }
    ),
    Role.AUDITOR: frozenset(_READ | {Permission.VIEW_INCIDENTS, Permission.VIEW_CLINICAL, Permission.EVIDENCE_PACK,
                                     Permission.VIEW_COMPLAINTS}),
    Role.COMPLAINTS_TEAM: frozenset(
        _READ | {Permission.VIEW_COMPLAINTS, Permission.EDIT_COMPLAINTS, Permission.VIEW_COMPLAINANT}
    ),
    Role.COMPLAINTS_READ: frozenset({Permission.VIEW_REGISTER, Permission.VIEW_COMPLAINTS}),
}


#: The roles a person can be given, most powerful first (NONE is the absence of a role).
ASSIGNABLE: tuple[Role, ...] = (Role.ADMIN, Role.RISK_TEAM, Role.PUBLIC_HEALTH, Role.COMPLAINTS_TEAM, Role.AUDITOR,
                                Role.COMPLAINTS_READ, Role.RISK_OWNER)

#: Audit-trail entity kinds about serious incidents and clinical governance: only the roles that
#: may view those records may read the entries (which hold their text).
INCIDENT_ENTITIES: frozenset[str] = frozenset(
    {"serious_incident", "incident_action", "incident_review", "incident_extension", "incident_risk"}
)
CLINICAL_ENTITIES: frozenset[str] = frozenset(
    {"clinical_audit", "quality_visit", "clinical_action", "pgd", "assurance_summary", "assurance_entry"}
)

#: Audit-trail entity kinds about Ombudsman casework and the Code self-assessment: hidden from
#: roles without VIEW_COMPLAINTS (the entries quote case facts).
OMBUDSMAN_ENTITIES: frozenset[str] = frozenset(
    {"ombudsman_case", "ombudsman_recommendation", "ombudsman_remedy", "ombudsman_extension",
     "ombudsman_published_year", "ombudsman_benchmark", "self_assessment", "self_assessment_row"}
)


def allows(role: Role | str, permission: Permission) -> bool:
    """Whether ``role`` has ``permission``; an unknown role (an old or hand-edited value) has none."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False


def hidden_audit_entities(role: Role | str) -> frozenset[str]:
    """The audit-trail entity kinds ``role`` may not read."""
    hidden: set[str] = set()
    if not allows(role, Permission.VIEW_INCIDENTS):
        hidden |= INCIDENT_ENTITIES
    if not allows(role, Permission.VIEW_CLINICAL):
        hidden |= CLINICAL_ENTITIES
    if not allows(role, Permission.VIEW_COMPLAINTS):
        hidden |= OMBUDSMAN_ENTITIES
    return frozenset(hidden)


def group_role(role: Role | str) -> str:
    """The PostgreSQL group role that carries ``role``'s privileges (``riskdesk_risk_team``)."""
    return f"riskdesk_{Role(role).value}"
