"""The Ombudsman page's widgets, built only (``page.py`` wires them to the services)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.ombudsman import Comply, Decision, RecommendationKind
from riskdesk.ui.kit.contrast import paint_plainly
from riskdesk.ui.kit.keyboard import field_label


def date_edit(name: str, accessible: str) -> QLineEdit:
    """A date typed as YYYY-MM-DD (keyboard first; the services name a bad date)."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText("YYYY-MM-DD")
    edit.setFixedWidth(100)
    return edit


class OmbudsmanPageLayout:
    """Public widgets of the page: cases (list and editor) and the self-assessment."""

    def _build(self) -> None:
        root = QVBoxLayout(self)  # type: ignore[arg-type]
        root.setContentsMargins(6, 6, 6, 6)
        self.tabs = QTabWidget()
        root.addWidget(self.tabs)
        self.message = QLabel()
        self.message.setObjectName("ombudsmanMessage")
        self.message.setWordWrap(True)
        root.addWidget(self.message)
        # Mnemonics clash with none of the window's menus (F E R G V H) or tabs (R D P I C B).
        self.tabs.addTab(self._cases_tab(), "Case&s")
        self.tabs.addTab(self._assessment_tab(), "Code self-&assessment")
        for view in self.tabs.findChildren(QTableView):
            corner = view.findChild(QAbstractButton)  # Qt's select-all corner: say what it does
            if corner is not None:
                corner.setAccessibleName(f"Select all rows of {view.accessibleName() or 'the table'}")

    # -- cases ------------------------------------------------------------------------------------

    def _cases_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Find a reference, department or complaint…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Find a case")
        self.due_only = QCheckBox("Due &within")
        self.due_days = QSpinBox()
        self.due_days.setRange(0, 365)
        self.due_days.setValue(10)
        self.due_days.setSuffix(" days")
        self.due_days.setAccessibleName("Due within how many days")
        self.count_label = QLabel()
        self.new_button = QPushButton("&New case…")
        self.report_year = QComboBox()
        self.report_year.setAccessibleName("Report year")
        self.report_button = QPushButton("Ombudsman report…")
        for w in (self.search_edit, self.due_only, self.due_days, self.count_label):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.report_year, self.report_button, self.new_button):
            bar.addWidget(w)
        box.addLayout(bar)
        split = QSplitter()
        self.table = paint_plainly(QTableView())  # no check boxes: no Python call per cell
        self.table.setAccessibleName("Ombudsman cases")
        self.table.setObjectName("ombudsmanCases")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        split.addWidget(self.table)
        scroll = QScrollArea()  # the editor scrolls rather than squeezing the list on a small screen
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._editor())
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([660, 560])
        box.addWidget(split, 1)
        self.cases_split = split
        return tab

    def _editor(self) -> QWidget:
        self.editor = QWidget()
        col = QVBoxLayout(self.editor)
        col.setContentsMargins(0, 0, 0, 0)
        self.case_title = QLabel("Choose a case")
        self.case_title.setObjectName("caseTitle")
        col.addWidget(self.case_title)

        facts = QGroupBox("Enquiry")
        form = QFormLayout(facts)
        self.reply_due_edit = date_edit("replyDue", "Reply due date from the letter")
        self.responded_edit = date_edit("respondedOn", "Date the council replied")
        self.complaint_edit = QLineEdit()
        self.group_edit = QLineEdit()
        self.save_button = QPushButton("Save enquiry")
        form.addRow("Reply due (letter):", self.reply_due_edit)
        form.addRow("Replied on:", self.responded_edit)
        form.addRow("Council complaint ref:", self.complaint_edit)
        form.addRow("Service group:", self.group_edit)
        form.addRow(self.save_button)
        ext = QHBoxLayout()
        self.extension_due = date_edit("extensionDue", "Extended reply date")
        self.extension_reason = QLineEdit()
        self.extension_reason.setPlaceholderText("Reason agreed with the Ombudsman")
        self.extension_reason.setAccessibleName("Reason for the extension")
        self.extension_button = QPushButton("Agree extension")
        for w in (self.extension_due, self.extension_button):
            ext.addWidget(w)
        form.addRow(field_label("Extension to:", self.extension_due), ext)
        form.addRow("Reason:", self.extension_reason)
        col.addWidget(facts)

        decision = QGroupBox("Decision")
        row = QHBoxLayout(decision)
        self.decision_combo = QComboBox()
        self.decision_combo.setAccessibleName("Ombudsman decision")
        # The categories' labels are long: the combo shrinks to fit the editor, its list shows them whole.
        self.decision_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.decision_combo.setMinimumContentsLength(16)
        for d in Decision:
            self.decision_combo.addItem(d.label, d.value)
        self.decision_date = date_edit("decisionDate", "Date of the Ombudsman's decision")
        self.decision_button = QPushButton("Record decision")
        for w in (self.decision_combo, self.decision_date, self.decision_button):
            row.addWidget(w)
        col.addWidget(decision)

        recs = QGroupBox("Recommendations")
        rl = QVBoxLayout(recs)
        self.recommendations = QTableView()
        self.recommendations.setObjectName("recommendations")
        self.recommendations.setAccessibleName("Recommendations")
        self.recommendations.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.recommendations.setMinimumHeight(90)
        self.recommendations.setMaximumHeight(140)
        self.recommendations.horizontalHeader().setStretchLastSection(True)
        rl.addWidget(self.recommendations)
        add = QHBoxLayout()
        self.rec_kind = QComboBox()
        self.rec_kind.setAccessibleName("Kind of recommendation")
        for k in RecommendationKind:
            self.rec_kind.addItem(k.label, k.value)
        self.rec_text = QLineEdit()
        self.rec_text.setPlaceholderText("What the Ombudsman recommended")
        self.rec_text.setAccessibleName("Recommendation")
        self.rec_due = date_edit("recommendationDue", "Recommendation due date")
        self.rec_button = QPushButton("Add")
        rl.addWidget(self.rec_text)
        for w in (self.rec_kind, field_label("Due:", self.rec_due), self.rec_due, self.rec_button):
            add.addWidget(w)
        rl.addLayout(add)
        done = QHBoxLayout()
        self.complied_date = date_edit("compliedOn", "Date complied with")
        self.complied_button = QPushButton("Mark selected complied with")
        done.addWidget(field_label("Complied on:", self.complied_date))
        done.addWidget(self.complied_date)
        done.addWidget(self.complied_button)
        done.addStretch(1)
        rl.addLayout(done)
        col.addWidget(recs)

        money = QGroupBox("Financial remedies")
        ml = QVBoxLayout(money)
        self.remedies = QTableView()
        self.remedies.setObjectName("remedies")
        self.remedies.setMaximumHeight(90)
        self.remedies.horizontalHeader().setStretchLastSection(True)
        ml.addWidget(self.remedies)
        pay = QHBoxLayout()
        pay2 = QHBoxLayout()
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText("£")
        self.amount_edit.setAccessibleName("Amount")
        self.approved_edit = date_edit("approvedOn", "Date the payment was approved")
        self.chair_edit = date_edit("chairConsultedOn", "Date the Committee Chair was consulted")
        self.others_check = QCheckBox("Others affected")
        self.remedy_button = QPushButton("Add payment")
        pay.addWidget(field_label("Amo&unt:", self.amount_edit))
        pay.addWidget(self.amount_edit)
        pay.addWidget(self.others_check)
        pay.addStretch(1)
        for label, w in (("Approved", self.approved_edit), ("Chair consulted", self.chair_edit)):
            pay2.addWidget(field_label(label + ":", w))
            pay2.addWidget(w)
        pay2.addStretch(1)
        pay2.addWidget(self.remedy_button)
        ml.addLayout(pay)
        ml.addLayout(pay2)
        col.addWidget(money)

        why = QGroupBox("Why this date?")
        wl = QVBoxLayout(why)
        self.why_text = QPlainTextEdit()
        self.why_text.setObjectName("whyThisDate")
        self.why_text.setReadOnly(True)
        self.why_text.setAccessibleName("Why this date?")
        self.why_text.setMinimumHeight(150)
        wl.addWidget(self.why_text)
        col.addWidget(why)
        col.addStretch(1)
        return self.editor

    # -- self-assessment --------------------------------------------------------------------------

    def _assessment_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.sa_year = QComboBox()
        self.sa_year.setAccessibleName("Financial year")
        self.sa_status = QLabel()
        self.sa_start_button = QPushButton("Start from the temp&late")
        self.sa_present_button = QPushButton("Present (free&ze)")
        self.sa_print_button = QPushButton("Save as PDF…")
        for w in (field_label("Year:", self.sa_year), self.sa_year, self.sa_status):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.sa_start_button, self.sa_present_button, self.sa_print_button):
            bar.addWidget(w)
        box.addLayout(bar)
        split = QSplitter()
        self.sa_table = QTableView()
        self.sa_table.setObjectName("selfAssessment")
        self.sa_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.sa_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.sa_table.setWordWrap(True)
        split.addWidget(self.sa_table)
        edit = QWidget()
        form = QFormLayout(edit)
        self.sa_requirement = QLabel()
        self.sa_requirement.setWordWrap(True)
        self.sa_comply = QComboBox()
        self.sa_comply.setAccessibleName("Comply")
        self.sa_comply.addItem("", None)
        for c in Comply:
            self.sa_comply.addItem(c.label, c.value)
        self.sa_explanation = QPlainTextEdit()
        self.sa_explanation.setAccessibleName("Explanations and commentary")
        self.sa_evidence = QPlainTextEdit()
        self.sa_evidence.setAccessibleName("Evidence")
        self.sa_target = date_edit("targetDate", "Date to comply")
        self.sa_save_button = QPushButton("Save row")
        form.addRow(self.sa_requirement)
        form.addRow("Comply:", self.sa_comply)
        form.addRow("Explanation:", self.sa_explanation)
        form.addRow("Evidence:", self.sa_evidence)
        form.addRow("Date to comply:", self.sa_target)
        form.addRow(self.sa_save_button)
        split.addWidget(edit)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([820, 400])
        box.addWidget(split, 1)
        return tab
