"""Every refusal reads as a sentence: each permission says who may, each assignable role what it is for."""

from riskdesk.domain.permissions import ASSIGNABLE, ROLE_SAYS, WHO_MAY, Permission, Role, why_not


def test_every_permission_says_who_may_use_it() -> None:
    missing = [p.value for p in Permission if p not in WHO_MAY]
    print("permissions without a sentence:", missing)
    assert missing == []


def test_every_role_that_cannot_do_everything_says_what_it_is_for() -> None:
    missing = [r.value for r in ASSIGNABLE if r not in (Role.ADMIN, Role.RISK_TEAM) and r not in ROLE_SAYS]
    assert missing == []


def test_a_link_officer_is_told_who_can_change_a_complaint() -> None:
    text = why_not(Role.COMPLAINTS_READ, Permission.EDIT_COMPLAINTS)
    assert text.startswith("A complaints link officer reads complaints")
    assert "Only the complaints team can" in text
