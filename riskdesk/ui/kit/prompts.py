"""Small modal questions: a reason, a choice, an error, and the stale-edit "Reload?" message."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError, StaleEdit, ValidationError
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


def ask_text(parent: QWidget | None, title: str, label: str, **kwargs: object) -> str | None:
    """The text typed, or None when the user cancelled."""
    dialog = TextDialog(parent, title, label, **kwargs)  # type: ignore[arg-type]
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text()


def error_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        value = "" if exc.value in (None, "") else f" “{exc.value}”"
        return f"The {exc.field}{value} {exc.reason}."
    return str(exc)


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, error_text(exc), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    if not isinstance(exc, RiskdeskError):  # a bug, not a user error: keep the detail for a report
        box.setDetailedText(repr(exc))
    box.exec()


def tell(parent: QWidget | None, title: str, text: str, *, icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
         name: str = "") -> None:
    """A message with OK, on the heap: when it answers a background result, the window may close
    while it shows; Qt then deletes it with its parent (the static ``QMessageBox.warning`` keeps
    its box on the stack, and such a box would be deleted twice)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    if name:
        box.setObjectName(name)
    box.exec()


def offer_reload(parent: QWidget | None, exc: StaleEdit, note: str = "") -> bool:
    """Tell the user someone else saved first; True when they chose Reload."""
    box = QMessageBox(parent)
    box.setObjectName("staleEditMessage")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Someone else saved first")
    box.setText(f"{exc.what} was changed by someone else after you opened it.")
    box.setInformativeText(
        "Reload to see their changes, then make yours again." + (f"\n\n{note}" if note else ""))
    reload = box.addButton("&Reload", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    return box.clickedButton() is reload


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok
