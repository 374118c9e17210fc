"""The Fenland register through a mapping saved and reloaded by name."""

from __future__ import annotations

import csv
import json

from iohelpers import FENLAND, FENLAND_OWNERS

from riskdesk.domain.scoring import Score
from riskdesk.io.mapping import ImportMapping, detect_header_rows, guess_mapping, header_names
from riskdesk.io.prepare import prepare_import
from riskdesk.io.readers import read_workbook
from riskdesk.io.scales import ScaleMap


def _source_rows() -> list[dict[str, str]]:
    with FENLAND.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _saved_and_reloaded(mapping: ImportMapping) -> ImportMapping:
    saved = {mapping.name: {"mapping": mapping.to_dict(), "scales": ScaleMap().to_dict()}}
    text = json.dumps(saved)
    return ImportMapping.from_dict(json.loads(text)["Fenland CRR"]["mapping"])


def test_fenland_through_a_saved_mapping() -> None:
    sheet = read_workbook(FENLAND).sheet()
    start, count = detect_header_rows(sheet.grid)
    assert (start, count) == (0, 1)
    guessed = guess_mapping(header_names(sheet.grid, start, count), name="Fenland CRR")
    mapping = _saved_and_reloaded(guessed)
    assert mapping == guessed
    fields = dict(mapping.columns)
    assert fields["Reference"] == "ref"
    assert fields["Risk and effects"] == "description"
    assert fields["Risk if no action - Impact"] == "inherent_impact"
    assert fields["Risk if no action - Likelihood"] == "inherent_likelihood"
    assert fields["Risk if no action - Score"] == "inherent_score"
    assert fields["Current risk - Impact"] == "current_impact"
    assert fields["Current risk - Likelihood"] == "current_likelihood"
    assert fields["Risk Owner"] == "owner"
    assert fields["Mitigation"] == "mitigation"
    assert fields["Actions being taken to managing risk"] == "actions"
    assert fields["Comments and progress of actions"] == "update"
    assert mapping.impact_first

    prepared = prepare_import(sheet, mapping, known_owners=FENLAND_OWNERS, source_name=FENLAND.name)
    assert prepared.ok, [str(p) for p in prepared.problems]
    assert prepared.problems == ()
    assert len(prepared.rows) == 20
    source = _source_rows()
    for risk, cells in zip(prepared.rows, source, strict=True):
        assert risk.row == int(cells["Reference"]) + 1  # header is Excel row 1
        assert risk.ref == cells["Reference"]
        # Text whole: every character of the cell, line breaks and bullets included.
        assert risk.description == cells["Risk and effects"].strip()
        assert risk.mitigation == cells["Mitigation"].strip()
        assert risk.actions == cells["Actions being taken to managing risk"].strip()
        assert risk.update == cells["Comments and progress of actions"].strip()
        # Impact comes first in both score sets.
        assert risk.inherent == Score(int(cells["Risk if no action - Impact"]), int(cells["Risk if no action - Likelihood"]))
        assert risk.current == Score(int(cells["Current risk - Impact"]), int(cells["Current risk - Likelihood"]))
        assert risk.inherent_stated_score == int(cells["Risk if no action - Score"])
        assert risk.current_stated_score == int(cells["Current risk - Score"])
        assert risk.target is None and risk.direction is None
        assert " / ".join(risk.owners) == cells["Risk Owner"]
    by_ref = {r.ref: r for r in prepared.rows}
    assert by_ref["2"].owners == ("Peter Catchpole", "Carol Pilson")
    assert by_ref["4"].owners == ("Carol Pilson", "Peter Catchpole")
    assert by_ref["9"].current == Score(4, 4) and by_ref["9"].current.score == 16
    assert by_ref["1"].description.startswith("Risk:-\nLegislative changes\n\nEffects:-\n")
    assert by_ref["1"].description.endswith("Risk of GDPR breach and ICO sanction/fine")
    assert "• Monitoring Officer\n• Horizon scanning" in by_ref["1"].mitigation
    assert by_ref["12"].update.endswith("\n\n.")  # the lone "." paragraph is in the source


def test_unknown_fenland_owners_are_warnings_naming_the_row() -> None:
    sheet = read_workbook(FENLAND).sheet()
    mapping = guess_mapping(header_names(sheet.grid, 0, 1))
    prepared = prepare_import(sheet, mapping, known_owners=("Carol Pilson", "CMT"))
    assert prepared.ok  # warnings do not block
    assert set(prepared.unknown_owners) == {"Peter Catchpole", "Paul Medd"}
    medd = [p for p in prepared.problems if "Paul Medd" in p.message]
    assert len(medd) == 1
    assert medd[0].row == 18 and medd[0].column == "Risk Owner" and medd[0].severity == "warning"


def test_score_sets_can_be_reassigned() -> None:
    sheet = read_workbook(FENLAND).sheet()
    mapping = guess_mapping(header_names(sheet.grid, 0, 1)).with_score_sets({"inherent": None})
    prepared = prepare_import(sheet, mapping, known_owners=FENLAND_OWNERS)
    assert all(r.inherent is None for r in prepared.rows)
    assert prepared.rows[0].current == Score(2, 5)
