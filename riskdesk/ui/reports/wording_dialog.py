"""Appendix wording: the column headings and footnotes the committee appendix prints.

The corporate risk team changes them here; the change applies to every cycle not yet
presented (presented cycles keep the wording frozen in their snapshot). Everything is saved
in one call on Save, so Cancel or Escape leaves the stored wording as it was. A refused save
keeps the dialog open with everything typed, names the heading or footnote at fault and puts
the cursor there. People whose role may not change the wording see it read-only.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.cycles import DEFAULT_FOOTNOTES, WordingProblem
from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import Footnote
from riskdesk.ui.kit.contrast import ERROR, tone
from riskdesk.ui.kit.sizing import resize_to_fit_screen

if TYPE_CHECKING:
    from riskdesk.services import Services

NOTE_ROLE = Qt.ItemDataRole.UserRole


def _summary(note: Footnote) -> str:
    """One line for the footnotes list: the marker and the start of the text."""
    first = note.text.strip().split("\n", 1)[0]
    if len(first) > 70:
        first = first[:69] + "…"
    bullets = f"  [{len(note.items)} bullet point{'s' if len(note.items) != 1 else ''}]" if note.items else ""
    return f"{note.marker or '(no marker)'}  {first or '(empty)'}{bullets}"


class AppendixWordingDialog(QDialog):
    """Edit the appendix column headings and footnotes (see the module docstring).

    Public widgets (tests and keyboard users drive these): ``heading_edits`` and
    ``reset_buttons`` by column key, ``reset_all_button``, ``footnote_list``, ``add_button``,
    ``remove_button``, ``up_button``, ``down_button``, ``restore_button``, ``marker_edit``,
    ``text_edit``, ``items_edit``, ``appetite_check``, ``error_label``, ``reload_button`` and ``buttons``.
    """

    saved = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        from riskdesk.services.printing import DEFAULT_COLUMNS

        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.defaults = dict(DEFAULT_COLUMNS)
        self.setWindowTitle("Appendix wording")
        self.setObjectName("appendixWordingDialog")
        me = services.registers.me(actor)
        self.can_edit = allows(me.role, Permission.PRESENT_CYCLE)
        self._loading = False
        self._build(me.display_name, Role(me.role).label)
        self.reload()

    # -- layout --------------------------------------------------------------------------------

    def _build(self, user_name: str, role_label: str) -> None:
        layout = QVBoxLayout(self)
        note = ("This wording prints on the appendix of every report cycle not yet presented (drafts and cycles "
                "created later). <b>Presented cycles keep the wording they were presented with.</b> Text prints "
                "exactly as typed.")
        if not self.can_edit:
            note += (f"<br><i>{html.escape(user_name)} ({html.escape(role_label)}) can read the wording but not "
                     "change it: the corporate risk team changes it.</i>")
        self.note_label = QLabel(note)
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)

        headings = QGroupBox("Column headings")
        grid = QGridLayout(headings)
        grid.setVerticalSpacing(3)  # nine rows: tight enough that the dialog fits a 700-pixel-high screen
        grid.addWidget(QLabel("<b>Default heading</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Printed as</b> (<i>italic</i>: changed from the default)"), 0, 1)
        self.heading_edits: dict[str, QLineEdit] = {}
        self.reset_buttons: dict[str, QPushButton] = {}
        for row, (key, default) in enumerate(self.defaults.items(), start=1):
            label = QLabel(default)
            label.setWordWrap(True)
            label.setMinimumWidth(260)
            label.setMaximumWidth(320)
            label.setMinimumHeight(label.heightForWidth(260))  # a long default keeps both its lines
            edit = QLineEdit()
            edit.setObjectName(f"heading_{key}")
            edit.setAccessibleName(f"Column heading: {default}")
            edit.setPlaceholderText(default)
            edit.setClearButtonEnabled(self.can_edit)
            label.setBuddy(edit)
            reset = QPushButton("Reset")
            reset.setToolTip(f"Print the default heading “{default}”")
            reset.setAccessibleName(f"Reset column heading {default} to the default")
            reset.setAutoDefault(False)
            reset.clicked.connect(lambda _=False, k=key: self.reset_heading(k))
            edit.textChanged.connect(lambda _text, k=key: self._heading_changed(k))
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(reset, row, 2)
            self.heading_edits[key] = edit
            self.reset_buttons[key] = reset
        grid.setColumnStretch(1, 1)
        self.reset_all_button = QPushButton("Reset all &headings")
        self.reset_all_button.setToolTip("Print every column with its default heading")
        self.reset_all_button.setAutoDefault(False)
        self.reset_all_button.clicked.connect(self.reset_all_headings)
        grid.addWidget(self.reset_all_button, len(self.defaults) + 1, 1, 1, 2, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(headings)

        notes = QGroupBox("Footnotes (printed under the register table, in this order)")
        box = QHBoxLayout(notes)
        self.footnote_list = QListWidget()
        self.footnote_list.setObjectName("footnoteList")
        self.footnote_list.setAccessibleName("Footnotes")
        self.footnote_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.footnote_list.setMinimumWidth(300)
        # Wrapped, not scrolled sideways: the start of each footnote is what tells them apart.
        self.footnote_list.setWordWrap(True)
        self.footnote_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.footnote_list.setSpacing(2)
        box.addWidget(self.footnote_list, 2)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("&Add")
        self.remove_button = QPushButton("Re&move")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        self.restore_button = QPushButton("Default &footnotes")
        for w, tip in ((self.add_button, "Add a footnote after the selected one"),
                       (self.remove_button, "Remove the selected footnote"),
                       (self.up_button, "Print the selected footnote earlier"),
                       (self.down_button, "Print the selected footnote later"),
                       (self.restore_button, "Replace the footnotes with the default wording")):
            w.setToolTip(tip)
            w.setAccessibleDescription(tip)
            w.setAutoDefault(False)
            buttons.addWidget(w)
        buttons.addStretch(1)
        box.addLayout(buttons)
        editor = QWidget()
        form = QFormLayout(editor)
        form.setContentsMargins(0, 0, 0, 0)
        self.marker_edit = QLineEdit()
        self.marker_edit.setAccessibleName("Footnote marker")
        self.marker_edit.setPlaceholderText("e.g. * or **")
        self.marker_edit.setMaximumWidth(120)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName("Footnote text")
        self.text_edit.setTabChangesFocus(True)
        self.items_edit = QPlainTextEdit()
        self.items_edit.setAccessibleName("Footnote bullet points, one per line")
        if self.can_edit:
            self.items_edit.setPlaceholderText("Optional: one bullet point per line")
        self.items_edit.setTabChangesFocus(True)
        form.addRow("Mar&ker:", self.marker_edit)
        form.addRow("&Text:", self.text_edit)
        form.addRow("&Bullet points:", self.items_edit)
        self.editor = editor
        box.addWidget(editor, 3)
        layout.addWidget(notes, 1)

        # Issue 16: the council chooses whether the committee sees which scores are out of appetite.
        self.appetite_check = QCheckBox("&Print ▲ beside current scores above their category's appetite")
        self.appetite_check.setObjectName("appetiteMark")
        self.appetite_check.setAccessibleName("Print the appetite mark")
        tip = ("Marks each current score above the maximum tolerable score the risk scheme sets for the risk's "
               "category, with a key line under the register table")
        self.appetite_check.setToolTip(tip)
        self.appetite_check.setAccessibleDescription(tip)

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote what was typed
        self.error_label.setObjectName("wordingError")
        self.error_label.setAccessibleName("Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {tone(ERROR)}; font-weight: bold")
        self.error_label.setVisible(False)
        self.reload_button = QPushButton("&Reload their wording")
        self.reload_button.setToolTip("Discard your changes and show the wording as saved now")
        self.reload_button.setAutoDefault(False)
        self.reload_button.setVisible(False)
        self.reload_button.clicked.connect(self.reload)
        problem = QHBoxLayout()
        problem.addWidget(self.error_label, 1)
        problem.addWidget(self.reload_button)
        layout.addLayout(problem)

        if self.can_edit:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                            | QDialogButtonBox.StandardButton.Cancel)
            self.save_button: QPushButton | None = self.buttons.button(QDialogButtonBox.StandardButton.Save)
            self.save_button.setText("&Save")
            self.save_button.setToolTip("Save the wording for cycles not yet presented")
        else:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            self.save_button = None
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()  # the switch beside the buttons: one row less, so the dialog fits 1100×700
        bottom.addWidget(self.appetite_check)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.footnote_list.currentRowChanged.connect(self._show_footnote)
        self.marker_edit.textChanged.connect(self._footnote_edited)
        self.text_edit.textChanged.connect(self._footnote_edited)
        self.items_edit.textChanged.connect(self._footnote_edited)
        self.add_button.clicked.connect(self.add_footnote)
        self.remove_button.clicked.connect(self.remove_footnote)
        self.up_button.clicked.connect(lambda: self.move_footnote(-1))
        self.down_button.clicked.connect(lambda: self.move_footnote(1))
        self.restore_button.clicked.connect(self.restore_default_footnotes)
        if not self.can_edit:
            for edit in (*self.heading_edits.values(), self.marker_edit):
                edit.setReadOnly(True)
            for text in (self.text_edit, self.items_edit):
                text.setReadOnly(True)
            self.appetite_check.setEnabled(False)
        resize_to_fit_screen(self, 940, 760)

    # -- public API ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the wording as stored now (what is typed here is replaced)."""
        self._loaded = self.services.cycles.wording(self.actor)
        self._loaded_mark = self.services.scheme.appendix_appetite_mark(self.actor)
        footnotes, columns = self._loaded
        self._loading = True
        try:
            for key, edit in self.heading_edits.items():
                edit.setText(columns.get(key, self.defaults[key]))
            self.footnote_list.clear()
            for note in footnotes:
                self._append(note)
            self.appetite_check.setChecked(self._loaded_mark)
        finally:
            self._loading = False
        self.footnote_list.setCurrentRow(0 if footnotes else -1)
        self._show_footnote(self.footnote_list.currentRow())
        self._clear_problem()
        self._update_buttons()

    def footnotes(self) -> tuple[Footnote, ...]:
        """The footnotes as typed, in print order; blank bullet lines are dropped."""
        return tuple(self.footnote_list.item(i).data(NOTE_ROLE) for i in range(self.footnote_list.count()))

    def columns(self) -> dict[str, str]:
        """The headings that differ from the defaults (the rest print their default)."""
        return {key: edit.text() for key, edit in self.heading_edits.items() if edit.text() != self.defaults[key]}

    def reset_heading(self, key: str) -> None:
        self.heading_edits[key].setText(self.defaults[key])

    def reset_all_headings(self) -> None:
        for key in self.heading_edits:
            self.reset_heading(key)

    def add_footnote(self) -> None:
        """A new, empty footnote after the selected one, ready to type into."""
        row = self.footnote_list.currentRow() + 1 if self.footnote_list.currentRow() >= 0 else \
            self.footnote_list.count()
        markers = [n.marker for n in self.footnotes()]
        marker = "*" * (max((len(m) for m in markers if m and set(m) == {"*"}), default=0) + 1)
        self._insert(row, Footnote(marker, ""))
        self.footnote_list.setCurrentRow(row)
        self.text_edit.setFocus()

    def remove_footnote(self) -> None:
        row = self.footnote_list.currentRow()
        if row < 0:
            return
        self.footnote_list.takeItem(row)
        self.footnote_list.setCurrentRow(min(row, self.footnote_list.count() - 1))
        self._show_footnote(self.footnote_list.currentRow())
        self._update_buttons()

    def move_footnote(self, step: int) -> None:
        row = self.footnote_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.footnote_list.count():
            return
        item = self.footnote_list.takeItem(row)
        self.footnote_list.insertItem(target, item)
        self.footnote_list.setCurrentRow(target)
        self._update_buttons()

    def restore_default_footnotes(self) -> None:
        self.footnote_list.clear()
        for note in DEFAULT_FOOTNOTES:
            self._append(note)
        self.footnote_list.setCurrentRow(0)
        self._update_buttons()

    def accept(self) -> None:
        """Save everything in one call; on a refusal stay open with everything typed."""
        if not self.can_edit:
            super().accept()
            return
        try:
            self.services.cycles.set_wording(self.actor, footnotes=self.footnotes(), columns=self.columns(),
                                             expected=self._loaded, appetite_mark=self.appetite_check.isChecked(),
                                             expected_appetite_mark=self._loaded_mark)
        except StaleEdit as exc:
            self._problem(str(exc) + " Save again after reloading, or Cancel.", stale=True)
            return
        except WordingProblem as exc:
            what = f"{exc.field} {exc.reason}."
            self._problem(f"{what[:1].upper()}{what[1:]} Nothing was saved: put it right and press Save again.")
            self._point_at(exc)
            return
        except RiskdeskError as exc:
            self._problem(str(exc))
            return
        self.saved.emit()
        super().accept()

    # -- behaviour -----------------------------------------------------------------------------

    def _append(self, note: Footnote) -> None:
        self._insert(self.footnote_list.count(), note)

    def _insert(self, row: int, note: Footnote) -> None:
        item = QListWidgetItem(_summary(note))
        item.setData(NOTE_ROLE, note)
        item.setToolTip(note.text)
        self.footnote_list.insertItem(row, item)
        self._update_buttons()

    def _show_footnote(self, row: int) -> None:
        item = self.footnote_list.item(row) if row >= 0 else None
        note: Footnote = item.data(NOTE_ROLE) if item is not None else Footnote("", "")
        self._loading = True
        try:
            self.marker_edit.setText(note.marker)
            self.text_edit.setPlainText(note.text)
            self.items_edit.setPlainText("\n".join(note.items))
            # Typing into a footnote most often adds to it: start at the end, not before the marker text.
            for edit in (self.text_edit, self.items_edit):
                edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self.editor.setEnabled(item is not None)
        self._update_buttons()

    def _footnote_edited(self) -> None:
        if self._loading:
            return
        item = self.footnote_list.currentItem()
        if item is None:
            return
        items = tuple(line for line in self.items_edit.toPlainText().split("\n") if line.strip())
        note = Footnote(self.marker_edit.text(), self.text_edit.toPlainText(), items)
        item.setData(NOTE_ROLE, note)
        item.setText(_summary(note))
        item.setToolTip(note.text)

    def _heading_changed(self, key: str) -> None:
        edit = self.heading_edits[key]
        self.reset_buttons[key].setEnabled(self.can_edit and edit.text() != self.defaults[key])
        font = edit.font()
        font.setItalic(edit.text() != self.defaults[key])  # shows at a glance which headings the council changed
        edit.setFont(font)
        if not self._loading:
            self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.footnote_list.currentRow(), self.footnote_list.count()
        edit = self.can_edit
        self.add_button.setEnabled(edit)
        self.remove_button.setEnabled(edit and row >= 0)
        self.up_button.setEnabled(edit and row > 0)
        self.down_button.setEnabled(edit and 0 <= row < count - 1)
        self.restore_button.setEnabled(edit)
        self.reset_all_button.setEnabled(edit and any(
            e.text() != self.defaults[k] for k, e in self.heading_edits.items()))
        for key, button in self.reset_buttons.items():
            button.setEnabled(edit and self.heading_edits[key].text() != self.defaults[key])

    def _problem(self, message: str, *, stale: bool = False) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        self.reload_button.setVisible(stale)

    def _clear_problem(self) -> None:
        self.error_label.clear()
        self.error_label.setVisible(False)
        self.reload_button.setVisible(False)

    def _point_at(self, exc: WordingProblem) -> None:
        """Put the cursor on the heading or footnote the service refused."""
        if exc.column in self.heading_edits:
            edit = self.heading_edits[exc.column]
            edit.setFocus()
            edit.selectAll()
        elif exc.footnote is not None and 0 <= exc.footnote < self.footnote_list.count():
            self.footnote_list.setCurrentRow(exc.footnote)
            widget = {"marker": self.marker_edit, "items": self.items_edit}.get(exc.part, self.text_edit)
            widget.setFocus()
