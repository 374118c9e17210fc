"""Runtime hook of the packaged build: with RISKDESK_SMOKE_WINDOW=1, open every tab and exit.

CI sets it to prove the frozen window builds each page (pages are imported by name, so a
module missing from the bundle shows only when its tab opens). Without the variable this
hook does nothing. Exit status 0 when every tab opened without an error, 1 otherwise.
"""

import os

if os.environ.get("RISKDESK_SMOKE_WINDOW") == "1":
    import sys
    import traceback

    def _smoke() -> int:
        from PySide6.QtCore import QtMsgType, qInstallMessageHandler
        from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

        errors: list[str] = []

        def hook(kind, value, tb):  # errors raised inside Qt slots land here
            errors.append("".join(traceback.format_exception(kind, value, tb)))

        def qt_messages(mode, _context, message):
            if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
                errors.append(message)

        sys.excepthook = hook
        qInstallMessageHandler(qt_messages)
        app = QApplication.instance() or QApplication(sys.argv[:1])

        from riskdesk.app import open_services
        from riskdesk.domain.actor import default_actor
        from riskdesk.ui.main_window import MainWindow

        actor = default_actor()
        services = open_services(os.environ.get("RISKDESK_DATABASE") or None, actor)
        window = MainWindow(services, actor)
        window.show()
        app.processEvents()
        opened = 0
        for tabs in window.findChildren(QTabWidget):
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                for _ in range(5):
                    app.processEvents()
                page = tabs.widget(index)
                blank = page is None or not page.findChildren(QWidget)
                name = tabs.tabText(index).replace("&", "")
                print(f"smoke: tab {name!r} {'BLANK' if blank else 'opened'}", flush=True)
                if blank:
                    errors.append(f"tab {name!r} is blank")
                opened += 1
        window.close()
        services.db.dispose()
        for error in errors:
            print(f"smoke: error: {error}", file=sys.stderr, flush=True)
        print(f"smoke: {opened} tabs opened, {len(errors)} errors", flush=True)
        return 1 if errors or opened == 0 else 0

    try:
        code = _smoke()
    except Exception:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    os._exit(code)
