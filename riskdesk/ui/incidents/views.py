"""What the incidents page shows, computed from rows: the dashboard counts, the monthly review, month fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
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


@dataclass(frozen=True)
class ReviewView:
    """The monthly review as the review tab shows it, its lines worked out off the GUI thread.

    ``lists`` holds (text, incident id, tooltip) lines for reported, due, overdue and open SIs.
    """

    review: MonthlyReview
    lists: tuple[tuple[tuple[str, int, str], ...], ...]
    actions: tuple[str, ...]
    summary: str


def review_view(review: MonthlyReview) -> ReviewView:
    """Lay out ``review`` for the review tab (pure: safe on a worker thread)."""

    def lines(rows: tuple[IncidentRow, ...]) -> tuple[tuple[str, int, str], ...]:
        out = []
        for r in rows:
            nxt = r.next_clock
            extra = f" · {nxt.label}: {nxt.summary}" if nxt else f" · {r.status.label}"
            if r.overdue_actions:
                n = r.overdue_actions
                extra += f" · {n} overdue action{'s' if n > 1 else ''}"
            out.append((f"{r.reference} · {r.provider_name} · {r.category or r.service_name}{extra}", r.id,
                        r.description))
        return tuple(out)

    actions = []
    for a in review.actions_due:
        due = a.due_on.strftime("%d/%m/%Y") if a.due_on else "no date"
        actions.append(f"{a.reference} · {a.provider} · {a.description} ({a.owner or 'no owner'}; due {due}"
                       f"{' – overdue' if a.overdue else ''})")
    label = date(review.month[0], review.month[1], 1).strftime("%B %Y")
    summary = (f"{label}: {len(review.reported)} reported, {len(review.due)} due, {len(review.overdue)} overdue, "
               f"{len(review.open)} open, {len(review.actions_due)} open actions due")
    return ReviewView(review, (lines(review.reported), lines(review.due), lines(review.overdue), lines(review.open)),
                      tuple(actions), summary)


@dataclass(frozen=True)
class _Loaded:
    """Everything one reload fetched on the worker thread."""

    rows: list[IncidentRow]
    providers: list[ProviderRow]
    dashboard: Dashboard
    review: ReviewView | RiskdeskError
    index: IncidentIndex | None = None
