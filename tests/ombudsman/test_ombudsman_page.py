"""The Ombudsman page with real key and mouse events: a new case typed in, the due-in-N-days filter and
the overdue band, a decision chosen from the Ombudsman's list, a refused payment shown and nothing lost,
and the self-assessment started, edited and frozen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView, QWidget

from riskdesk.domain.ombudsman import CaseDraft
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.kit.table_model import ROW_ROLE
from riskdesk.ui.ombudsman.page import OmbudsmanPage

TODAY = date(2024, 5, 24)


@pytest.fixture
def page(qtbot, services: Services, team: Actor) -> OmbudsmanPage:
    om = services.ombudsman
    om.create_case(team, CaseDraft("24 001 001", "CFS", date(2024, 5, 1), date(2024, 5, 29)))
    om.create_case(team, CaseDraft("24 001 002", "A&C", date(2024, 5, 2), date(2024, 7, 1)))
    om.create_case(team, CaseDraft("24 001 003", "E&T", date(2024, 4, 2), date(2024, 4, 30)))
    p = OmbudsmanPage(services, team, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1400, 900)
    p.show()
    qtbot.waitExposed(p)
    return p


def _click_row(qtbot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _type(widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)


def _refs(page: OmbudsmanPage) -> list[str]:
    return [page.model.index(i, 0).data() for i in range(page.model.rowCount())]


def test_due_filter_and_overdue_band(qtbot, page: OmbudsmanPage, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    assert len(_refs(page)) == 3
    qtbot.mouseClick(page.due_only, Qt.MouseButton.LeftButton, pos=QPoint(5, page.due_only.height() // 2))
    assert sorted(_refs(page)) == ["24 001 001", "24 001 003"]  # due in 10 days, and the overdue one
    assert "1 overdue" in page.count_label.text()
    page.due_days.setFocus()
    page.due_days.selectAll()
    QTest.keyClicks(page.due_days, "0")
    assert _refs(page) == ["24 001 003"]
    late = page.model.index(0, 5)
    assert late.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f4c7c3"  # the overdue band


def test_new_case_typed_in_then_a_decision_and_a_refused_payment(qtbot, page: OmbudsmanPage,
                                                                 services: Services, team: Actor) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.new_dialog
    qtbot.waitExposed(dialog)
    _type(dialog.reference, "24 002 777")
    _type(dialog.first_enquiry, "2024-05-10")
    _type(dialog.reply_due, "2024-06-07")
    _type(dialog.service_group, "Education & SEND")
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "24 002 777" in _refs(page)
    assert page.detail is not None and page.detail.row.reference == "24 002 777"
    assert "due: Fri 7 Jun 2024" in page.why_text.toPlainText()

    # The decision is chosen from the Ombudsman's categories with the keyboard.
    page.decision_combo.setFocus()
    QTest.keyClick(page.decision_combo, Qt.Key.Key_End)
    assert page.decision_combo.currentText() == "Upheld – satisfactory remedy provided by the council"
    QTest.keyClick(page.decision_combo, Qt.Key.Key_Up)
    QTest.keyClick(page.decision_combo, Qt.Key.Key_Up)
    _type(page.decision_date, "2024-05-20")
    qtbot.mouseClick(page.decision_button, Qt.MouseButton.LeftButton)
    assert page.detail.row.decision is not None
    assert page.detail.row.decision.label == "Upheld – fault and injustice"

    # £5,001 approved without the Chair's consultation: refused, shown, and the amount stays typed.
    _type(page.amount_edit, "5,001")
    _type(page.approved_edit, "2024-05-22")
    qtbot.mouseClick(page.remedy_button, Qt.MouseButton.LeftButton)
    assert "Chair of the Corporate Governance Committee" in page.message.text()
    assert page.amount_edit.text() == "5,001"
    stored = services.ombudsman.get(team, page.detail.row.id).remedies
    print("payments over £5,000 stored without the Chair's consultation:", len(stored))
    assert stored == ()
    _type(page.chair_edit, "2024-05-21")
    qtbot.mouseClick(page.remedy_button, Qt.MouseButton.LeftButton)
    assert [m.amount_pence for m in page.detail.remedies] == [500_100]


def test_self_assessment_started_edited_frozen_and_printed(qtbot, page: OmbudsmanPage, tmp_path: Path) -> None:
    page.tabs.setCurrentIndex(1)
    QTest.keyClick(page.sa_year, Qt.Key.Key_Down)  # 2023/24, the draft Code's template (2024/25 is the final's)
    assert page.sa_status.text() == "Not started"
    qtbot.mouseClick(page.sa_start_button, Qt.MouseButton.LeftButton)
    assert page.sa_model.rowCount() == 72
    row = next(i for i in range(72) if page.sa_model.index(i, 0).data() == "6.8")
    page.sa_table.scrollTo(page.sa_model.index(row, 0))
    _click_row(qtbot, page.sa_table, row)
    assert "enforced by riskdesk" in page.sa_evidence.toPlainText()
    page.sa_comply.setFocus()
    QTest.keyClick(page.sa_comply, Qt.Key.Key_Down)  # "Yes"
    qtbot.mouseClick(page.sa_save_button, Qt.MouseButton.LeftButton)
    assert page.sa_model.index(row, 2).data() == "Yes"
    qtbot.mouseClick(page.sa_present_button, Qt.MouseButton.LeftButton)
    assert page.sa_status.text().endswith("frozen")
    assert not page.sa_save_button.isEnabled()
    out = page.print_assessment(str(tmp_path / "sa.pdf"))
    assert out is not None and out.stat().st_size > 0


def test_a_role_without_complaints_sees_no_cases(qtbot, services: Services, admin: Actor) -> None:
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    p = OmbudsmanPage(services, Actor("owner"), today=TODAY)
    qtbot.addWidget(p)
    assert not p.tabs.isEnabled()
    assert "may not view Ombudsman cases" in p.message.text()
    assert p.model.rowCount() == 0 and ROW_ROLE


def test_header_click_sorts_and_the_filter_keeps_the_order(qtbot, page: OmbudsmanPage) -> None:
    header = page.table.horizontalHeader()
    assert _refs(page) == ["24 001 002", "24 001 001", "24 001 003"]  # newest enquiry first
    x = header.sectionViewportPosition(3) + header.sectionSize(3) // 2  # "Reply due"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    order = _refs(page)
    assert order in (["24 001 003", "24 001 001", "24 001 002"], ["24 001 002", "24 001 001", "24 001 003"])
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert _refs(page) == list(reversed(order))
    before = _refs(page)
    _type(page.search_edit, "24 001 00")
    assert _refs(page) == before


def test_a_stale_save_keeps_what_was_typed_and_the_second_press_applies_it(qtbot, page: OmbudsmanPage,
                                                                             services: Services, team: Actor) -> None:
    row = next(i for i in range(page.model.rowCount()) if page.model.index(i, 0).data() == "24 001 001")
    _click_row(qtbot, page.table, row)
    opened = page.detail
    # Someone else agrees an extension after this page opened the case.
    services.ombudsman.agree_extension(team, opened.row.id, new_due=date(2024, 6, 12), reason="Agreed by phone",
                                       agreed_on=date(2024, 5, 20), expected_version=opened.row.version)
    _type(page.complaint_edit, "CC-2024-0099")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "was changed by someone else" in page.message.text()
    assert page.complaint_edit.text() == "CC-2024-0099"  # nothing typed is lost
    assert "Agreed by phone" in page.why_text.toPlainText()  # their change is shown
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = services.ombudsman.get(team, opened.row.id)
    assert saved.draft.complaint_ref == "CC-2024-0099" and saved.row.reply_due_on == date(2024, 6, 12)


def test_the_report_prints_from_the_page_for_the_chosen_year(qtbot, fx_lcc: Services, team: Actor,
                                                             tmp_path: Path) -> None:
    from ombudsman_helpers import pdf_text

    p = OmbudsmanPage(fx_lcc, team, today=date(2024, 8, 1))
    qtbot.addWidget(p)
    p.report_year.setFocus()
    QTest.keyClick(p.report_year, Qt.Key.Key_Down)  # from 2024/25 to 2023/24
    assert p.report_year.currentText() == "2023/24"
    out = p.print_report(str(tmp_path / "lgsco.pdf"))
    assert out is not None
    assert "saved to" in p.message.text() and "83 new enquiries, 82 decisions" in p.message.text()
    assert "Total compensation payments recommended by the Ombudsman this year amounted to £27,222.15" in pdf_text(
        str(out))


def test_a_report_named_without_its_ending_is_saved_as_what_it_is(qtbot, page: OmbudsmanPage, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, the file dialog's answer was written as given: a PDF in "lgsco" or "lgsco.txt", which
    nothing opens as a PDF (the dialogs do not add the ending on every platform)."""
    from PySide6.QtWidgets import QFileDialog

    tmp_path = tmp_path / "reports"
    tmp_path.mkdir()
    answers = iter([str(tmp_path / "lgsco"), str(tmp_path / "notes.txt"), str(tmp_path / "lgsco.DOCX"),
                    str(tmp_path / "sa")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (next(answers), "")))
    for _ in range(3):
        qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.sa_print_button, Qt.MouseButton.LeftButton)
    written = sorted(f.name for f in tmp_path.iterdir())
    print(f"files written from the answers lgsco, notes.txt, lgsco.DOCX and sa: {written}")
    assert written == ["lgsco.DOCX", "lgsco.pdf", "notes.txt.pdf", "sa.pdf"]
    assert (tmp_path / "lgsco.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "sa.pdf").read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "lgsco.DOCX").read_bytes().startswith(b"PK")  # Word, as its name says


def test_every_field_has_a_name_a_screen_reader_can_read(page: OmbudsmanPage) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QFormLayout,
        QLineEdit,
        QPlainTextEdit,
        QSpinBox,
        QTabBar,
    )

    labelled = set()
    for form in page.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if field is not None and field.widget() is not None:
                labelled.add(id(field.widget()))
    unnamed = [w.objectName() or type(w).__name__ for w in page.findChildren(QWidget)
               if isinstance(w, QLineEdit | QComboBox | QPlainTextEdit | QSpinBox | QAbstractButton)
               and w.parent() is not None and not isinstance(w.parent(), QSpinBox | QComboBox | QLineEdit | QTabBar)
               and not w.objectName().startswith("qt_")  # Qt's own parts (corner buttons, scrollers)
               and not (w.accessibleName() or id(w) in labelled
                        or (isinstance(w, QAbstractButton) and w.text()))]
    print("unnamed interactive widgets on the Ombudsman page:", len(unnamed), unnamed)
    assert unnamed == []
