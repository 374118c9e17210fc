"""The evidence pack: complete, deterministic, and failing verification on any changed byte."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from riskdesk.cli import run
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.register import Actor
from riskdesk.services.evidence import verify_pack

FIXTURES = Path(__file__).parent.parent / "fixtures"
EXPECTED = ["appendix-A.pdf", "appendix-A.docx", "snapshot.json", "snapshot.csv", "movements.json",
            "audit-trail.csv", "hygiene.csv", "actions-on-time.csv", "manifest.json", "manifest.sha256"]


@pytest.fixture
def pack(published, admin, tmp_path) -> Path:
    cycle = published.cycles.resolve(admin, "latest")
    published.cycles.present(admin, cycle.id)
    out = tmp_path / "pack.zip"
    published.evidence.build(admin, "latest", out)
    return out


def test_pack_holds_every_part_and_a_manifest_of_digests(pack):
    zf = zipfile.ZipFile(pack)
    assert zf.namelist() == EXPECTED
    assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    manifest = json.loads(zf.read("manifest.json"))
    assert [f["name"] for f in manifest["files"]] == EXPECTED[:-2]
    assert manifest["cycle"]["status"] == "presented" and manifest["audit_trail"]["entries"] > 0
    assert "seal" in manifest["audit_trail"]  # empty until the audit chain provides one
    rows = list(csv.reader(io.StringIO(zf.read("snapshot.csv").decode("utf-8-sig"))))
    assert rows[0][:3] == ["category", "ref", "line"] and len(rows) > 20
    trail = list(csv.reader(io.StringIO(zf.read("audit-trail.csv").decode("utf-8-sig"))))
    assert any(r[2] == "cycle.present" for r in trail[1:]) or len(trail) - 1 == manifest["audit_trail"]["entries"]
    assert zf.read("appendix-A.pdf")[:5] == b"%PDF-" and zf.read("appendix-A.docx")[:2] == b"PK"
    assert verify_pack(pack).ok


def test_same_cycle_same_bytes(published, admin, pack, tmp_path):
    again = tmp_path / "again.zip"
    published.evidence.build(admin, "latest", again)
    assert again.read_bytes() == pack.read_bytes()


def test_verification_fails_on_any_changed_byte(pack, tmp_path):
    raw = pack.read_bytes()
    # Every byte of the manifest and its digest, and bytes spread across the whole zip (members and headers).
    zf = zipfile.ZipFile(pack)
    info = zf.getinfo("manifest.json")
    start = info.header_offset
    positions = sorted(set(range(start, len(raw))) | set(range(0, len(raw), max(1, len(raw) // 400))))
    undetected = 0
    bad = tmp_path / "bad.zip"
    for pos in positions:
        changed = bytearray(raw)
        changed[pos] ^= 0x01
        bad.write_bytes(bytes(changed))
        undetected += verify_pack(bad).ok
    print(f"{len(positions)} single-byte changes tried, {undetected} passed verification")
    assert undetected == 0


def test_internal_audit_may_build_a_pack_risk_owners_may_not(published, admin, tmp_path):
    published.registers.add_user(admin, "audit1", "Internal Audit", "auditor")
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    assert published.evidence.build(Actor("audit1"), "latest", tmp_path / "ia.zip").files
    assert verify_pack(tmp_path / "ia.zip").ok
    # Risk owners may export the register, but a pack is for the risk team and internal audit.
    with pytest.raises(PermissionDenied):
        published.evidence.build(Actor("owner1"), "latest", tmp_path / "no.zip")
    assert not (tmp_path / "no.zip").exists()


def test_cli_builds_and_verifies(db_url, tmp_path, capsys):
    assert run(["--database", db_url, "load-register", str(FIXTURES / "crr-2023-11.json")]) == 0
    out = tmp_path / "pack.zip"
    assert run(["--database", db_url, "evidence-pack", "--cycle", "latest", "--out", str(out)]) == 0
    assert "Evidence pack written to" in capsys.readouterr().out
    assert run(["evidence-pack", "verify", str(out)]) == 0
    assert "verified, 8 files match the manifest" in capsys.readouterr().out
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    out.write_bytes(bytes(raw))
    assert run(["evidence-pack", "verify", str(out)]) == 1
    assert "FAILED" in capsys.readouterr().err
