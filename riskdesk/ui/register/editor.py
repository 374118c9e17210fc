"""The risk editor panel: this period's update, the risk's wording, its actions and its history.

Layout and the translation between widgets and rows live here; the register page wires it to
the services (saving, undo, stale edits). The quickest path is the first tab: the previous
period's scores are already chosen on the two matrices, so an owner clicks a cell if the score
moved, writes the update and presses Save.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.direction import Direction, movement_note
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import CategoryRow, DepartmentRow, RiskRow, UserRow
from riskdesk.domain.risk_detail import ActionRow, AssessmentChange, AssessmentRow, AuditRow, RiskChange
from riskdesk.domain.scoring import Score, ScoringScheme
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.ui.kit.contrast import INFO, WARNING, follow_palette, notice_css, secondary_text, tone
from riskdesk.ui.register.score_chart import period_label


@dataclass(frozen=True)
class Baseline:
    """What the editor showed when it was loaded: Save compares against it."""

    assessment: AssessmentChange
    period_version: int | None  # version of this period's assessment, None if there is none yet
    risk: RiskChange


from riskdesk.ui.register.editor_layout import LINE_HEADERS, RiskEditorLayout  # noqa: E402


class RiskEditor(RiskEditorLayout, QWidget):
    """Edits one risk. Signals say what the user asked for; the register page acts on them."""

    saveRequested = Signal()
    revertRequested = Signal()
    dirtyChanged = Signal(bool)

    def __init__(self, scheme: ScoringScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.row: RiskRow | None = None
        self.period: Quarter | None = None
        self.baseline: Baseline | None = None
        self._loading = False
        self._dirty = False
        self._kept_note: tuple[Score, str] | None = None
        self.setObjectName("riskEditor")
        self.setAccessibleName("Risk editor")

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 0, 0, 0)
        outer.setSpacing(4)
        self.heading = QLabel()
        self.heading.setObjectName("editorHeading")
        self.heading.setStyleSheet("font-size: 14px; font-weight: 600;")
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)
        self.banner = QLabel()
        self.banner.setObjectName("editorBanner")
        self.banner.setWordWrap(True)
        follow_palette(self.banner, lambda w: w.setStyleSheet(notice_css(INFO)))
        outer.addWidget(self.banner)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.setDocumentMode(True)
        outer.addWidget(self.tabs, 1)
        self._build_update_tab()
        self._build_risk_tab()
        self._build_actions_tab()
        self._build_history_tab()

        buttons = QHBoxLayout()
        self.dirty_label = QLabel("")
        follow_palette(self.dirty_label, lambda w: w.setStyleSheet(f"color: {tone(WARNING)};"))
        buttons.addWidget(self.dirty_label, 1)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setAccessibleName("Revert unsaved changes")
        self.revert_button.setToolTip("Throw away the changes not yet saved and show the risk as stored")
        self.revert_button.clicked.connect(self.revertRequested)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveButton")
        self.save_button.setAccessibleName("Save this risk")
        self.save_button.setDefault(True)
        self._save_tip = "Save the update and any changes (Ctrl+S)"
        self.save_button.setToolTip(self._save_tip)
        self._copy_tip = "Put the previous period's update text into this one, to edit it"
        self.save_button.clicked.connect(self.saveRequested)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.setEnabled(False)
        self.heading.setText("Select a risk in the register to update it.")
        self.banner.hide()

    # -- loading -------------------------------------------------------------------------------

    def set_choices(self, departments: list[DepartmentRow], categories: list[CategoryRow], users: list[UserRow]) -> None:
        """Fill the pick lists (call before ``load``)."""
        self._loading = True
        self.departments_list.clear()
        for d in departments:
            item = QListWidgetItem(f"{d.code} – {d.name}" + ("" if d.active else " (retired)"))
            item.setData(Qt.ItemDataRole.UserRole, d.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.departments_list.addItem(item)
        self.category_combo.clear()
        self.category_combo.addItem("(no category)", None)
        for c in categories:
            self.category_combo.addItem(c.heading, c.id)
            if c.retired:  # shown so the current value is visible, but the service refuses it
                self.category_combo.setItemData(self.category_combo.count() - 1, "Retired category",
                                                Qt.ItemDataRole.ToolTipRole)
        self.owner_combo.clear()
        self.owner_combo.addItem("(no owner)", None)
        for u in users:
            if u.active:
                self.owner_combo.addItem(u.display_name + (f" – {u.job_title}" if u.job_title else ""), u.id)
        self._loading = False

    def load(self, row: RiskRow, period: Quarter, history: list[AssessmentRow], *, register_name: str,
             may_edit_register: bool, may_assess: bool, refusal: str = "") -> None:
        """Show ``row``; this period's assessment if there is one, else the previous one as a start.

        ``refusal`` says why the user may not update this risk (shown in the banner and on the
        disabled controls' tooltips) when ``may_assess`` is False.
        """
        self._loading = True
        # Shown again after a save (same risk): keep the caret and scroll where the user was typing.
        kept = None
        if self.row is not None and self.row.id == row.id:
            kept = (self.update_edit.textCursor().position(), self.update_edit.verticalScrollBar().value(),
                    self.description_edit.textCursor().position())
        self.row = row
        self.period = period
        this = next((a for a in history if a.period == period.code), None)
        earlier = [a for a in history if a.period < period.code]
        start = this or (earlier[-1] if earlier else None)
        previous = earlier[-1] if earlier else None
        self.setEnabled(True)
        where = f"{row.category_heading} · " if row.category_heading else ""
        self.heading.setText(f"Risk {escape(row.ref)} <span style='font-weight:400;color:{secondary_text()}'>· {escape(where)}"
                             f"{escape(row.owner_name or 'no owner')}</span>")
        if not (may_assess or may_edit_register) and row.status == "current":
            # Nothing here is theirs to change: no "click a cell… then Save" for people who cannot.
            self.banner.setText(f"<b>Reading risk {escape(row.ref)} ({period.label}).</b> {escape(refusal)}")
        elif row.status != "current":
            self.banner.setText("This risk has been removed. Restore it (Register ▸ Removed risks) to update it.")
        elif this is not None:
            self.banner.setText(f"<b>{period.label}</b>: already updated by {escape(this.recorded_by)} on "
                                f"{this.recorded_at:%d %b %Y}. Saving revises this period's assessment.")
        elif start is not None:
            self.banner.setText(f"<b>Updating {period.label}.</b> The {period_label(start.period)} scores are "
                                f"chosen as a starting point: click a cell if a score moved, write the update, "
                                f"then Save.")
        else:
            self.banner.setText(f"<b>Updating {period.label}.</b> Not scored yet: click a cell on each matrix, "
                                "write the update, then Save.")
        self.banner.show()

        # A printed note under this period's score ("Decreased from 20") stays while the score does.
        self._kept_note = (this.current, this.lines[0].note) if this is not None else None
        current = start.current if start else None
        target = start.target if start else None
        direction = start.direction if start else Direction.LEVEL
        self.current_matrix.set_value(current)
        self.target_matrix.set_value(target)
        self.direction_combo.setCurrentIndex(max(0, self.direction_combo.findData(direction.value)))
        self.update_edit.setPlainText(this.update_text if this else "")
        self.previous_view.setPlainText(previous.update_text if previous else "")
        self.previous_toggle.setText(f"Show {period_label(previous.period)} update" if previous else
                                     "No previous update")
        self.previous_toggle.setEnabled(previous is not None)
        self.copy_previous_button.setEnabled(previous is not None and may_assess and row.status == "current")
        self.update_label.setText(f"Upd&ate for {period.label} (paragraphs and bullets are kept as typed):")
        self._set_lines(start.lines[1:] if start else ())
        scores = [(a.period, a.current.score) for a in history]
        self._movement(scores)

        self.ref_edit.setText(row.ref)
        self.description_edit.setPlainText(row.description)
        if kept is not None:
            self._restore_caret(self.update_edit, kept[0], kept[1])
            self._restore_caret(self.description_edit, kept[2], None)
        self.service_area_edit.setText(row.service_area)
        codes = {c.casefold() for c in row.departments}
        for i in range(self.departments_list.count()):
            item = self.departments_list.item(i)
            checked = str(item.data(Qt.ItemDataRole.UserRole)).casefold() in codes
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(row.category_id)))
        self.owner_combo.setCurrentIndex(max(0, self.owner_combo.findData(row.owner_id)))
        self.register_label.setText(register_name)
        self.presented_label.setText(
            f"Presented to committee on {row.first_presented_on:%d %B %Y}: changing the description will ask why."
            if row.first_presented_on else "Not yet presented to committee.")

        self.chart.set_history(row.history)
        imported = [(a.period, a.source_values) for a in history if a.source_values]
        self.imported_label.setText("<b>From the imported file</b> (the cells as the file wrote them): " + "; ".join(
            f"{escape(period_label(p))}: {escape(v)}" for p, v in imported))
        self.imported_label.setVisible(bool(imported))
        current_ok = row.status == "current"
        for w in (self.ref_edit, self.description_edit, self.service_area_edit, self.departments_list,
                  self.category_combo, self.owner_combo, self.move_button):
            w.setEnabled(may_edit_register and current_ok)
        for w in (self.direction_combo, self.update_edit, self.lines_box, self.add_action_button,
                  self.edit_action_button, self.complete_action_button, self.delete_action_button):
            w.setEnabled(may_assess and current_ok)
        self.current_matrix.set_editable(may_assess and current_ok)
        self.target_matrix.set_editable(may_assess and current_ok)
        self.save_button.setEnabled(current_ok and (may_assess or may_edit_register))
        # A disabled control says why (the reason is the role's, not a fault of the risk).
        blocked = refusal if current_ok and not may_assess else ""
        self.save_button.setToolTip(self._save_tip if self.save_button.isEnabled() else blocked)
        self.copy_previous_button.setToolTip(blocked or self._copy_tip)
        self.update_edit.setToolTip(blocked)
        self.current_matrix.setToolTip(blocked)
        self.target_matrix.setToolTip(blocked)
        self._loading = False
        self.baseline = Baseline(self._collect_assessment_or_start(start), this.version if this else None,
                                 self.risk_change_all())
        self._set_dirty(False)

    @staticmethod
    def _restore_caret(edit: QPlainTextEdit, position: int, scroll: int | None) -> None:
        cursor = edit.textCursor()
        cursor.setPosition(min(position, len(edit.toPlainText())))
        edit.setTextCursor(cursor)
        if scroll is not None:
            edit.verticalScrollBar().setValue(scroll)

    def set_actions(self, actions: list[ActionRow]) -> None:
        self.actions_model.set_rows(actions)
        self.actions_table.resizeRowsToContents()
        open_count = sum(1 for a in actions if not a.done)
        self.tabs.setTabText(2, f"&3 Actions ({open_count})" if actions else "&3 Actions")

    def set_audit(self, entries: list[AuditRow]) -> None:
        self.audit_model.set_rows(entries)
        self.audit_label.setText(
            "<b>Audit trail</b> – who changed what, when (newest first)" if entries else
            "<b>Audit trail</b> – no changes recorded in riskdesk yet (loaded or imported history is above)")
        self.audit_table.resizeRowsToContents()

    def clear(self) -> None:
        self.row = None
        self.baseline = None
        self.setEnabled(False)
        self.heading.setText("Select a risk in the register to update it.")
        self.banner.hide()
        self._set_dirty(False)

    # -- reading back --------------------------------------------------------------------------

    def _collect_assessment_or_start(self, start: AssessmentRow | None) -> AssessmentChange:
        try:
            return self.assessment_change()
        except ValidationError:
            return AssessmentChange(Score(1, 1), None, Direction.LEVEL, "")

    def assessment_change(self) -> AssessmentChange:
        """The assessment as the widgets show it; raises ValidationError naming what is missing."""
        current = self.current_matrix.value()
        if current is None:
            raise ValidationError("current score", None, "is not chosen: click a cell on the Current score matrix")
        kept = self._kept_note
        return AssessmentChange(
            current=current,
            target=self.target_matrix.value(),
            direction=Direction(self.direction_combo.currentData()),
            update_text=self.update_edit.toPlainText(),
            lines=self._lines(),
            note=kept[1] if kept is not None and kept[0] == current else "",
        )

    def risk_change_all(self) -> RiskChange:
        """Every risk field as shown (Save diffs it against the baseline)."""
        codes = []
        for i in range(self.departments_list.count()):
            item = self.departments_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                codes.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return RiskChange(
            ref=self.ref_edit.text(),
            description=self.description_edit.toPlainText(),
            category_id=self.category_combo.currentData(),
            departments=tuple(codes),
            owner_id=self.owner_combo.currentData(),
            service_area=self.service_area_edit.text(),
        )

    def risk_changes(self) -> tuple[RiskChange, RiskChange] | None:
        """(before, after) holding only the fields the user changed, or None when nothing changed."""
        if self.baseline is None:
            return None
        old, new = self.baseline.risk, self.risk_change_all()
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for name in ("ref", "description", "category_id", "departments", "owner_id", "service_area"):
            a, b = getattr(old, name), getattr(new, name)
            if name == "ref":
                a, b = (a or "").strip(), (b or "").strip()
            if name == "description":
                a, b = (a or "").rstrip(), (b or "").rstrip()
            if a != b:
                before[name], after[name] = a, b
        if not after:
            return None
        # None means "leave as it is" in RiskChange; clearing the owner needs the explicit flag.
        for d in (before, after):
            if "owner_id" in d and d["owner_id"] is None:
                del d["owner_id"]
                d["clear_owner"] = True
        return RiskChange(**before), RiskChange(**after)  # type: ignore[arg-type]

    def assessment_dirty(self) -> bool:
        if self.baseline is None:
            return False
        try:
            return self.assessment_change() != self.baseline.assessment
        except ValidationError:
            return False

    def _lines(self) -> tuple[ScoreLine, ...]:
        out = []
        for r in range(self.lines_table.rowCount()):
            cells = [self.lines_table.item(r, c) for c in range(len(LINE_HEADERS))]
            texts = [c.text().strip() if c is not None else "" for c in cells]
            if not any(texts):
                continue
            label = texts[0] or f"Line {r + 2}"
            size = self.scheme.size
            current = Score.of(texts[1], texts[2], what=f"{label}: current", size=size)
            target = Score.of(texts[3], texts[4], what=f"{label}: target", size=size) if texts[3] or texts[4] else None
            out.append(ScoreLine(current, target, texts[0]))
        return tuple(out)

    def _set_lines(self, lines: tuple[ScoreLine, ...]) -> None:
        self.lines_table.setRowCount(0)
        for line in lines:
            self._append_line(line.label, line.current, line.target)
        self.lines_table.setVisible(bool(lines))
        self.remove_line_button.setVisible(bool(lines))

    def _append_line(self, label: str, current: Score | None, target: Score | None) -> None:
        r = self.lines_table.rowCount()
        self.lines_table.insertRow(r)
        values = [label, current.impact if current else "", current.likelihood if current else "",
                  target.impact if target else "", target.likelihood if target else ""]
        for c, v in enumerate(values):
            self.lines_table.setItem(r, c, QTableWidgetItem(str(v)))

    # -- behaviour -----------------------------------------------------------------------------

    def _movement(self, scores: list[tuple[str, int]]) -> None:
        if len(scores) >= 2:
            (p_prev, s_prev), (p_last, s_last) = scores[-2], scores[-1]
            note = movement_note(s_prev, s_last)
            text = (f"Actual movement: {note.lower()} ({period_label(p_prev)}) to {s_last} ({period_label(p_last)})"
                    if note else f"Actual movement: level at {s_last} since {period_label(p_prev)}")
        elif scores:
            text = f"Actual movement: first scored {scores[-1][1]} in {period_label(scores[-1][0])}"
        else:
            text = "Actual movement: no history yet"
        self.movement_label.setText(text)

    def _copy_previous(self) -> None:
        text = self.previous_view.toPlainText()
        if self.update_edit.toPlainText().strip():
            self.update_edit.appendPlainText("\n" + text)
        else:
            self.update_edit.setPlainText(text)
        self.update_edit.setFocus()

    def _add_line(self) -> None:
        base = self.current_matrix.value()
        self.lines_table.show()
        self.remove_line_button.show()
        self._append_line("", base, self.target_matrix.value())
        self.lines_table.setCurrentCell(self.lines_table.rowCount() - 1, 0)
        self.lines_table.editItem(self.lines_table.item(self.lines_table.rowCount() - 1, 0))
        self._changed()

    def _remove_line(self) -> None:
        r = self.lines_table.currentRow()
        if r >= 0:
            self.lines_table.removeRow(r)
            self._changed()

    def _changed(self, *_args: object) -> None:
        if self._loading or self.baseline is None:
            return
        try:
            dirty = self.assessment_dirty() or self.risk_changes() is not None
        except ValidationError:
            dirty = True
        self._set_dirty(dirty)

    def _set_dirty(self, dirty: bool) -> None:
        needs_update = self.baseline is not None and self.baseline.period_version is None and self.row is not None
        self.dirty_label.setText("Unsaved changes" if dirty else (
            "Not yet saved for this period" if needs_update and self.row and self.row.status == "current" else ""))
        self.revert_button.setEnabled(dirty)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    def is_dirty(self) -> bool:
        return self._dirty
