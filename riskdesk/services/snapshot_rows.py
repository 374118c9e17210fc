"""A draft cycle's appendix snapshot, built from what ``cycles.snapshot_reads`` read, and printed.

The services read those statements through SQLAlchemy (``cycles.build_snapshot``, also when a
cycle is presented and frozen); ``riskdesk appendix`` on a personal SQLite file runs the same
statements compiled for SQLite with the standard library's sqlite3 (``appendix_look``), so that
printing the appendix from the command line need not import the database layer at all. Both
build the snapshot here, from plain rows, so the two cannot print different appendices.

Nothing here imports SQLAlchemy or the models.
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from riskdesk.domain.appetite import appetite_for
from riskdesk.domain.cycles import DEFAULT_FOOTNOTES, removed_since
from riskdesk.domain.direction import movement_note
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register import RiskRow, category_heading, ref_sort_key
from riskdesk.domain.scoring import ScoringScheme
from riskdesk.domain.snapshot import Footnote, RegisterSnapshot, RemovedRisk, SnapshotCategory, SnapshotRisk
from riskdesk.services.listing import COUNCIL_NAME, risk_rows

#: Settings a council edits to change the printed wording (JSON); defaults are the published ones.
FOOTNOTES_SETTING = "appendix_footnotes"
COLUMNS_SETTING = "appendix_columns"
#: Appendix wording switch: print an appetite mark beside scores out of appetite.
APPENDIX_APPETITE = "appendix_appetite_mark"
#: The settings a snapshot prints.
SNAPSHOT_SETTINGS = (COUNCIL_NAME, FOOTNOTES_SETTING, COLUMNS_SETTING, APPENDIX_APPETITE)


class CycleFields(Protocol):
    """What a snapshot takes from its cycle (the model, or a row of the same columns)."""

    title: str
    appendix_label: str
    meeting_title: str
    meeting_date: date
    update_heading: str
    period: str


def latest_cycle(cycles: Sequence[Any]) -> Any | None:
    """What ``riskdesk appendix --cycle latest`` prints: of ``cycles`` (``cycles.cycles_read``'s rows,
    newest meeting first), the corporate register's newest, else the newest; None when there are none."""
    return next((c for c in cycles if c.kind == "corporate"), cycles[0] if cycles else None)


def footnotes_from(raw: str) -> tuple[Footnote, ...]:
    """The appendix footnotes saved as ``raw`` (the published ones when none are saved)."""
    if not raw:
        return DEFAULT_FOOTNOTES
    try:
        return tuple(Footnote(str(f["marker"]), str(f["text"]), tuple(str(i) for i in f.get("items", ())))
                     for f in json.loads(raw))
    except (ValueError, KeyError, TypeError, AttributeError):
        return DEFAULT_FOOTNOTES  # a hand-edited setting must not stop the committee report


def columns_from(raw: str) -> tuple[tuple[str, str], ...]:
    """The column headings saved as ``raw`` over the published ones, every column named."""
    from riskdesk.reports.shared import DEFAULT_COLUMNS

    columns = dict(DEFAULT_COLUMNS)
    if raw:
        with contextlib.suppress(ValueError, AttributeError):
            columns.update({str(k): str(v) for k, v in json.loads(raw).items() if str(k) in DEFAULT_COLUMNS})
    # Stored in full in each snapshot, so a later change of wording leaves past cycles alone.
    return tuple(sorted(columns.items()))


def snapshot_from(c: CycleFields, results: Mapping[str, Sequence[Any]], settings: Mapping[str, str]
                  ) -> tuple[RegisterSnapshot, list[str]]:
    """The register as it stands, for cycle ``c``, without movements; also the refs of risks never
    scored (left out of the snapshot: a preview still prints, presenting refuses them).

    ``results``: each of ``snapshot_reads``' statements by name, its rows (columns readable by
    name, except ``risks``, read by position). ``settings``: the saved values of
    ``SNAPSHOT_SETTINGS`` (a key not saved is absent).
    """
    versions = results["schemes"]
    schemes = {v.id: ScoringScheme.from_dict(v.data) for v in versions}
    rows = risk_rows(results["risks"], results["risk_departments"], results["risk_lines"], schemes)
    unscored = [r.ref for r in rows if not r.lines or r.direction is None]
    rows = [r for r in rows if r.lines and r.direction is not None]
    by_cat: dict[int | None, list[SnapshotRisk]] = defaultdict(list)
    for row in rows:
        by_cat[row.category_id].append(_snapshot_risk(row))
    scheme = _scheme(versions, results["scored_under"])
    categories = []
    for cat in results["categories"]:
        risks = sorted(by_cat.pop(cat.id, []), key=lambda r: ref_sort_key(r.ref))
        # Each risk carries its category's appetite under the scheme this appendix prints, so
        # presenting freezes it with the scores (a later scheme leaves the printed marks alone).
        appetite = appetite_for(scheme, cat.name)
        if appetite is not None:
            risks = [replace(r, appetite_max=appetite.max_score) for r in risks]
        categories.append(SnapshotCategory(cat.number, cat.name, cat.retired,
                                           category_heading(cat.number, cat.name, cat.retired, cat.heading_as_given),
                                           tuple(risks)))
    leftover = [r for risks in by_cat.values() for r in risks]
    if leftover:
        categories.append(SnapshotCategory(None, "Other risks", False, "Other risks",
                                           tuple(sorted(leftover, key=lambda r: ref_sort_key(r.ref)))))
    used = {code.lower() for r in rows for code in r.departments}
    snapshot = RegisterSnapshot(
        council=settings.get(COUNCIL_NAME, ""),
        register_name=results["register"][0].name,
        title=c.title,
        appendix_label=c.appendix_label,
        meeting_title=c.meeting_title,
        meeting_date=c.meeting_date,
        update_heading=c.update_heading,
        period=c.period,
        categories=tuple(categories),
        department_key=tuple((d.code, d.name) for d in results["departments"] if d.code.lower() in used),
        footnotes=footnotes_from(settings.get(FOOTNOTES_SETTING, "")),
        removed=_removed(results["removed"], results["removed_departments"]),
        removed_since=removed_since(c.meeting_date),
        scheme=scheme,
        columns=columns_from(settings.get(COLUMNS_SETTING, "")),
        appetite_mark=settings.get(APPENDIX_APPETITE, "off") == "on",
    )
    return snapshot, unscored


