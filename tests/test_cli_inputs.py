"""What a command does with a path the user mistyped and with a file it cannot read as text:
one paragraph saying why, an exit status that says so, and nothing created or changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskdesk.cli import run

FIXTURES = Path(__file__).parent / "fixtures"

#: Commands that only read a database (or write a file from it): none may make a database.
READERS = (
    ["info"],
    ["audit", "verify"],
    ["quarter", "show"],
    ["backup"],
    ["casework-report", "complaints", "--year", "23/24"],
    ["user", "list"],
)


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("argv", READERS, ids=lambda a: " ".join(a))
def test_a_mistyped_database_path_is_refused_and_nothing_is_created(tmp_path: Path, argv: list[str],
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "riskdsek" / "riskdesk.sqlite"  # the folder does not exist either
    before = _files_under(tmp_path)
    assert run(["--database", str(typo), *argv]) == 4
    err = capsys.readouterr().err
    created = _files_under(tmp_path) - before
    print(f"`riskdesk {' '.join(argv)}` on a missing file: files created {len(created)}")
    assert created == set()
    assert f"there is no database at {typo}" in err and "nothing was read, created or changed" in err
    assert f"riskdesk --database {typo} upgrade" in err and "Traceback" not in err


def test_the_environment_variable_is_held_to_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "typo.sqlite"
    monkeypatch.setenv("RISKDESK_DATABASE_URL", f"sqlite:///{typo}")
    assert run(["user", "add", "b.okafor", "--role", "risk_owner"]) == 4
    assert "(named by RISKDESK_DATABASE_URL)" in capsys.readouterr().err
    assert not typo.exists()


@pytest.mark.parametrize("argv", [["upgrade"], ["demo"], ["load-register", str(FIXTURES / "crr-2023-11.json")]],
                         ids=lambda a: a[0])
def test_the_commands_that_make_a_database_still_make_one(tmp_path: Path, argv: list[str],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new.sqlite"
    assert run(["--database", str(new), *argv]) == 0
    capsys.readouterr()
    assert run(["--database", str(new), "info"]) == 0
    from riskdesk.db import SCHEMA_HEAD

    assert f"Schema revision: {SCHEMA_HEAD}" in capsys.readouterr().out


def _letter(authority_row: dict[str, object] | None = None) -> dict[str, object]:
    row = {"authority": "Leicestershire", "new_complaints": 117, "uphold_pct": 71, "per_100k": "16",
           "is_self": True}
    return {"fy": "2023/24", "investigations": 35, "upheld": 29, "uphold_pct": "83%",
            "benchmark": [dict(row, **(authority_row or {}))]}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A file of each kind that cannot be read as text, and texts saved with a byte-order mark."""
    out = {"latin1": tmp_path / "narrative-latin1.txt", "folder": tmp_path / "a-folder",
           "missing": tmp_path / "not-there.txt", "letter_bom": tmp_path / "letter.json",
           "narrative_bom": tmp_path / "narrative.txt"}
    out["latin1"].write_bytes("Complaints fell by 12%.\nCaf\u00e9 visits rose.".encode("latin-1"))
    out["folder"].mkdir()
    out["letter_bom"].write_bytes(b"\xef\xbb\xbf" + json.dumps(_letter()).encode("utf-8"))
    out["narrative_bom"].write_bytes("\ufeffNo figures here.".encode())
    return out


def test_text_files_that_cannot_be_read_are_named_with_why(db_url: str, files: dict[str, Path],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        (["check-narrative", str(files["latin1"])], "narrative file", "is not UTF-8 text (byte 28, on line 2)"),
        (["check-narrative", str(files["folder"])], "narrative file", "is a folder, not a file"),
        (["check-narrative", str(files["missing"])], "narrative file", "does not exist"),
        (["scheme", "import", str(files["latin1"])], "scheme file", "is not UTF-8 text (byte 28, on line 2)"),
        (["scheme", "import", str(files["folder"])], "scheme file", "is a folder, not a file"),
        (["ombudsman", "record-letter", str(files["latin1"])], "file", "is not UTF-8 text"),
        (["ombudsman", "record-letter", str(files["folder"])], "file", "is a folder, not a file"),
    ]
    tracebacks = unexpected = 0
    for argv, what, why in cases:
        code = run(["--database", db_url, "--as", "tester", *argv])
        err = capsys.readouterr().err
        tracebacks += "Traceback" in err
        unexpected += "Unexpected error" in err
        assert code == 2, (argv, err)
        assert err.startswith(f"riskdesk: {what}: ") and why in err, (argv, err)
    print(f"unreadable text files: {len(cases)} refused, tracebacks {tracebacks}, 'unexpected error' {unexpected}")
    assert tracebacks == unexpected == 0


