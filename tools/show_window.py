"""Open riskdesk on a given tab (and risk), for taking the screenshots in docs/screenshots.

    ../shared/tools/screenshot docs/screenshots/dashboard.png --size 1280x800 -- \
        .venv/bin/python tools/show_window.py DB.sqlite 1280x800 Dashboard

The last argument is a tab title, "editor:REF" to open a risk in the register's editor, or
"Reports:preview" for the Reports tab with the selected cycle's appendix previewed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from riskdesk.db import Database
from riskdesk.services import Services, default_actor
from riskdesk.ui.main_window import MainWindow


def main() -> int:
    db, size, what = sys.argv[1], sys.argv[2], sys.argv[3]
    width, height = (int(x) for x in size.split("x"))
    app = QApplication(sys.argv[:1])
    window = MainWindow(Services(Database.open(db)), default_actor(), background=False)
    window.setGeometry(0, 0, width, height)
    window.show()
    if what.startswith("editor:"):
        ref = what.split(":", 1)[1]
        row = next(i for i, r in enumerate(window.model.rows()) if r.ref == ref)
        window.register_page.table.selectRow(row)
    else:
        tab, _, extra = what.partition(":")
        for i in range(window.tabs.count()):
            if window.tabs.tabText(i).replace("&", "") == tab:
                window.tabs.setCurrentIndex(i)
        if extra == "preview":
            window.page(tab).preview()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