def _snapshot_risk(row: RiskRow) -> SnapshotRisk:
    head = row.lines[0]
    # "Decreased from 20" comes from history when the previous period scored differently;
    # otherwise the note typed with the assessment (a loaded register carries it as printed).
    note = movement_note(row.previous_score, row.score) or head.note
    lines = (replace(head, note=note), *row.lines[1:])
    assert row.direction is not None
    return SnapshotRisk(
        risk_id=row.id, ref=row.ref, departments=row.departments, departments_text=row.departments_text,
        description=row.description, lines=lines, update=row.update_text, direction=row.direction,
        direction_text=row.direction_text, service_area=row.service_area, owner=row.owner_name,
        exempt=row.exempt,
    )


def _scheme(versions: Sequence[Any], scored_under: Sequence[Any]) -> ScoringScheme:
    """The scheme the printed scores were given under, so the criteria match the scores.

    A scheme the council saved since then prints in the next appendix (its owners are given the
    guided re-score list); presented cycles keep the one frozen in their snapshot."""
    newest = max(versions, key=lambda v: v.version)
    scheme_id = scored_under[0].scheme_id if scored_under else None
    row = next(v for v in versions if v.id == scheme_id) if scheme_id is not None else newest
    if newest.version > row.version:
        row = newest
    return ScoringScheme.from_dict(row.data)


def _removed(removals: Sequence[Any], departments: Sequence[Any]) -> tuple[RemovedRisk, ...]:
    codes: dict[int, list[str]] = defaultdict(list)
    for risk_id, code in departments:
        codes[risk_id].append(code)
    out = []
    for rem in removals:
        score = rem.score if rem.score is not None else (
            rem.impact * rem.likelihood if rem.impact and rem.likelihood else 0)
        out.append(RemovedRisk(
            ref=rem.ref, department=rem.departments_text or " ".join(codes[rem.risk_id]),
            description=rem.description, score=score, impact=rem.impact, likelihood=rem.likelihood,
            reason=rem.reason, removed_on=rem.removed_on, exempt=rem.exempt, risk_id=rem.risk_id,
        ))
    return tuple(out)


def appendix_format(out: str | Path | BinaryIO, fmt: str | None) -> str:
    """``pdf`` or ``docx``: ``fmt``, else the file's extension, else PDF."""
    fmt = (fmt or (Path(out).suffix.lstrip(".") if isinstance(out, str | Path) else "pdf") or "pdf").lower()
    if fmt not in ("pdf", "docx"):
        raise ValidationError("format", fmt, "must be pdf or docx")
    return fmt


def write_snapshot(snapshot: RegisterSnapshot, out: str | Path | BinaryIO, *, fmt: str, part: str,
                   include_movements: bool, created: datetime | None,
                   progress: Callable[[int, int], None] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> None:
    """Print ``snapshot``'s appendix to ``out`` as ``fmt`` (see ``CycleService.write_appendix``).

    Raises:
        ReportCancelled: ``cancelled`` returned True; nothing was written.
    """
    if fmt == "pdf":
        from riskdesk.reports.appendix import write_appendix_pdf

        write_appendix_pdf(snapshot, out, part=part, include_movements=include_movements, progress=progress,
                           cancelled=cancelled, created=created)
    else:
        from riskdesk.reports.appendix_docx import write_appendix_docx
        from riskdesk.reports.shared import ReportCancelled

        if cancelled is not None and cancelled():
            raise ReportCancelled("appendix cancelled")
        write_appendix_docx(snapshot, out, part=part, include_movements=include_movements, created=created)
