"""The audit trail's hash chain: canonical form, hashing and verification (pure Python).

Each audit entry stores ``seq`` (1, 2, 3, … with no gaps), ``prev_hash`` (the hash of entry
``seq - 1``, or 64 zeros for the first) and ``hash``. The hash is SHA-256 over a canonical,
length-prefixed byte form of what is stored:

    "riskdesk-audit-v1\\n" + field(seq) + field(at) + field(user_login) + field(action)
        + field(entity) + field(entity_id) + field(content) + field(prev_hash)

where ``field(x)`` is ``<byte length>:<UTF-8 bytes>\\n`` (so no value can be shifted into its
neighbour), ``at`` is ``YYYY-MM-DDTHH:MM:SS.ffffff`` (always six fraction digits: SQLite and
PostgreSQL format timestamps differently, so the hash never depends on either), ``entity_id``
is the decimal number or empty, and ``content`` is the content digest:

    SHA-256("riskdesk-audit-content-v1\\n" + field(label) + field(note) + field(changes))

with ``changes`` the JSON text exactly as the database stores it (PostgreSQL ``json`` keeps
the text it was given; it is never re-serialised before hashing).

Splitting the free text into its own digest is what lets an administrator redact a value:
the redaction is a later, chained entry recording the content digest before and after, so
the verifier can accept the redacted text under the original chain hash, and only there.
Editing any text without such an entry changes the digest and breaks the chain.

The PostgreSQL trigger ``audit_entry_20_chain`` (migration 0009) computes exactly this in
plpgsql; ``tests/audit`` checks both give the same hashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

GENESIS = "0" * 64
ENTRY_TAG = b"riskdesk-audit-v1\n"
CONTENT_TAG = b"riskdesk-audit-content-v1\n"
#: The action of the entry that authorises a redaction of another entry's text.
REDACT_ACTION = "audit.redact"
REDACTED = "[redacted]"
#: The shortest hash prefix a printed seal may be checked with (64 bits).
MIN_SEAL_HEX = 16


#: The last timestamp formatted, and its text: the entries one transaction writes (an import's
#: thousands) share one timestamp object, formatted once.
_last_at: tuple[datetime | None, str] = (None, "")


def format_at(at: datetime) -> str:
    """The timestamp as it is hashed: naive UTC, microseconds always written."""
    global _last_at
    last, text = _last_at
    if at is not last:
        text = at.strftime("%Y-%m-%dT%H:%M:%S.%f")
        _last_at = (at, text)
    return text


def _fields(parts: tuple[str, ...]) -> bytes:
    """``field(p)`` (see above) of each of ``parts``, joined: formatted in one go rather than one
    value at a time (an import hashes ten thousand entries)."""
    args: list[int | bytes] = []
    for part in parts:
        raw = part.encode("utf-8")
        args += (len(raw), raw)
    return b"%d:%s\n" * len(parts) % tuple(args)


def content_digest(label: str | None, note: str | None, changes_text: str | None) -> str:
    """SHA-256 (hex) of the entry's free text: label, note and the stored JSON of its changes."""
    return hashlib.sha256(CONTENT_TAG + _fields((label or "", note or "", changes_text or ""))).hexdigest()


def entry_hash(seq: int, at: datetime, user_login: str | None, action: str | None, entity: str | None,
               entity_id: int | None, content: str, prev_hash: str) -> str:
    """The chain hash of one entry (hex)."""
    parts = (str(seq), format_at(at), user_login or "", action or "", entity or "",
             "" if entity_id is None else str(entity_id), content, prev_hash)
    return hashlib.sha256(ENTRY_TAG + _fields(parts)).hexdigest()


@dataclass(frozen=True)
class StoredEntry:
    """One audit entry as read back for verification (``changes_text`` is the raw stored JSON)."""

    id: int
    seq: int | None
    at: datetime | None
    user_login: str | None
    action: str | None
    entity: str | None
    entity_id: int | None
    label: str | None
    note: str | None
    changes_text: str | None
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class Seal:
    """The chain head at a moment: entry count and the hash of the last entry."""

    seq: int
    hash: str
    source: str = ""  # "report cycle 17 November 2023", "quarter close", "--seal"

    @property
    def text(self) -> str:
        """The printed form: ``12345-<first 32 hex digits>``."""
        return f"{self.seq}-{self.hash[:32]}"

    @classmethod
    def parse(cls, value: str, source: str = "--seal") -> Seal:
        """Read a printed seal (spaces, thousands separators and case do not matter)."""
        cleaned = re.sub(r"[\s,]", "", value).lower()
        cleaned = cleaned.removeprefix("auditseal").removeprefix(":")
        m = re.fullmatch(r"(\d+)[-:]([0-9a-f]+)", cleaned)
        if not m:
            raise ValueError(f"'{value}' is not an audit seal; a seal looks like 12345-3f2a9c1e7b6d0a44… "
                             "(the entry count, a dash, then hexadecimal digits)")
        if len(m.group(2)) < MIN_SEAL_HEX:
            raise ValueError(f"the seal '{value}' has too few hexadecimal digits: give at least {MIN_SEAL_HEX}")
        return cls(int(m.group(1)), m.group(2), source)


@dataclass(frozen=True)
class Redaction:
    """A chained authorisation: entry ``target_id``'s text went from digest ``before`` to ``after``."""

    seq: int
    target_id: int
    before: str
    after: str


@dataclass(frozen=True)
class Break:
    seq: int | None
    entry_id: int | None
    reason: str


