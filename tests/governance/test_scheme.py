"""A scheme the council can change: versions, the guided re-score, CLI import/export, the next appendix."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from riskdesk.cli import run
from riskdesk.domain.errors import PermissionDenied, ValidationError
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import Band, Bands

FIXTURES = Path(__file__).parent.parent / "fixtures"
BURY = FIXTURES / "bury-scheme-4x4.json"


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_published_register_loads_with_the_published_scheme(published, admin):
    scheme = published.scheme.current(admin)
    criteria = json.loads((FIXTURES / "scoring-criteria.json").read_text(encoding="utf-8"))
    assert [lv.label for lv in scheme.impact_levels] == [lv["description"] for lv in criteria["impact_levels"]]
    assert scheme.size == 5 and [b.label for b in scheme.bands.bands] == ["low/green", "medium/amber", "high/red"]


def test_published_register_takes_the_councils_bands_not_riskdesks(services, admin):
    scheme = services.scheme.current(admin)
    bury = Bands((Band("Low", "green", 1, 3, "#92d050"), Band("Medium", "yellow", 4, 6, "#ffff00"),
                  Band("High", "amber", 8, 12, "#ffc000"), Band("Significant", "red", 15, 25, "#ff0000")))
    services.scheme.save(admin, replace(scheme, bands=bury))
    services.published.load(admin, FIXTURES / "crr-2023-11.json")
    assert [b.name for b in services.scheme.current(admin).bands.bands] == ["Low", "Medium", "High", "Significant"]


def test_saving_creates_a_version_old_assessments_and_presented_cycles_keep_theirs(published, admin, corporate_id):
    before = published.scheme.current(admin)
    cycle = published.cycles.resolve(admin, "latest")
    published.cycles.present(admin, cycle.id)
    presented = published.cycles.preview_snapshot(admin, cycle.id).scheme
    saved = published.scheme.import_json(admin, BURY.read_text(encoding="utf-8"))
    assert saved.version == before.version + 1
    assert published.scheme.current(admin).size == 4
    assert published.scheme.current(admin, before.version) == before  # the old version is untouched
    assert published.cycles.preview_snapshot(admin, cycle.id).scheme == presented  # presented cycle keeps its own
    # Old assessments keep the version they were scored under.
    for risk in published.risks.list_risks(admin, corporate_id)[:5]:
        assert {h.scheme_version for h in published.risks.history(admin, risk.id)} == {before.version}
    trail = published.risks.audit_trail(admin, entity="scheme_version")
    assert trail and trail[0].action == "scheme.save"


def test_guided_rescore_lists_risks_whose_band_or_meaning_changes(published, admin, corporate_id):
    rows = published.risks.list_risks(admin, corporate_id)
    scheme = published.scheme.current(admin)
    # Move 15 and 16 out of red: only the risks scoring exactly those move band.
    bands = Bands((Band("low", "green", 1, 6, "#92d050"), Band("medium", "amber", 8, 16, "#ffc000"),
                   Band("high", "red", 20, 25, "#ff0000")))
    saved = published.scheme.save(admin, replace(scheme, bands=bands))
    expected = sorted(r.ref for r in rows if r.score in (15, 16))
    print(f"{len(saved.rescore)} risk(s) to re-score of {len(rows)}")
    assert sorted(r.ref for r in saved.rescore) == expected and expected
    assert all("moves from high/red to medium/amber" in r.reasons[0] for r in saved.rescore)
    # Re-wording impact 4 prompts every risk scored impact 4 as well.
    words = replace(scheme, bands=bands, impact_levels=(*scheme.impact_levels[:3],
                                                        replace(scheme.impact_levels[3], label="Severe"),
                                                        scheme.impact_levels[4]))
    saved = published.scheme.save(admin, words)
    assert {r.ref for r in saved.rescore} >= {r.ref for r in rows if r.current and r.current.impact == 4}


def test_only_administrator_or_risk_team_saves_a_scheme_and_bad_files_are_refused(published, admin):
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    with pytest.raises(PermissionDenied):
        published.scheme.import_json(Actor("owner1"), BURY.read_text(encoding="utf-8"))
    with pytest.raises(ValidationError, match="not valid JSON"):
        published.scheme.import_json(admin, "{")
    data = json.loads(BURY.read_text(encoding="utf-8"))
    data["bands"] = data["bands"][1:]  # scores 1–3 fall in no band
    with pytest.raises(ValidationError, match="falls in no band"):
        published.scheme.import_json(admin, json.dumps(data))
    assert published.scheme.current(admin).size == 5  # nothing saved


def test_bury_4x4_via_the_cli_prints_in_the_next_appendix(db_url, tmp_path, capsys):
    assert run(["--database", db_url, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    assert run(["--database", db_url, "scheme", "import", str(BURY)]) == 0
    out = capsys.readouterr().out
    assert "Scheme version 2 saved: Bury Council 4 × 4 risk matrix" in out
    assert "risk(s) to re-score under the new scheme" in out and "outside the new 4 × 4 matrix" in out
    assert run(["--database", db_url, "scheme", "show"]) == 0
    out = capsys.readouterr().out
    assert "Matrix: 4 × 4 (scores 1–16)" in out and "15–25  Significant (red, #ff0000)" in out
    assert "8–12  High (amber, #ffc000)" in out
    exported = tmp_path / "scheme.json"
    assert run(["--database", db_url, "scheme", "export", "--out", str(exported)]) == 0
    assert json.loads(exported.read_text(encoding="utf-8"))["size"] == 4
    pdf = tmp_path / "next.pdf"
    assert run(["--database", db_url, "appendix", "--cycle", "latest", "--out", str(pdf)]) == 0
    text = _pdf_text(pdf)
    assert "Statutory duty breached; intervention by a regulator" in text  # Bury's impact 4 criteria
    assert "Highly probable" in text and "Expected within the year" in text
    # The matrix page prints as the published one does (no "Bands:" line): the cells carry the bands.
    matrix = text[text.index("Risk Scoring Matrix"):].split("Appendix A –")[0]
    assert "16" in matrix and "25" not in matrix  # a 4 × 4 matrix: top cell 16
    # The cycle presented before keeps the 5 × 5 scheme it was presented with.
    old = tmp_path / "old.pdf"
    assert run(["--database", db_url, "appendix", "--cycle", "1", "--out", str(old)]) == 0
    old_text = _pdf_text(old)
    assert "Significant/red" not in old_text and "Highly probable" not in old_text
    old_matrix = old_text[old_text.index("Risk Scoring Matrix"):].split("Appendix A –")[0]
    assert "25" in old_matrix and "Almost certain" in old_text  # its own 5 × 5 matrix and labels


def test_a_rescored_risk_leaves_the_guided_list(published, admin, corporate_id):
    from riskdesk.domain.direction import Direction
    from riskdesk.domain.risk_detail import AssessmentChange
    from riskdesk.domain.scoring import Score

    saved = published.scheme.import_json(admin, BURY.read_text(encoding="utf-8"))
    first = saved.rescore[0]
    assert first.ref in [r.ref for r in published.scheme.rescore_list(admin)]
    row = published.risks.get(admin, first.risk_id)
    period = published.registers.current_period(admin)
    published.risks.record_assessment(admin, first.risk_id, period,
                                      AssessmentChange(Score(4, 4), None, Direction.LEVEL, "Re-scored on the 4 × 4"),
                                      expected_version=row.assessment_version if row.period == period.code else None)
    left = published.scheme.rescore_list(admin)
    print(f"{len(saved.rescore)} to re-score, {len(left)} left after one re-score")
    assert first.ref not in [r.ref for r in left] and len(left) == len(saved.rescore) - 1
