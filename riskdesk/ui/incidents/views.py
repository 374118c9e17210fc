"""What the incidents page shows, computed from rows: the dashboard counts, the monthly review, month fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QModelIndex, QStringListModel, Signal
from PySide6.QtGui import QHelpEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QListView,
    QToolTip,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.incidents import (
    ClockBand,
    IncidentRow,
)
from riskdesk.domain.providers import ProviderRow
from riskdesk.ui.incidents.table_model import (
    IncidentIndex,
)

if TYPE_CHECKING:
    from riskdesk.services.incidents import MonthlyReview


def _month_of(q: QDate) -> tuple[int, int]:
    return (q.year(), q.month())


def _month_edit(name: str, month: tuple[int, int]) -> QDateEdit:
    w = QDateEdit(QDate(month[0], month[1], 1))
    w.setDisplayFormat("MMM yyyy")
    w.setCalendarPopup(True)
    w.setAccessibleName(name)
    return w


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures and overdue lines (``(text, incident id)``), worked out off the GUI thread."""

    open_count: int
    total: int
    overdue_clocks: int
    due_soon: int
    overdue_actions: int
    lines: tuple[tuple[str, int | None], ...]


def dashboard_of(rows: list[IncidentRow]) -> Dashboard:
    """What the dashboard shows for ``rows`` (pure: safe on a worker thread)."""
    open_rows = [r for r in rows if r.is_open]
    overdue_clocks = [(r, c) for r in open_rows for c in r.clocks if c.band is ClockBand.OVERDUE]
    due_soon = sum(1 for r in open_rows for c in r.clocks if c.band is ClockBand.DUE_SOON)
    lines: list[tuple[str, int | None]] = [
        (f"{r.reference} · {r.provider_name} · {c.label}: {c.summary}", r.id)
        for r, c in sorted(overdue_clocks, key=lambda rc: rc[1].days_left)[:200]]
    for r in open_rows:
        if r.overdue_actions and len(lines) < 250:
            n = r.overdue_actions
            lines.append((f"{r.reference} · {r.provider_name} · {n} overdue action{'s' if n > 1 else ''}", r.id))
    if not lines:
        lines.append(("Nothing is overdue.", None))
    return Dashboard(len(open_rows), len(rows), len(overdue_clocks), due_soon,
                     sum(r.overdue_actions for r in open_rows), tuple(lines))


def review_line(r: IncidentRow) -> str:
    """How the review lists an SI: reference, provider, category, its next deadline and overdue actions."""
    nxt = r.next_clock
    extra = f" · {nxt.label}: {nxt.summary}" if nxt else f" · {r.status.label}"
    if r.overdue_actions:
        n = r.overdue_actions
        extra += f" · {n} overdue action{'s' if n > 1 else ''}"
    return f"{r.reference} · {r.provider_name} · {r.category or r.service_name}{extra}"


@dataclass(frozen=True)
class ReviewView:
    """The monthly review as the review tab shows it, worked out off the GUI thread.

    ``lists`` holds the reported, due, overdue and open SIs: the review's own row objects (the
    page's list rows when it passed them, not a copy), not text — lines are written when shown.
    """

    review: MonthlyReview
    lists: tuple[tuple[IncidentRow, ...], ...]
    actions: tuple[str, ...]
    summary: str


def review_view(review: MonthlyReview) -> ReviewView:
    """Lay out ``review`` for the review tab (pure: safe on a worker thread)."""
    actions = []
    for a in review.actions_due:
        due = a.due_on.strftime("%d/%m/%Y") if a.due_on else "no date"
        actions.append(f"{a.reference} · {a.provider} · {a.description} ({a.owner or 'no owner'}; due {due}"
                       f"{' – overdue' if a.overdue else ''})")
    label = date(review.month[0], review.month[1], 1).strftime("%B %Y")
    summary = (f"{label}: {len(review.reported)} reported, {len(review.due)} due, {len(review.overdue)} overdue, "
               f"{len(review.open)} open, {len(review.actions_due)} open actions due")
    return ReviewView(review, (review.reported, review.due, review.overdue, review.open), tuple(actions), summary)


class ReviewList(QListView):
    """A monthly review list: read-only, one line selected, Enter or a double click opens its SI.

    The SIs are references to rows held elsewhere. Their lines are written only when the list is
    first shown (the review tab is seldom open: at 100,000 SIs "All open SIs" has 18,000 lines),
    into a ``QStringListModel`` — C++, so the view lays out the wrapped lines without calling into
    Python (a Python ``data()`` is asked ~30 times a line and took 14 s to show the tab). The
    tooltip (the SI's description) is looked up when asked, not stored. As widget items, each with
    its text, id and description, 30,000 lines cost ~60 MB and seconds to build at every load.
    """

    #: Enter or a double click on a line that names an SI: its id.
    opened = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[IncidentRow] = ()
        self._pending: Callable[[], list[str]] | None = None  # the lines, written when first shown
        self.setModel(QStringListModel(self))
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.activated.connect(self._activated)

    def set_rows(self, rows: Sequence[IncidentRow], line: Callable[[IncidentRow], str]) -> None:
        """List the SIs ``rows``, each as ``line(row)`` — written now if the list is shown, else when it is."""
        self._rows = rows
        self._pending = lambda: [line(r) for r in rows]
        if self.isVisible():
            self._write()
        else:
            self.model().setStringList([])

    def set_lines(self, lines: Sequence[str]) -> None:
        """Show plain ``lines`` that open nothing."""
        self._rows, self._pending = (), None
        self.model().setStringList(list(lines))

    def count(self) -> int:
        """How many lines the list holds (as ``QListWidget.count``), shown yet or not."""
        return len(self._rows) if self._pending is not None else self.model().rowCount()

    def line(self, n: int) -> str:
        """The text of line ``n`` (as shown, or as it will be)."""
        self._write()
        return self.model().stringList()[n] if 0 <= n < self.count() else ""

    def _write(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.model().setStringList(pending())  # the Python strings go once Qt holds its copy

    def showEvent(self, event: QShowEvent) -> None:
        self._write()
        super().showEvent(event)

    def incident_at(self, n: int) -> IncidentRow | None:
        """The SI behind line ``n``, if it names one."""
        return self._rows[n] if 0 <= n < len(self._rows) else None

    def incident_ids(self) -> list[int]:
        """The SIs listed, in order."""
        return [r.id for r in self._rows]

    def model(self) -> QStringListModel:
        return super().model()  # type: ignore[return-value]

    def _activated(self, index: QModelIndex) -> None:
        row = self.incident_at(index.row())
        if row is not None:
            self.opened.emit(row.id)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            # The SI's description, looked up now from the row (not stored with every line).
            assert isinstance(event, QHelpEvent)
            row = self.incident_at(self.indexAt(event.pos()).row())
            if row is not None and row.description:
                QToolTip.showText(event.globalPos(), row.description, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)


@dataclass(frozen=True)
class _Loaded:
    """Everything one reload fetched on the worker thread."""

    rows: list[IncidentRow]
    providers: list[ProviderRow]
    dashboard: Dashboard
    review: ReviewView | RiskdeskError
    index: IncidentIndex | None = None
