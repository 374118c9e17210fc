"""Help ▸ User guide (a short guide per role, shipped as Markdown) and Help ▸ Keyboard shortcuts.

The shortcuts list is generated from the action registry, so it always says what the keys do.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk.ui.kit.actions import REGISTRY, ActionSpec, Scope
from riskdesk.ui.kit.sizing import resize_to_fit_screen

#: (resource name, title) of each guide, in the order offered.
GUIDES: list[tuple[str, str]] = [
    ("risk_owner", "Risk owner"),
    ("risk_team", "Corporate risk team"),
    ("public_health", "Public health lead"),
    ("auditor", "Internal audit"),
    ("admin", "Administrator"),
    ("keyboard", "Keyboard, high contrast and screen readers"),
]

_WHERE = {Scope.WINDOW: "Anywhere in the window", Scope.PAGE: "On its page", Scope.WIDGET: "In its list",
          Scope.DIALOG: "In its dialog"}


def guide_text(name: str) -> str:
    """The Markdown of one guide (``GUIDES`` names), read from the package's resources."""
    return resources.files("riskdesk.resources.guide").joinpath(f"{name}.md").read_text(encoding="utf-8")


def guide_for_role(role: str) -> str:
    """The guide a role starts with (the keyboard guide for a role with none of its own)."""
    names = {n for n, _ in GUIDES}
    return role if role in names else "keyboard"


def _typed(seq: QKeySequence) -> bool:
    """Whether a sequence is typed on an ordinary keyboard. Qt's standard bindings also answer to
    dedicated keys some keyboards have (New, Save, Help, Zoom In…: codes from Qt.Key_Help on); they
    keep working but are not listed, or the page would read "Ctrl+N, New" as if "New" were a key."""
    return seq.count() > 0 and seq[0].key().value < Qt.Key.Key_Help.value


def _keys(spec: ActionSpec) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in spec.sequences() if _typed(s))


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(keys, action, where) for every registered action with a key, from the registry."""
    rows = []
    for spec in REGISTRY.values():
        keys = _keys(spec)
        if keys:
            where = _WHERE[spec.scope]
            if spec.scope != Scope.WINDOW:
                where = f"{_WHERE[spec.scope]} ({spec.owner.replace('-', ' ')})"
            elif spec.owner != "window":
                where = f"On the {spec.owner} tab"
            rows.append((keys, spec.text.replace("&", "").rstrip("…"), where))
    return rows


#: Keys that are Qt's own rather than an action's, listed so the page is complete.
GENERAL_KEYS: list[tuple[str, str, str]] = [
    ("F1", "User guide", "Anywhere in the window"),
    ("Tab / Shift+Tab", "Next / previous control (leaves a table)", "Anywhere"),
    ("Arrow keys", "Move between rows of a table, cells of a list", "In a table or list"),
    ("Alt + underlined letter", "Go to that field, button, tab or menu", "Anywhere"),
    ("Ctrl+Tab", "Next tab of the risk editor", "In the risk editor"),
    ("Enter", "Open the selected record", "In a list of incidents, audits, visits or PGDs"),
    ("Esc", "Close a dialog without saving", "In a dialog"),
]


def shortcuts_html() -> str:
    """The keyboard shortcuts as an HTML table (registry first, then Qt's general keys)."""
    body = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(a)}</td><td>{escape(w)}</td></tr>"
                   for k, a, w in shortcut_rows() + GENERAL_KEYS)
    return ("<table cellspacing='0' cellpadding='4' border='1'>"
            "<tr><th align='left'>Keys</th><th align='left'>Action</th><th align='left'>Where</th></tr>"
            f"{body}</table>")


class _Reader(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        resize_to_fit_screen(self, 720, 560)
        self.lay = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setAccessibleName(title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)


class GuideDialog(_Reader):
    """The user guide: one short page per role, the user's own shown first."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__("riskdesk user guide", parent)
        row = QHBoxLayout()
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Guide for")
        for name, title in GUIDES:
            self.chooser.addItem(title, name)
        label = QLabel("&Guide for:")
        label.setBuddy(self.chooser)
        row.addWidget(label)
        row.addWidget(self.chooser, 1)
        self.lay.addLayout(row)
        self.lay.addWidget(self.text, 1)
        self.lay.addWidget(self.buttons)
        self.text.setAccessibleDescription("The guide's text; Tab moves on to the Close button")
        self.chooser.currentIndexChanged.connect(self._show)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(guide_for_role(role))))
        self._show()

    def _show(self, *_args: object) -> None:
        self.text.setMarkdown(guide_text(self.chooser.currentData()))


class ShortcutsDialog(_Reader):
    """Every keyboard shortcut, generated from the action registry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Keyboard shortcuts", parent)
        self.lay.addWidget(self.text, 1)
        self.lay.addWidget(self.buttons)
        self.text.setHtml(shortcuts_html())
