"""Import and export commands: ``riskdesk import FILE`` and ``riskdesk export LIST --out FILE``."""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import replace
from pathlib import Path

from riskdesk.domain.errors import RiskdeskError, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor, RegisterRow
from riskdesk.domain.scoring import Score
from riskdesk.io.mapping import ImportMapping, parse_map_option
from riskdesk.io.prepare import ImportedRisk, PreparedImport, guess_for_sheet
from riskdesk.io.readers import EXCEL_EXTENSIONS, Sheet
from riskdesk.io.scales import ScaleMap, parse_scale_option
from riskdesk.io.text import printable
from riskdesk.services import Services
from riskdesk.services.importing import NOT_STATED, stored_update


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import", help="bring a register in from an Excel or CSV file (try --dry-run first)",
        description="Import risks from a council's spreadsheet. Without --mapping the columns are guessed and "
        "the guess is printed; --dry-run prints every row as it would be stored and every problem, and "
        "changes nothing.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--mapping", metavar="NAME", help="use an import mapping saved under this name")
    p.add_argument("--save-mapping", metavar="NAME", help="save the mapping used (guessed or given) under this name")
    p.add_argument("--register", metavar="NAME",
                   help="register to import into (default: the corporate register); created when missing")
    p.add_argument("--sheet", metavar="S", help="sheet to read (default: the mapping's, else the first with data)")
    p.add_argument("--period", metavar="QUARTER", help="period of the current scores, e.g. '23/24 Q3' "
                   "(default: the current reporting period)")
    p.add_argument("--skip-row", type=int, action="append", default=[], metavar="N",
                   help="leave out this row (numbered as in Excel); may be repeated")
    p.add_argument("--dry-run", action="store_true", help="print what would be stored and every problem; change nothing")
    p.add_argument("--create-departments", action="store_true", help="create departments the file names that "
                   "riskdesk does not have")
    p.add_argument("--create-owners", action="store_true", help="add owners the file names that riskdesk does "
                   "not have, as users with the risk owner role")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                   help="map a column yourself, e.g. --map \"Impact (1-10)=current impact\" or --map \"Risk "
                   "Priority=ignore\"; may be repeated")
    p.add_argument("--scale", action="append", default=[], metavar="PART=1-N",
                   help="the file's scale for impact or likelihood, e.g. --scale impact=1-10 (riskdesk reads 1-5 "
                   "unless the header or you say otherwise, and never rescales by itself)")
    p.add_argument("--encoding", metavar="NAME", help="the text encoding of a CSV file, e.g. cp1252 or mac_roman "
                   "(riskdesk refuses a file it cannot read in one encoding)")
    p.add_argument("--this-quarters-update", action="store_true",
                   help="the file is this quarter's update: store its scores for the current period (by default they "
                   "are the register as it stood, for the quarter before, and risks read 'not updated' this quarter)")
    p.set_defaults(run=_import)

    p = sub.add_parser("export", help="write a list to .xlsx or .csv (Excel-safe)")
    p.add_argument("list", choices=("register", "removed", "audit-trail"))
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write: .xlsx or .csv")
    p.add_argument("--register", metavar="NAME", help="register (default: the corporate register)")
    p.set_defaults(run=_export)


# -- helpers ----------------------------------------------------------------------------------------


def _find_register(services: Services, actor: Actor, name: str | None) -> RegisterRow | None:
    registers = services.registers.list_registers(actor)
    if name is None:
        return next((r for r in registers if r.is_corporate), registers[0] if len(registers) == 1 else None)
    wanted = " ".join(name.split()).lower()
    return next((r for r in registers if r.name.lower() == wanted), None)


def _score(score: Score | None) -> str:
    return f"{score.impact} × {score.likelihood} = {score.score}" if score else "none"


def _indented(text: str, prefix: str = "      ") -> str:
    # Never raw control characters on the terminal: the text is shown with visible symbols.
    return textwrap.indent(printable(text), prefix, lambda _line: True) if text else f"{prefix}(empty)"


def _guessed(sheet: Sheet, sheet_given: str | None, file: Path, name: str) -> tuple[ImportMapping, ScaleMap]:
    mapping, scales = guess_for_sheet(sheet, name=name)
    # A CSV's "sheet" is its file name, which changes every quarter: only keep a chosen sheet.
    keep_sheet = sheet_given if file.suffix.lower() in EXCEL_EXTENSIONS else None
    return replace(mapping, sheet=keep_sheet), scales


def print_mapping(mapping: ImportMapping) -> None:
    width = max((len(h) for h, _ in mapping.columns), default=10)
    for header, field_name in mapping.columns:
        mark = "" if header in mapping.confirmed else "  (guessed)"
        print(f"  {printable(header):<{width}}  →  {field_name.replace('_', ' ')}{mark}")
    order = "impact before likelihood" if mapping.impact_first else "likelihood before impact"
    print(f"  (header row {mapping.header_rows[0] if mapping.header_rows else '?'}; {order})")


