"""Roles and what each may do. Services check these; the window only hides what is refused."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RISK_TEAM = "risk_team"
    RISK_OWNER = "risk_owner"
    PUBLIC_HEALTH = "public_health"
    AUDITOR = "auditor"
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
    Role.AUDITOR: frozenset(_READ | {Permission.VIEW_INCIDENTS, Permission.VIEW_CLINICAL, Permission.EVIDENCE_PACK}),
}


#: The roles a person can be given, most powerful first (NONE is the absence of a role).
ASSIGNABLE: tuple[Role, ...] = (Role.ADMIN, Role.RISK_TEAM, Role.PUBLIC_HEALTH, Role.AUDITOR, Role.RISK_OWNER)

#: Audit-trail entity kinds about serious incidents and clinical governance: only the roles that
#: may view those records may read the entries (which hold their text).
INCIDENT_ENTITIES: frozenset[str] = frozenset(
    {"serious_incident", "incident_action", "incident_review", "incident_extension", "incident_risk"}
)
CLINICAL_ENTITIES: frozenset[str] = frozenset(
    {"clinical_audit", "quality_visit", "clinical_action", "pgd", "assurance_summary", "assurance_entry"}
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
    return frozenset(hidden)


def group_role(role: Role | str) -> str:
    """The PostgreSQL group role that carries ``role``'s privileges (``riskdesk_risk_team``)."""
    return f"riskdesk_{Role(role).value}"


#: Who may do each thing, as a sentence a refused person can act on (the service's refusals and
#: the window's tooltips on disabled controls say the same).
WHO_MAY: dict[Permission, str] = {
    Permission.VIEW_REGISTER: "Only people with a riskdesk role can read the register.",
    Permission.EDIT_REGISTER: "Only the corporate risk team can add, amend, remove or escalate risks.",
    Permission.ASSESS_ANY_RISK: "Only the corporate risk team can update a risk that someone else owns.",
    Permission.ASSESS_OWN_RISK: "Only a risk's owner and the corporate risk team can write its quarterly update.",
    Permission.MANAGE_REFERENCE: "Only the corporate risk team can change departments, owners and roles.",
    Permission.MANAGE_USERS: "Only a riskdesk administrator can manage people and their roles.",
    Permission.PRESENT_CYCLE: "Only the corporate risk team can present a report cycle to committee or close "
                              "the quarter.",
    Permission.VIEW_AUDIT_TRAIL: "Only people with a riskdesk role can read the audit trail.",
    Permission.VIEW_INCIDENTS: "Only public health and internal audit can see serious incidents.",
    Permission.EDIT_INCIDENTS: "Only the public health team can log, change or delete serious incidents.",
    Permission.VIEW_CLINICAL: "Only public health and internal audit can see clinical governance records.",
    Permission.EDIT_CLINICAL: "Only the public health team can change clinical audits, quality visits and PGDs.",
    Permission.IMPORT: "Only the corporate risk team can import a register from a spreadsheet.",
    Permission.EXPORT: "Only people with a riskdesk role can export the register.",
    Permission.MANAGE_CALENDAR: "Only a riskdesk administrator can change the working-day calendar.",
    Permission.BACKUP: "Only the corporate risk team or an administrator can back up or restore the database.",
    Permission.MANAGE_SCHEME: "Only the corporate risk team can change the scoring scheme.",
    Permission.EVIDENCE_PACK: "Only the corporate risk team and internal audit can build the quarter's evidence "
                              "pack.",
}

#: What each role is for, said to a person whose control is disabled ("why can't I?").
ROLE_SAYS: dict[Role, str] = {
    Role.AUDITOR: "Internal audit reads the register; it cannot change it.",
    Role.RISK_OWNER: "A risk owner updates the risks they own.",
    Role.PUBLIC_HEALTH: "The public health lead updates the risks they own and keeps SI and clinical records.",
    Role.NONE: "You have no riskdesk role yet: ask a riskdesk administrator to give you one.",
}


def why_not(role: Role | str, permission: Permission) -> str:
    """Why ``role`` may not do what ``permission`` allows, as sentences ("" when it may)."""
    if allows(role, permission):
        return ""
    try:
        says = ROLE_SAYS.get(Role(role), "")
    except ValueError:
        says = ROLE_SAYS[Role.NONE]
    return " ".join(part for part in (says, WHO_MAY[permission]) if part)
