"""The floor for the start-up benchmark: a bare QMainWindow + QTableView over N plain rows."""

import sys

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
ROWS = [(f"{i // 20}.{i % 20}", "D1", f"If risk {i} materialises then services will be affected.", "5", "4", "20",
         "3", "3", "9", "Expected to remain high/red", f"Owner {i % 40}", "Category") for i in range(N)]


class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else len(ROWS)

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 0 if parent.isValid() else 12

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return ROWS[index.row()][index.column()]
        return None


class Watcher(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.property("done"):
            self.setProperty("done", True)
            print("first-paint", flush=True)
            QTimer.singleShot(0, lambda: (print("rows-painted", flush=True), app.quit()))
        return False


app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableView()
table.setModel(Model())
window.setCentralWidget(table)
window.resize(1280, 800)
window.show()
watcher = Watcher(table.viewport())
table.viewport().installEventFilter(watcher)
app.exec()