def print_row(risk: ImportedRisk, prepared: PreparedImport, period: Quarter) -> None:
    state = "SKIPPED" if risk.skip else ("has errors" if any(
        p.severity == "error" for p in prepared.problems_for(risk.row)) else "ok")
    print(f"Row {risk.row} · ref {printable(risk.ref) or '(none)'} · {state}")
    print("    Description:")
    print(_indented(risk.description))
    new_depts = set(prepared.new_departments)
    depts = printable(", ".join(f"{c} (new)" if c in new_depts else c for c in risk.departments) or "none")
    print(f"    Departments: {depts}")
    if risk.owners:
        first = risk.owners[0] + (" (new user)" if risk.owners[0] in prepared.unknown_owners else "")
        others = f"; also named: {', '.join(risk.owners[1:])}" if len(risk.owners) > 1 else ""
        print(f"    Owner: {printable(first + others)}")
    else:
        print("    Owner: none")
    if risk.category:
        print(f"    Category: {printable(risk.category)}")
    print(f"    Current ({period.label}): {_score(risk.current)}" + _from(risk.current_source))
    print(f"    Target: {_score(risk.target)}" + _from(risk.target_source))
    if risk.inherent is not None:
        print(f"    Inherent (risk if no action), kept as the inherent score: {_score(risk.inherent)}"
              + _from(risk.inherent_source))
    print(f"    Direction of travel: {risk.direction.value if risk.direction else NOT_STATED.lower() + ' (none in the file)'}")
    print("    Update:")
    print(_indented(stored_update(risk)))
    print()


def _from(source: str) -> str:
    return f"   [{printable(source)}]" if source else ""


def print_scales(prepared: PreparedImport) -> None:
    """How each score column is read and why; the numbers words become; ignored score columns."""
    if prepared.encoding:
        print(f"Text encoding: {prepared.encoding} ({prepared.encoding_why}).")
    if prepared.scales:
        print("How the score columns are read:")
    for col in prepared.scales:
        print(f"  {printable(col.header)} ({col.field.replace('_', ' ')}): {col.reading} — because {printable(col.why)}")
        if col.words:
            shown = ", ".join(f"“{printable(w)}” → {n}" for w, n in col.words)
            print(f"      words become: {shown}")
        if col.numbers:
            shown = ", ".join(f"{printable(w)} → {n}" for w, n in col.numbers)
            print(f"      numbers become (riskdesk's 1 to 5): {shown}")
        if col.outside:
            print(f"      {col.outside} of {col.cells} cells are outside this scale (each is listed as an error below)")
    for col in prepared.ignored_scores:
        what = "bands" if col.kind == "band" else "scores"
        print(f"  {printable(col.header)} is not imported (the mapping ignores it) but holds {what}: "
              f"{len(col.disagreements)} of {col.cells} rows disagree with riskdesk's current "
              f"{'band' if col.kind == 'band' else 'score'} (listed below). Map it with --map if it matters.")


def _apply_options(args: argparse.Namespace, mapping: ImportMapping, scales: ScaleMap) -> tuple[ImportMapping, ScaleMap]:
    """--map and --scale: the user's explicit choices, applied over the guessed or saved ones."""
    headers = [h for h, _ in mapping.columns]
    for text in args.map:
        try:
            header, field_name = parse_map_option(text)
        except ValueError as exc:
            raise RiskdeskError(str(exc)) from None
        match = next((h for h in headers if h.lower() == header.lower()), None)
        if match is None:
            names = ", ".join(f"“{printable(h)}”" for h in headers)
            raise RiskdeskError(f"--map “{printable(text)}”: the file has no column “{printable(header)}” "
                                f"(its columns are {names})")
        mapping = mapping.with_column(match, field_name)
    for text in args.scale:
        try:
            part, top = parse_scale_option(text)
        except ValueError as exc:
            raise RiskdeskError(str(exc)) from None
        scales = scales.with_range(part, top, f"you chose --scale {part}=1-{top}")
    return mapping, scales


# -- commands ---------------------------------------------------------------------------------------


