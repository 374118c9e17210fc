"""Take any list out of riskdesk as .xlsx or .csv: the register as shown, removed risks, the audit trail.

Files are written by :func:`riskdesk.io.export.export_rows`, which neutralises formula injection,
keeps dates as dates and splits over-long text over "(continued N)" columns rather than cutting
it. Each export is recorded in the audit trail (who took which list out, to which file).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from riskdesk.domain.direction import direction_words
from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor, RiskRow
from riskdesk.domain.risk_detail import AuditRow, RemovalRow
from riskdesk.domain.scoring import Bands, ScoringScheme
from riskdesk.io.export import Column, export_rows
from riskdesk.io.prepare import ImportedRisk
from riskdesk.io.register import REGISTER_COLUMNS, register_row
from riskdesk.services.base import ServiceContext
from riskdesk.services.registers import require_register, scheme_row
from riskdesk.services.risks import RiskFilter, RiskService

REMOVED_COLUMNS: tuple[Column, ...] = (
    Column("Ref", 8),
    Column("Departments", 14),
    Column("Description", 60),
    Column("Impact at removal", 10),
    Column("Likelihood at removal", 12),
    Column("Score at removal", 10),
    Column("Reason for removal", 50),
    Column("Removed on", 12),
    Column("Removed by", 16),
)

AUDIT_COLUMNS: tuple[Column, ...] = (
    Column("When (UTC)", 17),
    Column("User", 16),
    Column("Action", 18),
    Column("Record", 12),
    Column("Record id", 9),
    Column("Label", 24),
    Column("Changes (old → new)", 60),
    Column("Note", 40),
)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    #: Cells whose control characters were replaced by visible symbols ("Row 5, Changes: ESC … shown as ␛").
    replaced: tuple[str, ...] = ()


def imported_risk(row: RiskRow, bands: Bands | None = None) -> ImportedRisk:
    """A register row in the shape :func:`~riskdesk.io.register.register_row` writes: every scoring line
    with its label, target and note, and the direction words.

    Args:
        row: the register row.
        bands: the bands an import would derive direction words from (the current scheme's). The
            row's words are exported only when they differ from those; without bands they are
            always exported.
    """
    words = row.direction_text
    if (
        words and bands is not None and row.direction is not None and row.current is not None
        and words == direction_words(row.direction, row.current.score, bands, row.target_score)
    ):
        words = ""
    return ImportedRisk(
        row=0, ref=row.ref, description=row.description, category=row.category_heading,
        departments=row.departments, owners=(row.owner_name,) if row.owner_name else (),
        current=row.current, target=row.target, direction=row.direction, update=row.update_text,
        note=row.lines[0].note if row.lines else "", lines=tuple(row.lines[1:]), direction_text=words,
    )


def removal_cells(r: RemovalRow) -> list[object]:
    return [r.ref, r.departments_text or None, r.description, r.impact, r.likelihood, r.score, r.reason,
            r.removed_on, r.removed_by or None]


def _change_text(changes: dict[str, object]) -> str:
    def show(value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            lines.append(f"{key}: {show(value[0])} → {show(value[1])}")
        else:
            lines.append(f"{key}: {show(value)}")
    return "\n".join(lines)


def audit_cells(a: AuditRow) -> list[object]:
    return [a.at, a.who, a.action, a.entity, a.entity_id, a.label or None, _change_text(a.changes) or None,
            a.note or None]


class ExportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._risks = RiskService(ctx)

    def _record(self, actor: Actor, what: str, path: Path, count: int) -> None:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EXPORT)
            self._ctx.audit(s, user, "export", "export", None, what, {"file": [None, str(path)], "rows": [None, count]})

    def register(self, actor: Actor, path: str | Path, rows: Sequence[RiskRow] | None = None, *,
                 register_id: int | None = None) -> ExportResult:
        """Export register rows (as shown in the window, filters and order kept) or a whole register.

        Args:
            actor: who exports.
            path: .xlsx or .csv file to write.
            rows: the rows to write, in order; when None, the current risks of ``register_id``.
            register_id: the register to export when ``rows`` is None.
        """
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.EXPORT)
            name = require_register(s, register_id).name if register_id is not None else "Register"
            # An import derives direction words from the newest scheme; words that differ are custom.
            bands = ScoringScheme.from_dict(scheme_row(s).data).bands
        if rows is None:
            if register_id is None:
                raise ValueError("register(): give the rows or a register_id")
            rows = self._risks.list_risks(actor, register_id, RiskFilter("current"))
        notes: list[str] = []
        out = export_rows(path, REGISTER_COLUMNS, [register_row(imported_risk(r, bands)) for r in rows], sheet_name=name,
                          notes=notes, band_fill=lambda score: _band_rgb(bands, score))
        self._record(actor, f"register ({len(rows)} risks)", out, len(rows))
        return ExportResult(out, len(rows), tuple(notes))

    def removed(self, actor: Actor, path: str | Path, register_id: int) -> ExportResult:
        """Export the risks removed from a register (and not restored), newest first."""
        rows = self._risks.removed(actor, register_id)
        notes: list[str] = []
        out = export_rows(path, REMOVED_COLUMNS, [removal_cells(r) for r in rows], sheet_name="Removed risks",
                          notes=notes)
        self._record(actor, f"removed risks ({len(rows)})", out, len(rows))
        return ExportResult(out, len(rows), tuple(notes))

    def audit_trail(self, actor: Actor, path: str | Path, rows: Sequence[AuditRow] | None = None) -> ExportResult:
        """Export the audit trail (or the entries given), newest first."""
        if rows is None:
            rows = self._risks.audit_trail(actor)
        else:  # entries handed in are held to the same rule as those read here
            rows = self._risks.readable_audit_rows(actor, rows)
        notes: list[str] = []
        out = export_rows(path, AUDIT_COLUMNS, [audit_cells(a) for a in rows], sheet_name="Audit trail", notes=notes)
        self._record(actor, f"audit trail ({len(rows)} entries)", out, len(rows))
        return ExportResult(out, len(rows), tuple(notes))


def _band_rgb(bands: Bands, score: int) -> str | None:
    """The fill colour of ``score``'s band; None for a score outside every band (left plain)."""
    try:
        return bands.band_for(score).rgb
    except RiskdeskError:
        return None
