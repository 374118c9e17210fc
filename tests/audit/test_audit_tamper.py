"""Tampering as the table's owner could: each attempt is caught by ``audit verify``, naming the entry."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from audit_world import as_owner, fresh_database, some_history
from sqlalchemy import text

from riskdesk.domain.audit_chain import content_digest, entry_hash
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register import Actor
from riskdesk.services import Services

TARGET = 4  # the entry each attack goes for


def _trail(services: Services, admin: Actor) -> None:
    some_history(services, admin, 8)


def _edit(db) -> None:
    as_owner(db, f"UPDATE audit_entry SET note = 'nothing to see' WHERE seq = {TARGET}")


def _delete(db) -> None:
    as_owner(db, f"DELETE FROM audit_entry WHERE seq = {TARGET}")


def _insert(db) -> None:
    # A forged entry slotted in at TARGET: later entries renumbered, links copied from the neighbours.
    as_owner(db, f"UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= {TARGET}",
             f"UPDATE audit_entry SET seq = seq - 999 WHERE seq >= {TARGET + 1000}",
             "INSERT INTO audit_entry (at, user_login, action, entity, entity_id, label, changes, note, seq, "
             f"prev_hash, hash) SELECT at, 'tester', 'risk.remove', 'risk', 1, 'Risk 1.1', '{{}}', '', {TARGET}, "
             f"prev_hash, hash FROM audit_entry WHERE seq = {TARGET + 1}")


def _insert_unchained(db) -> None:
    as_owner(db, "INSERT INTO audit_entry (at, user_login, action, entity, label, changes, note) "
                 "VALUES ('2023-01-01 00:00:00', 'tester', 'risk.remove', 'risk', 'Risk 9', '{}', '')")


def _reorder(db) -> None:
    as_owner(db, f"UPDATE audit_entry SET seq = -1 WHERE seq = {TARGET}",
             f"UPDATE audit_entry SET seq = {TARGET} WHERE seq = {TARGET + 1}",
             f"UPDATE audit_entry SET seq = {TARGET + 1} WHERE seq = -1")


def _truncate_tail(db) -> None:
    # Delete the newest entries and wind the chain head back to match: only a seal shows it.
    as_owner(db, f"DELETE FROM audit_entry WHERE seq >= {TARGET}",
             f"UPDATE audit_chain_head SET seq = {TARGET - 1}, "
             f"hash = (SELECT hash FROM audit_entry WHERE seq = {TARGET - 1})")


def _disable_trigger_then_edit(db) -> None:
    with db.engine.begin() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql("DROP TRIGGER audit_entry_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        conn.execute(text("UPDATE audit_entry SET user_login = 'somebody' WHERE seq = :s"), {"s": TARGET})
        if not db.is_sqlite:
            conn.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")


ATTACKS = {
    "edit": (_edit, "contents were changed"),
    "delete": (_delete, "is missing"),
    "insert": (_insert, "contents were changed"),
    "insert without a place in the chain": (_insert_unchained, "no place in the chain"),
    "reorder": (_reorder, "does not link"),
    "truncate back past the last seal": (_truncate_tail, "truncated back past that seal"),
    "disable trigger as owner, then edit": (_disable_trigger_then_edit, "contents were changed"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_tampering_is_detected_naming_the_entry(services: Services, admin: Actor, attack: str) -> None:
    _trail(services, admin)
    sealed = services.audit.seal_now(admin)  # a quarter close, say; the seal is kept outside the trail
    assert services.audit.verify(admin).intact
    tamper, why = ATTACKS[attack]
    tamper(services.db)
    verdict = services.audit.verify(admin)
    message = verdict.message()
    print(f"{attack}: {message}")
    assert not verdict.intact
    assert why in message
    expected = "an entry with no sequence number" if attack == "insert without a place in the chain" else f"entry {TARGET}"
    assert f"BROKEN at {expected}" in message
    if attack != "insert without a place in the chain":
        assert verdict.first is not None and verdict.first.seq == TARGET
    assert not services.audit.verify(admin, seal=sealed.text).intact


@pytest.mark.db
def test_tampering_count(_template: str, tmp_path: Path, admin: Actor) -> None:
    """Every attack in turn, each on its own fresh database: the number caught is printed and must be all."""
    caught, missed = 0, []
    for n, (attack, (tamper, _why)) in enumerate(ATTACKS.items()):
        with fresh_database(_template, tmp_path / f"t{n}") as db:
            sv = Services(db)
            _trail(sv, admin)
            sv.audit.seal_now(admin)
            tamper(db)
            verdict = sv.audit.verify(admin)
            if not verdict.intact and verdict.first is not None and (
                    verdict.first.seq == TARGET or attack == "insert without a place in the chain"):
                caught += 1
            else:
                missed.append(attack)
    print(f"tampering detected, naming the entry: {caught} of {len(ATTACKS)} (missed: {missed or 'none'})")
    assert caught == len(ATTACKS)


def test_rewriting_and_recomputing_the_whole_chain_is_caught_by_the_printed_seal(
        services: Services, admin: Actor) -> None:
    """The owner edits entry 4, recomputes every hash and the head, and deletes the stored seals."""
    _trail(services, admin)
    printed = services.audit.seal_now(admin).text  # on the committee paper
    db = services.db
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, seq, at, user_login, action, entity, entity_id, label, note, "
                                 "CAST(changes AS TEXT) FROM audit_entry ORDER BY seq")).all()
    from sqlalchemy import DateTime

    to_dt = DateTime().dialect_impl(db.engine.dialect).result_processor(db.engine.dialect, None)
    prev, updates = "0" * 64, []
    for r in rows:
        note = "nothing to see" if r.seq == TARGET else r.note
        at = to_dt(r.at) if to_dt and isinstance(r.at, str) else r.at
        h = entry_hash(r.seq, at, r.user_login, r.action, r.entity, r.entity_id,
                       content_digest(r.label, note, r[9]), prev)
        updates.append(f"UPDATE audit_entry SET note = '{note}', prev_hash = '{prev}', hash = '{h}' WHERE id = {r.id}")
        prev = h
    as_owner(db, *updates, f"UPDATE audit_chain_head SET hash = '{prev}'", "DELETE FROM audit_seal")
    alone = services.audit.verify(admin)
    print("recomputed chain, no seal given:", alone.message())
    assert alone.intact  # nothing inside the database can tell: this is what the printed seal is for
    verdict = services.audit.verify(admin, seal=printed)
    print("recomputed chain, printed seal given:", verdict.message())
    assert not verdict.intact and "rewritten after it was sealed" in verdict.message()
    assert verdict.first is not None and verdict.first.seq == int(printed.split("-")[0])


def test_snapshot_edit_with_recomputed_checksum_is_caught(published: Services, admin: Actor) -> None:
    sv = published
    cycle = next(c for c in sv.cycles.list(admin) if c.status == "presented")
    assert sv.audit.verify(admin).intact
    with sv.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT snapshot_json FROM report_cycle WHERE id = :i"), {"i": cycle.id}).scalar()
        present_seq = conn.execute(text("SELECT seq FROM audit_entry WHERE action = 'cycle.present' "
                                        "AND entity_id = :i"), {"i": cycle.id}).scalar()
    data = json.loads(stored)
    data["categories"][0]["risks"][0]["description"] = "IF nothing THEN nothing (doctored)"
    doctored = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    checksum = hashlib.sha256(doctored.encode("utf-8")).hexdigest()
    with sv.db.engine.begin() as conn:
        conn.execute(text("UPDATE report_cycle SET snapshot_json = :j, snapshot_sha256 = :h WHERE id = :i"),
                     {"j": doctored, "h": checksum, "i": cycle.id})
    verdict = sv.audit.verify(admin)
    print(verdict.message())
    assert not verdict.intact
    assert f"BROKEN at entry {present_seq:,}" in verdict.message() and "snapshot of report cycle" in verdict.message()
    with pytest.raises(ValidationError, match="recorded in the audit trail"):
        sv.cycles.preview_snapshot(admin, cycle.id)


def test_the_database_refuses_an_edit_without_a_redaction(services: Services, admin: Actor) -> None:
    _trail(services, admin)
    with pytest.raises(Exception, match="append-only"), services.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_entry SET note = 'x' WHERE seq = 2")
    with pytest.raises(Exception, match="append-only"), services.db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_entry WHERE seq = 2")
    assert services.audit.verify(admin).intact
