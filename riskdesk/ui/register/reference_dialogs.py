"""Keeping the register's reference lists: categories, departments and owners (users).

Each dialog is a list with a few buttons over ``services.registers``; every change goes
through the service (permission, audit) and the list is read back afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.permissions import Role
from riskdesk.domain.register import Actor
from riskdesk.ui.kit.contrast import secondary_text
from riskdesk.ui.kit.prompts import ask_text, show_error
from riskdesk.ui.kit.sizing import resize_to_fit_screen

if TYPE_CHECKING:
    from riskdesk.services import Services


class _ListDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, services: Services, actor: Actor) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.changed = False
        self.setWindowTitle(title)
        resize_to_fit_screen(self, 560, 420)
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName(title)
        lay.addWidget(self.list, 1)
        self.form = QFormLayout()
        lay.addLayout(self.form)
        self.buttons = QHBoxLayout()
        lay.addLayout(self.buttons)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)

    def add_button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(name)
        b.clicked.connect(slot)
        self.buttons.addWidget(b)
        return b

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.close_button)

    def selected(self) -> Any:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def attempt(self, title: str, fn: Callable[[], object]) -> bool:
        try:
            fn()
        except RiskdeskError as exc:
            show_error(self, title, exc)
            return False
        self.changed = True
        self.reload()
        return True

    def reload(self) -> None:
        raise NotImplementedError


class CategoriesDialog(_ListDialog):
    """Add categories; retire one (it still prints, as "– category retired") or reinstate it."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor, register_id: int,
                 register_name: str) -> None:
        super().__init__(parent, f"Categories – {register_name}", services, actor)
        self.setObjectName("categoriesDialog")
        self.register_id = register_id
        self.number_spin = QSpinBox()
        self.number_spin.setRange(0, 999)
        self.number_spin.setSpecialValueText("(none)")
        self.number_spin.setAccessibleName("New category number")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("New category name")
        self.form.addRow("&Number:", self.number_spin)
        self.form.addRow("Na&me:", self.name_edit)
        self.add_button_ = self.add_button("&Add category", "Add a category", self._add)
        self.retire_button = self.add_button("&Retire", "Retire the selected category", lambda: self._retire(True))
        self.reinstate_button = self.add_button("Re&instate", "Reinstate the selected category",
                                                lambda: self._retire(False))
        self.finish_buttons()
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for c in self.services.registers.list_categories(self.actor, self.register_id):
            item = QListWidgetItem(f"{c.heading}  ({c.risk_count} current risk{'s' if c.risk_count != 1 else ''})")
            item.setData(Qt.ItemDataRole.UserRole, c)
            if c.retired:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.list.addItem(item)

    def select(self, heading_part: str) -> None:
        for i in range(self.list.count()):
            if heading_part in self.list.item(i).text():
                self.list.setCurrentRow(i)
                return

    def _add(self) -> None:
        number = self.number_spin.value() or None
        name = self.name_edit.text()
        if self.attempt("Cannot add the category", lambda: self.services.registers.add_category(
                self.actor, self.register_id, number, name)):
            self.name_edit.clear()
            self.number_spin.setValue(0)

    def _retire(self, retired: bool) -> None:
        cat = self.selected()
        if cat is None:
            return
        self.attempt("Cannot change the category", lambda: self.services.registers.set_category_retired(
            self.actor, cat.id, retired, expected_version=cat.version))


class DepartmentsDialog(_ListDialog):
    """Add, rename and retire departments (codes stay on the risks that use them)."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor) -> None:
        super().__init__(parent, "Departments", services, actor)
        self.setObjectName("departmentsDialog")
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(32)
        self.code_edit.setAccessibleName("New department code")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("New department name")
        self.form.addRow("&Code:", self.code_edit)
        self.form.addRow("Na&me:", self.name_edit)
        self.add_button("&Add department", "Add a department", self._add)
        self.add_button("Re&name…", "Rename the selected department", self._rename)
        self.add_button("Retire / re&instate", "Retire or reinstate the selected department", self._toggle)
        self.finish_buttons()
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for d in self.services.registers.list_departments(self.actor):
            item = QListWidgetItem(f"{d.code} – {d.name}" + ("" if d.active else "  (retired)"))
            item.setData(Qt.ItemDataRole.UserRole, d)
            self.list.addItem(item)

    def _add(self) -> None:
        if self.attempt("Cannot add the department", lambda: self.services.registers.add_department(
                self.actor, self.code_edit.text(), self.name_edit.text())):
            self.code_edit.clear()
            self.name_edit.clear()

    def _rename(self) -> None:
        d = self.selected()
        if d is None:
            return
        name = ask_text(self, "Rename department", f"New name for {d.code}:", initial=d.name, multiline=False)
        if name is not None:
            self.attempt("Cannot rename the department", lambda: self.services.registers.update_department(
                self.actor, d.id, name=name))

    def _toggle(self) -> None:
        d = self.selected()
        if d is not None:
            self.attempt("Cannot change the department", lambda: self.services.registers.update_department(
                self.actor, d.id, active=not d.active))


class OwnersDialog(_ListDialog):
    """riskdesk users: add risk owners and give people their role."""

    def __init__(self, parent: QWidget | None, services: Services, actor: Actor) -> None:
        super().__init__(parent, "Risk owners and users", services, actor)
        self.setObjectName("ownersDialog")
        self.login_edit = QLineEdit()
        self.login_edit.setAccessibleName("Login name")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Display name")
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Job title")
        self.role_combo = QComboBox()
        self.role_combo.setAccessibleName("Role")
        for role in Role:
            self.role_combo.addItem(role.label, role.value)
        self.role_combo.setCurrentIndex(self.role_combo.findData(Role.RISK_OWNER.value))
        self.form.addRow("&Login:", self.login_edit)
        self.form.addRow("&Name:", self.name_edit)
        self.form.addRow("&Job title:", self.title_edit)
        self.form.addRow("&Role:", self.role_combo)
        self.add_button("&Add user", "Add a user", self._add)
        self.add_button("&Set role of selected", "Give the selected user the chosen role", self._set_role)
        self.finish_buttons()
        hint = QLabel("Logins are the Windows user names people sign in with.")
        hint.setStyleSheet(f"color: {secondary_text()};")
        self.form.addRow(hint)
        self.reload()
        # Each line names a person, their job and role: wide enough to read them whole, not scrolled sideways.
        resize_to_fit_screen(self, max(self.width(), self.list.sizeHintForColumn(0) + 40), self.height())

    def reload(self) -> None:
        self.list.clear()
        for u in self.services.registers.list_users(self.actor):
            title = f", {u.job_title}" if u.job_title else ""
            item = QListWidgetItem(f"{u.display_name}{title} ({u.login}) – {Role(u.role).label}"
                                   + ("" if u.active else " – inactive"))
            item.setData(Qt.ItemDataRole.UserRole, u)
            self.list.addItem(item)

    def _add(self) -> None:
        if self.attempt("Cannot add the user", lambda: self.services.registers.add_user(
                self.actor, self.login_edit.text(), self.name_edit.text(), self.role_combo.currentData(),
                self.title_edit.text())):
            for e in (self.login_edit, self.name_edit, self.title_edit):
                e.clear()

    def _set_role(self) -> None:
        u = self.selected()
        if u is not None:
            self.attempt("Cannot change the role", lambda: self.services.registers.set_role(
                self.actor, u.id, self.role_combo.currentData()))
