"""The Clinical governance page: record audits, re-audits, visits and PGDs as a user would."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from riskdesk.domain.clinical import AuditKind, AuditStatus, PgdDraft, Rag, WarningLevel
from riskdesk.domain.quarters import Quarter
from riskdesk.ui.clinical.dialogs import AuditDialog, PgdDialog, VisitDialog
from riskdesk.ui.clinical.page import ClinicalPage
from riskdesk.ui.clinical.table_models import ROW_ROLE, ActionTableModel
from tests.conftest import FIXTURES

TODAY = date(2026, 1, 12)  # a Monday


@pytest.fixture
def service(services, admin):
    p = services.providers.add_provider(admin, "Turning Point", "")
    return services.providers.add_service(admin, p.id, "Integrated Substance Misuse Treatment Service")


@pytest.fixture
def page(qtbot, services, admin, service):
    w = ClinicalPage(services, admin, today=TODAY)
    qtbot.addWidget(w)
    w.resize(1280, 760)
    w.show()
    return w


def _select(table, row):
    table.selectRow(row)
    assert table.selectionModel().selectedRows()


def test_record_an_audit_then_its_reaudit_and_undo(page, services, admin, qtmodeltester, qtbot):
    page.new_audit_button.click()
    dialog = page.editor
    assert isinstance(dialog, AuditDialog)
    dialog.quarter_edit.setText("25/26 Q2")
    dialog.title_edit.setText("NICE NG135 alcohol withdrawal prescribing")
    dialog.standard_combo.setCurrentText("NICE")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText(AuditStatus.COMPLETE.label))
    dialog.rag_combo.setCurrentIndex(dialog.rag_combo.findText("Amber"))
    dialog.findings_edit.setPlainText("82% of charts met the standard.")
    dialog.reaudit_due_edit.set_value(date(2025, 12, 31))
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    [audit] = services.clinical.list_audits(admin)
    assert (audit.quarter, audit.standard_body, audit.rag) == (Quarter(2025, 2), "NICE", Rag.AMBER)
    assert page.audit_model.rowCount() == 1
    assert "re-audits due: 1" in page.strip_counts.text()
    qtmodeltester.check(page.audit_model)

    _select(page.audit_table, 0)
    page.new_reaudit_button.click()
    re = page.editor
    assert re.kind_combo.currentText() == "Re-audit" and re.previous_combo.currentData() == audit.id
    assert re.quarter_edit.text() == "25/26 Q3"  # the quarter the re-audit is due
    with qtbot.waitSignal(re.saved):
        re.save_button.click()
    audits = services.clinical.list_audits(admin)
    assert [a.kind for a in audits] == [AuditKind.AUDIT, AuditKind.RE_AUDIT]
    assert audits[1].previous_audit_id == audit.id
    assert "re-audits due: 0" in page.strip_counts.text()
    page.undo_button.click()  # undo goes through the service
    assert len(services.clinical.list_audits(admin)) == 1
    page.redo_button.click()
    assert len(services.clinical.list_audits(admin)) == 2


def test_a_refused_value_is_explained_and_nothing_typed_is_lost(page, services, admin):
    page.new_audit_button.click()
    dialog = page.editor
    dialog.quarter_edit.setText("25/26 Q5")
    dialog.title_edit.setText("Chlamydia management")
    dialog.save_button.click()
    assert "Quarter" in dialog.message.text() and "23/24 Q3" in dialog.message.text()
    assert dialog.isVisible() and dialog.title_edit.text() == "Chlamydia management"
    # (An impossible date such as 31/02/2026 cannot be entered at all: the date field is a
    # picker; tests/ui/test_fields.py types one.)
    assert services.clinical.list_audits(admin) == []


def test_quality_visit_with_actions(page, services, admin, qtbot, qtmodeltester):
    page.tabs.setCurrentIndex(1)
    page.new_visit_button.click()
    dialog = page.editor
    assert isinstance(dialog, VisitDialog)
    dialog.planned_edit.set_value(date(2025, 11, 10))
    dialog.actual_edit.set_value(date(2025, 11, 12))
    dialog.visitors_edit.setText("Head of Integration")
    dialog.rag_combo.setCurrentIndex(dialog.rag_combo.findText("Green"))
    dialog.outcome_edit.setPlainText("Service delivery in line with specification.")
    dialog.next_due_edit.set_value(date(2026, 11, 1))
    actions: ActionTableModel = dialog.actions.model
    qtmodeltester.check(actions)
    for text in ("Update lone-working policy", "Share audit calendar"):
        dialog.actions.add_button.click()
        row = actions.rowCount() - 1
        actions.setData(actions.index(row, 0), text)
        actions.setData(actions.index(row, 1), "Service manager")
        actions.setData(actions.index(row, 2), "01/12/2025")
    problems = []
    actions.problem.connect(problems.append)
    assert not actions.setData(actions.index(0, 3), "yesterday")
    assert problems == ["Action 1, done: “yesterday” is not a date like 31/01/2026"]
    actions.setData(actions.index(0, 3), "28/11/2025")
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    [visit] = services.clinical.list_visits(admin)
    assert [a.done for a in visit.actions] == [date(2025, 11, 28), None]
    assert visit.actions_complete is False and visit.rag is Rag.GREEN
    assert page.visit_model.index(0, 6).data() == "1 of 2 done"
    assert "overdue actions: 1" in page.strip_counts.text()  # due 01/12/2025, open on 12/01/2026
    qtmodeltester.check(page.visit_model)

    _select(page.visit_table, 0)
    page.edit_visit_button.click()
    edit = page.editor
    edit.actions.model.setData(edit.actions.model.index(1, 3), "05/01/2026")
    with qtbot.waitSignal(edit.saved):
        edit.save_button.click()
    assert services.clinical.list_visits(admin)[0].actions_complete is True
    assert page.visit_model.index(0, 6).data() == "All completed"


def _pick(field, day: date) -> None:
    """What a user does: tick "known", then choose the day (the calendar popup sets the date edit)."""
    from PySide6.QtCore import QDate

    if field.check is not None and not field.check.isChecked():
        field.check.click()
    field.edit.setDate(QDate(day.year, day.month, day.day))


def test_pgd_nearing_expiry_shows_on_the_dashboard_strip(page, services, admin, service, qtbot, qtmodeltester):
    assert "no review or expiry within 90 days" in page.pgd_warning_label.text()
    page.tabs.setCurrentIndex(2)
    page.new_pgd_button.click()
    dialog = page.editor
    assert isinstance(dialog, PgdDialog)
    dialog.name_edit.setText("Naloxone <take-home> & kit")
    dialog.medicine_edit.setText("Naloxone")
    dialog.issued_edit.set_value(date(2024, 2, 1))
    _pick(dialog.review_edit, date(2026, 1, 15))
    _pick(dialog.expiry_edit, date(2026, 2, 1))  # a Sunday: the Friday before is 30/01
    assert "Review due" not in dialog.warning.text() and "Expires in 20 days" in dialog.warning.text()
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    strip = page.pgd_warning_label.text()
    assert "Naloxone &lt;take-home&gt; &amp; kit" in strip and "expires in 20 days" in strip
    row = page.pgd_model.index(0, 0).data(ROW_ROLE)
    assert row.alert(TODAY).level is WarningLevel.DAYS_30
    assert page.pgd_model.index(0, 8).data().startswith("Expires in 20 days")
    qtmodeltester.check(page.pgd_model)

    # An expired PGD is flagged in the list (colour and text), on the strip and in the profile.
    services.clinical.add_pgd(admin, PgdDraft(service.id, "Old PGD", expiry=date(2026, 1, 9)))
    page.reload()
    expired = next(i for i in range(page.pgd_model.rowCount()) if page.pgd_model.index(i, 0).data() == "Old PGD")
    assert page.pgd_model.index(expired, 7).data() == "EXPIRED"
    assert page.pgd_model.index(expired, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#c00000"
    assert "1 EXPIRED" in page.pgd_warning_label.text()
    page.tabs.setCurrentIndex(4)
    profile = page.profile_view.toPlainText()
    assert "EXPIRED on 09/01/2026" in profile and "EXPIRED – EXPIRED" not in profile
    assert "Serious incidents: 0 this quarter" in profile  # counted from the SI log


def test_stale_edit_offers_to_reload(page, services, admin, service, qtbot):
    g = services.clinical.add_pgd(admin, PgdDraft(service.id, "Buprenorphine", expiry=date(2027, 1, 1)))
    page.reload()
    page.tabs.setCurrentIndex(2)
    _select(page.pgd_table, 0)
    page.edit_pgd_button.click()
    dialog = page.editor
    services.clinical.update_pgd(admin, g.id, PgdDraft(service.id, "Buprenorphine (v2)", expiry=date(2027, 1, 1)),
                                 expected_version=g.version)
    asked = []
    dialog.confirm_reload = lambda text: asked.append(text) or True
    dialog.version_edit.setText("v3")
    dialog.save_button.click()
    assert asked and "changed by someone else" in dialog.message.text()
    assert dialog.name_edit.text() == "Buprenorphine (v2)"  # reloaded: theirs is shown
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()


def test_assurance_summary_edits_save_and_undo(qtbot, services, admin, qtmodeltester):
    services.clinical.load_published(admin, FIXTURES)
    page = ClinicalPage(services, admin, today=TODAY)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(3)
    model = page.assurance_model
    assert model.rowCount() == 23
    qtmodeltester.check(model)
    original = model.index(22, 2).data()
    assert model.setData(model.index(22, 2), "No CQC actions.")
    [summary] = services.clinical.list_summaries(admin)
    assert summary.lines[22].assurance == "No CQC actions."
    page.assurance_table.setCurrentIndex(model.index(22, 0))
    page.add_line_button.click()
    assert len(services.clinical.list_summaries(admin)[0].lines) == 24
    page.undo_stack.undo()
    page.undo_stack.undo()
    lines = services.clinical.list_summaries(admin)[0].lines
    assert len(lines) == 23 and lines[22].assurance == original


def test_the_page_is_a_tab_of_the_main_window(qtbot, published, admin):
    from riskdesk.ui.main_window import MainWindow

    w = MainWindow(published, admin)
    qtbot.addWidget(w)
    page = w.page("Clinical governance")
    assert isinstance(page, ClinicalPage)


def test_read_only_role_cannot_edit(qtbot, services, admin, service):
    from riskdesk.domain.register import Actor

    services.registers.add_user(admin, "ia", "Internal Audit", role="auditor")
    page = ClinicalPage(services, Actor("ia"), today=TODAY)
    qtbot.addWidget(page)
    assert not page.new_audit_button.isEnabled() and not page.assurance_model.editable
    assert page.export_audits_button.isEnabled()


def test_delete_asks_and_undo_brings_back_but_not_over_someone_elses_change(page, services, admin, service):
    services.clinical.add_pgd(admin, PgdDraft(service.id, "Methadone", expiry=date(2027, 1, 1)))
    page.reload()
    page.tabs.setCurrentIndex(2)
    asked = []
    page.confirm = lambda text: asked.append(text) or True
    _select(page.pgd_table, 0)
    page.delete_pgd_button.click()
    assert asked == ["Delete the PGD “Methadone”? You can undo this."]
    assert services.clinical.list_pgds(admin) == []
    page.undo_button.click()
    [back] = services.clinical.list_pgds(admin)
    assert back.name == "Methadone"
    services.clinical.update_pgd(admin, back.id, PgdDraft(service.id, "Methadone 1mg/ml", expiry=date(2027, 1, 1)),
                                 expected_version=back.version)
    page.redo_button.click()  # would delete their newer version: refused, with a message
    assert [g.name for g in services.clinical.list_pgds(admin)] == ["Methadone 1mg/ml"]
    assert "changed by someone else" in page.status.text()


def test_print_appendix_runs_in_the_background_and_writes_a_pdf(page, services, admin, service, qtbot, tmp_path,
                                                               monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from riskdesk.domain.clinical import AuditDraft

    services.clinical.add_audit(admin, AuditDraft(service.id, Quarter(2025, 2), "NICE NG135 <alcohol> & withdrawal"))
    page.reload()
    out = tmp_path / "appendix.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    with qtbot.waitSignal(page.printed, timeout=20000) as blocker:
        page.print_appendix_button.click()
        assert not page.print_appendix_button.isEnabled()  # one print at a time while it runs
    assert blocker.args == [out]
    qtbot.waitUntil(lambda: "Appendix written to" in page.status.text(), timeout=5000)
    assert out.read_bytes().startswith(b"%PDF") and page.print_appendix_button.isEnabled()

    # A file that cannot be written: the status line says so, and nothing else breaks.
    (tmp_path / "a file").write_text("not a folder")
    bad = tmp_path / "a file" / "appendix.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(bad), "PDF (*.pdf)"))
    page.print_appendix_button.click()
    qtbot.waitUntil(lambda: "Could not write" in page.status.text(), timeout=20000)
    assert not bad.exists() and page.print_appendix_button.isEnabled()


def test_print_schedule_and_summary_in_the_background(qtbot, services, admin, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    services.clinical.load_published(admin, FIXTURES)
    page = ClinicalPage(services, admin, today=TODAY)
    qtbot.addWidget(page)
    for button, name, done in ((page.print_schedule_button, "pgds.pdf", "Schedule written to"),
                               (page.print_summary_button, "summary.pdf", "Summary written to")):
        out = tmp_path / name
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, o=out, **k: (str(o), "PDF (*.pdf)"))
        button.click()
        qtbot.waitUntil(lambda d=done: d in page.status.text(), timeout=20000)
        assert out.read_bytes().startswith(b"%PDF")


def test_a_pdf_named_without_its_ending_is_saved_as_a_pdf(qtbot, services, admin, tmp_path, monkeypatch):
    """Before, "pgds" or "pgds.docx" from the dialog got a PDF under that very name."""
    from PySide6.QtWidgets import QFileDialog

    services.clinical.load_published(admin, FIXTURES)
    page = ClinicalPage(services, admin, today=TODAY)
    qtbot.addWidget(page)
    out = tmp_path / "printed"
    out.mkdir()
    for answer, expected in (("pgds", "pgds.pdf"), ("pgds.docx", "pgds.docx.pdf")):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, n=answer, **k: (str(out / n), "PDF (*.pdf)"))
        qtbot.mouseClick(page.print_schedule_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda e=expected: f"Schedule written to {out / e}" in page.status.text(), timeout=20000)
        assert (out / expected).read_bytes().startswith(b"%PDF")
    print(f"files written: {sorted(p.name for p in out.iterdir())}")
    assert sorted(p.name for p in out.iterdir()) == ["pgds.docx.pdf", "pgds.pdf"]
