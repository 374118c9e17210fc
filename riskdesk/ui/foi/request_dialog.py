"""The request editor: every fact of one FOI/EIR request, with the live clock and "why this date?"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget

from riskdesk.domain.errors import RiskdeskError, StaleEdit, ValidationError
from riskdesk.domain.foi import Channel, FoiDetail, FoiDraft, Outcome, Regime
from riskdesk.domain.register import Actor
from riskdesk.ui.foi.fields import OptionalDate, pydate, qdate
from riskdesk.ui.foi.request_layout import RequestEditorLayout
from riskdesk.ui.foi.review_dialogs import CaseworkTableModel, IcoDialog, ReviewDialog
from riskdesk.ui.kit.prompts import error_text, offer_reload, show_error
from riskdesk.ui.kit.sizing import resize_to_fit_screen

if TYPE_CHECKING:
    from riskdesk.services.foi import FoiService


class RequestDialog(RequestEditorLayout, QDialog):
    """Opened by the FOI page for a new request (``request_id`` None) or an existing one."""

    saved = Signal(int)

    def __init__(self, foi: FoiService, actor: Actor, request_id: int | None = None, *,
                 parent: QWidget | None = None, today: date | None = None, can_edit: bool = True,
                 with_requester: bool = False) -> None:
        super().__init__(parent)
        self.foi, self.actor, self.request_id = foi, actor, request_id
        self.today = today or date.today()
        self.version: int | None = None
        self.with_requester = with_requester
        self.requester_version = 0
        self.setObjectName("foiRequestDialog")
        self.setWindowTitle("New FOI/EIR request" if request_id is None else "FOI/EIR request")
        resize_to_fit_screen(self, 1000, 720)
        self._build(self.today, with_requester)
        self._original_regime: str | None = None
        self.casework = CaseworkTableModel(self)
        self.casework_table.setModel(self.casework)
        self.add_review_button.clicked.connect(self.add_review)
        self.add_ico_button.clicked.connect(self.add_ico_case)
        for b in (self.add_review_button, self.add_ico_button):
            b.setEnabled(can_edit and request_id is not None)
            b.setToolTip("" if request_id is not None else "Save the request first")
        if request_id is not None:
            self.load(foi.get(actor, request_id, today=self.today))
        self.save_button.setEnabled(can_edit)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.clarification_sought, self.clarified, self.fee_requested, self.fee_received,
                  self.extension_notified, self.extended_due, self.responded):
            w.changed.connect(self.refresh_clock)
        self.received.dateChanged.connect(lambda _d: self.refresh_clock())
        self.regime.currentIndexChanged.connect(lambda _i: self.refresh_clock())
        self.refresh_clock()

    # -- fields <-> draft -------------------------------------------------------------------------

    def load(self, d: FoiDetail) -> None:
        self.version = d.row.version
        self.casework.set_rows([*d.reviews, *d.ico_cases])
        source = d.row.source_reference
        self.reference_label.setText(d.row.reference + (f" (export: {source})" if source else ""))
        self.reference_label.setToolTip(f"Imported; {source} is its reference in the export it came from. The "
                                        "list's search finds it by either." if source else "")
        self.setWindowTitle(f"{d.row.reference} – {d.row.regime.label} request")
        x = d.draft
        self._original_regime = x.regime.value
        self.regime.setCurrentIndex(self.regime.findData(x.regime.value))
        self.regime_reason.setText(x.regime_reason)
        self.received.setDate(qdate(x.received_on))
        self.channel.setCurrentIndex(self.channel.findData(x.channel.value))
        self.requester_type.setCurrentText(x.requester_type or "")
        self.subject.setText(x.subject)
        for code, box in self.department_checks.items():
            box.setChecked(code in x.departments.split())
        self.summary.setPlainText(x.summary)
        self.division.setText(x.division)
        self.local_alert.set_value(x.local_alert_sent_on)
        self.media.setChecked(x.media)
        self.media_approved.set_value(x.media_approved_on)
        self.clarification_sought.set_value(x.clarification_sought_on)
        self.clarified.set_value(x.clarified_on)
        self.fee_requested.set_value(x.fee_requested_on)
        self.fee_received.set_value(x.fee_received_on)
        self.extension_notified.set_value(x.extension_notified_on)
        self.extended_due.set_value(x.extended_due_on)
        self.responded.set_value(x.responded_on)
        self.outcome.setCurrentIndex(max(self.outcome.findData(x.outcome.value if x.outcome else ""), 0))
        self.bases.setText(x.bases)
        self.hours.setText("" if x.cost_estimate_hours is None else str(x.cost_estimate_hours))
        self.pit.setPlainText(x.public_interest_test)
        self.disclosure.setCurrentIndex({None: 0, True: 1, False: 2}[x.disclosure_log])
        self.published.set_value(x.disclosure_published_on)
        self.disclosure_reason.setText(x.disclosure_reason)
        if self.with_requester:
            p = self.foi.requester(self.actor, d.row.id)
            self.requester_version = p.version
            self.requester_name.setText(p.name)
            self.requester_email.setText(p.email)
            self.requester_address.setPlainText(p.address)

    def draft(self) -> FoiDraft:
        hours_text = self.hours.text().strip()
        try:
            hours = Decimal(hours_text) if hours_text else None
        except InvalidOperation:
            raise ValidationError("hours estimate", hours_text, "is not a number of hours (e.g. 24.5)") from None
        outcome = self.outcome.currentData()
        return FoiDraft(
            regime=Regime(self.regime.currentData()), received_on=pydate(self.received.date()),
            departments=" ".join(c for c, b in self.department_checks.items() if b.isChecked()),
            subject=self.subject.text().strip(), channel=Channel(self.channel.currentData()),
            requester_type=self.requester_type.currentText().strip() or None, summary=self.summary.toPlainText(),
            regime_reason=self.regime_reason.text().strip(), division=self.division.text().strip(),
            local_alert_sent_on=self.local_alert.value(), media=self.media.isChecked(),
            media_approved_on=self.media_approved.value(), clarification_sought_on=self.clarification_sought.value(),
            clarified_on=self.clarified.value(), fee_requested_on=self.fee_requested.value(),
            fee_received_on=self.fee_received.value(), extension_notified_on=self.extension_notified.value(),
            extended_due_on=self.extended_due.value(), responded_on=self.responded.value(),
            outcome=Outcome(outcome) if outcome else None, bases=self.bases.text().strip(),
            public_interest_test=self.pit.toPlainText().strip(), cost_estimate_hours=hours,
            disclosure_log=self.disclosure.currentData(), disclosure_published_on=self.published.value(),
            disclosure_reason=self.disclosure_reason.text().strip(),
        )

    # -- the clock panel --------------------------------------------------------------------------

    def refresh_clock(self) -> None:
        """Recompute the due date from the dates as typed (nothing is saved) and explain it."""
        try:
            lines = self.foi.explain(self.draft())
        except RiskdeskError as exc:
            self.due_label.setText("Due: —")
            self.why_text.setPlainText(error_text(exc))
            return
        first_due = next((ln for ln in lines if ln.startswith("due: ")), "")
        self.due_label.setText("Due: " + first_due.removeprefix("due: "))
        self.why_text.setPlainText("\n".join(lines))

    # -- internal reviews and ICO cases --------------------------------------------------------------

    def add_review(self) -> None:
        self.review_dialog = ReviewDialog(self, lambda d: self.foi.add_review(self.actor, self.request_id or 0, d),
                                          self.today)
        self.review_dialog.accepted.connect(self._reload_casework)
        self.review_dialog.open()

    def add_ico_case(self) -> None:
        self.ico_dialog = IcoDialog(self, lambda d: self.foi.add_ico_case(self.actor, self.request_id or 0, d),
                                    self.today)
        self.ico_dialog.accepted.connect(self._reload_casework)
        self.ico_dialog.open()

    def _reload_casework(self) -> None:
        d = self.foi.get(self.actor, self.request_id or 0, today=self.today)
        self.casework.set_rows([*d.reviews, *d.ico_cases])

    # -- saving -----------------------------------------------------------------------------------

    def save(self) -> None:
        self.error_label.clear()
        try:
            draft = self.draft()
            if self.request_id is None:
                from riskdesk.services.foi import Requester

                person = (Requester(self.requester_name.text(), self.requester_email.text(),
                                    self.requester_address.toPlainText()) if self.with_requester else None)
                detail = self.foi.create(self.actor, draft, requester=person, today=self.today)
            else:
                detail = self.foi.update(self.actor, self.request_id, draft, expected_version=self.version or 0,
                                         today=self.today)
                if self.with_requester:
                    from riskdesk.services.foi import Requester

                    self.foi.set_requester(self.actor, self.request_id, Requester(
                        self.requester_name.text(), self.requester_email.text(),
                        self.requester_address.toPlainText(), self.requester_version))
        except StaleEdit as exc:
            if offer_reload(self, exc):
                self.load(self.foi.get(self.actor, self.request_id or 0, today=self.today))
            return
        except ValidationError as exc:
            # Shown in the dialog, which stays open with everything typed (nothing is lost).
            self.error_label.setText(error_text(exc))
            return
        except RiskdeskError as exc:
            show_error(self, "The request was not saved", exc)
            return
        self.request_id = detail.row.id
        self.version = detail.row.version
        self.saved.emit(detail.row.id)
        self.accept()


__all__ = ["OptionalDate", "RequestDialog"]
