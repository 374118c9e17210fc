"""Ordinary screen sizes: what the register shows at 1280×800 and 1100×700, and dialogs whose titles,
labels and headers are not cut."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from riskdesk.domain.register import Actor
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.table_model import Col
from tests.ui.uihelpers import DialogAnswers, click_risk

TODAY = date(2026, 11, 20)
ESSENTIAL = [Col.REF, Col.DEPARTMENTS, Col.DESCRIPTION, Col.CURRENT_I, Col.CURRENT_L, Col.CURRENT, Col.TARGET_I,
             Col.TARGET_L, Col.TARGET, Col.DIRECTION]


@pytest.fixture
def demo(services, admin):
    services.demo().load(admin, today=TODAY)
    return services


def _window(qtbot, services, actor: Actor, size: tuple[int, int]) -> MainWindow:
    w = MainWindow(services, actor, background=False)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def _clipped_columns(w: MainWindow) -> list[str]:
    table = w.register_page.table
    header = table.horizontalHeader()
    width = table.viewport().width()
    return [c.name for c in ESSENTIAL
            if header.isSectionHidden(c) or header.sectionViewportPosition(c) < 0
            or header.sectionViewportPosition(c) + header.sectionSize(c) > width]


@pytest.mark.parametrize("size", [(1280, 800), (1100, 700)])
def test_the_register_shows_scores_and_direction_beside_the_editor(qtbot, demo, admin, size):
    w = _window(qtbot, demo, admin, size)
    click_risk(qtbot, w, w.register_page.model.row_at(0).ref)
    QApplication.processEvents()
    clipped = _clipped_columns(w)
    print(f"{size[0]}×{size[1]}: essential columns clipped: {len(clipped)} {clipped}")
    assert clipped == []
    editor = w.register_page.editor
    # the editor fits: its matrices are not squeezed below what they need
    assert editor.width() >= editor.minimumSizeHint().width()
    assert editor.current_matrix.width() >= editor.current_matrix.minimumSizeHint().width()


def test_the_description_tooltip_wraps(demo, admin, qtbot):
    w = _window(qtbot, demo, admin, (1280, 800))
    model = w.register_page.model
    tip = model.index(0, Col.DESCRIPTION).data(Qt.ItemDataRole.ToolTipRole)
    assert QtGui.mightBeRichText(tip)  # rich text tooltips wrap; plain text runs off the screen as one line


def test_the_register_choice_counts_a_risk_added(qtbot, demo, admin):
    w = _window(qtbot, demo, admin, (1280, 800))
    before = w.register_combo.currentText()
    n = int(before.rsplit("(", 1)[1].rstrip(")"))

    def fill(dialog: QWidget) -> None:
        dialog.description_edit.setPlainText("If the new depot is late, then bin rounds will be missed.")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    answers = DialogAnswers().queue(fill)
    w.register_page.add_risk()
    assert not answers.errors
    assert w.register_combo.currentText().endswith(f"({n + 1})"), w.register_combo.currentText()


def _elided(root: QWidget) -> list[str]:
    """Labels and buttons whose text is wider than the widget showing it."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel) and not w.wordWrap() and w.text() and not QtGui.mightBeRichText(w.text()):
            text = w.text().replace("&", "") if w.buddy() is not None else w.text()
            if w.fontMetrics().horizontalAdvance(text) > w.contentsRect().width():
                out.append(f"label {w.text()!r}")
        elif isinstance(w, QAbstractButton) and w.text() and \
                w.fontMetrics().horizontalAdvance(w.text().replace("&", "")) > w.width():
            out.append(f"button {w.text()!r}")
        if isinstance(w, QLabel) and "&" in w.text() and w.buddy() is None and not QtGui.mightBeRichText(w.text()):
            out.append(f"literal ampersand in {w.text()!r}")
    return out


def test_dialogs_show_whole_titles_labels_and_headers(qtbot, demo, admin):
    w = _window(qtbot, demo, admin, (1100, 700))
    reports = w.page("Reports")
    dialog = reports.new_cycle()
    qtbot.waitExposed(dialog)
    problems = _elided(dialog)
    title_width = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) + 120  # title bar buttons
    if dialog.width() < title_width:
        problems.append("new-cycle title")
    placeholder = dialog.title.placeholderText()
    if dialog.title.fontMetrics().horizontalAdvance(placeholder) > dialog.title.contentsRect().width() - 8:
        problems.append(f"new-cycle default title cut: {placeholder!r}")
    dialog.reject()

    from riskdesk.ui.importing.export_dialog import ExportDialog

    export = ExportDialog(w)
    qtbot.addWidget(export)
    export.show()
    qtbot.waitExposed(export)
    problems += _elided(export)
    export.close()

    w.tabs.setCurrentWidget(w.register_page)
    answers = DialogAnswers().queue(lambda d: problems.extend(_header_cuts(d)) or d.accept())
    bar = w.menuBar()
    item = next(a for a in bar.actions() if a.text() == "Re&gister")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(item).center())
    qtbot.waitUntil(item.menu().isVisible)
    qtbot.keyClick(item.menu(), Qt.Key.Key_M)  # Re&moved risks…
    qtbot.waitUntil(lambda: len(answers.seen) == 1)
    assert not answers.errors
    print(f"cut titles, labels or headers: {len(problems)} {problems}")
    assert problems == []


