"""Report-cycle dialogs (new cycle, present) and the movements summary."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QDate,
)
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.cycles import CycleRow, default_title, default_update_heading, long_date
from riskdesk.domain.snapshot import Movements
from riskdesk.ui.kit.contrast import ERROR, text_tone
from riskdesk.ui.kit.sizing import resize_to_fit_screen

if TYPE_CHECKING:
    pass


class NewCycleDialog(QDialog):
    """Meeting date, title, update heading and committee; blank fields take the defaults."""

    def __init__(self, register_name: str, committee: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New report cycle")
        self.register_name = register_name or "Corporate Risk Register"
        # Wide enough for the title bar and the default title shown in grey ("Corporate Risk Register Update
        # (December 2026)"), which a narrower dialog cut to "New report c… e".
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.meeting = QDateEdit(QDate.currentDate())
        self.meeting.setCalendarPopup(True)
        self.meeting.setDisplayFormat("d MMMM yyyy")
        self.meeting.setAccessibleName("Committee meeting date")
        self.title = QLineEdit()
        self.title.setAccessibleName("Appendix title")
        self.heading = QLineEdit()
        self.heading.setAccessibleName("Update column heading")
        self.committee = QLineEdit()
        self.committee.setAccessibleName("Committee")
        self.committee.setPlaceholderText(committee or "Corporate Governance Committee")
        form.addRow("&Meeting date:", self.meeting)
        form.addRow("&Title:", self.title)
        form.addRow("Update &heading:", self.heading)
        form.addRow("&Committee:", self.committee)
        note = QLabel("Leave a field blank to use the default shown in grey. The movements are computed "
                      "against the last presented cycle.")
        note.setWordWrap(True)
        form.addRow(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("C&reate")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.meeting.dateChanged.connect(self._update_placeholders)
        self._update_placeholders()

    def meeting_date(self) -> date:
        d = self.meeting.date()
        return date(d.year(), d.month(), d.day())

    def _update_placeholders(self) -> None:
        meeting = self.meeting_date()
        self.title.setPlaceholderText(default_title(meeting, self.register_name))
        self.heading.setPlaceholderText(default_update_heading(meeting))


class PresentDialog(QDialog):
    """Shows the movements that will be frozen and asks for confirmation."""

    def __init__(self, cycle: CycleRow, movements_html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Present report cycle")
        resize_to_fit_screen(self, 760, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>Present “{html.escape(cycle.title)}” to the {html.escape(cycle.meeting_title)} on "
            f"{long_date(cycle.meeting_date)}?</b><br>The appendix is frozen as it prints now: it will always print "
            "the same, whatever changes in the register later. Risks not yet presented are marked presented, so "
            "later changes to their descriptions will need a rationale. <b>This cannot be undone.</b>")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.movements = QTextBrowser()
        self.movements.setAccessibleName("Movements that will be presented")
        self.movements.setHtml(movements_html)
        layout.addWidget(self.movements, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.present_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.present_button.setText("&Present")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


def movements_html(cycle: CycleRow, moves: Movements | None, unscored: list[str] | None = None) -> str:
    """The movements as the window shows them (escaped; same order as the printed section)."""
    e = html.escape
    parts = [f"<h3>{e(cycle.title)}</h3><p>{e(cycle.meeting_title)}, {long_date(cycle.meeting_date)} · "]
    if cycle.presented:
        when = f"{cycle.presented_at:%d %B %Y %H:%M}" if cycle.presented_at else ""
        parts.append(f"<b>presented</b> {e(when)} by {e(cycle.presented_by or '')}: frozen, prints the same every "
                     f"time.<br><small>Snapshot SHA-256 {e(cycle.snapshot_sha256 or '')}</small></p>")
    else:
        parts.append("<b>draft</b>: printed from the register as it stands.</p>")
    if unscored:
        parts.append(f"<p style='color:{text_tone(ERROR)}'><b>Not yet scored</b> (left out; presenting is refused until they "
                     f"are scored or removed): {e(', '.join(unscored))}</p>")
    if moves is None:
        parts.append("<p>First cycle of this register: there is no presented cycle to compare with.</p>")
        return "".join(parts)
    since = long_date(moves.since) if moves.since else "the last presentation"
    parts.append(f"<h4>Movements since the register was last presented ({e(since)})</h4>")

    def flag(exempt: bool) -> str:
        return " <i>(exempt: Part B only)</i>" if exempt else ""

    parts.append("<p><b>Risk(s) added</b></p>")
    parts += [f"<p><b>{e(r.ref)} {e(r.departments_text)}</b>{flag(r.exempt)}<br>{e(r.description)}</p>"
              for r in moves.added] or ["<p>None.</p>"]
    parts.append("<p><b>Risk(s) removed</b></p>")
    parts += [f"<p><b>{e(r.ref)} {e(r.department)}</b>{flag(r.exempt)}<br>{e(r.description)}<br>Reason – "
              f"{e(r.reason)} ({long_date(r.removed_on)})</p>" for r in moves.removed] or ["<p>None.</p>"]
    parts.append("<p><b>Risk(s) amended</b></p>")
    parts += [f"<p><b>{e(a.ref)} {e(a.department)}</b>{flag(a.exempt)}<br><b>Change from:</b> {e(a.change_from)}"
              f"<br><b>Change to:</b> {e(a.change_to)}<br><b>Rationale –</b> "
              f"{e(a.rationale) or '<i>none recorded</i>'}</p>" for a in moves.amended] or ["<p>None.</p>"]
    parts.append("<p><b>Score changes</b></p>")
    parts += [f"<p><b>{e(c.ref)}</b>{flag(c.exempt)} – {c.previous} → {c.current}</p>"
              for c in moves.score_changes] or ["<p>None.</p>"]
    return "".join(parts)
