"""Roles and what each may do. Services check these; the window only hides what is refused."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    RISK_TEAM = "risk_team"
    RISK_OWNER = "risk_owner"
    PUBLIC_HEALTH = "public_health"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return {
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
            Permission.MANAGE_SCHEME,
            Permission.EVIDENCE_PACK,
        }
    ),
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


def allows(role: Role | str, permission: Permission) -> bool:
    return permission in GRANTS[Role(role)]
