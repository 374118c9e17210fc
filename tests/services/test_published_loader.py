"""The published Leicestershire register (Nov 2023) loads exactly as printed."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from riskdesk.domain.errors import ValidationError
from riskdesk.models import Risk
from riskdesk.services.risks import RiskFilter

FIXTURES = Path(__file__).parent.parent / "fixtures"
SOURCE = json.loads((FIXTURES / "crr-2023-11.json").read_text(encoding="utf-8"))
SOURCE_RISKS = {r["ref"]: r for c in SOURCE["categories"] for r in c["risks"]}


@pytest.fixture
def rows(published, admin, corporate_id):
    return {r.ref: r for r in published.risks.list_risks(admin, corporate_id)}


def test_counts(published, admin, corporate_id, rows):
    cats = published.registers.list_categories(admin, corporate_id)
    assert len(cats) == 11
    assert sum(c.retired for c in cats) == 3
    assert len(rows) == 29
    assert sum(len(r.lines) for r in rows.values()) == 31
    assert len(rows["7.2"].lines) == 3


def test_category_headings_as_printed(published, admin, corporate_id):
    headings = [c.heading for c in published.registers.list_categories(admin, corporate_id)]
    assert headings[0] == "Cost of Living Crisis"
    assert "5. Safeguarding – category retired" in headings
    assert "6. Category retired" in headings
    assert "10. Category Retired" in headings
    assert headings == [c["heading_as_given"] for c in SOURCE["categories"]]


def test_every_score_is_impact_times_likelihood_and_matches_the_source(rows):
    for ref, src in SOURCE_RISKS.items():
        row = rows[ref]
        src_lines = src.get("scoring_lines") or [{"current": src["current"], "target": src["target"]}]
        for line, want in zip(row.lines, src_lines, strict=True):
            assert line.current.score == line.current.impact * line.current.likelihood == want["current"]["score"]
            if want["target"] is None:
                assert line.target is None
            else:
                assert (line.target.impact, line.target.likelihood) == (want["target"]["impact"], want["target"]["likelihood"])
                assert line.target.score == want["target"]["score"]


def test_risk_9_5_has_no_target(rows):
    assert rows["9.5"].target is None
    assert rows["9.5"].target_score is None
    assert sum(1 for r in rows.values() if r.target is None) == 1


def test_multi_department_risks_keep_codes_and_printed_cell(rows):
    assert rows["2.4"].departments == ("A&C", "C&FS", "PH")
    assert rows["7.1"].departments_text == "CR (ALL)"
    assert rows["C"].departments_text == "ALL"
    assert rows["7.8"].departments_text == "All"
    for ref, src in SOURCE_RISKS.items():
        assert rows[ref].departments_text == src["departments_text"]


def test_every_update_and_description_identical(rows):
    for ref, src in SOURCE_RISKS.items():
        assert rows[ref].update_text == src["update"], ref
        assert rows[ref].description == src["description"], ref
        assert rows[ref].service_area == src.get("service_area", "")


def test_directions_and_notes(rows):
    for ref, src in SOURCE_RISKS.items():
        assert rows[ref].direction.value == src["direction"]
        assert rows[ref].direction_text == src["direction_text"]
    assert rows["7.3"].lines[0].note == "Decreased from 20"
    assert rows["7.5"].lines[0].note == "Decreased from 20"


def test_removed_risks_keep_score_as_printed(published, admin, corporate_id):
    removed = {r.ref: r for r in published.risks.removed(admin, corporate_id)}
    assert len(removed) == 8
    assert (removed["B"].score, removed["B"].impact, removed["B"].likelihood) == (9, 4, 3)
    assert removed["1.1"].description != next(r for r in SOURCE_RISKS.values() if r["ref"] == "1.1")["description"]
    current = published.risks.list_risks(admin, corporate_id, RiskFilter(status="all"))
    assert sum(1 for r in current if r.ref == "1.1") == 2  # a ref reused after removal


def test_scheme_is_the_councils_own(published, admin):
    scheme = published.registers.scheme(admin)
    assert scheme.impact_label(5) == "Very High/Critical"
    assert scheme.likelihood_label(4) == "Probable /Likely"
    assert scheme.likelihood_axis_label(4) == "Probable/Likely"
    assert scheme.impact_levels[3].criteria[-1][1].startswith("£500-£750k.")


def test_amendments_recorded_with_rationale(published, admin, db):
    from riskdesk.models import Amendment

    with db.session() as s:
        amendments = s.scalars(select(Amendment)).all()
        assert len(amendments) == 5
        assert all(a.rationale for a in amendments)


def test_loading_twice_is_refused_and_changes_nothing(published, admin, db):
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Risk))
    with pytest.raises(ValidationError, match="already holds risks"):
        published.published.load(admin, FIXTURES / "crr-2023-11.json")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Risk)) == before


def test_bad_file_is_refused_with_a_clear_message_and_nothing_is_written(services, admin, tmp_path, db):
    broken = tmp_path / "crr.json"
    broken.write_text('{"categories": [ {"number": 1, "name": "X", "risks": [', encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        services.published.load(admin, broken)
    bad_score = json.loads((FIXTURES / "crr-2023-11.json").read_text(encoding="utf-8"))
    bad_score["categories"][-2]["risks"][-1]["current"]["impact"] = 7
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad_score), encoding="utf-8")
    with pytest.raises(ValidationError, match="current impact"):
        services.published.load(admin, path)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Risk)) == 0
