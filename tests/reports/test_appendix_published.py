"""The published November 2023 register prints completely and in the published order."""

from __future__ import annotations

import io

import pytest
from pdfcheck import PdfText, contains_run, find_in_order
from published import load

from riskdesk.domain.snapshot import RegisterSnapshot, SnapshotRisk
from riskdesk.reports.appendix import MARGIN, PAGE, write_appendix_pdf


def _register_tokens(text: PdfText) -> list[str]:
    # The register starts on the page after the movements section.
    return text.tokens(text.page_of("Cost of Living Crisis\n"))


def _score_tokens(risk: SnapshotRisk, lines: tuple | None = None) -> list[str]:
    """The score cells as drawn: column by column, each column listing every scoring line."""
    out: list[str] = []
    lines = risk.lines if lines is None else lines
    for line in lines:
        out += [str(line.current.impact), *line.note.split()]
    out += [str(line.current.likelihood) for line in lines]
    out += [str(line.current.score) for line in lines]
    for getter in ("impact", "likelihood", "score"):
        out += [str(getattr(line.target, getter)) for line in lines if line.target is not None]
    return out


def _scores_drawn(hay: list[str], risk: SnapshotRisk, start: int, end: int) -> bool:
    """All scoring lines in one run, or (a row split across pages) the first k lines, then the rest."""
    if contains_run(hay, _score_tokens(risk), start, end):
        return True
    for k in range(1, len(risk.lines)):
        head, tail = _score_tokens(risk, risk.lines[:k]), _score_tokens(risk, risk.lines[k:])
        for i in range(start, end):
            if hay[i:i + len(head)] == head and contains_run(hay, tail, i + len(head), end + 200):
                return True
    return False


def test_every_risk_prints_whole_and_in_order(snapshot: RegisterSnapshot, published_text: PdfText) -> None:
    hay = _register_tokens(published_text)
    cursor = 0
    for risk in snapshot.risks():
        dept = risk.departments_text.split()
        anchor = next(
            (i for i in range(cursor, len(hay)) if hay[i] == risk.ref and hay[i + 1:i + 1 + len(dept)] == dept),
            None,
        )
        assert anchor is not None, f"risk {risk.ref} ({risk.departments_text}) not found after token {cursor}"
        ends = [anchor + 1 + len(dept)]
        desc = (risk.service_area + " " + risk.description).split()
        ends.append(find_in_order(hay, desc, anchor, what=f"{risk.ref} description")[1])
        ends.append(find_in_order(hay, risk.update.split(), anchor, what=f"{risk.ref} update")[1])
        ends.append(find_in_order(hay, risk.direction_text.split(), anchor, what=f"{risk.ref} direction")[1])
        end = max(ends)
        assert _scores_drawn(hay, risk, anchor, end + 1), f"{risk.ref} scores {_score_tokens(risk)}"
        cursor = anchor + 1
    assert len(snapshot.risks()) == 29


def test_scores_match_the_fixture(published_text: PdfText) -> None:
    """Current and target I/L/score of every risk, straight from the source JSON."""
    hay = _register_tokens(published_text)
    for raw in load("crr-2023-11.json")["categories"]:
        for risk in raw["risks"]:
            lines = risk.get("scoring_lines") or [{"current": risk["current"], "target": risk["target"]}]
            for line in lines:
                for key in ("current", "target"):
                    cell = line[key]
                    if cell is None:
                        continue
                    assert str(cell["score"]) in hay
                    assert cell["impact"] * cell["likelihood"] == cell["score"]


def test_category_headings_in_published_order(snapshot: RegisterSnapshot, published_text: PdfText) -> None:
    hay = _register_tokens(published_text)
    pos = 0
    for cat in snapshot.categories:
        pos = find_in_order(hay, cat.heading.split(), pos, what=cat.heading)[1]
    assert "5. Safeguarding – category retired" in published_text.text
    assert "10. Category Retired" in published_text.text


def test_blank_target_prints_blank(published_text: PdfText) -> None:
    hay = _register_tokens(published_text)
    i = hay.index("9.5")
    # Current 4 4 16 and then straight to the update: no target cells.
    assert contains_run(hay, ["disposal.", "4", "4", "16", "We", "are", "reviewing"], i)


def test_department_key_and_footnotes(snapshot: RegisterSnapshot, published_text: PdfText) -> None:
    text = published_text.text
    for code, name in snapshot.department_key:
        assert f"{code} = {name}" in text
    hay = published_text.tokens()
    code, name = snapshot.department_key[0]
    pos = next(i for i in range(len(hay)) if hay[i:i + 3] == [code, "=", name.split()[0]])
    for note in snapshot.footnotes:
        pos = find_in_order(hay, (note.marker + note.text).split(), pos, max_gap=40, what=note.marker)[1]
        for item in note.items:
            pos = find_in_order(hay, ["•", *item.split()], pos, max_gap=3, what=item)[1]


