"""The chain itself: an intact trail verifies, Python and the server hash alike, seals, upgrades."""

from __future__ import annotations

from datetime import datetime

import pytest
from audit_world import some_history
from sqlalchemy import text

from riskdesk.cli import run
from riskdesk.db import Database, make_engine, run_migrations
from riskdesk.domain.audit_chain import GENESIS, Seal, content_digest, entry_hash
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.permissions import Role
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def test_intact_trail_verifies_and_is_numbered_without_gaps(services: Services, admin: Actor) -> None:
    some_history(services, admin)
    verdict = services.audit.verify(admin)
    print(verdict.message())
    assert verdict.intact, verdict.message()
    assert verdict.entries >= 6
    with services.db.engine.connect() as conn:
        seqs = [r[0] for r in conn.execute(text("SELECT seq FROM audit_entry ORDER BY seq"))]
        links = conn.execute(text("SELECT count(*) FROM audit_entry a JOIN audit_entry b ON b.seq = a.seq + 1 "
                                  "WHERE b.prev_hash = a.hash")).scalar()
    assert seqs == list(range(1, len(seqs) + 1))
    assert links == len(seqs) - 1


def test_python_and_server_compute_the_same_hash(services: Services, admin: Actor) -> None:
    """The canonical form is pinned: odd text, no entity id, a whole second, a long string."""
    some_history(services, admin, 2)
    label, note = "Risk 1.1 – “Ŵ€lsh” \u00a0<b>&", "line one\nline two\u200b" + "x" * 3000
    changes = '{"a": [null, "\\u00e9t\\u00e9"], "b": [1.5, 2]}'  # PostgreSQL-style text from a psql trigger
    with services.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_entry (at, user_login, action, entity, entity_id, label, changes, note) "
                          "VALUES (:at, 'psql', 'risk.edit', 'risk', NULL, :label, :changes, :note)"),
                     {"at": datetime(2023, 11, 17, 9, 30, 0), "label": label, "changes": changes, "note": note})
        row = conn.execute(text("SELECT seq, prev_hash, hash, CAST(changes AS TEXT) FROM audit_entry "
                                "ORDER BY id DESC LIMIT 1")).one()
    if services.db.is_sqlite:
        # A raw insert on SQLite gets no place in the chain: verify says so (the server does it on PostgreSQL).
        assert row[0] is None
        verdict = services.audit.verify(admin)
        assert not verdict.intact and "no place in the chain" in verdict.message()
        return
    assert row[3] == changes  # json keeps the text it was given, so the hash covers what is stored
    expected = entry_hash(row[0], datetime(2023, 11, 17, 9, 30, 0), "psql", "risk.edit", "risk", None,
                          content_digest(label, note, changes), row[1])
    assert row[2] == expected
    assert services.audit.verify(admin).intact


def test_client_cannot_choose_its_place_in_the_chain(services: Services, admin: Actor) -> None:
    if services.db.is_sqlite:
        pytest.skip("on SQLite the writer is riskdesk itself; the server trigger is PostgreSQL's")
    some_history(services, admin, 2)
    with services.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_entry (at, user_login, action, entity, label, changes, note, seq, "
                          "prev_hash, hash) VALUES (now(), 'x', 'a', 'e', '', '{}', '', 1, :z, :z)"), {"z": GENESIS})
    assert services.audit.verify(admin).intact


def test_quarter_close_and_presenting_seal_the_trail(published: Services, admin: Actor, tmp_path) -> None:
    sv = published
    period = sv.registers.current_period(admin)
    sv.registers.close_quarter(admin, expected=period)
    cycles = [c for c in sv.cycles.list(admin) if c.status == "presented"]
    assert cycles, "the published register comes with a presented cycle"
    snapshot = sv.cycles.preview_snapshot(admin, cycles[0].id)
    assert snapshot.audit_seal, "a presented snapshot carries the chain head"
    status = sv.audit.status(admin)
    print(status.text)
    assert "chain intact" in status.text and "last sealed" in status.text
    verdict = sv.audit.verify(admin, seal=snapshot.audit_seal)
    assert verdict.intact and verdict.seals_checked >= 3, verdict.message()
    # The printed appendix carries the seal in its footer (PDF and Word).
    from docx import Document
    from pypdf import PdfReader

    pdf, docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    sv.cycles.write_appendix(admin, cycles[0].id, pdf)
    sv.cycles.write_appendix(admin, cycles[0].id, docx)
    assert f"Audit seal {snapshot.audit_seal}" in PdfReader(str(pdf)).pages[-1].extract_text()

    footer = "\n".join(p.text for p in Document(str(docx)).sections[0].footer.paragraphs)
    assert f"Audit seal {snapshot.audit_seal}" in footer


