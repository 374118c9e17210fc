"""Each role sees what it can do: controls a role may not use are disabled, saying why; refusals read as
sentences; presenting a cycle and closing the quarter clear the register's undo history of what they froze.

The walk opens the real window as each role on the demo council, clicks a risk the user does not own and
each page's tab, and counts the controls left enabled that the role's permissions refuse.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import RiskChange
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import DialogAnswers, click_risk, press, press_key

ROLES = ["admin", "risk_team", "risk_owner", "public_health", "auditor"]
TODAY = date(2026, 11, 20)

#: What each window action needs; an action enabled for a role without it is a control offered in vain.
ACTION_NEEDS: dict[A, tuple[Permission, ...]] = {
    A.NEW_RISK: (Permission.EDIT_REGISTER,),
    A.REMOVE_RISK: (Permission.EDIT_REGISTER,),
    A.MOVE_RISK: (Permission.EDIT_REGISTER,),
    A.CATEGORIES: (Permission.EDIT_REGISTER,),
    A.DEPARTMENTS: (Permission.MANAGE_REFERENCE,),
    A.OWNERS: (Permission.MANAGE_REFERENCE,),
    A.CLOSE_QUARTER: (Permission.PRESENT_CYCLE,),
    A.BACKUP: (Permission.BACKUP,),
    A.IMPORT: (Permission.IMPORT,),
    # on a risk someone else owns: only the risk team (assess any) may add an action or save a score
    A.ADD_RISK_ACTION: (Permission.ASSESS_ANY_RISK,),
    A.SAVE: (Permission.ASSESS_ANY_RISK, Permission.EDIT_REGISTER),
}


@pytest.fixture
def demo(services, admin):
    services.demo().load(admin, today=TODAY)
    return services


def _window(qtbot, services, login: str) -> MainWindow:
    w = MainWindow(services, Actor(login), background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def _as(services, admin, role: str) -> str:
    login = f"walk.{role}"
    services.registers.add_user(admin, login, f"Walk {role.replace('_', ' ').title()}", role)
    return login


def _click_tab(qtbot, w: MainWindow, title: str) -> QWidget:
    bar = w.tabs.tabBar()
    i = next(i for i in range(w.tabs.count()) if w.tabs.tabText(i).replace("&", "") == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    assert w.tabs.currentIndex() == i
    return w.page(title)


def _not_theirs(services, admin, login: str) -> str:
    """A current corporate risk the user does not own (its ref)."""
    me = services.registers.me(Actor(login))
    reg = services.registers.corporate_register(admin)
    return next(r.ref for r in services.risks.list_risks(admin, reg.id) if r.owner_id != me.id)


def _offered_in_vain(role: str, controls: dict[str, tuple[QWidget, tuple[Permission, ...]]]) -> list[str]:
    """Controls enabled although the role has none of the permissions they need; each disabled one must say why."""
    bad = []
    for name, (w, needs) in controls.items():
        usable = any(allows(role, p) for p in needs)
        if w.isEnabled() and not usable:
            bad.append(name)
        if not usable and not w.toolTip().strip():
            bad.append(f"{name} (disabled without a reason)")
    return bad


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_offered_only_what_it_can_do(qtbot, demo, admin, role, capsys):
    login = _as(demo, admin, role)
    w = _window(qtbot, demo, login)
    ref = _not_theirs(demo, admin, login)
    click_risk(qtbot, w, ref)
    editor = w.register_page.editor
    controls: dict[str, tuple[QWidget, tuple[Permission, ...]]] = {
        "editor Save": (editor.save_button, (Permission.ASSESS_ANY_RISK, Permission.EDIT_REGISTER)),
        "Copy previous update": (editor.copy_previous_button, (Permission.ASSESS_ANY_RISK,)),
    }
    bad = _offered_in_vain(role, controls)
    for id, needs in ACTION_NEEDS.items():
        action = w.actions_by_id[id]
        usable = any(allows(role, p) for p in needs)
        if action.isEnabled() and not usable:
            bad.append(f"action {id}")
        if not usable and "Only" not in action.toolTip():
            bad.append(f"action {id} (no reason in its tooltip: {action.toolTip()!r})")
    if not (allows(role, Permission.ASSESS_ANY_RISK) or allows(role, Permission.EDIT_REGISTER)):
        # the banner speaks to the role: no "click a cell … then Save" for someone who cannot
        assert "then Save" not in editor.banner.text() and "Reading risk" in editor.banner.text()

    if allows(role, Permission.VIEW_INCIDENTS):
        page = _click_tab(qtbot, w, "Incidents")
        bad += _offered_in_vain(role, {
            "Incidents New": (page.new_button, (Permission.EDIT_INCIDENTS,)),
            "Incidents Delete": (page.delete_button, (Permission.EDIT_INCIDENTS,)),
        })
        if w.actions_by_id[A.NEW].isEnabled() and not allows(role, Permission.EDIT_INCIDENTS):
            bad.append("File ▸ New on Incidents")

    page = _click_tab(qtbot, w, "Reports")
    bad += _offered_in_vain(role, {"Reports New cycle": (page.view.new_button, (Permission.PRESENT_CYCLE,))})
    if w.actions_by_id[A.NEW].isEnabled() and not allows(role, Permission.PRESENT_CYCLE):
        bad.append("File ▸ New on Reports")

    if allows(role, Permission.VIEW_CLINICAL):
        page = _click_tab(qtbot, w, "Clinical governance")
        table = page.audit_table
        page.tabs.setCurrentIndex(next(i for i in range(page.tabs.count()) if page.tabs.widget(i).isAncestorOf(table)))
        assert table.model().rowCount() > 0
        rect = table.visualRect(table.model().index(0, 1))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.keyClick(table, Qt.Key.Key_Return)  # opens the selected audit (read-only for internal audit)
        qtbot.waitUntil(lambda: page.editor is not None and page.editor.isVisible())
        dialog = page.editor
        bad += _offered_in_vain(role, {"Clinical audit Save": (dialog.save_button, (Permission.EDIT_CLINICAL,))})
        dialog.reject()

    print(f"{role}: enabled actions a role cannot use: {len(bad)} {bad}")
    assert bad == []


def test_an_auditor_presses_ctrl_s_and_nothing_asks_or_refuses(qtbot, demo, admin):
    login = _as(demo, admin, "auditor")
    w = _window(qtbot, demo, login)
    click_risk(qtbot, w, _not_theirs(demo, admin, login))
    save = w.actions_by_id[A.SAVE]
    assert not save.isEnabled()
    assert save.toolTip() == ("Internal audit reads the register; it cannot change it. Only a risk's owner and the "
                              "corporate risk team can write its quarterly update.")
    press_key(qtbot, w, QKeySequence.StandardKey.Save)
    assert QApplication.activeModalWidget() is None and not w.register_page.editor_dirty()


def test_an_owner_cannot_copy_an_update_into_someone_elses_risk(qtbot, demo, admin):
    login = _as(demo, admin, "risk_owner")
    reg = demo.registers.corporate_register(admin)
    rows = demo.risks.list_risks(admin, reg.id)
    mine = rows[0]
    me = demo.registers.me(Actor(login))
    demo.risks.amend_risk(admin, mine.id, RiskChange(owner_id=me.id), expected_version=mine.version)
    w = _window(qtbot, demo, login)
    other = _not_theirs(demo, admin, login)
    click_risk(qtbot, w, other)
    editor = w.register_page.editor
    assert not editor.copy_previous_button.isEnabled()
    assert f"Risk {other} is owned by" in editor.copy_previous_button.toolTip()
    assert not w.actions_by_id[A.SAVE].isEnabled()
    click_risk(qtbot, w, mine.ref)  # their own: everything usable again
    assert editor.copy_previous_button.isEnabled() and w.actions_by_id[A.SAVE].isEnabled()
    qtbot.mouseClick(editor.copy_previous_button, Qt.MouseButton.LeftButton)
    assert editor.is_dirty()
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)  # closing must not ask about it
    assert not editor.is_dirty()


@pytest.mark.parametrize("role", ["auditor", "risk_owner", "public_health"])
def test_refusals_that_reach_a_service_read_as_sentences(demo, admin, role):
    login = _as(demo, admin, role)
    reg = demo.registers.corporate_register(admin)
    cycle_refusals = []
    with pytest.raises(PermissionDenied) as exc:
        demo.cycles.create(Actor(login), date(2027, 1, 20), register_id=reg.id)
    cycle_refusals.append(str(exc.value))
    text = cycle_refusals[0]
    print(text)
    assert text.startswith("Only the corporate risk team can present a report cycle to committee")
    assert "may not" not in text and "present_cycle" not in text and text.endswith(".")


def test_no_role_is_told_whom_to_ask(demo, admin):
    with pytest.raises(PermissionDenied) as exc:
        demo.clinical.list_audits(Actor("stranger"))
    text = str(exc.value)
    assert "no riskdesk role yet" in text and "Only public health and internal audit can see" in text
    assert "Ask a riskdesk administrator" in text


def test_closing_the_quarter_clears_undo_and_says_so(qtbot, demo, admin):
    w = _window(qtbot, demo, admin.login)
    page = w.register_page
    ref = page.model.row_at(0).ref
    click_risk(qtbot, w, ref)
    editor = page.editor
    editor.update_edit.setFocus()
    qtbot.keyClicks(editor.update_edit, " Checked again.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert page.undo_stack.canUndo()
    answers = DialogAnswers().queue(press("Yes"))
    _trigger_menu(qtbot, w, "Register", Qt.Key.Key_Q)  # Close the &quarter…
    qtbot.waitUntil(lambda: len(answers.seen) == 1)
    assert not answers.errors
    assert not page.undo_stack.canUndo()
    assert "Undo history on the register was cleared" in w.statusBar().currentMessage()
    press_key(qtbot, w, QKeySequence.StandardKey.Undo)
    assert QApplication.activeModalWidget() is None  # no "Someone else saved first"


def _trigger_menu(qtbot, w: MainWindow, menu_title: str, key: Qt.Key) -> None:
    """Click a menu open and pick an item by its mnemonic, as a user does."""
    from PySide6.QtTest import QTest

    bar = w.menuBar()
    item = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(item).center())
    qtbot.waitUntil(item.menu().isVisible)
    QTest.keyClick(item.menu(), key)


def test_presenting_a_cycle_clears_the_registers_undo(qtbot, demo, admin):
    w = _window(qtbot, demo, admin.login)
    page = w.register_page
    click_risk(qtbot, w, page.model.row_at(0).ref)
    editor = page.editor
    qtbot.keyClicks(editor.update_edit, " More.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert page.undo_stack.canUndo()
    reports = _click_tab(qtbot, w, "Reports")
    rows = reports.model.rows()
    row = next(i for i, c in enumerate(rows) if not c.presented)  # the demo's draft after its presented cycle
    table = reports.view.cycles_table
    index = table.model().index(row, 1)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.mouseClick(reports.view.present_button, Qt.MouseButton.LeftButton)
    dialog = reports.present_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.present_button, Qt.MouseButton.LeftButton)
    assert demo.cycles.list(admin)[0].presented
    assert not page.undo_stack.canUndo()
    assert "frozen in the presented cycle" in w.statusBar().currentMessage()
