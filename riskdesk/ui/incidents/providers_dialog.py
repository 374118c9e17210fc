"""Providers and the services the council commissions from them: add, rename, retire."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.providers import ProviderRow
from riskdesk.domain.register import Actor
from riskdesk.ui.kit.contrast import ERROR, GOOD, tone
from riskdesk.ui.kit.sizing import resize_to_fit_screen

if TYPE_CHECKING:
    from riskdesk.services import Services


class ProvidersDialog(QDialog):
    """A small management dialog over ``services.providers``."""

    changed = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.setWindowTitle("Providers and commissioned services")
        self.setObjectName("providersDialog")
        resize_to_fit_screen(self, 760, 480)
        self._providers: list[ProviderRow] = []

        self.provider_list = QListWidget()
        self.provider_list.setAccessibleName("Providers")
        self.service_list = QListWidget()
        self.service_list.setAccessibleName("Services of the chosen provider")

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Provider name")
        self.name_edit.setPlaceholderText("e.g. Turning Point")
        self.short_edit = QLineEdit()
        self.short_edit.setAccessibleName("Provider short name")
        self.short_edit.setPlaceholderText("e.g. MPFT")
        self.short_edit.setMaximumWidth(140)
        self.active_check = QCheckBox("&Active")
        self.add_provider_button = QPushButton("Add &provider")
        self.save_provider_button = QPushButton("&Save changes")
        self.save_provider_button.setToolTip("Save the name, short name and active flag of the chosen provider")

        self.service_edit = QLineEdit()
        self.service_edit.setAccessibleName("Service name")
        self.service_edit.setPlaceholderText("e.g. Integrated sexual health service")
        self.area_edit = QLineEdit()
        self.area_edit.setAccessibleName("Commissioning area")
        self.area_edit.setPlaceholderText("e.g. Sexual health")
        self.add_service_button = QPushButton("Add s&ervice")
        self.toggle_service_button = QPushButton("Re&tire service")

        self.message = QLabel()
        self.message.setObjectName("providersMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(QLabel("&Providers:", buddy=self.provider_list))
        left.addWidget(self.provider_list)
        pbox = QGroupBox("Provider")
        form = QFormLayout(pbox)
        form.addRow("&Name:", self.name_edit)
        form.addRow("S&hort name:", self.short_edit)
        form.addRow("", self.active_check)
        row = QHBoxLayout()
        row.addWidget(self.add_provider_button)
        row.addWidget(self.save_provider_button)
        row.addStretch(1)
        form.addRow(row)
        left.addWidget(pbox)

        right = QVBoxLayout()
        right.addWidget(QLabel("Ser&vices:", buddy=self.service_list))
        right.addWidget(self.service_list)
        sbox = QGroupBox("New service of the chosen provider")
        sform = QFormLayout(sbox)
        sform.addRow("Service na&me:", self.service_edit)
        sform.addRow("A&rea:", self.area_edit)
        srow = QHBoxLayout()
        srow.addWidget(self.add_service_button)
        srow.addWidget(self.toggle_service_button)
        srow.addStretch(1)
        sform.addRow(srow)
        right.addWidget(sbox)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(columns)
        outer.addWidget(self.message)
        outer.addWidget(self.buttons)

        self.provider_list.currentRowChanged.connect(self._provider_chosen)
        self.service_list.currentRowChanged.connect(self._service_chosen)
        self.add_provider_button.clicked.connect(self._add_provider)
        self.save_provider_button.clicked.connect(self._save_provider)
        self.add_service_button.clicked.connect(self._add_service)
        self.toggle_service_button.clicked.connect(self._toggle_service)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        current = self.current_provider()
        wanted = select_id if select_id is not None else (current.id if current else None)
        try:
            self._providers = self.services.providers.list_providers(self.actor, include_inactive=True)
        except RiskdeskError as exc:
            self._say(str(exc), error=True)
            return
        self.provider_list.blockSignals(True)
        self.provider_list.clear()
        row = 0
        for i, p in enumerate(self._providers):
            item = QListWidgetItem(p.label + ("" if p.active else " – inactive"))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.provider_list.addItem(item)
            if p.id == wanted:
                row = i
        self.provider_list.blockSignals(False)
        if self._providers:
            self.provider_list.setCurrentRow(row)
        self._provider_chosen(self.provider_list.currentRow())

    def current_provider(self) -> ProviderRow | None:
        row = self.provider_list.currentRow()
        return self._providers[row] if 0 <= row < len(self._providers) else None

    def _provider_chosen(self, _row: int) -> None:
        p = self.current_provider()
        self.name_edit.setText(p.name if p else "")
        self.short_edit.setText(p.short_name if p else "")
        self.active_check.setChecked(p.active if p else True)
        self.service_list.clear()
        for sv in p.services if p else ():
            item = QListWidgetItem(f"{sv.name}{' (' + sv.area + ')' if sv.area else ''}"
                                   f"{'' if sv.active else ' – retired'}")
            item.setData(Qt.ItemDataRole.UserRole, sv.id)
            self.service_list.addItem(item)
        self.save_provider_button.setEnabled(p is not None)
        self.add_service_button.setEnabled(p is not None)
        self._service_chosen(self.service_list.currentRow())

    def _service_chosen(self, _row: int) -> None:
        p = self.current_provider()
        row = self.service_list.currentRow()
        sv = p.services[row] if p and 0 <= row < len(p.services) else None
        self.toggle_service_button.setEnabled(sv is not None)
        self.toggle_service_button.setText("Re&tire service" if sv is None or sv.active else "Res&tore service")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {tone(ERROR if error else GOOD)};")
        self.message.setText(text)

    def _add_provider(self) -> None:
        try:
            p = self.services.providers.add_provider(self.actor, self.name_edit.text(), self.short_edit.text())
        except RiskdeskError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Added {p.label}.")
        self.reload(p.id)
        self.changed.emit()

    def _save_provider(self) -> None:
        p = self.current_provider()
        if p is None:
            return
        try:
            p = self.services.providers.update_provider(
                self.actor, p.id, expected_version=p.version, name=self.name_edit.text(),
                short_name=self.short_edit.text(), active=self.active_check.isChecked())
        except StaleEdit as exc:
            self._say(f"{exc} The list has been reloaded.", error=True)
            self.reload()
            return
        except RiskdeskError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Saved {p.label}.")
        self.reload(p.id)
        self.changed.emit()

    def _add_service(self) -> None:
        p = self.current_provider()
        if p is None:
            return
        try:
            sv = self.services.providers.add_service(self.actor, p.id, self.service_edit.text(), self.area_edit.text())
        except RiskdeskError as exc:
            self._say(str(exc), error=True)
            return
        self.service_edit.clear()
        self.area_edit.clear()
        self._say(f"Added {sv.name} to {p.label}.")
        self.reload(p.id)
        self.changed.emit()

    def _toggle_service(self) -> None:
        p = self.current_provider()
        row = self.service_list.currentRow()
        if p is None or not 0 <= row < len(p.services):
            return
        sv = p.services[row]
        try:
            self.services.providers.set_service_active(self.actor, sv.id, not sv.active)
        except RiskdeskError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"{sv.name} {'retired' if sv.active else 'restored'}.")
        self.reload(p.id)
        self.changed.emit()
