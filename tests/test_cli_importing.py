"""`riskdesk import` and `riskdesk export` as a clerk would run them."""

from __future__ import annotations

import csv
from pathlib import Path

from riskdesk.cli import run
from riskdesk.db import Database
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import Score
from riskdesk.services import Services, default_actor

FIXTURES = Path(__file__).parent / "fixtures"
FENLAND = FIXTURES / "fenland_dc_corporate_risk_register_2019.csv"


def _services(db_url: str) -> tuple[Database, Services]:
    db = Database.open(db_url, backup=False)
    return db, Services(db)


def test_fenland_dry_run_guesses_saves_then_imports_through_the_saved_mapping(db_url, capsys) -> None:
    base = ["--database", db_url, "--as", "clerk"]
    # Without --create-owners the unknown owners are errors: the dry run says so and fails.
    assert run([*base, "import", str(FENLAND), "--dry-run", "--save-mapping", "Fenland CRR"]) == 1
    out = capsys.readouterr().out
    assert "riskdesk guessed this mapping" in out
    assert "Risk if no action - Impact            →  inherent impact  (guessed)" in out
    assert "Risk if no action - Impact (inherent impact): 1 to 5 — because riskdesk's own 1 to 5" in out
    assert "Row 18 · ref 17 · has errors" in out
    assert "ERROR   Row 18, Risk Owner: “Paul Medd” is not a riskdesk user" in out
    assert "Mapping saved as “Fenland CRR”" in out
    # Every row as stored, text whole.
    assert "      • Horizon scanning by Legal/CMT/Mgt Team" in out
    assert out.count("    Inherent (risk if no action), kept as the inherent score: ") == 20
    assert "Inherent (risk if no action), kept as the inherent score: 5 × 5 = 25   [file: Impact 5 of 5, " \
           "Likelihood 5 of 5, Score 25]" in out
    assert out.count("Direction of travel: not stated (none in the file)") == 20

    assert run([*base, "import", str(FENLAND), "--mapping", "fenland crr", "--dry-run", "--create-owners",
                "--period", "19/20 Q2"]) == 0
    out = capsys.readouterr().out
    assert "Using the saved mapping “Fenland CRR”" in out and "0 errors" in out
    assert "Current risk - Impact (current impact): 1 to 5 — because saved with the mapping “Fenland CRR” " \
           "(riskdesk's own 1 to 5" in out
    assert "Dry run: nothing was changed" in out
    db, services = _services(db_url)
    try:
        assert services.registers.list_registers(Actor("clerk")) == []
    finally:
        db.dispose()

    assert run([*base, "import", str(FENLAND), "--mapping", "Fenland CRR", "--create-owners",
                "--period", "19/20 Q2"]) == 0
    out = capsys.readouterr().out
    assert "Created the register “Corporate Risk Register” (corporate)." in out
    assert "Imported 20 risks into the Corporate Risk Register for 19/20 Q2, with 20 inherent scores kept as " \
           "inherent scores." in out
    db, services = _services(db_url)
    try:
        actor = Actor("clerk")
        reg = services.registers.corporate_register(actor)
        rows = {r.ref: r for r in services.risks.list_risks(actor, reg.id)}
        assert len(rows) == 20
        # The inherent score is no past quarter: risk 9 has one assessment, so no movement from 20.
        assert rows["9"].current == Score(4, 4) and rows["9"].history == (("2019Q2", 16, None),)
        with FENLAND.open(encoding="utf-8", newline="") as fh:
            for cells in csv.DictReader(fh):
                row = rows[cells["Reference"]]
                assert row.description == cells["Risk and effects"].strip()
                assert row.update_text.startswith(cells["Comments and progress of actions"].strip())
                assert cells["Actions being taken to managing risk"].strip() in row.update_text
    finally:
        db.dispose()
    # The same file again: every ref is now taken, so every row is an error and nothing changes.
    assert run([*base, "import", str(FENLAND), "--mapping", "Fenland CRR", "--create-owners"]) == 1
    out = capsys.readouterr().out
    assert "is already the reference of a current risk on the Corporate Risk Register" in out
    assert "Nothing imported" in out


