"""The clinical-governance views count serious incidents from the SI log."""

from datetime import date

from riskdesk.domain.incidents import Framework, IncidentDraft
from riskdesk.domain.quarters import Quarter


def test_provider_profile_counts_the_providers_serious_incidents(services, admin):
    mpft = services.providers.add_provider(admin, "Midlands Partnership NHS Foundation Trust", "MPFT")
    sexual_health = services.providers.add_service(admin, mpft.id, "Integrated Sexual Health Service", "Sexual health")
    other = services.providers.add_provider(admin, "Turning Point", "")
    misuse = services.providers.add_service(admin, other.id, "Substance misuse service", "Substance misuse")
    for day, provider, service in [(date(2023, 10, 3), mpft, sexual_health), (date(2023, 11, 20), mpft, sexual_health),
                                   (date(2023, 11, 21), other, misuse), (date(2023, 6, 1), mpft, sexual_health)]:
        services.incidents.save(admin, IncidentDraft(provider_id=provider.id, service_id=service.id, identified_on=day,
                                                     reported_on=day, description="Medicine given outside the PGD",
                                                     framework=Framework.SIF_2015))
    profile = services.clinical.provider_profile(admin, mpft.id, Quarter(2023, 3), today=date(2023, 12, 1))
    assert profile.serious_incidents == 2  # Oct–Dec 2023 only; the June one is another quarter
    assert services.incidents.counts_by_provider(date(2023, 10, 1), date(2023, 12, 31)) == {mpft.id: 2, other.id: 1}
