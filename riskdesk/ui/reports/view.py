"""The Reports page laid out (widgets only; ReportsPage wires them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    pass
from riskdesk.ui.reports.parts import PARTS


class ReportsView(QWidget):
    """Layout only: actions, the cycles table, the movements and the appendix preview."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.new_button = QPushButton("&New cycle…")
        self.present_button = QPushButton("Pre&sent…")
        self.preview_button = QPushButton("&Update preview")
        self.part_combo = QComboBox()
        self.part_combo.setAccessibleName("Appendix part")
        for code, label in PARTS:
            self.part_combo.addItem(label, code)
        self.save_pdf_button = QPushButton("Save as PDF…")
        self.save_word_button = QPushButton("Save as &Word…")
        self.print_button = QPushButton("Print…")
        self.evidence_button = QPushButton("Evidence pack…")
        self.evidence_button.setObjectName("evidencePackButton")
        self.evidence_button.setAccessibleName("Evidence pack")
        self.wording_button = QPushButton("&Appendix wording…")
        self.wording_button.setAccessibleName("Appendix wording")
        for w, tip in ((self.new_button, "Create a report cycle for a committee meeting"),
                       (self.present_button, "Freeze the selected draft cycle as presented (asks first)"),
                       (self.preview_button, "Show the appendix of the selected cycle"),
                       (self.save_pdf_button, "Save the appendix as a PDF file (Ctrl+S)"),
                       (self.save_word_button, "Save the appendix as a Word document"),
                       (self.print_button, "Print the appendix (Ctrl+P)"),
                       (self.evidence_button, "Internal audit's zip for the selected cycle (also Reports ▸ Evidence pack…): the appendix (PDF and "
                                              "Word), the snapshot, movements, the period's audit trail, the hygiene "
                                              "lists and a manifest with SHA-256 of every file"),
                       (self.wording_button, "The column headings and footnotes printed on the appendix of cycles "
                                             "not yet presented")):
            w.setToolTip(tip)
            w.setAccessibleDescription(tip)
        bar.addWidget(self.new_button)
        bar.addWidget(self.present_button)
        bar.addSpacing(18)
        bar.addWidget(QLabel("Appendi&x:"))
        bar.itemAt(bar.count() - 1).widget().setBuddy(self.part_combo)  # type: ignore[union-attr]
        bar.addWidget(self.part_combo)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.save_pdf_button)
        bar.addWidget(self.save_word_button)
        bar.addWidget(self.print_button)
        bar.addStretch(1)
        bar.addWidget(self.evidence_button)
        bar.addWidget(self.wording_button)
        layout.addLayout(bar)

        self.cycles_table = QTableView()
        self.cycles_table.setObjectName("cyclesTable")
        self.cycles_table.setAccessibleName("Report cycles")
        self.cycles_table.setTabKeyNavigation(False)  # arrows move between cycles; Tab leaves the table
        self.cycles_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cycles_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cycles_table.setSortingEnabled(True)
        self.cycles_table.verticalHeader().setVisible(False)
        self.cycles_table.setWordWrap(False)
        self.movements_view = QTextBrowser()
        self.movements_view.setObjectName("movementsView")
        self.movements_view.setAccessibleName("Movements since the register was last presented")
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.cycles_table)
        left.addWidget(self.movements_view)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 3)

        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setObjectName("appendixPreview")
        self.pdf_view.setAccessibleName("Appendix preview")
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_label = QLabel("Choose a cycle and press Preview to see its appendix.")
        self.preview_label.setWordWrap(True)
        self.zoom_out_button = QToolButton()
        self.zoom_in_button = QToolButton()
        self.fit_width_button = QToolButton()
        self.zoom_label = QLabel("Fit width")
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setAccessibleName("Preview zoom")
        zoom_bar = QHBoxLayout()
        zoom_bar.addWidget(self.preview_label, 1)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_width_button):
            zoom_bar.addWidget(w)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(zoom_bar)
        rl.addWidget(self.pdf_view, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout.addWidget(self.splitter, 1)

        status = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Status")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Progress")
        self.progress_bar.setMaximumWidth(320)
        self.progress_bar.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop building the appendix (Esc)")
        self.cancel_button.setVisible(False)
        status.addWidget(self.status_label, 1)
        status.addWidget(self.progress_bar)
        status.addWidget(self.cancel_button)
        layout.addLayout(status)
        self.add_zoom_actions()

    def add_zoom_actions(self) -> None:
        """The preview's zoom: buttons and keys (Ctrl++ / Ctrl+- / Ctrl+0), from the action registry."""
        from riskdesk.ui.kit.actions import ActionId as A
        from riskdesk.ui.kit.actions import make_action

        for button, id, slot in ((self.zoom_in_button, A.PREVIEW_ZOOM_IN, lambda: self.zoom_preview(1.25)),
                                 (self.zoom_out_button, A.PREVIEW_ZOOM_OUT, lambda: self.zoom_preview(0.8)),
                                 (self.fit_width_button, A.PREVIEW_FIT_WIDTH, self.fit_preview_width)):
            button.setDefaultAction(make_action(id, self.parentWidget() or self, slot))

    def zoom_preview(self, factor: float) -> None:
        """Zoom the appendix preview by ``factor`` from what is shown (25% to 400%)."""
        from PySide6.QtPdfWidgets import QPdfView

        view = self.pdf_view
        if view.zoomMode() != QPdfView.ZoomMode.Custom:
            # From "fit width", start at the factor that fit shows now: page width against the viewport.
            doc = view.document()
            page_w = doc.pagePointSize(0).width() * self.logicalDpiX() / 72 if doc and doc.pageCount() else 0
            current = view.viewport().width() / page_w if page_w else 1.0
            view.setZoomMode(QPdfView.ZoomMode.Custom)
            view.setZoomFactor(current)
        view.setZoomFactor(min(4.0, max(0.25, view.zoomFactor() * factor)))
        self.zoom_label.setText(f"{view.zoomFactor():.0%}")

    def fit_preview_width(self) -> None:
        from PySide6.QtPdfWidgets import QPdfView

        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.zoom_label.setText("Fit width")
