"""Providers and the services the council commissions from them (shared by SIs and clinical audit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission
from riskdesk.domain.providers import ProviderRow, ServiceRow
from riskdesk.domain.register import Actor
from riskdesk.models import CommissionedService, Provider
from riskdesk.services.base import ServiceContext, diff, get_or_404, refusal


def provider_row(p: Provider) -> ProviderRow:
    return providers_from([p], p.services)[0]


def provider_reads(*, include_inactive: bool) -> list[Select[Any]]:
    """The providers (by name) and every commissioned service (by name), as two plain reads that
    go with a caller's others (one round trip to a shared server, where loading each provider's
    services was one more for each provider); :func:`providers_from` makes the rows."""
    sv = CommissionedService
    providers = (select(Provider.id, Provider.name, Provider.short_name, Provider.active, Provider.version)
                 .order_by(Provider.name, Provider.id))
    if not include_inactive:
        providers = providers.where(Provider.active.is_(True))
    return [providers, select(sv.id, sv.provider_id, sv.name, sv.area, sv.active).order_by(sv.name, sv.id)]


def providers_from(providers: Sequence[Any], services: Sequence[Any]) -> list[ProviderRow]:
    """The rows of :func:`provider_reads`' reads (in that order), as ``provider_row`` makes them."""
    theirs: dict[int, list[ServiceRow]] = {}
    for sv in services:
        theirs.setdefault(sv.provider_id, []).append(ServiceRow(sv.id, sv.provider_id, sv.name, sv.area, sv.active))
    return [ProviderRow(p.id, p.name, p.short_name, p.active, p.version, tuple(theirs.get(p.id, ())))
            for p in providers]


class ProviderService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _may_view(self, s: Session, actor: Actor, who: Sequence[Sequence[Any]] | None = None) -> None:
        """Refuse anyone who sees neither SIs nor clinical audits. ``who``: what ``user_reads`` read."""
        user = self._ctx.user(s, actor) if who is None else self._ctx.user_from(s, actor, who)
        from riskdesk.domain.permissions import allows

        if not (allows(user.role, Permission.VIEW_INCIDENTS) or allows(user.role, Permission.VIEW_CLINICAL)):
            raise PermissionDenied(refusal(user.display_name, user.role, Permission.VIEW_INCIDENTS))

    def _may_edit(self, s: Session, actor: Actor):  # type: ignore[no-untyped-def]
        user = self._ctx.user(s, actor)
        from riskdesk.domain.permissions import allows

        if allows(user.role, Permission.EDIT_INCIDENTS) or allows(user.role, Permission.EDIT_CLINICAL):
            return user
        return self._ctx.require(s, actor, Permission.EDIT_INCIDENTS)

    def list_providers(self, actor: Actor, *, include_inactive: bool = False) -> list[ProviderRow]:
        with self._ctx.begin() as s:
            who, (providers, services) = self._ctx.read_with_user(
                s, actor, provider_reads(include_inactive=include_inactive), Permission.VIEW_INCIDENTS)
            self._may_view(s, actor, who)
            return providers_from(providers, services)

    def get(self, actor: Actor, provider_id: int) -> ProviderRow:
        with self._ctx.begin() as s:
            self._may_view(s, actor)
            return provider_row(get_or_404(s, Provider, provider_id, "Provider"))

    def add_provider(self, actor: Actor, name: str, short_name: str = "") -> ProviderRow:
        name, short_name = (name or "").strip(), (short_name or "").strip()
        if not name:
            raise ValidationError("provider name", name, "must not be empty")
        with self._ctx.begin() as s:
            user = self._may_edit(s, actor)
            if s.scalar(select(Provider).where(func.lower(Provider.name) == name.lower())):
                raise ValidationError("provider name", name, "is already a provider")
            p = Provider(name=name, short_name=short_name)
            s.add(p)
            s.flush()
            self._ctx.audit(s, user, "provider.add", "provider", p.id, p.name,
                            {"name": [None, name], "short_name": [None, short_name]})
            return provider_row(p)

    def update_provider(self, actor: Actor, provider_id: int, *, expected_version: int, name: str | None = None,
                        short_name: str | None = None, active: bool | None = None) -> ProviderRow:
        with self._ctx.begin() as s:
            user = self._may_edit(s, actor)
            p = get_or_404(s, Provider, provider_id, "Provider")
            if p.version != expected_version:
                raise StaleEdit(f"Provider {p.name}")
            before = {"name": p.name, "short_name": p.short_name, "active": p.active}
            if name is not None:
                name = name.strip()
                if not name:
                    raise ValidationError("provider name", name, "must not be empty")
                p.name = name
            if short_name is not None:
                p.short_name = short_name.strip()
            if active is not None:
                p.active = active
            s.flush()
            changes = diff(before, {"name": p.name, "short_name": p.short_name, "active": p.active})
            if changes:
                self._ctx.audit(s, user, "provider.update", "provider", p.id, p.name, changes)
            return provider_row(p)

    def add_service(self, actor: Actor, provider_id: int, name: str, area: str = "") -> ServiceRow:
        name, area = (name or "").strip(), (area or "").strip()
        if not name:
            raise ValidationError("service name", name, "must not be empty")
        with self._ctx.begin() as s:
            user = self._may_edit(s, actor)
            p = get_or_404(s, Provider, provider_id, "Provider")
            if any(sv.name.lower() == name.lower() for sv in p.services):
                raise ValidationError("service name", name, f"is already a service of {p.name}")
            sv = CommissionedService(provider_id=p.id, name=name, area=area)
            s.add(sv)
            s.flush()
            self._ctx.audit(s, user, "service.add", "commissioned_service", sv.id, f"{p.name}: {name}",
                            {"name": [None, name], "area": [None, area]})
            return ServiceRow(sv.id, p.id, sv.name, sv.area, sv.active)

    def set_service_active(self, actor: Actor, service_id: int, active: bool) -> ServiceRow:
        with self._ctx.begin() as s:
            user = self._may_edit(s, actor)
            sv = get_or_404(s, CommissionedService, service_id, "Service")
            before = sv.active
            sv.active = active
            if before != active:
                self._ctx.audit(s, user, "service.active", "commissioned_service", sv.id, sv.name,
                                {"active": [before, active]})
            return ServiceRow(sv.id, sv.provider_id, sv.name, sv.area, sv.active)
