"""Undo on the Ombudsman page, with real key and mouse events in the main window: Ctrl+Z writes the
earlier values back through the service (audited), Ctrl+Y redoes, an undo over another person's
later change is refused with a message and changes nothing, and an approved payment is not undone."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from riskdesk.domain.ombudsman import CaseDraft, Decision
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.ombudsman.page import OmbudsmanPage


@pytest.fixture
def window(qtbot, services: Services, team: Actor) -> MainWindow:
    services.ombudsman.create_case(team, CaseDraft("24 001 001", "CFS", date(2024, 5, 1), date(2024, 5, 29),
                                                   complaint_ref="CC-2024-0001"))
    w = MainWindow(services, team, background=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    return w


def _page(qtbot, window: MainWindow) -> OmbudsmanPage:
    page = window.page("Ombudsman")
    window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                     if window.tabs.tabText(i).replace("&", "") == "Ombudsman"))
    assert isinstance(page, OmbudsmanPage)
    return page


def _click_row(qtbot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _type(widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)


def _press(qtbot, window: MainWindow, page: OmbudsmanPage, key: Qt.Key) -> None:
    """Ctrl+<key> on the window, focus on the case list (a text box would take Ctrl+Z for its own undo)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.table.setFocus()
    QTest.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def _case(services: Services, team: Actor, ref: str = "24 001 001") -> dict:
    row = next(r for r in services.ombudsman.list_cases(team) if r.reference == ref)
    d = services.ombudsman.get(team, row.id)
    return {**asdict(d.draft), "decision": d.row.decision, "decided": d.row.final_decision_on,
            "recommendations": [(r.text, r.completed_on) for r in d.recommendations],
            "remedies": [(m.amount_pence, m.approved_on) for m in d.remedies], "extensions": len(d.extensions)}


def _actions(services: Services, admin: Actor) -> list[str]:
    return [e.action for e in services.risks.audit_trail(admin, entity="ombudsman_case")]


def test_ctrl_z_puts_the_old_enquiry_back_and_ctrl_y_redoes(qtbot, window, services, team, admin) -> None:
    page = _page(qtbot, window)
    _click_row(qtbot, page.table, 0)
    _type(page.complaint_edit, "CC-2024-0777")
    _type(page.responded_edit, "2024-05-20")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert _case(services, team)["complaint_ref"] == "CC-2024-0777"
    assert window.undo_action.text().replace("&", "") == "Undo save enquiry on 24 001 001"

    _press(qtbot, window, page, Qt.Key.Key_Z)
    case = _case(services, team)
    assert (case["complaint_ref"], case["responded_on"]) == ("CC-2024-0001", None)
    assert page.complaint_edit.text() == "CC-2024-0001"  # the form shows what the database holds
    assert _actions(services, admin).count("ombudsman.restore") == 1

    _press(qtbot, window, page, Qt.Key.Key_Y)
    case = _case(services, team)
    assert (case["complaint_ref"], case["responded_on"]) == ("CC-2024-0777", date(2024, 5, 20))
    assert _actions(services, admin).count("ombudsman.restore") == 2


def test_decision_recommendation_and_compliance_undone_in_turn(qtbot, window, services, team, admin) -> None:
    page = _page(qtbot, window)
    _click_row(qtbot, page.table, 0)
    page.decision_combo.setFocus()
    page.decision_combo.setCurrentIndex(page.decision_combo.findData(Decision.UPHELD_FAULT_INJUSTICE.value))
    _type(page.decision_date, "2024-07-01")
    qtbot.mouseClick(page.decision_button, Qt.MouseButton.LeftButton)
    _type(page.rec_text, "Apologise to Mrs X")
    _type(page.rec_due, "2024-08-01")
    qtbot.mouseClick(page.rec_button, Qt.MouseButton.LeftButton)
    _click_row(qtbot, page.recommendations, 0)
    _type(page.complied_date, "2024-07-20")
    qtbot.mouseClick(page.complied_button, Qt.MouseButton.LeftButton)
    assert _case(services, team)["recommendations"] == [("Apologise to Mrs X", date(2024, 7, 20))]

    _press(qtbot, window, page, Qt.Key.Key_Z)
    assert _case(services, team)["recommendations"] == [("Apologise to Mrs X", None)]
    _press(qtbot, window, page, Qt.Key.Key_Z)
    assert _case(services, team)["recommendations"] == []
    _press(qtbot, window, page, Qt.Key.Key_Z)
    assert _case(services, team)["decision"] is None and _case(services, team)["decided"] is None
    assert page.rec_model.rowCount() == 0
    # Redo all three: the recommendation comes back (as a new row) and is complied with again.
    for _ in range(3):
        _press(qtbot, window, page, Qt.Key.Key_Y)
    case = _case(services, team)
    assert case["decision"] is Decision.UPHELD_FAULT_INJUSTICE
    assert case["recommendations"] == [("Apologise to Mrs X", date(2024, 7, 20))]
    assert _actions(services, admin).count("ombudsman.restore") == 6


