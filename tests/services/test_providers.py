import pytest

from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.register import Actor


def test_providers_and_their_services(services, admin):
    mpft = services.providers.add_provider(admin, "Midlands Partnership NHS Foundation Trust", "MPFT")
    services.providers.add_service(admin, mpft.id, "Integrated Sexual Health Service", "Sexual health")
    tp = services.providers.add_provider(admin, "Turning Point", "")
    services.providers.add_service(admin, tp.id, "Integrated substance misuse service", "Substance misuse")
    rows = services.providers.list_providers(admin)
    assert [p.label for p in rows] == ["Midlands Partnership NHS Foundation Trust (MPFT)", "Turning Point"]
    assert rows[0].services[0].area == "Sexual health"
    with pytest.raises(ValidationError, match="already a service"):
        services.providers.add_service(admin, mpft.id, "integrated sexual health service")
    with pytest.raises(ValidationError, match="already a provider"):
        services.providers.add_provider(admin, "turning point")


def test_provider_edit_is_audited_and_stale_edits_refused(services, admin):
    p = services.providers.add_provider(admin, "Leicestershire Partnership NHS Trust", "LPT")
    services.providers.update_provider(admin, p.id, expected_version=p.version, short_name="LPFT")
    with pytest.raises(StaleEdit):
        services.providers.update_provider(admin, p.id, expected_version=p.version, active=False)
    trail = services.risks.audit_trail(admin, entity="provider", entity_id=p.id)
    assert trail[0].changes == {"short_name": ["LPT", "LPFT"]}


def test_risk_owners_cannot_see_or_edit_providers(services, admin):
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    with pytest.raises(PermissionDenied):
        services.providers.add_provider(Actor("owner"), "X")
    with pytest.raises(PermissionDenied):
        services.providers.list_providers(Actor("owner"))