def test_unknown_mapping_and_unreadable_file_are_one_line_errors(db_url, tmp_path, capsys) -> None:
    assert run(["--database", db_url, "import", str(FENLAND), "--mapping", "Nope"]) == 2
    assert "There is no saved import mapping called “Nope”" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert run(["--database", db_url, "import", str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "riskdesk: “empty.csv” is empty" and "Traceback" not in err


def test_export_commands(db_url, tmp_path, capsys) -> None:
    assert run(["--database", db_url, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    capsys.readouterr()
    out = tmp_path / "register.csv"
    assert run(["--database", db_url, "export", "register", "--out", str(out)]) == 0
    assert "Wrote 29 risks of the Corporate Risk Register" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 29 and rows[0]["Ref"] == "C"
    assert run(["--database", db_url, "export", "removed", "--out", str(tmp_path / "removed.xlsx")]) == 0
    assert "Wrote 8 removed risks" in capsys.readouterr().out
    assert run(["--database", db_url, "export", "audit-trail", "--out", str(tmp_path / "audit.xlsx")]) == 0
    assert "audit entries to" in capsys.readouterr().out
    assert run(["--database", db_url, "export", "register", "--register", "Nope", "--out", str(out)]) == 2
    assert "There is no register called “Nope”" in capsys.readouterr().err
    assert run(["--database", db_url, "export", "register", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "exports to .xlsx or .csv" in capsys.readouterr().err
    # the audit trail is the whole database's: a --register was dropped without a word
    trail = tmp_path / "trail.csv"
    assert run(["--database", db_url, "export", "audit-trail", "--register", "Corporate Risk Register",
                "--out", str(trail)]) == 2
    assert "--register: 'Corporate Risk Register' does not apply to the audit trail" in capsys.readouterr().err
    assert not trail.exists()


# -- imports never alter a value behind the user's back (issue 12) -----------------------------------


def test_repeating_warnings_are_printed_once_with_a_count(db_url, tmp_path, capsys) -> None:
    depts = ["CR", "A&C", "C&FS", "E&T", "PH", "CE"]
    owners = ["Ann One", "Bob Two", "Cy Three", "Di Four"]
    path = tmp_path / "many.csv"
    path.write_text("Ref,Risk,Impact,Likelihood,Owner,Dept\n" + "".join(
        f"R{i},Risk {i},2,3,{owners[i % 4]},{depts[i % 6]}\n" for i in range(1, 3001)))
    assert run(["--database", db_url, "import", str(path), "--create-owners", "--create-departments",
                "--dry-run"]) == 0
    out = capsys.readouterr().out
    warnings = [line for line in out.splitlines() if line.lstrip().startswith("WARNING")]
    print(f"warning lines printed for 3,000 rows, 6 departments and 4 owners: {len(warnings)}; "
          f"output {len(out):,} characters")
    assert len(warnings) == 10
    assert any("is a department riskdesk does not have yet; it will be created" in w and "500 rows" in w
               for w in warnings)


def test_dry_run_states_each_scale_refuses_a_stray_value_and_scale_is_the_users_choice(db_url, tmp_path,
                                                                                      capsys) -> None:
    path = tmp_path / "five.csv"
    path.write_text("Ref,Risk,Owner,Impact,Likelihood,Target Impact,Target Likelihood\n"
                    "1,Flood,Jane,4,3,2,2\n2,Fire,Jane,3,3,2,1\n3,Cyber,Jane,7,2,2,1\n4,Theft,Jane,High,2,,\n")
    base = ["--database", db_url, "import", str(path), "--create-owners", "--dry-run"]
    assert run(base) == 1
    out = capsys.readouterr().out
    assert "Impact (current impact): 1 to 5 — because riskdesk's own 1 to 5 (neither the header nor you gave " \
           "another scale)" in out
    assert "words become: “High” → 4" in out
    assert "ERROR   Row 4, Impact: “7” is outside the current impact scale of 1 to 5" in out
    assert "--scale impact=1-10" in out
    # Nothing rescaled: rows 2 and 3 read exactly as written.
    assert "Current (" in out and "4 × 3 = 12   [file: Impact 4 of 5, Likelihood 3 of 5]" in out
    assert run([*base, "--scale", "impact=1-10"]) == 0
    out = capsys.readouterr().out
    assert "Impact (current impact): 1 to 10 (converted to riskdesk's 1 to 5) — because you chose --scale " \
           "impact=1-10" in out
    assert "numbers become (riskdesk's 1 to 5): 4 → 2, 3 → 2, 7 → 4" in out
    assert run([*base, "--scale", "impact=1-1000000"]) == 2
    assert "a scale runs from 1 to between 2 and 100" in capsys.readouterr().err


def test_guessed_description_of_scale_words_is_refused_and_map_fixes_it(db_url, tmp_path, capsys) -> None:
    path = tmp_path / "priority.csv"
    path.write_text('Ref,"Risk Priority (low, med, high)",Title,Impact,Likelihood,Owner\n'
                    "1,Low,Flood,2,2,Jane\n2,Med,Fire,4,4,Jane\n3,High,Cyber,5,4,Jane\n")
    base = ["--database", db_url, "import", str(path), "--create-owners", "--dry-run"]
    assert run(base) == 1
    out = capsys.readouterr().out
    assert "Risk Priority (low, med, high): was guessed to be the risk description, but every one of its 3 cells " \
           "is only a scale word or a number" in out
    assert "--map \"HEADER=FIELD\"" in out
    assert run([*base, "--map", "Title=description", "--map", "Risk Priority (low, med, high)=ignore"]) == 0
    out = capsys.readouterr().out
    assert "Title                           →  description" in out
    assert "Risk Priority (low, med, high) is not imported (the mapping ignores it) but holds bands: 1 of 3 rows " \
           "disagree" in out
    assert "WARNING Row 3, Risk Priority (low, med, high): “Med” disagrees with riskdesk's band high/red" in out


def test_dry_run_never_prints_raw_control_characters(db_url, tmp_path, capsys) -> None:
    path = tmp_path / "esc.csv"
    path.write_bytes(b"Ref,Risk,Impact,Likelihood,Owner\n1,IF \x1b[2J\x07 THEN,2,2,Jane\n")
    assert run(["--database", db_url, "import", str(path), "--create-owners", "--dry-run"]) == 1
    out = capsys.readouterr().out
    raw = sum(out.count(ch) for ch in "\x1b\x07")
    print("raw control characters printed:", raw)
    assert raw == 0
    assert "ERROR   Row 2, Risk: “IF \u241b[2J\u2407 THEN” contains an invisible control character, ESC (code 0x1b)" \
           in out


def test_encoding_is_refused_with_row_and_column_or_read_as_chosen(db_url, tmp_path, capsys) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes("Ref,Risk,Impact,Likelihood,Owner\n1,Café closure,2,2,Jane\n".encode("mac_roman"))
    base = ["--database", db_url, "import", str(path), "--create-owners", "--dry-run"]
    assert run(base) == 2
    err = capsys.readouterr().err
    assert "byte 0x8E at row 2, column B" in err and "--encoding mac_roman" in err and "Traceback" not in err
    assert run([*base, "--encoding", "mac_roman"]) == 0
    out = capsys.readouterr().out
    assert "Text encoding: mac-roman (chosen by you)." in out and "Café closure" in out


def test_header_only_file_creates_no_register(db_url, tmp_path, capsys) -> None:
    path = tmp_path / "header.csv"
    path.write_text("Ref,Risk,Impact,Likelihood\n")
    assert run(["--database", db_url, "import", str(path)]) == 1
    assert "no risks below its header row" in capsys.readouterr().out
    db, services = _services(db_url)
    try:
        # the import ran as this login, the database's first user (administrator)
        assert services.registers.list_registers(default_actor()) == []
    finally:
        db.dispose()


def test_audit_trail_with_a_stored_control_character_still_exports(db_url, tmp_path, capsys) -> None:
    db, services = _services(db_url)
    try:  # text stored before imports refused control characters
        services.registers.create_register(Actor("clerk"), "Legacy \x1b[31m register", "departmental")
    finally:
        db.dispose()
    for ext in ("xlsx", "csv"):
        out = tmp_path / f"trail.{ext}"
        assert run(["--database", db_url, "--as", "clerk", "export", "audit-trail", "--out", str(out)]) == 0
        printed = capsys.readouterr().out
        assert "held invisible control characters" in printed and "ESC (code 0x1b) shown as \u241b" in printed
        assert "\x1b" not in printed and out.exists()


def test_a_skip_row_that_is_not_a_risks_row_is_refused_and_nothing_imported(db_url, capsys) -> None:
    """Before, --skip-row 999 (or 1, the header, or -3) left out nothing and said nothing, while the
    user believed a row left out."""
    base = ["--database", db_url, "--as", "clerk", "import", str(FENLAND), "--create-owners", "--create-departments"]
    for rows, said in ((["999"], "'999' is not a row"), (["1", "-3"], "'-3, 1' are not rows")):
        assert run([*base, *(a for n in rows for a in ("--skip-row", n))]) == 2
        err = capsys.readouterr().err
        assert f"--skip-row: {said} of a risk in “fenland_dc_corporate_risk_register_2019.csv” (its risks " \
               "are on rows 2 to 21, numbered as in Excel); nothing was imported" in err
    from sqlalchemy import text

    db, _ = _services(db_url)
    try:
        with db.engine.connect() as conn:
            risks = conn.execute(text("SELECT count(*) FROM risk")).scalar()
    finally:
        db.dispose()
    print(f"risks imported by the refused runs: {risks}")
    assert risks == 0
    assert run([*base, "--skip-row", "3"]) == 0
    assert "19 of 20 rows" in capsys.readouterr().out
