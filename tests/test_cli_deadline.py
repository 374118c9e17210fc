"""``riskdesk deadline``: headless, no database, first line ``due: YYYY-MM-DD`` then the explanation."""

import os
import subprocess
import sys
from datetime import date

import pytest

from riskdesk.cli import run


@pytest.fixture
def no_database(monkeypatch):
    """Fail the test if the command tries to open (or create) a database."""
    from riskdesk import db

    def refuse(*args, **kwargs):
        raise AssertionError("riskdesk deadline opened a database")

    monkeypatch.setattr(db.Database, "open", refuse)


@pytest.mark.parametrize(
    ("argv", "due", "expected_lines"),
    [
        (["--regime", "foia", "--received", "2023-03-06"], "2023-04-04",
         ["  17 Mar 2023 — Saint Patrick's Day (Northern Ireland)",
          "note: an England-only calendar would give Mon 3 Apr 2023: wrong for FOI, which skips bank holidays "
          "in every part of the UK (s.10(6))"]),
        (["--regime", "foia", "--received", "2023-03-06", "--clarified", "2023-03-20"], "2023-04-19",
         ["  7 Apr 2023 — Good Friday (all UK nations)"]),
        (["--regime", "foia", "--received", "2023-06-01", "--fee-requested", "2023-06-08",
          "--fee-received", "2023-06-20"], "2023-07-13",
         ["pause: 8 Jun 2023 to 20 Jun 2023: fees notice given until the fee was received (s.10(2)); "
          "9 working days disregarded", "  12 Jul 2023 — Battle of the Boyne (Northern Ireland)"]),
        (["--regime", "eir", "--received", "2023-12-22", "--extended"], "2024-02-22",
         ["  2 Jan 2024 — New Year Holiday (Scotland)", "due: Thu 22 Feb 2024 (extended)"]),
        (["--regime", "internal-review", "--received", "2023-05-10"], "2023-06-08",
         ["longest extension: Thu 6 Jul 2023"]),
        (["--regime", "complaint", "--received", "2023-04-06", "--rule-set", "rs-code-2024"], "2023-05-02",
         ["  1 May 2023 — May Day (England)", "acknowledge by: Mon 17 Apr 2023 (5 working days)"]),
        (["--regime", "csc", "--stage", "2", "--received", "2023-06-01", "--extended"], "2023-09-01",
         ["  28 Aug 2023 — Late Summer Bank Holiday (England)"]),
        (["--regime", "csc", "--stage", "3", "--received", "2023-09-01"], "2023-10-13", []),
    ],
)
def test_first_line_is_the_due_date_then_the_explanation(no_database, capsys, argv, due, expected_lines):
    assert run(["deadline", *argv, "--today", "2023-03-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"due: {due}"
    for line in expected_lines:
        assert line in lines


def test_response_date_prints_working_days_taken_and_state(no_database, capsys):
    assert run(["deadline", "--regime", "foia", "--received", "2023-03-06", "--responded", "2023-04-04",
                "--today", "2023-04-20"]) == 0
    out = capsys.readouterr().out
    assert "responded: 4 Apr 2023 — 20 working days taken (within the time; within 20 working days)" in out
    assert "state on 20 Apr 2023: Met" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--regime", "eir", "--received", "2023-03-06", "--fee-requested", "2023-03-08"],
         "--fee-requested does not apply to --regime eir (it applies to: foia)"),
        (["--regime", "foia", "--received", "2023-06-01", "--fee-requested", "2023-06-08"],
         "give the date the fee was received"),
        (["--regime", "eir", "--received", "2023-03-06", "--extension-notified", "2023-04-05"],
         "must be notified within 20 working days (by 2023-04-04)"),
        (["--regime", "complaint", "--received", "2023-03-06", "--rule-set", "RS-NOPE"], "is not known"),
    ],
)
def test_bad_input_is_one_clear_line(no_database, capsys, argv, message):
    assert run(["deadline", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("riskdesk deadline: ") and message in captured.err
    assert "Traceback" not in captured.err


def test_a_bad_date_is_named(capsys):
    with pytest.raises(SystemExit) as exit_:
        run(["deadline", "--regime", "foia", "--received", "2023-13-06"])
    assert exit_.value.code == 2
    assert "'2023-13-06' is not a date: write it as YYYY-MM-DD" in capsys.readouterr().err


def test_the_installed_command_creates_no_database(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "RISKDESK_DATA_DIR": str(data), "RISKDESK_CONFIG_DIR": str(tmp_path / "cfg"),
           "RISKDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'would-be.sqlite'}"}
    result = subprocess.run([sys.executable, "-m", "riskdesk", "deadline", "--regime", "foia", "--received",
                             "2023-07-03"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "due: 2023-08-01"
    assert "  12 Jul 2023 — Battle of the Boyne (Northern Ireland)" in result.stdout.splitlines()
    assert not (tmp_path / "would-be.sqlite").exists()
    assert not data.exists() or not any(data.iterdir())


def test_calendar_command_records_a_holiday_that_moves_the_due_date(db_url, capsys):
    from riskdesk.domain import calendars, clocks

    try:
        assert run(["--database", db_url, "calendar", "add-holiday", "2023-06-09", "--name", "Proclaimed holiday",
                    "--nations", "sct", "--reason", "proclamation"]) == 0
        out = capsys.readouterr().out
        assert "Recorded: Bank holiday added: 9 Jun 2023 Proclaimed holiday (Scotland)." in out
        assert clocks.foia_response(date(2023, 6, 1)).due == date(2023, 6, 30)
        assert run(["--database", db_url, "calendar", "list"]) == 0
        line = capsys.readouterr().out.splitlines()[0]
        assert line.endswith("Proclaimed holiday (Scotland) — proclamation")
        assert run(["--database", db_url, "calendar", "withdraw", line.split()[0], "--reason", "typed in error"]) == 0
        assert clocks.foia_response(date(2023, 6, 1)).due == date(2023, 6, 29)
        assert run(["--database", db_url, "calendar", "remove-holiday", "2023-06-09", "--nations", "NIR",
                    "--reason", "x"]) == 2
        assert "is not a bank holiday in Northern Ireland" in capsys.readouterr().err
    finally:
        calendars.install_overrides(())
