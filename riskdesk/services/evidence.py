"""The quarter's evidence pack: everything internal audit needs to show the appendix, the register
and the audit trail belong together, in one zip with a manifest of SHA-256 digests.

The zip is deterministic: members in a fixed order, stored (not deflated, so no zlib version
changes a byte), every timestamp fixed. ``verify`` re-reads every member against the manifest and
then rebuilds the zip from them: a changed byte anywhere, in a member or in the zip's own
headers, fails.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.hygiene import hygiene
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import RegisterSnapshot

if TYPE_CHECKING:
    from riskdesk.services import Services

#: Every member's date in the zip: fixed, so the same pack is the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
PACK_FORMAT = "riskdesk-evidence-pack/1"


@dataclass(frozen=True)
class PackResult:
    path: str
    files: tuple[tuple[str, int, str], ...]  # (name, bytes, sha256)
    audit_entries: int
    audit_seal: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    problems: tuple[str, ...]
    files: int


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _csv(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date | datetime) else v for v in row])
    return buf.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM without mangling ŵ or €


def _zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)
    return out.getvalue()


def _fixed_times(docx: bytes) -> bytes:
    """The Word file with its own zip members dated ZIP_TIME: python-docx stamps them with the
    time of writing, so the same appendix would otherwise differ byte for byte every time."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zf.writestr(fixed, src.read(info))
    return out.getvalue()


def _snapshot_rows(snapshot: RegisterSnapshot) -> list[list[Any]]:
    rows = []
    for cat in snapshot.categories:
        for r in cat.risks:
            for n, line in enumerate(r.lines, start=1):
                rows.append([cat.heading, r.ref, n, line.label, r.departments_text, r.description,
                             line.current.impact, line.current.likelihood, line.current.score,
                             line.target.impact if line.target else None,
                             line.target.likelihood if line.target else None,
                             line.target.score if line.target else None,
                             r.direction.value, r.direction_text, r.owner, "yes" if r.exempt else "no", r.update])
    return rows


class EvidenceService:
    """Builds and checks evidence packs; internal audit (read only) may build one."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._ctx = services.ctx
        #: The audit-chain head to seal the pack with; set where the audit-chain work provides one.
        self.seal_hook: Callable[[Actor], str] | None = None

    def build(self, actor: Actor, which: str | int, out: str | Path) -> PackResult:
        sv = self._services
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.EVIDENCE_PACK)
        cycle = sv.cycles.resolve(actor, which)
        snapshot = sv.cycles.preview_snapshot(actor, cycle.id)
        members: list[tuple[str, bytes]] = []
        for fmt in ("pdf", "docx"):
            buf = io.BytesIO()
            sv.cycles.write_appendix(actor, cycle.id, buf, fmt=fmt)
            data = buf.getvalue()
            members.append((f"appendix-A.{fmt}", _fixed_times(data) if fmt == "docx" else data))
        members.append(("snapshot.json", snapshot.to_json().encode("utf-8")))
        members.append(("snapshot.csv", _csv(
            ["category", "ref", "line", "line label", "departments", "description", "current impact",
             "current likelihood", "current score", "target impact", "target likelihood", "target score",
             "direction", "direction words", "owner", "exempt (Part B)", "update"], _snapshot_rows(snapshot))))
        moves = snapshot.movements
        members.append(("movements.json", json.dumps(
            None if moves is None else asdict(moves), ensure_ascii=False, indent=2, sort_keys=True,
            default=lambda v: v.isoformat() if isinstance(v, date | datetime) else getattr(v, "value", str(v)),
        ).encode("utf-8")))

        # The audit trail for the period: since the cycle before was presented, to this one's presentation.
        start = None
        if cycle.previous_id:
            prev = sv.cycles.get(actor, cycle.previous_id)
            start = prev.presented_at
        end = cycle.presented_at
        trail = [a for a in reversed(sv.risks.audit_trail(actor))
                 if (start is None or a.at > start) and (end is None or a.at <= end)]
        from riskdesk.services.exporting import audit_cells

        members.append(("audit-trail.csv", _csv(["when (UTC)", "who", "action", "entity", "entity id", "label",
                                                 "changes", "note"], (audit_cells(a) for a in trail))))
        members.append(("hygiene.csv", _csv(["list", "ref", "score", "owner"], self._hygiene(actor, cycle))))
        register, by_dept, by_risk = sv.governance.on_time_rates(actor, cycle.register_id, today=self._as_of(cycle))
        members.append(("actions-on-time.csv", _csv(
            ["scope", "name", "on time", "counted", "rate"],
            [[scope, r.label, r.on_time, r.counted, r.percent]
             for scope, rates in (("register", [register]), ("department", by_dept), ("risk", by_risk))
             for r in rates])))

        # A presented cycle's seal is frozen in its snapshot (the one its appendix prints), so the
        # same cycle always gives the same pack; a draft takes the trail's chain head as it stands.
        seal = snapshot.audit_seal or (self.seal_hook(actor) if self.seal_hook is not None else "")
        manifest = {
            "format": PACK_FORMAT,
            "register": cycle.register_name,
            "cycle": {"id": cycle.id, "meeting_date": cycle.meeting_date.isoformat(), "title": cycle.title,
                      "status": cycle.status, "period": cycle.period,
                      "presented_at": cycle.presented_at.isoformat() if cycle.presented_at else None,
                      "snapshot_sha256": cycle.snapshot_sha256},
            "audit_trail": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None,
                            "entries": len(trail), "first_id": trail[0].id if trail else None,
                            "last_id": trail[-1].id if trail else None, "seal": seal},
            "files": [{"name": n, "bytes": len(d), "sha256": _sha(d)} for n, d in members],
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        members.append((MANIFEST, manifest_bytes))
        members.append((MANIFEST_DIGEST, f"{_sha(manifest_bytes)}  {MANIFEST}\n".encode("ascii")))
        data = _zip(members)
        path = Path(out)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # never leave half a pack under the real name
        with self._ctx.begin() as s:
            user = self._ctx.user(s, actor)
            self._ctx.audit(s, user, "evidence.pack", "report_cycle", cycle.id, f"Evidence pack {path.name}",
                            {"sha256": [None, _sha(data)]}, note=str(path))
        return PackResult(str(path), tuple((f["name"], f["bytes"], f["sha256"]) for f in manifest["files"]),
                          len(trail), seal)

    @staticmethod
    def _as_of(cycle: Any) -> date:
        """Lists that depend on the day are worked out as of the presentation (today for a draft),
        so a presented cycle's pack comes out the same on any later day."""
        return cycle.presented_at.date() if cycle.presented_at else date.today()

    def _hygiene(self, actor: Actor, cycle: Any) -> list[list[Any]]:
        sv = self._services
        rows = sv.risks.list_risks(actor, cycle.register_id)
        report = hygiene(rows, sv.registers.current_period(actor).code, sv.scheme.current(actor).bands)
        out: list[list[Any]] = []
        for _, title, listed in report.sections():
            out += [[title, r.ref, r.score, r.owner_name] for r in listed]
        gov = sv.governance
        for title, listed_g in (
            ("Out of appetite", gov.out_of_appetite(actor, cycle.register_id)),
            ("At or below appetite for two quarters — candidate for removal",
             gov.removal_candidates(actor, cycle.register_id)),
            ("Review overdue", gov.overdue_reviews(actor, register_id=cycle.register_id, today=self._as_of(cycle))),
        ):
            out += [[title, r.ref, r.score, r.owner_name] for r in listed_g]
        return out


