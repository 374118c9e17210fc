"""Headless commands as a scripted committee run would use them."""

import subprocess
import sys
from pathlib import Path

from riskdesk.cli import run

FIXTURES = Path(__file__).parent / "fixtures"


def test_load_register_then_info(db_url, capsys):
    assert run(["--database", db_url, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    out = capsys.readouterr().out
    assert "29 current risks with 31 scoring lines" in out
    assert "8 removed risks" in out and "5 amended" in out
    assert run(["--database", db_url, "info"]) == 0
    out = capsys.readouterr().out
    assert "Corporate Risk Register (corporate): 29 current, 8 removed" in out
    assert "Periods:         1 (2023Q3)" in out
    from riskdesk.db import SCHEMA_HEAD

    assert f"Schema revision: {SCHEMA_HEAD}" in out


def test_demo_fills_an_empty_database_once(db_url, capsys):
    assert run(["--database", db_url, "demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo register loaded" in out
    assert run(["--database", db_url, "demo"]) == 2
    assert "already holds registers" in capsys.readouterr().err


def test_backup_command(tmp_path, capsys):
    db = tmp_path / "r.sqlite"
    assert run(["--database", str(db), "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    out_file = tmp_path / "copy.sqlite"
    assert run(["--database", str(db), "backup", "--out", str(out_file)]) == 0
    assert out_file.exists() and f"Backup written to {out_file}" in capsys.readouterr().out


def test_a_backup_onto_the_database_itself_is_refused(tmp_path, capsys):
    """Before: "Backup written to r.sqlite", the live database replaced by a copy of itself under its
    open connections and write-ahead log, and no backup anywhere."""
    import hashlib
    import os

    db = tmp_path / "r.sqlite"
    assert run(["--database", str(db), "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    link = tmp_path / "link.sqlite"
    os.symlink(db, link)
    before = hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_ino
    for out in (db, link, tmp_path / ".." / tmp_path.name / "r.sqlite"):
        capsys.readouterr()
        assert run(["--database", str(db), "backup", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"{out} is the database itself, not a place for its backup: nothing was written" in err
    assert (hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_ino) == before  # the same file, untouched
    assert run(["--database", str(db), "info"]) == 0


def test_errors_are_one_clear_line_not_a_traceback(tmp_path, capsys):
    missing = tmp_path / "nope.json"
    assert run(["--database", str(tmp_path / "r.sqlite"), "load-register", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("riskdesk: register file:") and "does not exist" in err
    assert "Traceback" not in err


def test_window_without_a_display_says_how_to_run_it(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RISKDESK_DATA_DIR": str(tmp_path),
           "RISKDESK_CONFIG_DIR": str(tmp_path), "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run([sys.executable, "-m", "riskdesk"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no display" in result.stderr and "xvfb-run" in result.stderr


def test_si_report_command(db_url, tmp_path, capsys):
    from datetime import date

    from riskdesk.db import Database
    from riskdesk.domain.incidents import Framework, IncidentDraft
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services

    db = Database.open(db_url, backup=False)
    sv = Services(db)
    clerk = Actor("clerk")
    p = sv.providers.add_provider(clerk, "Turning Point", "TP")
    svc = sv.providers.add_service(clerk, p.id, "Integrated substance misuse service")
    for reported in (date(2021, 12, 3), date(2022, 12, 5), date(2022, 12, 9)):
        sv.incidents.save(clerk, IncidentDraft(provider_id=p.id, service_id=svc.id, identified_on=reported,
                                               reported_on=reported, description="Death in treatment.",
                                               framework=Framework.SIF_2015))
    db.dispose()
    out = tmp_path / "si.pdf"
    assert run(["--database", db_url, "--as", "clerk", "si-report", "--from", "2022-10", "--to", "2023-09",
                "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    said = capsys.readouterr().out
    assert "October 2021 – September 2022 1 SIs" in said and "October 2022 – September 2023 2 SIs" in said
    assert run(["--database", db_url, "--as", "clerk", "si-report", "--from", "2022-10", "--to", "2023-10",
                "--out", str(out)]) == 2
    assert "twelve months" in capsys.readouterr().err
