"""``riskdesk appendix`` on a draft cycle of a personal SQLite file (``riskdesk.services.appendix_look``):
the same snapshot the services build, the same PDF byte for byte, read without importing the
database layer, and nothing at all when only the services can answer.

Every test here makes its own SQLite file, so these tests run once, on SQLite, whichever database
the suite is pointed at.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import Footnote
from riskdesk.services import Services
from riskdesk.services.appendix_look import draft_appendix
from tests.services.test_first_look import ADMIN, BENCH_LOGIN, _personal

ROOT = Path(__file__).resolve().parents[2]


def _draft_id(services: Services, actor: Actor) -> int:
    return next(c.id for c in services.cycles.list(actor) if not c.presented)


def _built_by_the_services(services: Services, actor: Actor, cycle_id: int) -> str:
    """The snapshot ``CycleService.preview_snapshot`` builds, without the movements (the command
    prints them only when asked, and then through the services)."""
    return replace(services.cycles.preview_snapshot(actor, cycle_id), movements=None).to_json()


@pytest.mark.parametrize("fill", ["published", "demo", "generated"])
def test_the_draft_is_exactly_what_the_services_build_and_prints_the_same_bytes(tmp_path, fill):
    path, services = _personal(tmp_path, fill)
    actor = Actor(BENCH_LOGIN) if fill == "generated" else ADMIN
    gone = ""
    try:
        if not any(not c.presented for c in services.cycles.list(actor)):
            services.cycles.create(actor, date(2026, 12, 10))
        if fill == "published":  # a removed risk, the council's own wording and the appetite mark
            rows = services.risks.list_risks(actor, services.registers.corporate_register(actor).id)
            services.risks.remove_risk(actor, rows[0].id, "Merged into another risk", expected_version=rows[0].version)
            gone = rows[0].ref
            services.cycles.set_wording(actor, footnotes=(Footnote("*", "Ŵ ŷ € – a council's own note", ("one",)),),
                                        columns={"direction": "Travel ↔"}, appetite_mark=True)
        cycle_id = _draft_id(services, actor)
        expected = _built_by_the_services(services, actor, cycle_id)
        printed = {part: io.BytesIO() for part in ("A", "B")}
        for part, out in printed.items():
            services.cycles.write_appendix(actor, cycle_id, out, part=part)
    finally:
        services.db.dispose()
    draft = draft_appendix(path, actor, "latest")
    assert draft is not None and draft.cycle_id == cycle_id
    same = draft.snapshot.to_json() == expected
    risks = len(draft.snapshot.risks())
    print(f"{fill}: {risks} risks, {len(draft.snapshot.removed)} removed; snapshot as the services build it: {same}")
    assert same and risks > 20
    for part, out in printed.items():
        mine = io.BytesIO()
        draft.write(mine, fmt="pdf", part=part)
        assert mine.getvalue() == out.getvalue(), f"Part {part} differs from the services' PDF"
    if fill == "published":
        assert gone in {r.ref for r in draft.snapshot.removed} and draft.snapshot.appetite_mark
        assert draft.snapshot.footnotes[0].text == "Ŵ ŷ € – a council's own note"
        assert dict(draft.snapshot.columns)["direction"] == "Travel ↔"


def _presented(path: Path, services: Services) -> tuple[Actor, str]:
    services.cycles.present(ADMIN, _draft_id(services, ADMIN))
    return ADMIN, "latest"  # its frozen snapshot is checked against the audit trail by the services


def _no_such_cycle(path: Path, services: Services) -> tuple[Actor, str]:
    return ADMIN, "42"  # the services say it does not exist


def _not_a_number(path: Path, services: Services) -> tuple[Actor, str]:
    return ADMIN, "the November one"


def _nobody_new(path: Path, services: Services) -> tuple[Actor, str]:
    return Actor("someone.new"), "latest"  # the services add them (with no role: then refused)


def _may_not_export(path: Path, services: Services) -> tuple[Actor, str]:
    services.users.add(ADMIN, "foi.link", "foi_read", display_name="FOI Link")
    return Actor("foi.link"), "latest"  # reads the register, may not export it: refused, saying why


def _left(path: Path, services: Services) -> tuple[Actor, str]:
    services.users.add(ADMIN, "j.bloggs", "risk_owner", display_name="Jo Bloggs")
    services.users.remove(ADMIN, "j.bloggs")
    return Actor("j.bloggs"), "latest"


def _older_schema(path: Path, services: Services) -> tuple[Actor, str]:
    services.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0016_older'")
    return ADMIN, "latest"


def _damaged(path: Path, services: Services) -> tuple[Actor, str]:
    services.db.dispose()
    path.write_bytes(b"this is not a database" * 100)
    return ADMIN, "latest"


@pytest.mark.parametrize("case", [_presented, _no_such_cycle, _not_a_number, _nobody_new, _may_not_export, _left,
                                  _older_schema, _damaged],
                         ids=["presented", "no such cycle", "not a number", "someone new", "may not export", "left",
                              "older schema", "damaged"])
def test_only_the_services_answer_when_they_would_do_more_than_read_a_draft(tmp_path, case):
    path, services = _personal(tmp_path)
    try:
        actor, which = case(path, services)
        assert draft_appendix(path, actor, which) is None
    finally:
        services.db.dispose()


def test_the_command_prints_a_draft_without_importing_the_database_layer(tmp_path):
    """The point of it: in a fresh process `riskdesk appendix` on a draft writes the same PDF and
    says the same as through the services, without SQLAlchemy, the models or Alembic (nor a risk's
    history and edits, which the appendix has no use for, nor the web's modules: urllib.request and ssl)."""
    path, services = _personal(tmp_path)
    try:
        through_services = tmp_path / "services.pdf"
        services.cycles.write_appendix(ADMIN, _draft_id(services, ADMIN), through_services)
    finally:
        services.db.dispose()
    out = tmp_path / "cli.pdf"
    code = (
        "import sys\n"
        "from riskdesk.cli import run\n"
        f"code = run(['--database', {str(path)!r}, 'appendix', '--out', {str(out)!r}])\n"
        "print(code, sorted(m for m in ('sqlalchemy', 'alembic', 'riskdesk.models', 'riskdesk.db',\n"
        "                               'riskdesk.domain.risk_detail', 'urllib.request', 'ssl') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), LOGNAME=ADMIN.login, USER=ADMIN.login))
    assert done.returncode == 0, done.stderr
    said, result = done.stdout.splitlines()
    assert result == "0 []"
    assert said == (f"Wrote {out} (Part A, PDF) for cycle 2: Corporate Risk Register Update (November 2023) "
                    "(draft, printed from the register as it stands).")
    assert out.read_bytes() == through_services.read_bytes()
