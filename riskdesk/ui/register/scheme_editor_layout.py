"""The scheme editor's widgets (layout only; ``scheme_editor.SchemeEditorDialog`` fills and reads them)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.scoring import MATRIX_SIZES

#: Columns of the bands table.
BAND_HEADERS = ("Name", "Colour word", "From", "To", "Fill (#RRGGBB)", "Review every (months)", "Score digits")
B_NAME, B_COLOUR, B_LOW, B_HIGH, B_RGB, B_REVIEW, B_CONTRAST = range(len(BAND_HEADERS))
LIKELIHOOD_HEADERS = ("Label", "Example frequency", "Probability")


def _grid(name: str, headers: tuple[str, ...] | list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setAccessibleName(name)
    t.setHorizontalHeaderLabels(list(headers))
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(True)
    t.horizontalHeader().setStretchLastSection(True)
    fit_headings(t)
    return t


def fit_headings(t: QTableWidget) -> None:
    """Widen columns whose heading is wider than them ("Review every (months)", "Service objectives"):
    a cut heading leaves the user guessing what the column holds."""
    header = t.horizontalHeader()
    for col in range(t.columnCount()):
        header.resizeSection(col, max(header.sectionSize(col), header.sectionSizeFromContents(col).width()))


class SchemeEditorLayout:
    """Builds the dialog's pages: the scheme (four tabs) and, after a save, the guided re-score list."""

    def _build(self, root: QWidget) -> None:
        outer = QVBoxLayout(root)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        edit = QWidget()
        lay = QVBoxLayout(edit)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("schemeName")
        self.name_edit.setAccessibleName("Scheme name")
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("matrixSize")
        self.size_combo.setAccessibleName("Matrix size")
        for n in MATRIX_SIZES:
            self.size_combo.addItem(f"{n} × {n} (scores 1–{n * n})", n)
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        self.version_label.setStyleSheet("color: #555;")
        name_label = QLabel("Scheme &name:")
        name_label.setBuddy(self.name_edit)
        size_label = QLabel("&Matrix size:")
        size_label.setBuddy(self.size_combo)
        top.addRow(name_label, self.name_edit)
        top.addRow(size_label, self.size_combo)
        top.addRow("", self.version_label)
        lay.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("schemeTabs")
        lay.addWidget(self.tabs, 1)

        bands_page = QWidget()
        bl = QVBoxLayout(bands_page)
        self.bands_table = _grid("Bands", BAND_HEADERS)
        self.bands_table.horizontalHeader().setSectionResizeMode(B_CONTRAST, QHeaderView.ResizeMode.Stretch)
        bl.addWidget(self.bands_table, 1)
        row = QHBoxLayout()
        self.add_band_button = QPushButton("&Add band")
        self.add_band_button.setAccessibleName("Add a band")
        self.remove_band_button = QPushButton("Remo&ve band")
        self.remove_band_button.setAccessibleName("Remove the selected band")
        row.addWidget(self.add_band_button)
        row.addWidget(self.remove_band_button)
        row.addStretch(1)
        bl.addLayout(row)
        self.bands_note = QLabel()
        self.bands_note.setObjectName("bandsNote")
        self.bands_note.setWordWrap(True)
        bl.addWidget(self.bands_note)
        self.preview_holder = QHBoxLayout()
        bl.addLayout(self.preview_holder)
        self.tabs.addTab(bands_page, "&Bands and matrix")

        impact_page = QWidget()
        il = QVBoxLayout(impact_page)
        il.addWidget(QLabel("Impact levels, lowest first: the label and the criteria text of each dimension "
                            "(printed as the appendix's impact criteria table)."))
        self.impact_table = _grid("Impact levels", ["Label"])
        il.addWidget(self.impact_table, 1)
        self.tabs.addTab(impact_page, "&Impact")

        likelihood_page = QWidget()
        ll = QVBoxLayout(likelihood_page)
        ll.addWidget(QLabel("Likelihood levels, lowest first (printed as the appendix's likelihood table)."))
        self.likelihood_table = _grid("Likelihood levels", LIKELIHOOD_HEADERS)
        ll.addWidget(self.likelihood_table, 1)
        self.tabs.addTab(likelihood_page, "&Likelihood")

        appetite_page = QWidget()
        al = QVBoxLayout(appetite_page)
        al.addWidget(QLabel("Orange Book appetite levels: the highest current score the council tolerates at "
                            "each level (leave blank for a level the council does not use)."))
        self.appetite_table = _grid("Appetite levels", ("Level", "Maximum tolerable score"))
        self.appetite_table.setMaximumHeight(190)
        al.addWidget(self.appetite_table)
        al.addWidget(QLabel("Appetite per category: a risk scoring above its category's maximum is "
                            "“out of appetite”."))
        self.category_table = _grid("Appetite per category", ("Category", "Appetite"))
        al.addWidget(self.category_table, 1)
        self.tabs.addTab(appetite_page, "A&ppetite")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("&Save as new version")
        self.save_button.setObjectName("saveSchemeButton")
        self.save_button.setAccessibleName("Save the scheme as a new version")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        lay.addWidget(self.buttons)
        self.pages.addWidget(edit)

        rescore = QWidget()
        rl = QVBoxLayout(rescore)
        self.rescore_label = QLabel()
        self.rescore_label.setObjectName("rescoreLabel")
        self.rescore_label.setWordWrap(True)
        rl.addWidget(self.rescore_label)
        self.rescore_table = _grid("Risks to re-score", ("Ref", "Owner", "Score", "Band before", "Band now",
                                                         "Why"))
        self.rescore_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rescore_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rl.addWidget(self.rescore_table, 1)
        rrow = QHBoxLayout()
        self.open_risk_button = QPushButton("&Open risk")
        self.open_risk_button.setObjectName("openRescoreRisk")
        self.open_risk_button.setAccessibleName("Open the selected risk in the register to re-score it")
        self.done_button = QPushButton("&Done")
        rrow.addWidget(self.open_risk_button)
        rrow.addStretch(1)
        rrow.addWidget(self.done_button)
        rl.addLayout(rrow)
        self.pages.addWidget(rescore)
