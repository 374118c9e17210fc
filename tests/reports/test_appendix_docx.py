"""The Word appendix: content, header repeat, landscape, shading, hostile text."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from riskdesk.domain.snapshot import RegisterSnapshot
from riskdesk.reports.appendix_docx import write_appendix_docx
from riskdesk.reports.text import clean_text


def _docx(snapshot: RegisterSnapshot, **kw: object):
    buffer = io.BytesIO()
    write_appendix_docx(snapshot, buffer, **kw)  # type: ignore[arg-type]
    buffer.seek(0)
    return Document(buffer)


@pytest.fixture(scope="module")
def doc(snapshot: RegisterSnapshot):
    return _docx(snapshot)


def _register(doc):
    return next(t for t in doc.tables if "CRR Risk No." in t.rows[0].cells[0].text)


def test_landscape_a4(doc) -> None:
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert abs(section.page_width.mm - 297) < 1 and abs(section.page_height.mm - 210) < 1


def test_header_rows_repeat(doc) -> None:
    for table in [*doc.tables[:1], _register(doc)]:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
    reg = _register(doc)
    assert reg.rows[1]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert reg.rows[2]._tr.trPr is None or reg.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None


def test_every_ref_and_update_paragraph(doc, snapshot: RegisterSnapshot) -> None:
    reg = _register(doc)
    first_col = [row.cells[0].text for row in reg.rows]
    update_paras = [p.text for row in reg.rows for p in row.cells[9].paragraphs]
    for risk in snapshot.risks():
        assert risk.ref in first_col
        for line in risk.update.split("\n"):
            if not line.strip():
                continue
            expected = line.replace("• ", "•\t", 1) if line.startswith("• ") else line
            assert expected in update_paras, (risk.ref, line)
        assert risk.direction.arrow + "\n" + risk.direction_text in "\n".join(
            row.cells[10].text for row in reg.rows
        )


def test_same_order_and_sections(snapshot: RegisterSnapshot) -> None:
    doc = _docx(snapshot, include_movements=True)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert body.startswith("Appendix A – Corporate Risk Register Update (November 2023)")
    order = ["Movements since the CRR was last presented", "Department", "*Target risk score",
             "Risks removed since November 2021", "Risk Impact Measurement Criteria",
             "Risk Likelihood Measurement Criteria", "Risk Scoring Matrix"]
    positions = [body.index(h) for h in order]
    assert positions == sorted(positions)
    for amended in snapshot.movements.amended:  # type: ignore[union-attr]
        assert f"Rationale – {amended.rationale}" in body
    headings = [row.cells[0].text for row in _register(doc).rows]
    for cat in snapshot.categories:
        assert cat.heading in headings


def test_score_cells_shaded_by_band(doc, snapshot: RegisterSnapshot) -> None:
    reg = _register(doc)
    fills = {}
    for row in reg.rows[2:]:
        cell = row.cells[5]
        shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
        if shd is not None and cell.text.strip().isdigit():
            fills[int(cell.text)] = shd.get(qn("w:fill"))
    assert fills[25] == "FF0000" and fills[16] == "FF0000"
    assert all(fills[s] == snapshot.scheme.band_for(s).rgb.lstrip("#").upper() for s in fills)


def test_multi_line_risk_gets_a_row_per_line(doc) -> None:
    reg = _register(doc)
    rows = [row for row in reg.rows if row.cells[0].text == "7.2"]
    # Merged down: the same ref cell appears in all three rows, with 25, 20 and 20 beside it.
    assert [row.cells[5].text for row in rows] == ["25", "20", "20"]
    assert [row.cells[8].text for row in rows] == ["15", "9", "9"]


def test_removed_and_criteria_tables(doc, snapshot: RegisterSnapshot) -> None:
    text = "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    for risk in snapshot.removed:
        assert risk.reason in text
    assert "05-Nov-21" in text and "I4/L3" in text
    for level in snapshot.scheme.impact_levels:
        for _, criterion in level.criteria:
            assert criterion in text
    for level in snapshot.scheme.likelihood_levels:
        assert level.frequency in text and level.probability in text


def test_hostile_text_is_kept(snapshot: RegisterSnapshot) -> None:
    from test_appendix_robustness import ADVERSARIAL, _risk, _with_category, long_text

    big = long_text(10_000)
    risks = tuple(_risk(i, f"X{i}", v, v) for i, v in enumerate(ADVERSARIAL.values()))
    risks += (_risk(99, "BIG", big, big),)
    doc = _docx(_with_category(snapshot, risks))
    reg = _register(doc)
    cells = {row.cells[0].text: row for row in reg.rows}
    for i, value in enumerate(ADVERSARIAL.values()):
        got = "\n".join(p.text for p in cells[f"X{i}"].cells[9].paragraphs)
        assert "".join(got.split()) == "".join(clean_text(value).split()), i
    assert "".join(cells["BIG"].cells[9].text.split()) == "".join(big.split())


def test_part_b_docx(snapshot: RegisterSnapshot) -> None:
    from test_appendix_robustness import _mark_exempt

    snap = _mark_exempt(snapshot, {"9.2"})
    a, b = _docx(snap, part="A"), _docx(snap, part="B")
    refs_a = {row.cells[0].text for row in _register(a).rows}
    refs_b = {row.cells[0].text for row in _register(b).rows}
    assert "9.2" not in refs_a and "9.2" in refs_b and "9.1" not in refs_b
    assert "Part B – exempt" in b.paragraphs[0].text
    assert not any("Risks removed" in p.text for p in b.paragraphs)
