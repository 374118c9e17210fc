"""``riskdesk foi …`` with a mistyped department or login: refused with what to type, never a
list, report or link that is silently about something else."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from riskdesk.cli import run
from riskdesk.db import Database


def _run(db_url: str, *argv: str) -> int:
    return run(["--database", db_url, "--as", "tester", *argv])


@pytest.fixture
def demo(db_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The demo council (its FOI requests and its people), administered by "tester"."""
    assert _run(db_url, "demo") == 0
    capsys.readouterr()
    return db_url


def _rows(db_url: str, sql: str) -> list[tuple]:
    db = Database.open(db_url)
    try:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        db.dispose()


def test_link_officer_is_set_by_the_person_running_it_not_as_the_officer(demo: str,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Before, the officer's login filled the same slot as --as: the command ran as the officer
    (here an internal auditor, so it was refused), and on a shared server never ran at all."""
    assert _run(demo, "foi", "link-officer", "r.lowther", "cfs", "E&T") == 0
    assert "r.lowther reads FOI requests of: CFS, E&T" in capsys.readouterr().out
    assert _rows(demo, "SELECT login, department FROM foi_link_officer ORDER BY department") == [
        ("r.lowther", "CFS"), ("r.lowther", "E&T")]
    assert _rows(demo, "SELECT user_login FROM audit_entry WHERE action = 'foi.link_officer'") == [("tester",)]


def test_an_unknown_link_officer_is_refused_and_nothing_is_linked(demo: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(demo, "foi", "link-officer", "r.lowter", "CFS") == 2
    err = capsys.readouterr().err
    assert "'r.lowter' is not a riskdesk user" in err and "riskdesk user add r.lowter --role foi_read" in err
    assert _rows(demo, "SELECT count(*) FROM foi_link_officer") == [(0,)]


@pytest.mark.parametrize("argv", [["list"], ["due"], ["report", "--year", "25/26"]], ids=lambda a: a[0])
def test_a_mistyped_department_is_refused_not_read_as_one_with_no_requests(demo: str, argv: list[str],
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        _run(demo, "foi", *argv, "--department", "CSF")
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "'CSF' is not an FOI department: use one of A&C, CEX, CFS, CR, E&T, PH" in err
    assert _run(demo, "foi", *argv, "--department", "cfs") == 0  # any case, as before


def test_the_statistics_csv_is_not_written_for_a_department_or_a_quarter(demo: str, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Before, --department and --quarter were dropped and the whole council's year written."""
    out = tmp_path / "s45.csv"
    for extra in (["--department", "CFS"], ["--quarter", "2"]):
        assert _run(demo, "foi", "report", "--year", "25/26", *extra, "--out", str(out)) == 2
        assert "leave out --department and --quarter" in capsys.readouterr().err
        assert not out.exists()
    assert _run(demo, "foi", "report", "--year", "25/26", "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8").count("\n") > 1
