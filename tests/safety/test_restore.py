"""riskdesk restore: checked first, the current database kept, refused while in use, all or nothing."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from riskdesk import paths
from riskdesk.backups import BackupError, DatabaseInUse
from riskdesk.cli import run
from riskdesk.db import Database, make_engine
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.services.restore import RestoreService

FIXTURES = Path(__file__).parents[1] / "fixtures"
ADMIN = Actor("tester", "Test Administrator")
Q3 = Quarter(2023, 3)


@pytest.fixture
def register_file(tmp_path) -> Path:
    """A SQLite database holding the published register (29 current risks)."""
    path = tmp_path / "live.sqlite"
    db = Database.open(str(path), backup=False)
    Services(db).published.load(ADMIN, FIXTURES / "crr-2023-11.json")
    db.dispose()
    return path


def _period(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM setting WHERE key = 'current_period'").fetchone()[0]
    finally:
        conn.close()


def test_restore_brings_the_backup_back_and_keeps_the_database_as_it_was(register_file, capsys):
    db = str(register_file)
    me = ["--as", ADMIN.login]  # the database's administrator; this login has no role in it
    assert run(["--database", db, *me, "backup"]) == 0
    backup = Path(capsys.readouterr().out.split("Backup written to ")[1].strip())
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert run(["--database", db, *me, "quarter", "close"]) == 0
    assert _period(register_file) == "2023Q4"

    assert run(["--database", db, "restore", str(backup)]) == 2  # no role: restoring replaces everything
    assert _period(register_file) == "2023Q4"
    assert run(["--database", db, *me, "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert _period(register_file) == "2023Q3"
    assert f"Restored {backup} into SQLite file {register_file}." in out
    assert "It holds: 1 registers, 29 current risks, 8 removed risks" in out
    kept = Path(out.split("before the restore is kept in ")[1].strip())
    assert kept.exists() and _period(kept) == "2023Q4"  # nothing is lost by restoring
    with sqlite3.connect(register_file) as conn:
        assert conn.execute("SELECT count(*) FROM audit_entry WHERE action = 'database.restore'").fetchone()[0] == 1


def test_restore_is_refused_while_another_riskdesk_has_the_database_open(register_file, tmp_path):
    db = Database.open(str(register_file), backup=False)
    backup = Services(db).info.backup(ADMIN)
    db.dispose()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom riskdesk.db import Database\nfrom sqlalchemy import text\n"
         f"db = Database.open({str(register_file)!r}, backup=False)\n"
         "with db.engine.connect() as c: c.execute(text('SELECT count(*) FROM risk')).scalar()\n"
         "print('open', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"  # an idle window: a pooled connection, no transaction
        with pytest.raises(DatabaseInUse, match=r"Another riskdesk .* has .* open, so it cannot be restored now"):
            RestoreService(str(register_file)).restore(ADMIN, backup)
    finally:
        holder.kill()
        holder.wait()
    assert RestoreService(str(register_file)).restore(ADMIN, backup).counts_after["current risks"] == 29


@pytest.mark.parametrize("damage", ["missing", "not sqlite", "corrupt", "newer", "the database itself"])
def test_a_bad_backup_is_refused_and_nothing_changes(register_file, tmp_path, damage):
    bad = tmp_path / "bad.sqlite"
    if damage == "the database itself":  # before: "Restored r.sqlite into r.sqlite", a restore of nothing
        bad = register_file
    elif damage == "not sqlite":
        bad.write_text("Ref,Description\n1,IF x THEN y\n")
    elif damage in ("corrupt", "newer"):
        db = Database.open(str(register_file), backup=False)
        Services(db).info.backup(ADMIN, bad)
        db.dispose()
        if damage == "newer":
            with sqlite3.connect(bad) as conn:
                conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        else:
            data = bytearray(bad.read_bytes())
            for page in range(3, len(data) // 4096, 2):  # scribble over every other page's header
                data[page * 4096:page * 4096 + 16] = os.urandom(16)
            bad.write_bytes(bytes(data))
    before = register_file.read_bytes()
    expected = {"missing": "There is no backup file at", "not sqlite": "is not a riskdesk SQLite backup",
                "corrupt": "is damaged", "newer": "was made by a newer riskdesk",
                "the database itself": "is the database itself, not a backup of it"}[damage]
    with pytest.raises(BackupError, match=expected):
        RestoreService(str(register_file)).restore(ADMIN, bad)
    assert register_file.read_bytes() == before


def test_backups_in_the_same_second_get_their_own_names_and_failures_leave_nothing(register_file, monkeypatch):
    services = Services(Database.open(str(register_file), backup=False))
    names = {services.info.backup(ADMIN) for _ in range(5)}
    assert len(names) == 5 and all(p.stat().st_size > 0 for p in names)

    import riskdesk.backups as backups

    def disk_full(_path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_fsync_file", disk_full)
    before = sorted(paths.backup_dir().iterdir())
    with pytest.raises(BackupError, match="is full, so the backup could not be written"):
        services.info.backup(ADMIN)
    assert sorted(paths.backup_dir().iterdir()) == before  # no 0-byte or partial file left behind
    services.db.dispose()


WRITER = """
import sqlite3, sys, itertools
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA wal_autocheckpoint=0")   # keep everything in the -wal, as a busy riskdesk might
print("writing", flush=True)
for n in itertools.count():
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE setting SET value = ? WHERE key = 'probe'", (f"after-{n}",))
    conn.execute("INSERT INTO audit_entry (at, user_login, action, entity, label, changes, note) "
                 "VALUES ('2030-01-01 00:00:00', 'writer', 'probe', 'setting', '', '{}', '')")
    conn.execute("COMMIT")
