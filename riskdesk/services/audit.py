"""Writing, sealing, verifying and redacting the hash-chained audit trail.

On PostgreSQL the server places each entry in the chain (trigger ``audit_entry_20_chain``),
so entries written by psql-change triggers are chained the same way. On SQLite riskdesk does
it here, inside the writing transaction, from the same canonical form
(``riskdesk.domain.audit_chain``). Verification always recomputes in Python.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, cast, func, insert, select, text, update
from sqlalchemy.orm import Session

from riskdesk.db import insert_many, send_later
from riskdesk.domain.actor import os_login
from riskdesk.domain.audit_chain import (
    GENESIS,
    REDACT_ACTION,
    REDACTED,
    ChainVerifier,
    Redaction,
    Seal,
    StoredEntry,
    Verdict,
    content_digest,
    entry_hash,
    redaction_from,
)
from riskdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.models import AuditChainHead, AuditEntry, AuditSeal
from riskdesk.models.audit import stored_json
from riskdesk.models.base import utcnow

if TYPE_CHECKING:
    from riskdesk.models import SeriousIncident

#: Rows fetched per round trip while streaming the trail (memory stays flat whatever its length).
STREAM_BATCH = 5000
_TABLE = AuditEntry.__table__
#: An append of more entries than this (an import's) is sent at once, as one executemany.
_SENT_LATER_AT_MOST = 20
_HEAD = AuditChainHead.__table__


def _is_sqlite(s: Session) -> bool:
    return s.get_bind().dialect.name == "sqlite"


# -- writing ---------------------------------------------------------------------------------------


def append(s: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert audit entries in order, chained.

    Each row is a dict of AuditEntry columns (``at``, ``user_login``, ``action``, ``entity``,
    ``entity_id``, ``label``, ``changes``, ``note``); JSON-safe ``changes``.
    """
    if not rows:
        return
    login = os_login()  # the column default, worked out once rather than once per entry
    prepared = []
    for row in rows:
        r = dict(row)
        if "at" not in r:
            r["at"] = utcnow()
        r.setdefault("entity_id", None)
        r.setdefault("label", "")
        r.setdefault("note", "")
        r["changes"] = r.get("changes") or {}
        r.setdefault("os_login", login)
        prepared.append(r)
    if _is_sqlite(s):
        # Moving the head first takes SQLite's write lock, so no other writer can chain in between.
        first, prev = s.execute(
            update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + len(prepared))
            .returning(_HEAD.c.seq, _HEAD.c.hash)
        ).one()
        seq = first - len(prepared)
        for r in prepared:
            seq += 1
            # Serialised once: the text hashed here is the very text stored (insert_many's as_text
            # passes it to the database as it is).
            r["changes"] = changes_text = stored_json(r["changes"])
            digest = content_digest(r["label"], r["note"], changes_text)
            r["seq"], r["prev_hash"] = seq, prev
            r["hash"] = prev = entry_hash(seq, r["at"], r["user_login"], r["action"], r["entity"], r["entity_id"],
                                          digest, prev)
        s.execute(update(_HEAD).where(_HEAD.c.id == 1).values(hash=prev))
        insert_many(s.connection(), _TABLE, prepared, as_text=("changes",))
        return
    if len(prepared) <= _SENT_LATER_AT_MOST:
        # The server's trigger chains them. A service's audit entry is its transaction's last
        # write: it goes to the server with the transaction's next reads or its COMMIT, not alone.
        send_later(s.connection(), insert(_TABLE).values(prepared))
        return
    s.execute(insert(_TABLE), prepared)


def record(s: Session, login: str, action: str, entity: str, entity_id: int | None, label: str,
           changes: Mapping[str, Any], note: str = "") -> None:
    """Append one entry (the body of ``ServiceContext.audit``)."""
    append(s, [{"user_login": login, "action": action, "entity": entity, "entity_id": entity_id,
                "label": label, "changes": dict(changes), "note": note}])


def head(s: Session) -> Seal:
    row = s.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).one_or_none()
    return Seal(0, GENESIS, "chain head") if row is None else Seal(int(row[0]), row[1], "chain head")


def seal(s: Session, login: str, reason: str) -> Seal:
    """Record the chain head as it stands, outside the trail; returns it (to print and to snapshot)."""
    if not _is_sqlite(s):
        value = s.scalar(text("SELECT audit_seal_now(:why)"), {"why": reason})
        seq, hash_ = str(value).split("-", 1)
        return Seal(int(seq), hash_, reason)
    current = head(s)
    s.add(AuditSeal(seq=current.seq, hash=current.hash, sealed_by=login, reason=reason[:200]))
    return Seal(current.seq, current.hash, reason)


# -- reading back ----------------------------------------------------------------------------------

