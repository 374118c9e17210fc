"""The appendix wording a council edits: round trip, refusals, audit, and frozen cycles."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from riskdesk.domain.cycles import DEFAULT_FOOTNOTES, WordingProblem
from riskdesk.domain.errors import PermissionDenied, StaleEdit
from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import Footnote
from riskdesk.reports._common import DEFAULT_COLUMNS

NOTES = (
    Footnote("†", "R&D <b> spend – see “Finance” & Dŵr Cymru’s ŷ note\nsecond line", ("First <i>item</i>", "Ail eitem")),
    Footnote("", "A footnote with no marker."),
)


def _text(services, admin, cycle_id) -> str:
    buffer = io.BytesIO()
    services.cycles.write_appendix(admin, cycle_id, buffer)
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(buffer).pages)


def _cycle(services, admin, meeting):
    return next(c for c in services.cycles.list(admin) if c.meeting_date == meeting)


def _wording_entries(services, admin):
    return [e for e in services.risks.audit_trail(admin, entity="setting") if e.action == "settings.appendix"]


def test_defaults_before_any_change(services, admin):
    footnotes, columns = services.cycles.wording(admin)
    assert footnotes == DEFAULT_FOOTNOTES
    assert columns == DEFAULT_COLUMNS


def test_wording_round_trips_exactly(services, admin):
    services.cycles.set_wording(admin, footnotes=NOTES, columns={"ref": "Risk <No.> & ref", "impact": "Effaith ŵ"})
    footnotes, columns = services.cycles.wording(admin)
    assert footnotes == NOTES
    assert columns == {**DEFAULT_COLUMNS, "ref": "Risk <No.> & ref", "impact": "Effaith ŵ"}
    # Overrides replace the previous ones: a heading left out prints its default again.
    services.cycles.set_wording(admin, columns={"impact": "Impact (I)"})
    assert services.cycles.wording(admin)[1] == {**DEFAULT_COLUMNS, "impact": "Impact (I)"}
    assert services.cycles.wording(admin)[0] == NOTES  # footnotes not given: left alone
    services.cycles.set_wording(admin, footnotes=())
    assert services.cycles.wording(admin)[0] == ()


def test_unknown_column_is_refused_clearly_and_nothing_changes(services, admin):
    with pytest.raises(WordingProblem, match=r"'owner' is not a column heading \(known: ref, departments") as err:
        services.cycles.set_wording(admin, footnotes=NOTES, columns={"owner": "Owner", "ref": "No."})
    assert err.value.column == "owner"
    assert services.cycles.wording(admin) == (DEFAULT_FOOTNOTES, DEFAULT_COLUMNS)
    assert _wording_entries(services, admin) == []


@pytest.mark.parametrize(("footnotes", "columns", "field", "where"), [
    (None, {"ref": "   "}, "column heading “CRR Risk No.”", ("ref", None, "")),
    (None, {"score": "x" * 201}, "column heading “Risk Score”", ("score", None, "")),
    ((Footnote("*", "fine"), Footnote("**", " \n")), None, "footnote 2 text", (None, 1, "text")),
    ((Footnote("*" * 11, "text"),), None, "footnote 1 marker", (None, 0, "marker")),
    ((Footnote("*", "text", ("a", "")),), None, "footnote 1 bullet 2", (None, 0, "items")),
])
def test_bad_wording_names_the_field(services, admin, footnotes, columns, field, where):
    with pytest.raises(WordingProblem) as err:
        services.cycles.set_wording(admin, footnotes=footnotes, columns=columns)
    assert err.value.field == field
    assert (err.value.column, err.value.footnote, err.value.part) == where
    assert services.cycles.wording(admin) == (DEFAULT_FOOTNOTES, DEFAULT_COLUMNS)


def test_change_is_audited_old_to_new_and_an_unchanged_save_is_not(services, admin):
    services.cycles.set_wording(admin, columns={"ref": "Risk No."})
    services.cycles.set_wording(admin, footnotes=NOTES, columns={"ref": "Risk No."})
    entries = _wording_entries(services, admin)
    assert len(entries) == 2
    newest = entries[0]
    assert newest.user_login == admin.login and newest.label == "Appendix wording"
    assert set(newest.changes) == {"footnotes"}  # the headings did not change this time
    old, new = newest.changes["footnotes"]
    assert old is None and "R&D <b> spend" in new
    assert entries[1].changes["columns"] == [None, '{"ref": "Risk No."}']
    services.cycles.set_wording(admin, footnotes=NOTES, columns={"ref": "Risk No."})
    assert len(_wording_entries(services, admin)) == 2


def test_only_the_risk_team_may_change_it(services, admin):
    services.registers.me(admin)  # the first user becomes administrator
    services.registers.add_user(admin, "owner", "Risk Owner", role="risk_owner")
    owner = Actor("owner")
    assert services.cycles.wording(owner) == (DEFAULT_FOOTNOTES, DEFAULT_COLUMNS)  # reading is fine
    with pytest.raises(PermissionDenied):
        services.cycles.set_wording(owner, columns={"ref": "No."})
    assert services.cycles.wording(admin)[1] == DEFAULT_COLUMNS


def test_someone_elses_save_in_between_is_a_stale_edit(services, admin):
    opened = services.cycles.wording(admin)
    services.cycles.set_wording(admin, columns={"ref": "Theirs"}, expected=opened)
    with pytest.raises(StaleEdit, match="appendix wording was changed by someone else"):
        services.cycles.set_wording(admin, columns={"ref": "Mine"}, expected=opened)
    assert services.cycles.wording(admin)[1]["ref"] == "Theirs"


def test_drafts_print_the_new_wording_and_presented_cycles_keep_theirs(published, admin):
    september = _cycle(published, admin, date(2023, 9, 22))
    november = _cycle(published, admin, date(2023, 11, 17))
    assert september.presented and not november.presented
    before = _text(published, admin, september.id)
    assert "CRR Risk No." in before and "Target risk score - This is the desired score" in before

    published.cycles.set_wording(admin, footnotes=NOTES, columns={"ref": "Rhif y risg"})

    # The presented cycle reprints its frozen wording…
    assert _text(published, admin, september.id) == before
    # …the open draft prints the new wording, and so does a cycle created afterwards.
    presented = published.cycles.present(admin, november.id, expected_version=november.version)
    for cycle_id in (november.id, published.cycles.create(admin, date(2024, 1, 26)).id):
        text = _text(published, admin, cycle_id)
        assert "Rhif y risg" in text and "CRR Risk No." not in text
        assert "†R&D <b> spend – see “Finance” & Dŵr Cymru’s ŷ note second line" in text
        assert "First <i>item</i>" in text and "Ail eitem" in text
        assert "Target risk score - This is the desired score" not in text
    # Changing the wording again leaves the now-presented November cycle alone.
    published.cycles.set_wording(admin, footnotes=DEFAULT_FOOTNOTES, columns={})
    assert "Rhif y risg" in _text(published, admin, presented.id)
