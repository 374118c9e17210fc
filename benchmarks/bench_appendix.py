"""Appendix timings: the published register and a generated 1,000-risk register.

Two paths: from a snapshot in memory (the report alone), and end to end from the database
(loader → report cycle → snapshot → PDF; presenting; reprinting a presented cycle).

Run: ``python benchmarks/bench_appendix.py``. Prints a table; asserts nothing. The
"floor" is a bare ReportLab table of the same rows (Paragraph cells, no styling, no
fonts beyond the report font), i.e. what any PDF of this content costs.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "reports"))

from published import published_snapshot  # noqa: E402

from riskdesk.domain.direction import Direction  # noqa: E402
from riskdesk.domain.scoring import Score  # noqa: E402
from riskdesk.domain.snapshot import RegisterSnapshot, ScoreLine, SnapshotCategory, SnapshotRisk  # noqa: E402

WORDS = ("council", "budget", "placement", "recruitment", "assessment", "capacity", "provider", "demand",
         "mitigation", "workstream", "funding", "statutory", "pressure", "partners", "review", "options")


def _text(n_words: int, seed: int) -> str:
    words = [WORDS[(seed * 31 + i * 7) % len(WORDS)] for i in range(n_words)]
    lines = [" ".join(words[i:i + 25]) + "." for i in range(0, n_words, 25)]
    return "\n".join(("• " + line) if k % 2 else line for k, line in enumerate(lines))


def generated(n: int = 1000) -> RegisterSnapshot:
    """``n`` risks in 10 categories, descriptions ~40 words, updates ~120 words."""
    base = published_snapshot()
    cats = []
    per = n // 10
    for c in range(10):
        risks = []
        for r in range(per):
            i = c * per + r
            cur = Score(1 + i % 5, 1 + (i // 5) % 5)
            tgt = Score(max(1, cur.impact - 1), max(1, cur.likelihood - 1)) if i % 7 else None
            risks.append(SnapshotRisk(
                risk_id=i, ref=f"{c + 1}.{r + 1}", departments=("CR",), departments_text="CR",
                description=_text(40, i), lines=(ScoreLine(cur, tgt),), update=_text(120, i + 1),
                direction=(Direction.LEVEL, Direction.DOWN, Direction.UP)[i % 3],
                direction_text="Expected to remain high/red",
            ))
        cats.append(SnapshotCategory(c + 1, f"Category {c + 1}", False, f"{c + 1}. Category {c + 1}", tuple(risks)))
    return replace(base, categories=tuple(cats))


def floor(snapshot: RegisterSnapshot) -> None:
    """The same rows as a bare ReportLab table: the cost of the content itself."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from riskdesk.reports.appendix import REGISTER_WIDTHS
    from riskdesk.reports.fonts import register_fonts
    from riskdesk.reports.text import to_markup

    style = ParagraphStyle("b", fontName=register_fonts(), fontSize=7.5, leading=9.2)
    rows = []
    for r in snapshot.risks():
        cur, tgt = r.lines[0].current, r.lines[0].target
        nums = [cur.impact, cur.likelihood, cur.score] + ([tgt.impact, tgt.likelihood, tgt.score] if tgt else [""] * 3)
        rows.append([Paragraph(to_markup(r.ref), style), Paragraph(to_markup(r.departments_text), style),
                     Paragraph(to_markup(r.description), style), *[str(n) for n in nums],
                     Paragraph(to_markup(r.update), style), Paragraph(to_markup(r.direction_text), style)])
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28,
                            bottomMargin=28)
    doc.build([Table([["h"] * 11, *rows], colWidths=list(REGISTER_WIDTHS), repeatRows=1, splitInRow=1)])


