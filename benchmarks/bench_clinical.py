"""Time the clinical-audit log on a large generated history (plain script: prints a table).

Run: ``.venv/bin/python benchmarks/bench_clinical.py [audits]``. Goals: list and overview of
5,000 audits under 1 s each; sorting the audits table in Python under 0.2 s; the appendix PDF
for one year's audits (about 1,250) under 5 s.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from riskdesk.db import Database
from riskdesk.domain.clinical import ActionItem, AuditDraft, AuditStatus, PgdDraft, Rag
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def main(n: int = 5000) -> None:
    rnd = random.Random(3)
    folder = Path(tempfile.mkdtemp(prefix="bench-clinical-"))
    db = Database.open(f"sqlite:///{folder / 'b.sqlite'}", backup=False)
    s = Services(db)
    me = Actor("bench")
    services = []
    for p in range(8):
        prov = s.providers.add_provider(me, f"Provider {p} NHS Trust", f"P{p}")
        for k in range(3):
            services.append(s.providers.add_service(me, prov.id, f"Service {p}.{k}").id)
    quarters = [Quarter(2020 + i // 4, i % 4 + 1) for i in range(16)]
    timings: list[tuple[str, float]] = []
    t = time.perf_counter()
    for i in range(n):
        s.clinical.add_audit(me, AuditDraft(
            rnd.choice(services), rnd.choice(quarters), f"Audit {i} of BASHH guideline {rnd.randint(1, 99)}",
            standard_body="BASHH", status=AuditStatus.COMPLETE, rag=rnd.choice(list(Rag)),
            actions=(ActionItem("Act on findings", "Lead", date(2023, 1, 1) + timedelta(days=i % 400)),)))
    for i in range(200):
        s.clinical.add_pgd(me, PgdDraft(rnd.choice(services), f"PGD {i}", expiry=date(2024, 1, 1) + timedelta(days=i * 5)))
    timings.append((f"record {n} audits + 200 PGDs (one transaction each)", time.perf_counter() - t))
    t = time.perf_counter()
    audits = s.clinical.list_audits(me)
    timings.append((f"list_audits ({len(audits)} rows)", time.perf_counter() - t))
    t = time.perf_counter()
    s.clinical.overview(me, date(2024, 6, 1))
    timings.append(("overview (strip)", time.perf_counter() - t))
    t = time.perf_counter()
    appendix = s.clinical.audit_appendix(me, Quarter(2023, 1), Quarter(2023, 4))
    from riskdesk.reports.clinical_report import write_audit_appendix

    write_audit_appendix(folder / "a.pdf", appendix, today=date(2024, 6, 1))
    count = sum(len(g.audits) for g in appendix.groups)
    timings.append((f"appendix PDF, one year ({count} audits)", time.perf_counter() - t))

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from riskdesk.ui.clinical.table_models import AuditTableModel

    app = QApplication.instance() or QApplication([])
    model = AuditTableModel()
    model.set_rows(audits)
    t = time.perf_counter()
    model.sort(3, Qt.SortOrder.DescendingOrder)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    timings.append(("audits table: two sorts", time.perf_counter() - t))
    t = time.perf_counter()
    model.set_filter_text("bashh 42")
    timings.append((f"audits table: filter ({model.rowCount()} shown)", time.perf_counter() - t))
    del app
    db.dispose()
    width = max(len(k) for k, _ in timings)
    print(f"{'step':<{width}}  seconds")
    for k, v in timings:
        print(f"{k:<{width}}  {v:7.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
