"""UI tests: each test gets its own settings folder, so remembered filters and layouts never leak;
no test leaves work or a modal dialog behind for the next one; and a dialog that waits for an answer
nobody gives fails its test instead of stopping the whole run."""

from __future__ import annotations

import time

import pytest

#: How long a modal dialog may wait for an answer before the watchdog closes it and fails the test.
MODAL_PATIENCE_S = 90.0


@pytest.fixture
def plain_style(qapp):
    """The application with the plain Fusion style a fresh riskdesk process starts with (the contrast
    style is installed once the window is on screen); the contrast style is back afterwards, whatever
    the test did, as every other test has it."""
    from PySide6.QtWidgets import QStyleFactory

    from riskdesk.ui.kit.contrast import install_contrast_style

    qapp.setStyle(QStyleFactory.create("Fusion"))
    yield qapp
    install_contrast_style()


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKDESK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def _no_dialog_waits_for_ever(qapp):
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication

    stuck: list[str] = []
    seen: dict[int, float] = {}

    def watch() -> None:
        w = QApplication.activeModalWidget()
        if w is None:
            seen.clear()
            return
        first = seen.setdefault(id(w), time.monotonic())
        if time.monotonic() - first > MODAL_PATIENCE_S:
            stuck.append(f"{type(w).__name__} {w.objectName()!r} “{w.windowTitle()}”")
            seen.pop(id(w), None)
            w.close()

    timer = QTimer()
    timer.setInterval(2000)
    timer.timeout.connect(watch)
    timer.start()
    yield
    timer.stop()
    # Work a test started on a worker finishes here, not in the next test (where its result could
    # open a dialog nobody answers).
    QThreadPool.globalInstance().waitForDone(30000)
    qapp.processEvents()
    for _ in range(10):
        w = QApplication.activeModalWidget()
        if w is None:
            break
        w.close()
        qapp.processEvents()
    if stuck:
        pytest.fail(f"a dialog waited for an answer nobody gave: {stuck}")
