"""The published register, loaded through the database, presented and printed as Appendix A.

Unlike the other report tests (which build the snapshot straight from the fixtures), this
goes the whole way: loader → database → November cycle → present → frozen snapshot → PDF.
"""

from __future__ import annotations

import io

import pytest
from pdfcheck import PdfText, contains_run, extract, find_in_order, squash
from published import load, published_snapshot

from riskdesk.domain.snapshot import RegisterSnapshot


@pytest.fixture
def november(published, admin):
    rows = published.cycles.list(admin)
    assert [(r.meeting_date.isoformat(), r.status) for r in rows] == [
        ("2023-11-17", "draft"), ("2023-09-22", "presented")]
    return rows[0]


@pytest.fixture
def presented_pdf(published, admin, november) -> tuple[RegisterSnapshot, bytes]:
    published.cycles.present(admin, november.id, expected_version=november.version)
    buffer = io.BytesIO()
    published.cycles.write_appendix(admin, november.id, buffer)
    return published.cycles.preview_snapshot(admin, november.id), buffer.getvalue()


def _register(text: PdfText) -> list[str]:
    return text.tokens(text.page_of("Cost of Living Crisis\n"))


def test_the_november_cycle_is_ready_with_the_published_defaults(november):
    assert november.title == "Corporate Risk Register Update (November 2023)"
    assert november.meeting_title == "Corporate Governance Committee"
    assert november.update_heading == "Update October 2023"
    assert november.appendix_label == "Appendix A"
    assert november.period == "2023Q3"
    assert november.previous_meeting_date.isoformat() == "2023-09-22"


def test_snapshot_from_the_database_equals_the_published_one(published, admin, november):
    """Same risks, scores, wording, key, footnotes and removed risks as the fixture snapshot."""
    ours = published.cycles.preview_snapshot(admin, november.id)
    theirs = published_snapshot()
    assert [c.heading for c in ours.categories] == [c.heading for c in theirs.categories]
    for a, b in zip(ours.risks(), theirs.risks(), strict=True):
        assert (a.ref, a.departments_text, a.service_area, a.description, a.update, a.direction,
                a.direction_text) == (b.ref, b.departments_text, b.service_area, b.description, b.update,
                                      b.direction, b.direction_text)
        assert [(ln.current, ln.target, ln.note) for ln in a.lines] == [(ln.current, ln.target, ln.note)
                                                                        for ln in b.lines]
    assert ours.department_key == theirs.department_key
    assert ours.footnotes == theirs.footnotes
    assert [(r.ref, r.department, r.description, r.score, r.impact, r.likelihood, r.reason, r.removed_on)
            for r in ours.removed] == [(r.ref, r.department, r.description, r.score, r.impact, r.likelihood, r.reason,
                                        r.removed_on) for r in theirs.removed]
    assert ours.removed_since.isoformat() == "2021-11-01"
    assert ours.scheme.impact_levels == theirs.scheme.impact_levels
    assert ours.scheme.likelihood_levels == theirs.scheme.likelihood_levels


def test_movements_reproduce_the_published_paragraph(published, admin, november):
    moves = published.cycles.movements(admin, november.id)
    source = load("crr-2023-11-movements.json")
    assert moves is not None and moves.since.isoformat() == source["crr_last_presented_to_committee"]
    assert moves.added == () and moves.removed == () and moves.score_changes == ()
    assert [a.ref for a in moves.amended] == [a["ref"] for a in source["amended"]] == ["1.1", "1.5", "1.6", "1.9",
                                                                                        "1.12"]
    for ours, want in zip(moves.amended, source["amended"], strict=True):
        assert ours.change_from == want["change_from"]
        assert ours.rationale == want["rationale"]
        assert ours.department.split()[0].lower() == want["department_code"].lower() or want["ref"] == "1.12"
        if want["matches_appendix_a_description"]:
            assert ours.change_to == want["change_to"]
        else:
            # 1.1: the movements paragraph prints "and/or", Appendix A "and /or" (SEED-README §14);
            # riskdesk prints the register's own wording in both places.
            assert want["ref"] == "1.1"
            assert ours.change_to == want["change_to"].replace("and/or", "and /or")
    assert moves.amended[1].department == "C&FS (Children's Social Care)"
    assert moves.amended[2].department == "C&FS (Special Educational Needs)"


