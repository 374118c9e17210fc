"""What a committee challenges, on the dashboard: appetite, removal candidates, review dates, on-time actions.

The out-of-appetite list and the heat map's marks come from the rows the register holds and the
scheme in use (no query, so they always agree with the register's Appetite column). Removal
candidates need each risk's history, and review dates the governance records, so those lists are
read from ``services.governance`` when the dashboard is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from riskdesk.domain.controls import OnTimeRate
    from riskdesk.domain.register import Actor, RiskRow
    from riskdesk.services import Services
    from riskdesk.services.governance import GovernedRow

#: Titles of the dashboard's governance lists, by key.
LISTS = (
    ("out_of_appetite", "Out of appetite"),
    ("removal", "At or below appetite for two quarters — candidate for removal"),
    ("overdue", "Review overdue"),
    ("mine", "My reviews due (next 31 days)"),
    ("rescore", "My risks to re-score (a new scheme, or a lesson from an SI)"),
)


@dataclass(frozen=True)
class GovernanceLoad:
    """The dashboard's governance lists as read from the services."""

    removal: list[GovernedRow]
    overdue: list[GovernedRow]
    mine: list[GovernedRow]
    on_time: tuple[OnTimeRate, list[OnTimeRate], list[OnTimeRate]]
    #: The acting owner's risks to re-score: (risk id, text, why).
    rescore: list[tuple[int, str, str]]


def fetch_governance(services: Services, actor: Actor, register_id: int, today: date | None = None) -> GovernanceLoad:
    gov = services.governance
    today = today or date.today()
    return GovernanceLoad(
        removal=gov.removal_candidates(actor, register_id),
        overdue=gov.overdue_reviews(actor, today=today, register_id=register_id),
        mine=gov.my_reviews_due(actor, today=today),
        on_time=gov.on_time_rates(actor, register_id, today=today),
        rescore=_rescore(services, actor),
    )


def _rescore(services: Services, actor: Actor) -> list[tuple[int, str, str]]:
    """The owner's guided re-score list (a scheme change moved its meaning) and lesson prompts, one line per risk."""
    out: dict[int, tuple[int, str, str]] = {}
    for r in services.scheme.rescore_list(actor, owner_only=True):
        out[r.risk_id] = (r.risk_id, f"{r.ref} [{r.score}] – {r.old_band} → {r.new_band}", "; ".join(r.reasons))
    for g in services.governance.rescore_prompted(actor):
        if g.risk_id not in out:
            out[g.risk_id] = (g.risk_id, f"{g.ref} [{g.score}] – a lesson from a linked SI",
                              "A lesson was marked relevant to this risk since its last assessment")
    return list(out.values())


def appetite_counts(rows: Sequence[RiskRow], is_out: Callable[[RiskRow], bool]) -> dict[tuple[int, int], int]:
    """Per current-score cell: how many of its risks are out of appetite (the heat map's ▲)."""
    counts: Counter[tuple[int, int]] = Counter()
    for r in rows:
        if r.current is not None and is_out(r):
            counts[(r.current.impact, r.current.likelihood)] += 1
    return dict(counts)


def rate_text(rate: OnTimeRate) -> str:
    return f"{rate.label} {rate.percent} ({rate.on_time} of {rate.counted})"


class DashboardGovernance(QWidget):
    """Four lists and the on-time rates; activating a risk asks for it to be opened."""

    riskChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardGovernance")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.on_time_box = QGroupBox("Actions completed on time")
        box_lay = QVBoxLayout(self.on_time_box)
        self.on_time_label = QLabel("–")
        self.on_time_label.setObjectName("onTimeRate")
        self.on_time_label.setWordWrap(True)
        self.on_time_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box_lay.addWidget(self.on_time_label)
        lay.addWidget(self.on_time_box)
        grid = QGridLayout()
        self.lists: dict[str, QListWidget] = {}
        self.boxes: dict[str, QGroupBox] = {}
        for n, (key, title) in enumerate(LISTS):
            box = QGroupBox(title)
            bl = QVBoxLayout(box)
            lst = QListWidget()
            lst.setObjectName(f"governance_{key}")
            lst.setAccessibleName(title)
            lst.setMinimumHeight(110)
            lst.setWordWrap(True)
            lst.itemActivated.connect(self._activated)
            bl.addWidget(lst)
            grid.addWidget(box, n // 2, n % 2)
            self.lists[key], self.boxes[key] = lst, box
        lay.addLayout(grid)

    def set_out_of_appetite(self, rows: Sequence[RiskRow], mark: Callable[[RiskRow], tuple[bool, str] | None]) -> None:
        out = [(r, m[1]) for r in rows if (m := mark(r)) is not None and m[0]]
        out.sort(key=lambda x: -(x[0].score or 0))
        self._fill("out_of_appetite", [(r.id, f"{r.ref} [{r.score}] – {_short(r.description)}", tip)
                                       for r, tip in out])

    def set_load(self, load: GovernanceLoad) -> None:
        self._fill("removal", [(r.risk_id, f"{r.ref} [{r.score}] – {r.category} ({r.appetite_level}, at most "
                                           f"{r.appetite_max})", f"Owner: {r.owner_name or '—'}")
                               for r in load.removal])
        for key, rows in (("overdue", load.overdue), ("mine", load.mine)):
            self._fill(key, [(r.risk_id, f"{r.ref} – review {'was due' if r.review_overdue else 'due'} "
                                         f"{r.next_review_on:%d %b %Y} · {r.owner_name or 'no owner'}",
                              f"Band {r.band}; response {r.response or 'not recorded'}") for r in rows])
        self._fill("rescore", load.rescore)
        register, by_dept, by_risk = load.on_time
        worst = sorted((r for r in by_risk if r.rate is not None), key=lambda r: (r.rate, r.label))[:5]
        self.on_time_label.setText(
            f"<b>Register: {register.percent}</b> ({register.on_time} of {register.counted} actions due so far "
            "were done by their due date)<br>"
            f"By department: {' · '.join(rate_text(r) for r in by_dept if r.counted) or 'no actions due yet'}<br>"
            f"Lowest by risk: {' · '.join(rate_text(r) for r in worst) or 'no actions due yet'}")

    def _fill(self, key: str, items: list[tuple[int, str, str]]) -> None:
        title = dict(LISTS)[key]
        self.boxes[key].setTitle(f"{title} ({len(items)})")
        lst = self.lists[key]
        lst.setAccessibleName(f"{title}: {len(items)} risks")
        lst.clear()
        for risk_id, text, tip in items:
            item = QListWidgetItem(text)
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.UserRole, risk_id)
            lst.addItem(item)
        if not items:
            empty = QListWidgetItem("None")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            lst.addItem(empty)

    def _activated(self, item: QListWidgetItem) -> None:
        risk_id = item.data(Qt.ItemDataRole.UserRole)
        if risk_id is not None:
            self.riskChosen.emit(int(risk_id))


def _short(text: str, limit: int = 120) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
