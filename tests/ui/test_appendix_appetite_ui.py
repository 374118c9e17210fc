"""Appendix wording ▸ the appetite mark: ticked with the mouse or the keyboard, it prints in the next draft."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt

from riskdesk.reports.appendix_appetite import KEY, MARK
from riskdesk.ui.reports.page import ReportsPage
from tests.conftest import needs_pdftotext


def _open(qtbot, services, actor):
    page = ReportsPage(services, actor)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.view.wording_button, Qt.MouseButton.LeftButton)
    dialog = page.wording_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    return page, dialog


def _draft_text(services, admin) -> str:
    draft = next(c.id for c in services.cycles.list(admin) if c.status != "presented")
    buffer = io.BytesIO()
    services.cycles.write_appendix(admin, draft, buffer, fmt="pdf")
    needs_pdftotext()
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=buffer.getvalue(), capture_output=True,
                          check=True).stdout.decode("utf-8")


def _appetite_everywhere(services, admin) -> None:
    scheme = services.scheme.current(admin)
    reg = services.registers.corporate_register(admin)
    categories = sorted({r.category for r in services.governance.register_view(admin, reg.id) if r.category})
    services.scheme.save(admin, replace(
        scheme, appetite_levels=(("averse", 4), ("minimal", 6), ("cautious", 10), ("open", 15), ("eager", 20)),
        category_appetite=tuple((name, "open") for name in categories)))


def test_tick_the_appetite_mark_save_and_the_next_draft_prints_it(qtbot, published, admin):
    _appetite_everywhere(published, admin)
    assert MARK not in _draft_text(published, admin)
    _page, dialog = _open(qtbot, published, admin)
    box = dialog.appetite_check
    assert "&" in box.text() and box.accessibleName() and box.toolTip()
    assert not box.isChecked() and box.isEnabled()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert published.scheme.appendix_appetite_mark(admin)
    text = _draft_text(published, admin)
    marks = text.count(MARK) - 1
    print(f"draft appendix after ticking the box: {marks} score(s) marked {MARK}")
    assert marks > 0
    assert " ".join(f"{MARK} = {KEY}".split()) in " ".join(text.split())

    # Opened again it shows the switch on; the keyboard (Space on the box) switches it off.
    _page, again = _open(qtbot, published, admin)
    assert again.appetite_check.isChecked()
    again.appetite_check.setFocus()
    qtbot.keyClick(again.appetite_check, Qt.Key.Key_Space)
    assert not again.appetite_check.isChecked()
    with qtbot.waitSignal(again.saved):
        qtbot.keyClick(again.save_button, Qt.Key.Key_Space)
    assert not published.scheme.appendix_appetite_mark(admin)
    assert MARK not in _draft_text(published, admin)


def test_cancel_leaves_the_switch_as_it_was(qtbot, published, admin):
    _page, dialog = _open(qtbot, published, admin)
    qtbot.mouseClick(dialog.appetite_check, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.appetite_check.height() // 2))
    assert dialog.appetite_check.isChecked()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.appetite_check, Qt.Key.Key_Escape)
    assert not published.scheme.appendix_appetite_mark(admin)


def test_a_role_that_may_not_change_the_wording_sees_the_switch_read_only(qtbot, published, admin):
    from riskdesk.domain.register import Actor

    published.cycles.set_wording(admin, appetite_mark=True)
    published.registers.add_user(admin, "audit", "Ann Auditor", role="auditor")
    _page, dialog = _open(qtbot, published, Actor("audit"))
    box = dialog.appetite_check
    assert box.isChecked() and not box.isEnabled()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() and published.scheme.appendix_appetite_mark(admin)
