"""Widgets of the request editor, as public attributes: the facts on the left, the clock on the right."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.foi import DEPARTMENTS, Channel, Outcome, Regime
from riskdesk.ui.foi.fields import OptionalDate, qdate

REQUESTER_TYPES = ("", "Member of the public", "Business", "Media", "Researcher", "Campaign group", "Solicitor",
                   "Elected representative")


class RequestEditorLayout:
    def _build(self: QWidget, today: date, with_requester: bool) -> None:  # type: ignore[misc]
        outer = QVBoxLayout(self)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        left = QWidget()
        scroll.setWidget(left)
        body.addWidget(scroll, 3)
        form_box = QVBoxLayout(left)

        facts = QGroupBox("Request")
        f = QFormLayout(facts)
        self.reference_label = QLabel("(new)")
        f.addRow("Reference:", self.reference_label)
        self.regime = QComboBox()
        for r in Regime:
            self.regime.addItem(r.label, r.value)
        self.regime.setAccessibleName("Regime")
        f.addRow("&Regime:", self.regime)
        self.regime_reason = QLineEdit()
        self.regime_reason.setAccessibleName("Reason for the regime change")
        self.regime_reason.setPlaceholderText("Needed when switching FOIA ↔ EIR")
        f.addRow("Reason for &switch:", self.regime_reason)
        self.received = QDateEdit(qdate(today))
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("dd/MM/yyyy")
        self.received.setAccessibleName("Date received")
        f.addRow("Recei&ved:", self.received)
        self.channel = QComboBox()
        for c in Channel:
            self.channel.addItem(c.label, c.value)
        f.addRow("C&hannel:", self.channel)
        self.requester_type = QComboBox()
        self.requester_type.setEditable(True)
        self.requester_type.addItems(REQUESTER_TYPES)
        self.requester_type.setAccessibleName("Requester type")
        f.addRow("Requester &type:", self.requester_type)
        self.subject = QLineEdit()
        self.subject.setAccessibleName("Subject category")
        f.addRow("S&ubject:", self.subject)
        depts = QWidget()
        dl = QHBoxLayout(depts)
        dl.setContentsMargins(0, 0, 0, 0)
        self.department_checks: dict[str, QCheckBox] = {}
        for code in DEPARTMENTS:
            box = QCheckBox(code.replace("&", "&&"))  # "A&C", not a mnemonic on C
            box.setAccessibleName(f"Department {code}")
            self.department_checks[code] = box
            dl.addWidget(box)
        f.addRow("Departments:", depts)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(70)
        f.addRow("Summar&y:", self.summary)
        self.division = QLineEdit()
        f.addRow("Electoral division:", self.division)
        self.local_alert = OptionalDate("Local-issues alert sent", today)
        f.addRow("Members alerted:", self.local_alert)
        self.media = QCheckBox("Media request (Media Team approves before publication)")
        f.addRow("", self.media)
        self.media_approved = OptionalDate("Media Team approval", today)
        f.addRow("Media Team approved:", self.media_approved)
        form_box.addWidget(facts)

        clock = QGroupBox("Clock stops and extensions")
        c = QFormLayout(clock)
        self.clarification_sought = OptionalDate("Clarification sought", today)
        self.clarified = OptionalDate("Clarification received", today)
        self.fee_requested = OptionalDate("Fees notice given", today)
        self.fee_received = OptionalDate("Fee received", today)
        self.extension_notified = OptionalDate("Extension notified", today)
        self.extended_due = OptionalDate("Extended due date", today)
        c.addRow("Clarification sought:", self.clarification_sought)
        c.addRow("Clarification received:", self.clarified)
        c.addRow("Fees notice given:", self.fee_requested)
        c.addRow("Fee received:", self.fee_received)
        c.addRow("Extension notified (s.17 / reg 7):", self.extension_notified)
        c.addRow("Extended due date:", self.extended_due)
        form_box.addWidget(clock)

        resp = QGroupBox("Response")
        r = QFormLayout(resp)
        self.responded = OptionalDate("Date responded", today)
        r.addRow("Res&ponded:", self.responded)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Outcome")
        self.outcome.addItem("Not yet decided", "")
        for o in Outcome:
            self.outcome.addItem(o.label, o.value)
        r.addRow("&Outcome:", self.outcome)
        self.bases = QLineEdit()
        self.bases.setAccessibleName("Sections relied on")
        self.bases.setPlaceholderText("e.g. s.12 · s.14(1) · s.40(2), s.43(2) · reg 12(4)(b) · not held")
        r.addRow("Sections relied on:", self.bases)
        self.hours = QLineEdit()
        self.hours.setAccessibleName("Hours estimate")
        self.hours.setPlaceholderText("s.12: hours to comply (limit 18)")
        r.addRow("Hours estimate:", self.hours)
        self.pit = QPlainTextEdit()
        self.pit.setTabChangesFocus(True)
        self.pit.setMaximumHeight(60)
        self.pit.setAccessibleName("Public-interest test")
        r.addRow("Public-interest test:", self.pit)
        self.disclosure = QComboBox()
        self.disclosure.setAccessibleName("Disclosure log")
        for label, value in (("Not decided", None), ("Publish", True), ("Do not publish", False)):
            self.disclosure.addItem(label, value)
        r.addRow("Disclosure log:", self.disclosure)
        self.published = OptionalDate("Published in the disclosure log", today)
        r.addRow("Published on:", self.published)
        self.disclosure_reason = QLineEdit()
        self.disclosure_reason.setAccessibleName("Reason not published")
        r.addRow("Reason not published:", self.disclosure_reason)
        form_box.addWidget(resp)

        cases = QGroupBox("Internal reviews and ICO cases")
        cl = QVBoxLayout(cases)
        self.casework_table = QTableView()
        self.casework_table.setAccessibleName("Internal reviews and ICO cases")
        self.casework_table.setMaximumHeight(110)
        self.casework_table.verticalHeader().hide()
        self.casework_table.horizontalHeader().setStretchLastSection(True)
        cl.addWidget(self.casework_table)
        row = QHBoxLayout()
        self.add_review_button = QPushButton("Add interna&l review…")
        self.add_ico_button = QPushButton("Add &ICO case…")
        row.addWidget(self.add_review_button)
        row.addWidget(self.add_ico_button)
        row.addStretch(1)
        cl.addLayout(row)
        form_box.addWidget(cases)

        self.requester_box = QGroupBox("Requester (restricted personal data)")
        q = QFormLayout(self.requester_box)
        self.requester_name = QLineEdit()
        self.requester_name.setAccessibleName("Requester name")
        self.requester_email = QLineEdit()
        self.requester_address = QPlainTextEdit()
        self.requester_address.setTabChangesFocus(True)
        self.requester_address.setMaximumHeight(60)
        q.addRow("Name:", self.requester_name)
        q.addRow("E-mail:", self.requester_email)
        q.addRow("Address:", self.requester_address)
        form_box.addWidget(self.requester_box)
        self.requester_box.setVisible(with_requester)
        form_box.addStretch(1)

        panel = QGroupBox("Clock")
        p = QVBoxLayout(panel)
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.due_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        p.addWidget(self.due_label)
        why = QLabel("&Why this date?")
        self.why_text = QPlainTextEdit()
        self.why_text.setObjectName("whyText")
        self.why_text.setReadOnly(True)
        self.why_text.setAccessibleName("Why this date?")
        why.setBuddy(self.why_text)
        p.addWidget(why)
        p.addWidget(self.why_text, 1)
        body.addWidget(panel, 2)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        outer.addWidget(self.buttons)
