"""The main window opens on the register with band colours, sorting and remembered layout."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.table_model import ROW_ROLE, SORT_ROLE, Col, RiskTableModel
from tests.ui.uihelpers import press_key


@pytest.fixture
def window(qtbot, published, admin):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _refs(model):
    return [model.index(r, Col.REF).data() for r in range(model.rowCount())]


def test_opens_on_the_register_in_category_order(window):
    model = window.view.table.model()
    assert model.rowCount() == 29
    refs = _refs(model)
    assert refs[:3] == ["C", "1.1", "1.5"]
    assert refs.index("1.12") > refs.index("1.11") > refs.index("1.9")  # natural, not text, order
    assert "Leicestershire County Council – Corporate Risk Register · 23/24 Q3" in window.view.title.text()


def test_score_cells_coloured_by_band(window):
    model = window.view.table.model()
    row = _refs(model).index("C")
    cur = model.index(row, Col.CURRENT)
    tgt = model.index(row, Col.TARGET)
    assert cur.data() == "25" and tgt.data() == "10"
    assert cur.data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#ff0000")
    assert tgt.data(Qt.ItemDataRole.BackgroundRole).color() == QColor("#ffc000")
    assert "high/red" in cur.data(Qt.ItemDataRole.AccessibleTextRole)


def test_score_cells_are_centred_and_explain_their_band_and_the_rest_is_left_to_the_view(window):
    model = window.view.table.model()
    row = _refs(model).index("C")
    cur, desc = model.index(row, Col.CURRENT), model.index(row, Col.DESCRIPTION)
    assert cur.data(Qt.ItemDataRole.TextAlignmentRole) == int(Qt.AlignmentFlag.AlignCenter)
    assert cur.data(Qt.ItemDataRole.ToolTipRole) == "25: high/red"
    assert desc.data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert "<p style='white-space:pre-wrap'>" in desc.data(Qt.ItemDataRole.ToolTipRole)
    for role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.CheckStateRole,
                 Qt.ItemDataRole.EditRole):
        assert cur.data(role) is None, role


def test_status_bar_counts_per_band(window):
    text = window.band_label.text()
    assert text.startswith("29 risks")
    reds = sum(1 for r in window.model.rows() if r.score >= 15)
    assert f"High/red: {reds}" in text


def test_clicking_a_header_sorts_and_selection_follows_the_risk(window, qtbot):
    table = window.view.table
    model = table.model()
    table.selectRow(_refs(model).index("9.5"))
    table.sortByColumn(Col.CURRENT, Qt.SortOrder.DescendingOrder)
    scores = [model.index(r, Col.CURRENT).data(SORT_ROLE) for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    selected = table.selectionModel().selectedRows()[0]
    assert selected.data(ROW_ROLE).ref == "9.5"


def test_header_clicks_sort_by_what_the_cells_show(window, qtbot):
    """Clicks on the headers (not the model's sort call): each column in the order its cells read."""
    table = window.view.table
    model = table.model()
    header = table.horizontalHeader()

    def click(col):
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
        return [model.index(r, col).data() for r in range(model.rowCount())]

    def number(text):
        return int(text) if text else -1  # a risk with no target scores below any score

    for col in (Col.CURRENT, Col.TARGET, Col.TARGET_I):
        first = [number(t) for t in click(col)]
        second = [number(t) for t in click(col)]
        assert {tuple(first), tuple(second)} == {tuple(sorted(first)), tuple(sorted(first, reverse=True))}
        assert (-1 in first) == (col != Col.CURRENT)  # risk 9.5 has no target
    owners = click(Col.OWNER)
    assert [o.lower() for o in owners] in ([o.lower() for o in sorted(owners, key=str.lower)],
                                           [o.lower() for o in sorted(owners, key=str.lower, reverse=True)])
    click(Col.OWNER)
    refs = click(Col.REF)
    if refs[0] != "C":
        refs = click(Col.REF)
    assert refs[:3] == ["C", "1.1", "1.5"]
    assert refs.index("1.12") > refs.index("1.11") > refs.index("1.9")


def test_direction_and_missing_target_shown(window):
    model = window.view.table.model()
    refs = _refs(model)
    row = refs.index("9.5")
    assert model.index(row, Col.TARGET).data() == ""
    assert model.index(refs.index("4.5"), Col.DIRECTION).data() == "↓ Expected to move to medium/amber"


def test_geometry_and_columns_remembered(qtbot, published, admin):
    first = MainWindow(published, admin, background=False)
    qtbot.addWidget(first)
    first.show()
    first.resize(791, 623)
    first.view.table.horizontalHeader().resizeSection(Col.DESCRIPTION, 333)
    first.close()
    second = MainWindow(published, admin, background=False)
    qtbot.addWidget(second)
    second.show()
    assert (second.size().width(), second.size().height()) == (791, 623)
    assert second.view.table.horizontalHeader().sectionSize(Col.DESCRIPTION) == 333


def test_register_chooser_switches_registers(qtbot, window, published, admin):
    reg = published.registers.create_register(admin, "Public Health Risk Register", department_code="PH")
    press_key(qtbot, window, "F5")  # a new register appears after refresh
    combo = window.register_combo
    combo.setCurrentIndex(combo.findData(reg.id))
    assert window.model.rowCount() == 0
    assert window.band_label.text().startswith("0 risks")


def test_model_passes_qt_model_tester(qtmodeltester, published, admin, corporate_id):
    model = RiskTableModel(published.registers.scheme(admin).bands)
    model.set_rows(published.risks.list_risks(admin, corporate_id))
    qtmodeltester.check(model)
    model.sort(Col.CURRENT, Qt.SortOrder.DescendingOrder)
    model.set_filter(lambda r: r.score >= 20)
    qtmodeltester.check(model)
    assert all(r.score >= 20 for r in model.rows())


def test_empty_database_says_what_to_do(qtbot, services, admin):
    w = MainWindow(services, admin, background=False)
    qtbot.addWidget(w)
    assert "riskdesk demo" in w.view.title.text()


def test_register_toolbar_only_on_the_register_and_dashboard(window):
    tabs = window.tabs
    titles = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
    tabs.setCurrentIndex(titles.index("Dashboard"))
    assert window.register_toolbar.isVisible()
    tabs.setCurrentIndex(titles.index("Incidents"))
    assert not window.register_toolbar.isVisible()
    tabs.setCurrentIndex(titles.index("Register"))
    assert window.register_toolbar.isVisible()


def test_close_the_quarter_from_the_register_menu(window, published, admin, monkeypatch, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from riskdesk.domain.quarters import Quarter

    asked = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert window.close_quarter_action.isEnabled()
    window.close_quarter_action.trigger()
    assert "Close 23/24 Q3?" in asked[0] and "owners update 23/24 Q4" in asked[0]
    # The November draft for Q3 is not presented yet: closing now would let Q4 updates into it.
    assert ("“Corporate Risk Register Update (November 2023)” (Corporate Governance Committee, 17 November 2023) "
            "has not been presented") in asked[0]
    assert "Present it first if it should show 23/24 Q3." in asked[0]
    assert published.registers.current_period(admin) == Quarter(2023, 4)
    qtbot.waitUntil(lambda: "23/24 Q4" in window.register_page.title.text())
    assert "Q3 closed" in window.statusBar().currentMessage()


def test_window_modules_do_not_load_the_database_layer_or_later_pages():
    """What the first paint needs is Qt and a little of the domain: the database layer, the risk
    editor, the dashboard (its governance lists too), the row types, the text prompt and the
    tooltips' HTML escaping load after the window has painted."""
    import subprocess
    import sys

    code = ("import sys, riskdesk.__main__, riskdesk.app, riskdesk.ui.main_window; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'pandas', 'reportlab', "
            "'openpyxl', 'alembic', 'html') or m.startswith(('riskdesk.services', 'riskdesk.models', "
            "'riskdesk.db', 'riskdesk.cli.', 'riskdesk.ui.register.editor', 'riskdesk.ui.register.dashboard', "
            "'riskdesk.ui.register.dialogs', 'riskdesk.domain.register', 'riskdesk.domain.snapshot', "
            "'riskdesk.ui.register.governance_panel', 'riskdesk.ui.kit.text_dialog', "
            "'riskdesk.ui.kit.contrast_style'))"
            " and m != 'riskdesk.domain.register_filter'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


def test_closing_after_presenting_the_quarters_cycle_gives_no_warning(window, published, admin, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    nov = next(c for c in published.cycles.list(admin) if c.status == "draft")
    published.cycles.present(admin, nov.id, expected_version=nov.version)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *args: asked.append(text) or QMessageBox.StandardButton.No)
    window.close_quarter_action.trigger()
    assert "Close 23/24 Q3?" in asked[0] and "has not been presented" not in asked[0]
