"""The FOI/EIR page and the request editor, driven with real key and mouse events."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from riskdesk.domain.foi import FoiDraft, Outcome, Regime
from riskdesk.domain.register import Actor
from riskdesk.services.foi import FoiService
from riskdesk.ui.foi.page import FoiPage

TODAY = date(2023, 4, 4)
LINK = Actor("cfs.link", "CFS link officer")


def _add(foi: FoiService, admin: Actor, received: date, depts: str, subject: str, **kw) -> int:
    d = foi.create(admin, FoiDraft(Regime.FOIA, received, depts, subject, requester_type="Business", **kw))
    return d.row.id


@pytest.fixture
def world(services, admin):
    foi = FoiService(services.ctx)
    _add(foi, admin, date(2023, 3, 6), "CFS", "Children in Care")  # due 4 Apr: due today
    _add(foi, admin, date(2023, 2, 1), "E&T", "Highways")  # overdue
    _add(foi, admin, date(2023, 3, 20), "CFS E&T", "School transport")  # due soon (19 Apr? on track)
    _add(foi, admin, date(2023, 2, 1), "CR", "Council tax", responded_on=date(2023, 2, 20), outcome=Outcome.FULL)
    return foi


@pytest.fixture
def page(qtbot, services, admin, world):
    w = FoiPage(services, admin, today=TODAY)
    qtbot.addWidget(w)
    w.show()
    return w


def test_tiles_count_and_filter_by_clock_band(qtbot, page):
    assert page.overdue_tile.text() == "Overdue\n1"
    assert page.due_today_tile.text() == "Due today\n1"
    assert page.model.rowCount() == 4
    qtbot.mouseClick(page.overdue_tile, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1
    assert page.model.row_at(0).subject == "Highways"
    qtbot.mouseClick(page.due_today_tile, Qt.MouseButton.LeftButton)
    assert [r.subject for r in page.model.rows()] == ["Children in Care"]


def test_typing_in_search_and_choosing_a_department_filters_the_list(qtbot, page):
    page.search_edit.setFocus()
    QTest.keyClicks(page.search_edit, "school")
    assert [r.subject for r in page.model.rows()] == ["School transport"]
    page.search_edit.clear()
    page.department_filter.setFocus()
    # The department combo: E&T matches both the E&T request and the MULTI one touching E&T.
    for _ in range(page.department_filter.findData("E&T")):
        QTest.keyClick(page.department_filter, Qt.Key.Key_Down)
    assert page.department_filter.currentData() == "E&T"
    assert sorted(r.subject for r in page.model.rows()) == ["Highways", "School transport"]
    assert page.shown_label.text() == "2 of 4 requests shown"


def test_new_request_typed_in_the_editor_gets_its_explained_due_date(qtbot, page, world, admin):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    ed = page.editor
    qtbot.waitUntil(ed.isVisible)
    ed.received.setDate(QDate(2023, 7, 3))
    ed.subject.setFocus()
    QTest.keyClicks(ed.subject, "Adult Social Care")
    qtbot.mouseClick(ed.department_checks["PH"], Qt.MouseButton.LeftButton)
    assert ed.due_label.text() == "Due: Tue 1 Aug 2023"
    assert "12 Jul 2023 — Battle of the Boyne (Northern Ireland)" in ed.why_text.toPlainText()
    with qtbot.waitSignal(ed.saved, timeout=3000):
        qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    rows = world.list(admin, today=TODAY)
    new = next(r for r in rows if r.subject == "Adult Social Care")
    assert (new.departments, new.due_on) == ("PH", date(2023, 8, 1))
    assert page.model.rowCount() == 5


def test_a_refusal_the_law_does_not_allow_is_explained_and_nothing_typed_is_lost(qtbot, page, world, admin):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    ed = page.editor
    ed.subject.setFocus()
    QTest.keyClicks(ed.subject, "Contracts")
    qtbot.mouseClick(ed.department_checks["CR"], Qt.MouseButton.LeftButton)
    ed.responded.check.setChecked(True)
    ed.outcome.setCurrentIndex(ed.outcome.findData(Outcome.REFUSED.value))
    ed.bases.setFocus()
    QTest.keyClicks(ed.bases, "s.12")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert "hours estimate" in ed.error_label.text() and "s.12" in ed.error_label.text()
    assert ed.isVisible() and ed.subject.text() == "Contracts"  # nothing lost
    ed.hours.setFocus()
    QTest.keyClicks(ed.hours, "30")
    with qtbot.waitSignal(ed.saved, timeout=3000):
        qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert any(r.subject == "Contracts" and r.outcome == Outcome.REFUSED for r in world.list(admin, today=TODAY))


def test_link_officer_sees_only_own_department_and_cannot_add(qtbot, services, admin, world, people):
    world.set_link_departments(admin, LINK.login, ["CFS"])
    w = FoiPage(services, LINK, today=TODAY)
    qtbot.addWidget(w)
    assert sorted(r.subject for r in w.model.rows()) == ["Children in Care", "School transport"]
    assert not w.new_button.isEnabled()


def test_a_role_without_foi_sees_why(qtbot, services, admin, world, people):
    w = FoiPage(services, Actor("owner", "Owner"), today=TODAY)
    qtbot.addWidget(w)
    assert w.denied and "may not view FOI and EIR requests" in w.denied_label.text()


def test_table_model_passes_the_model_tester(qtmodeltester, page):
    qtmodeltester.check(page.model)


def test_internal_review_added_from_the_editor_appears_with_its_due_date(qtbot, page, world, admin):
    rid = next(r.id for r in world.list(admin, today=TODAY) if r.subject == "Council tax")
    row = next(n for n, r in enumerate(page.model.rows()) if r.id == rid)
    page.table.selectRow(row)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    ed = page.editor
    qtbot.mouseClick(ed.add_review_button, Qt.MouseButton.LeftButton)
    form = ed.review_dialog
    form.requested.setDate(QDate(2023, 1, 10))  # before the response (20 Feb): refused, kept open
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert "before the response" in form.error_label.text() and form.isVisible()
    form.requested.setDate(QDate(2023, 5, 10))
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert ed.casework.rowCount() == 1
    assert ed.casework.index(0, 2).data() == "08 Jun 2023"


def test_an_imported_request_is_found_by_its_export_reference_and_shows_it(qtbot, services, admin, world):
    """An officer holding the iCasework number finds the request by it, and the editor says which it was."""
    world.import_requests(admin, [(FoiDraft(Regime.EIR, date(2023, 3, 27), "E&T", "Air quality"), None)],
                          ["ICW-2023-0412"])
    page = FoiPage(services, admin, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    page.search_edit.setFocus()
    QTest.keyClicks(page.search_edit, "icw-2023-0412")
    assert [r.subject for r in page.model.rows()] == ["Air quality"]
    page.table.selectRow(0)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.editor.isVisible)
    assert page.editor.reference_label.text() == "FOI-2023-00005 (export: ICW-2023-0412)"
