"""The early reads kept from one run to the next (``riskdesk.services.kept_reads``): on a start after
a close that left the file as it was, the first look goes on from the copy, with no thread reading
beside the window; whenever the file is not exactly as the copy was read, the copy is not used, and
the first look is what the services read, as before.

Every test makes its own SQLite file and copy: the first look is for personal files only, so these
tests run once, on SQLite, whichever database the suite is pointed at.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from riskdesk.db import Database
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import RiskChange
from riskdesk.services import Services
from riskdesk.services.early_reads import LONG, EarlyReads
from riskdesk.services.first_look import FirstLook, first_look
from riskdesk.services.kept_reads import KeptReads, begin, keep
from tests.services.test_first_look import (
    ADMIN,
    _as_the_services_read_it,
    _fields,
    _first,
    _personal,
    _reads_sent_after,
)


def _corporate(ids: list[int]) -> int | None:
    return ids[0] if ids else None


def _look(path: Path, actor: Actor, early: object) -> FirstLook:
    look = first_look(path, actor, _first, early)  # type: ignore[arg-type]
    assert look is not None
    return look


def _differing(look: FirstLook, services: Services, actor: Actor) -> list[str]:
    expected = _as_the_services_read_it(services, actor, look.register_id)
    return [name for name, text in _fields(look).items() if text != expected[name]]


def _kept(tmp_path: Path, fill: str = "published") -> tuple[Path, Services, Path]:
    """A personal file, read once at a start and kept at its close, as ``riskdesk`` does."""
    path, services = _personal(tmp_path, fill)
    where = tmp_path / "cache" / "first-look.marshal"
    early = begin(path, ADMIN.login, _corporate, where)
    assert isinstance(early, EarlyReads)  # no copy yet: read on the thread
    _look(path, ADMIN, early)
    assert keep(path, ADMIN.login, _corporate, early, where)
    return path, services, where


def _threads_begun(monkeypatch) -> list[str]:
    import threading

    begun: list[str] = []
    real = threading.Thread.start

    def start(self):  # type: ignore[no-untyped-def]
        begun.append(self.name)
        return real(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    return begun


def test_a_start_after_a_close_goes_on_from_the_copy_with_no_thread(tmp_path, monkeypatch):
    """The usual start: the file as riskdesk left it. Nothing is read beside the window (no
    thread), the long reads are not sent, and the look is the services' own, field for field."""
    path, services, where = _kept(tmp_path)
    try:
        begun = _threads_begun(monkeypatch)
        sent = _reads_sent_after(monkeypatch)
        early = begin(path, ADMIN.login, _corporate, where)
        look = _look(path, ADMIN, early)
        differing = _differing(look, services, ADMIN)
    finally:
        services.db.dispose()
    print(f"threads begun: {begun}, long reads sent: {[n for n in sent if n in LONG]}, differing: {differing}")
    assert isinstance(early, KeptReads)
    assert begun == [] and not set(sent) & set(LONG) and differing == []
    assert len(look.rows) > 20
    assert where.stat().st_mode & 0o077 == 0  # the register's text: its owner's to read only


def _amended_by_the_services(path: Path, services: Services, where: Path | None = None) -> str:
    row = services.risks.list_risks(ADMIN, services.registers.corporate_register(ADMIN).id)[0]
    services.risks.amend_risk(ADMIN, row.id, RiskChange(description="Amended since the copy was kept.", rationale="Reworded"),
                              expected_version=row.version)
    return "Amended since the copy was kept."


def _amended_by_another_program(path: Path, services: Services, where: Path) -> str:
    services.db.dispose()  # riskdesk closed, its log checkpointed into the file
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE risk SET description = 'Written by another program.' "
                     "WHERE id = (SELECT min(id) FROM risk WHERE status = 'current')")
    return "Written by another program."


def _same_size_and_time(path: Path, services: Services, where: Path) -> str:
    """Another program changes one character in place, and puts the file's modification time
    back: the size, the time and SQLite's header are as the copy has them; the change time is not."""
    services.db.dispose()  # riskdesk closed: its log checkpointed into the file, and the copy kept
    assert keep(path, ADMIN.login, _corporate, None, where)
    before = path.stat()
    header = path.read_bytes()[:100]
    conn = sqlite3.connect(path)
    conn.execute("UPDATE risk SET description = 'X' || substr(description, 2) "
                 "WHERE id = (SELECT min(id) FROM risk WHERE status = 'current')")
    conn.commit()
    text = conn.execute("SELECT description FROM risk WHERE status = 'current' ORDER BY id").fetchone()[0]
    conn.close()  # the last connection: the log checkpointed into the file, and removed
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert path.read_bytes()[:100] == header
    return text


def _restored_from_a_backup(path: Path, services: Services, where: Path) -> str:
    """The file replaced by another (as a restore puts a backup back)."""
    text = _amended_by_the_services(path, services)
    services.db.dispose()
    copy = path.with_name("restored.sqlite")
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    os.replace(copy, path)
    return text


@pytest.mark.parametrize("change", [_amended_by_the_services, _amended_by_another_program, _same_size_and_time,
                                    _restored_from_a_backup],
                         ids=["by riskdesk", "by another program", "same size and time", "restored"])
