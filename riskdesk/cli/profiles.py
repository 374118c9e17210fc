"""``riskdesk provider-profile``: print a provider's assurance profile for a quarter."""

from __future__ import annotations

import argparse

from riskdesk.cli.arguments import output_file
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("provider-profile", help="print a provider's assurance profile for a quarter (PDF)")
    p.add_argument("--provider", required=True, help="short name (MPFT), full name or number")
    p.add_argument("--quarter", required=True, help="e.g. '23/24 Q3'")
    p.add_argument("--out", type=output_file(".pdf"), required=True, help="PDF to write")
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    quarter = Quarter.parse(args.quarter)
    provider_id = services.profiles.find_provider(actor, args.provider)
    services.profiles.write_provider_profile(actor, provider_id, quarter, args.out)
    print(f"Wrote {args.out}: provider assurance profile, {quarter.label}")
    return 0
