"""``riskdesk scheme show|export|import``: the scoring scheme (bands, criteria, matrix, appetite) as JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from riskdesk.cli.arguments import text_file
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("scheme", help="the scoring scheme: show it, export it to JSON, import a council's own")
    c = p.add_subparsers(dest="scheme_command", metavar="ACTION", required=True)
    show = c.add_parser("show", help="bands, matrix size, labels, appetite and review cadence")
    show.add_argument("--version", dest="scheme_version", type=int, help="an earlier version (default: the newest)")
    show.set_defaults(run=_show)
    ex = c.add_parser("export", help="write the scheme as JSON (to a file, or standard output)")
    ex.add_argument("--version", dest="scheme_version", type=int)
    ex.add_argument("--out", type=Path, help="file to write (default: standard output)")
    ex.set_defaults(run=_export)
    im = c.add_parser("import", help="save a scheme file as the next version (administrator, corporate risk team)")
    im.add_argument("file", type=Path)
    im.add_argument("--name", help="name the new version (default: the file's)")
    im.set_defaults(run=_import)


def _show(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    sc = services.scheme.current(actor, args.scheme_version)
    print(f"Scheme version {sc.version}: {sc.name}")
    print(f"Matrix: {sc.size} × {sc.size} (scores 1–{sc.size * sc.size})")
    print("Bands:")
    for b in reversed(sc.bands.bands):
        print(f"  {b.low}–{b.high}  {b.name} ({b.colour}, {b.rgb})")
    print("Impact:     " + "; ".join(f"{lv.level} {lv.label}" for lv in sc.impact_levels))
    print("Likelihood: " + "; ".join(f"{lv.level} {lv.label}" for lv in sc.likelihood_levels))
    if sc.appetite_levels:
        print("Appetite:   " + "; ".join(f"{name} ≤ {top}" for name, top in sc.appetite_levels))
        for category, level in sc.category_appetite:
            print(f"  {category}: {level}")
    if sc.review_months:
        print("Reviews:    " + "; ".join(f"{band} every {m} month(s)" for band, m in sc.review_months))
    return 0


def _export(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    text = services.scheme.export_json(actor, args.scheme_version)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"Scheme written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _import(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    text = text_file(args.file, "scheme file")
    saved = services.scheme.import_json(actor, text, name=args.name)
    print(f"Scheme version {saved.version} saved: {saved.name}")
    if saved.rescore:
        print(f"{len(saved.rescore)} risk(s) to re-score under the new scheme:")
        for r in saved.rescore:
            print(f"  {r.ref}  {r.owner_name or 'no owner'}  {r.score}: {'; '.join(r.reasons)}")
    else:
        print("No risk changes band or meaning.")
    return 0