def test_presented_appendix_prints_everything_in_source_order(presented_pdf):
    snapshot, data = presented_pdf
    text = extract(data)
    hay = _register(text)
    cursor = 0
    for raw in (r for c in load("crr-2023-11.json")["categories"] for r in c["risks"]):
        dept = raw["departments_text"].split()
        anchor = next((i for i in range(cursor, len(hay))
                       if hay[i] == raw["ref"] and hay[i + 1:i + 1 + len(dept)] == dept), None)
        assert anchor is not None, f"{raw['ref']} {raw['departments_text']} not found"
        find_in_order(hay, (raw.get("service_area", "") + " " + raw["description"]).split(), anchor,
                      what=f"{raw['ref']} description")
        find_in_order(hay, raw["update"].split(), anchor, what=f"{raw['ref']} update")
        find_in_order(hay, raw["direction_text"].split(), anchor, what=f"{raw['ref']} direction")
        lines = raw.get("scoring_lines") or [{"current": raw["current"], "target": raw["target"]}]
        for line in lines:
            for key in ("current", "target"):
                cell = line[key]
                if cell is not None:
                    find_in_order(hay, [str(cell["impact"])], anchor, what=f"{raw['ref']} {key} impact")
                    assert str(cell["score"]) in hay[anchor:anchor + 4000]
        cursor = anchor + 1
    assert contains_run(hay, ["5", "Decreased", "from", "20"])  # 7.3's note as printed
    code_names = squash(text.text)
    for code, name in load("crr-2023-11.json")["department_key"].items():
        assert squash(f"{code} = {name}") in code_names
    assert len(snapshot.risks()) == 29


def test_presented_appendix_removed_risks_and_criteria(presented_pdf):
    _, data = presented_pdf
    text = extract(data)
    hay = text.tokens(text.page_of("Risks removed since November 2021"))
    pos = 0
    for raw in load("crr-removed-since-2021-11.json")["risks"]:
        tokens = [raw["ref"], raw["department"], *raw["description"].split(), str(raw["score"]),
                  raw["impact_likelihood_as_given"], *raw["reason"].split(), raw["date_of_removal_as_given"]]
        pos = find_in_order(hay, tokens, pos, max_gap=400, what=f"removed {raw['ref']}")[1]
    criteria = load("scoring-criteria.json")
    hay = text.tokens(text.page_of("Risk Impact Measurement Criteria"))
    pos = 0
    for level in criteria["impact_levels"]:
        cells = [str(level["level"]), level["description"], level["departmental_service_plan"],
                 level["internal_operations"], level["people"], level["reputation"],
                 level["financial_per_annum_per_loss"]]
        pos = find_in_order(hay, " ".join(cells).split(), pos, max_gap=60, what=f"impact {level['level']}")[1]
    for level in criteria["likelihood_levels"]:
        cells = [str(level["level"]), level["likelihood"], level["example_of_loss_event_frequency"],
                 level["probability_pct_as_given"]]
        pos = find_in_order(hay, " ".join(cells).split(), pos, max_gap=60, what=f"likelihood {level['level']}")[1]
    for row in criteria["matrix"]["rows"]:
        pos = find_in_order(hay, [str(row["impact"]), *criteria["matrix"]["impact_axis_labels"][str(row["impact"])]
                                  .split(), *map(str, row["scores_by_likelihood_1_to_5"])], pos, max_gap=5,
                            what=f"matrix row {row['impact']}")[1]


def test_presented_appendix_is_the_register_and_dated_when_presented(presented_pdf, published, admin, november):
    _, data = presented_pdf
    first = extract(data).pages[0]
    # As published: Appendix A holds no movements (they belong to the covering report).
    assert "Movements since the CRR was last presented" not in first
    assert "Cost of Living Crisis" in first
    from pypdf import PdfReader

    presented_at = published.cycles.resolve(admin, str(november.id)).presented_at
    created = PdfReader(io.BytesIO(data)).metadata["/CreationDate"]
    assert created.startswith("D:" + presented_at.strftime("%Y%m%d%H%M%S")), (created, presented_at)
    again = io.BytesIO()
    published.cycles.write_appendix(admin, november.id, again)
    assert again.getvalue() == data  # a reprint is byte-identical


def test_movements_print_for_the_covering_report(presented_pdf, published, admin, november):
    buffer = io.BytesIO()
    published.cycles.write_movements(admin, november.id, buffer, fmt="pdf")
    text = extract(buffer.getvalue())
    first = text.pages[0]
    assert first.startswith("Appendix A – Corporate Risk Register Update (November 2023)")
    assert "Movements since the CRR was last presented (22 September 2023)" in first
    hay = text.tokens(0, 2)
    source = load("crr-2023-11-movements.json")
    pos = 0
    for a in source["amended"]:
        pos = find_in_order(hay, ["Change", "from:", *a["change_from"].split()], pos, what=f"{a['ref']} from")[1]
        pos = find_in_order(hay, ["Rationale", "–", *a["rationale"].split()], pos, what=f"{a['ref']} why")[1]
