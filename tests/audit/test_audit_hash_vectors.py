"""The chain's hashes are fixed: entries hashed before any change to the code must verify after it."""

from __future__ import annotations

import hashlib
from datetime import datetime

from riskdesk.domain.audit_chain import CONTENT_TAG, ENTRY_TAG, GENESIS, content_digest, entry_hash

LABEL, NOTE, CHANGES = "Risk 1.1", "imported from reg.xlsx, sheet Register, row 2", '{"ref": [null, "1.1"]}'
ACCENTED = ("Risque £ – “é”", "nöte\n", '{"a": "\\u00e9"}')


def _canonical(tag: bytes, *parts: str) -> str:
    """The form the module docstring gives: tag, then ``<byte length>:<UTF-8 bytes>\\n`` per value."""
    body = b"".join(b"%d:%s\n" % (len(p.encode()), p.encode()) for p in parts)
    return hashlib.sha256(tag + body).hexdigest()


def test_content_digests_are_the_ones_recorded() -> None:
    assert content_digest(LABEL, NOTE, CHANGES) == "2a0973153204e106f0c0513c92ad8941ee261296b22074f23a8ec1d6a88ec960"
    empty = "42c996e894510125f058ff9a7e40fb8dffa413d012705b5b07f4a04b141dcf70"
    assert content_digest(None, None, None) == content_digest("", "", "") == empty
    assert content_digest(*ACCENTED) == "30c7be31b3284848c62efcf1db66f5f2ac06142af702a6c641ae35e77870649b"
    assert content_digest(*ACCENTED) == _canonical(CONTENT_TAG, *ACCENTED)


def test_entry_hashes_are_the_ones_recorded() -> None:
    digest = content_digest(LABEL, NOTE, CHANGES)
    first = entry_hash(1, datetime(2023, 11, 17, 9, 30, 0), "jane", "risk.import", "risk", 42, digest, GENESIS)
    assert first == "bf82333028685829cd16ef38ea564450021bb57fda7d6a56ddb6905fd50a49d8"
    assert first == _canonical(ENTRY_TAG, "1", "2023-11-17T09:30:00.000000", "jane", "risk.import", "risk", "42",
                               digest, GENESIS)
    late = entry_hash(12345, datetime(2024, 2, 29, 23, 59, 59, 999999), "Zoë", None, None, None, digest, "f" * 64)
    assert late == "6ff36ba2e69fac89a4b8d70b9ce1576769ff9cec46f38916d478d15d77d8743f"
    zero = entry_hash(7, datetime(2024, 1, 1), None, "register.import", "register", 0, content_digest(*ACCENTED),
                      "a" * 64)
    assert zero == "70816a284910054eeccfa7ee676b20834587ac5c9d232e8fd92187cf4008b23b"
