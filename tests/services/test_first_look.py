"""The window's first look at a personal SQLite file (``riskdesk.services.first_look``): the same
register the services read, read before the database layer is imported, and nothing at all when
only the services can answer.

Every test here makes its own SQLite file: the first look is for personal files only, so these
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
from riskdesk.domain.register import Actor, RegisterRow
from riskdesk.domain.risk_detail import NewRisk, RiskChange
from riskdesk.services import Services
from riskdesk.services.first_look import FirstLook, first_look, sqlite_file
from tests.conftest import FIXTURES

ADMIN = Actor("tester", "Test Administrator")
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
BENCH_LOGIN = "bench"  # the generated database's administrator (benchmarks/datagen.py)


def _generate(path: Path) -> None:
    """A generated register (the benchmarks' own generator): 300 risks, five quarters each."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    import datagen

    assert datagen.BENCH_LOGIN == BENCH_LOGIN
    datagen.create(f"sqlite:///{path}", datagen.register_tables(300, quarters=5, seed=11))


def _first(registers: list[RegisterRow]) -> RegisterRow | None:
    return registers[0] if registers else None


def _personal(tmp_path: Path, fill: str = "published") -> tuple[Path, Services]:
    path = tmp_path / "riskdesk.sqlite"
    if fill == "generated":
        _generate(path)
    services = Services(Database.open(f"sqlite:///{path}", backup=False))
    if fill == "published":
        services.published.load(ADMIN, FIXTURES / "crr-2023-11.json")
    elif fill == "demo":
        services.demo().load(ADMIN)
    return path, services


def _as_the_services_read_it(services: Services, actor: Actor, register_id: int) -> dict[str, str]:
    """What the window reads through the services, field by field, as text: a value of another
    type (1 for True, a text for a date) differs."""
    opening = services.registers.opening(actor)
    choices = services.registers.choices(actor, register_id)
    values = {
        "me": opening.me, "scheme": opening.scheme, "period": opening.period, "registers": opening.registers,
        "register_id": register_id, "rows": services.risks.list_risks(actor, register_id),
        "departments": choices.departments, "categories": choices.categories, "users": choices.users,
        "council": choices.council, "database": services.info.location(),
    }
    return {name: repr(value) for name, value in values.items()}


def _fields(look: FirstLook) -> dict[str, str]:
    return {name: repr(getattr(look, name)) for name in look.__dataclass_fields__}


def test_the_statements_it_runs_are_the_services_own_compiled_now():
    """``first_look_sql.py`` is written from the services' statements: a change to them (or a new
    migration) without writing it again fails here, not in a user's window."""
    from riskdesk.services import first_look_build

    written = first_look_build.TARGET.read_text(encoding="utf-8")
    assert written == first_look_build.render(), (
        "riskdesk/services/first_look_sql.py is out of date: run  python -m riskdesk.services.first_look_build")


@pytest.mark.parametrize("fill", ["published", "demo", "generated"])
def test_the_first_look_is_exactly_what_the_services_read(tmp_path, fill):
    path, services = _personal(tmp_path, fill)
    actor = Actor(BENCH_LOGIN) if fill == "generated" else ADMIN
    try:
        if fill == "published":  # a removed risk stays out; an amended one shows its new words
            rows = services.risks.list_risks(actor, services.registers.corporate_register(actor).id)
            services.risks.remove_risk(actor, rows[0].id, "Merged into another risk", expected_version=rows[0].version)
            services.risks.amend_risk(actor, rows[1].id, RiskChange(exempt=True, service_area="Highways"),
                                      expected_version=rows[1].version)
        look = first_look(path, actor, _first)
        assert look is not None
        expected = _as_the_services_read_it(services, actor, look.register_id)
    finally:
        services.db.dispose()
    differing = [name for name, text in _fields(look).items() if text != expected[name]]
    print(f"{fill}: {len(look.rows)} risks, fields differing from the services' read: {differing}")
    assert differing == []
    assert len(look.rows) > 20


def test_it_opens_the_register_the_window_remembers(tmp_path):
    path, services = _personal(tmp_path)
    try:
        departmental = services.registers.create_register(ADMIN, "Adults and Communities Risk Register")
        asked: list[list[str]] = []

        def remembered(registers: list[RegisterRow]) -> RegisterRow | None:
            asked.append([r.name for r in registers])
            return next(r for r in registers if r.id == departmental.id)

        look = first_look(path, ADMIN, remembered)
        expected = _as_the_services_read_it(services, ADMIN, departmental.id)
    finally:
        services.db.dispose()
    assert asked == [["Corporate Risk Register", "Adults and Communities Risk Register"]]
    assert look is not None and look.register_id == departmental.id and look.rows == []
    assert _fields(look) == expected


def _nobody_new(path: Path, services: Services) -> Actor:
    return Actor("someone.new")


def _no_role(path: Path, services: Services) -> Actor:
    services.users.add(ADMIN, "j.bloggs", "risk_owner", display_name="Jo Bloggs")
    services.users.remove(ADMIN, "j.bloggs")
    return Actor("j.bloggs")


def _older_schema(path: Path, services: Services) -> Actor:
    services.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0016_older'")
    return ADMIN


def _damaged(path: Path, services: Services) -> Actor:
    services.db.dispose()
    path.write_bytes(b"this is not a database" * 100)
    return ADMIN


def _missing(path: Path, services: Services) -> Actor:
    services.db.dispose()
    path.unlink()
    return ADMIN


@pytest.mark.parametrize("case", [_nobody_new, _no_role, _older_schema, _damaged, _missing],
                         ids=["someone new", "no role", "older schema", "damaged", "missing"])
def test_only_the_services_answer_when_they_would_do_more_than_read(tmp_path, case):
    """Someone new is added, a login with no role is refused with a reason, an older file is backed
    up and upgraded, a damaged or missing one is explained: the first look stays out of the way."""
    path, services = _personal(tmp_path)
    try:
        actor = case(path, services)
        assert first_look(path, actor, _first) is None
    finally:
        services.db.dispose()


def test_it_never_writes_to_the_file(tmp_path):
    path, services = _personal(tmp_path)
    services.db.dispose()
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    assert first_look(path, ADMIN, _first) is not None
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    assert after[path.name] == before[path.name]  # the database itself: not a byte, not its time
    # SQLite's write-ahead log (empty) and its shared-memory index may be made for the read: as
    # private as the database (SQLite gives them its mode), and the services use them next anyway.
    for name in set(after) - set(before):
        assert name in (f"{path.name}-wal", f"{path.name}-shm")
        assert (tmp_path / name).stat().st_mode & 0o077 == 0
    assert after.get(f"{path.name}-wal", (0, b""))[1] == b""


def test_only_a_personal_sqlite_file_is_looked_at(tmp_path, monkeypatch):
    monkeypatch.delenv("RISKDESK_DATABASE_URL", raising=False)
    assert sqlite_file(str(tmp_path / "mine.sqlite")) == tmp_path / "mine.sqlite"
    assert sqlite_file(f"sqlite:///{tmp_path}/mine.sqlite") == tmp_path / "mine.sqlite"
    assert sqlite_file(None) is not None and sqlite_file(None).name.endswith(".sqlite")
    assert sqlite_file("postgresql://riskdesk@db.example/riskdesk") is None
    assert sqlite_file("sqlite://") is None and sqlite_file("sqlite:///:memory:") is None
    monkeypatch.setenv("RISKDESK_DATABASE_URL", "postgresql://riskdesk@db.example/riskdesk")
    assert sqlite_file(None) is None


def test_it_reads_the_register_without_importing_the_database_layer(tmp_path):
    """The point of it: in a fresh process, the rows come without SQLAlchemy, the models or Alembic
    (nor the committee snapshot's types, nor a risk's history and edits, which listing rows has no
    use for: each frozen dataclass costs about a millisecond to make, on the way to the rows)."""
    path, services = _personal(tmp_path)
    services.db.dispose()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from riskdesk.domain.register import Actor\n"
        "from riskdesk.services.first_look import first_look\n"
        f"look = first_look(Path({str(path)!r}), Actor('tester'), lambda registers: registers[0])\n"
        "print(len(look.rows), sorted(m for m in ('sqlalchemy', 'alembic', 'riskdesk.models', 'riskdesk.db',\n"
        "                                        'riskdesk.domain.snapshot', 'riskdesk.domain.risk_detail')\n"
        "                             if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split(maxsplit=1) == ["29", "[]\n"]


# --- begun at process start: riskdesk.services.early_reads ---------------------------------------

#: Text a risk may hold, each a way JSON or a text round trip could alter it: quotes, a backslash,
#: line breaks and tabs, characters outside the Basic Multilingual Plane, a combining accent,
#: control characters, a right-to-left mark, what looks like JSON or a number, and a long run.
AWKWARD = ('He said "no" \\ then \'yes\'\r\nline two\ttab ✓ 🦺 e\u0301 \x01\x1f \u200f '
           '{"a": [1, null]} 1e400 -0 ' + "£" * 2000)
WRITTEN_ELSEWHERE = "Before a NUL\x00after it, 3 bytes: \u20ac"


def _reads_sent_after(monkeypatch) -> list[str]:
    """The names of the reads the first look sends itself (not taken from the early reads)."""
    from riskdesk.services import first_look as module

    sent: list[str] = []
    real = module.read

    def counting(conn, name, given, *args):
        sent.append(name)
        return real(conn, name, given, *args)

    monkeypatch.setattr(module, "read", counting)
    return sent


@pytest.mark.parametrize("fill", ["published", "demo", "generated"])
def test_reads_begun_at_start_give_exactly_what_the_services_read(tmp_path, fill, monkeypatch):
    """The long reads sent at process start as one row each (a JSON document, the free text apart)
    come back value for value, type for type and in order: the same look as the services' read,
    with awkward text in a description and an update, a NUL and an empty update as another program
    may write them, a risk never scored, and a risk's departments listed in the reverse of the
    order the table keeps them in; and the first look does not send them again."""
    from riskdesk.domain.direction import Direction
    from riskdesk.domain.quarters import Quarter
    from riskdesk.domain.register import Score
    from riskdesk.domain.risk_detail import AssessmentChange
    from riskdesk.services.early_reads import LONG, EarlyReads

    path, services = _personal(tmp_path, fill)
    actor = Actor(BENCH_LOGIN) if fill == "generated" else ADMIN
    try:
        rows = services.risks.list_risks(actor, services.registers.corporate_register(actor).id)
        services.risks.amend_risk(actor, rows[0].id, RiskChange(description=AWKWARD, rationale="A test"),
                                  expected_version=rows[0].version)
        services.risks.record_assessment(actor, rows[1].id, Quarter.parse(rows[1].period), AssessmentChange(
            Score(4, 4), Score(2, 2), Direction.LEVEL, AWKWARD), expected_version=rows[1].assessment_version)
        corporate = services.registers.corporate_register(actor).id
        codes = tuple(d.code for d in services.registers.choices(actor, corporate).departments)[:3]
        services.risks.amend_risk(actor, rows[2].id, RiskChange(departments=codes), expected_version=rows[2].version)
        unscored = services.risks.add_risk(actor, NewRisk(corporate, "ZZ.1", "If never scored then unclear."))
        with sqlite3.connect(path) as conn:  # listed in the reverse of the order the table keeps them in
            conn.execute("UPDATE risk_department SET position = 10 - position WHERE risk_id = ?", (rows[2].id,))
            # As another program may write them: a NUL in a description, an empty update.
            conn.execute("UPDATE risk SET description = ? WHERE id = ?", (WRITTEN_ELSEWHERE, rows[3].id))
            conn.execute("UPDATE assessment SET update_text = '' WHERE id = ?", (rows[4].assessment_id,))
        sent = _reads_sent_after(monkeypatch)
        early = EarlyReads(path, actor.login, lambda ids: ids[0])
        look = first_look(path, actor, _first, early)
        assert look is not None
        expected = _as_the_services_read_it(services, actor, look.register_id)
    finally:
        services.db.dispose()
    differing = [name for name, text in _fields(look).items() if text != expected[name]]
    again = [name for name in sent if name in LONG]
    print(f"{fill}: {len(look.rows)} risks, fields differing: {differing}, long reads sent again: {again}")
    assert differing == [] and again == []
    assert {r.description for r in look.rows} >= {AWKWARD}
    assert AWKWARD in {r.update_text for r in look.rows}
    third = next(r for r in look.rows if r.id == rows[2].id)
    assert len(codes) == 3 and third.departments == codes[::-1]
    assert WRITTEN_ELSEWHERE in {r.description for r in look.rows}
    assert any(r.id == unscored.id and r.current is None for r in look.rows)


def test_reads_begun_for_another_register_are_read_again_for_the_one_shown(tmp_path, monkeypatch):
    """The early reads guess the register from the settings file; when the window chooses another,
    the first look reads that one itself."""
    from riskdesk.services.early_reads import EarlyReads

    path, services = _personal(tmp_path)
    try:
        departmental = services.registers.create_register(ADMIN, "Adults and Communities Risk Register")
        sent = _reads_sent_after(monkeypatch)
        early = EarlyReads(path, ADMIN.login, lambda ids: ids[0])  # the corporate one
        look = first_look(path, ADMIN, lambda registers: next(r for r in registers if r.id == departmental.id),
                          early)
        expected = _as_the_services_read_it(services, ADMIN, departmental.id)
    finally:
        services.db.dispose()
    print(f"reads sent again: {sent}")
    assert look is not None and _fields(look) == expected
    assert {"risks", "risk_departments"} <= set(sent) and "user" not in sent


@pytest.mark.parametrize("case", [_older_schema, _damaged, _missing], ids=["older schema", "damaged", "missing"])
def test_reads_begun_at_start_leave_the_services_to_answer_as_before(tmp_path, case):
    from riskdesk.services.early_reads import EarlyReads

    path, services = _personal(tmp_path)
    try:
        actor = case(path, services)
        assert first_look(path, actor, _first, EarlyReads(path, actor.login, lambda ids: ids[0])) is None
    finally:
        services.db.dispose()


def test_each_long_read_comes_back_as_one_row(tmp_path):
    """Why they are one JSON document each: a thread fetching rows one by one takes the interpreter
    back at every row, and while the main thread runs Python each take-back waits its turn (5,000
    rows took 26 s so). One row, one take-back, whatever the register's size."""
    from riskdesk.services.early_reads import LONG, OPENING, EarlyReads

    path, services = _personal(tmp_path, "generated")
    services.db.dispose()
    conn, done = EarlyReads(path, BENCH_LOGIN, lambda ids: ids[0]).take()
    assert conn is not None
    conn.close()
    shapes = {name: (len(rows), names is None) for name, (_given, rows, names) in done.items()}
    print(f"rows returned per read (and whether by position only): {shapes}")
    assert set(done) == set(OPENING) | set(LONG)
    assert all(shapes[name] == (1, True) for name in LONG)
    assert all(not shapes[name][1] for name in OPENING)
