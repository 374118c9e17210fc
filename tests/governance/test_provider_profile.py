"""The provider assurance profile prints as PDF per provider and quarter."""

from datetime import date

from pypdf import PdfReader

from riskdesk.cli import run
from riskdesk.domain.clinical import ActionItem, AuditDraft, AuditStatus, Rag, VisitDraft
from riskdesk.domain.incidents import Framework, IncidentDraft
from riskdesk.domain.quarters import Quarter


def test_provider_profile_pdf_for_one_provider_and_quarter(services, admin, tmp_path, db_url):
    mpft = services.providers.add_provider(admin, "Midlands Partnership NHS Foundation Trust", "MPFT")
    sh = services.providers.add_service(admin, mpft.id, "Integrated Sexual Health Service", "Sexual health")
    q3 = Quarter(2023, 3)
    services.clinical.add_audit(admin, AuditDraft(
        service_id=sh.id, quarter=q3, title="Chlamydia partner notification", standard_body="BASHH",
        status=AuditStatus.COMPLETE, findings="R&D <urgent>: 92% notified within 4 weeks", rag=Rag.GREEN,
        actions=(ActionItem("Re-train reception staff", "Clinic lead", date(2024, 1, 31)),)))
    services.clinical.add_audit(admin, AuditDraft(service_id=sh.id, quarter=Quarter(2023, 2), title="Earlier audit"))
    services.clinical.add_visit(admin, VisitDraft(service_id=sh.id, planned=date(2023, 11, 7),
                                                  actual=date(2023, 11, 7), outcome="Good practice seen",
                                                  rag=Rag.AMBER))
    services.incidents.save(admin, IncidentDraft(provider_id=mpft.id, service_id=sh.id, identified_on=date(2023, 10, 3),
                                                 reported_on=date(2023, 10, 3), description="Medicine given outside PGD",
                                                 framework=Framework.SIF_2015))
    out = tmp_path / "mpft.pdf"
    services.profiles.write_provider_profile(admin, mpft.id, q3, out, today=date(2023, 12, 1))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(out)).pages).split())
    assert "Provider assurance profile – Midlands Partnership NHS Foundation Trust (MPFT)" in text
    assert "23/24 Q3" in text and "Chlamydia partner notification" in text
    assert "R&D <urgent>: 92% notified within 4 weeks" in text  # user text printed as typed
    assert "Earlier audit" not in text  # another quarter
    assert "Serious incidents reported in the quarter: 1" in text
    assert "Re-train reception staff" in text and "Good practice seen" in text
    again = tmp_path / "again.pdf"
    services.profiles.write_provider_profile(admin, mpft.id, q3, again, today=date(2023, 12, 1))
    assert again.read_bytes() == out.read_bytes()
    services.db.dispose()
    cli = tmp_path / "cli.pdf"
    assert run(["--database", db_url, "--as", admin.login, "provider-profile", "--provider", "mpft", "--quarter", "23/24 Q3",
                "--out", str(cli)]) == 0
    assert cli.read_bytes()[:5] == b"%PDF-"
    assert run(["--database", db_url, "--as", admin.login, "provider-profile", "--provider", "Nobody", "--quarter", "23/24 Q3",
                "--out", str(cli)]) == 2


def test_an_unknown_provider_is_answered_with_the_providers_there_are(services, admin):
    """Before: "'riskdesk' knows them by short name (MPFT)", naming a provider the council may not have."""
    import pytest

    from riskdesk.domain.errors import NotFound

    with pytest.raises(NotFound, match="the providers are: none yet"):
        services.profiles.find_provider(admin, "MPFT")
    services.providers.add_provider(admin, "Vale Recovery Partnership", "VRP")
    services.providers.add_provider(admin, "Marlow Vale Community Health NHS Trust", "MVCHT")
    with pytest.raises(NotFound) as missing:
        services.profiles.find_provider(admin, "MPFT")
    message = str(missing.value)
    assert message.startswith("No provider is called 'MPFT'.") and "'riskdesk'" not in message
    assert "VRP (Vale Recovery Partnership)" in message and "MVCHT (Marlow Vale Community Health NHS Trust)" in message
    assert services.profiles.find_provider(admin, "vrp") == services.profiles.find_provider(admin, "Vale Recovery Partnership")