def _import(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    importing = services.importing
    book = importing.open_workbook(args.file, args.encoding)
    if args.mapping:
        saved = importing.get_mapping(actor, args.mapping)
        mapping, scales = saved.mapping, saved.scales
        print(f"Using the saved mapping “{printable(saved.name)}”.")
    else:
        sheet = book.sheet(args.sheet)
        mapping, scales = _guessed(sheet, args.sheet, args.file, args.save_mapping or "")
    mapping, scales = _apply_options(args, mapping, scales)
    if not args.mapping:
        print(f"No saved mapping given; riskdesk guessed this mapping for “{printable(book.sheet(args.sheet).name)}”"
              + (" (with your --map choices)" if args.map else "") + ":")
        print_mapping(mapping)
    current = services.registers.current_period(actor)
    if args.period:
        period = Quarter.parse(args.period)
    else:
        period = current if args.this_quarters_update else current.previous()
    register = _find_register(services, actor, args.register)
    prepared = importing.preview(
        actor, args.file, mapping, scales, sheet=args.sheet, skip_rows=set(args.skip_row),
        register_id=register.id if register else None, create_departments=args.create_departments,
        create_owners=args.create_owners, encoding=args.encoding,
    )
    _check_skipped_rows(args.skip_row, prepared)
    target = register.name if register else (args.register or "Corporate Risk Register") + " (new)"
    print(f"\n{len(prepared.to_import)} of {len(prepared.rows)} rows from “{printable(prepared.source_name)}”, sheet "
          f"“{printable(prepared.sheet_name)}”, header row {prepared.header_rows[0]}, into the {printable(target)}.")
    when = ("this quarter's update" if period == current else
            "the register as it stood; each risk reads “not updated” until its owner saves this quarter's update"
            if period == current.previous() else "as you chose with --period")
    print(f"Scores are stored for {period.label} ({when}).")
    print()
    print_scales(prepared)
    if args.dry_run:
        print()
        for risk in prepared.rows:
            print_row(risk, prepared, period)
    groups = prepared.summary()
    if groups:
        print(f"\nProblems ({len(prepared.errors)} errors, {len(prepared.warnings)} warnings"
              + ("; repeats shown once with their count" if len(groups) < len(prepared.errors) + len(prepared.warnings)
                 else "") + "):")
        for group in groups:
            print(f"  {group.severity.upper():<7} {printable(str(group))}")
    if args.save_mapping:
        saved = importing.save_mapping(actor, args.save_mapping, mapping, scales)
        print(f"\nMapping saved as “{printable(saved.name)}”; next time: riskdesk import FILE --mapping \"{saved.name}\"")
    if not prepared.ok:
        print(f"\nNothing imported: fix the {len(prepared.errors)} error(s) in the file, remap a column "
              "(--map \"HEADER=FIELD\"), choose a scale (--scale impact=1-10), or skip their rows (--skip-row N), "
              "and run again.")
        if prepared.unknown_owners and not args.create_owners:
            print("People riskdesk does not know yet are added as risk owners with --create-owners.")
        if prepared.new_departments and not args.create_departments:
            print("Departments riskdesk does not have yet are created with --create-departments.")
        return 1
    if args.dry_run:
        print("\nDry run: nothing was changed. Run again without --dry-run to import.")
        return 0
    new_register = None
    if register is None:
        name = args.register or "Corporate Risk Register"
        kind = "departmental" if services.registers.corporate_register(actor) else "corporate"
        new_register = (name, kind)
    result = importing.apply(
        actor, prepared, register_id=register.id if register else None, new_register=new_register,
        create_departments=args.create_departments, create_owners=args.create_owners, period=period,
        this_quarter=period == current,
    )
    if result.register_created:
        print(f"Created the register “{printable(result.register_name)}” ({new_register[1] if new_register else ''}).")
    print(f"Imported {result.risks} risks into the {printable(result.register_name)} for {period.label}"
          + (f", with {result.inherent_scores} inherent scores kept as inherent scores" if result.inherent_scores else "")
          + ".")
    for what, names in (("Departments created", result.departments_created),
                        ("Owners added", result.owners_created), ("Categories created", result.categories_created)):
        if names:
            print(f"{what}: {printable(', '.join(names))}")
    return 0


def _export(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.domain.errors import NotFound

    if args.list == "audit-trail":
        if args.register:
            raise ValidationError("--register", args.register, "does not apply to the audit trail, which is the "
                                  "whole database's; leave it out")
        result = services.exporting.audit_trail(actor, args.out)
        print(f"Wrote {result.rows} audit entries to {result.path}")
        _print_replaced(result.replaced)
        return 0
    register = _find_register(services, actor, args.register)
    if register is None:
        raise NotFound(f"There is no register called “{args.register}”." if args.register
                       else "There is no corporate register; name one with --register.")
    if args.list == "register":
        result = services.exporting.register(actor, args.out, register_id=register.id)
        print(f"Wrote {result.rows} risks of the {register.name} to {result.path}")
    else:
        result = services.exporting.removed(actor, args.out, register.id)
        print(f"Wrote {result.rows} removed risks of the {register.name} to {result.path}")
    _print_replaced(result.replaced)
    return 0


def _print_replaced(notes: tuple[str, ...]) -> None:
    """Say which cells had control characters replaced: the file differs from the stored text there."""
    if not notes:
        return
    print(f"{len(notes)} cell(s) held invisible control characters, which Excel files cannot hold; they are "
          "shown as visible symbols (␛ for ESC) in the file, the stored text is unchanged:")
    for note in notes[:20]:
        print(f"  {note}")
    if len(notes) > 20:
        print(f"  … and {len(notes) - 20} more")


def _check_skipped_rows(asked: list[int], prepared: PreparedImport) -> None:
    """Each --skip-row must be a row of a risk in the file: a number that is not (a typo, a header
    row, a row past the end) would leave out nothing while the user believes a row left out."""
    rows = {r.row for r in prepared.rows}
    stray = sorted(set(asked) - rows)
    if stray:
        where = f"its risks are on rows {min(rows)} to {max(rows)}" if rows else "it holds no risks"
        raise ValidationError("--skip-row", ", ".join(map(str, stray)),
                              ("is not a row" if len(stray) == 1 else "are not rows")
                              + f" of a risk in “{printable(prepared.source_name)}” ({where}, numbered as in "
                              "Excel); nothing was imported")
