"""The Incidents page and SI editor: log, act, review, close, and watch the dashboard follow."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from riskdesk.domain.incidents import (
    ActionDraft,
    Framework,
    IncidentDraft,
    LearningResponse,
    Status,
    add_months,
)
from riskdesk.domain.register import Actor
from riskdesk.ui.incidents.page import IncidentsPage
from riskdesk.ui.incidents.table_model import Col, IncidentFilter, IncidentTableModel
from riskdesk.ui.incidents.views import _month_of
from riskdesk.ui.kit import jobs as operations

TODAY = date(2023, 6, 15)


@pytest.fixture
def world(services, admin):
    p = services.providers
    tp = p.add_provider(admin, "Turning Point", "TP")
    tps = p.add_service(admin, tp.id, "Integrated substance misuse service", "Substance misuse")
    mpft = p.add_provider(admin, "Midlands Partnership University NHS Foundation Trust", "MPFT")
    ms = p.add_service(admin, mpft.id, "Integrated sexual health service", "Sexual health")
    return {"tp": (tp.id, tps.id), "mpft": (mpft.id, ms.id)}


@pytest.fixture
def page(qtbot, services, admin, world):
    w = IncidentsPage(services, admin, today=TODAY, background=False)  # loads before reload() returns
    qtbot.addWidget(w)
    w.show()
    return w


def _si(services, admin, world, reported, provider="tp", **kw):
    pid, sid = world[provider]
    d = IncidentDraft(provider_id=pid, service_id=sid, identified_on=reported, reported_on=reported,
                      description=kw.pop("description", "Death of a service user in treatment."),
                      framework=kw.pop("framework", Framework.SIF_2015), **kw)
    return services.incidents.save(admin, d, today=TODAY)


def _save(qtbot, editor):
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.save_button.click()


def _counts(page):
    return page.counts_label.text()


def test_log_act_review_and_close_an_si(qtbot, page, services, admin):
    assert "0</b> open SIs" in _counts(page)
    page.new_button.click()
    ed = page.editor
    ed.provider_combo.setCurrentIndex(ed.provider_combo.findText("Turning Point (TP)"))
    ed.framework_combo.setCurrentIndex(ed.framework_combo.findData(Framework.SIF_2015.value))
    ed.identified_date.setDate(QDate(2023, 6, 1))
    ed.reported_date.setDate(QDate(2023, 6, 2))
    ed.category_combo.setCurrentText("Drug-related death")
    ed.description_edit.setPlainText("Service user died in the community; suspected overdose.")
    assert "StEIS report" in ed.clocks_label.text()
    _save(qtbot, ed)
    rows = services.incidents.list_incidents(admin, today=TODAY)
    assert len(rows) == 1 and rows[0].reference == "SI-2023-001" and rows[0].provider_name == "TP"
    assert page.model.rowCount() == 1
    assert "2 overdue deadlines" in _counts(page)  # StEIS and initial review were not recorded
    si_id = rows[0].id

    # Record the StEIS report and initial review, move on, add an action and a review.
    page.open_incident(si_id)
    ed = page.editor
    ed.steis_date.check.setChecked(True)
    ed.steis_date.edit.setDate(QDate(2023, 6, 5))
    ed.initial_review_date.check.setChecked(True)
    ed.initial_review_date.edit.setDate(QDate(2023, 6, 6))
    ed.status_combo.setCurrentIndex(ed.status_combo.findData(Status.UNDER_INVESTIGATION.value))
    ed.action_desc_edit.setText("Refresh naloxone training")
    ed.action_owner_edit.setText("Service manager")
    ed.action_due.check.setChecked(True)
    ed.action_due.edit.setDate(QDate(2023, 6, 9))
    ed.add_action_button.click()
    ed.review_notes_edit.setText("Reviewed at the June SI meeting.")
    ed.review_by_edit.setText("PH lead")
    ed.add_review_button.click()
    _save(qtbot, ed)
    detail = services.incidents.get(admin, si_id, today=TODAY)
    assert detail.row.status is Status.UNDER_INVESTIGATION
    assert [a.description for a in detail.actions] == ["Refresh naloxone training"]
    assert detail.reviews[0].notes == "Reviewed at the June SI meeting."
    assert "0 overdue deadlines" in _counts(page) and "1 overdue actions" in _counts(page)
    assert page.monthly.overdue and page.monthly.overdue[0].id == si_id
    assert page.review_overdue_list.count() == 1

    # Report received, action plan, complete the action, close.
    page.open_incident(si_id)
    ed = page.editor
    ed.status_combo.setCurrentIndex(ed.status_combo.findData(Status.REPORT_RECEIVED.value))
    ed.report_received_date.check.setChecked(True)
    ed.report_received_date.edit.setDate(QDate(2023, 6, 14))
    _save(qtbot, ed)
    page.open_incident(si_id)
    ed = page.editor
    ed.status_combo.setCurrentIndex(ed.status_combo.findData(Status.ACTION_PLAN.value))
    ed.actions_table.selectRow(0)
    ed.complete_action_button.click()
    _save(qtbot, ed)
    page.open_incident(si_id)
    ed = page.editor
    ed.status_combo.setCurrentIndex(ed.status_combo.findData(Status.CLOSED.value))
    ed.closed_date.check.setChecked(True)
    ed.closed_date.edit.setDate(QDate(2023, 6, 15))
    _save(qtbot, ed)
    detail = services.incidents.get(admin, si_id, today=TODAY)
    assert detail.row.status is Status.CLOSED and detail.actions[0].completed_on == TODAY
    assert "0</b> open SIs" in _counts(page) and "0 overdue actions" in _counts(page)
    assert page.review_overdue_list.count() == 0 and page.review_open_list.count() == 0
    assert page.overdue_list.item(0).text() == "Nothing is overdue."


def test_closing_with_an_open_action_is_refused_and_nothing_is_lost(qtbot, page, services, admin, world):
    si = _si(services, admin, world, date(2023, 6, 1))
    for step in (Status.UNDER_INVESTIGATION, Status.REPORT_RECEIVED, Status.ACTION_PLAN):
        si = services.incidents.set_status(admin, si.id, step, expected_version=si.version, on=date(2023, 6, 10))
    services.incidents.add_action(admin, si.id, ActionDraft(None, "Audit"), expected_version=si.version)
    page.reload()
    page.open_incident(si.id)
    ed = page.editor
    ed.status_combo.setCurrentIndex(ed.status_combo.findData(Status.CLOSED.value))
    ed.closed_date.check.setChecked(True)
    ed.lessons_edit.setPlainText("Learning shared across the service.")
    ed.save_button.click()
    assert "action 1 is still open" in ed.message_label.text()
    assert ed.isVisible() and ed.lessons_edit.toPlainText() == "Learning shared across the service."
    assert services.incidents.get(admin, si.id).row.status is Status.ACTION_PLAN


def test_pid_warning_then_correct_or_confirm(qtbot, page, services, admin, world):
    si = _si(services, admin, world, date(2023, 6, 1))
    page.reload()
    page.open_incident(si.id)
    ed = page.editor
    ed.description_edit.setPlainText("Client 943 476 5919 found unresponsive.")
    ed.save_button.click()
    assert ed.confirm_pid_button.isVisible()
    assert "943 476 5919" in ed.message_label.text() and "NHS number" in ed.message_label.text()
    assert services.incidents.get(admin, si.id).row.description == "Death of a service user in treatment."
    # Correct it: the warning goes once the text is clean.
    ed.description_edit.setPlainText("Client found unresponsive (ref 943 476 5918, a case number).")
    _save(qtbot, ed)
    assert "5918" in services.incidents.get(admin, si.id).row.description
    # Or confirm it is not patient data.
    page.open_incident(si.id)
    ed = page.editor
    ed.lessons_edit.setPlainText("Clinic opened d.o.b. checks at reception.")
    ed.save_button.click()
    assert ed.confirm_pid_button.isVisible() and "date of birth" in ed.message_label.text()
    with qtbot.waitSignal(ed.saved):
        ed.confirm_pid_button.click()
    assert "d.o.b." in services.incidents.get(admin, si.id).lessons


def test_undo_and_redo_in_the_editor(qtbot, page, services, admin, world):
    si = _si(services, admin, world, date(2023, 6, 1))
    page.reload()
    page.open_incident(si.id)
    ed = page.editor
    assert not ed.undo_action.isEnabled()
    ed.external_ref_edit.setText("2023/999")
    ed.action_desc_edit.setText("Check naloxone stock")
    ed.add_action_button.click()
    assert ed.actions_table.rowCount() == 1 and "*" in ed.windowTitle()
    ed.undo_action.trigger()
    assert ed.actions_table.rowCount() == 0
    ed.undo_action.trigger()
    assert ed.external_ref_edit.text() == ""
    ed.redo_action.trigger()
    assert ed.external_ref_edit.text() == "2023/999"
    _save(qtbot, ed)
    detail = services.incidents.get(admin, si.id)
    assert detail.row.external_ref == "2023/999" and detail.actions == ()


def test_stale_edit_offers_reload(qtbot, page, services, admin, world):
    si = _si(services, admin, world, date(2023, 6, 1))
    page.reload()
    page.open_incident(si.id)
    ed = page.editor
    services.incidents.add_review(admin, si.id, date(2023, 6, 5), "Colleague", "Saved elsewhere",
                                  expected_version=si.version)
    ed.category_combo.setCurrentText("Medication incident")
    ed.save_button.click()
    assert ed.reload_button.isVisible() and "changed by someone else" in ed.message_label.text()
    ed.reload_button.click()
    assert ed.reviews_table.rowCount() == 1 and ed.reviews_table.item(0, 2).text() == "Saved elsewhere"
    ed.category_combo.setCurrentText("Medication incident")
    _save(qtbot, ed)
    assert services.incidents.get(admin, si.id).row.category == "Medication incident"


def test_extension_needs_a_reason_and_moves_the_clock(qtbot, page, services, admin, world):
    si = _si(services, admin, world, date(2023, 6, 1))
    page.reload()
    page.open_incident(si.id)
    ed = page.editor
    ed.extension_due.setDate(QDate(2023, 9, 29))
    ed.add_extension_button.click()
    assert "needs a reason" in ed.message_label.text() and ed.extensions_table.rowCount() == 0
    ed.extension_reason_edit.setText("Awaiting the coroner")
    ed.add_extension_button.click()
    assert ed.extensions_table.rowCount() == 1 and "(extended)" in ed.clocks_label.text()
    _save(qtbot, ed)
    detail = services.incidents.get(admin, si.id)
    assert detail.extensions[0].reason == "Awaiting the coroner" and detail.extensions[0].new_due == date(2023, 9, 29)


def test_filters_search_and_sorting(qtbot, qtmodeltester, page, services, admin, world):
    _si(services, admin, world, date(2023, 1, 10), category="Drug-related death")
    _si(services, admin, world, date(2023, 3, 10), provider="mpft", framework=Framework.PSIRF,
        learning_response=LearningResponse.MDT_REVIEW, agreed_due=date(2023, 9, 1),
        description="Medicine given under an expired PGD.")
    _si(services, admin, world, date(2023, 6, 5), description="Naloxone not offered.")
    page.reload()
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 3
    page.provider_filter.setCurrentIndex(page.provider_filter.findText("MPFT"))
    assert [r.provider_name for r in page.model.rows()] == ["MPFT"]
    page.clear_button.click()
    page.framework_filter.setCurrentIndex(page.framework_filter.findData(Framework.SIF_2015.value))
    assert page.model.rowCount() == 2
    page.clear_button.click()
    page.period_check.setChecked(True)
    page.from_month.setDate(QDate(2023, 2, 1))
    page.to_month.setDate(QDate(2023, 5, 1))
    assert [r.reported_on for r in page.model.rows()] == [date(2023, 3, 10)]
    page.clear_button.click()
    page.overdue_check.setChecked(True)
    assert {r.reported_on for r in page.model.rows()} == {date(2023, 1, 10), date(2023, 6, 5)}
    page.clear_button.click()
    qtbot.keyClicks(page.search_edit, "naloxone")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert "1 of 3" in page.shown_label.text()
    page.clear_button.click()
    page.table.sortByColumn(Col.REPORTED, Qt.SortOrder.AscendingOrder)
    assert [r.reported_on.month for r in page.model.rows()] == [1, 3, 6]
    qtmodeltester.check(page.model)


def test_table_model_alone(qtmodeltester, services, admin, world):
    _si(services, admin, world, date(2023, 6, 1))
    model = IncidentTableModel()
    model.set_rows(services.incidents.list_incidents(admin, today=TODAY))
    qtmodeltester.check(model)
    model.set_filter(IncidentFilter(status=Status.CLOSED))
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_export_and_report_from_the_page(page, services, admin, world, tmp_path):
    _si(services, admin, world, date(2023, 3, 1))
    _si(services, admin, world, date(2022, 3, 1), provider="mpft")
    page.reload()
    page.provider_filter.setCurrentIndex(page.provider_filter.findText("TP"))
    out = page.export_to(tmp_path / "sis.csv")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and ",TP," in lines[1]
    pdf = page.write_report(tmp_path / "si.pdf", (2023, 9))
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert page.chart_to.date() == QDate(2022, 9, 1)  # the last complete October–September year
    page.chart_to.setDate(QDate(2023, 9, 1))
    series = page.chart.series()
    assert sum(n for _m, n in series[0][1]) == 1 and sum(n for _m, n in series[1][1]) == 1


def test_providers_dialog_adds_provider_and_service(qtbot, page, services, admin):
    page.providers_button.click()
    dlg = page.providers_dialog
    dlg.name_edit.setText("Leicestershire Partnership NHS Trust")
    dlg.short_edit.setText("LPT")
    dlg.add_provider_button.click()
    dlg.service_edit.setText("0–11 Healthy Together")
    dlg.area_edit.setText("Healthy Child Programme")
    dlg.add_service_button.click()
    lpt = next(p for p in services.providers.list_providers(admin) if p.short_name == "LPT")
    assert [s.name for s in lpt.services] == ["0–11 Healthy Together"]
    assert page.provider_filter.findText("LPT") >= 0
    dlg.service_list.setCurrentRow(0)
    dlg.toggle_service_button.click()
    lpt = next(p for p in services.providers.list_providers(admin) if p.short_name == "LPT")
    assert not lpt.services[0].active
    dlg.name_edit.setText("")
    dlg.add_provider_button.click()
    assert "must not be empty" in dlg.message.text()


def test_risk_owner_cannot_see_incidents(qtbot, services, admin, world):
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    w = IncidentsPage(services, Actor("owner"), today=TODAY, background=False)
    qtbot.addWidget(w)
    assert w.content.isHidden() and "not available to you" in w.denied_label.text()


def test_auditor_sees_but_cannot_edit(qtbot, services, admin, world):
    si = _si(services, admin, world, date(2023, 6, 1))
    services.registers.add_user(admin, "audit", "Ivor Auditor", role="auditor")
    w = IncidentsPage(services, Actor("audit"), today=TODAY, background=False)
    qtbot.addWidget(w)
    assert w.model.rowCount() == 1 and not w.new_button.isEnabled()
    w.open_incident(si.id)
    assert not w.editor.save_button.isEnabled() and not w.editor.add_action_button.isEnabled()


def test_main_window_has_the_incidents_tab(qtbot, services, admin, world):
    from riskdesk.ui.main_window import MainWindow

    win = MainWindow(services, admin)
    qtbot.addWidget(win)
    page = win.page("Incidents")
    assert isinstance(page, IncidentsPage)
    qtbot.waitUntil(lambda: operations.pending() == 0, timeout=10000)  # the app loads in the background
    assert not page.loading


def test_the_list_loads_in_the_background_and_filters_apply_when_it_arrives(qtbot, services, admin, world):
    _si(services, admin, world, date(2023, 1, 10))
    _si(services, admin, world, date(2023, 6, 5), description="Naloxone not offered.")
    w = IncidentsPage(services, admin, today=TODAY)  # as the app builds it: background=True
    qtbot.addWidget(w)
    w.show()
    # The page is usable while the rows load: the user types a search straight away.
    assert w.loading and w.shown_label.text() == "Loading…" and w.search_edit.isEnabled()
    w.search_edit.setText("naloxone")
    with qtbot.waitSignal(w.reloaded, timeout=10000):
        pass
    assert not w.loading and [r.description for r in w.model.rows()] == ["Naloxone not offered."]
    assert "1 of 2" in w.shown_label.text() and "2</b> open SIs" in _counts(w)
    # Refresh goes through the worker too and picks up an SI saved elsewhere.
    _si(services, admin, world, date(2023, 6, 9), description="Naloxone kit out of date.")
    with qtbot.waitSignal(w.reloaded, timeout=10000):
        w.refresh_button.click()
    assert w.model.rowCount() == 2 and "2 of 3" in w.shown_label.text()


def _answer_yes(monkeypatch, asked):
    from PySide6.QtWidgets import QMessageBox

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)


def test_delete_an_si_after_confirming(qtbot, page, services, admin, world, monkeypatch):
    keep = _si(services, admin, world, date(2023, 5, 2)).row
    gone = _si(services, admin, world, date(2023, 6, 1), provider="mpft").row
    page.reload()
    asked: list[str] = []
    _answer_yes(monkeypatch, asked)
    assert page.select_incident(gone.id)
    page.delete_button.click()
    assert len(asked) == 1 and gone.reference in asked[0]
    assert [r.id for r in services.incidents.list_incidents(admin, today=TODAY)] == [keep.id]
    trail = services.risks.audit_trail(admin, entity="serious_incident")
    assert trail[0].action == "incident.delete" and trail[0].entity_id == gone.id
    assert [r.id for r in page.model.rows()] == [keep.id] and "1</b> open SIs" in _counts(page)


def test_delete_key_on_the_table_and_saying_no(qtbot, page, services, admin, world, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    si = _si(services, admin, world, date(2023, 6, 1)).row
    page.reload()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    page.select_incident(si.id)
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(asked) == 1 and si.reference in asked[0]
    assert [r.id for r in services.incidents.list_incidents(admin)] == [si.id]  # No: kept
    _answer_yes(monkeypatch, asked)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert services.incidents.list_incidents(admin) == [] and page.model.rowCount() == 0


def test_delete_is_not_offered_without_the_edit_permission(qtbot, services, admin, world, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    si = _si(services, admin, world, date(2023, 6, 1)).row
    services.registers.add_user(admin, "audit", "Ivor Auditor", role="auditor")
    w = IncidentsPage(services, Actor("audit"), today=TODAY, background=False)
    qtbot.addWidget(w)
    w.show()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("must not ask to confirm"))
    w.select_incident(si.id)
    # Disabled, saying why, rather than offered and refused on use.
    assert not w.delete_button.isEnabled()
    assert w.delete_button.toolTip().startswith("Internal audit reads the register; it cannot change it. Only the "
                                                "public health team can log, change or delete serious incidents.")
    qtbot.mouseClick(w.delete_button, Qt.MouseButton.LeftButton)
    w.table.setFocus()
    qtbot.keyClick(w.table, Qt.Key.Key_Delete)
    assert told == []
    assert [r.id for r in services.incidents.list_incidents(admin)] == [si.id]


def test_the_report_button_writes_off_the_gui_thread(qtbot, page, services, admin, world, tmp_path, monkeypatch):
    """SI report (PDF)…: the file is written on a worker; the button returns before it exists."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from riskdesk.ui.kit.jobs import pending

    _si(services, admin, world, date(2023, 3, 1))
    page.reload()
    out = tmp_path / "si"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "PDF (*.pdf)")))
    written: list[tuple] = []
    original = services.incidents.write_report
    monkeypatch.setattr(services.incidents, "write_report",
                        lambda actor, first, last, path, **kw: written.append((first, last)) or original(
                            actor, first, last, path, **kw))
    shown = _month_of(page.chart_to.date())
    seen: list[str] = []

    def choose_the_month_before() -> None:  # the period dialog, answered by keyboard
        box = QApplication.activeModalWidget()
        if box is None or box.objectName() != "siReportPeriodDialog":
            QTimer.singleShot(10, choose_the_month_before)
            return
        seen.append(box.windowTitle())
        box.month_edit.setFocus()
        QTest.keyClick(box.month_edit, Qt.Key.Key_Down)
        QTest.keyClick(box.month_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose_the_month_before)
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert seen == ["SI report (PDF)"]
    assert pending() == 1  # still being written: the window went on answering
    qtbot.waitUntil(lambda: pending() == 0, timeout=60000)
    assert (tmp_path / "si.pdf").read_bytes().startswith(b"%PDF")
    assert written and written[0][1] == add_months(shown, -1)  # the period chosen when saving


