"""Appetite in the register and on the dashboard; the risk editor's Controls tab, driven by clicks and keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from riskdesk.domain.incidents import Framework, IncidentDraft
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import RiskChange
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.table_model import Col
from tests.ui.uihelpers import DialogAnswers, click_risk, press_key


def _with_appetite(services, admin, category, level="cautious"):
    scheme = services.scheme.current(admin)
    scheme = replace(scheme, appetite_levels=(("averse", 4), ("minimal", 6), ("cautious", 10), ("open", 15),
                                              ("eager", 20)), category_appetite=((category, level),))
    return services.scheme.save(admin, scheme)


@pytest.fixture
def category(published, admin, corporate_id):
    rows = published.governance.register_view(admin, corporate_id)
    name = next(r.category for r in rows if r.category and r.score and r.score > 10)
    _with_appetite(published, admin, name)
    return name


def _window(qtbot, services, actor):
    w = MainWindow(services, actor, background=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _click_tab(qtbot, tabs, title):
    bar = tabs.tabBar()

    def plain(i: int) -> str:  # "&4 Controls ▲" reads "Controls"
        return tabs.tabText(i).replace("&", "").split(" ▲")[0].lstrip("0123456789 ")

    i = next(i for i in range(tabs.count()) if plain(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    assert tabs.currentIndex() == i


def test_out_of_appetite_shows_in_the_register_the_dashboard_and_the_heat_map(qtbot, published, admin, corporate_id,
                                                                              category):
    window = _window(qtbot, published, admin)
    expected = sorted(r.ref for r in published.governance.out_of_appetite(admin, corporate_id))
    model = window.register_page.model
    marked = sorted(model.row_at(i).ref for i in range(model.rowCount())
                    if model.index(i, Col.APPETITE).data() == "▲ Out")
    print(f"{len(marked)} risk(s) marked out of appetite in the register; the service lists {len(expected)}")
    assert marked == expected and marked
    # Sorting by the column brings them to the top.
    header = window.register_page.table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(Col.APPETITE) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)
    if model.sort_state()[1] == Qt.SortOrder.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # out of appetite first
    top = [model.row_at(i).ref for i in range(len(expected))]
    assert sorted(top) == expected

    press_key(qtbot, window, "Ctrl+2")  # the dashboard
    assert window.tabs.currentWidget() is window.dashboard_holder
    dash = window.dashboard
    listed = dash.governance.lists["out_of_appetite"]
    refs = sorted(listed.item(i).text().split(" ")[0] for i in range(listed.count()))
    assert refs == expected
    cells = published.governance.heat_map(admin, corporate_id)
    for (impact, likelihood), cell in cells.items():
        text = dash.current_map.cell(impact, likelihood).text()
        assert ("▲" in text) == (cell.out_of_appetite > 0), (impact, likelihood, text)
    register_rate = published.governance.on_time_rates(admin, corporate_id)[0]
    assert f"Register: {register_rate.percent}" in dash.governance.on_time_label.text()
    # Activating a risk on the list opens it in the register.
    listed.setCurrentRow(0)
    QTest.keyClick(listed, Qt.Key.Key_Return)
    assert window.register_page.editor.row is not None
    assert window.register_page.editor.row.ref == listed.item(0).text().split(" ")[0]


def test_controls_and_assurance_add_edit_remove_and_undo_on_the_register(qtbot, published, admin, corporate_id,
                                                                         category):
    window = _window(qtbot, published, admin)
    click_risk(qtbot, window, "1.1")
    page = window.register_page
    risk_id = page.editor.row.id
    _click_tab(qtbot, page.editor.tabs, "Controls")
    panel = page.controls_panel
    assert panel.isVisible() and panel.controls_model.rowCount() == 0
    out = page.model.out_of_appetite(page.editor.row)
    assert ("▲" in page.editor.tabs.tabText(3)) == out and ("Out of appetite" in panel.appetite_label.text()) == out

    def fill_control(dialog):
        dialog.description_edit.setFocus()
        QTest.keyClicks(dialog.description_edit, "Monthly budget monitoring by finance business partners")
        QTest.keyClicks(dialog.owner_edit, "Head of Finance")
        dialog.line_combo.setFocus()
        QTest.keyClick(dialog.line_combo, Qt.Key.Key_Down)  # 2nd line
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    answers = DialogAnswers().queue(fill_control)
    qtbot.mouseClick(panel.add_control_button, Qt.MouseButton.LeftButton)
    assert not answers.errors
    stored = published.governance.controls(admin, risk_id)
    assert [(c.description, c.owner, c.line) for c in stored] == [
        ("Monthly budget monitoring by finance business partners", "Head of Finance", 2)]
    assert panel.controls_model.rowCount() == 1

    def fill_source(dialog):
        QTest.keyClicks(dialog.source_edit, "Internal audit report 2023/24: substantial assurance")
        dialog.line_combo.setFocus()
        QTest.keyClick(dialog.line_combo, Qt.Key.Key_Down)  # 3rd line
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    answers = DialogAnswers().queue(fill_source)
    qtbot.mouseClick(panel.add_assurance_button, Qt.MouseButton.LeftButton)
    assert [(a.source, a.line) for a in published.governance.assurances(admin, risk_id)] == [
        ("Internal audit report 2023/24: substantial assurance", 3)]

    # Remove the control, then undo twice (the removal, then the source) and redo once, with Ctrl+Z / Ctrl+Y.
    panel.controls_table.selectRow(0)
    qtbot.mouseClick(panel.remove_control_button, Qt.MouseButton.LeftButton)
    assert published.governance.controls(admin, risk_id) == []
    assert window.undo_action.text() == "&Undo removing a control on 1.1"
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    back = published.governance.controls(admin, risk_id)
    assert [c.description for c in back] == ["Monthly budget monitoring by finance business partners"]
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    assert published.governance.assurances(admin, risk_id) == []
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)  # the new control, re-added under a new id
    assert published.governance.controls(admin, risk_id) == []
    press_key(qtbot, window, QKeySequence.StandardKey.Redo)
    assert len(published.governance.controls(admin, risk_id)) == 1
    assert panel.controls_model.rowCount() == 1  # the tab follows undo and redo
    trail = [a.action for a in published.risks.audit_trail(admin, entity="risk", entity_id=risk_id, limit=20)]
    assert trail.count("control.add") == 3 and trail.count("control.delete") == 2 and "assurance.delete" in trail


def test_response_and_review_date_recorded_and_undone(qtbot, published, admin, corporate_id, category):
    window = _window(qtbot, published, admin)
    click_risk(qtbot, window, "1.1")
    page = window.register_page
    risk_id = page.editor.row.id
    _click_tab(qtbot, page.editor.tabs, "Controls")
    panel = page.controls_panel
    default = panel.default_review()
    assert "cadence" in panel.review_label.text() and f"{default:%d %B %Y}" in panel.review_label.text()
    panel.response_combo.setFocus()
    QTest.keyClick(panel.response_combo, Qt.Key.Key_Down)  # Treat
    qtbot.mouseClick(panel.review_check, Qt.MouseButton.LeftButton)
    panel.review_edit.setFocus()
    wanted = date.today() + timedelta(days=20)
    panel.review_edit.setDate(wanted)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    row = next(r for r in published.governance.register_view(admin, corporate_id) if r.risk_id == risk_id)
    assert (row.response, row.next_review_on) == ("treat", wanted)
    assert "set by hand" in panel.review_label.text()
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    row = next(r for r in published.governance.register_view(admin, corporate_id) if r.risk_id == risk_id)
    assert (row.response, row.next_review_on) == (None, default)


def test_linked_si_lessons_show_only_with_permission_and_prompt_a_rescore(qtbot, published, admin, corporate_id):
    risk = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.7")
    provider = published.providers.add_provider(admin, "Turning Point", "TP")
    service = published.providers.add_service(admin, provider.id, "Substance misuse service", "Substance misuse")
    si = published.incidents.save(admin, IncidentDraft(
        provider_id=provider.id, service_id=service.id, identified_on=date(2023, 10, 3),
        reported_on=date(2023, 10, 3), description="Medicine given outside the PGD", framework=Framework.SIF_2015,
        lessons="PGD training refreshed for all nurses", risk_ids=(risk.id,)))
    published.governance.mark_lesson_relevant(admin, si.row.id, risk.id)
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    owner = next(u for u in published.registers.list_users(admin) if u.login == "owner1")
    r = published.risks.get(admin, risk.id)
    published.risks.amend_risk(admin, risk.id, RiskChange(owner_id=owner.id), expected_version=r.version)

    window = _window(qtbot, published, admin)
    click_risk(qtbot, window, "1.7")
    _click_tab(qtbot, window.register_page.editor.tabs, "Controls")
    panel = window.register_page.controls_panel
    assert panel.incidents_box.isVisible() and panel.incidents_model.rowCount() == 1
    assert panel.incidents_model.index(0, 4).data() == "PGD training refreshed for all nurses"
    assert panel.prompt_label.isVisible() and "Re-score prompted" in panel.prompt_label.text()
    window.close()

    owner_window = _window(qtbot, published, Actor("owner1"))
    click_risk(qtbot, owner_window, "1.7")
    _click_tab(qtbot, owner_window.register_page.editor.tabs, "Controls")
    panel = owner_window.register_page.controls_panel
    assert not panel.incidents_box.isVisible()  # an owner may not read SIs
    assert panel.prompt_label.isVisible()  # but sees the prompt on their own risk
    press_key(qtbot, owner_window, "Ctrl+2")  # and the risk on their dashboard's re-score list
    listed = owner_window.dashboard.governance.lists["rescore"]
    assert [listed.item(i).text().split(" ")[0] for i in range(listed.count())] == ["1.7"]
    assert QApplication.activeModalWidget() is None


def test_the_quarter_close_lists_overdue_reviews(qtbot, published, admin, corporate_id):
    from sqlalchemy import update

    from riskdesk.models import Assessment

    risk = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.7")
    with published.db.sessions.begin() as s:
        s.execute(update(Assessment).where(Assessment.id == risk.assessment_id)
                  .values(recorded_at=datetime.now() - timedelta(days=62)))
    window = _window(qtbot, published, admin)
    seen = {}

    def read(box):
        seen["text"] = box.text()
        box.reject()

    answers = DialogAnswers().queue(read)
    bar = window.menuBar()
    register = next(a for a in bar.actions() if a.text() == "Re&gister")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(register).center())
    qtbot.waitUntil(register.menu().isVisible)
    QTest.keyClick(register.menu(), Qt.Key.Key_Q)  # Close the &quarter…
    qtbot.waitUntil(lambda: "text" in seen)
    assert not answers.errors
    assert "1 risk(s) are overdue for review: 1.7" in seen["text"]


def test_internal_audit_builds_an_evidence_pack_from_the_reports_page(qtbot, published, admin, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from riskdesk.services.evidence import verify_pack
    from riskdesk.ui.reports.page import ReportsPage

    published.registers.add_user(admin, "auditor1", "Internal Auditor", "auditor")
    page = ReportsPage(published, Actor("auditor1"))
    qtbot.addWidget(page)
    page.show()
    presented = next(r for r in page.model.rows() if r.presented)
    page.select_cycle(presented.id)
    assert page.view.evidence_button.isEnabled()
    out = tmp_path / "pack"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    with qtbot.waitSignal(page.packed, timeout=120000) as packed:
        qtbot.mouseClick(page.view.evidence_button, Qt.MouseButton.LeftButton)
    result = packed.args[0]
    assert result.path == str(tmp_path / "pack.zip")
    check = verify_pack(result.path)
    print(f"evidence pack: {len(result.files)} files, {result.audit_entries} audit entries, verified {check.ok}")
    assert check.ok and check.files == len(result.files)
    assert "Evidence pack saved" in page.view.status_label.text()
    page.wait_for_idle()


def test_a_risk_owner_cannot_build_an_evidence_pack(qtbot, published, admin):
    from riskdesk.ui.reports.page import ReportsPage

    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    page = ReportsPage(published, Actor("owner1"))
    qtbot.addWidget(page)
    page.show()
    assert not page.view.evidence_button.isEnabled()


def test_the_provider_profile_prints_from_the_clinical_page(qtbot, services, admin, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    from riskdesk.ui.clinical.page import ClinicalPage
    from tests.conftest import FIXTURES

    services.clinical.load_published(admin, FIXTURES)
    page = ClinicalPage(services, admin, today=date(2025, 11, 20))
    qtbot.addWidget(page)
    page.show()
    _click_tab(qtbot, page.tabs, "Provider profile")
    provider = page.provider_combo.currentText()
    assert provider and page.quarter_combo.currentData() is not None
    out = tmp_path / "profile.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    with qtbot.waitSignal(page.printed, timeout=30000):
        qtbot.mouseClick(page.print_profile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Profile written to" in page.status.text(), timeout=5000)
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert page.quarter_combo.currentText() in text