_COLUMNS = (_TABLE.c.id, _TABLE.c.seq, _TABLE.c.at, _TABLE.c.user_login, _TABLE.c.action, _TABLE.c.entity,
            _TABLE.c.entity_id, _TABLE.c.label, _TABLE.c.note, cast(_TABLE.c.changes, Text), _TABLE.c.prev_hash,
            _TABLE.c.hash)


def _stored(row: Sequence[Any]) -> StoredEntry:
    return StoredEntry(*row)


def stream(s: Session, *where: Any) -> Iterator[StoredEntry]:
    """Every entry as stored (raw JSON text), in chain order, then any without a place in it.

    A server-side cursor on PostgreSQL and SQLite's own stepping cursor: constant memory.
    """
    chained = select(*_COLUMNS).where(_TABLE.c.seq.is_not(None), *where).order_by(_TABLE.c.seq)
    loose = select(*_COLUMNS).where(_TABLE.c.seq.is_(None), *where).order_by(_TABLE.c.id)
    for stmt in (chained, loose):
        result = s.execute(stmt.execution_options(yield_per=STREAM_BATCH))
        for partition in result.partitions():
            for row in partition:
                yield _stored(row)


def redactions(s: Session) -> list[Redaction]:
    out = []
    for e in stream(s, _TABLE.c.action == REDACT_ACTION):
        try:
            changes = json.loads(e.changes_text or "{}")
        except ValueError:
            continue
        r = redaction_from(e, changes if isinstance(changes, dict) else {})
        if r is not None:
            out.append(r)
    return out


def seals(s: Session) -> list[Seal]:
    """Every seal kept outside the trail: the seals table and presented cycles' snapshots."""
    from riskdesk.models import ReportCycle  # a write's audit entry needs none of the cycles' models

    out = [Seal(int(r.seq), r.hash, f"{r.reason}, sealed {r.sealed_at:%d %b %Y}")
           for r in s.scalars(select(AuditSeal).order_by(AuditSeal.id))]
    for cid, title, snapshot_json in s.execute(
        select(ReportCycle.id, ReportCycle.title, ReportCycle.snapshot_json).where(ReportCycle.snapshot_json.is_not(None))
    ):
        try:
            value = json.loads(snapshot_json).get("audit_seal") or ""
        except ValueError:
            continue  # reported by the snapshot check
        if value:
            try:
                out.append(Seal.parse(value, f"snapshot of report cycle {cid}, {title}"))
            except ValueError:
                continue
    return out


def _snapshot_problems(s: Session, verifier: ChainVerifier) -> None:
    """A presented snapshot must match the checksum its chained ``cycle.present`` entry recorded."""
    from riskdesk.models import ReportCycle

    recorded: dict[int, tuple[int, str]] = {}
    for e in stream(s, _TABLE.c.action == "cycle.present", _TABLE.c.entity == "report_cycle"):
        try:
            pair = json.loads(e.changes_text or "{}").get("snapshot_sha256")
        except (ValueError, AttributeError):
            continue
        if e.entity_id is not None and isinstance(pair, list) and len(pair) == 2 and pair[1]:
            recorded[e.entity_id] = (e.seq or 0, str(pair[1]))
    for c in s.execute(select(ReportCycle.id, ReportCycle.title, ReportCycle.snapshot_json,
                              ReportCycle.snapshot_sha256).where(ReportCycle.snapshot_json.is_not(None))):
        actual = hashlib.sha256(c.snapshot_json.encode("utf-8")).hexdigest()
        seq, expected = recorded.get(c.id, (None, None))
        if expected is None:
            verifier._break(None, None, f"report cycle {c.id} ({c.title}) has a presented snapshot but no audit "
                                        "entry records presenting it")
        elif actual != expected or c.snapshot_sha256 != expected:
            verifier._break(seq, None, f"the snapshot of report cycle {c.id} ({c.title}) no longer matches the "
                                       f"checksum recorded when it was presented (entry {seq:,}): it was edited "
                                       "afterwards")


def verify_trail(s: Session, extra_seals: Iterable[Seal] = (),
                 progress: Callable[[int], None] | None = None) -> Verdict:
    verifier = ChainVerifier(redactions(s), [*seals(s), *extra_seals])
    for n, entry in enumerate(stream(s), start=1):
        verifier.feed(entry)
        if progress is not None and n % 100_000 == 0:
            progress(n)
    verdict = verifier.finish(head(s))
    _snapshot_problems(s, verifier)
    return verdict


# -- redaction -------------------------------------------------------------------------------------


