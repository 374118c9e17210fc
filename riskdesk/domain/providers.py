"""Providers of commissioned public-health services, as services hand them to the window."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceRow:
    id: int
    provider_id: int
    name: str
    area: str
    active: bool


@dataclass(frozen=True)
class ProviderRow:
    id: int
    name: str
    short_name: str
    active: bool
    version: int
    services: tuple[ServiceRow, ...] = ()

    @property
    def label(self) -> str:
        """"Midlands Partnership NHS Foundation Trust (MPFT)"."""
        return f"{self.name} ({self.short_name})" if self.short_name else self.name
