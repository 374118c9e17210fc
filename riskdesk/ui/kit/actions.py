"""One registry of the window's actions: id → text, key sequence, scope and owner.

Every action with a shortcut is declared here once, so a clash is found by ``conflicts()``
(run at start-up and in the tests) instead of by a user whose key does nothing, or worse,
does something to a page they cannot see. Standard keys (``QKeySequence.StandardKey``) are
used wherever Qt has one, so each platform gets its own.

Scopes:

* ``WINDOW`` — one QAction on the main window, live wherever focus is in the window. A
  *routed* window action (New, Save, Find, Print, Refresh) does what the page shown says it
  does (``Routed``), or is disabled when that page has nothing for it.
* ``PAGE`` — a QAction of one page, live while focus is inside that page.
* ``WIDGET`` — a QAction of one widget (the incidents table's Delete: in the search box Delete
  edits text).
* ``DIALOG`` — a QAction of a top-level dialog; it can only clash within that dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

SK = QKeySequence.StandardKey

#: The owner of actions that are not any one page's.
WINDOW = "window"


class Scope(StrEnum):
    WINDOW = "window"
    PAGE = "page"
    WIDGET = "widget"
    DIALOG = "dialog"


class ActionId(StrEnum):
    """Every action of the window and its pages, by a stable id."""

    NEW = "new"
    NEW_RISK = "register.new"
    SAVE = "save"
    PRINT = "print"
    BACKUP = "backup"
    VERIFY_AUDIT = "verify_audit"
    RESTORE = "restore"
    CLOSE = "close"
    QUIT = "quit"
    UNDO = "undo"
    REDO = "redo"
    FIND = "find"
    REFRESH = "refresh"
    REMOVE_RISK = "register.remove"
    MOVE_RISK = "register.move"
    ADD_RISK_ACTION = "register.add-action"
    REMOVED_RISKS = "register.removed"
    CATEGORIES = "register.categories"
    DEPARTMENTS = "departments"
    OWNERS = "owners"
    CLOSE_QUARTER = "close-quarter"
    SCHEME = "scheme"
    SHOW_REGISTER = "show-register"
    SHOW_DASHBOARD = "show-dashboard"
    CLEAR_FILTERS = "register.clear-filters"
    IMPORT = "import"
    EXPORT = "export"
    ABOUT = "about"
    GUIDE = "help.guide"
    SHORTCUTS = "help.shortcuts"
    REPORTS_CANCEL = "reports.cancel"
    PREVIEW_ZOOM_IN = "reports.zoom_in"
    PREVIEW_ZOOM_OUT = "reports.zoom_out"
    PREVIEW_FIT_WIDTH = "reports.fit_width"
    INCIDENT_DELETE = "incidents.delete"
    INCIDENT_DIALOG_UNDO = "incident-dialog.undo"
    INCIDENT_DIALOG_REDO = "incident-dialog.redo"
    INCIDENT_DIALOG_SAVE = "incident-dialog.save"
    SHOW_REPORTS = "reports.show"
    EVIDENCE_PACK = "reports.evidence-pack"
    COMPLAINTS_REPORT = "casework.complaints"
    ITEM8_REPORT = "casework.item8"
    OMBUDSMAN_REPORT = "casework.ombudsman"
    FOI_REPORT = "casework.foi"


Key = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class ActionSpec:
    """One action as declared: what it says, its keys, where its shortcut is live and whose it is."""

    id: ActionId
    text: str
    keys: tuple[Key, ...] = ()
    scope: Scope = Scope.WINDOW
    owner: str = WINDOW
    tip: str = ""
    routed: bool = False  # a window action whose target is the page shown

    def sequences(self) -> list[QKeySequence]:
        """The key sequences this action answers to on this platform."""
        out: list[QKeySequence] = []
        for key in self.keys:
            for seq in (QKeySequence.keyBindings(key) if isinstance(key, SK) else [QKeySequence(key)]):
                if not seq.isEmpty() and seq not in out:
                    out.append(seq)
        return out


def _spec(id: ActionId, text: str, *keys: Key, scope: Scope = Scope.WINDOW, owner: str = WINDOW, tip: str = "",
          routed: bool = False) -> ActionSpec:
    return ActionSpec(id, text, tuple(keys), scope, owner, tip, routed)


A = ActionId
#: The registry. Register actions are owned by the register: they are live on the register and
#: its dashboard only, so no key changes a risk while another page is shown.
REGISTRY: dict[ActionId, ActionSpec] = {s.id: s for s in (
    _spec(A.NEW, "&New…", SK.New, routed=True),
    _spec(A.SAVE, "&Save", SK.Save, routed=True),
    _spec(A.PRINT, "&Print…", SK.Print, routed=True),
    _spec(A.BACKUP, "&Back up database…", tip="Write a consistent copy of the database to the backups folder"),
    _spec(A.RESTORE, "Res&tore from backup…",
          tip="Put a backup back: it is checked first and the database as it is now is backed up"),
    _spec(A.VERIFY_AUDIT, "&Verify audit trail…",
          tip="Check the audit trail's hash chain: every entry as written, none removed, inserted or reordered"),
    _spec(A.CLOSE, "&Close", SK.Close, tip="Close riskdesk"),
    _spec(A.QUIT, "&Quit", SK.Quit, tip="Quit riskdesk"),
    _spec(A.UNDO, "&Undo", SK.Undo, tip="Undo the last change on the page shown"),
    _spec(A.REDO, "&Redo", SK.Redo, "Ctrl+Y", tip="Redo what was undone on the page shown"),
    _spec(A.FIND, "&Find…", SK.Find, routed=True),
    _spec(A.REFRESH, "&Refresh", SK.Refresh, routed=True),
    _spec(A.NEW_RISK, "&New risk…", owner="register", tip="Add a risk to this register"),
    _spec(A.REMOVE_RISK, "&Remove risk…", "Ctrl+Shift+Delete", owner="register",
          tip="Take the selected risk off the register, with a reason"),
    _spec(A.MOVE_RISK, "&Escalate / de-escalate…", "Ctrl+Shift+M", owner="register",
          tip="Move the selected risk to the corporate register or a departmental one"),
    _spec(A.ADD_RISK_ACTION, "Add &action…", owner="register", tip="Add a mitigating action to the selected risk"),
    _spec(A.REMOVED_RISKS, "Re&moved risks…", owner="register",
          tip="Risks taken off this register, with reason and date; restore one"),
    _spec(A.CATEGORIES, "&Categories…", owner="register", tip="Add, retire and reinstate categories"),
    _spec(A.DEPARTMENTS, "&Departments…", tip="Add, rename and retire departments"),
    _spec(A.OWNERS, "&Owners and users…", tip="Add risk owners and set people's roles"),
    _spec(A.CLOSE_QUARTER, "Close the &quarter…",
          tip="Close the current reporting period; owners then update the next"),
    _spec(A.SCHEME, "Risk &scheme…",
          tip="Bands, impact and likelihood criteria, matrix size, appetite and review cadence; saving makes a new "
              "version"),
    _spec(A.SHOW_REGISTER, "&Register", "Ctrl+1"),
    _spec(A.SHOW_DASHBOARD, "&Dashboard", "Ctrl+2"),
    _spec(A.CLEAR_FILTERS, "&Clear filters", "Ctrl+Shift+L", owner="register"),
    _spec(A.IMPORT, "&Import register…", "Ctrl+I",
          tip="Read a register from a spreadsheet (CSV, Excel, OpenDocument), checking every cell first"),
    _spec(A.EXPORT, "&Export current list…", "Ctrl+E",
          tip="Write the risks the register shows now to CSV, Excel or OpenDocument"),
    _spec(A.ABOUT, "&About riskdesk"),
    _spec(A.GUIDE, "&User guide", SK.HelpContents, tip="A short guide for your role, and how to use riskdesk from the keyboard"),
    _spec(A.SHORTCUTS, "&Keyboard shortcuts", tip="Every keyboard shortcut, as riskdesk defines them"),
    _spec(A.PREVIEW_ZOOM_IN, "Zoom &in", SK.ZoomIn, "Ctrl+=", scope=Scope.PAGE, owner="reports",
          tip="Make the appendix preview larger (Ctrl++)"),
    _spec(A.PREVIEW_ZOOM_OUT, "Zoom &out", SK.ZoomOut, scope=Scope.PAGE, owner="reports",
          tip="Make the appendix preview smaller (Ctrl+-)"),
    _spec(A.PREVIEW_FIT_WIDTH, "Fit &width", "Ctrl+0", scope=Scope.PAGE, owner="reports",
          tip="Fit the appendix preview's pages to the width of the pane (Ctrl+0)"),
    _spec(A.REPORTS_CANCEL, "Cancel", SK.Cancel, scope=Scope.PAGE, owner="reports",
          tip="Stop the report being built"),
    _spec(A.SHOW_REPORTS, "&Appendix and report cycles", tip="Show the Reports page: report cycles and the "
          "committee appendix"),
    _spec(A.EVIDENCE_PACK, "&Evidence pack…", tip="Internal audit's zip for the selected report cycle"),
    _spec(A.COMPLAINTS_REPORT, "&Complaints annual report…",
          tip="The Corporate Complaints & Compliments Annual Report for a year, as PDF or Word"),
    _spec(A.ITEM8_REPORT, "Committee &item 8 (complaints)…",
          tip="The complaints part of the committee's annual LGSCO report for a year, as PDF or Word"),
    _spec(A.OMBUDSMAN_REPORT, "&Ombudsman annual report…",
          tip="The Ombudsman section of the annual report for a year, as PDF or Word"),
    _spec(A.FOI_REPORT, "&FOI/EIR annual report…",
          tip="The FOI/EIR annual report for a year, as PDF or Word"),
    _spec(A.INCIDENT_DELETE, "Delete serious incident…", SK.Delete, scope=Scope.WIDGET, owner="incidents"),
    _spec(A.INCIDENT_DIALOG_UNDO, "&Undo", SK.Undo, scope=Scope.DIALOG, owner="incident-dialog"),
    _spec(A.INCIDENT_DIALOG_REDO, "&Redo", SK.Redo, scope=Scope.DIALOG, owner="incident-dialog"),
    _spec(A.INCIDENT_DIALOG_SAVE, "&Save", SK.Save, scope=Scope.DIALOG, owner="incident-dialog"),
)}

#: A menu's entries: an action, None for a separator, or (title, entries) for a submenu.
MenuEntry = ActionId | None | tuple[str, list["MenuEntry"]]

#: The window's menus, built from ids. Their Alt letters are live on every page, so no page
#: widget may use F, E, K, G, T, V or H (nor the main tabs' letters); tests/ui/test_mnemonics.py checks.
MENUS: list[tuple[str, list[MenuEntry]]] = [
    ("&File", [A.IMPORT, A.EXPORT, None, A.NEW, A.SAVE, A.PRINT, None, A.BACKUP, A.RESTORE, A.VERIFY_AUDIT, None, A.CLOSE, A.QUIT]),
    ("&Edit", [A.UNDO, A.REDO, None, A.FIND]),
    ("Ris&k", [A.NEW_RISK, A.REMOVE_RISK, A.MOVE_RISK, A.ADD_RISK_ACTION]),  # Alt+R is the Register tab
    ("Re&gister", [A.REMOVED_RISKS, None, A.CATEGORIES, A.DEPARTMENTS, A.OWNERS, A.SCHEME, None,
                    A.CLOSE_QUARTER]),
    ("Repor&ts", [A.SHOW_REPORTS, A.EVIDENCE_PACK, None,  # Alt+R is the Register tab, Alt+P the Reports tab
                  ("&Casework reports", [A.COMPLAINTS_REPORT, A.ITEM8_REPORT, A.OMBUDSMAN_REPORT, A.FOI_REPORT])]),
    ("&View", [A.REFRESH, None, A.SHOW_REGISTER, A.SHOW_DASHBOARD, None, A.CLEAR_FILTERS]),
    ("&Help", [A.GUIDE, A.SHORTCUTS, None, A.ABOUT]),
]


class Routed(NamedTuple):
    """What a routed window action does on one page: its text there and its slot.
    (A NamedTuple: its class is made before the window's first paint, where a frozen dataclass costs 0.6 ms.)
    """

    text: str
    slot: Callable[[], object]
    enabled: bool = True
    reason: str = ""  # why it is disabled, for its tooltip ("" for the action's own tip)


def _overlap(a: ActionSpec, b: ActionSpec) -> bool:
    """Whether two actions' shortcuts can be live at the same time."""
    if Scope.DIALOG in (a.scope, b.scope):
        return a.scope == b.scope and a.owner == b.owner
    if Scope.WINDOW in (a.scope, b.scope):
        return True
    return a.owner == b.owner


def conflicts(specs: Iterable[ActionSpec] = ()) -> list[str]:
    """Every pair of actions whose shortcuts can be live together on the same key ([] when none)."""
    items = list(specs) or list(REGISTRY.values())
    keys = [spec.sequences() for spec in items]  # once each, not once per pair (this runs at start-up)
    found: list[str] = []
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if not keys[i] or not keys[j] or not _overlap(a, b):
                continue
            for seq in keys[i]:
                if seq in keys[j]:
                    found.append(f"{seq.toString(QKeySequence.SequenceFormat.PortableText)}: "
                                 f"{a.id} ({a.owner}) and {b.id} ({b.owner})")
    return found


def check_conflicts() -> None:
    """Refuse to start with clashing shortcuts (a programming error, found by the tests first)."""
    found = conflicts()
    if found:
        raise RuntimeError("Shortcut clash: " + "; ".join(found))


_CONTEXT = {Scope.WINDOW: Qt.ShortcutContext.WindowShortcut,
            Scope.PAGE: Qt.ShortcutContext.WidgetWithChildrenShortcut,
            Scope.WIDGET: Qt.ShortcutContext.WidgetShortcut,
            Scope.DIALOG: Qt.ShortcutContext.WidgetWithChildrenShortcut}


def make_action(id: ActionId, parent: QObject, slot: Callable[[], object] | None = None,
                action: QAction | None = None) -> QAction:
    """The QAction for ``id`` (or ``action`` dressed as ``id``): text, keys, context and tip from the registry.

    Its object name is ``action:<id>``, so tests and tools find every registered action.
    """
    spec = REGISTRY[id]
    if action is None:
        # QAction(parent), not QAction(text, parent): PySide would set up QIcon to rule out the
        # (icon, text, parent) overload first, before the window's first paint.
        action = QAction(parent)
    action.setText(spec.text)
    action.setObjectName(f"action:{id}")
    action.setShortcuts(spec.sequences())
    action.setShortcutContext(_CONTEXT[spec.scope])
    if spec.tip:
        action.setStatusTip(spec.tip)
        action.setToolTip(spec.tip)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    if hasattr(parent, "addAction"):
        parent.addAction(action)  # a widget's actions are what its shortcuts answer to
    return action


def fill_menu(menu: QMenu, entries: list[MenuEntry], actions: Mapping[ActionId, QAction]) -> None:
    """Add ``entries`` to ``menu``: actions, separators and submenus (by title)."""
    for entry in entries:
        if entry is None:
            menu.addSeparator()
        elif isinstance(entry, tuple):
            fill_menu(menu.addMenu(entry[0]), entry[1], actions)
        else:
            menu.addAction(actions[entry])


def build_menus(bar: QMenuBar, actions: Mapping[ActionId, QAction]) -> None:
    """The window's menus (``MENUS``) on ``bar``."""
    for title, entries in MENUS:
        fill_menu(bar.addMenu(title), entries, actions)


def owned_by(owner: str) -> Mapping[ActionId, ActionSpec]:
    """The actions one page owns."""
    return {i: s for i, s in REGISTRY.items() if s.owner == owner}
