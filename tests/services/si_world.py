"""Providers, services and SIs for the serious-incident tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from riskdesk.domain.incidents import Framework, IncidentDraft, LearningResponse

FIXTURES = Path(__file__).parent.parent / "fixtures"


@dataclass
class World:
    tp: int
    tp_service: int
    mpft: int
    mpft_service: int
    lpt: int
    lpt_service: int


def make_world(services, actor) -> World:
    p = services.providers
    tp = p.add_provider(actor, "Turning Point", "TP")
    tps = p.add_service(actor, tp.id, "Integrated substance misuse service", "Substance misuse")
    mpft = p.add_provider(actor, "Midlands Partnership University NHS Foundation Trust", "MPFT")
    ms = p.add_service(actor, mpft.id, "Integrated sexual health service", "Sexual health")
    lpt = p.add_provider(actor, "Leicestershire Partnership NHS Trust", "LPT")
    ls = p.add_service(actor, lpt.id, "0–11 Healthy Together", "Healthy Child Programme")
    return World(tp.id, tps.id, mpft.id, ms.id, lpt.id, ls.id)


def draft(world: World, reported: date, *, framework=Framework.SIF_2015, provider="tp", **kw) -> IncidentDraft:
    pid, sid = {"tp": (world.tp, world.tp_service), "mpft": (world.mpft, world.mpft_service),
                "lpt": (world.lpt, world.lpt_service)}[provider]
    base = dict(provider_id=pid, service_id=sid, identified_on=kw.pop("identified_on", reported),
                reported_on=reported, description=kw.pop("description", "Death of a service user in treatment."),
                framework=framework, category=kw.pop("category", "Drug-related death"))
    if framework is Framework.PSIRF:
        base["learning_response"] = kw.pop("learning_response", LearningResponse.AFTER_ACTION_REVIEW)
    base.update(kw)
    return IncidentDraft(**base)


def monthly_fixture() -> list[dict[str, str]]:
    with open(FIXTURES / "si-monthly-2021-2023.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
