"""``riskdesk scheme show|export|import``: a council's scheme file survives export and import unchanged."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from riskdesk.cli import run
from riskdesk.domain.scoring import ScoringScheme
from riskdesk.services.scheme import scheme_from_json

FIXTURES = Path(__file__).parent.parent / "fixtures"
BURY = FIXTURES / "bury-scheme-4x4.json"


def _scheme(path: Path) -> ScoringScheme:
    return scheme_from_json(path.read_text(encoding="utf-8"))


def _after_saved(out: str) -> str:
    """What ``scheme import`` prints after "Scheme version N saved: …" (the guided re-score list)."""
    return out.split(" saved: ", 1)[1].split("\n", 1)[1]


def test_bury_4x4_export_then_import_round_trip(db_url, tmp_path, capsys):
    db = ["--database", db_url]
    assert run([*db, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    assert run([*db, "scheme", "import", str(BURY)]) == 0
    out = capsys.readouterr().out
    assert "Scheme version 2 saved" in out
    rescore = _after_saved(out)
    assert "outside the new 4 × 4 matrix" in rescore

    first = tmp_path / "bury-exported.json"
    assert run([*db, "scheme", "export", "--out", str(first)]) == 0
    assert f"Scheme written to {first}" in capsys.readouterr().out
    exported = _scheme(first)
    fixture = replace(_scheme(BURY), version=exported.version)
    assert exported == fixture  # nothing of the council's file lost or changed on the way in and out
    assert exported.size == 4 and exported.appetite_levels and exported.category_appetite

    assert run([*db, "scheme", "import", str(first), "--name", "Bury again"]) == 0
    out = capsys.readouterr().out
    assert "Scheme version 3 saved: Bury again" in out
    # The same scheme again: the same risks (still scored under version 1) to re-score, for the same reasons.
    assert _after_saved(out) == rescore
    second = tmp_path / "again.json"
    assert run([*db, "scheme", "export", "--out", str(second)]) == 0
    again = json.loads(second.read_text(encoding="utf-8"))
    before = json.loads(first.read_text(encoding="utf-8"))
    differing = sorted(k for k in before.keys() | again.keys() if before.get(k) != again.get(k))
    print(f"fields differing after export → import → export: {differing}")
    assert differing == ["name", "version"]

    # The older version is still there to show and export.
    assert run([*db, "scheme", "show", "--version", "2"]) == 0
    shown = capsys.readouterr().out
    assert "Scheme version 2: Bury Council 4 × 4 risk matrix" in shown and "Matrix: 4 × 4" in shown
    assert "Appetite:" in shown


def test_import_of_a_missing_or_broken_file_says_what_is_wrong(db_url, tmp_path, capsys):
    db = ["--database", db_url]
    assert run([*db, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    capsys.readouterr()
    assert run([*db, "scheme", "import", str(tmp_path / "nowhere.json")]) != 0
    assert "does not exist" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "riskdesk-scheme", "size": 4,', encoding="utf-8")
    assert run([*db, "scheme", "import", str(broken)]) != 0
    err = capsys.readouterr().err
    assert "is not valid JSON" in err and "Traceback" not in err
    assert run([*db, "scheme", "show"]) == 0
    assert "Scheme version 1" in capsys.readouterr().out  # nothing was saved
