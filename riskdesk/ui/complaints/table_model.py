"""The complaints list and the compliments list, on the kit's row table model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.complaints import ClockBand, ComplaintRow, ComplimentRow, ContactRow, Procedure
from riskdesk.ui.kit.table_model import Column, RowTableModel

BAND_COLOURS = {
    ClockBand.OVERDUE: "#f4c7c3",
    ClockBand.DUE_SOON: "#fce8b2",
    ClockBand.EXTENDED: "#e1d5f0",
}


class ComplaintTableModel(RowTableModel[ComplaintRow]):
    columns = (
        Column("Reference", lambda r: r.reference),
        Column("Procedure", lambda r: r.procedure.label),
        Column("Received", lambda r: r.received_on),
        Column("Dept.", lambda r: r.department),
        Column("Service", lambda r: r.service),
        Column("Stage", lambda r: r.stage),
        Column("Handler", lambda r: r.handler),
        Column("Due", lambda r: r.due, "The response date in force (extended where an extension was agreed)"),
        Column("Clock", lambda r: r.band.label, "On track, due soon (5 working days or fewer), overdue, or past "
                                                "the timescale but within an agreed extension"),
        Column("Outcome", lambda r: r.outcome.label if r.outcome else ""),
        Column("Summary", lambda r: r.summary),
    )

    def extra(self, row: ComplaintRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.band in BAND_COLOURS:
            return QBrush(QColor(BAND_COLOURS[row.band]))
        if role == Qt.ItemDataRole.ForegroundRole and row.band in BAND_COLOURS:
            return QBrush(QColor("#000000"))  # dark text on the light band colours (contrast)
        return None


class ContactTableModel(RowTableModel[ContactRow]):
    """The front door: enquiries, service requests, compliments and Ombudsman contacts."""

    columns = (
        Column("Reference", lambda r: r.reference),
        Column("Kind", lambda r: r.kind.label),
        Column("Received", lambda r: r.received_on),
        Column("Logged", lambda r: r.logged_on, "The date the team logged it: what the annual report counts"),
        Column("Category", lambda r: r.category.label if r.category else ""),
        Column("Service", lambda r: r.service),
        Column("Informal window ends", lambda r: r.informal_window_ends.strftime("%d %b %Y %H:%M")
               if r.informal_window_ends else "", "24 hours from arrival to resolve informally (004:175)"),
        Column("Converted to", lambda r: r.converted_to, "The complaint this contact became"),
        Column("Summary", lambda r: r.summary),
    )


class ComplimentTableModel(RowTableModel[ComplimentRow]):
    columns = (
        Column("Logged", lambda r: r.logged_on),
        Column("Service", lambda r: r.service),
        Column("Dept.", lambda r: r.department),
        Column("Compliment", lambda r: r.text),
        Column("In annual report", lambda r: r.publish_fy),
    )


@dataclass(frozen=True)
class ComplaintFilter:
    text: str = ""
    procedure: Procedure | None = None
    band: ClockBand | None = None
    open_only: bool = False

    def accepts(self, r: ComplaintRow) -> bool:
        if self.procedure is not None and r.procedure is not self.procedure:
            return False
        if self.band is not None and r.band is not self.band:
            return False
        if self.open_only and r.band in (ClockBand.RESPONDED, ClockBand.NOT_ACCEPTED):
            return False
        if self.text:
            hay = f"{r.reference} {r.service} {r.department} {r.handler} {r.summary}".casefold()
            return all(word in hay for word in self.text.casefold().split())
        return True


def filtered(rows: Sequence[ComplaintRow], f: ComplaintFilter) -> list[ComplaintRow]:
    return [r for r in rows if f.accepts(r)]
