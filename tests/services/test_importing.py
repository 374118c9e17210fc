"""The import service: Fenland through a saved mapping, malformed files, one transaction, saved mappings."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))
from iohelpers import FENLAND, HEADERS, write_xlsx

from riskdesk.domain.errors import NotFound, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.scoring import Score
from riskdesk.io.errors import ImportFileError
from riskdesk.io.mapping import ImportMapping, guess_mapping, header_names
from riskdesk.io.readers import read_workbook
from riskdesk.io.scales import ScaleMap
from riskdesk.models import (
    Assessment,
    AuditEntry,
    Category,
    Department,
    Risk,
    RiskDepartment,
    SavedImportMapping,
    User,
)
from riskdesk.services.importing import ImportCancelled, ImportRefused, login_for, split_heading

TABLES = (Risk, Assessment, RiskDepartment, Department, User, Category, AuditEntry, SavedImportMapping)
Q = Quarter(2019, 2)


def counts(services) -> dict[str, int]:
    with services.ctx.read() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.fixture
def register_id(services, admin) -> int:
    services.registers.add_department(admin, "CR", "Corporate Resources")
    services.registers.add_user(admin, "jdoe", "Jane Doe")
    services.registers.scheme(admin)  # the scoring scheme exists before anything is counted
    return services.registers.create_register(admin, "Corporate Risk Register", "corporate").id


def _source() -> dict[str, dict[str, str]]:
    with FENLAND.open(encoding="utf-8", newline="") as fh:
        return {r["Reference"]: r for r in csv.DictReader(fh)}


def _fenland_mapping() -> ImportMapping:
    sheet = read_workbook(FENLAND).sheet()
    return guess_mapping(header_names(sheet.grid, 0, 1), name="Fenland CRR")


def test_fenland_through_a_saved_mapping(services, admin, register_id) -> None:
    services.importing.save_mapping(admin, "Fenland CRR", _fenland_mapping(), ScaleMap())
    saved = services.importing.get_mapping(admin, "fenland crr")
    assert saved.name == "Fenland CRR" and saved.mapping.field_of("Risk if no action - Impact") == "inherent_impact"
    before = counts(services)
    prepared = services.importing.preview(admin, FENLAND, saved.mapping, saved.scales, register_id=register_id,
                                          create_owners=True)
    assert prepared.ok and not prepared.errors
    assert set(prepared.unknown_owners) == {"Carol Pilson", "Peter Catchpole", "CMT", "Paul Medd"}
    result = services.importing.apply(admin, prepared, register_id=register_id, create_owners=True, period=Q)
    assert result.risks == 20 and result.period == "2019Q2" and result.history_period is None
    assert result.inherent_scores == 20
    assert set(result.owners_created) == {"Carol Pilson", "Peter Catchpole", "CMT", "Paul Medd"}
    after = counts(services)
    assert after["risk"] - before["risk"] == 20
    assert after["assessment"] - before["assessment"] == 20  # the inherent score is no assessment
    assert after["app_user"] - before["app_user"] == 4

    source = _source()
    rows = {r.ref: r for r in services.risks.list_risks(admin, register_id)}
    assert sorted(rows, key=int) == [str(n) for n in range(1, 21)]
    for ref, cells in source.items():
        row = rows[ref]
        # Current scores are the period's; inherent scores are the risk's own field, not history.
        assert row.period == "2019Q2"
        assert row.history == (("2019Q2", int(cells["Current risk - Score"]), None),)
        assert row.current == Score(int(cells["Current risk - Impact"]), int(cells["Current risk - Likelihood"]))
        assert row.score == int(cells["Current risk - Score"])
        assert row.target is None
        # Every character of every text, whole.
        assert row.description == cells["Risk and effects"].strip()
        assert row.update_text == (
            f"{cells['Comments and progress of actions'].strip()}\n\nMitigation:\n{cells['Mitigation'].strip()}"
            f"\n\nActions:\n{cells['Actions being taken to managing risk'].strip()}"
        )
        assert row.owner_name == cells["Risk Owner"].split(" / ")[0]
        history = services.risks.history(admin, row.id)
        assert [h.period for h in history] == ["2019Q2"]
        assert history[0].source_values.startswith(
            f"current: file: Impact {cells['Current risk - Impact']} of 5, Likelihood "
            f"{cells['Current risk - Likelihood']} of 5, Score {cells['Current risk - Score']} (")
        assert history[0].direction_text == "Not stated"
        kept = services.importing.imported_scores(admin, row.id)
        assert kept.inherent == Score(int(cells["Risk if no action - Impact"]),
                                      int(cells["Risk if no action - Likelihood"]))
        assert kept.inherent_source == (f"file: Impact {cells['Risk if no action - Impact']} of 5, Likelihood "
                                        f"{cells['Risk if no action - Likelihood']} of 5, "
                                        f"Score {cells['Risk if no action - Score']}")
    assert rows["9"].current.score == 16
    assert rows["12"].update_text.split("\n\nMitigation:")[0].endswith("\n\n.")

    trail = services.risks.audit_trail(admin, entity="risk", entity_id=rows["2"].id)
    assert trail[0].action == "risk.import"
    assert trail[0].note == (
        "imported from fenland_dc_corporate_risk_register_2019.csv, sheet fenland_dc_corporate_risk_register_2019, row 3"
    )
    assert trail[0].changes["owners as given"] == [None, "Peter Catchpole / Carol Pilson"]
    assert trail[0].changes["inherent (risk if no action)"] == [
        None, "5x5=25 (file: Impact 5 of 5, Likelihood 5 of 5, Score 25)"]
    assert trail[0].changes["scores as in the file"][1].startswith("current: file: Impact 2 of 5, Likelihood 3 of 5")


def test_refused_when_problems_remain_and_nothing_is_written(services, admin, register_id, tmp_path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [HEADERS, ["1", "Flood", "CR", "Jane Doe", "high", 3, 12, ""]])
    prepared = services.importing.preview(admin, path, guess_mapping(HEADERS), register_id=register_id)
    before = counts(services)
    with pytest.raises(ValidationError) as err:
        services.importing.apply(admin, prepared, register_id=register_id)
    assert isinstance(err.value, ImportRefused)
    assert "Row 2, Current Impact: “high” is text" in str(err.value)
    assert counts(services) == before


def _malformed(tmp_path: Path, case: str) -> tuple[Path, ImportMapping]:
    mapping = guess_mapping(HEADERS)
    good = ["1", "Flood", "CR", "Jane Doe", 2, 2, 4, "ok"]
    if case == "missing columns":
        return write_xlsx(tmp_path / "m.xlsx", [["Ref", "Risk", "Owner"], ["1", "Flood", "Jane Doe"]]), mapping
    if case == "text in score cells":
        return write_xlsx(tmp_path / "t.xlsx", [HEADERS, good, ["2", "Fire", "CR", "Jane Doe", "see note", 3, 12, ""]]), mapping
    if case == "out-of-range numbers":
        return write_xlsx(tmp_path / "o.xlsx", [HEADERS, good, ["2", "Fire", "CR", "Jane Doe", 7, 0, None, ""]]), mapping
    if case == "duplicate refs":
        return write_xlsx(tmp_path / "d.xlsx", [HEADERS, good, ["1", "Fire", "CR", "Jane Doe", 3, 3, 9, ""]]), mapping
    if case == "ref already on the register":
        return write_xlsx(tmp_path / "c.xlsx", [HEADERS, ["EXISTING", "Fire", "CR", "Jane Doe", 3, 3, 9, ""]]), mapping
    if case == "30,000-character reference cell":
        return write_xlsx(tmp_path / "l.xlsx", [HEADERS, ["R" * 30_000, "Fire", "CR", "Jane Doe", 3, 3, 9, ""]]), mapping
    if case == "Windows-1252 CSV":
        path = tmp_path / "w.csv"
        rows = [",".join(HEADERS), "1,Budget £2m – council’s reserves,CR,Jane Doe,4,x,12,“quoted”"]
        path.write_bytes("\r\n".join(rows).encode("cp1252"))
        return path, mapping
    raise AssertionError(case)


ROW_CASES = {
    "missing columns": (1, "Current Impact", "this sheet has no such column"),
    "text in score cells": (3, "Current Impact", "is text, not a current impact"),
    "out-of-range numbers": (3, "Current Likelihood", "outside the current likelihood scale of 1 to 5"),
    "duplicate refs": (3, "Ref", "is also the reference of row 2"),
    "ref already on the register": (2, "Ref", "is already the reference of a current risk on the Corporate Risk Register"),
    "30,000-character reference cell": (2, "Ref", "is 30000 characters long; a riskdesk reference has at most 16"),
    "Windows-1252 CSV": (2, "Current Likelihood", "is text, not a current likelihood"),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_malformed_files_give_named_row_errors_and_change_nothing(services, admin, register_id, tmp_path, case) -> None:
    from riskdesk.domain.risk_detail import NewRisk

    services.risks.add_risk(admin, NewRisk(register_id, "EXISTING", "Already here"))
    path, mapping = _malformed(tmp_path, case)
    before = counts(services)
    prepared = services.importing.preview(admin, path, mapping, register_id=register_id, create_owners=False,
                                          create_departments=False)
    row, column, words = ROW_CASES[case]
    hits = [p for p in prepared.errors if p.row == row and p.column == column and words in p.message]
    assert hits, [str(p) for p in prepared.problems]
    with pytest.raises(ImportRefused):
        services.importing.apply(admin, prepared, register_id=register_id)
    assert counts(services) == before
    if case == "Windows-1252 CSV":
        assert prepared.rows[0].description == "Budget £2m – council’s reserves"
        assert prepared.rows[0].update == "“quoted”"


FILE_CASES = {
    "empty file": ("e.csv", b"", "is empty"),
    "password-protected xlsx": (
        "locked.xlsx",
        bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(50)
        + "EncryptedPackage".encode("utf-16-le") + os.urandom(512),
        "is password-protected; open it in Excel, remove the password",
    ),
    "corrupt xlsx": ("bad.xlsx", b"PK\x03\x04" + os.urandom(600), "the file is damaged"),
    "undecodable CSV": ("u.csv", b"Ref,Risk\n1,bad \x81 byte\n", "neither UTF-8 nor Windows-1252"),
}


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_unreadable_files_are_named_and_change_nothing(services, admin, register_id, tmp_path, case) -> None:
    name, data, words = FILE_CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = counts(services)
    with pytest.raises(ImportFileError) as err:
        services.importing.preview(admin, path, guess_mapping(HEADERS), register_id=register_id)
    assert str(err.value).startswith(f"“{name}”") and words in str(err.value)
    assert counts(services) == before


def test_thirty_thousand_character_update_is_stored_whole(services, admin, register_id, tmp_path) -> None:
    text = ("A paragraph of progress. " * 1300)[:30_000].strip()
    path = write_xlsx(tmp_path / "long.xlsx", [HEADERS, ["1", "Flood", "CR", "Jane Doe", 2, 2, 4, text]])
    prepared = services.importing.preview(admin, path, guess_mapping(HEADERS), register_id=register_id)
    services.importing.apply(admin, prepared, register_id=register_id)
    row = services.risks.list_risks(admin, register_id)[0]
    assert row.update_text == text and row.description == "Flood" and row.departments == ("CR",)
    assert row.owner_name == "Jane Doe"


def _big(tmp_path: Path, n: int) -> Path:
    rows = [HEADERS] + [[f"R{i}", f"Risk {i}", "CR", "Jane Doe", 1 + i % 5, 1 + i % 3, None, "u"] for i in range(n)]
    return write_xlsx(tmp_path / "big.xlsx", rows)


def test_cancel_between_rows_leaves_the_database_as_it_was(services, admin, register_id, tmp_path) -> None:
    prepared = services.importing.preview(admin, _big(tmp_path, 700), guess_mapping(HEADERS), register_id=register_id)
    assert prepared.ok
    before = counts(services)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 650  # after the first batch of 500 has been written in the transaction

    with pytest.raises(ImportCancelled):
        services.importing.apply(admin, prepared, register_id=register_id, cancelled=cancelled)
    assert len(asked) == 651
    assert counts(services) == before


def test_a_failure_half_way_leaves_the_database_as_it_was(services, admin, register_id, tmp_path) -> None:
    prepared = services.importing.preview(admin, _big(tmp_path, 600), guess_mapping(HEADERS), register_id=register_id)
    before = counts(services)

    def progress(done: int, total: int) -> None:
        raise OSError("disk full")  # after the first batch is written

    with pytest.raises(OSError):
        services.importing.apply(admin, prepared, register_id=register_id, progress=progress,
                                 create_departments=True, create_owners=True)
    assert counts(services) == before


def test_progress_reports_batches(services, admin, register_id, tmp_path) -> None:
    prepared = services.importing.preview(admin, _big(tmp_path, 600), guess_mapping(HEADERS), register_id=register_id)
    seen: list[tuple[int, int]] = []
    result = services.importing.apply(admin, prepared, register_id=register_id, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(500, 600), (600, 600)] and result.risks == 600


def test_unknown_names_need_permission_to_create_or_a_mapping(services, admin, register_id, tmp_path) -> None:
    path = write_xlsx(tmp_path / "n.xlsx", [HEADERS, ["1", "Flood", "Corp Res, PH", "J. Doe / Sam Smith", 2, 2, 4, ""]])
    mapping = guess_mapping(HEADERS)
    strict = services.importing.preview(admin, path, mapping, register_id=register_id, create_departments=False,
                                        create_owners=False)
    assert {(p.column, p.value) for p in strict.errors} == {("Dept", "Corp Res"), ("Dept", "PH"), ("Owner", "J. Doe")}
    before = counts(services)
    with pytest.raises(ImportRefused) as err:
        services.importing.apply(admin, services.importing.preview(admin, path, mapping, register_id=register_id),
                                 register_id=register_id)
    assert "is not a riskdesk user" in str(err.value) or "department" in str(err.value)
    assert counts(services) == before
    mapped = services.importing.preview(
        admin, path, mapping, register_id=register_id, department_map={"corp res": "Corporate Resources"},
        owner_map={"J. Doe": "jdoe"}, create_departments=True, create_owners=False,
    )
    assert mapped.ok, [str(p) for p in mapped.errors]
    assert mapped.rows[0].departments == ("CR", "PH") and mapped.rows[0].owners == ("Jane Doe", "Sam Smith")
    assert mapped.new_departments == ("PH",) and mapped.unknown_owners == ()
    result = services.importing.apply(admin, mapped, register_id=register_id, create_departments=True)
    assert result.departments_created == ("PH",) and result.owners_created == ()
    row = services.risks.list_risks(admin, register_id)[0]
    assert row.departments == ("CR", "PH") and row.owner_name == "Jane Doe"


def test_categories_are_matched_or_created(services, admin, register_id, tmp_path) -> None:
    services.registers.add_category(admin, register_id, 1, "Finance")
    headers = ["Ref", "Risk", "Category", "Current Impact", "Current Likelihood"]
    path = write_xlsx(tmp_path / "c.xlsx", [headers, ["1", "A", "1. Finance", 2, 2], ["2", "B", "Finance", 2, 2],
                                            ["3", "C", "4. People – category retired", 3, 3], ["4", "D", None, 1, 1]])
    prepared = services.importing.preview(admin, path, guess_mapping(headers), register_id=register_id)
    result = services.importing.apply(admin, prepared, register_id=register_id)
    assert result.categories_created == ("4. People – category retired",)
    cats = {c.heading: c for c in services.registers.list_categories(admin, register_id)}
    assert cats["1. Finance"].risk_count == 2 and cats["4. People – category retired"].retired
    rows = {r.ref: r for r in services.risks.list_risks(admin, register_id)}
    assert rows["4"].category_id is None


def test_saved_mappings_save_list_replace_delete(services, admin) -> None:
    mapping = _fenland_mapping()
    first = services.importing.save_mapping(admin, "  Fenland   CRR ", mapping, ScaleMap())
    assert first.name == "Fenland CRR" and first.created_by == "tester"
    changed = mapping.with_score_sets({"inherent": None})
    again = services.importing.save_mapping(admin, "fenland crr", changed)
    assert again.id == first.id and again.mapping.columns == changed.columns and again.version == 2
    assert [m.name for m in services.importing.list_mappings(admin)] == ["fenland crr"]
    services.importing.delete_mapping(admin, "FENLAND CRR")
    with pytest.raises(NotFound, match="no saved import mapping called “Fenland CRR” \\(saved mappings: none yet\\)"):
        services.importing.get_mapping(admin, "Fenland CRR")
    actions = [a.action for a in services.risks.audit_trail(admin, entity="import_mapping")]
    assert actions == ["import_mapping.delete", "import_mapping.save", "import_mapping.save"]
    with pytest.raises(ValidationError):
        services.importing.save_mapping(admin, "  ", mapping)


def test_helpers() -> None:
    assert login_for("Carol Pilson", {"carol.pilson"}) == "carol.pilson2"
    assert login_for("CMT", ()) == "cmt"
    assert split_heading("3. Finance – category retired") == (3, "Finance", True)
    assert split_heading("Cost of Living Crisis") == (None, "Cost of Living Crisis", False)


# -- imports never alter a value behind the user's back (issue 12) -----------------------------------


def test_fenland_inherent_score_is_no_past_quarter_and_imported_risks_are_not_updated(services, admin,
                                                                                      register_id) -> None:
    from riskdesk.domain.direction import movement_note
    from riskdesk.domain.hygiene import not_updated

    current = services.registers.current_period(admin)
    prepared = services.importing.preview(admin, FENLAND, _fenland_mapping(), register_id=register_id,
                                          create_owners=True)
    result = services.importing.apply(admin, prepared, register_id=register_id, create_owners=True)
    # By default the file is the register as it stood: stored for the quarter before the current one.
    assert result.period == current.previous().code and not result.this_quarter
    rows = {r.ref: r for r in services.risks.list_risks(admin, register_id)}
    one = rows["1"]
    assert one.current == Score(2, 5) and len(one.history) == 1
    scores = [score for _, score, _ in one.history]
    moved = movement_note(scores[-2] if len(scores) > 1 else None, scores[-1])
    print("risk 1 movement after import:", moved)
    assert moved is None  # never "Decreased from 25"
    assert services.importing.imported_scores(admin, one.id).inherent == Score(5, 5)
    movements = sum(1 for r in rows.values() if len(r.history) > 1)
    print("imported risks with a computed movement:", movements)
    assert movements == 0
    # Every imported risk reads "not updated" this quarter until its owner saves an update.
    missing = {ref for _, ref in services.registers.not_updated(admin, current)}
    assert missing == set(rows) and all(not_updated(r, current.code) for r in rows.values())
    # A direction the file never gave is "Not stated", not an arrow.
    assert all(h.direction_text == "Not stated" for r in rows.values() for h in services.risks.history(admin, r.id))


def test_a_file_the_user_calls_this_quarters_update_counts_as_updated(services, admin, register_id) -> None:
    current = services.registers.current_period(admin)
    prepared = services.importing.preview(admin, FENLAND, _fenland_mapping(), register_id=register_id,
                                          create_owners=True)
    result = services.importing.apply(admin, prepared, register_id=register_id, create_owners=True,
                                      this_quarter=True)
    assert result.period == current.code and result.this_quarter
    assert services.registers.not_updated(admin, current) == []


def test_original_cells_of_a_converted_score_are_kept_in_history_and_audit(services, admin, register_id,
                                                                           tmp_path) -> None:
    path = tmp_path / "ten.csv"
    path.write_text("Ref,Risk,Impact (1-10),Likelihood,Owner\n1,Flood,6.67,4,Jane Doe\n2,Fire,8.33,2,Jane Doe\n")
    sheet = read_workbook(path).sheet()
    from riskdesk.io.prepare import guess_for_sheet

    mapping, scales = guess_for_sheet(sheet)
    assert scales.impact.maximum == 10 and scales.impact.why == "the header “Impact (1-10)” says 1 to 10"
    prepared = services.importing.preview(admin, path, mapping, scales, register_id=register_id)
    assert prepared.ok
    services.importing.apply(admin, prepared, register_id=register_id, period=Q)
    rows = {r.ref: r for r in services.risks.list_risks(admin, register_id)}
    # 6.67 and 8.33 both land on 4 of 5: the file's values are what tells them apart.
    assert rows["1"].current == Score(4, 4) and rows["2"].current == Score(4, 2)
    history = services.risks.history(admin, rows["1"].id)
    assert history[0].source_values.startswith("current: file: Impact 6.67 of 10, Likelihood 4 of 5")
    trail = services.risks.audit_trail(admin, entity="risk", entity_id=rows["2"].id)
    assert trail[0].changes["scores as in the file"][1].startswith("current: file: Impact 8.33 of 10")


def test_refs_sort_naturally_after_an_import(services, admin, register_id, tmp_path) -> None:
    path = tmp_path / "refs.csv"
    refs = ["R10", "R2", "ICT-002", "R1", "ICT-010", "ICT-001"]
    path.write_text("Ref,Risk,Impact,Likelihood,Owner\n" + "".join(f"{r},Risk {r},2,2,Jane Doe\n" for r in refs))
    sheet = read_workbook(path).sheet()
    from riskdesk.io.prepare import guess_for_sheet

    mapping, scales = guess_for_sheet(sheet)
    services.importing.apply(admin, services.importing.preview(admin, path, mapping, scales,
                                                               register_id=register_id), register_id=register_id)
    assert [r.ref for r in services.risks.list_risks(admin, register_id)] == [
        "ICT-001", "ICT-002", "ICT-010", "R1", "R2", "R10"]


def test_header_only_file_and_a_failed_import_create_no_register(services, admin, tmp_path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("Ref,Risk,Impact,Likelihood\n")
    sheet = read_workbook(path).sheet()
    from riskdesk.io.prepare import guess_for_sheet

    mapping, scales = guess_for_sheet(sheet)
    prepared = services.importing.preview(admin, path, mapping, scales)
    assert not prepared.ok and "no risks below its header row" in str(prepared.errors[0])
    before = counts(services)
    good = tmp_path / "good.csv"
    good.write_text("Ref,Risk,Impact,Likelihood,Owner,Dept\n1,Flood,2,2,Nobody Known,XX\n")
    mapping, scales = guess_for_sheet(read_workbook(good).sheet())
    prepared = services.importing.preview(admin, good, mapping, scales)
    with pytest.raises(ImportRefused):  # unknown owner and department, not allowed to be created
        services.importing.apply(admin, prepared, new_register=("Corporate Risk Register", "corporate"))
    assert counts(services) == before and services.registers.list_registers(admin) == []


_KILL_CHILD = r"""
import os, sys, time
from riskdesk.db import Database
from riskdesk.domain.register import Actor
from riskdesk.io.prepare import guess_for_sheet
from riskdesk.io.readers import read_workbook
from riskdesk.services import Services
import riskdesk.services.importing as imp

