"""Typed settings over QSettings (INI format), from one factory.

Preferences and window state live in ``riskdesk.ini`` in the user config folder;
``RISKDESK_CONFIG_DIR`` redirects it (tests use a temporary folder).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from riskdesk import paths


def qsettings() -> QSettings:
    """The one place riskdesk's QSettings is made."""
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


class WindowState:
    """Geometry, splitter and header states of a window, keyed by the window's name."""

    def __init__(self, name: str, store: QSettings | None = None) -> None:
        self._name = name
        self._s = store or qsettings()

    def _get_bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(f"{self._name}/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._get_bytes("geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self._s.setValue(f"{self._name}/geometry", value)

    def header(self, table: str) -> QByteArray | None:
        return self._get_bytes(f"header_{table}")

    def set_header(self, table: str, value: QByteArray) -> None:
        self._s.setValue(f"{self._name}/header_{table}", value)

    def blob(self, key: str) -> QByteArray | None:
        """A saved widget state (splitter, header) by key."""
        return self._get_bytes(key)

    def set_blob(self, key: str, value: QByteArray) -> None:
        self._s.setValue(f"{self._name}/{key}", value)

    def text(self, key: str, default: str = "") -> str:
        value = self._s.value(f"{self._name}/{key}", default)
        return str(value) if value is not None else default

    def set_text(self, key: str, value: str) -> None:
        self._s.setValue(f"{self._name}/{key}", value)

    def sync(self) -> None:
        self._s.sync()