def _db_with_published(path: Path, extra: int = 0) -> tuple[object, object, int]:
    """A SQLite database holding the published register (and ``extra`` generated risks)."""
    from sqlalchemy import insert, select

    from riskdesk.db import Database
    from riskdesk.domain.register import Actor
    from riskdesk.models import Assessment, Category, Risk, RiskDepartment, SchemeVersion
    from riskdesk.services import Services

    db = Database.open(f"sqlite:///{path}", backup=False)
    services = Services(db)
    actor = Actor("bench")
    services.published.load(actor, ROOT / "tests" / "fixtures" / "crr-2023-11.json")
    if extra:
        with db.engine.begin() as conn:
            reg_id = conn.execute(select(Risk.register_id).limit(1)).scalar()
            cats = [c for c, in conn.execute(select(Category.id).where(Category.retired.is_(False)))]
            scheme_id = conn.execute(select(SchemeVersion.id)).scalar()
            first = (conn.execute(select(Risk.id).order_by(Risk.id.desc()).limit(1)).scalar() or 0) + 1
            conn.execute(insert(Risk), [
                {"id": first + i, "register_id": reg_id, "category_id": cats[i % len(cats)], "ref": f"X.{i + 1}",
                 "description": _text(40, i), "service_area": "", "status": "current", "exempt": False,
                 "version": 1} for i in range(extra)])
            dept = conn.execute(select(RiskDepartment.department_id).limit(1)).scalar()
            conn.execute(insert(RiskDepartment), [{"risk_id": first + i, "department_id": dept, "position": 0}
                                                  for i in range(extra)])
            conn.execute(insert(Assessment), [
                {"risk_id": first + i, "period": "2023Q3", "current_impact": 1 + i % 5,
                 "current_likelihood": 1 + (i // 5) % 5, "target_impact": 1, "target_likelihood": 1, "note": "",
                 "direction": "level", "update_text": _text(120, i + 1), "scheme_id": scheme_id,
                 "recorded_by": "bench", "version": 1} for i in range(extra)])
    cycle = next(c for c in services.cycles.list(actor) if not c.presented)
    return services, actor, cycle.id


def end_to_end(tmp: Path, extra: int) -> list[tuple[str, float, str]]:
    """Database → snapshot → PDF, as the Reports page and `riskdesk appendix` run it."""
    services, actor, cycle_id = _db_with_published(tmp / f"bench-{extra}.sqlite", extra)
    label = "published" if not extra else f"{29 + extra:,} risks"
    cycles = services.cycles  # type: ignore[attr-defined]
    rows = [
        (f"{label}: snapshot from the database (draft)",
         timed(lambda: cycles.preview_snapshot(actor, cycle_id), 3), ""),
        (f"{label}: draft snapshot + appendix PDF (end to end)",
         timed(lambda: cycles.write_appendix(actor, cycle_id, io.BytesIO()), 3 if not extra else 1), ""),
    ]
    t = time.perf_counter()
    cycles.present(actor, cycle_id)
    rows.append((f"{label}: present (build, freeze, mark presented)", time.perf_counter() - t, ""))
    rows.append((f"{label}: presented cycle reprint (JSON + PDF)",
                 timed(lambda: cycles.write_appendix(actor, cycle_id, io.BytesIO()), 3 if not extra else 1), ""))
    services.db.dispose()  # type: ignore[attr-defined]
    return rows


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    t = time.perf_counter()
    from riskdesk.reports.appendix import write_appendix_pdf
    from riskdesk.reports.appendix_docx import write_appendix_docx
    imports = time.perf_counter() - t

    published = published_snapshot()
    big = generated(1000)
    # Warm-up: font registration and parsing the TTFs happen once per process.
    write_appendix_pdf(published, io.BytesIO())

    def pages(snap: RegisterSnapshot) -> int:
        from pypdf import PdfReader

        buf = io.BytesIO()
        write_appendix_pdf(snap, buf)
        return len(PdfReader(io.BytesIO(buf.getvalue())).pages)

    rows = [
        ("import reports modules (reportlab, docx)", imports, ""),
        ("published (29 risks): appendix PDF", timed(lambda: write_appendix_pdf(published, io.BytesIO()), 3),
         f"{pages(published)} pages"),
        ("published: bare ReportLab table (floor)", timed(lambda: floor(published), 3), ""),
        ("published: appendix DOCX", timed(lambda: write_appendix_docx(published, io.BytesIO()), 3), ""),
        ("1,000 risks: appendix PDF", timed(lambda: write_appendix_pdf(big, io.BytesIO())), f"{pages(big)} pages"),
        ("1,000 risks: bare ReportLab table (floor)", timed(lambda: floor(big)), ""),
        ("1,000 risks: appendix DOCX", timed(lambda: write_appendix_docx(big, io.BytesIO())), ""),
    ]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        rows += end_to_end(Path(tmp), 0)
        rows += end_to_end(Path(tmp), 1000 - 29)
    width = max(len(name) for name, _, _ in rows)
    print(f"{'case':<{width}}  {'seconds':>8}  notes")
    print("-" * (width + 24))
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:>8.3f}  {note}")
    print("\ngoal: published appendix PDF <= 1 s, also end to end from the database")


if __name__ == "__main__":
    main()