def test_seal_value_is_checked(services: Services, admin: Actor) -> None:
    some_history(services, admin, 3)
    head = services.audit.seal_now(admin)
    assert services.audit.verify(admin, seal=head.text).intact
    wrong = Seal(head.seq, ("0" if head.hash[0] != "0" else "1") + head.hash[1:32])
    verdict = services.audit.verify(admin, seal=wrong.text)
    print(verdict.message())
    assert not verdict.intact and f"entry {head.seq}" in verdict.message()
    with pytest.raises(Exception, match="at least 16"):
        services.audit.verify(admin, seal=f"{head.seq}-abc")


def test_cli_exit_status(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database.open(db_url, backup=False)
    some_history(Services(db), Actor("tester"), 2)
    db.dispose()
    assert run(["--database", db_url, "--as", "tester", "audit", "verify"]) == 0
    said = capsys.readouterr().out
    assert "Audit trail intact: 2 entries" in said
    db = Database.open(db_url, backup=False)
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER audit_entry_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        conn.exec_driver_sql("UPDATE audit_entry SET user_login = 'someone_else' WHERE seq = 1")
    db.dispose()
    assert run(["--database", db_url, "--as", "tester", "audit", "verify"]) == 1
    said = capsys.readouterr().out
    print(said)
    assert "BROKEN at entry 1" in said


def test_verifying_needs_a_role_that_reads_every_entry(services: Services, admin: Actor) -> None:
    some_history(services, admin, 1)
    services.registers.add_user(admin, "owner1", "Risk Owner", Role.RISK_OWNER.value)
    with pytest.raises(PermissionDenied, match="cannot verify"):
        services.audit.verify(Actor("owner1"))
    assert "not checked" in services.audit.status(Actor("owner1")).text


def test_upgrade_chains_existing_entries(db_url: str) -> None:
    """A database written before the chain existed verifies straight after the upgrade (and downgrades)."""
    from alembic import command

    from riskdesk.db import alembic_config

    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_import_mappings")
    with engine.begin() as conn:
        for i in range(25):
            conn.execute(text("INSERT INTO audit_entry (at, user_login, action, entity, entity_id, label, changes, "
                              "note) VALUES (:at, 'old', 'risk.edit', 'risk', :i, :label, :changes, '')"),
                         {"at": datetime(2022, 1, 1, 12, 0, i, 250), "i": i, "label": f"Risk {i} – ŵ",
                          "changes": '{"x": [1, "\u0175"]}'})
    run_migrations(engine)
    engine.dispose()
    db = Database.open(db_url, backup=False)
    sv = Services(db)
    some_history(sv, Actor("old"), 2)
    verdict = sv.audit.verify(Actor("old"))
    db.dispose()
    assert verdict.intact, verdict.message()
    assert verdict.entries == 25 + 2  # the old entries, then one per department added


def test_quarter_is_sealed_at_close(services: Services, admin: Actor) -> None:
    some_history(services, admin, 2)
    services.registers.close_quarter(admin, expected=services.registers.current_period(admin))
    with services.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT seq, reason FROM audit_seal")).all()
    assert len(rows) == 1 and "closed" in rows[0][1]
    assert rows[0][0] == 3  # two departments and the close itself: the seal is taken after the close's entry
    verdict = services.audit.verify(admin)
    assert verdict.intact and verdict.seals_checked == 1


def test_bulk_append_is_chained_in_order(services: Services, admin: Actor) -> None:
    """The spreadsheet import writes its entries in bulk: they chain like any other."""
    from riskdesk.services import audit as audit_trail

    some_history(services, admin, 1)
    rows = [{"user_login": admin.login, "action": "risk.import", "entity": "risk", "entity_id": i,
             "label": f"Risk {i}", "changes": {"description": [None, f"IF {i} THEN “ŵ”"]}, "note": "row"}
            for i in range(50)]
    with services.db.sessions.begin() as s:
        audit_trail.append(s, rows)
        services.ctx.audit(s, admin.login, "register.import", "register", 1, "CRR", {"risks": [None, 50]})
    services.registers.add_department(admin, "Z9", "After the import")
    verdict = services.audit.verify(admin)
    assert verdict.intact, verdict.message()
    assert verdict.entries == 53