@dataclass
class Verdict:
    entries: int = 0
    head: str = GENESIS
    breaks: list[Break] = field(default_factory=list)
    seals_checked: int = 0

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    def message(self) -> str:
        """One paragraph for a person: what was checked and, if broken, where."""
        seals = f", {self.seals_checked} seal(s) matched" if self.seals_checked else ""
        if self.intact:
            return (f"Audit trail intact: {self.entries:,} entries, chain head {self.entries}-{self.head[:32]}{seals}. "
                    "Every entry links to the one before it and none has been changed since it was written "
                    "(except by recorded redactions).")
        b = self.breaks[0]
        where = (f"entry {b.seq:,}" if b.seq is not None
                 else "an entry with no sequence number" if b.entry_id is not None else "the trail")
        more = f" ({len(self.breaks) - 1} further problem(s) after it.)" if len(self.breaks) > 1 else ""
        return (f"Audit trail BROKEN at {where}"
                + (f" (row id {b.entry_id})" if b.entry_id is not None else "")
                + f": {b.reason}. The trail cannot be trusted from that entry on; restore the database from a "
                  f"backup taken before it and ask the database administrator who changed the audit table."
                + more)


def redaction_from(entry: StoredEntry, changes: Mapping[str, object]) -> Redaction | None:
    """The authorisation a redaction entry carries, or None if it is not one."""
    if entry.action != REDACT_ACTION or entry.entity != "audit_entry" or entry.entity_id is None:
        return None
    pair = changes.get("content")
    if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(p, str) for p in pair):
        return None
    return Redaction(entry.seq or 0, entry.entity_id, str(pair[0]), str(pair[1]))


class ChainVerifier:
    """Feed entries in ``seq`` order; memory stays constant (apart from the redaction list)."""

    def __init__(self, redactions: Iterable[Redaction] = (), seals: Iterable[Seal] = (),
                 max_breaks: int = 20) -> None:
        self._redactions: dict[int, dict[str, Redaction]] = {}
        for r in redactions:
            self._redactions.setdefault(r.target_id, {})[r.after] = r
        self._seals: dict[int, list[Seal]] = {}
        for seal in seals:
            self._seals.setdefault(seal.seq, []).append(seal)
        self._max = max_breaks
        self.verdict = Verdict()
        self._expect = 1
        self._prev = GENESIS

    def _break(self, seq: int | None, entry_id: int | None, reason: str) -> None:
        if len(self.verdict.breaks) < self._max:
            self.verdict.breaks.append(Break(seq, entry_id, reason))

    def _original_content(self, e: StoredEntry, current: str) -> str:
        """Walk redactions back to the digest the entry was hashed with."""
        chain = self._redactions.get(e.id, {})
        digest, seen = current, set()
        while digest in chain and digest not in seen:
            seen.add(digest)
            r = chain[digest]
            if e.seq is not None and r.seq <= e.seq:
                break  # an authorisation must come after the entry it changes
            digest = r.before
        return digest

    def feed(self, e: StoredEntry) -> None:
        v = self.verdict
        if e.seq is None or e.hash is None or e.prev_hash is None or e.at is None:
            self._break(e.seq, e.id, "it has no place in the chain (no sequence number or hash): it was inserted "
                                     "while the chain trigger was off, or by hand")
            return
        if e.seq != self._expect:
            if e.seq > self._expect:
                missing = (f"entry {self._expect:,} is missing" if e.seq == self._expect + 1
                           else f"entries {self._expect:,} to {e.seq - 1:,} are missing")
                self._break(self._expect, None, f"{missing} (deleted, or the trail was reordered)")
            else:
                self._break(e.seq, e.id, f"it repeats sequence number {e.seq:,} (an inserted or copied entry)")
            self._expect = e.seq
        if e.prev_hash != self._prev:
            self._break(e.seq, e.id, "it does not link to the entry before it (an entry was inserted, deleted or "
                                     "moved here, or the chain was recomputed)")
        current = content_digest(e.label, e.note, e.changes_text)
        content = self._original_content(e, current)
        computed = entry_hash(e.seq, e.at, e.user_login, e.action, e.entity, e.entity_id, content, e.prev_hash)
        if computed != e.hash:
            self._break(e.seq, e.id, "its contents were changed after it was written (who, when, what or the text "
                                     "no longer match its hash, and no recorded redaction explains it)")
        for seal in self._seals.get(e.seq, ()):
            if not e.hash.startswith(seal.hash.lower()):
                self._break(e.seq, e.id, f"it does not match the seal {seal.text} ({seal.source}): the trail up to "
                                         "here was rewritten after it was sealed")
            else:
                v.seals_checked += 1
        # Carry on from what is stored, so one edit is reported once, not at every later entry.
        self._prev = e.hash
        self._expect = e.seq + 1
        v.entries += 1
        v.head = e.hash

    def finish(self, head: Seal | None = None) -> Verdict:
        """Close the check: the trail must reach the chain head and every seal."""
        v = self.verdict
        last = self._expect - 1
        if head is not None and (head.seq != last or (head.seq and head.hash != v.head)):
            if head.seq > last:
                self._break(last + 1, None, f"the trail ends at entry {last:,} but the chain head records "
                                            f"{head.seq:,} entries: entries were deleted from the end")
            else:
                self._break(head.seq, None, "the chain head does not match the last entry (the chain-head "
                                            "record was changed)")
        for seq, seals in sorted(self._seals.items()):
            if seq > last:
                for seal in seals:
                    self._break(last + 1, None, f"the trail ends at entry {last:,} but it was sealed at "
                                                f"{seal.text} ({seal.source}): it was truncated back past that seal")
        return v
