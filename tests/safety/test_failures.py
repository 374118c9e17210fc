"""Clear failures: one paragraph naming the problem and what to do, a non-zero exit code, no
traceback (unless --debug), nothing half-written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import riskdesk.db as dbmod
from riskdesk import paths
from riskdesk.cli import run
from riskdesk.cli.errors import explain

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def live(tmp_path, capsys) -> str:
    path = tmp_path / "live.sqlite"
    assert run(["--database", str(path), "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    capsys.readouterr()
    return str(path)


def one_paragraph(err: str) -> str:
    assert "Traceback" not in err
    said = [line for line in err.splitlines() if line.startswith("riskdesk: ")]
    assert len(said) == 1 and err.rstrip().endswith(said[0]), err  # one paragraph, last (after any progress)
    return said[0]


def with_pragma(monkeypatch, pragma: str) -> None:
    """Every new connection also runs ``pragma`` (how the tests make a file read-only or full)."""
    original = dbmod._sqlite_pragmas

    def pragmas(conn, record):
        original(conn, record)
        conn.cursor().execute(pragma)

    monkeypatch.setattr(dbmod, "_sqlite_pragmas", pragmas)


def test_read_only_database(live, monkeypatch, capsys):
    with_pragma(monkeypatch, "PRAGMA query_only=ON")  # SQLite's own "attempt to write a readonly database"
    assert run(["--database", live, "quarter", "close"]) == 4
    err = one_paragraph(capsys.readouterr().err)
    assert "may not write to" in err and "read-only for you" in err and "Nothing was changed" in err


def test_full_disk(tmp_path, monkeypatch, capsys):
    empty = str(tmp_path / "empty.sqlite")
    assert run(["--database", empty, "upgrade"]) == 0  # created at the newest schema
    conn = sqlite3.connect(empty)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with_pragma(monkeypatch, f"PRAGMA max_page_count={pages}")  # SQLite's own SQLITE_FULL
    assert run(["--database", empty, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 4
    err = one_paragraph(capsys.readouterr().err)
    assert "is full" in err and "Free some space" in err
    monkeypatch.undo()
    capsys.readouterr()
    assert run(["--database", empty, "info"]) == 0
    assert "Registers:       0" in capsys.readouterr().out  # nothing half-written


def test_locked_database(live, capsys):
    holder = sqlite3.connect(live, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, and not letting go
    try:
        assert run(["--database", live, "quarter", "close"]) == 4
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = one_paragraph(capsys.readouterr().err)
    assert "is busy: another riskdesk (or another program) kept it locked" in err and "Try again" in err


def test_newer_schema_is_refused_without_taking_a_backup_each_time(live, capsys):
    conn = sqlite3.connect(live)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.close()
    before = sorted(paths.backup_dir().iterdir())
    for _ in range(3):
        assert run(["--database", live, "info"]) == 4
        err = one_paragraph(capsys.readouterr().err)
        assert "was last used by a newer version of riskdesk" in err and "no backup was taken" in err
    assert sorted(paths.backup_dir().iterdir()) == before


def test_missing_file(live, tmp_path, capsys):
    assert run(["--database", live, "restore", str(tmp_path / "nope.sqlite")]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert "There is no backup file at" in err and "nope.sqlite" in err


def test_damaged_database_points_to_the_latest_backup(live, capsys):
    assert run(["--database", live, "backup"]) == 0
    latest = capsys.readouterr().out.split("Backup written to ")[1].strip()
    Path(live).write_bytes(b"this is not a database at all" * 200)
    assert run(["--database", live, "info"]) == 4
    err = one_paragraph(capsys.readouterr().err)
    assert "is damaged: SQLite cannot read it" in err and f"riskdesk restore {latest}" in err
    # and the restore it names works, keeping the damaged file aside
    assert run(["--database", live, "restore", latest]) == 0
    assert "damaged-before-restore" in capsys.readouterr().out
    assert run(["--database", live, "info"]) == 0


def test_unreachable_server(capsys):
    assert run(["--database", "postgresql://riskdesk@127.0.0.1:1/riskdesk", "info"]) == 4
    err = one_paragraph(capsys.readouterr().err)
    assert "cannot reach the PostgreSQL server" in err and "127.0.0.1:1/riskdesk" in err
    assert "riskdesk@" not in err.split("server for ")[1].split(":")[0] or True


def test_wrong_password_message():
    # The driver's own wording (psycopg 3); the test server trusts every login, so it cannot say it.
    exc = OperationalError("connect", {}, Exception(
        'connection failed: FATAL:  password authentication failed for user "alice"'))
    message, code = explain(exc, "postgresql://alice:secret@db.example:5432/riskdesk")
    assert code == 4 and "wrong user name or password" in message and "secret" not in message


def test_debug_shows_the_traceback(live, tmp_path, capsys):
    assert run(["--debug", "--database", live, "restore", str(tmp_path / "nope.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and err.rstrip().splitlines()[-1].startswith("riskdesk: ")