def test_a_byte_order_mark_is_not_an_error(db_url: str, files: dict[str, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--database", db_url, "--as", "tester", "ombudsman", "record-letter", str(files["letter_bom"])]) == 0
    assert "recorded as published, with 1 statistical neighbours" in capsys.readouterr().out
    assert run(["--database", db_url, "--as", "tester", "check-narrative", str(files["narrative_bom"])]) == 0


@pytest.mark.parametrize(("change", "field", "why"), [
    ({"is_self": "false"}, "is_self", "must be true or false"),
    ({"new_complaints": 12.7}, "new_complaints", "must be a whole number"),
    ({"uphold_pct": 171}, "uphold_pct", "must be a whole percentage from 0 to 100"),
    ({"per_100k": None}, "'per_100k' is required", ""),
    ({"rank": 3}, "'rank' is not a field of a benchmark row", ""),
])
def test_a_neighbours_row_is_read_as_printed_or_refused(db_url: str, tmp_path: Path, change: dict[str, object],
                                                        field: str, why: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Before, "false" was recorded as true, 12.7 complaints as 12, and a missing figure as "None"."""
    from riskdesk.db import Database
    from riskdesk.domain.actor import Actor
    from riskdesk.services import Services

    letter = tmp_path / "letter.json"
    letter.write_text(json.dumps(_letter(change)), encoding="utf-8")
    assert run(["--database", db_url, "--as", "tester", "ombudsman", "record-letter", str(letter)]) == 2
    err = capsys.readouterr().err
    assert "benchmark row 1" in err and field in err and why in err and "Traceback" not in err
    db = Database.open(db_url)
    try:
        held = Services(db).ombudsman.published_year(Actor("tester"), 2023)
    finally:
        db.dispose()
    print(f"{change}: letters recorded {0 if held is None else 1}")
    assert held is None  # nothing recorded: the letter is all or nothing


def test_an_output_file_in_a_missing_folder_names_the_folder(db_url: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Before: "File not found: …/appendix.pdf.part", a file the user never named."""
    assert run(["--database", db_url, "--as", "tester", "demo"]) == 0
    assert run(["--database", db_url, "--as", "tester", "cycle", "new", "--meeting", "2027-01-20"]) == 0
    capsys.readouterr()
    folder = tmp_path / "committee" / "january"
    assert run(["--database", db_url, "--as", "tester", "appendix", "--out", str(folder / "appendix.pdf")]) == 2
    err = capsys.readouterr().err
    assert f"There is no folder {folder}, so appendix.pdf cannot be read or written there" in err
    assert ".part" not in err and "Traceback" not in err and not folder.exists()


def test_no_command_argument_takes_the_place_of_a_global_option() -> None:
    """A command's argument stored as "login" replaced --as, the person acting (``foi link-officer
    LOGIN`` ran as the officer it linked); as "database", it would replace --database."""
    import argparse

    from riskdesk.cli import build_parser

    globals_ = {a.dest for a in build_parser()._actions if a.option_strings} - {"help", "version"}
    clashes = []

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])
            elif path and action.dest in globals_:
                clashes.append(f"riskdesk {' '.join(path)}: {action.dest}")
        clashes.extend(f"riskdesk {' '.join(path)}: default {k}" for k in parser._defaults if path and k in globals_)

    walk(build_parser(), [])
    print(f"global options {sorted(globals_)}; command arguments in their place: {clashes}")
    assert globals_ >= {"database", "login", "debug"} and clashes == []


def test_a_commands_own_version_option_is_its_own(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``scheme show --version 1`` printed "riskdesk 0.1.0" and did nothing: the quick parse that
    finds the command took --version for the program's own, wherever it stood."""
    from riskdesk import __version__
    from riskdesk.__main__ import main

    def riskdesk(*argv: str) -> int:
        import sys

        saved, sys.argv = sys.argv, ["riskdesk", *argv]
        try:
            return main()
        except SystemExit as stop:
            return int(stop.code or 0)
        finally:
            sys.argv = saved

    assert riskdesk("--database", db_url, "--as", "tester", "demo") == 0  # scheme version 1, among the rest
    capsys.readouterr()
    assert riskdesk("--database", db_url, "--as", "tester", "scheme", "show", "--version", "1") == 0
    out = capsys.readouterr().out
    assert out.startswith("Scheme version 1:") and __version__ not in out.splitlines()[0]
    assert riskdesk("--database", db_url, "--as", "tester", "scheme", "export", "--version", "999") == 2
    assert "Scoring scheme version 999 does not exist" in capsys.readouterr().err
    assert riskdesk("--version") == 0
    assert capsys.readouterr().out == f"riskdesk {__version__}\n"


@pytest.mark.parametrize("argv", [
    ["casework-report", "complaints", "--year", "23/24", "--pdf", "{dir}/report.txt"],
    ["casework-report", "item8", "--year", "23/24", "--docx", "{dir}/item8.pdf"],
    ["casework-report", "ombudsman", "--year", "23/24", "--docx", "{dir}/lgsco"],
    ["ombudsman", "report", "--year", "23/24", "--pdf", "{dir}/lgsco.docx"],
    ["ombudsman", "self-assessment", "--year", "23/24", "--docx", "{dir}/code.pdf"],
    ["audit-report", "--year", "23/24", "--out", "{dir}/audits.txt"],
    ["assurance-report", "--out", "{dir}/assurance.docx"],
    ["pgd-schedule", "--out", "{dir}/pgds.doc"],
    ["provider-profile", "--provider", "1", "--quarter", "23/24 Q1", "--out", "{dir}/profile.docx"],
], ids=lambda a: " ".join(a[:2]))
def test_a_report_is_not_written_under_a_name_of_another_kind(db_url: str, tmp_path: Path, argv: list[str],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Before, each of these wrote a PDF (or a Word file) under the name given: report.txt, item8.pdf,
    lgsco.docx… that nothing would open as what its name says."""
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.replace("{dir}", str(out)) for a in argv]
    with pytest.raises(SystemExit) as stop:
        run(["--database", db_url, "--as", "tester", *argv])
    err = capsys.readouterr().err
    written = sorted(p.name for p in out.iterdir())
    print(f"riskdesk {' '.join(argv[:2])}: files written {written}")
    assert stop.value.code == 2 and written == []
    assert f"'{argv[-1]}' must end in ." in err and "the kind of file written there" in err


def test_a_folder_where_a_file_belongs_and_a_missing_folder_are_named(db_url: str, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Before: "Unexpected error: IsADirectoryError" (load-register), "is a file without an extension"
    (the importers, for a folder), and "folder: … has no clinical-audits-appendix-c.csv" for a folder
    that does not exist or a file."""
    folder = tmp_path / "registers"
    folder.mkdir()
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    cases = [
        (["load-register", str(folder)], f"riskdesk: {folder} is a folder, not a file"),
        (["import", str(folder), "--dry-run"], "“registers” is a folder, not a file; choose the spreadsheet inside it"),
        (["import-complaints", str(folder)], "“registers” is a folder, not a file"),
        (["foi", "import", str(folder)], "“registers” is a folder, not a file"),
        (["load-clinical", str(tmp_path / "missing")], f"folder: '{tmp_path / 'missing'}' does not exist"),
        (["load-clinical", str(tmp_path / "notes.txt")], "is a file: name the folder that holds the published tables"),
    ]
    unexpected = 0
    for argv, said in cases:
        assert run(["--database", db_url, "--as", "tester", *argv]) == 2, argv
        err = capsys.readouterr().err
        unexpected += "Unexpected error" in err or "Traceback" in err
        assert said in err, (argv, err)
    print(f"paths of the wrong kind: {len(cases)} named, unexpected errors {unexpected}")
    assert unexpected == 0