def test_removed_risks(snapshot: RegisterSnapshot, published_text: PdfText) -> None:
    first = published_text.page_of("Risks removed since November 2021")
    hay = published_text.tokens(first)
    pos = 0
    expected = {r["ref"]: r for r in load("crr-removed-since-2021-11.json")["risks"]}
    for risk in snapshot.removed:
        raw = expected[risk.ref]
        tokens = [raw["ref"], raw["department"], *raw["description"].split(), str(raw["score"]),
                  raw["impact_likelihood_as_given"], *raw["reason"].split(), raw["date_of_removal_as_given"]]
        pos = find_in_order(hay, tokens, pos, max_gap=400, what=f"removed {risk.ref}")[1]
    assert len(snapshot.removed) == 8


def test_criteria_and_matrix(published_text: PdfText) -> None:
    data = load("scoring-criteria.json")
    first = published_text.page_of("Risk Impact Measurement Criteria")
    hay = published_text.tokens(first)
    pos = find_in_order(hay, " ".join(data["impact_columns_as_given"]).split(), what="impact heads")[1]
    for level in data["impact_levels"]:
        cells = [str(level["level"]), level["description"], level["departmental_service_plan"],
                 level["internal_operations"], level["people"], level["reputation"],
                 level["financial_per_annum_per_loss"]]
        pos = find_in_order(hay, " ".join(cells).split(), pos, max_gap=60, what=f"impact {level['level']}")[1]
    pos = find_in_order(hay, data["impact_note"].split(), pos, what="impact note")[1]
    for level in data["likelihood_levels"]:
        cells = [str(level["level"]), level["likelihood"], level["example_of_loss_event_frequency"],
                 level["probability_pct_as_given"]]
        pos = find_in_order(hay, " ".join(cells).split(), pos, max_gap=60, what=f"likelihood {level['level']}")[1]
    matrix = data["matrix"]
    pos = find_in_order(hay, ["Risk", "Scoring", "Matrix", "Impact"], pos, what="matrix title")[1]
    for row in matrix["rows"]:
        label = matrix["impact_axis_labels"][str(row["impact"])]
        run = [str(row["impact"]), *label.split(), *map(str, row["scores_by_likelihood_1_to_5"])]
        assert hay[pos:pos + len(run)] == run
        pos += len(run)
    labels = " ".join(matrix["likelihood_axis_labels"][str(i)] for i in range(1, 6)).split()
    find_in_order(hay, ["1", "2", "3", "4", "5", *labels, "Likelihood*"], pos, max_gap=0, what="likelihood axis")
    find_in_order(hay, matrix["likelihood_axis_footnote"].split(), pos, what="matrix footnote")


def test_title_footer_and_page_numbers(published_text: PdfText) -> None:
    pages = published_text.pages
    assert pages[0].startswith("Appendix A – Corporate Risk Register Update (November 2023)")
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Corporate Governance Committee, 17 November 2023" in page


def test_register_header_repeats_on_every_register_page(published_text: PdfText) -> None:
    first = published_text.page_of("Cost of Living Crisis\n")
    last = published_text.page_of("10. Category Retired")
    assert last > first
    for page in published_text.pages[first:last + 1]:
        squashed = "".join(page.split())
        assert "CRRRiskNo." in squashed and "UpdateOctober2023" in squashed and "*TargetRiskScore" in squashed


def test_nothing_drawn_outside_the_frame(published_text: PdfText) -> None:
    """Text below the bottom margin (other than the footer) would mean a clipped/overflowing cell."""
    for page, y, text in published_text.runs:
        assert y >= MARGIN - 2 or y < 20, (page, y, text)
        assert y <= PAGE[1] - MARGIN + 2, (page, y, text)


def test_progress_reports_every_row(snapshot: RegisterSnapshot) -> None:
    seen: list[tuple[int, int]] = []
    write_appendix_pdf(snapshot, io.BytesIO(), progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 29) and seen[-1] == (29, 29)
    dones = [d for d, _ in seen]
    assert dones == sorted(dones)


@pytest.mark.parametrize("include", [True, False])
def test_movements_optional(snapshot: RegisterSnapshot, include: bool) -> None:
    from pdfcheck import extract

    buffer = io.BytesIO()
    write_appendix_pdf(snapshot, buffer, include_movements=include)
    assert ("Movements since the CRR was last presented" in extract(buffer.getvalue()).text) is include
