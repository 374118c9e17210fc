"""Audit-trail commands: ``audit verify``, ``audit status``, ``audit seal`` and ``redact``."""

from __future__ import annotations

import argparse
import sys

from riskdesk.domain.register import Actor
from riskdesk.services import Services

#: Exit status when the trail is broken (2 stays "could not run": bad input, no permission).
BROKEN = 1


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="check the hash-chained audit trail: verify, status, seal")
    a = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = a.add_parser(
        "verify", help="recompute the whole chain and name the first entry where it breaks",
        description="Exit status 0: intact; 1: broken (the message names the first broken entry); "
        "2: could not check. With --seal, the trail must also match a seal printed on an appendix.")
    verify.add_argument("--seal", metavar="VALUE", help="a printed seal, e.g. 12345-3f2a9c1e7b6d0a44…")
    verify.set_defaults(run=_verify)
    status = a.add_parser("status", help="entries, whether the chain is intact, when it was last sealed")
    status.set_defaults(run=_status)
    seal = a.add_parser("seal", help="record the chain head now and print it (to keep on paper)")
    seal.add_argument("--reason", default="sealed on request", help="why (kept with the seal)")
    seal.set_defaults(run=_seal)

    r = sub.add_parser(
        "redact", help="remove a value (e.g. an NHS number typed by mistake) from an SI and the audit trail",
        description="Administrator only. The value is replaced by [redacted] in the SI record and in every "
        "audit entry holding it; a chained audit entry records who, when, why and a hash of the removed value. "
        "The chain still verifies. Digits match however they are spaced (943 476 5919 = 9434765919).")
    r.add_argument("--incident", required=True, metavar="REF",
                   help="the serious incident's reference, as the window shows it (e.g. SI-2025-001)")
    r.add_argument("--value", required=True, help="the exact text to remove")
    r.add_argument("--reason", required=True, help="why it is removed (kept in the audit trail)")
    r.set_defaults(run=_redact)


def _verify(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    verdict = services.audit.verify(actor, seal=args.seal,
                                    progress=lambda n: print(f"  checked {n:,} entries…", file=sys.stderr))
    print(verdict.message())
    return 0 if verdict.intact else BROKEN


def _status(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    status = services.audit.status(actor)
    print(status.text)
    return 0 if status.intact is not False else BROKEN


def _seal(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    seal = services.audit.seal_now(actor, args.reason)
    print(f"Audit seal {seal.text}")
    return 0


def _redact(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    result = services.audit.redact_incident(actor, args.incident, args.value, args.reason)
    where = ", ".join(result.incident_fields) or "no field of the SI record"
    print(f"Redacted from {where} and from {len(result.audit_entries)} audit entr"
          f"{'y' if len(result.audit_entries) == 1 else 'ies'}. {result.storage_note}")
    return 0
