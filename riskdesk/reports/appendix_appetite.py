"""The appetite mark the appendix prints (PDF and Word) when the council switches it on.

Appendix wording has a switch (issue 16): beside each current score above the risk category's
appetite (the maximum tolerable score the scheme sets) the appendix prints ▲, and a key line
under the register table says what it means. Whether the switch is on and each risk's appetite
are frozen in the snapshot, so a presented cycle reprints with the marks it was presented with.
With the switch off nothing here prints and the appendix is unchanged.

▲ (U+25B2) is in DejaVu Sans (the PDF font) and in Arial and its metric twin Liberation Sans
(the Word document's font), and the register and heat map already use it for "out of appetite".
"""

from __future__ import annotations

from riskdesk.domain.snapshot import RegisterSnapshot, SnapshotRisk

MARK = "▲"
KEY = "current risk score above the council's appetite for this category (the highest score it will tolerate)"


def marked(snapshot: RegisterSnapshot, risk: SnapshotRisk, score: int) -> bool:
    """True when the appendix marks ``score`` (one of ``risk``'s current scores)."""
    return snapshot.appetite_mark and risk.appetite_max is not None and score > risk.appetite_max


def key_line() -> str:
    """The key printed under the register table (like the department key: "▲ = …")."""
    return f"{MARK} = {KEY}"
