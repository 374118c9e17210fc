"""The Complaints page with real key and mouse events: filter by typing, the clock bands, open a
case with Enter, record responses and see the Code's refusal in words."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from riskdesk.domain.complaints import ClockBand, ComplaintDraft, Outcome, Procedure
from riskdesk.ui.complaints.page import ComplaintsPage

from .conftest import Team

TODAY = date(2024, 5, 1)


def _log(team: Team, received: date, service: str, handler: str = "Ann Smith", summary: str = "x") -> int:
    return team.services.complaints.log_complaint(
        team.team, ComplaintDraft(Procedure.CORPORATE, received, service=service, handler=handler, summary=summary),
        today=TODAY).row.id


@pytest.fixture
def page(qtbot, team: Team) -> ComplaintsPage:
    _log(team, date(2024, 4, 2), "SENA", summary="EHCP assessment late")  # due 23 Apr: overdue on 1 May
    _log(team, date(2024, 4, 22), "Waste Management", summary="Missed bin collection")  # due soon
    _log(team, date(2024, 3, 20), "Highway Maintenance", summary="Pothole repair")  # local policy, 40 WD
    w = ComplaintsPage(team.services, team.team, today=TODAY, background=False)
    qtbot.addWidget(w)
    w.resize(1200, 700)
    w.show()
    return w


def test_typing_filters_the_list_and_bands_show_in_tiles(qtbot, page: ComplaintsPage) -> None:
    assert page.model.rowCount() == 3
    assert "Overdue: <b>1</b>" in page.tile_overdue.text()
    QTest.keyClicks(page.search_edit, "bin")
    assert [r.service for r in page.model.rows()] == ["Waste Management"]
    for _ in range(3):
        QTest.keyClick(page.search_edit, Qt.Key.Key_Backspace)
    assert page.model.rowCount() == 3
    page.band_filter.setFocus()
    QTest.keyClick(page.band_filter, Qt.Key.Key_Down)  # "Open cases"
    QTest.keyClick(page.band_filter, Qt.Key.Key_Down)  # "Overdue"
    assert [r.band for r in page.model.rows()] == [ClockBand.OVERDUE]
    assert "1 of 3 complaints shown" in page.shown_label.text()


def test_open_with_enter_see_why_and_refuse_same_handler_at_stage_2(qtbot, page: ComplaintsPage, team: Team) -> None:
    QTest.keyClicks(page.search_edit, "EHCP")
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    page.table.setCurrentIndex(page.model.index(0, 0))
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    ed = page.editor
    assert ed is not None and ed.windowTitle() == "Complaint CC-2024-00001"
    why = ed.tabs[0].why_text.toPlainText()
    assert "rule set: RS-CODE-2024" in why and "day 0:" in why
    tab = ed.tabs[0]
    tab.responded_date.setDate(QDate(2024, 4, 25))
    tab.outcome_combo.setCurrentIndex(tab.outcome_combo.findData(Outcome.NOT_UPHELD.value))
    qtbot.mouseClick(tab.respond_button, Qt.MouseButton.LeftButton)
    assert ed.detail.stages[0].outcome is Outcome.NOT_UPHELD
    # Escalate with the same person as the stage 1 handler: refused, in the Code's words.
    ed.escalate_date.setDate(QDate(2024, 4, 29))
    ed.escalate_handler.clear()
    QTest.keyClicks(ed.escalate_handler, "Ann Smith")
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close_box)

    QTimer.singleShot(0, close_box)
    qtbot.mouseClick(ed.escalate_button, Qt.MouseButton.LeftButton)
    assert seen and "must not be the same person that considered it at stage 1 (Code 6.17)" in seen[0]
    assert len(ed.detail.stages) == 1
    assert ed.escalate_handler.text() == "Ann Smith"  # nothing typed is lost
    ed.escalate_handler.clear()
    QTest.keyClicks(ed.escalate_handler, "Director Bob")
    qtbot.mouseClick(ed.escalate_button, Qt.MouseButton.LeftButton)
    assert [s.number for s in ed.detail.stages] == [1, 2]
    assert ed.stage_tabs.count() == 2


def test_a_link_officer_reads_but_cannot_log(qtbot, team: Team) -> None:
    _log(team, date(2024, 4, 2), "SENA")
    w = ComplaintsPage(team.services, team.link, today=TODAY, background=False)
    qtbot.addWidget(w)
    assert w.model.rowCount() == 1 and not w.new_button.isEnabled()
    owner = ComplaintsPage(team.services, team.owner, today=TODAY, background=False)
    qtbot.addWidget(owner)
    assert owner.denied and "may not view complaints" in owner.denied_label.text()


def test_new_complaint_dialog_by_keyboard(qtbot, page: ComplaintsPage) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    d = page.new_dialog
    assert d is not None
    d.received_date.setDate(QDate(2024, 4, 30))
    d.service_combo.setFocus()
    QTest.keyClicks(d.service_combo.lineEdit(), "SEN Assessment")
    QTest.keyClicks(d.handler_edit, "Cara Jones")
    QTest.keyClicks(d.summary_edit, "Transport not arranged")
    with qtbot.waitSignal(d.saved, timeout=3000):
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 4
    assert any(r.summary == "Transport not arranged" and r.service == "SENA" for r in page.model.rows())


def test_front_door_logs_a_service_request_and_converts_it(qtbot, page: ComplaintsPage) -> None:
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.log_contact_button, Qt.MouseButton.LeftButton)
    d = page.contact_dialog
    assert d is not None
    d.kind_combo.setFocus()
    QTest.keyClick(d.kind_combo, Qt.Key.Key_Down)  # Service request
    d.received_date.setDate(QDate(2024, 4, 15))
    QTest.keyClicks(d.service_combo.lineEdit(), "Highway Maintenance")
    QTest.keyClicks(d.summary_edit, "Pothole on Main Street")
    with qtbot.waitSignal(d.saved, timeout=3000):
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    rows = page.contacts_model.rows()
    assert [(r.kind.value, r.service, r.summary) for r in rows] == [
        ("service_request", "Highway Repair and Maintenance", "Pothole on Main Street")]
    page.contacts_table.setFocus()
    page.contacts_table.setCurrentIndex(page.contacts_model.index(0, 0))
    qtbot.mouseClick(page.convert_button, Qt.MouseButton.LeftButton)
    cd = page.convert_dialog
    assert cd is not None
    cd.dissatisfied_date.setDate(QDate(2024, 4, 25))
    QTest.keyClicks(cd.handler_edit, "Dee Brown")
    with qtbot.waitSignal(cd.saved, timeout=3000):
        qtbot.mouseClick(cd.ok_button, Qt.MouseButton.LeftButton)
    assert page.contacts_model.rows()[0].converted_to.startswith("CC-2024-")
    assert page.model.rowCount() == 4  # the new complaint is in the list; the request is still a request
    assert any(r.received_on == date(2024, 4, 25) and r.handler == "Dee Brown" for r in page.model.rows())
