"""Headless commands as a scripted committee run would use them."""

import subprocess
import sys
from pathlib import Path

from riskdesk.cli import run

FIXTURES = Path(__file__).parent / "fixtures"


def test_load_register_then_info(db_url, capsys):
    assert run(["--database", db_url, "--as", "clerk", "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
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
