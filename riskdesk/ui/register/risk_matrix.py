"""The risk matrix (3 × 3 to 6 × 6, sized by the scheme): pick a score by clicking a cell, or show counts as a heat map.

Likelihood runs up the side (5 at the top), impact along the bottom, as councils print it.
Each cell is a real button (so it can be clicked, tested and read by a screen reader) coloured
by its band; its tooltip gives the criteria text of the impact and likelihood levels. In pick
mode two combo boxes under the grid offer the same choice from the keyboard.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.scoring import Band, Score, ScoringScheme
from riskdesk.ui.kit.contrast import readable_text, secondary_text


def impact_text(scheme: ScoringScheme, level: int) -> str:
    lv = scheme.impact_levels[level - 1]
    lines = [f"Impact {level} – {lv.label}"]
    lines += [f"{name}: {text}" for name, text in lv.criteria if text]
    return "\n".join(lines)


def likelihood_text(scheme: ScoringScheme, level: int) -> str:
    lv = scheme.likelihood_levels[level - 1]
    extra = " · ".join(x for x in (lv.probability, lv.frequency) if x)
    return f"Likelihood {level} – {lv.label}" + (f"\n{extra}" if extra else "")


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def cell_name(impact: int, likelihood: int, band: Band) -> str:
    """What a screen reader says for a matrix cell: "Impact 4, likelihood 3, score 12, medium (amber)"."""
    return f"Impact {impact}, likelihood {likelihood}, score {impact * likelihood}, {band.name} ({band.colour})"


def text_colour(rgb: str) -> str:
    """Black or white digits on a band fill, whichever contrasts more (WCAG ratio, not lightness)."""
    return readable_text(rgb).name()


class RiskMatrix(QWidget):
    """A clickable matrix, as many levels as the scheme has.

    Signals:
        valueChanged(object): in pick mode, the new ``Score`` (or None for "no target") after a
            user's click or choice; not emitted by ``set_value``.
        cellClicked(int, int): in counts mode, (impact, likelihood) of the cell clicked.
    """

    valueChanged = Signal(object)
    cellClicked = Signal(int, int)

    def __init__(
        self,
        scheme: ScoringScheme,
        title: str,
        *,
        counts_mode: bool = False,
        allow_none: bool = False,
        cell_size: QSize = QSize(36, 26),  # noqa: B008 - QSize is a value type
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.title = title
        self.counts_mode = counts_mode
        self._value: Score | None = None
        self._cells: dict[tuple[int, int], QToolButton] = {}
        self.setAccessibleName(title)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        self.title_label = QLabel(f"<b>{title}</b>")
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label)
        title_row.addStretch(1)
        outer.addLayout(title_row)
        self.none_box: QCheckBox | None = None
        if allow_none and not counts_mode:
            self.none_box = QCheckBox("No target")
            self.none_box.setAccessibleName(f"{title}: no target")
            self.none_box.setToolTip("This risk has no target score")
            self.none_box.toggled.connect(self._none_toggled)
            title_row.addWidget(self.none_box)

        # The grid sits in a fixed-size holder: word-wrapped text below must never squeeze it.
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusive groups cannot be cleared (no target)
        # Same orientation as the council's printed scoring matrix: impact 5 → 1 down the side,
        # likelihood 1 → 5 along the bottom.
        top = QLabel("Impact")
        levels = scheme.levels
        size = len(levels)
        top.setToolTip(f"Impact, 1 ({scheme.impact_label(1).lower()}) to {size} ({scheme.impact_label(size).lower()})")
        top.setStyleSheet(f"color: {secondary_text()};")
        top.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(top, 0, 1, 1, 3)  # row 0 holds only this label, so it may run over the columns
        for row, impact in enumerate(reversed(levels), start=1):
            side = QLabel(str(impact))
            side.setToolTip(impact_text(scheme, impact))
            side.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(side, row, 1)
            for likelihood in levels:
                grid.addWidget(self._make_cell(impact, likelihood, cell_size), row, likelihood + 1)
        for likelihood in levels:
            bottom = QLabel(str(likelihood))
            bottom.setToolTip(likelihood_text(scheme, likelihood))
            bottom.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(bottom, size + 1, likelihood + 1)
        axis_l = QLabel("Likelihood")
        axis_l.setToolTip(f"Likelihood, 1 ({scheme.likelihood_label(1).lower()}) to {size} "
                          f"({scheme.likelihood_label(size).lower()})")
        axis_l.setStyleSheet(f"color: {secondary_text()};")
        axis_l.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(axis_l, size + 2, 2, 1, size)
        holder.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row_box = QHBoxLayout()
        row_box.addWidget(holder)
        row_box.addStretch(1)
        outer.addLayout(row_box)

        self.impact_combo: QComboBox | None = None
        self.likelihood_combo: QComboBox | None = None
        self.detail = QLabel()
        # No word wrap: wrapped labels make the editor's scroll area squeeze the grid (height-for-width).
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if not counts_mode:
            pick = QHBoxLayout()
            self.impact_combo = QComboBox()
            self.impact_combo.setAccessibleName(f"{title}: impact")
            self.likelihood_combo = QComboBox()
            self.likelihood_combo.setAccessibleName(f"{title}: likelihood")
            for combo, label in ((self.impact_combo, scheme.impact_label), (self.likelihood_combo,
                                                                             scheme.likelihood_label)):
                combo.addItem("–", None)
                for level in levels:
                    combo.addItem(f"{level} {label(level)}", level)
                combo.activated.connect(self._combo_chosen)
            pick.addWidget(QLabel("I"))
            pick.addWidget(self.impact_combo)
            pick.addWidget(QLabel("L"))
            pick.addWidget(self.likelihood_combo)
            pick.addStretch(1)
            outer.addLayout(pick)
            outer.addWidget(self.detail)
        self._refresh()

    # -- construction --------------------------------------------------------------------------

    def _make_cell(self, impact: int, likelihood: int, size: QSize) -> QToolButton:
        score = impact * likelihood
        band = self.scheme.band_for(score)
        cell = QToolButton()
        cell.setObjectName(f"cell_{impact}_{likelihood}")
        cell.setFixedSize(size)
        cell.setCheckable(not self.counts_mode)
        cell.setAutoRaise(False)
        cell.setText(str(score) if not self.counts_mode else "")
        # Read as the cell is seen: its position, its score and its band, colour in words.
        cell.setAccessibleName(cell_name(impact, likelihood, band))
        cell.setAccessibleDescription(
            f"{self.title}: impact {impact} {self.scheme.impact_label(impact)}, likelihood {likelihood} "
            f"{self.scheme.likelihood_label(likelihood)}"
        )
        cell.setToolTip(f"Score {score} ({band.label})\n\n{impact_text(self.scheme, impact)}\n\n"
                        f"{likelihood_text(self.scheme, likelihood)}")
        fg = text_colour(band.rgb)
        cell.setStyleSheet(
            f"QToolButton {{ background: {band.rgb}; color: {fg}; border: 1px solid #ffffff; }}"
            f"QToolButton:checked {{ border: 3px solid #111111; font-weight: bold; }}"
            f"QToolButton:focus {{ border: 2px dotted #111111; }}"
            f"QToolButton:hover {{ border: 2px solid #555555; }}"
        )
        # In pick mode the combo boxes carry keyboard input; 25 extra tab stops would be a trap.
        cell.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.counts_mode else Qt.FocusPolicy.NoFocus)
        self.group.addButton(cell)
        cell.clicked.connect(lambda _=False, i=impact, lk=likelihood: self._cell_clicked(i, lk))
        self._cells[(impact, likelihood)] = cell
        return cell

    # -- public --------------------------------------------------------------------------------

    def cell(self, impact: int, likelihood: int) -> QToolButton:
        """The button for a cell (tests click it; counts mode reads its text)."""
        return self._cells[(impact, likelihood)]

    def value(self) -> Score | None:
        return self._value

    def set_value(self, value: Score | None) -> None:
        """Show ``value`` as chosen, without emitting ``valueChanged``."""
        self._value = value
        if self.none_box is not None:
            self.none_box.blockSignals(True)
            self.none_box.setChecked(value is None)
            self.none_box.blockSignals(False)
        self._refresh()

    def set_counts(self, counts: dict[tuple[int, int], int],
                   out_of_appetite: dict[tuple[int, int], int] | None = None) -> None:
        """Counts mode: write the number of risks in each cell, and mark (▲) those out of appetite."""
        for (impact, likelihood), cell in self._cells.items():
            n = counts.get((impact, likelihood), 0)
            over = (out_of_appetite or {}).get((impact, likelihood), 0)
            cell.setText((f"{n} ▲{over}" if over else str(n)) if n else "")
            score = impact * likelihood
            band = self.scheme.band_for(score)
            name = f"{cell_name(impact, likelihood, band)}: {n} risk{'s' if n != 1 else ''}"
            if over:
                name += f", {over} out of appetite"
            cell.setAccessibleName(name)
            cell.setAccessibleDescription(f"{self.title}; press to show these risks in the register")
            cell.setProperty("outOfAppetite", over)

    def set_editable(self, editable: bool) -> None:
        for cell in self._cells.values():
            cell.setEnabled(editable)
        for w in (self.impact_combo, self.likelihood_combo, self.none_box):
            if w is not None:
                w.setEnabled(editable)

    # -- behaviour -----------------------------------------------------------------------------

    def _cell_clicked(self, impact: int, likelihood: int) -> None:
        if self.counts_mode:
            self.cellClicked.emit(impact, likelihood)
            return
        self._choose(Score(impact, likelihood))

    def _combo_chosen(self, _index: int) -> None:
        assert self.impact_combo is not None and self.likelihood_combo is not None
        impact = self.impact_combo.currentData()
        likelihood = self.likelihood_combo.currentData()
        if impact is None or likelihood is None:
            # Half a choice: start from the other half of the current value, or the middle.
            base = self._value or Score(3, 3)
            impact = impact or base.impact
            likelihood = likelihood or base.likelihood
        self._choose(Score(int(impact), int(likelihood)))

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            self._choose(None)
        else:
            self._choose(self._value or Score(3, 3))

    def _choose(self, value: Score | None) -> None:
        changed = value != self._value
        self._value = value
        if self.none_box is not None:
            self.none_box.blockSignals(True)
            self.none_box.setChecked(value is None)
            self.none_box.blockSignals(False)
        self._refresh()
        if changed:
            self.valueChanged.emit(value)

    def _refresh(self) -> None:
        if self.counts_mode:
            return
        for key, cell in self._cells.items():
            cell.setChecked(self._value is not None and key == (self._value.impact, self._value.likelihood))
        assert self.impact_combo is not None and self.likelihood_combo is not None
        self.impact_combo.setCurrentIndex(self.impact_combo.findData(self._value.impact) if self._value else 0)
        self.likelihood_combo.setCurrentIndex(
            self.likelihood_combo.findData(self._value.likelihood) if self._value else 0)
        if self._value is None:
            self.detail.setText("No target set." if self.none_box is not None else "Not scored yet: click a cell.")
            return
        v = self._value
        if v.impact > self.scheme.size or v.likelihood > self.scheme.size:
            # Scored under an earlier, larger scheme: nothing on this matrix to tick until re-scored.
            self.detail.setText(f"<b>{v.impact} × {v.likelihood} = {v.score}</b>: outside the "
                                f"{self.scheme.size} × {self.scheme.size} matrix — click a cell to re-score")
            return
        band = self.scheme.band_for(v.score)
        imp = self.scheme.impact_levels[v.impact - 1]
        lik = self.scheme.likelihood_levels[v.likelihood - 1]
        # Short side text; every criterion of both levels is in the tooltip and on each cell.
        first = imp.criteria[0][1] if imp.criteria else ""
        self.detail.setText(
            f"<b>{v.impact} × {v.likelihood} = {v.score}</b> ({band.label})<br>"
            f"<b>{escape(imp.label)}</b>: {escape(_clip(first))}<br>"
            f"<b>{escape(lik.label)}</b>" + (f": {escape(lik.probability)}" if lik.probability else "")
        )
        self.detail.setToolTip(f"{impact_text(self.scheme, v.impact)}\n\n{likelihood_text(self.scheme, v.likelihood)}")
