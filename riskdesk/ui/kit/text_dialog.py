"""The text prompt behind ``prompts.ask_text``: a reason, a rationale; OK waits for some text."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from riskdesk.ui.kit.contrast import follow_palette, secondary_text


class TextDialog(QDialog):
    """Ask for a piece of text (a reason, a rationale); OK stays disabled until there is some."""

    def __init__(self, parent: QWidget | None, title: str, label: str, *, initial: str = "",
                 required: bool = True, multiline: bool = True, extra: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("textDialog")
        self.required = required
        lay = QVBoxLayout(self)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        if extra:
            note = QLabel(extra)
            note.setWordWrap(True)
            follow_palette(note, lambda w: w.setStyleSheet(f"color: {secondary_text()};"))
            lay.addWidget(note)
        self.edit: QPlainTextEdit | QLineEdit
        if multiline:
            self.edit = QPlainTextEdit(initial)
            self.edit.setTabChangesFocus(True)
            self.edit.setMinimumSize(420, 110)
            self.edit.textChanged.connect(self._check)
        else:
            self.edit = QLineEdit(initial)
            self.edit.textChanged.connect(self._check)
        self.edit.setAccessibleName(label)
        self.label.setBuddy(self.edit)
        lay.addWidget(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._check()

    def text(self) -> str:
        return self.edit.toPlainText() if isinstance(self.edit, QPlainTextEdit) else self.edit.text()

    def set_text(self, text: str) -> None:
        if isinstance(self.edit, QPlainTextEdit):
            self.edit.setPlainText(text)
        else:
            self.edit.setText(text)

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not self.required or bool(self.text().strip()))
