"""Exports: the register, removed risks and the audit trail; formula injection; the round trip."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from riskdesk.db import Database
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor, AssessmentChange, RiskChange
from riskdesk.io.mapping import detect_header_rows, guess_mapping, header_names
from riskdesk.services import Services

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
    original = published.risks.list_risks(admin, corporate_id)

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
        return (r.ref, r.description, r.departments, r.owner_name, r.current, r.target, r.direction,
                r.update_text, r.category_heading)

    assert len(back) == len(original) == 29
    assert sorted(map(key, back)) == sorted(map(key, original))
    by_ref = {r.ref: r for r in back}
    assert by_ref["C"].update_text == long_text
    assert by_ref["1.1"].update_text.startswith("=SUM(") and by_ref["1.1"].owner_name == "Carol Pilson"