def test_the_export_button_writes_off_the_gui_thread(qtbot, page, services, admin, world, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from riskdesk.ui.kit.jobs import pending

    _si(services, admin, world, date(2023, 3, 1))
    page.reload()
    out = tmp_path / "sis.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "CSV (*.csv)")))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert pending() == 1  # being written while the window answers
    qtbot.waitUntil(lambda: pending() == 0, timeout=60000)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 2


def test_an_actions_text_and_owner_are_edited_in_place(qtbot, page, services, admin, world):
    """F2 on an action edits its text in place: the same action, corrected (no remove and re-add)."""
    from PySide6.QtWidgets import QApplication, QLineEdit

    si = _si(services, admin, world, date(2023, 6, 1), actions=(ActionDraft(None, "Refresh naloxone trainign",
                                                                           "Service manager", None, None),))
    page.reload()
    page.open_incident(si.row.id)
    ed = page.editor
    qtbot.waitUntil(ed.isVisible)
    ed.activateWindow()
    qtbot.waitUntil(ed.isActiveWindow)
    qtbot.keyClick(ed, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # the "&2 Actions and lessons" tab
    table = ed.actions_table
    qtbot.waitUntil(table.isVisible)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Refresh naloxone training for all outreach staff")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: ed.actions_list[0].description == "Refresh naloxone training for all outreach staff")
    assert ed.undo_stack.undoText() == "Edit action"
    assert ed.actions_list[0].id == si.actions[0].id  # the same action, corrected
    _save(qtbot, ed)
    detail = services.incidents.get(admin, si.row.id, today=TODAY)
    assert [(a.id, a.description) for a in detail.actions] == [
        (si.actions[0].id, "Refresh naloxone training for all outreach staff")]
