"""Exports: the register, removed risks and the audit trail; formula injection; the round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from riskdesk.db import Database
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange, RiskChange
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.io.mapping import detect_header_rows, guess_mapping, header_names
from riskdesk.models import Assessment, AssessmentLine, AuditEntry, Risk
from riskdesk.services import Services
from riskdesk.services.importing import ImportRefused

EVIL = '=HYPERLINK("http://evil.example","Click")'


def _read(path: Path) -> list[list[object]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [list(r) for r in csv.reader(fh)]
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("'"):
                assert cell.data_type == "s"  # stored as text, never as a formula
    return [[c.value for c in row] for row in ws.iter_rows()]


def _set_update(services: Services, admin: Actor, register_id: int, ref: str, text: str) -> None:
    row = next(r for r in services.risks.list_risks(admin, register_id) if r.ref == ref)
    change = AssessmentChange(row.current, row.target, row.direction, text, lines=row.lines[1:])
    services.risks.record_assessment(admin, row.id, Quarter.parse(row.period), change,
                                     expected_version=row.assessment_version)


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_formula_injection_is_neutralised_in_every_list(published, admin, corporate_id, tmp_path, ext) -> None:
    _set_update(published, admin, corporate_id, "C", EVIL)
    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.1")
    published.risks.amend_risk(admin, row.id, RiskChange(description="+44 cmd|' /C calc'!A0", rationale="@test"),
                               expected_version=row.version)
    register = _read(published.exporting.register(admin, tmp_path / f"r.{ext}", register_id=corporate_id).path)
    header = register[0]
    by_ref = {r[0]: dict(zip(header, r, strict=True)) for r in register[1:]}
    assert by_ref["C"]["Update"] == "'" + EVIL
    assert by_ref["1.1"]["Description"] == "'+44 cmd|' /C calc'!A0"
    audit = _read(published.exporting.audit_trail(admin, tmp_path / f"a.{ext}").path)
    notes = [r[7] for r in audit[1:]]
    assert "'@test" in notes
    changes = " ".join(str(r[6]) for r in audit[1:])
    assert EVIL in changes  # inside the change text, not at the start of a cell: harmless
    assert not any(isinstance(v, str) and v and v[:1] in "=+-@" for r in audit[1:] for v in r)


def test_removed_risks_export_with_real_dates(published, admin, corporate_id, tmp_path) -> None:
    result = published.exporting.removed(admin, tmp_path / "removed.xlsx", corporate_id)
    rows = _read(result.path)
    assert result.rows == 8 and len(rows) == 9
    assert rows[0][:3] == ["Ref", "Departments", "Description"]
    from datetime import datetime

    assert all(isinstance(r[7], datetime) for r in rows[1:])
    trail = published.risks.audit_trail(admin, limit=1)[0]
    assert trail.action == "export" and trail.changes["rows"] == [None, 8]


def test_register_as_shown_keeps_order_and_filter(published, admin, corporate_id, tmp_path) -> None:
    rows = [r for r in published.risks.list_risks(admin, corporate_id) if r.score and r.score >= 20][::-1]
    result = published.exporting.register(admin, tmp_path / "shown.csv", rows)
    out = _read(result.path)
    assert [r[0] for r in out[1:]] == [r.ref for r in rows]


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_round_trip_into_a_fresh_database(published, admin, corporate_id, tmp_path, ext) -> None:
    # Owners on a few risks, an update that starts with "=", and one of 40,000 characters.
    owner = published.registers.add_user(admin, "cpilson", "Carol Pilson")
    for ref in ("C", "1.1", "7.2"):
        row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == ref)
        published.risks.amend_risk(admin, row.id, RiskChange(owner_id=owner.id), expected_version=row.version)
    long_text = "\n\n".join(f"Paragraph {n}. " + "Progress noted against the plan; " * 30 for n in range(60))
    long_text = long_text[:40_000].rstrip()
    assert len(long_text) == 40_000
    _set_update(published, admin, corporate_id, "1.1", "=SUM(A1:A9) is how finance totals it")
    _set_update(published, admin, corporate_id, "C", long_text)
    # Labelled lines with awkward characters, a headline note and direction words of the owner's own.
    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "4.2")
    lines = (ScoreLine(Score(5, 4), Score(3, 3), "E&T: north → south", "Decreased from 20 (Q2: 4×5)"),
             ScoreLine(Score(4, 4), None, "-C&FS", "back\\slash"))
    change = AssessmentChange(row.current, row.target, row.direction, row.update_text, lines=lines,
                              note="=Increased from 12", direction_text="Expected to reach amber by March 2024")
    published.risks.record_assessment(admin, row.id, Quarter.parse(row.period), change,
                                      expected_version=row.assessment_version)
    original = published.risks.list_risks(admin, corporate_id)
    by_ref = {r.ref: r for r in original}
    assert len(by_ref["7.2"].lines) == 3 and by_ref["7.3"].lines[0].note == "Decreased from 20"

    path = published.exporting.register(admin, tmp_path / f"register.{ext}", register_id=corporate_id).path
    fresh_db = Database.open(f"sqlite:///{tmp_path / 'fresh.sqlite'}", backup=False)
    try:
        fresh = Services(fresh_db)
        reg = fresh.registers.create_register(admin, "Corporate Risk Register", "corporate")
        sheet = fresh.importing.open_workbook(path).sheet()
        start, count = detect_header_rows(sheet.grid)
        mapping = guess_mapping(header_names(sheet.grid, start, count, sheet.merges))
        prepared = fresh.importing.preview(admin, path, mapping, register_id=reg.id, create_departments=True,
                                           create_owners=True)
        assert prepared.ok, [str(p) for p in prepared.errors]
        fresh.importing.apply(admin, prepared, register_id=reg.id, create_departments=True, create_owners=True)
        back = fresh.risks.list_risks(admin, reg.id)
    finally:
        fresh_db.dispose()

    def key(r):
        return (r.ref, r.description, r.departments, r.owner_name, r.lines, r.direction, r.direction_text,
                r.update_text, r.category_heading)

    assert len(back) == len(original) == 29
    assert sorted(map(key, back), key=repr) == sorted(map(key, original), key=repr)
    by_ref = {r.ref: r for r in back}
    assert by_ref["7.2"].lines == (ScoreLine(Score(5, 5), Score(3, 5)), ScoreLine(Score(5, 4), Score(3, 3)),
                                   ScoreLine(Score(4, 5), Score(3, 3)))
    assert by_ref["7.3"].lines[0].note == by_ref["7.5"].lines[0].note == "Decreased from 20"
    assert by_ref["4.2"].lines == (ScoreLine(Score(5, 3), Score(3, 3), "", "=Increased from 12"), *lines)
    assert by_ref["4.2"].direction_text == "Expected to reach amber by March 2024"
    assert by_ref["C"].update_text == long_text
    assert by_ref["1.1"].update_text.startswith("=SUM(") and by_ref["1.1"].owner_name == "Carol Pilson"


def _export_and_open_fresh(published, admin, corporate_id, tmp_path, ext="xlsx"):
    path = published.exporting.register(admin, tmp_path / f"register.{ext}", register_id=corporate_id).path
    fresh_db = Database.open(f"sqlite:///{tmp_path / 'fresh.sqlite'}", backup=False)
    fresh = Services(fresh_db)
    reg = fresh.registers.create_register(admin, "Corporate Risk Register", "corporate")
    return path, fresh_db, fresh, reg.id


def _preview(fresh, admin, path, reg_id):
    sheet = fresh.importing.open_workbook(path).sheet()
    start, count = detect_header_rows(sheet.grid)
    mapping = guess_mapping(header_names(sheet.grid, start, count, sheet.merges))
    return fresh.importing.preview(admin, path, mapping, register_id=reg_id, create_departments=True,
                                   create_owners=True)


def test_export_writes_the_extra_lines_notes_and_only_custom_direction_words(
        published, admin, corporate_id, tmp_path) -> None:
    rows = _read(published.exporting.register(admin, tmp_path / "r.csv", register_id=corporate_id).path)
    by_ref = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_ref["7.2"]["Other scoring lines"] == "5×4 → 3×3\n4×5 → 3×3"
    assert by_ref["7.3"]["Score note"] == "Decreased from 20"
    assert by_ref["7.3"]["Other scoring lines"] == ""
    # Every published risk's words are the derived ones, so none is written out.
    assert {r["Direction words"] for r in by_ref.values()} == {""}


def test_malformed_other_scoring_lines_are_named_and_change_nothing(published, admin, corporate_id, tmp_path) -> None:
    from openpyxl import load_workbook

    path, fresh_db, fresh, reg_id = _export_and_open_fresh(published, admin, corporate_id, tmp_path)
    try:
        wb = load_workbook(path)
        ws = wb.active
        header = [c.value for c in ws[1]]
        column = header.index("Other scoring lines") + 1
        excel_row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "7.2")
        ws.cell(excel_row, column).value = "5×4 → 3×3\nE&T: 7×4 → 3×3"
        wb.save(path)
        fresh.registers.scheme(admin)  # the scoring scheme exists before anything is counted
        with fresh.ctx.read() as s:
            before = {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                      for t in (Risk, Assessment, AssessmentLine, AuditEntry)}
        prepared = _preview(fresh, admin, path, reg_id)
        assert [(p.row, p.column, p.value) for p in prepared.errors] == [
            (excel_row, "Other scoring lines", "E&T: 7×4 → 3×3")]
        assert "the current impact “7” must be a whole number from 1 to 5" in prepared.errors[0].message
        with pytest.raises(ImportRefused, match="Other scoring lines"):
            fresh.importing.apply(admin, prepared, register_id=reg_id, create_departments=True, create_owners=True)
        with fresh.ctx.read() as s:
            after = {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                     for t in (Risk, Assessment, AssessmentLine, AuditEntry)}
        assert after == before
    finally:
        fresh_db.dispose()


def test_an_older_export_without_the_new_columns_still_imports(published, admin, corporate_id, tmp_path) -> None:
    from openpyxl import load_workbook

    path, fresh_db, fresh, reg_id = _export_and_open_fresh(published, admin, corporate_id, tmp_path)
    try:
        wb = load_workbook(path)
        ws = wb.active
        for heading in ("Direction words", "Other scoring lines", "Score note"):
            ws.delete_cols([c.value for c in ws[1]].index(heading) + 1)
        wb.save(path)
        prepared = _preview(fresh, admin, path, reg_id)
        assert prepared.ok, [str(p) for p in prepared.errors]
        fresh.importing.apply(admin, prepared, register_id=reg_id, create_departments=True, create_owners=True)
        back = {r.ref: r for r in fresh.risks.list_risks(admin, reg_id)}
    finally:
        fresh_db.dispose()
    original = {r.ref: r for r in published.risks.list_risks(admin, corporate_id)}
    assert back.keys() == original.keys()
    assert all(back[ref].lines == original[ref].lines[:1] for ref in back if not original[ref].lines[0].note)
    assert back["7.2"].lines == original["7.2"].lines[:1] and back["7.3"].lines[0].note == ""
