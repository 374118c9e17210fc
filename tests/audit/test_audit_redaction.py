"""Redaction: an NHS number saved by mistake leaves the SI, its audit entries and the next backup;
the chain still verifies, and only an administrator may do it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from audit_world import NHS, as_owner, log_si
from sqlalchemy import text

from riskdesk.cli import run
from riskdesk.db import backup_database
from riskdesk.domain.errors import PermissionDenied, ValidationError
from riskdesk.domain.permissions import Role
from riskdesk.domain.register import Actor
from riskdesk.services import Services

DIGITS = NHS.replace(" ", "")
ANY_SPACING = re.compile(r"9\D{0,8}4\D{0,8}3\D{0,8}4\D{0,8}7\D{0,8}6\D{0,8}5\D{0,8}9\D{0,8}1\D{0,8}9")


def _si_with_nhs_number(services: Services, admin: Actor) -> int:
    si = log_si(services, admin, f"Death of a service user, NHS number {NHS}, found at home.")
    detail = services.incidents.get(admin, si)
    services.incidents.save(admin, detail.to_draft().with_(
        description=f"Death of a service user (NHS no. {DIGITS}) found at home by a relative."),
        expected_version=detail.version, confirm_no_pid=True)
    return si


def _trail_text(services: Services) -> list[str]:
    with services.db.engine.connect() as conn:
        return [" ".join(str(v) for v in row) for row in conn.execute(text(
            "SELECT label, note, CAST(changes AS TEXT) FROM audit_entry"))]


def _backup_text(services: Services, tmp_path: Path) -> bytes:
    out = backup_database(services.db.engine, tmp_path / ("b.sqlite" if services.db.is_sqlite else "b.pgdump"))
    if services.db.is_sqlite:
        return out.read_bytes()
    pg_restore = shutil.which("pg_restore")
    assert pg_restore, "pg_restore is needed to read the PostgreSQL backup"
    return subprocess.run([pg_restore, "-f", "-", str(out)], capture_output=True, check=True).stdout


def test_redaction_removes_the_value_everywhere_and_the_chain_verifies(
        services: Services, admin: Actor, tmp_path: Path) -> None:
    si = _si_with_nhs_number(services, admin)
    before = sum(bool(ANY_SPACING.search(t)) for t in _trail_text(services))
    assert before >= 2, "the SI's creation and its edit both hold the number"
    assert ANY_SPACING.search(_backup_text(services, tmp_path).decode("latin-1"))

    result = services.audit.redact_incident(admin, si, NHS, "NHS number typed into the description by mistake")
    print(f"redacted from {result.incident_fields} and {len(result.audit_entries)} audit entries; "
          f"before: {before} entries held it")
    detail = services.incidents.get(admin, si)
    description = detail.to_draft().description
    assert "[redacted]" in description and not ANY_SPACING.search(description)
    left = sum(bool(ANY_SPACING.search(t)) for t in _trail_text(services))
    print(f"audit entries still holding the number: {left}")
    assert left == 0
    assert len(result.audit_entries) == before

    verdict = services.audit.verify(admin)
    print(verdict.message())
    assert verdict.intact, verdict.message()

    # The redaction is itself in the trail: who, when, why, and only a hash of the value.
    with services.db.engine.connect() as conn:
        row = conn.execute(text("SELECT user_login, note, CAST(changes AS TEXT) FROM audit_entry "
                                "WHERE action = 'incident.redact'")).one()
    assert row[0] == admin.login and "by mistake" in row[1] and "sha256:" in row[2]

    backup = _backup_text(services, tmp_path).decode("latin-1")
    assert not ANY_SPACING.search(backup), "the next backup must not hold the removed number"
    if services.db.is_sqlite:
        path = Path(services.db.engine.url.database)
        for f in (path, path.with_name(path.name + "-wal")):
            if f.exists():
                assert not ANY_SPACING.search(f.read_bytes().decode("latin-1")), f"{f.name} still holds it"


def test_only_an_administrator_may_redact(services: Services, admin: Actor) -> None:
    si = _si_with_nhs_number(services, admin)
    services.registers.add_user(admin, "ph1", "Public Health Lead", Role.PUBLIC_HEALTH.value)
    with pytest.raises(PermissionDenied, match="only an administrator"):
        services.audit.redact_incident(Actor("ph1"), si, NHS, "typed by mistake")
    with pytest.raises(ValidationError, match="contains the value"):
        services.audit.redact_incident(admin, si, NHS, f"removed {DIGITS}")
    with pytest.raises(ValidationError, match="not found"):
        services.audit.redact_incident(admin, si, "1234 567 890", "typed by mistake")
    assert sum(bool(ANY_SPACING.search(t)) for t in _trail_text(services)) >= 2


def test_an_edit_dressed_as_a_redaction_is_still_caught(services: Services, admin: Actor) -> None:
    si = _si_with_nhs_number(services, admin)
    services.audit.redact_incident(admin, si, NHS, "typed by mistake")
    with services.db.engine.connect() as conn:
        target = conn.execute(text("SELECT min(entity_id) FROM audit_entry WHERE action = 'audit.redact'")).scalar()
        seq = conn.execute(text("SELECT seq FROM audit_entry WHERE id = :i"), {"i": target}).scalar()
    # Changing the redacted entry again, without a new chained authorisation:
    try:
        with services.db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entry SET note = 'rewritten' WHERE id = :i"), {"i": target})
        refused = False
    except Exception as exc:  # PostgreSQL's trigger checks the digests and refuses
        assert "append-only" in str(exc)
        refused = True
    if not refused:  # SQLite's trigger only checks that an authorisation exists; the chain does the rest
        verdict = services.audit.verify(admin)
        print(verdict.message())
        assert not verdict.intact and f"BROKEN at entry {seq}" in verdict.message()
    as_owner(services.db, "UPDATE audit_entry SET note = 'rewritten' WHERE id = :i", params={"i": target})
    verdict = services.audit.verify(admin)
    assert not verdict.intact and f"BROKEN at entry {seq}" in verdict.message()


def test_redact_command(db_url: str, admin: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    from riskdesk.db import Database

    db = Database.open(db_url, backup=False)
    si = _si_with_nhs_number(Services(db), admin)
    db.dispose()
    assert run(["--database", db_url, "--as", admin.login, "redact", "--incident", str(si), "--value", DIGITS,
                "--reason", "NHS number saved by mistake"]) == 0
    said = capsys.readouterr().out
    assert "Redacted from description" in said
    assert run(["--database", db_url, "--as", admin.login, "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out


def test_redact_command_finds_the_incident_by_the_reference_the_window_shows(db_url: str, admin: Actor,
                                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Before, --incident took only the record's internal number, which nothing shows a user."""
    from riskdesk.db import Database

    db = Database.open(db_url, backup=False)
    si = _si_with_nhs_number(Services(db), admin)
    with db.engine.connect() as conn:
        reference = conn.execute(text("SELECT reference FROM serious_incident WHERE id = :i"), {"i": si}).scalar()
    db.dispose()
    assert run(["--database", db_url, "--as", admin.login, "redact", "--incident", "SI-1999-999", "--value", DIGITS,
                "--reason", "NHS number saved by mistake"]) == 2
    assert "Serious incident SI-1999-999 does not exist" in capsys.readouterr().err
    assert run(["--database", db_url, "--as", admin.login, "redact", "--incident", reference.lower(),
                "--value", DIGITS, "--reason", "NHS number saved by mistake"]) == 0
    assert "Redacted from description" in capsys.readouterr().out
