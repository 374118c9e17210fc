"""Small modal questions: a reason, a choice, an error, and the stale-edit "Reload?" message; and
the file a save dialog's answer names.

The text prompt itself lives in ``text_dialog`` and is imported when first asked for.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from riskdesk.domain.errors import RiskdeskError, StaleEdit, ValidationError


def ask_text(parent: QWidget | None, title: str, label: str, **kwargs: object) -> str | None:
    """The text typed, or None when the user cancelled."""
    from riskdesk.ui.kit.text_dialog import TextDialog

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


def file_to_write(chosen: str, kinds: tuple[str, ...]) -> Path:
    """The file a save dialog's answer ``chosen`` names, ending as the file written there will be:
    a name that does not end in one of ``kinds`` (".pdf", ".docx"…) gets the first of them
    ("report" → "report.pdf", "notes.txt" → "notes.txt.pdf"), so that no report is written under
    a name that says it is something else (the dialogs do not add it on every platform)."""
    path = Path(chosen)
    return path if path.suffix.lower() in kinds else path.with_name(path.name + kinds[0])
