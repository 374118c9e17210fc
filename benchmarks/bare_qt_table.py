"""The floor: a bare QMainWindow + QTableView over a plain Python model, doing what riskdesk does
for the same rows and nothing else.

    bare_qt_table.py risks|incidents DATABASE [--type TEXT] [--sort COL,COL…] [--repeat N]

It paints first (``first-paint``), then reads the same rows riskdesk shows from the same SQLite
file with the standard library's sqlite3 (one ordered SELECT), and paints them (``rows-painted``);
then it holds for the parent to read its peak memory. ``--type`` times a search typed one key at a
time (a plain substring filter over pre-lowered row text, the model reset, the repaint);
``--sort`` times clicks on column headers (a Python sort of the shown rows and the repaint).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from child import click_header, hold, mark, time_until_painted, type_and_time, value
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget

QUERIES = {
    # The register's columns: ref, departments, description, current I/L/score, target I/L/score,
    # direction, owner, category, in the register's order.
    "risks": """
        SELECT r.ref, (SELECT group_concat(d.code, ' ') FROM risk_department rd JOIN department d
                       ON d.id = rd.department_id WHERE rd.risk_id = r.id ORDER BY rd.position),
               r.description, a.current_impact, a.current_likelihood, a.current_impact * a.current_likelihood,
               a.target_impact, a.target_likelihood, a.target_impact * a.target_likelihood, a.direction,
               u.display_name, c.name, a.update_text
        FROM risk r JOIN category c ON c.id = r.category_id
        LEFT JOIN assessment a ON a.risk_id = r.id
             AND a.period = (SELECT value FROM setting WHERE key = 'current_period')
        LEFT JOIN app_user u ON u.id = r.owner_id
        WHERE r.status = 'current'  -- the register the window opens on: the corporate one
          AND r.register_id = (SELECT id FROM register ORDER BY kind <> 'corporate', id LIMIT 1)
        ORDER BY c.position, r.id""",
    "incidents": """
        SELECT si.reference, p.short_name, s.name, si.category, si.description, si.framework, si.status,
               si.reported_on, si.report_due, si.closed_on, si.external_ref
        FROM serious_incident si JOIN provider p ON p.id = si.provider_id
        JOIN commissioned_service s ON s.id = si.service_id
        ORDER BY si.reported_on DESC, si.id DESC""",
}


class Model(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.all: list[tuple] = []
        self.texts: list[str] = []
        self.shown: list[tuple] = []
        self.columns = 0

    def load(self, rows: list[tuple]) -> None:
        self.beginResetModel()
        self.all = rows
        self.texts = [" ".join(str(v) for v in r).lower() for r in rows]
        self.shown = rows
        self.columns = len(rows[0]) if rows else 0
        self.endResetModel()

    def filter(self, text: str) -> None:
        words = text.lower().split()
        self.beginResetModel()
        if not words:
            self.shown = self.all
        elif len(words) == 1:  # the usual case, without a generator per row
            w = words[0]
            self.shown = [r for r, t in zip(self.all, self.texts, strict=True) if w in t]
        else:
            self.shown = [r for r, t in zip(self.all, self.texts, strict=True) if all(w in t for w in words)]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else self.columns

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            v = self.shown[index.row()][index.column()]
            return "" if v is None else str(v)
        return None

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        self.layoutAboutToBeChanged.emit()
        self.shown = sorted(self.shown, key=lambda r: (r[column] is None, r[column] if r[column] is not None else 0),
                            reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


def main() -> None:
    args = sys.argv[1:]
    kind, database = args[0], args[1]
    typed = args[args.index("--type") + 1] if "--type" in args else ""
    sorts = [int(c) for c in args[args.index("--sort") + 1].split(",")] if "--sort" in args else []
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 1

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    box = QWidget()
    layout = QVBoxLayout(box)
    search = QLineEdit()
    table = QTableView()
    model = Model()
    table.setModel(model)
    layout.addWidget(search)
    layout.addWidget(table)
    window.setCentralWidget(box)
    window.resize(1280, 800)
    search.textChanged.connect(model.filter)

    def read_rows() -> None:
        import sqlite3

        conn = sqlite3.connect(database)
        try:
            rows = conn.execute(QUERIES[kind]).fetchall()
        finally:
            conn.close()
        model.load(rows)

    class Watcher(QObject):
        def eventFilter(self, _obj, event):
            if event.type() == QEvent.Type.Paint:
                if not self.property("painted"):
                    self.setProperty("painted", True)
                    mark("first-paint")
                    QTimer.singleShot(0, read_rows)
                elif model.rowCount() and not self.property("done"):
                    self.setProperty("done", True)
                    QTimer.singleShot(0, after_rows)
            return False

    def after_rows() -> None:
        table.viewport().removeEventFilter(watcher)
        mark("rows-painted")
        measure()
        app.quit()

    def measure() -> None:
        hold()
        if typed:
            for _ in range(repeat):
                type_and_time(search, model, table.viewport(), typed, "keystroke")
        if sorts:
            table.setSortingEnabled(True)
            for _ in range(repeat):
                for col in sorts:
                    ms = time_until_painted(click_header(table, col), model, table.viewport())
                    if ms is not None:
                        value(f"sort{col}", ms)
        if typed or sorts:
            hold()

    watcher = Watcher()
    table.viewport().installEventFilter(watcher)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
