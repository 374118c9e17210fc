"""The dashboard: heat maps of current and target scores, RAG totals and the hygiene lists.

Computed from the rows the register already holds (no extra query), so it is instant and
always agrees with the register tab. Clicking a heat-map cell shows those risks in the
register; activating a risk on a hygiene list opens it in the editor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.hygiene import hygiene
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import RiskRow
from riskdesk.domain.scoring import Band, Bands, ScoringScheme
from riskdesk.ui.kit.contrast import readable_text, secondary_text
from riskdesk.ui.register.governance_panel import DashboardGovernance, GovernanceLoad, appetite_counts
from riskdesk.ui.register.risk_matrix import RiskMatrix

#: A row's appetite as the register shows it: (out of appetite, words), or None.
Mark = Callable[[RiskRow], "tuple[bool, str] | None"]


def cell_counts(rows: Sequence[RiskRow], kind: str) -> dict[tuple[int, int], int]:
    counts: Counter[tuple[int, int]] = Counter()
    for r in rows:
        score = r.current if kind == "current" else r.target
        if score is not None:
            counts[(score.impact, score.likelihood)] += 1
    return dict(counts)


def _band(bands: Bands, score: int | None) -> Band | None:
    # A score given under an earlier, larger scheme may fall in no band of the current one.
    if score is None:
        return None
    try:
        return bands.band_for(score)
    except ValidationError:
        return None


class DashboardPage(QWidget):
    cellChosen = Signal(str, int, int)  # ("current"/"target", impact, likelihood)
    riskChosen = Signal(int)  # risk id

    def __init__(self, scheme: ScoringScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.setObjectName("dashboard")
        self.setAccessibleName("Dashboard")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(10, 8, 10, 8)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        lay.addWidget(self.title)

        top = QHBoxLayout()
        big = QSize(54, 40)
        self.current_map = RiskMatrix(scheme, "Current scores", counts_mode=True, cell_size=big)
        self.current_map.setObjectName("currentHeatMap")
        self.target_map = RiskMatrix(scheme, "Target scores", counts_mode=True, cell_size=big)
        self.target_map.setObjectName("targetHeatMap")
        self.current_map.cellClicked.connect(lambda i, lk: self.cellChosen.emit("current", i, lk))
        self.target_map.cellClicked.connect(lambda i, lk: self.cellChosen.emit("target", i, lk))
        top.addWidget(self.current_map)
        top.addSpacing(24)
        top.addWidget(self.target_map)
        top.addSpacing(24)

        rag_box = QGroupBox("RAG totals (current → target)")
        rag = QGridLayout(rag_box)
        self.rag_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for row, band in enumerate(reversed(scheme.bands.bands)):
            swatch = QLabel(band.label.capitalize())
            swatch.setStyleSheet(f"background: {band.rgb}; color: {readable_text(band.rgb).name()}; padding: 3px 8px;")
            cur, tgt = QLabel("0"), QLabel("0")
            for lab in (cur, tgt):
                lab.setStyleSheet("font-size: 16px; font-weight: 600; padding: 0 8px;")
                lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            rag.addWidget(swatch, row, 0)
            rag.addWidget(cur, row, 1)
            rag.addWidget(QLabel("→"), row, 2)
            rag.addWidget(tgt, row, 3)
            self.rag_labels[band.name] = (cur, tgt)
        self.total_label = QLabel()
        rag.addWidget(self.total_label, len(scheme.bands.bands), 0, 1, 4)
        self.movement_label = QLabel()
        self.movement_label.setWordWrap(True)
        rag.addWidget(self.movement_label, len(scheme.bands.bands) + 1, 0, 1, 4)
        top.addWidget(rag_box, 1)
        lay.addLayout(top)
        hint = QLabel("Click a cell to see those risks in the register. Double-click (or press Enter on) a risk "
                      "below to open it.")
        hint.setStyleSheet(f"color: {secondary_text()};")
        lay.addWidget(hint)

        grid = QGridLayout()
        self.hygiene_lists: dict[str, QListWidget] = {}
        self.hygiene_boxes: dict[str, QGroupBox] = {}
        for n, key in enumerate(("not_updated", "target_met", "long_red", "contradicted")):
            box = QGroupBox()
            box_lay = QVBoxLayout(box)
            lst = QListWidget()
            lst.setObjectName(f"hygiene_{key}")
            # Named before the rows arrive too (set_rows names it with its title and count).
            lst.setAccessibleName(f"Risks: {key.replace('_', ' ')}")
            lst.setMinimumHeight(120)
            lst.setWordWrap(True)  # long descriptions wrap instead of scrolling sideways
            lst.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            lst.setResizeMode(QListWidget.ResizeMode.Adjust)
            lst.itemActivated.connect(self._activated)
            box_lay.addWidget(lst)
            grid.addWidget(box, n // 2, n % 2)
            self.hygiene_lists[key] = lst
            self.hygiene_boxes[key] = box
        # Appetite, reviews and on-time actions first: what the committee asks about before hygiene.
        self.governance = DashboardGovernance()
        self.governance.riskChosen.connect(self.riskChosen)
        lay.addWidget(self.governance)
        lay.addLayout(grid, 1)

    def set_rows(self, rows: Sequence[RiskRow], period: Quarter, register_name: str, mark: Mark | None = None,
                 governance: GovernanceLoad | None = None) -> None:
        """Show the register's rows; ``mark`` tells each row's appetite (the heat map's ▲ and the list)."""
        rows = [r for r in rows if r.status == "current"]
        self.title.setText(f"{register_name} · {period.label} · {len(rows)} current risks")
        mark = mark or (lambda _r: None)
        over = appetite_counts(rows, lambda r: bool((m := mark(r)) and m[0]))
        self.current_map.set_counts(cell_counts(rows, "current"), over)
        self.current_map.title_label.setText(
            "<b>Current scores</b>" + (f" · ▲ {sum(over.values())} out of appetite" if over else ""))
        self.governance.set_out_of_appetite(rows, mark)
        if governance is not None:
            self.governance.set_load(governance)
        self.target_map.set_counts(cell_counts(rows, "target"))
        bands = self.scheme.bands
        cur = Counter(b.name for r in rows if (b := _band(bands, r.score)) is not None)
        tgt = Counter(b.name for r in rows if (b := _band(bands, r.target_score)) is not None)
        for name, (c, t) in self.rag_labels.items():
            c.setText(str(cur.get(name, 0)))
            t.setText(str(tgt.get(name, 0)))
        unscored = sum(1 for r in rows if r.score is None)
        no_target = sum(1 for r in rows if r.score is not None and r.target_score is None)
        self.total_label.setText(f"{len(rows)} risks" + (f" · {unscored} not scored" if unscored else "")
                                 + (f" · {no_target} without a target" if no_target else ""))
        up = sum(1 for r in rows if r.previous_score is not None and r.score is not None and r.score > r.previous_score)
        down = sum(1 for r in rows if r.previous_score is not None and r.score is not None
                   and r.score < r.previous_score)
        self.movement_label.setText(f"Since the previous assessment: {up} increased, {down} decreased.")

        report = hygiene(rows, period.code, bands)
        for key, title, items in report.sections():
            self.hygiene_boxes[key].setTitle(f"{title} ({len(items)})")
            lst = self.hygiene_lists[key]
            lst.setAccessibleName(f"{title}: {len(items)} risks")
            lst.clear()
            for r in items:
                score = f" [{r.score}]" if r.score is not None else ""
                desc = " ".join(r.description.split())
                item = QListWidgetItem(f"{r.ref}{score} – {desc[:150]}{'…' if len(desc) > 150 else ''}")
                item.setToolTip(f"{r.ref}: {r.description}\nOwner: {r.owner_name or '—'}")
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                lst.addItem(item)
            if not items:
                empty = QListWidgetItem("None")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                lst.addItem(empty)

    def _activated(self, item: QListWidgetItem) -> None:
        risk_id = item.data(Qt.ItemDataRole.UserRole)
        if risk_id is not None:
            self.riskChosen.emit(int(risk_id))
