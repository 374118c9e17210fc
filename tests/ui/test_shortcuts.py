"""Shortcuts, with real key events: on every page each key fires exactly the action it should.

``action.trigger()`` skips Qt's shortcut matching, so it cannot see two actions claiming one
key. These tests press the keys (``QTest.keyClick``) with each page shown and focus inside it,
and listen for what fired and for Qt's "Ambiguous shortcut overload" warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt, QThread, QThreadPool, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from riskdesk.ui.kit.actions import REGISTRY, WINDOW, ActionId, ActionSpec, Scope, conflicts
from riskdesk.ui.main_window import MainWindow

#: Keys not pressed here because they close the window under test (still in the registry check).
NOT_PRESSED = {ActionId.CLOSE, ActionId.QUIT}


@pytest.fixture
def window(qtbot, published, admin):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


@contextmanager
def dialogs_dismissed() -> Iterator[list[str]]:
    """Close whatever modal dialog a key opens (New…, Save as…, Print…), noting its title."""
    seen: list[str] = []

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if w is not None:
            seen.append(w.windowTitle())
            if isinstance(w, QMessageBox | QDialog):
                w.reject()
            else:
                w.close()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(poll)
    timer.start()
    try:
        yield seen
    finally:
        # Let background work started by a key (a preview that then opens the print dialog) finish
        # while the poller still answers dialogs; only then stop it.
        from riskdesk.ui.kit.jobs import pending

        for _ in range(1500):
            QApplication.processEvents()
            if not pending() and QThreadPool.globalInstance().activeThreadCount() == 0:
                break
            QThread.msleep(10)
        QApplication.processEvents()
        timer.stop()
        poll()


@pytest.fixture
def qt_warnings() -> Iterator[list[str]]:
    """Qt's own messages while the test runs (its "Ambiguous shortcut overload" among them)."""
    from PySide6.QtCore import qInstallMessageHandler

    seen: list[str] = []
    previous = qInstallMessageHandler(lambda _mode, _context, message: seen.append(message))
    try:
        yield seen
    finally:
        qInstallMessageHandler(previous)


def _typeable(seq: QKeySequence) -> bool:
    """Keys on an ordinary keyboard (not the dedicated New/Save/Undo keys some keyboards have)."""
    return seq[0].key().value < Qt.Key.Key_Back.value


def _press(widget: QWidget, seq: QKeySequence) -> None:
    combo = seq[0]
    QTest.keyClick(widget, combo.key(), combo.keyboardModifiers())


def _record_fired(window: MainWindow) -> list[str]:
    fired: list[str] = []
    actions = [a for a in window.findChildren(QAction) if a.objectName().startswith("action:")]
    for action in actions:
        name = action.objectName().removeprefix("action:")
        action.triggered.connect(lambda _c=False, n=name: fired.append(n))
    return fired


# (tab title, page key for page-owned actions, widget to give focus: a table, where keys are not text edits)
PAGES = [
    ("Register", "register", lambda w: w.register_page.table),
    ("Dashboard", "register", lambda w: w.dashboard),
    ("Reports", "reports", lambda w: w.page("Reports").view.cycles_table),
    ("Incidents", "incidents", lambda w: w.page("Incidents").table),
    ("Clinical governance", "clinical", lambda w: w.page("Clinical governance").audit_table),
    ("FOI/EIR", "foi", lambda w: w.page("FOI/EIR").table),
    ("Complaints", "complaints", lambda w: w.page("Complaints").table),
    ("Ombudsman", "ombudsman", lambda w: w.page("Ombudsman").table),
]


def _live_on(spec: ActionSpec, owner: str) -> bool:
    return spec.scope == Scope.WINDOW or (spec.scope in (Scope.PAGE, Scope.WIDGET) and spec.owner == owner)


