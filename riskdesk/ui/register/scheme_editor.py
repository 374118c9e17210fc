"""Register ▸ Risk scheme…: bands, labels and criteria, matrix size, appetite and review cadence.

Saving never changes the scheme in use: ``services.scheme.save`` creates the next version
(assessments keep the version they were scored under; presented cycles keep theirs). The dialog
then lists the risks whose band or level meaning the change moves, and opens each in the
register for its owner to re-score. The dialog is not modal, so the register stays usable while
the list is worked through.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QDialog, QTableWidget, QTableWidgetItem, QWidget

from riskdesk.domain.appetite import APPETITE_LEVELS, check_appetite
from riskdesk.domain.errors import RiskdeskError, ValidationError
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.scheme_rules import MIN_CONTRAST, best_ink_contrast, check_scheme
from riskdesk.domain.scoring import Band, Bands, ImpactLevel, LikelihoodLevel, ScoringScheme
from riskdesk.ui.kit.prompts import show_error
from riskdesk.ui.kit.sizing import resize_to_fit_screen
from riskdesk.ui.register.risk_matrix import RiskMatrix, text_colour
from riskdesk.ui.register.scheme_editor_layout import (
    B_COLOUR,
    B_CONTRAST,
    B_HIGH,
    B_LOW,
    B_NAME,
    B_REVIEW,
    B_RGB,
    BAND_HEADERS,
    SchemeEditorLayout,
    fit_headings,
)

if TYPE_CHECKING:
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services
    from riskdesk.services.scheme import SavedScheme


def _text(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text().strip() if item is not None else ""


def _set(table: QTableWidget, row: int, col: int, value: object, *, editable: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem("" if value is None else str(value))
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    table.setItem(row, col, item)
    return item


def _whole(what: str, text: str, *, blank_ok: bool = False) -> int | None:
    if not text and blank_ok:
        return None
    if not text.isdigit():
        raise ValidationError(what, text, "must be a whole number")
    return int(text)


class SchemeEditorDialog(SchemeEditorLayout, QDialog):
    """Edit a copy of the scheme in use and save it as the next version (see the module docstring)."""

    saved = Signal(object)  # SavedScheme
    riskChosen = Signal(int)  # a risk on the re-score list, to open in the register

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.setObjectName("schemeEditor")
        self.setWindowTitle("Risk scheme")
        resize_to_fit_screen(self, 980, 680)
        self._filling = False
        self._preview: RiskMatrix | None = None
        self.result_scheme: SavedScheme | None = None
        self._build(self)
        self.scheme = services.scheme.current(actor)
        me = services.registers.me(actor)
        self.may_edit = allows(me.role, Permission.MANAGE_SCHEME)
        names: list[str] = []
        for reg in services.registers.list_registers(actor):
            for c in services.registers.list_categories(actor, reg.id):
                if c.name and c.name.casefold() not in {n.casefold() for n in names}:
                    names.append(c.name)
        self._categories = names
        self._fill(self.scheme)

        self.size_combo.currentIndexChanged.connect(self._size_changed)
        self.bands_table.itemChanged.connect(self._bands_edited)
        for t in (self.impact_table, self.likelihood_table, self.appetite_table):
            t.itemChanged.connect(self._edited)
        self.add_band_button.clicked.connect(self._add_band)
        self.remove_band_button.clicked.connect(self._remove_band)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.open_risk_button.clicked.connect(self._open_risk)
        self.rescore_table.doubleClicked.connect(lambda *_: self._open_risk())
        self.done_button.clicked.connect(self.accept)
        if not self.may_edit:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip("Only an administrator or the corporate risk team may change the scheme")
            for w in (self.bands_table, self.impact_table, self.likelihood_table, self.appetite_table,
                      self.category_table):
                w.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            for w in (self.name_edit, self.size_combo, self.add_band_button, self.remove_band_button):
                w.setEnabled(False)

    # -- filling -------------------------------------------------------------------------------

    def _fill(self, scheme: ScoringScheme) -> None:
        self._filling = True
        self.name_edit.setText(scheme.name)
        self.size_combo.setCurrentIndex(self.size_combo.findData(scheme.size))
        self.version_label.setText(
            f"In use: version {scheme.version}. Saving creates version {scheme.version + 1}; risks keep the "
            "version they were scored under and presented reports keep theirs.")
        months = {k.casefold(): v for k, v in scheme.review_months}
        self.bands_table.setRowCount(0)
        for band in scheme.bands.bands:
            self._band_row(band, months.get(band.name.casefold()))
        dims = list(scheme.criteria_dimensions())
        self.impact_table.setColumnCount(1 + len(dims))
        self.impact_table.setHorizontalHeaderLabels(["Label", *dims])
        fit_headings(self.impact_table)
        self.impact_table.setRowCount(0)
        for lv in scheme.impact_levels:
            self._impact_row(lv)
        self.likelihood_table.setRowCount(0)
        for lv in scheme.likelihood_levels:
            self._likelihood_row(lv)
        levels = dict(scheme.appetite_levels)
        self.appetite_table.setRowCount(len(APPETITE_LEVELS))
        for r, name in enumerate(APPETITE_LEVELS):
            _set(self.appetite_table, r, 0, name.capitalize(), editable=False)
            _set(self.appetite_table, r, 1, levels.get(name, ""))
        chosen = {k.casefold(): v for k, v in scheme.category_appetite}
        names = self._categories + [k for k, _ in scheme.category_appetite
                                    if k.casefold() not in {n.casefold() for n in self._categories}]
        self.category_table.setRowCount(len(names))
        for r, name in enumerate(names):
            _set(self.category_table, r, 0, name, editable=False)
            combo = QComboBox()
            combo.setAccessibleName(f"Appetite of {name}")
            combo.addItem("(not set)", None)
            for level in APPETITE_LEVELS:
                combo.addItem(level.capitalize(), level)
            combo.setCurrentIndex(max(0, combo.findData(chosen.get(name.casefold()))))
            combo.setEnabled(self.may_edit)
            self.category_table.setCellWidget(r, 1, combo)
        self.category_table.resizeColumnToContents(0)
        self._filling = False
        self._edited()

    def _band_row(self, band: Band | None, months: int | None) -> None:
        r = self.bands_table.rowCount()
        self.bands_table.insertRow(r)
        values = (band.name, band.colour, band.low, band.high, band.rgb) if band else ("", "", "", "", "#ffffff")
        for c, v in zip((B_NAME, B_COLOUR, B_LOW, B_HIGH, B_RGB), values, strict=True):
            _set(self.bands_table, r, c, v)
        _set(self.bands_table, r, B_REVIEW, months or "")
        _set(self.bands_table, r, B_CONTRAST, "", editable=False)
        self._show_contrast(r)

    def _impact_row(self, lv: ImpactLevel) -> None:
        r = self.impact_table.rowCount()
        self.impact_table.insertRow(r)
        _set(self.impact_table, r, 0, lv.label)
        texts = dict(lv.criteria)
        for c in range(1, self.impact_table.columnCount()):
            dim = self.impact_table.horizontalHeaderItem(c).text()
            _set(self.impact_table, r, c, texts.get(dim, ""))
        self.impact_table.setVerticalHeaderItem(r, QTableWidgetItem(str(lv.level)))

    def _likelihood_row(self, lv: LikelihoodLevel) -> None:
        r = self.likelihood_table.rowCount()
        self.likelihood_table.insertRow(r)
        for c, v in enumerate((lv.label, lv.frequency, lv.probability)):
            _set(self.likelihood_table, r, c, v)
        self.likelihood_table.setVerticalHeaderItem(r, QTableWidgetItem(str(lv.level)))

    # -- behaviour -----------------------------------------------------------------------------

    def _size_changed(self, _index: int) -> None:
        """Trim or extend the level tables to the new size; stretch the top band to the top score."""
        if self._filling:
            return
        size = int(self.size_combo.currentData())
        self._filling = True
        for table, make in ((self.impact_table, lambda n: self._impact_row(ImpactLevel(n, f"Level {n}"))),
                            (self.likelihood_table, lambda n: self._likelihood_row(LikelihoodLevel(n, f"Level {n}")))):
            table.setRowCount(min(table.rowCount(), size))
            for n in range(table.rowCount() + 1, size + 1):
                make(n)
        top = max(range(self.bands_table.rowCount()), default=None,
                  key=lambda r: int(_text(self.bands_table, r, B_HIGH) or 0) if
                  _text(self.bands_table, r, B_HIGH).isdigit() else 0)
        if top is not None and _text(self.bands_table, top, B_HIGH).isdigit() \
                and int(_text(self.bands_table, top, B_HIGH)) < size * size:
            _set(self.bands_table, top, B_HIGH, size * size)
        self._filling = False
        self._edited()

    def _bands_edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        if item.column() == B_RGB:
            self._show_contrast(item.row())
        self._edited()

    def _show_contrast(self, row: int) -> None:
        """The more legible of black and white digits on the band's fill, against WCAG's 4.5:1."""
        rgb = _text(self.bands_table, row, B_RGB)
        was = self._filling
        self._filling = True
        cell = self.bands_table.item(row, B_CONTRAST)
        fill = self.bands_table.item(row, B_RGB)
        if QColor.isValidColorName(rgb) and len(rgb) == 7:
            ratio = best_ink_contrast(rgb)
            ok = ratio >= MIN_CONTRAST
            ink = "black" if text_colour(rgb) == "#000000" else "white"
            cell.setText(f"{ink} digits {ratio:.1f}:1 " + ("readable" if ok else f"unreadable (needs {MIN_CONTRAST}:1)"))
            cell.setForeground(QBrush(QColor("#000000" if ok else "#a00000")))
            fill.setBackground(QBrush(QColor(rgb)))
            fill.setForeground(QBrush(QColor(text_colour(rgb))))
        else:
            cell.setText("not a colour: write #RRGGBB")
            cell.setForeground(QBrush(QColor("#a00000")))
        self._filling = was

    def _edited(self, *_: object) -> None:
        """Check the scheme as typed and redraw the matrix preview (or say what is wrong)."""
        if self._filling:
            return
        try:
            scheme = self.scheme_from_widgets()
        except RiskdeskError as exc:
            self.bands_note.setText(f"<span style='color:#a00000'>Not saveable yet: {exc}</span>")
            return
        self.bands_note.setText(f"Every score 1–{scheme.size * scheme.size} falls in exactly one band; "
                                "the matrix below is what the next appendix prints.")
        if self._preview is not None:
            self.preview_holder.removeWidget(self._preview)
            self._preview.deleteLater()
        self._preview = RiskMatrix(scheme, "Matrix preview", counts_mode=True)
        self._preview.setObjectName("schemePreview")
        for (i, lk), cell in ((k, self._preview.cell(*k)) for k in
                              ((i, lk) for i in scheme.levels for lk in scheme.levels)):
            cell.setText(str(i * lk))
        self.preview_holder.addWidget(self._preview)
        self.preview_holder.addStretch(1)

    def _add_band(self) -> None:
        self._filling = True
        self._band_row(None, None)
        self._filling = False
        r = self.bands_table.rowCount() - 1
        self.bands_table.setCurrentCell(r, B_NAME)
        self.bands_table.editItem(self.bands_table.item(r, B_NAME))

    def _remove_band(self) -> None:
        r = self.bands_table.currentRow()
        if r >= 0:
            self.bands_table.removeRow(r)
            self._edited()

    # -- reading back --------------------------------------------------------------------------

    def scheme_from_widgets(self) -> ScoringScheme:
        """The scheme as the dialog shows it; raises ValidationError naming the first thing wrong."""
        size = int(self.size_combo.currentData())
        bands, months = [], []
        for r in range(self.bands_table.rowCount()):
            name = _text(self.bands_table, r, B_NAME)
            what = f"band {name or r + 1}"
            low = _whole(f"{what}: {BAND_HEADERS[B_LOW]}", _text(self.bands_table, r, B_LOW))
            high = _whole(f"{what}: {BAND_HEADERS[B_HIGH]}", _text(self.bands_table, r, B_HIGH))
            bands.append(Band(name, _text(self.bands_table, r, B_COLOUR) or name,
                              low or 0, high or 0, _text(self.bands_table, r, B_RGB).lower()))
            review = _whole(f"{what}: review months", _text(self.bands_table, r, B_REVIEW), blank_ok=True)
            if review is not None:
                if not 1 <= review <= 24:
                    raise ValidationError(f"{what}: review months", review, "must be 1 to 24")
                months.append((name, review))
        dims = [self.impact_table.horizontalHeaderItem(c).text() for c in range(1, self.impact_table.columnCount())]
        impacts = tuple(ImpactLevel(r + 1, _text(self.impact_table, r, 0),
                                    tuple((d, _text(self.impact_table, r, c + 1)) for c, d in enumerate(dims)))
                        for r in range(self.impact_table.rowCount()))
        likelihoods = tuple(LikelihoodLevel(r + 1, *(_text(self.likelihood_table, r, c) for c in range(3)))
                            for r in range(self.likelihood_table.rowCount()))
        appetite = []
        for r, level in enumerate(APPETITE_LEVELS):
            top = _whole(f"appetite {level}", _text(self.appetite_table, r, 1), blank_ok=True)
            if top is not None:
                appetite.append((level, top))
        categories = []
        for r in range(self.category_table.rowCount()):
            combo = self.category_table.cellWidget(r, 1)
            if isinstance(combo, QComboBox) and combo.currentData():
                categories.append((_text(self.category_table, r, 0), str(combo.currentData())))

        def axis(labels: tuple[str, ...]) -> tuple[str, ...]:
            # The matrix's own axis wording is kept; a resized matrix trims it or adds "Level n".
            if not labels:
                return ()
            return tuple(labels[:size]) + tuple(f"Level {n}" for n in range(len(labels) + 1, size + 1))

        axis = {"impact_axis_labels": axis(self.scheme.impact_axis_labels),
                "likelihood_axis_labels": axis(self.scheme.likelihood_axis_labels)}
        scheme = replace(self.scheme, name=self.name_edit.text().strip(), size=size, impact_levels=impacts,
                         likelihood_levels=likelihoods, bands=Bands(tuple(bands), size), **axis,
                         appetite_levels=tuple(appetite), category_appetite=tuple(categories),
                         review_months=tuple(months))
        check_scheme(scheme)
        check_appetite(dict(scheme.appetite_levels), dict(scheme.category_appetite), scheme.size)
        return scheme

    # -- saving --------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save as the next version, then show the guided re-score list."""
        if not self.may_edit:
            return False
        try:
            saved = self.services.scheme.save(self.actor, self.scheme_from_widgets())
        except RiskdeskError as exc:
            show_error(self, "Cannot save the scheme", exc)  # everything typed stays in the dialog
            return False
        self.result_scheme = saved
        self.scheme = self.services.scheme.current(self.actor)
        self._show_rescore(saved)
        self.saved.emit(saved)
        return True

    def _show_rescore(self, saved: SavedScheme) -> None:
        rows = saved.rescore
        self.rescore_label.setText(
            f"<b>Version {saved.version} saved: {saved.name}.</b> The next appendix prints its criteria and "
            f"matrix. " + (f"{len(rows)} risk(s) mean something else under it: open each for its owner to "
                           "re-score. A risk leaves this list once it is re-scored." if rows else
                           "No risk's band or level meaning changes: nothing to re-score."))
        t = self.rescore_table
        t.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, v in enumerate((row.ref, row.owner_name or "—", f"{row.impact} × {row.likelihood} = {row.score}",
                                   row.old_band, row.new_band, "; ".join(row.reasons))):
                item = _set(t, r, c, v, editable=False)
                item.setData(Qt.ItemDataRole.UserRole, row.risk_id)
        t.resizeColumnsToContents()
        if rows:
            t.selectRow(0)
        self.open_risk_button.setEnabled(bool(rows))
        self.pages.setCurrentIndex(1)
        self.setWindowTitle(f"Risk scheme – version {saved.version} saved")

    def _open_risk(self) -> None:
        r = self.rescore_table.currentRow()
        item = self.rescore_table.item(r, 0) if r >= 0 else None
        if item is not None:
            self.riskChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
