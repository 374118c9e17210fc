"""A hash-chained, sealable audit trail.

Adds ``seq``, ``prev_hash`` and ``hash`` to ``audit_entry``, the one-row chain head and the
seals table, and computes the chain over the entries already there (oldest first), so an
existing database verifies straight after the upgrade. On PostgreSQL the chain is computed by
the server in the BEFORE INSERT trigger ``audit_entry_20_chain`` (it runs after the actor
trigger ``audit_entry_10_actor``), so entries written by psql-change triggers are chained too.
The append-only triggers now allow exactly one kind of update: a redaction authorised by a
later, chained ``audit.redact`` entry.

Revision ID: 0009_audit_chain
Revises: 0008_database_roles
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskdesk.domain.audit_chain import GENESIS, content_digest, entry_hash

revision = "0009_audit_chain"
down_revision = "0008_database_roles"
branch_labels = None
depends_on = None

BATCH = 5000

# One field of the canonical form: <byte length>:<UTF-8 bytes>\n (see riskdesk.domain.audit_chain).
PG_FUNCTIONS = r"""
-- plpgsql rather than SQL functions: SQL ones calling to_char are not inlined and cost ~0.6 ms
-- per entry in planning; these run at ~0.03 ms.
CREATE OR REPLACE FUNCTION audit_chain_field(t text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  b bytea := convert_to(coalesce(t, ''), 'UTF8');
BEGIN
  RETURN convert_to(length(b)::text || ':', 'UTF8') || b || '\x0a'::bytea;
END $$;

CREATE OR REPLACE FUNCTION audit_content_digest(label text, note text, changes text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN encode(sha256(convert_to(E'riskdesk-audit-content-v1\n', 'UTF8') || audit_chain_field(label)
                       || audit_chain_field(note) || audit_chain_field(changes)), 'hex');
END $$;

CREATE OR REPLACE FUNCTION audit_entry_hash(seq bigint, at timestamp, user_login text, action text, entity text,
                                            entity_id integer, content text, prev_hash text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN encode(sha256(convert_to(E'riskdesk-audit-v1\n', 'UTF8')
      || audit_chain_field(seq::text)
      || audit_chain_field(to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.US'))
      || audit_chain_field(user_login) || audit_chain_field(action) || audit_chain_field(entity)
      || audit_chain_field(entity_id::text) || audit_chain_field(content) || audit_chain_field(prev_hash)), 'hex');
END $$;

-- SECURITY DEFINER: writers need no right on the chain head, so no writer can move it.
CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  last_seq bigint;
  last_hash text;
BEGIN
  -- The row lock serialises writers: entries are chained in commit order, never forked.
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_chain_head h WHERE h.id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the audit chain head is missing; run riskdesk''s database upgrade';
  END IF;
  -- The newest entry, by index. The head row is moved once per statement (below), not per
  -- row: updating one row thousands of times in a transaction makes each lookup walk every
  -- dead version of it. A head ahead of the trail (its tail deleted) is kept, so the gap shows.
  SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_entry e WHERE e.seq IS NOT NULL
   ORDER BY e.seq DESC LIMIT 1;
  IF FOUND AND last_seq >= head_seq THEN
    head_seq := last_seq;
    head_hash := last_hash;
  END IF;
  IF NEW.at IS NULL THEN
    NEW.at := (now() AT TIME ZONE 'UTC');
  END IF;
  -- Whatever the client sent is ignored: only the server places an entry in the chain.
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.hash := audit_entry_hash(NEW.seq, NEW.at, NEW.user_login, NEW.action, NEW.entity, NEW.entity_id,
                               audit_content_digest(NEW.label, NEW.note, NEW.changes::text), NEW.prev_hash);
  RETURN NEW;
END $$;

-- Moves the head to the newest entry once per transaction, at commit (a deferred trigger):
-- updating one row per entry would leave a chain of dead versions that every later lookup in
-- the same transaction walks (quadratic for an import of thousands of rows).
CREATE OR REPLACE FUNCTION audit_chain_head_move() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
BEGIN
  IF current_setting('riskdesk.chain_head_moved', true) IS NOT DISTINCT FROM txid_current()::text THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('riskdesk.chain_head_moved', txid_current()::text, true);
  UPDATE audit_chain_head h SET seq = l.seq, hash = l.hash
    FROM (SELECT e.seq, e.hash FROM audit_entry e WHERE e.seq IS NOT NULL ORDER BY e.seq DESC LIMIT 1) l
   WHERE h.id = 1 AND l.seq > h.seq;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.id = OLD.id AND NEW.seq IS NOT DISTINCT FROM OLD.seq AND NEW.at = OLD.at
     AND NEW.user_login = OLD.user_login AND NEW.action = OLD.action AND NEW.entity = OLD.entity
     AND NEW.entity_id IS NOT DISTINCT FROM OLD.entity_id
     AND NEW.prev_hash IS NOT DISTINCT FROM OLD.prev_hash AND NEW.hash IS NOT DISTINCT FROM OLD.hash
     AND EXISTS (
       SELECT 1 FROM audit_entry r
        WHERE r.action = 'audit.redact' AND r.entity = 'audit_entry' AND r.entity_id = OLD.id AND r.seq > OLD.seq
          AND r.changes -> 'content' ->> 0 = audit_content_digest(OLD.label, OLD.note, OLD.changes::text)
          AND r.changes -> 'content' ->> 1 = audit_content_digest(NEW.label, NEW.note, NEW.changes::text))
  THEN
    RETURN NEW;  -- a redaction, authorised by a chained audit.redact entry
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$;

-- Redaction by a riskdesk administrator, who has no UPDATE right on the trail: the trigger
-- above still demands the chained authorisation.
CREATE OR REPLACE FUNCTION audit_redact_entry(entry_id integer, new_label text, new_note text, new_changes json)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF NOT (EXISTS (SELECT 1 FROM app_user u WHERE u.login = session_user AND u.role = 'admin' AND u.active)
          OR has_table_privilege(session_user, 'audit_entry', 'UPDATE')) THEN
    RAISE EXCEPTION 'only a riskdesk administrator may redact the audit trail';
  END IF;
  UPDATE audit_entry SET label = new_label, note = new_note, changes = new_changes WHERE id = entry_id;
END $$;

-- Seals are written by the server too, with the head read under the same lock.
CREATE OR REPLACE FUNCTION audit_seal_now(why text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  last_seq bigint;
  last_hash text;
BEGIN
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_chain_head h WHERE h.id = 1 FOR UPDATE;
  -- The head row moves at commit; entries written earlier in this transaction are newer.
  SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_entry e WHERE e.seq IS NOT NULL
   ORDER BY e.seq DESC LIMIT 1;
  IF FOUND AND last_seq >= head_seq THEN
    head_seq := last_seq;
    head_hash := last_hash;
  END IF;
  INSERT INTO audit_seal (seq, hash, sealed_at, sealed_by, reason)
       VALUES (head_seq, head_hash, now() AT TIME ZONE 'UTC', session_user, left(why, 200));
  RETURN head_seq::text || '-' || head_hash;
END $$;
"""

SQLITE_NO_UPDATE = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at
  OR NEW.user_login IS NOT OLD.user_login OR NEW.action IS NOT OLD.action OR NEW.entity IS NOT OLD.entity
  OR NEW.entity_id IS NOT OLD.entity_id OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
  OR NOT EXISTS (SELECT 1 FROM audit_entry r WHERE r.action = 'audit.redact' AND r.entity = 'audit_entry'
                 AND r.entity_id = OLD.id AND r.seq > OLD.seq)
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
"""


def _backfill(bind: sa.engine.Connection) -> tuple[int, str]:
    """Chain the existing entries, oldest first (by id: the order they were written)."""
    t = sa.table("audit_entry", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                 sa.column("user_login", sa.String), sa.column("action", sa.String), sa.column("entity", sa.String),
                 sa.column("entity_id", sa.Integer), sa.column("label", sa.String), sa.column("note", sa.Text),
                 sa.column("changes", sa.Text))
    # Typed columns so SQLite's stored timestamp text comes back as the datetime riskdesk wrote.
    rows = bind.execute(sa.select(t.c.id, t.c.at, t.c.user_login, t.c.action, t.c.entity, t.c.entity_id,
                                  t.c.label, t.c.note, sa.cast(t.c.changes, sa.Text)).order_by(t.c.id))
    seq, prev = 0, GENESIS
    pending: list[dict[str, object]] = []
    update = sa.text("UPDATE audit_entry SET seq = :seq, prev_hash = :prev, hash = :hash WHERE id = :id")
    for row in rows.fetchall():
        seq += 1
        digest = content_digest(row[6], row[7], row[8])
        h = entry_hash(seq, row[1], row[2], row[3], row[4], row[5], digest, prev)
        pending.append({"seq": seq, "prev": prev, "hash": h, "id": row[0]})
        prev = h
        if len(pending) >= BATCH:
            bind.execute(update, pending)
            pending = []
    if pending:
        bind.execute(update, pending)
    return seq, prev


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "audit_seal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("sealed_by", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_seal")),
    )

    # The append-only triggers would refuse the backfill; they come back below, stricter.
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        # The chain hashes the JSON text as stored: it must stay json (jsonb rewrites the text).
        kind = bind.execute(sa.text("SELECT data_type FROM information_schema.columns WHERE table_name = "
                                    "'audit_entry' AND column_name = 'changes' AND table_schema = current_schema()"
                                    )).scalar()
        if kind != "json":
            bind.execute(sa.text("ALTER TABLE audit_entry ALTER COLUMN changes TYPE json USING changes::json"))
    count, head = _backfill(bind)
    bind.execute(sa.text("INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                 {"seq": count, "hash": head})
    op.create_index("uq_audit_entry_seq", "audit_entry", ["seq"], unique=True)

    if dialect == "sqlite":
        op.execute(SQLITE_NO_UPDATE)
    elif dialect == "postgresql":
        op.execute(PG_FUNCTIONS)
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
        op.execute("CREATE TRIGGER audit_entry_20_chain BEFORE INSERT ON audit_entry "
                   "FOR EACH ROW EXECUTE FUNCTION audit_entry_chain()")
        op.execute("CREATE CONSTRAINT TRIGGER audit_entry_90_head AFTER INSERT ON audit_entry "
                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_head_move()")
        # Not confidential (a count and a hash); the window shows them to every role.
        op.execute("GRANT SELECT ON audit_chain_head, audit_seal TO PUBLIC")


def downgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
                   "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_20_chain ON audit_entry")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_90_head ON audit_entry")
        for fn in ("audit_entry_chain()", "audit_chain_head_move()", "audit_redact_entry(integer, text, text, json)", "audit_seal_now(text)",
                   "audit_entry_hash(bigint, timestamp, text, text, text, integer, text, text)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
        op.execute("CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$")
        op.execute("DROP FUNCTION IF EXISTS audit_content_digest(text, text, text)")
        op.execute("DROP FUNCTION IF EXISTS audit_chain_field(text)")
    op.drop_index("uq_audit_entry_seq", table_name="audit_entry")
    op.drop_table("audit_seal")
    op.drop_table("audit_chain_head")
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):  # the table rebuild above dropped them
            op.execute(f"CREATE TRIGGER IF NOT EXISTS audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry "
                       "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