def test_the_registry_has_no_clash_and_the_check_finds_one(qapp):
    assert conflicts() == []
    # The check itself can fail: the reports page's old Ctrl+N beside the window's New.
    clash = ActionSpec(ActionId.REPORTS_CANCEL, "New cycle", (QKeySequence.StandardKey.New,), Scope.PAGE, "reports")
    found = conflicts([*REGISTRY.values(), clash])
    assert found[0] == "Ctrl+N: new (window) and reports.cancel (reports)"
    # Two pages may each use a key for themselves; a dialog's keys live in the dialog only.
    a = ActionSpec(ActionId.REPORTS_CANCEL, "x", ("F9",), Scope.PAGE, "reports")
    b = ActionSpec(ActionId.INCIDENT_DELETE, "y", ("F9",), Scope.PAGE, "incidents")
    assert conflicts([a, b]) == []
    assert REGISTRY[ActionId.INCIDENT_DIALOG_SAVE].owner != WINDOW and not conflicts(
        [REGISTRY[ActionId.SAVE], REGISTRY[ActionId.INCIDENT_DIALOG_SAVE]])


@pytest.mark.parametrize(("title", "owner", "focus"), PAGES, ids=[p[0] for p in PAGES])
def test_every_key_on_every_page_fires_one_action(window, qtbot, qt_warnings, title, owner, focus):
    window.page(title)  # built first, so its own actions are heard too
    fired = _record_fired(window)
    routed: list[tuple[str, str]] = []
    window.routed.connect(lambda id, page: routed.append((id, page)))
    pressed = wrong = 0
    with dialogs_dismissed():  # a dialog that opens late (a preview, then Print) is answered too
        for id, spec in REGISTRY.items():
            if id in NOT_PRESSED or not _live_on(spec, owner):
                continue
            for seq in filter(_typeable, spec.sequences()):
                window.page(title)
                window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                                 if window.tabs.tabText(i).replace("&", "") == title))
                for other in QApplication.topLevelWidgets():  # a non-modal editor a key opened
                    if other is not window and other.isVisible() and other.isWindow():
                        other.close()
                # Activate again while waiting: a late dialog (a slow preview, then Print) that the
                # poller answers meanwhile leaves no window active when it closes.
                qtbot.waitUntil(lambda: (window.activateWindow(), QApplication.activeWindow() is window)[1])
                target = focus(window)
                target.setFocus()
                action = next(a for a in window.findChildren(QAction) if a.objectName() == f"action:{id}")
                expected = [str(id)] if action.isEnabled() else []
                fired.clear()
                routed.clear()
                with dialogs_dismissed():
                    _press(target, seq)
                pressed += 1
                if fired != expected:
                    wrong += 1
                    print(f"{title}: {seq.toString()} fired {fired}, expected {expected}")
                if spec.routed and expected:
                    assert routed == [(str(id), title)], (seq.toString(), routed)
    ambiguous = [m for m in qt_warnings if "Ambiguous" in m]
    print(f"{title}: {pressed} keys pressed, {wrong} fired the wrong action, {len(ambiguous)} ambiguous")
    assert pressed >= 10
    assert ambiguous == []
    assert wrong == 0


def test_page_owned_actions_do_nothing_out_of_sight(window, qtbot, published, admin, corporate_id):
    """Ctrl+Shift+Delete (remove risk) on the Incidents page must not remove the selected risk."""
    from tests.ui.uihelpers import click_risk

    click_risk(qtbot, window, "C")
    window.page("Incidents")
    window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                     if window.tabs.tabText(i).replace("&", "") == "Incidents"))
    target = window.page("Incidents").table
    target.setFocus()
    with dialogs_dismissed() as seen:
        _press(target, QKeySequence("Ctrl+Shift+Delete"))
    assert seen == []
    assert any(r.ref == "C" for r in published.risks.list_risks(admin, corporate_id))
    assert not window.remove_action.isEnabled()