imp.BATCH = 50
url, path, stop_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = Database.open(url, backup=False)
services = Services(db)
actor = Actor("tester", "Test Administrator")
mapping, scales = guess_for_sheet(read_workbook(path).sheet())
prepared = services.importing.preview(actor, path, mapping, scales, create_owners=True, create_departments=True)
def progress(done, total):
    if done >= stop_after:
        print("MIDWAY", done, flush=True)
        time.sleep(60)  # the parent kills us here, inside the import's transaction
services.importing.apply(actor, prepared, new_register=("Corporate Risk Register", "corporate"),
                         create_owners=True, create_departments=True, progress=progress)
print("FINISHED", flush=True)
"""


def test_kill_9_midway_through_an_import_leaves_the_database_exactly_as_before(db_url, services, admin,
                                                                              tmp_path) -> None:
    import signal
    import subprocess

    path = tmp_path / "big.csv"
    depts = ["CR", "A&C", "C&FS", "E&T", "PH", "CE"]
    owners = ["Ann One", "Bob Two", "Cy Three", "Di Four"]
    path.write_text("Ref,Risk,Impact,Likelihood,Owner,Dept\n" + "".join(
        f"R{i},Risk {i},{i % 5 + 1},{(i + 1) % 5 + 1},{owners[i % 4]},{depts[i % 6]}\n" for i in range(1, 401)))
    script = tmp_path / "child.py"
    script.write_text(_KILL_CHILD)
    services.registers.add_user(admin, "admin2", "Admin Two")  # something to compare against
    services.registers.scheme(admin)  # the scoring scheme exists before anything is counted
    before = counts(services)
    kills, left_debris = 0, 0
    for stop_after in (50, 100, 200, 350, 400, 50, 150, 300):
        child = subprocess.Popen([sys.executable, str(script), db_url, str(path), str(stop_after)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("MIDWAY"), line
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        after = counts(services)
        left_debris += after != before or services.registers.list_registers(admin) != []
    print(f"kill -9 midway through an import: {kills} kills, {left_debris} left anything behind")
    assert left_debris == 0
