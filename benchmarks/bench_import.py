"""Time the import and export core on a 10,000-row register (plain script: prints a table).

Run: ``.venv/bin/python benchmarks/bench_import.py [rows]``. Goals: read + prepare under 3 s, and
the whole import through the service (read, prepare, check against the database, write in one
transaction) under 3 s.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from riskdesk.domain.direction import Direction
from riskdesk.domain.scoring import Score
from riskdesk.io.export import export_rows
from riskdesk.io.mapping import detect_header_rows, guess_mapping, header_names
from riskdesk.io.prepare import ImportedRisk, prepare_import
from riskdesk.io.readers import read_workbook
from riskdesk.io.register import REGISTER_COLUMNS, register_row

OWNERS = ("Jane Doe", "Sam Smith", "Carol Pilson", "Peter Catchpole")
DEPTS = ("CR", "A&C", "C&FS", "E&T", "PH", "CE")


def _risks(n: int) -> list[ImportedRisk]:
    rnd = random.Random(7)
    words = ["risk", "council", "budget", "demand", "service", "staff", "funding", "delivery", "contract", "data", "cyber", "flood"]
    out = []
    for i in range(n):
        c, t = Score(rnd.randint(1, 5), rnd.randint(1, 5)), Score(rnd.randint(1, 5), rnd.randint(1, 5))
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 120)))
        out.append(ImportedRisk(
            row=i + 2, ref=f"{i // 100}.{i % 100}", description=text[:300], category="Finance",
            departments=tuple(rnd.sample(DEPTS, 2)), owners=(rnd.choice(OWNERS),), current=c, target=t,
            inherent=Score(5, 5), current_stated_score=c.score, target_stated_score=t.score,
            inherent_stated_score=25, direction=rnd.choice(list(Direction)), update=text,
            mitigation="• " + text[:120], actions="=" + text[:60], comments="",
        ))
    return out


class Seconds(float):
    """Wall-clock seconds that also carry the CPU seconds of this process (steadier on a busy machine)."""

    cpu: float = 0.0

    def __new__(cls, wall: float, cpu: float) -> Seconds:
        obj = super().__new__(cls, wall)
        obj.cpu = cpu
        return obj

    def __add__(self, other: object) -> Seconds:
        return Seconds(float(self) + float(other), self.cpu + getattr(other, "cpu", 0.0))  # type: ignore[arg-type]


def _time(fn):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return Seconds(time.perf_counter() - start, time.process_time() - cpu), result


def _service_import(xlsx: Path, n: int) -> list[tuple[str, float]]:
    """The whole import as the wizard and ``riskdesk import`` run it, on a fresh SQLite database."""
    from riskdesk.db import Database
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", backup=False)
        try:
            services, actor = Services(db), Actor("bench")
            register = services.registers.create_register(actor, "Corporate Risk Register", "corporate")
            sheet = read_workbook(xlsx).sheet()
            mapping = guess_mapping(header_names(sheet.grid, *detect_header_rows(sheet.grid)))
            services.importing._cached = None  # time a cold read, as for a file just chosen
            t_preview, prepared = _time(lambda: services.importing.preview(
                actor, xlsx, mapping, register_id=register.id, create_departments=True, create_owners=True))
            assert prepared.ok and len(prepared.to_import) == n
            t_apply, result = _time(lambda: services.importing.apply(
                actor, prepared, register_id=register.id, create_departments=True, create_owners=True))
            assert result.risks == n
        finally:
            db.dispose()
    return [
        (f"service preview of {n:,} rows (read + prepare + database checks)", t_preview),
        (f"service apply of {n:,} rows (one transaction, with history and audit)", t_apply),
        ("TOTAL service import, preview + apply (goal < 3 s)", t_preview + t_apply),
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    risks = _risks(n)
    rows = [register_row(r) for r in risks]
    results: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        xlsx, csv_path = Path(tmp) / "register.xlsx", Path(tmp) / "register.csv"
        results.append((f"export {n:,} rows to xlsx (openpyxl write-only)",
                        _time(lambda: export_rows(xlsx, REGISTER_COLUMNS, rows))[0]))
        results.append((f"export {n:,} rows to csv", _time(lambda: export_rows(csv_path, REGISTER_COLUMNS, rows))[0]))

        import pandas as pd  # outside the timings: the app pays this once, lazily

        t_openpyxl, _ = _time(lambda: pd.read_excel(xlsx, sheet_name=None, header=None, dtype=object,
                                                    keep_default_na=False, engine="openpyxl"))
        t_read, book = _time(lambda: read_workbook(xlsx))
        sheet = book.sheet()

        def prepare():
            start, count = detect_header_rows(sheet.grid)
            mapping = guess_mapping(header_names(sheet.grid, start, count, sheet.merges))
            return prepare_import(sheet, mapping, known_departments=DEPTS, known_owners=OWNERS)

        t_prepare, prepared = _time(prepare)
        assert len(prepared.rows) == n and prepared.ok  # sanity, not a benchmark assertion
        t_csv_read, csv_book = _time(lambda: read_workbook(csv_path))
        t_csv_prep, _ = _time(lambda: prepare_import(csv_book.sheet(), guess_mapping(header_names(
            csv_book.sheet().grid, 0, 1))))
        results += _service_import(xlsx, n)
        results += [
            ("read xlsx with pandas + openpyxl engine (comparison)", t_openpyxl),
            ("read xlsx with read_workbook (pandas + calamine)", t_read),
            ("guess mapping + prepare_import", t_prepare),
            ("TOTAL xlsx read + prepare (goal < 3 s)", t_read + t_prepare),
            ("read csv with read_workbook", t_csv_read),
            ("csv guess mapping + prepare_import", t_csv_prep),
        ]
    width = max(len(name) for name, _ in results)
    print(f"{'step':<{width}}  seconds  cpu s")
    print(f"{'-' * width}  -------  -----")
    for name, seconds in results:
        print(f"{name:<{width}}  {seconds:7.2f}  {getattr(seconds, 'cpu', float('nan')):5.2f}")


if __name__ == "__main__":
    main()