def test_a_page_claiming_a_window_key_is_caught(window, qtbot, qt_warnings):
    """What the test above would see if a page again claimed Ctrl+N beside the window's New."""
    reports = window.page("Reports")
    window.tabs.setCurrentIndex(2)
    clash = QAction("New cycle (old page shortcut)", reports)
    clash.setShortcut(QKeySequence.StandardKey.New)
    clash.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    reports.addAction(clash)
    fired = _record_fired(window)
    clash.triggered.connect(lambda: fired.append("clash"))
    reports.view.cycles_table.setFocus()
    with dialogs_dismissed():
        _press(reports.view.cycles_table, QKeySequence("Ctrl+N"))
    assert fired == []
    assert any("Ambiguous shortcut overload: Ctrl+N" in m for m in qt_warnings)


# -- Ctrl+Z belongs to the page shown ------------------------------------------------------------

def _show(window: MainWindow, title: str) -> QWidget:
    page = window.page(title)
    window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                     if window.tabs.tabText(i).replace("&", "") == title))
    return page


def _state(services, admin, corporate_id) -> dict[str, object]:
    """What each page shows, as the database holds it."""
    risk_c = next(r for r in services.risks.list_risks(admin, corporate_id) if r.ref == "C")
    return {
        "register": (risk_c.current.impact, risk_c.current.likelihood),
        "clinical": len(services.clinical.list_audits(admin)),
        "incidents": len(services.incidents.list_incidents(admin)),
        "reports": [(c.id, c.status, c.version) for c in services.cycles.list(admin)],
    }


def test_ctrl_z_on_each_page_changes_only_that_pages_data(qtbot, published, admin, corporate_id):
    from riskdesk.domain.quarters import Quarter
    from tests.ui.uihelpers import click_risk

    published.registers.set_current_period(admin, Quarter(2023, 4))  # owners update the next quarter
    window = MainWindow(published, admin, background=False)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    provider = published.providers.add_provider(admin, "Turning Point", "")
    published.providers.add_service(admin, provider.id, "Integrated Substance Misuse Treatment Service")

    # The register: risk C down to 5×1 (the change the issue saw undone from another page).
    original = _state(published, admin, corporate_id)["register"]
    _show(window, "Register")
    click_risk(qtbot, window, "C")
    editor = window.register_page.editor
    editor.current_matrix.cell(5, 1).click()
    editor.update_edit.setPlainText("Lower now the funding is agreed.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    # The clinical page: an audit recorded through its editor.
    clinical = _show(window, "Clinical governance")
    qtbot.mouseClick(clinical.new_audit_button, Qt.MouseButton.LeftButton)
    dialog = clinical.editor
    dialog.quarter_edit.setText("25/26 Q2")
    dialog.title_edit.setText("NICE NG135 alcohol withdrawal prescribing")
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    start = _state(published, admin, corporate_id)
    assert start["register"] == (5, 1) and start["clinical"] == 1

    def ctrl_z(title: str, focus: QWidget) -> dict[str, object]:
        _show(window, title)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        focus.setFocus()
        with dialogs_dismissed():
            QTest.keyClick(focus, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        return _state(published, admin, corporate_id)

    out_of_sight = 0
    for title, focus in (("Incidents", window.page("Incidents").table),
                         ("Reports", window.page("Reports").view.cycles_table)):
        now = ctrl_z(title, focus)
        out_of_sight += sum(now[k] != start[k] for k in start)
        assert window.undo_action.text().replace("&", "") == "Undo" and not window.undo_action.isEnabled()

    _show(window, "Clinical governance")
    assert window.undo_action.text().replace("&", "").startswith("Undo ")
    now = ctrl_z("Clinical governance", clinical.audit_table)
    out_of_sight += sum(now[k] != start[k] for k in start if k != "clinical")
    assert now["clinical"] == 0  # its own change was undone

    _show(window, "Register")
    assert window.undo_action.text().replace("&", "") == "Undo score change on C"
    now = ctrl_z("Register", window.register_page.table)
    out_of_sight += sum(now[k] != {**start, "clinical": 0}[k] for k in start if k != "register")
    assert now["register"] == original != (5, 1)  # C back as it was, as the user on the register expects
    print(f"values changed out of sight by Ctrl+Z: {out_of_sight}")
    assert out_of_sight == 0
