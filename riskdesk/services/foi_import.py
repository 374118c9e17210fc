"""Import FOI/EIR requests from a case-management export (iCasework, Infreemation or similar).

The file is read by the existing import machinery (``riskdesk.io.readers``: CSV, XLSX, XLS, ODS, with
its encoding, size and damage checks; ``riskdesk.io.mapping``: header detection). Columns are
recognised by the names those systems export; every row is checked first and every problem is
reported at once, naming the row and the column, and nothing is written unless all rows are good.
Rows then go through ``FoiService.import_requests`` (one transaction, audited, clocks computed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.foi import (
    SOURCE_REFERENCE_MAX,
    SOURCE_REFERENCE_TOO_LONG,
    Channel,
    FoiDraft,
    Outcome,
    Regime,
    imported_summary,
)
from riskdesk.domain.register import Actor
from riskdesk.services.foi import FoiService

#: Field → header names the common exports use (compared case-insensitively, spaces squeezed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "case reference", "request id", "case id", "ref"),
    "regime": ("regime", "request type", "legislation", "case type", "type"),
    "received_on": ("date received", "received", "received date", "date of receipt", "opened"),
    "departments": ("department", "departments", "directorate", "service area", "lead department"),
    "subject": ("subject", "category", "subject category", "topic"),
    "requester_type": ("requester type", "applicant type", "requestor type", "requester category"),
    "channel": ("channel", "received via", "method"),
    "responded_on": ("date responded", "responded", "date closed", "response date", "closed"),
    "outcome": ("outcome", "result", "disclosure outcome"),
    "bases": ("exemptions", "exemptions applied", "sections", "exceptions"),
    "cost_estimate_hours": ("hours", "hours estimate", "cost estimate (hours)"),
    "public_interest_test": ("public interest test", "pit"),
}
#: The names the FOI rules (``FoiService.check``) give what they refuse → the field read from the file.
_RULE_COLUMNS = {"hours estimate": "cost_estimate_hours", "sections relied on": "bases", "outcome": "outcome",
                 "response date": "responded_on", "public-interest test": "public_interest_test",
                 "department": "departments"}
_REGIMES = {"foi": Regime.FOIA, "foia": Regime.FOIA, "freedom of information": Regime.FOIA, "eir": Regime.EIR,
            "environmental information": Regime.EIR, "environmental information regulations": Regime.EIR}
_OUTCOMES = {
    "provided in full": Outcome.FULL, "full": Outcome.FULL, "released in full": Outcome.FULL,
    "information provided": Outcome.FULL, "provided in part": Outcome.PARTIAL, "part": Outcome.PARTIAL,
    "partial": Outcome.PARTIAL, "partially released": Outcome.PARTIAL, "refused": Outcome.REFUSED,
    "refused in full": Outcome.REFUSED, "withheld": Outcome.REFUSED, "not held": Outcome.NOT_HELD,
    "information not held": Outcome.NOT_HELD, "ncnd": Outcome.NCND, "neither confirm nor deny": Outcome.NCND,
    "withdrawn": Outcome.WITHDRAWN, "lapsed": Outcome.LAPSED, "transferred": Outcome.TRANSFERRED,
}
_CHANNELS = {"email": Channel.EMAIL, "e-mail": Channel.EMAIL, "web": Channel.WEB_FORM, "web form": Channel.WEB_FORM,
             "online": Channel.WEB_FORM, "letter": Channel.LETTER, "post": Channel.LETTER,
             "whatdotheyknow": Channel.WHATDOTHEYKNOW, "wdtk": Channel.WHATDOTHEYKNOW}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    imported: int
    problems: tuple[str, ...]
    dry_run: bool
    skipped: tuple[str, ...] = ()  # "row N, reference → the request it became", left out as imported before


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(what, text, "is not a date (write it as 31/03/2023 or 2023-03-31)")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class _Row:
    """A request as a row of the file gave it: where it is, the reference it has there, the draft."""

    row: int  # as the spreadsheet numbers it
    reference: str
    draft: FoiDraft


def _read(path: str | Path) -> tuple[list[_Row], list[tuple[int, str]], int, dict[str, str]]:
    """The requests a file holds, every problem found (the row and the column as headed in the file),
    its number of data rows, and each field's heading in the file."""
    from riskdesk.io.mapping import detect_header_rows, header_names
    from riskdesk.io.readers import read_workbook

    sheet = read_workbook(path).sheet()
    start, count = detect_header_rows(sheet.grid)
    names = header_names(sheet.grid, start, count, sheet.merges)
    where: dict[str, int] = {}
    for field_name, aliases in COLUMNS.items():
        for j, name in enumerate(names):
            if _key(name) in aliases:
                where[field_name] = j
                break
    missing = [f for f in ("received_on", "departments") if f not in where]
    if missing:
        wanted = "; ".join(f"{f.replace('_', ' ')} (one of: {', '.join(COLUMNS[f])})" for f in missing)
        raise ValidationError("file", str(path), f"has no column for {wanted}")
    headings = {f: names[j] for f, j in where.items()}
    found: list[_Row] = []
    problems: list[tuple[int, str]] = []  # (row, what is wrong there)
    first_row: dict[str, int] = {}  # reference (any case) → the row it was first seen on
    data_rows = sheet.grid[start + count:]
    for n, row in enumerate(data_rows, start=start + count + 1):
        def cell(field_name: str, row: Any = row) -> Any:
            j = where.get(field_name)
            return row[j] if j is not None and j < len(row) else None

        if all(_text(v) == "" for v in row):
            continue
        reference = _text(cell("reference"))
        if len(reference) > SOURCE_REFERENCE_MAX:
            problems.append(_problem(n, headings.get("reference", "reference"), reference, SOURCE_REFERENCE_TOO_LONG))
        elif reference:
            seen = first_row.setdefault(reference.casefold(), n)
            if seen != n:
                problems.append(_problem(n, headings.get("reference", "reference"), reference,
                                         f"is also the reference on row {seen}: one request, once"))
        try:
            regime_text = _key(_text(cell("regime")) or "foia")
            if regime_text not in _REGIMES:
                raise ValidationError("regime", regime_text, "is neither FOI nor EIR")
            outcome_text = _key(_text(cell("outcome")))
            if outcome_text and outcome_text not in _OUTCOMES:
                raise ValidationError("outcome", outcome_text, "is not an outcome riskdesk knows (" +
                                      ", ".join(sorted(_OUTCOMES)) + ")")
            hours_text = _text(cell("cost_estimate_hours"))
            try:
                hours = Decimal(hours_text) if hours_text else None
            except InvalidOperation:
                raise ValidationError("cost_estimate_hours", hours_text, "is not a number of hours") from None
            if hours is not None and not hours.is_finite():
                raise ValidationError("cost_estimate_hours", hours_text, "is not a number of hours")
            received = _date(cell("received_on"), "received_on")
            if received is None:
                raise ValidationError("received_on", "", "is empty")
            found.append(_Row(n, reference, FoiDraft(
                regime=_REGIMES[regime_text], received_on=received,
                departments=_text(cell("departments")).replace(";", " ").replace("/", " "),
                subject=_text(cell("subject")), requester_type=_text(cell("requester_type")) or None,
                channel=_CHANNELS.get(_key(_text(cell("channel"))), Channel.OTHER if cell("channel") else
                                      Channel.EMAIL),
                responded_on=_date(cell("responded_on"), "responded_on"),
                outcome=_OUTCOMES[outcome_text] if outcome_text else None, bases=_text(cell("bases")),
                cost_estimate_hours=hours, public_interest_test=_text(cell("public_interest_test")),
                summary=imported_summary(Path(path).name, reference),
            )))
        except ValidationError as exc:
            problems.append(_problem(n, headings.get(exc.field, exc.field.replace("_", " ")), exc.value, exc.reason))
    return found, problems, len(data_rows), headings