def value_pattern(value: str) -> re.Pattern[str]:
    """The value as typed, or with any spacing between its digits ("943 476 5919" = "943.476.5919")."""
    value = value.strip()
    if re.fullmatch(r"[\d\s.\-/\u00a0\u200b]+", value) and sum(ch.isdigit() for ch in value) >= 4:
        digits = [ch for ch in value if ch.isdigit()]
        sep = r"[\s.\-/\u00a0\u200b\u200c\u200d\u2060\ufeff]*"
        return re.compile(r"(?<!\d)" + sep.join(map(re.escape, digits)) + r"(?!\d)")
    return re.compile(re.escape(value), re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


def removed_hash(value: str) -> str:
    """A salted hash of the removed value: proves what was removed to someone who has it."""
    salt = secrets.token_hex(8)
    return f"sha256:{salt}:{hashlib.sha256((salt + value.strip()).encode('utf-8')).hexdigest()}"


@dataclass(frozen=True)
class RedactionResult:
    incident_fields: tuple[str, ...]
    audit_entries: tuple[int, ...]  # sequence numbers of the entries redacted
    storage_note: str


@dataclass(frozen=True)
class TrailStatus:
    entries: int
    intact: bool | None  # None: not checked (the role cannot read every entry)
    last_sealed: datetime | None
    message: str

    @property
    def text(self) -> str:
        sealed = (f", last sealed {self.last_sealed.day} {self.last_sealed:%b %Y}" if self.last_sealed
                  else ", never sealed")
        state = {True: "chain intact", False: "chain BROKEN", None: "chain not checked"}[self.intact]
        return f"{self.entries:,} entries, {state}{sealed}"


class AuditService:
    """``riskdesk audit verify``, the window's trail status, and redaction."""

    def __init__(self, ctx: Any) -> None:  # ServiceContext (typed loosely: base imports this module)
        self._ctx = ctx

    def _require_whole_trail(self, s: Session, actor: Actor) -> Any:
        user = self._ctx.require(s, actor, Permission.VIEW_AUDIT_TRAIL)
        if not allows(user.role, Permission.VIEW_INCIDENTS):
            raise PermissionDenied(
                f"{user.display_name} ({Role(user.role).label}) may not read every audit entry (entries about "
                "serious incidents are confidential), so cannot verify the whole trail. An administrator, "
                "internal audit or the public health lead can."
            )
        return user

    def verify(self, actor: Actor, seal: str | None = None,
               progress: Callable[[int], None] | None = None) -> Verdict:
        """Check the whole trail; ``seal`` is a printed seal to check it against as well."""
        extra = []
        if seal:
            try:
                extra.append(Seal.parse(seal, "the seal given"))
            except ValueError as exc:
                raise ValidationError("seal", seal, str(exc).split(": ", 1)[-1]) from exc
        with self._ctx.read() as s:
            self._require_whole_trail(s, actor)
            return verify_trail(s, extra, progress)

    def status(self, actor: Actor, *, check: bool = True) -> TrailStatus:
        """"12,345 entries, chain intact, last sealed 17 Nov 2023" for the audit trail view."""
        with self._ctx.read() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_AUDIT_TRAIL)
            current = head(s)
            last = s.scalar(select(AuditSeal.sealed_at).order_by(AuditSeal.id.desc()).limit(1))
            intact: bool | None = None
            message = "Only roles that may read every entry can check the chain."
            if check and allows(user.role, Permission.VIEW_INCIDENTS):
                verdict = verify_trail(s)
                intact, message = verdict.intact, verdict.message()
            return TrailStatus(current.seq, intact, last, message)

    def chain_head(self, actor: Actor) -> str:
        """The chain head as it stands, in its printed form (for the evidence pack's manifest)."""
        with self._ctx.read() as s:
            self._ctx.require(s, actor, Permission.VIEW_AUDIT_TRAIL)
            return head(s).text

    def seal_now(self, actor: Actor, reason: str = "sealed on request") -> Seal:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.PRESENT_CYCLE)
            return seal(s, user.login, reason)

    def redact_incident(self, actor: Actor, incident_id: int | str, value: str, reason: str) -> RedactionResult:
        """Remove ``value`` from an SI record and from every audit entry holding it. Administrator only.
        ``incident_id`` is the record's number, or its reference as the window shows it (SI-2025-001)."""
        value = (value or "").strip()
        reason = (reason or "").strip()
        if len(value) < 3:
            raise ValidationError("value to redact", value, "is too short: give the exact text to remove "
                                                            "(at least 3 characters)")
        if not reason:
            raise ValidationError("reason", "", "is needed: say why the value is removed (it is kept in the "
                                                "audit trail)")
        pattern = value_pattern(value)
        if pattern.search(reason):
            raise ValidationError("reason", "", "contains the value being removed; describe it instead")
        sqlite = self._ctx.db.is_sqlite
        with self._ctx.begin() as s:
            user = self._ctx.user(s, actor)
            if user.role != Role.ADMIN.value:
                raise PermissionDenied(f"{user.display_name} ({Role(user.role).label}) may not redact: only an "
                                       "administrator may remove data from a serious incident and the audit trail.")
            if sqlite:
                # Freed pages are zeroed, so the removed text does not linger in the file.
                s.execute(text("PRAGMA secure_delete = ON"))
            from riskdesk.models import SeriousIncident

            if isinstance(incident_id, str) and not incident_id.strip().isdigit():
                reference = incident_id.strip()
                incident = s.scalar(select(SeriousIncident).where(
                    func.upper(SeriousIncident.reference) == reference.upper()))
            else:
                incident = s.get(SeriousIncident, int(incident_id))
            if incident is None:
                raise NotFound(f"Serious incident {incident_id} does not exist (give its reference, as the "
                               "window shows it, e.g. SI-2025-001).")
            fields = self._scrub_incident(s, incident, pattern)
            entries = self._scrub_trail(s, user.login, pattern, value, reason, sqlite)
            if not fields and not entries:
                raise ValidationError("value", value, f"was not found in {incident.reference} or in the audit trail")
            hashed = removed_hash(value)
            record(s, user.login, "incident.redact", "serious_incident", incident.id, incident.reference,
                   {name: [hashed, REDACTED] for name in fields}
                   | {"audit entries": [None, [f"entry {n}" for n in entries]]}, reason)
        note = self._purge_storage() if sqlite else (
            "PostgreSQL keeps the old row versions until the tables are vacuumed; the next backup (pg_dump) holds "
            "only the redacted rows. Ask the database administrator to run VACUUM FULL serious_incident, "
            "audit_entry to remove them from the server's files.")
        return RedactionResult(tuple(fields), tuple(entries), note)

    @staticmethod
    def _scrub_incident(s: Session, incident: SeriousIncident, pattern: re.Pattern[str]) -> list[str]:
        from riskdesk.models import IncidentAction, IncidentExtension, IncidentReview

        changed: list[str] = []
        children: list[Any] = [incident]
        for model in (IncidentAction, IncidentReview, IncidentExtension):
            children.extend(s.scalars(select(model).where(model.incident_id == incident.id)))
        for obj in children:
            table = obj.__table__
            for column in table.columns:
                try:
                    is_text = column.type.python_type is str
                except NotImplementedError:
                    is_text = False
                if not is_text:
                    continue
                current = getattr(obj, column.key, None)
                if isinstance(current, str) and pattern.search(current):
                    setattr(obj, column.key, pattern.sub(REDACTED, current))
                    name = column.key if obj is incident else f"{table.name}.{column.key}"
                    changed.append(name)
        s.flush()
        return changed

    @staticmethod
    def _scrub_trail(s: Session, login: str, pattern: re.Pattern[str], value: str, reason: str,
                     sqlite: bool) -> list[int]:
        hits: list[tuple[StoredEntry, str, str, str]] = []
        for e in stream(s):
            label, note, raw = e.label or "", e.note or "", e.changes_text or "{}"
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
            if not (pattern.search(label) or pattern.search(note)
                    or (parsed is not None and json.dumps(_scrub(parsed, pattern)) != json.dumps(parsed))):
                continue
            new_changes = stored_json(_scrub(parsed, pattern)) if parsed is not None else raw
            hits.append((e, pattern.sub(REDACTED, label), pattern.sub(REDACTED, note), new_changes))
        done = []
        for e, label, note, new_changes in hits:
            before = content_digest(e.label, e.note, e.changes_text)
            after = content_digest(label, note, new_changes)
            # The authorisation goes into the chain first: the database refuses the update without it.
            record(s, login, REDACT_ACTION, "audit_entry", e.id, f"Audit entry {e.seq}",
                   {"content": [before, after], "removed": [removed_hash(value), REDACTED]}, reason)
            if sqlite:
                s.execute(update(_TABLE).where(_TABLE.c.id == e.id)
                          .values(label=label, note=note, changes=json.loads(new_changes)))
            else:
                s.execute(text("SELECT audit_redact_entry(:id, :label, :note, CAST(:changes AS json))"),
                          {"id": e.id, "label": label, "note": note, "changes": new_changes})
            done.append(e.seq or 0)
        return done

    def _purge_storage(self) -> str:
        """SQLite: rebuild the file and empty the WAL, so the removed bytes are gone from disk."""
        engine = self._ctx.db.engine
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return ("The database file was rebuilt (VACUUM) so the removed text is gone from it and from the next "
                "backup. Backups taken before now still hold it: destroy them under your retention policy.")


def verify_database(url: str) -> str | None:
    """Verify the trail of the database at ``url`` (a backup being restored); None when intact,
    otherwise what is wrong, naming the first entry where the chain breaks."""
    from riskdesk.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as s:
            verdict = verify_trail(s)
        return None if verdict.intact else verdict.message()
    finally:
        engine.dispose()
