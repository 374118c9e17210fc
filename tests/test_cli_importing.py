"""`riskdesk import` and `riskdesk export` as a clerk would run them."""

from __future__ import annotations

import csv
from pathlib import Path

from riskdesk.cli import run
from riskdesk.db import Database
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import Score
from riskdesk.services import Services

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
