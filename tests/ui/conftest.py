"""UI tests: each test gets its own settings folder, so remembered filters and layouts never leak;
and no test leaves a modal dialog open for the next one to trip over."""

import pytest


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKDESK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def _no_modal_left_behind():
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    # A dialog a test opened but did not answer would otherwise be the "active modal widget" the
    # next test's answers go to, and that test's own dialog would wait for ever.
    for _ in range(10):
        w = QApplication.activeModalWidget()
        if w is None:
            break
        w.close()
        app.processEvents()
