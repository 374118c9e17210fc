"""Benchmark databases are deterministic: the same seed gives the same rows, on every backend."""

from __future__ import annotations

import datagen
import pytest


def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not() -> None:
    assert datagen.register_tables(40, quarters=3, seed=5) == datagen.register_tables(40, quarters=3, seed=5)
    assert datagen.incident_tables(300, seed=5) == datagen.incident_tables(300, seed=5)
    assert datagen.register_tables(40, seed=5)["risk"] != datagen.register_tables(40, seed=6)["risk"]
    assert datagen.incident_tables(300, seed=5)["serious_incident"] != \
        datagen.incident_tables(300, seed=6)["serious_incident"]


@pytest.mark.db
def test_the_database_holds_exactly_the_generated_rows(db_url: str) -> None:
    """On SQLite here and on PostgreSQL in CI: read back in primary-key order, row for row."""
    tables = datagen.merge(datagen.register_tables(60, quarters=2), datagen.incident_tables(200))
    datagen.create(db_url, tables)
    names = ["risk", "assessment", "risk_department", "serious_incident", "incident_action", "app_user"]
    dumped = datagen.dump(db_url, names)
    from riskdesk.models import Base

    differing = 0
    for name in names:
        columns = [c.name for c in Base.metadata.tables[name].columns]
        expected = sorted(tables[name], key=lambda r: tuple(r[c.name] for c in
                                                          Base.metadata.tables[name].primary_key.columns))
        got = [dict(zip(columns, row, strict=True)) for row in dumped[name]]
        assert len(got) == len(expected), name
        for want, have in zip(expected, got, strict=True):
            differing += any(have[k] != v for k, v in want.items())
    print(f"rows differing from the generated ones: {differing}")
    assert differing == 0