def _problem(row: int, column: str, value: Any, reason: str) -> tuple[int, str]:
    return row, f"row {row}, {column}: “{value}” {reason}"


def import_file(foi: FoiService, actor: Actor, path: str | Path, *, dry_run: bool = False,
                skip_imported: bool = False) -> ImportResult:
    """Check every row (each request through the same rules as the editor), then import all or none.

    A row whose reference was imported before (from this file or another) is refused: the same
    export read twice, or two exports that overlap, would otherwise count those requests twice in
    every report to committee. ``skip_imported`` leaves such rows out instead, and says which."""
    found, problems, rows, headings = _read(path)
    before = foi.imported_references(actor)
    fresh: list[_Row] = []
    skipped: list[str] = []
    for r in found:
        earlier = before.get(r.reference.casefold()) if r.reference else None
        if earlier is not None:
            if skip_imported:
                skipped.append(f"row {r.row}, {r.reference} → {earlier}")
                continue
            problems.append(_problem(r.row, headings["reference"], r.reference,
                                     f"was imported before, as {earlier}: importing it again would count it "
                                     "twice (--skip-imported leaves such rows out)"))
        fresh.append(r)
        try:
            foi.check(r.draft)
        except ValidationError as exc:
            problems.append(_problem(r.row, headings.get(_RULE_COLUMNS.get(exc.field, ""), exc.field), exc.value,
                                     exc.reason))
    if problems or dry_run:
        return ImportResult(rows, 0, tuple(text for _row, text in sorted(problems, key=lambda p: p[0])), dry_run,
                            () if problems else tuple(skipped))
    ids = foi.import_requests(actor, [(r.draft, None) for r in fresh], [r.reference for r in fresh]) if fresh else []
    return ImportResult(rows, len(ids), (), False, tuple(skipped))
