"""Printed provider assurance profiles (per provider and quarter)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from riskdesk.domain.errors import NotFound
from riskdesk.domain.permissions import Permission
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor

if TYPE_CHECKING:
    from riskdesk.services import Services


class ProfileService:
    def __init__(self, services: Services) -> None:
        self._services = services

    def find_provider(self, actor: Actor, name: str) -> int:
        """A provider's id from its short name or name (case-insensitive), as a user types it."""
        want = name.strip().casefold()
        providers = self._services.providers.list_providers(actor, include_inactive=True)
        for p in providers:
            if want in (p.short_name.casefold(), p.name.casefold()) or (want.isdigit() and int(want) == p.id):
                return p.id
        known = "; ".join(f"{p.short_name} ({p.name})" for p in providers) or "none yet"
        raise NotFound(f"No provider is called {name!r}. Name one by its short name or full name; the providers "
                       f"are: {known}.")

    def write_provider_profile(self, actor: Actor, provider_id: int, quarter: Quarter, out: str | Path | BinaryIO,
                               *, today: date | None = None) -> None:
        """Print one provider's assurance profile for a quarter as PDF (needs clinical view and export)."""
        sv = self._services
        with sv.ctx.begin() as s:
            sv.ctx.require(s, actor, Permission.EXPORT)
        profile = sv.clinical.provider_profile(actor, provider_id, quarter, today=today)
        from riskdesk.reports.provider_profile import write_provider_profile

        write_provider_profile(out, profile)