def verify_pack(path: str | Path) -> VerifyResult:
    """Check a pack: every file against the manifest, the manifest against its digest, the zip's bytes."""
    raw = Path(path).read_bytes()
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = zf.namelist()
        contents = {}
        for name in names:
            try:
                contents[name] = zf.read(name)
            # A changed byte can make a member fail its CRC, look encrypted, or use a method zipfile
            # does not know; each is a failed verification, never a traceback.
            except Exception as exc:
                problems.append(f"{name}: unreadable ({exc})")
    except Exception as exc:
        return VerifyResult(False, (f"not a readable zip: {exc}",), 0)
    manifest_bytes = contents.get(MANIFEST)
    if manifest_bytes is None:
        return VerifyResult(False, (*problems, f"{MANIFEST} is missing"), 0)
    digest = contents.get(MANIFEST_DIGEST, b"").decode("ascii", "replace").split()
    if not digest or digest[0] != _sha(manifest_bytes):
        problems.append(f"{MANIFEST} does not match {MANIFEST_DIGEST}")
    try:
        manifest = json.loads(manifest_bytes)
        files = manifest["files"]
    except (ValueError, KeyError, TypeError):
        return VerifyResult(False, (*problems, f"{MANIFEST} is not a riskdesk manifest"), 0)
    listed = [f.get("name") for f in files]
    for f in files:
        data = contents.get(f["name"])
        if data is None:
            problems.append(f"{f['name']}: listed in the manifest but missing")
        elif _sha(data) != f["sha256"] or len(data) != f["bytes"]:
            problems.append(f"{f['name']}: SHA-256 differs from the manifest")
    extra = sorted(set(names) - set(listed) - {MANIFEST, MANIFEST_DIGEST})
    problems += [f"{name}: not in the manifest" for name in extra]
    if not problems:
        expected = _zip([(n, contents[n]) for n in [*listed, MANIFEST, MANIFEST_DIGEST]])
        if expected != raw:
            problems.append("the zip's own bytes (headers, order or dates) differ from the pack as written")
    return VerifyResult(not problems, tuple(problems), len(listed))


def check_out_path(out: str | Path) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".zip":
        raise ValidationError("evidence pack", str(path), "must be a .zip file")
    return path