"""


def _fingerprint(path: Path) -> tuple:
    """The probe value and every audit entry but the restores' own notes."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        probe = conn.execute("SELECT value FROM setting WHERE key = 'probe'").fetchone()[0]
        rows = conn.execute("SELECT id, action FROM audit_entry WHERE action <> 'database.restore' "
                            "ORDER BY id").fetchall()
        return probe, rows
    finally:
        conn.close()


def test_backup_write_kill_restore_fifty_times(register_file, tmp_path):
    """backup → write → kill -9 (leaving -wal and -shm) → restore, 50 times."""
    with sqlite3.connect(register_file) as conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('probe', 'start')")
    conn.close()
    rng = random.Random(12)
    corrupted = not_restored = 0
    for i in range(50):
        conn = sqlite3.connect(register_file)
        with conn:
            conn.execute("UPDATE setting SET value = ? WHERE key = 'probe'", (f"backup-{i}",))
        conn.close()
        backup = tmp_path / f"b{i}.sqlite"
        Services(db := Database.open(str(register_file), backup=False)).info.backup(ADMIN, backup)
        db.dispose()
        in_backup = _fingerprint(backup)
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(register_file)], stdout=subprocess.PIPE,
                                 text=True)
        assert child.stdout.readline().strip() == "writing"
        time.sleep(rng.uniform(0.01, 0.15))
        child.kill()  # SIGKILL: no checkpoint, the -wal stays
        child.wait()
        assert Path(f"{register_file}-wal").exists()
        RestoreService(str(register_file)).restore(ADMIN, backup)
        conn = sqlite3.connect(register_file)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                corrupted += 1
                continue
        finally:
            conn.close()
        if _fingerprint(register_file) != in_backup or in_backup[0] != f"backup-{i}":
            not_restored += 1
    print(f"50 restores after kill -9: {corrupted} corrupted, {not_restored} silently not restored")
    assert (corrupted, not_restored) == (0, 0)


def test_restore_a_dump_into_a_new_empty_database(published, db_url, tmp_path):
    """SQLite: a backup file into a new file. PostgreSQL: pg_dump into a new, empty database."""
    backup = published.info.backup(ADMIN)
    if published.db.is_sqlite:
        new_url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
        drop = None
    else:
        name = f"riskdesk_restored_{uuid.uuid4().hex[:8]}"
        admin = make_engine(str(published.db.engine.url.set(database="postgres")
                                .render_as_string(hide_password=False)))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        new_url = published.db.engine.url.set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()
    try:
        result = RestoreService(new_url).restore(ADMIN, backup)
        assert result.counts_after["current risks"] == 29 and result.counts_after["removed risks"] == 8
        restored = Services(Database.open(new_url, backup=False))
        assert restored.registers.current_period(ADMIN) == Q3
        assert len(restored.risks.list_risks(ADMIN, restored.registers.corporate_register(ADMIN).id)) == 29
        restored.db.dispose()
        if not published.db.is_sqlite:  # a database that is not empty is never restored over
            with pytest.raises(BackupError, match="is not empty"):
                RestoreService(new_url).restore(ADMIN, backup)
    finally:
        if drop:
            drop()
