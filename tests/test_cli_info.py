"""``riskdesk info`` reads its counts through Core without the ORM, and says exactly what the
services' own summary says; who may not read them is still refused in the services' words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from riskdesk.cli import run
from riskdesk.domain.actor import Actor
from riskdesk.services.info import quick_summary

FIXTURES = Path(__file__).parent / "fixtures"


def test_quick_summary_equals_the_services_summary(services, admin, db):
    services.demo().load(admin)  # departmental registers too: their order is checked
    quick = quick_summary(db, admin)
    full = services.info.summary(admin)
    print("registers:", [r[:2] for r in full.registers], "periods:", full.periods)
    assert len(full.registers) >= 2 and full.registers[0][1] == "corporate"
    assert quick == full


def test_riskdesk_info_imports_neither_the_orm_nor_the_models(tmp_path):
    db = tmp_path / "info.sqlite"
    env_db = ["--database", str(db)]
    assert run([*env_db, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    code = ("import sys; sys.argv = ['riskdesk', '--database', sys.argv[1], 'info']\n"
            "from riskdesk.__main__ import main\n"
            "rc = main()\n"
            "heavy = sorted(m for m in sys.modules if m == 'sqlalchemy.orm' or m.startswith('riskdesk.models')\n"
            "               or m in ('riskdesk.services.base', 'riskdesk.domain.register'))\n"
            "print('HEAVY', rc, ' '.join(heavy))\n")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=120)
    line = next(line for line in out.stdout.splitlines() if line.startswith("HEAVY")).split()
    print("exit status and heavy modules imported by `riskdesk info`:", line[1:])
    assert line[1:] == ["0"], out.stderr
    assert "Corporate Risk Register (corporate): 29 current, 8 removed" in out.stdout


def test_a_new_login_is_refused_in_the_services_words_and_the_first_becomes_administrator(tmp_path, capsys):
    db = tmp_path / "people.sqlite"
    assert run(["--database", str(db), "upgrade"]) == 0  # a new, empty database: no riskdesk user yet
    assert run(["--database", str(db), "--as", "first", "info"]) == 0
    assert "Users:           1" in capsys.readouterr().out  # the first login was added, as administrator
    assert run(["--database", str(db), "--as", "newcomer", "info"]) != 0
    err = capsys.readouterr().err
    assert "has no riskdesk role yet" in err and "Traceback" not in err


def test_an_inactive_user_is_refused(published, admin, db):
    import uuid

    import pytest

    from riskdesk.domain.errors import PermissionDenied

    # On PostgreSQL a riskdesk user is a server login (cluster-wide, so the name is unique per run).
    name = f"leaver_{uuid.uuid4().hex[:8]}"
    on_server = db.engine.dialect.name == "postgresql"
    published.users.add(admin, name, "risk_team", display_name="A Leaver", create_login=on_server,
                        password="x" if on_server else None)
    leaver = Actor(name)
    assert quick_summary(db, leaver) == published.info.summary(leaver)
    published.users.remove(admin, name)
    assert quick_summary(db, leaver) is None  # left to the services, which say why
    with pytest.raises(PermissionDenied, match="no longer an active riskdesk user"):
        published.info.summary(leaver)
