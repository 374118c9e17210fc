"""``riskdesk evidence-pack``: the quarter's evidence pack for internal audit, and its check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from riskdesk.domain.register import Actor
from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("evidence-pack", help="appendix, snapshot, movements, audit trail and hygiene lists in one "
                       "zip with SHA-256 manifest; 'evidence-pack verify FILE' checks one")
    p.add_argument("action", nargs="?", choices=["build", "verify"], default="build",
                   help="build (default) or verify")
    p.add_argument("file", nargs="?", type=Path, help="the pack to verify")
    p.add_argument("--cycle", default="latest", help="cycle number, or 'latest' (default)")
    p.add_argument("--out", type=Path, help="the zip to write")
    p.set_defaults(run=_build, headless=None)
    # 'verify' needs no database: decided after parsing.
    p.set_defaults(headless=_maybe_verify)


def _maybe_verify(args: argparse.Namespace) -> int:
    if args.action != "verify":
        # Not headless after all: run_command opens the database for a build.
        from riskdesk.cli import run_command

        args.headless = None
        return run_command(args)
    if args.file is None:
        print("riskdesk: evidence-pack verify needs the pack's file name", file=sys.stderr)
        return 2
    from riskdesk.services.evidence import verify_pack

    try:
        result = verify_pack(args.file)
    except FileNotFoundError:
        print(f"riskdesk: {args.file} does not exist", file=sys.stderr)
        return 2
    if result.ok:
        print(f"{args.file}: verified, {result.files} files match the manifest")
        return 0
    print(f"{args.file}: FAILED", file=sys.stderr)
    for problem in result.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def _build(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.services.evidence import check_out_path

    if args.out is None:
        print("riskdesk: evidence-pack needs --out FILE.zip", file=sys.stderr)
        return 2
    which = int(args.cycle) if str(args.cycle).isdigit() else args.cycle
    result = services.evidence.build(actor, which, check_out_path(args.out))
    print(f"Evidence pack written to {result.path}: {len(result.files)} files, "
          f"{result.audit_entries} audit entries{', sealed ' + result.audit_seal if result.audit_seal else ''}")
    for name, size, digest in result.files:
        print(f"  {digest}  {size:>9}  {name}")
    return 0
