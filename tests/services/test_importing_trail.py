"""What an import writes, row by row: each risk under its own id with its own history and audit
entry, and audit entries whose stored text is the JSON riskdesk has always written, hash-chained."""

from __future__ import annotations

import random
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))
from iohelpers import HEADERS, write_xlsx

from riskdesk.domain.audit_chain import GENESIS, content_digest, entry_hash
from riskdesk.domain.quarters import Quarter
from riskdesk.io.mapping import guess_mapping, header_names
from riskdesk.io.readers import read_workbook
from riskdesk.services.importing import BATCH

Q = Quarter(2019, 2)


def _import(services, admin, path: Path) -> int:
    register_id = services.registers.create_register(admin, "Corporate Risk Register", "corporate").id
    sheet = read_workbook(path).sheet()
    mapping = guess_mapping(header_names(sheet.grid, 0, 1))
    prepared = services.importing.preview(admin, path, mapping, register_id=register_id, create_departments=True,
                                          create_owners=True)
    assert prepared.ok, [str(p) for p in prepared.errors]
    services.importing.apply(admin, prepared, register_id=register_id, create_departments=True, create_owners=True,
                             period=Q)
    return register_id


def test_each_imported_row_is_its_own_risk_with_its_own_history_and_audit_entry(services, admin, tmp_path) -> None:
    """Refs out of order, over more than one batch: no row's history or audit entry lands on another risk."""
    n = BATCH + 37
    refs = [str(k) for k in random.Random(3).sample(range(1, 10 * n), n)]
    rows = [[ref, f"IF risk {ref} happens THEN harm {ref}", "CR", "Jane Doe", 1 + i % 5, 1 + i // 5 % 5, None,
             f"Update for {ref}"] for i, ref in enumerate(refs)]
    path = write_xlsx(tmp_path / "register.xlsx", [HEADERS, *rows])
    register_id = _import(services, admin, path)

    listed = {r.ref: r for r in services.risks.list_risks(admin, register_id)}
    assert sorted(listed) == sorted(refs)
    for excel_row, (ref, description, _, _, impact, likelihood, _, update) in enumerate(rows, start=2):
        risk = listed[ref]
        assert (risk.description, risk.update_text) == (description, update)
        assert (risk.current.impact, risk.current.likelihood) == (impact, likelihood)
        (history,) = services.risks.history(admin, risk.id)
        assert history.source_values.endswith(f"(register.xlsx, sheet Register, row {excel_row})")
        (entry,) = services.risks.audit_trail(admin, entity="risk", entity_id=risk.id)
        assert (entry.action, entry.label) == ("risk.import", f"Risk {ref}")
        assert entry.note == f"imported from register.xlsx, sheet Register, row {excel_row}"
        assert entry.changes["description"] == [None, description]


def test_an_imported_risks_audit_entry_stores_the_json_riskdesk_has_always_written(services, admin, tmp_path) -> None:
    """The chain hashes the stored text byte for byte: its form (ASCII escapes, separators, key order)
    must never drift, and the hash must cover exactly what is stored."""
    path = tmp_path / "register.csv"
    path.write_text(
        "Ref,Risk,Dept,Owner,Current Impact,Current Likelihood,Current Score,Update\n"
        '7.2,"IF the £2m saving slips THEN services café closes",CR,Jane Doe / Sam Smith,4,3,12,'
        '"Update: “on track”\n• next step"\n', encoding="utf-8")
    _import(services, admin, path)

    with services.db.engine.connect() as conn:
        entries = conn.execute(text(
            "SELECT seq, at, user_login, action, entity, entity_id, label, note, CAST(changes AS TEXT), prev_hash, "
            "hash FROM audit_entry ORDER BY seq")).all()
    (imported,) = [e for e in entries if e.action == "risk.import"]
    assert (imported.label, imported.note) == ("Risk 7.2", "imported from register.csv, sheet register, row 2")
    assert imported[8] == (
        r'{"ref": [null, "7.2"], "description": [null, "IF the \u00a32m saving slips THEN services caf\u00e9 closes"], '
        r'"departments": [null, ["CR"]], "owner": [null, "Jane Doe"], "current (19/20 Q2)": [null, "4x3=12"], '
        r'"direction": [null, "not stated (the file gives none)"], '
        r'"scores as in the file": [null, "current: file: Impact 4 of 5, Likelihood 3 of 5, Score 12"], '
        r'"update": [null, "Update: \u201con track\u201d\n\u2022 next step"], '
        r'"owners as given": [null, "Jane Doe / Sam Smith"]}'
    )
    if services.db.is_sqlite:  # riskdesk chains them itself (the server does on PostgreSQL, checked in tests/audit)
        prev = GENESIS
        for e in entries:
            at = datetime.fromisoformat(e.at) if isinstance(e.at, str) else e.at  # SQLite's text, as stored
            assert e.prev_hash == prev
            assert e.hash == entry_hash(e.seq, at, e.user_login, e.action, e.entity, e.entity_id,
                                        content_digest(e.label, e.note, e[8]), e.prev_hash)
            prev = e.hash
    assert services.audit.verify(admin).intact
