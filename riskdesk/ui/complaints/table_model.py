"""The complaints list and the compliments list, on the kit's row table model.

At 100,000 complaints two costs dominated a keystroke in the search box: building and lowering every
row's searchable text again on every key, and formatting each visible cell once per role while the
view paints. Here a row's searchable text is built once per loaded list (and typing one more letter
searches only the rows the previous letters left), and a row's cell texts and band brushes are
worked out once and kept until the rows change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.complaints import ClockBand, ComplaintRow, ComplimentRow, ContactRow, Procedure
from riskdesk.ui.kit.table_model import ROW_ROLE, SORT_ROLE, Column, Index, RowTableModel

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

    _PLAIN_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                              Qt.ItemDataRole.ToolTipRole})
    _BACKGROUND, _FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
    _FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # combined once: asked per cell per paint

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Cell texts per row, (display, full) per column: a visible cell is asked for its text in
        # several roles on every paint; formatting dates and labels once per row keeps a repaint cheap.
        # Keyed by the row object's id, holding the row itself so that the id cannot be reused by a
        # newer row (after a reload) while the entry lives.
        self._texts: dict[int, tuple[ComplaintRow, tuple[tuple[str, str], ...]]] = {}
        self._brushes: dict[ClockBand, tuple[QBrush, QBrush]] = {}

    def set_rows(self, rows: Sequence[ComplaintRow]) -> None:
        if len(self._texts) > 20_000:  # bounded: only rows that were on screen are ever formatted
            self._texts = {}
        super().set_rows(rows)

    def _cells(self, row: ComplaintRow) -> tuple[tuple[str, str], ...]:
        entry = self._texts.get(id(row))
        if entry is None:
            full = [c.text(row) for c in self.columns]
            entry = self._texts[id(row)] = (row, tuple((" ".join(t.split()), t) for t in full))
        return entry[1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in self._PLAIN_ROLES:
            r = index.row()
            if not index.isValid() or not 0 <= r < len(self._rows):
                return None
            display, full = self._cells(self._rows[r])[index.column()]
            if role == Qt.ItemDataRole.DisplayRole:
                return display
            return full if role == Qt.ItemDataRole.AccessibleTextRole else full or None
        if role == self._BACKGROUND or role == self._FOREGROUND:
            r = index.row()
            if not index.isValid() or not 0 <= r < len(self._rows):
                return None
            return self.extra(self._rows[r], index.column(), role)
        if role in (ROW_ROLE, SORT_ROLE):
            return super().data(index, role)
        return None  # the other roles (font, alignment, size hint…) this table leaves to the view

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def extra(self, row: ComplaintRow, column: int, role: int) -> Any:
        if role not in (self._BACKGROUND, self._FOREGROUND) or row.band not in BAND_COLOURS:
            return None
        brushes = self._brushes.get(row.band)
        if brushes is None:
            # Dark text on the light band colours (contrast).
            brushes = self._brushes[row.band] = (QBrush(QColor(BAND_COLOURS[row.band])), QBrush(QColor("#000000")))
        return brushes[0] if role == self._BACKGROUND else brushes[1]


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
            hay = haystack(r)
            return all(word in hay for word in self.text.casefold().split())
        return True


def haystack(r: ComplaintRow) -> str:
    """What the search box searches, lowered."""
    return f"{r.reference} {r.service} {r.department} {r.handler} {r.summary}".casefold()


@dataclass
class _Search:
    """The loaded list's searchable texts and recent results, kept between keystrokes."""

    rows: Sequence[ComplaintRow] | None = None
    size: int = 0
    hay: list[str] = field(default_factory=list)
    #: (other filters, search text) -> matching indexes, most recent last; a few, for Backspace.
    results: dict[tuple[ComplaintFilter, str], list[int]] = field(default_factory=dict)


_search = _Search()
_RESULTS_KEPT = 16


def filtered(rows: Sequence[ComplaintRow], f: ComplaintFilter) -> list[ComplaintRow]:
    """The rows ``f`` accepts, in their order.

    The searchable text of every row is built once per loaded list (the same list object, unchanged
    in length: the page filters the list it loaded), when the list is first filtered, so that no
    keystroke pays for it. A search that extends an earlier one (one more letter typed) looks only at
    the rows that one left, and the last few results are kept, so Backspace costs a lookup.
    """
    st = _search
    if st.rows is not rows or st.size != len(rows):
        st.rows, st.size, st.hay, st.results = rows, len(rows), [haystack(r) for r in rows], {}
    words = f.text.casefold().split()
    others = ComplaintFilter(procedure=f.procedure, band=f.band, open_only=f.open_only)
    if not words:
        return list(rows) if others == ComplaintFilter() else [r for r in rows if others.accepts(r)]
    needle = " ".join(words)
    idx = st.results.pop((others, needle), None)
    if idx is None:
        # Every row a longer text matches, a shorter one matched too (and passed the other filters).
        pool: Sequence[int] | None = next((found for (was, text), found in reversed(st.results.items())
                                           if was == others and needle.startswith(text)), None)
        hay = st.hay
        scan = range(len(rows)) if pool is None else pool
        if len(words) == 1:
            w = words[0]
            idx = [i for i in scan if w in hay[i]]
        else:
            idx = [i for i in scan if all(w in hay[i] for w in words)]
        if pool is None and others != ComplaintFilter():
            idx = [i for i in idx if others.accepts(rows[i])]
    st.results[(others, needle)] = idx
    while len(st.results) > _RESULTS_KEPT:
        del st.results[next(iter(st.results))]
    return [rows[i] for i in idx]
