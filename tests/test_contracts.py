"""The import contracts mean it: a forbidden import added to a copy of the package breaks them.

Each mutation adds one module with one forbidden import to a temporary copy of ``riskdesk``
and runs ``lint-imports`` on it; before this test the contracts still said "4 kept, 0 broken"
after such additions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

MUTATIONS = [
    ("models", "import riskdesk.services"),          # models -> services
    ("domain", "import riskdesk.reports.shared"),    # domain -> reports
    ("services", "import riskdesk.cli"),             # services -> cli
    ("ui/clinical", "import riskdesk.reports.shared"),  # ui -> reports (printing goes through services)
    ("ui/clinical", "import riskdesk.ui.register.page"),  # one feature folder -> another
    ("ui/kit", "import riskdesk.ui.incidents.page"),  # the kit -> a feature
    ("cli", "import riskdesk.reports.shared"),       # cli -> reports
    ("services", "from riskdesk.models.complaints import Complaint"),  # a feature's models, skipping the lock
    ("services/listing.py", "import sqlalchemy"),  # the first look's builders, pulling the ORM in after all
]


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "riskdesk", tmp_path / "riskdesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=where, env=env, capture_output=True, text=True, timeout=300)


def test_the_contracts_hold_and_each_forbidden_import_breaks_one(tmp_path):
    where = _copy(tmp_path)
    clean = _lint(where)
    assert clean.returncode == 0, clean.stdout[-2000:]
    caught = 0
    for folder, line in MUTATIONS:
        if folder.endswith(".py"):  # the import added to that module itself
            mutant = where / "riskdesk" / folder
            original = mutant.read_text()
            mutant.write_text(original + line + "\n")
            out = _lint(where)
            mutant.write_text(original)
        else:
            mutant = where / "riskdesk" / folder / "_mutant.py"
            mutant.write_text(line + "\n")
            out = _lint(where)
            mutant.unlink()
        if out.returncode != 0 and "BROKEN" in out.stdout:
            caught += 1
        else:
            print(f"not caught: {folder}: {line}")
    print(f"forbidden imports caught: {caught} of {len(MUTATIONS)}")
    assert caught == len(MUTATIONS)


@pytest.mark.parametrize("folder", ["register", "reports", "incidents", "clinical", "importing"])
def test_every_feature_folder_is_in_the_independence_contract(folder):
    text = (ROOT / "pyproject.toml").read_text()
    assert f'"riskdesk.ui.{folder}"' in text
