"""Roles and what each may do. Services check these; the window only hides what is refused."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RISK_TEAM = "risk_team"
    RISK_OWNER = "risk_owner"
    PUBLIC_HEALTH = "public_health"
    AUDITOR = "auditor"
    #: Handles FOI and EIR requests, internal reviews and ICO cases; sees requesters' personal data.
    INFORMATION_GOVERNANCE = "information_governance"
    #: A department's FOI link officer: reads only the requests of their own department(s).
    FOI_READ = "foi_read"
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
            "information_governance": "Information governance team",
            "foi_read": "FOI link officer (own department)",
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
    VIEW_FOI = "view_foi"  # FOI/EIR requests, reviews, ICO cases (a link officer: own department only)
    EDIT_FOI = "edit_foi"
    VIEW_REQUESTER = "view_requester"  # requesters' names and addresses: restricted personal data
    VIEW_COMPLAINTS = "view_complaints"
    EDIT_COMPLAINTS = "edit_complaints"
    #: Complainants' names, contact details, disabilities and contact restrictions (the restricted area).
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
    # Internal audit reads every FOI case but not the requesters' personal data (SPEC D.11).
    Role.AUDITOR: frozenset(_READ | {Permission.VIEW_INCIDENTS, Permission.VIEW_CLINICAL, Permission.EVIDENCE_PACK,
                                     Permission.VIEW_FOI, Permission.VIEW_COMPLAINTS}),
    Role.INFORMATION_GOVERNANCE: frozenset(
        _READ | {Permission.VIEW_FOI, Permission.EDIT_FOI, Permission.VIEW_REQUESTER}
    ),
    # Department-scoped: the service and PostgreSQL row-level security limit which requests.
    Role.FOI_READ: frozenset({Permission.VIEW_REGISTER, Permission.VIEW_FOI}),
    Role.COMPLAINTS_TEAM: frozenset(
        _READ | {Permission.VIEW_COMPLAINTS, Permission.EDIT_COMPLAINTS, Permission.VIEW_COMPLAINANT}
    ),
    # Departmental link officers read case facts, never the complainant's personal data.
    Role.COMPLAINTS_READ: frozenset({Permission.VIEW_REGISTER, Permission.VIEW_COMPLAINTS}),
}

#: Roles whose FOI access is limited to their own departments' requests.
DEPARTMENT_SCOPED_FOI: frozenset[Role] = frozenset({Role.FOI_READ})


#: The roles a person can be given, most powerful first (NONE is the absence of a role).
ASSIGNABLE: tuple[Role, ...] = (Role.ADMIN, Role.RISK_TEAM, Role.PUBLIC_HEALTH, Role.COMPLAINTS_TEAM,
                                Role.INFORMATION_GOVERNANCE, Role.AUDITOR, Role.RISK_OWNER,
                                Role.COMPLAINTS_READ, Role.FOI_READ)

#: Audit-trail entity kinds about serious incidents and clinical governance: only the roles that
#: may view those records may read the entries (which hold their text).
INCIDENT_ENTITIES: frozenset[str] = frozenset(
    {"serious_incident", "incident_action", "incident_review", "incident_extension", "incident_risk"}
)
CLINICAL_ENTITIES: frozenset[str] = frozenset(
    {"clinical_audit", "quality_visit", "clinical_action", "pgd", "assurance_summary", "assurance_entry"}
)

#: Audit-trail entity kinds about FOI/EIR casework: only roles with VIEW_FOI read them. Requester
#: entries hold only hashes of personal values, never the values.
FOI_ENTITIES: frozenset[str] = frozenset(
    {"foi_request", "foi_requester", "foi_internal_review", "foi_ico_case", "foi_link_officer"}
)

#: Audit-trail entity kinds about complaints, contacts and compliments (case facts; the entries about
#: complainants hold hashes, not values, but still name the case).
COMPLAINT_ENTITIES: frozenset[str] = frozenset(
    {"contact", "complaint", "complaint_stage", "stage_extension", "complaint_remedy", "compliment",
     "complainant", "casework_report"}
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
    if not allows(role, Permission.VIEW_FOI):
        hidden |= FOI_ENTITIES
    if not allows(role, Permission.VIEW_COMPLAINTS):
        hidden |= COMPLAINT_ENTITIES
    if not allows(role, Permission.VIEW_COMPLAINTS):
        hidden |= OMBUDSMAN_ENTITIES
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
    Permission.VIEW_COMPLAINTS: "Only the complaints team, its link officers and internal audit can see complaints "
                                "and Ombudsman cases.",
    Permission.EDIT_COMPLAINTS: "Only the complaints team can log or change complaints, compliments and Ombudsman "
                                "cases.",
    Permission.VIEW_COMPLAINANT: "Only the complaints team can see complainants' names, contact details and "
                                 "restrictions.",
    Permission.VIEW_FOI: "Only the information governance team, FOI link officers and internal audit can see FOI "
                         "and EIR requests.",
    Permission.EDIT_FOI: "Only the information governance team can log or change FOI and EIR requests.",
    Permission.VIEW_REQUESTER: "Only the information governance team can see requesters' names and addresses.",
}

#: What each role is for, said to a person whose control is disabled ("why can't I?").
ROLE_SAYS: dict[Role, str] = {
    Role.AUDITOR: "Internal audit reads the register; it cannot change it.",
    Role.RISK_OWNER: "A risk owner updates the risks they own.",
    Role.PUBLIC_HEALTH: "The public health lead updates the risks they own and keeps SI and clinical records.",
    Role.COMPLAINTS_TEAM: "The complaints team keeps complaints, compliments and Ombudsman cases.",
    Role.COMPLAINTS_READ: "A complaints link officer reads complaints; they cannot change them.",
    Role.INFORMATION_GOVERNANCE: "The information governance team keeps FOI and EIR requests.",
    Role.FOI_READ: "An FOI link officer reads their department's requests; they cannot change them.",
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
    return " ".join(part for part in (says, WHO_MAY.get(permission, "")) if part)
