"""What the incidents page shows, computed from rows: the dashboard counts, the monthly review, month fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QDate, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QListView,
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
    page's list rows when it passed them), not text — each line is written when it is painted.
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


class ReviewListModel(QAbstractListModel):
    """One list of the monthly review: references to rows held elsewhere, each line's text and
    tooltip (the SI's description) made in :meth:`data` when the view asks — 18,000 open SIs as
    widget items each holding its text and description cost tens of MB and seconds to build.

    Rows are :class:`IncidentRow` (openable: ``IncidentIdRole`` gives the id) or plain text lines.
    """

    IncidentIdRole = Qt.ItemDataRole.UserRole

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[IncidentRow | str] = ()

    def set_rows(self, rows: Sequence[IncidentRow | str]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return r if isinstance(r, str) else review_line(r)
        if isinstance(r, str):
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.description
        if role == self.IncidentIdRole:
            return r.id
        return None


class ReviewList(QListView):
    """A monthly review list: a view over a :class:`ReviewListModel`, read-only, one SI selected."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(ReviewListModel(self))
        self.setAccessibleName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def set_rows(self, rows: Sequence[IncidentRow | str]) -> None:
        self.model().set_rows(rows)

    def count(self) -> int:
        """How many lines the list holds (as ``QListWidget.count``)."""
        return self.model().rowCount()

    def incident_ids(self) -> list[int]:
        """The SIs listed, in order (text lines left out)."""
        m = self.model()
        return [i for i in (m.data(m.index(n), m.IncidentIdRole) for n in range(m.rowCount())) if i is not None]

    def model(self) -> ReviewListModel:
        return super().model()  # type: ignore[return-value]


@dataclass(frozen=True)
class _Loaded:
    """Everything one reload fetched on the worker thread."""

    rows: list[IncidentRow]
    providers: list[ProviderRow]
    dashboard: Dashboard
    review: ReviewView | RiskdeskError
    index: IncidentIndex | None = None