def _header_cuts(dialog: QWidget) -> list[str]:
    header = dialog.table.horizontalHeader()
    model = dialog.table.model()
    cuts = []
    for col in range(model.columnCount()):
        text = model.headerData(col, Qt.Orientation.Horizontal)
        if header.sectionSizeFromContents(col).width() > header.sectionSize(col):
            cuts.append(f"header {text!r}")
    return cuts


@pytest.mark.parametrize("size", [(1280, 800), (1100, 700)])
def test_no_register_header_is_elided(qtbot, demo, admin, size):
    """ "Current" and "Target" read in full, not "Curre…": each title's text and the header's margins (and
    the sort arrow's room on the column sorted by) fit its section. At 1100×700 the direction's words are
    meant to elide before any score hides, so only the other titles are checked there."""
    from riskdesk.ui.register.page_parts import header_text_width

    w = _window(qtbot, demo, admin, size)
    click_risk(qtbot, w, w.register_page.model.row_at(0).ref)
    QApplication.processEvents()
    header = w.register_page.table.horizontalHeader()
    model = header.model()
    elided = [f"{model.headerData(c, Qt.Orientation.Horizontal)!r} needs {header_text_width(header, c)} px, "
              f"has {header.sectionSize(c)}"
              for c in range(model.columnCount())
              if not header.isSectionHidden(c) and header_text_width(header, c) > header.sectionSize(c)
              and (size == (1280, 800) or c not in (Col.DIRECTION, Col.DESCRIPTION))]
    print(f"{size[0]}×{size[1]}: register headers elided: {len(elided)} {elided}")
    assert elided == []


def test_widths_that_cannot_be_restored_are_fitted_to_the_titles(qtbot, demo, admin):
    """Column widths are fitted to their titles only when none are remembered (asking the style for its
    metrics costs every start); widths remembered but unreadable (a file from another version, a bad
    write) count as none: each column as wide as on a first run (the description fitted to the window
    too), not Qt's 100 px for all."""
    from PySide6.QtCore import QByteArray

    from riskdesk.ui.kit.settings import WindowState

    def widths(w: MainWindow) -> dict[str, int]:
        header = w.register_page.table.horizontalHeader()
        return {c.name: header.sectionSize(c) for c in Col}

    first_run = widths(_window(qtbot, demo, admin, (1280, 800)))
    state = WindowState("MainWindow")
    state.set_header("register", QByteArray(b"not a header's state"))
    state.sync()
    unreadable = widths(_window(qtbot, demo, admin, (1280, 800)))
    differ = {name: (first_run[name], unreadable[name]) for name in first_run if first_run[name] != unreadable[name]}
    print(f"columns sized unlike a first run after an unreadable remembered header: {len(differ)} {differ}")
    assert differ == {}


def test_remembered_widths_are_kept_as_the_user_left_them(qtbot, demo, admin):
    first = _window(qtbot, demo, admin, (1280, 800))
    first.register_page.table.horizontalHeader().resizeSection(Col.OWNER, 311)
    first.close()
    again = _window(qtbot, demo, admin, (1280, 800))
    assert again.register_page.table.horizontalHeader().sectionSize(Col.OWNER) == 311


@pytest.mark.parametrize("size", [(1280, 800), (1100, 700)])
def test_the_editor_placeholder_shows_all_its_steps(qtbot, demo, admin, size):
    """The placeholder's rich text takes no part in height-for-width (each query lays it out again, a
    sixteenth of the start): the pane must still be tall enough for every line of it."""
    w = _window(qtbot, demo, admin, size)
    QApplication.processEvents()
    label = w.register_page.placeholder
    assert label.isVisible()
    needs = label.heightForWidth(label.width())
    print(f"{size[0]}×{size[1]}: placeholder needs {needs} px, has {label.height()}")
    assert 0 < needs <= label.height()