def test_undo_after_someone_else_changed_the_case_is_refused_and_changes_nothing(qtbot, window, services, team,
                                                                                 admin) -> None:
    page = _page(qtbot, window)
    _click_row(qtbot, page.table, 0)
    _type(page.complaint_edit, "CC-2024-0777")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    # Another session (a colleague) changes the same case after this page's save.
    om = services.ombudsman
    d = om.get(team, page.detail.row.id)
    from dataclasses import replace

    om.update_case(team, d.row.id, replace(d.draft, service_group="Education & SEND"),
                   expected_version=d.row.version)
    theirs = _case(services, team)
    restores = _actions(services, admin).count("ombudsman.restore")

    _press(qtbot, window, page, Qt.Key.Key_Z)
    now = _case(services, team)
    changed = sum(now[k] != theirs[k] for k in theirs)
    print(f"values changed silently by the refused undo: {changed}")
    assert changed == 0
    assert "Could not undo" in page.message.text() and "was changed by someone else" in page.message.text()
    assert "was changed by someone else" in window.statusBar().currentMessage()
    assert _actions(services, admin).count("ombudsman.restore") == restores
    assert page.group_edit.text() == "Education & SEND"  # the page now shows their change
    assert not window.undo_action.isEnabled()  # the refused step left the stack


def test_new_case_undone_and_redone_and_an_approved_payment_is_not_undone(qtbot, window, services, team,
                                                                          admin) -> None:
    page = _page(qtbot, window)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.new_dialog
    qtbot.waitExposed(dialog)
    _type(dialog.reference, "24 002 777")
    _type(dialog.first_enquiry, "2024-05-10")
    _type(dialog.reply_due, "2024-06-07")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    refs = lambda: {r.reference for r in services.ombudsman.list_cases(team)}  # noqa: E731
    assert "24 002 777" in refs()
    _press(qtbot, window, page, Qt.Key.Key_Z)
    assert "24 002 777" not in refs()
    assert "ombudsman.delete" in _actions(services, admin)
    _press(qtbot, window, page, Qt.Key.Key_Y)
    assert "24 002 777" in refs()

    # An approved payment: recorded, said to be final, and Ctrl+Z takes back the step before it instead.
    page.select_case(next(r.id for r in page.rows if r.reference == "24 002 777"))
    _type(page.complaint_edit, "CC-2024-0555")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    steps = page.undo_stack.count()
    _type(page.amount_edit, "250")
    _type(page.approved_edit, "2024-06-01")
    qtbot.mouseClick(page.remedy_button, Qt.MouseButton.LeftButton)
    assert "cannot be undone" in page.message.text()
    assert page.undo_stack.count() == steps
    _press(qtbot, window, page, Qt.Key.Key_Z)
    case = _case(services, team, "24 002 777")
    assert case["complaint_ref"] == "" and case["remedies"] == [(25000, date(2024, 6, 1))]


def test_the_undo_writes_are_refused_to_a_link_officer_and_keep_an_approved_payment(services, team, admin) -> None:
    from riskdesk.domain.errors import PermissionDenied

    services.registers.add_user(admin, "lo", "Link Officer", role="complaints_read")
    link = Actor("lo", "Link Officer")
    om = services.ombudsman
    case = om.create_case(team, CaseDraft("24 003 001", "E&T", date(2024, 5, 1), date(2024, 5, 29)))
    with pytest.raises(PermissionDenied):
        om.restore_case(link, case.row.id, case, expected_version=case.row.version)
    with pytest.raises(PermissionDenied):
        om.delete_case(link, case.row.id, expected_version=case.row.version)
    paid = om.add_remedy(team, case.row.id, amount_pence=25000, approved_on=date(2024, 6, 1),
                         expected_version=case.row.version)
    # Writing back the state before the payment keeps the approved payment, and the case cannot be removed.
    back = om.restore_case(team, case.row.id, case, expected_version=paid.row.version)
    assert [(m.amount_pence, m.approved_on) for m in back.remedies] == [(25000, date(2024, 6, 1))]
    from riskdesk.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="approved payment"):
        om.delete_case(team, case.row.id, expected_version=back.row.version)
