"""UI tests: each test gets its own settings folder, so remembered filters and layouts never leak."""

import pytest


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKDESK_CONFIG_DIR", str(tmp_path / "config"))
