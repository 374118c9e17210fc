"""The migrations build exactly the schema the models describe, and upgrades are backed up."""

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import riskdesk.db as dbmod
from riskdesk.db import Database, alembic_config, current_revision, ensure_schema, make_engine
from riskdesk.models import Base, load_all


def test_schema_head_constant_is_alembic_head():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [dbmod.SCHEMA_HEAD], "update riskdesk.db.SCHEMA_HEAD when adding a migration"


@pytest.mark.filterwarnings("ignore:.*expression-based index")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrated_database_matches_the_models(db):
    # The case-insensitive department index is an expression index that neither dialect reflects;
    # its presence is checked by test_department_codes_ignore_case instead.
    load_all()  # the casework features' tables are defined on first use: all of them, to compare
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # PostgreSQL's log of audited transactions belongs to the database's own triggers, not to a model.
    diffs = [d for d in diffs if not (d[0] == "remove_table" and d[1].name == "riskdesk_audited_xact")]
    assert diffs == []
    assert current_revision(db.engine) == dbmod.SCHEMA_HEAD


def test_empty_database_is_upgraded_on_open_without_a_backup(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    db = Database.open(url)
    assert current_revision(db.engine) == dbmod.SCHEMA_HEAD
    assert not list((tmp_path.parent).glob("backups/*"))
    db.dispose()


def test_sqlite_pragmas(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'p.sqlite'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()


def test_upgrade_of_a_database_with_data_takes_a_backup_first(tmp_path, monkeypatch, admin):
    from riskdesk.services import Services

    path = tmp_path / "old.sqlite"
    db = Database.open(f"sqlite:///{path}")
    Services(db).registers.add_department(admin, "PH", "Public Health")
    db.dispose()
    # Pretend the code is newer than the database.
    monkeypatch.setattr(dbmod, "SCHEMA_HEAD", "9999_future")
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(tmp_path / "data"))
    heard: list[str] = []
    backup = ensure_schema(make_engine(f"sqlite:///{path}"), progress=heard.append)
    assert backup is not None and backup.exists()
    assert heard == [f"Backing up SQLite file {path} before upgrading it…",
                     f"Upgrading SQLite file {path} to this version of riskdesk…"]
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT code FROM department").fetchall() == [("PH",)]


def test_backup_is_a_consistent_copy_while_in_use(published, db, tmp_path):
    if not db.is_sqlite:
        import shutil

        if not shutil.which("pg_dump"):
            pytest.fail("pg_dump is needed to back up PostgreSQL")
        out = dbmod.backup_database(db.engine, tmp_path / "b.pgdump")
        assert out.stat().st_size > 1000
        return
    with db.engine.connect() as busy:  # a reader holds the database open meanwhile
        busy.exec_driver_sql("SELECT count(*) FROM risk").scalar()
        out = dbmod.backup_database(db.engine, tmp_path / "copy.sqlite")
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM risk WHERE status='current'").fetchone()[0] == 29


def test_department_codes_ignore_case(services, admin):
    from riskdesk.domain.errors import ValidationError

    services.registers.add_department(admin, "A&C", "Adults & Communities")
    with pytest.raises(ValidationError, match="already in use"):
        services.registers.add_department(admin, "a&c", "Duplicate")
    # The database enforces it too, not only the service.
    from sqlalchemy.exc import IntegrityError

    from riskdesk.models import Department

    with pytest.raises(IntegrityError), services.db.sessions.begin() as s:
        s.add(Department(code="A&c", name="Sneaky"))


def test_every_migration_downgrades_and_upgrades_again(tmp_path):
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'walk.sqlite'}")
    cfg = alembic_config(engine)
    revisions = [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()]  # newest first
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        for target in [*revisions[1:], "base"]:
            command.downgrade(cfg, target)
        command.upgrade(cfg, "head")
    assert current_revision(engine) == dbmod.SCHEMA_HEAD
    engine.dispose()


@pytest.mark.db
def test_requests_imported_before_0018_keep_their_export_reference(empty_db_url):
    """The upgrade gives each FOI request imported earlier the reference its summary names, so the
    next import still refuses it once an officer has rewritten that summary. Two requests already
    sharing a reference (one export read twice before imports checked): the first keeps it."""
    from alembic import command
    from sqlalchemy import text

    engine = make_engine(empty_db_url)
    cfg = alembic_config(engine)
    rows = [(1, "FOI-2023-00001", "Imported from q1.csv (ICW-1)"), (2, "FOI-2023-00002", "Imported from q1.csv"),
            (3, "FOI-2023-00003", "Asked about libraries."), (4, "FOI-2023-00004", "Imported from q1-q2.csv (icw-1)"),
            (5, "FOI-2023-00005", "Imported from export (1).csv (ICW-5)")]
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0017_complaint_received_index")
    with engine.begin() as conn:  # as riskdesk 0017 left them
        for rid, reference, summary in rows:
            conn.execute(text(
                "INSERT INTO foi_request (id, reference, regime, regime_reason, received_on, channel, subject, "
                "departments, summary, division, media, due_on, bases, public_interest_test, disclosure_reason, "
                "created_at, version) VALUES (:id, :reference, 'foia', '', '2023-03-06', 'email', '', 'CFS', "
                ":summary, '', false, '2023-04-03', '', '', '', '2023-03-06 09:00:00', 1)"),
                {"id": rid, "reference": reference, "summary": summary})
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT id, source_reference FROM foi_request ORDER BY id")).all()
        summaries = conn.execute(text("SELECT summary FROM foi_request ORDER BY id")).scalars().all()
        # On PostgreSQL a change made outside riskdesk is in the trail, naming who made it: so is this one.
        trail = conn.execute(text("SELECT entity_id, note FROM audit_entry WHERE action = 'db.update' "
                                  "AND entity = 'foi_request' ORDER BY entity_id")).all()
    postgres = engine.dialect.name == "postgresql"
    engine.dispose()
    print(trail)
    assert [entity_id for entity_id, _note in trail] == ([1, 5] if postgres else [])
    assert kept == [(1, "ICW-1"), (2, None), (3, None), (4, None), (5, "ICW-5")]
    assert summaries == [summary for _id, _ref, summary in rows]  # nothing else changed