def test_a_copy_is_not_used_once_the_file_has_changed(tmp_path, monkeypatch, change):
    path, services, where = _kept(tmp_path)
    try:
        text = change(path, services, where)
        sent = _reads_sent_after(monkeypatch)
        early = begin(path, ADMIN.login, _corporate, where)
        look = _look(path, ADMIN, early)
    finally:
        services.db.dispose()
    reopened = Services(Database.open(f"sqlite:///{path}", backup=False))
    try:
        differing = _differing(look, reopened, ADMIN)
    finally:
        reopened.db.dispose()
    stale = 0 if text in {r.description for r in look.rows} else 1
    print(f"{change.__name__}: read on a thread: {isinstance(early, EarlyReads)}, stale rows shown: {stale}, "
          f"differing: {differing}")
    assert isinstance(early, EarlyReads) and differing == [] and stale == 0
    assert not set(sent) & set(LONG)  # the thread read them, for the file as it is now


def test_a_change_after_the_start_but_before_the_first_look_is_what_is_shown(tmp_path, monkeypatch):
    """The file fitted the copy at start, then changed before the first paint: the first look,
    which checks it again in its own snapshot, reads everything itself."""
    path, services, where = _kept(tmp_path)
    try:
        early = begin(path, ADMIN.login, _corporate, where)
        assert isinstance(early, KeptReads)
        text = _amended_by_the_services(path, services)
        sent = _reads_sent_after(monkeypatch)
        look = _look(path, ADMIN, early)
        differing = _differing(look, services, ADMIN)
    finally:
        services.db.dispose()
    print(f"long reads sent again: {[n for n in sent if n in LONG]}, differing: {differing}")
    assert set(LONG) <= set(sent) and differing == []
    assert text in {r.description for r in look.rows}


def _flip_a_byte_of_the_reads(where: Path) -> None:
    raw = bytearray(where.read_bytes())
    raw[-100] ^= 0x20
    where.write_bytes(bytes(raw))


def _torn(where: Path) -> None:
    where.write_bytes(where.read_bytes()[:-1000])


def _not_a_copy(where: Path) -> None:
    where.write_bytes(b"\x00\x00\x00\x05hello, this is not what riskdesk writes")


@pytest.mark.parametrize("damage", [_flip_a_byte_of_the_reads, _torn, _not_a_copy],
                         ids=["a byte flipped", "torn", "not a copy"])
def test_a_damaged_copy_is_refused_and_the_file_is_read(tmp_path, damage):
    path, services, where = _kept(tmp_path)
    try:
        damage(where)
        look = _look(path, ADMIN, begin(path, ADMIN.login, _corporate, where))
        differing = _differing(look, services, ADMIN)
    finally:
        services.db.dispose()
    assert differing == []


def test_a_copy_is_for_one_login_one_register_and_these_statements(tmp_path, monkeypatch):
    from riskdesk.services import first_look_sql

    path, services, where = _kept(tmp_path)
    try:
        services.users.add(ADMIN, "j.bloggs", "admin", display_name="Jo Bloggs")
        services.db.dispose()
        assert keep(path, ADMIN.login, _corporate, None, where)  # the file changed: kept again, read afresh
        assert isinstance(begin(path, ADMIN.login, _corporate, where), KeptReads)
        assert isinstance(begin(path, "j.bloggs", _corporate, where), EarlyReads)
        assert isinstance(begin(path, ADMIN.login, lambda ids: None, where), EarlyReads)
        assert isinstance(begin(tmp_path / "another.sqlite", ADMIN.login, _corporate, where), EarlyReads)
        monkeypatch.setitem(first_look_sql.READS, "council", ("SELECT 'a later riskdesk'", (), ("",)))
        assert isinstance(begin(path, ADMIN.login, _corporate, where), EarlyReads)
    finally:
        services.db.dispose()


def test_keeping_never_fails_a_close(tmp_path):
    path, services = _personal(tmp_path)
    services.db.dispose()
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    assert keep(path, ADMIN.login, _corporate, None, blocked / "first-look.marshal") is False
    assert keep(tmp_path / "missing.sqlite", ADMIN.login, _corporate, None, tmp_path / "c.marshal") is False
    assert not (tmp_path / "c.marshal").exists()


def test_riskdesk_keeps_the_copy_at_close_and_starts_from_it(tmp_path):
    """The real thing: ``riskdesk --database FILE`` closed, then started again, paints the rows
    from the copy its close wrote, in the cache folder; a command that changes the file in between
    means the next start reads it."""
    from riskdesk.app import _early_reads

    path, services = _personal(tmp_path)
    services.db.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RISKDESK_EXIT_AFTER_FIRST_PAINT="1", LOGNAME=ADMIN.login,
               RISKDESK_CONFIG_DIR=str(tmp_path / "config"), RISKDESK_DATA_DIR=str(tmp_path / "data"),
               RISKDESK_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("RISKDESK_DATABASE_URL", None)
    copies = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-m", "riskdesk", "--database", str(path)], env=env,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["first-paint", "rows-painted", "from-first-look"]
        copy = (tmp_path / "cache" / "first-look.marshal").stat()
        copies.append((copy.st_ino, copy.st_mtime_ns))
    # Opening the services changed nothing of the file (not even its mode's time): the second and
    # third closes found the copy still fitting, and neither read nor wrote it again.
    print(f"copies written by three closes: {len(set(copies))}")
    assert len(set(copies)) == 1
    os.environ["RISKDESK_CACHE_DIR"], saved = str(tmp_path / "cache"), os.environ["RISKDESK_CACHE_DIR"]
    try:
        assert isinstance(_early_reads(str(path), ADMIN), KeptReads)
        out = subprocess.run([sys.executable, "-m", "riskdesk", "--database", str(path), "quarter", "close"],
                             env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert isinstance(_early_reads(str(path), ADMIN), EarlyReads)
    finally:
        os.environ["RISKDESK_CACHE_DIR"] = saved
