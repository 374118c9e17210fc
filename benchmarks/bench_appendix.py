"""The committee appendix: the published register (29 risks) and a generated 1,000-risk register.

Goal (the issue's): the published appendix PDF in ≤ 1,000 ms, also end to end from the database; and
``riskdesk appendix`` of the published register from the command line ≤ 1.3× bare ReportLab.

* In a warm process, as the Reports page runs it: the appendix PDF (and Word) from a snapshot in
  memory, interleaved with its floor, ``floor(snapshot)``: a bare ReportLab table of the same rows
  (Paragraph cells, the report font, no styling), i.e. what any PDF of this content costs.
* End to end from the database (SQLite): the draft snapshot; draft snapshot + PDF; presenting
  (build, freeze, mark presented: irreversible, so each run presents a fresh copy of the database);
  reprinting the presented cycle (frozen JSON + PDF). The PDF cases alternate with the floor built
  from the same snapshot.
* From the command line, a fresh process, spawn → exit: ``riskdesk --database F appendix --out
  A.pdf`` on the published register (its draft cycle), against a fresh ``python -c`` that reads the
  same rows with one stdlib ``sqlite3`` SELECT and writes them as a bare ReportLab table in the same
  font (regular and bold faces registered) and column widths.

Each case runs ``RUNS`` times (≥ 7), interleaved with its floor, reported as median and spread. The
1,000-risk register (generated risks added to the published one) is measured end to end only, as info
rows, 3 runs each with no warm-up round (the process is warm by then; each PDF takes 6–9 s): the PDF
and Word builds from a snapshot against the bare ReportLab floor at scale are
``bench_report_scaling.py``'s (29 and 2,000 risks), which imports ``published_snapshot``,
``generated(n)`` and ``floor(snapshot)`` from here. ``BENCH_QUICK`` skips the 1,000-risk cases.
Data: the published register's fixture files and ``generated``'s deterministic text.

Run: ``python benchmarks/bench_appendix.py`` (or ``make bench BENCH=appendix``).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "reports"))

from harness import (  # noqa: E402
    FRESH_PROCESS_RUNS,
    INFO,
    QUICK,
    RUNS,
    BenchError,
    Goal,
    Row,
    Stat,
    compile_bytecode,
    errored,
    finish,
    interleave,
    isolate_this_process,
    isolated_env,
    judge,
    riskdesk_command,
    scratch,
    skipped,
    spawn_to_exit,
    timed_ms,
)
from published import published_snapshot  # noqa: E402

from riskdesk.domain.direction import Direction  # noqa: E402
from riskdesk.domain.scoring import Score  # noqa: E402
from riskdesk.domain.snapshot import RegisterSnapshot, ScoreLine, SnapshotCategory, SnapshotRisk  # noqa: E402

WORDS = ("council", "budget", "placement", "recruitment", "assessment", "capacity", "provider", "demand",
         "mitigation", "workstream", "funding", "statutory", "pressure", "partners", "review", "options")

#: The issue's goals.
PDF_GOAL = Goal(max_value=1000)
CLI_GOAL = Goal(max_ratio=1.3)
#: Runs of the 1,000-risk cases (6–9 s each): 3 keeps the whole benchmark near two minutes.
BIG_RUNS = min(RUNS, 3)
BIG = 1000


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


def _services(path: Path) -> tuple[object, object, int]:
    """Services on an existing database file, its actor and its newest cycle."""
    from riskdesk.db import Database
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services

    services = Services(Database.open(f"sqlite:///{path}", backup=False))
    actor = Actor("bench")
    return services, actor, next(c for c in services.cycles.list(actor) if not c.presented).id


# --- what is measured, and the rows it gives -----------------------------------------------------

#: (key, metric, goal, floor key, note); the metric's {n}/{big} are filled in by rows_from.
CASES: tuple[tuple[str, str, Goal, str | None, str], ...] = (
    ("pdf", "published register ({n} risks): appendix PDF from the snapshot (warm process, as the Reports page)",
     PDF_GOAL, "floor", "floor: bare ReportLab table of the same rows"),
    ("docx", "published register: appendix Word (.docx) from the snapshot", INFO, None, ""),
    ("e2e-snapshot", "published register: draft snapshot from the database", INFO, None, ""),
    ("e2e-pdf", "published register: draft snapshot + appendix PDF, end to end from the database", PDF_GOAL,
     "e2e-floor", "floor: bare ReportLab table of the same snapshot"),
    ("present", "published register: present the cycle (build, freeze, mark presented)", INFO, None,
     "each run on a fresh copy of the database"),
    ("reprint", "published register: presented cycle reprint (frozen JSON + PDF), end to end from the database",
     PDF_GOAL, "reprint-floor", "floor: bare ReportLab table of the same snapshot"),
    ("cli", "`riskdesk appendix --out F.pdf`, spawn → exit (published register, {n} risks)", CLI_GOAL, "cli-floor",
     "floor: a fresh python reading the same rows with one sqlite3 SELECT and writing them as a bare ReportLab "
     "table in the report font"),
    ("big-e2e-snapshot", "{big} risks: draft snapshot from the database", INFO, None, ""),
    ("big-e2e-pdf", "{big} risks: draft snapshot + appendix PDF, end to end from the database ({big_runs} runs)",
     INFO, None, ""),
    ("big-present", "{big} risks: present the cycle (build, freeze, mark presented; {big_runs} runs)", INFO, None,
     "each run on a fresh copy of the database"),
    ("big-reprint", "{big} risks: presented cycle reprint (frozen JSON + PDF), end to end ({big_runs} runs)", INFO,
     None, ""),
)


def rows_from(samples: Mapping[str, list[float]], *, risks: int = 29, big: int = BIG,
              notes: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None,
              missing: str = "not measured") -> list[Row]:
    """The verdict rows from the samples (milliseconds, by case key): a case with an error is an
    error row, a case not measured is skipped (``missing`` says why), the rest are judged."""
    notes, errors = notes or {}, errors or {}
    rows = []
    for key, metric, goal, floor_key, note in CASES:
        label = metric.format(n=risks, big=f"{big:,}", big_runs=BIG_RUNS)
        extra = "; ".join(x for x in (notes.get(key, ""), note) if x)
        if key in errors:
            rows.append(errored(label, goal, errors[key]))
        elif not samples.get(key):
            rows.append(skipped(label, goal, missing))
        else:
            floor_stat = Stat.of(samples[floor_key]) if floor_key and samples.get(floor_key) else None
            if floor_key and floor_stat is None and goal.max_ratio is not None:
                rows.append(errored(label, goal, "its floor was not measured"))
                continue
            rows.append(judge(label, goal, Stat.of(samples[key]), floor_stat, note=extra))
    return rows


# --- measuring ---------------------------------------------------------------------------------


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def in_memory(snap: RegisterSnapshot, prefix: str, runs: int, warm: int,
              notes: dict[str, str]) -> dict[str, list[float]]:
    from riskdesk.reports.appendix import write_appendix_pdf
    from riskdesk.reports.appendix_docx import write_appendix_docx

    last = io.BytesIO()

    def pdf() -> None:
        nonlocal last
        last = io.BytesIO()
        write_appendix_pdf(snap, last)

    out = interleave({"pdf": timed_ms(pdf), "floor": timed_ms(lambda: floor(snap)),
                      "docx": timed_ms(lambda: write_appendix_docx(snap, io.BytesIO()))}, runs=runs, warm=warm)
    notes[prefix + "pdf"] = f"{_pages(last.getvalue())} pages"
    return {prefix + k: v for k, v in out.items()}


def end_to_end(tmp: Path, extra: int, prefix: str, runs: int, warm: int) -> dict[str, list[float]]:
    """Database → snapshot → PDF, as the Reports page and `riskdesk appendix` run it; presenting;
    reprinting the presented cycle. Each present is on a fresh copy (presenting cannot be undone)."""
    draft = tmp / f"{prefix}draft.sqlite"
    services, actor, cycle_id = _db_with_published(draft, extra)
    cycles = services.cycles  # type: ignore[attr-defined]
    snap = cycles.preview_snapshot(actor, cycle_id)
    out = {prefix + k: v for k, v in interleave({
        "e2e-snapshot": timed_ms(lambda: cycles.preview_snapshot(actor, cycle_id)),
        "e2e-pdf": timed_ms(lambda: cycles.write_appendix(actor, cycle_id, io.BytesIO())),
        **({} if prefix else {"e2e-floor": timed_ms(lambda: floor(snap))}),
    }, runs=runs, warm=warm).items()}
    services.db.dispose()  # type: ignore[attr-defined]
    presented: list[float] = []
    for i in range(runs + warm):
        copy = tmp / f"{prefix}presented-{i}.sqlite"
        shutil.copyfile(draft, copy)
        s, a, c = _services(copy)
        took = timed_ms(lambda s=s, a=a, c=c: s.cycles.present(a, c))()  # type: ignore[attr-defined]
        if i >= warm:
            presented.append(took)
        if i < runs + warm - 1:
            s.db.dispose()  # type: ignore[attr-defined]
    out[prefix + "present"] = presented
    frozen = s.cycles.preview_snapshot(a, c)  # type: ignore[attr-defined]
    out.update({prefix + k: v for k, v in interleave({
        "reprint": timed_ms(lambda: s.cycles.write_appendix(a, c, io.BytesIO())),  # type: ignore[attr-defined]
        **({} if prefix else {"reprint-floor": timed_ms(lambda: floor(frozen))}),
    }, runs=runs, warm=warm).items()})
    s.db.dispose()  # type: ignore[attr-defined]
    return out


#: The appendix's rows (current Part A risks in category order, the latest assessment's scores, update
#: and direction) in one SELECT: what the command line's floor reads.
FLOOR_SELECT = (
    "SELECT r.ref, coalesce(r.departments_text, (SELECT group_concat(d.code, ', ') FROM risk_department rd "
    "JOIN department d ON d.id = rd.department_id WHERE rd.risk_id = r.id)), r.description, "
    "a.current_impact, a.current_likelihood, a.current_impact * a.current_likelihood, a.target_impact, "
    "a.target_likelihood, a.target_impact * a.target_likelihood, a.update_text, coalesce(a.direction_text, a.direction) "
    "FROM risk r JOIN category c ON c.id = r.category_id "
    "JOIN assessment a ON a.id = (SELECT max(x.id) FROM assessment x WHERE x.risk_id = r.id) "
    "WHERE r.status = 'current' AND NOT r.exempt ORDER BY c.position, r.id")

#: The command line's floor, run as ``python -c``: a fresh interpreter that reads the appendix's rows
#: (current Part A risks, the period's scores and update) with one sqlite3 SELECT and writes them as a
#: bare ReportLab table in the report font (regular and bold registered), the same column widths.
CLI_FLOOR = r"""
import json, sqlite3, sys
from xml.sax.saxutils import escape
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
db, out, fonts, widths = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
pdfmetrics.registerFont(TTFont("F", fonts + "/DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("FB", fonts + "/DejaVuSans-Bold.ttf"))
style = ParagraphStyle("b", fontName="F", fontSize=7.5, leading=9.2)
head = ParagraphStyle("h", fontName="FB", fontSize=7.5, leading=9.2)
def p(text, s=style):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), s)
rows = sqlite3.connect(db).execute(__SELECT__).fetchall()
table = [[p(h, head) for h in ("Ref", "Dept", "Risk", "I", "L", "S", "I", "L", "S", "Update", "Direction")]]
table += [[p(r[0]), p(r[1]), p(r[2]), *[str(v if v is not None else "") for v in r[3:9]], p(r[9]), p(r[10])]
          for r in rows]
doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28, bottomMargin=28)
doc.build([Table(table, colWidths=widths, repeatRows=1, splitInRow=1)])
print(len(rows))
""".replace("__SELECT__", repr(FLOOR_SELECT))


def command_line(tmp: Path, risks: int) -> dict[str, list[float]]:
    import adapter
    import datagen

    from riskdesk.reports.appendix import REGISTER_WIDTHS
    from riskdesk.reports.fonts import FONT_DIR

    db = tmp / "cli.sqlite"
    services, _, _ = _db_with_published(db)
    services.db.dispose()  # type: ignore[attr-defined]
    env = adapter.as_login(isolated_env(tmp / "cli", RISKDESK_NO_DEMO="1"), datagen.BENCH_LOGIN)
    cmd = [*riskdesk_command(), "--database", str(db), "appendix", "--out", str(tmp / "cli.pdf")]
    floor_cmd = [sys.executable, "-c", CLI_FLOOR, str(db), str(tmp / "cli-floor.pdf"), str(FONT_DIR),
                 json.dumps(list(REGISTER_WIDTHS))]
    listed = subprocess.run(floor_cmd, env=env, capture_output=True, text=True, check=False)
    if listed.returncode != 0 or listed.stdout.strip() != str(risks):
        raise BenchError(f"the floor read {listed.stdout.strip() or '?'} rows, not {risks}: {listed.stderr[-400:]}")
    return interleave({"cli": lambda: spawn_to_exit(cmd, env) * 1000, "cli-floor": lambda: spawn_to_exit(floor_cmd, env) * 1000},
                      runs=FRESH_PROCESS_RUNS)


def main() -> int:
    compile_bytecode()
    samples: dict[str, list[float]] = {}
    errors: dict[str, str] = {}
    notes: dict[str, str] = {}

    def block(keys: tuple[str, ...], fn: Callable[[], dict[str, list[float]]]) -> None:
        t = time.perf_counter()
        try:
            samples.update(fn())
        except Exception as exc:  # a block that cannot measure gives error rows, not a crash
            for k in keys:
                errors[k] = f"{type(exc).__name__}: {str(exc)[:300]}"
        print(f"measured {', '.join(keys)} in {time.perf_counter() - t:.0f} s", flush=True)

    with scratch() as tmp:
        isolate_this_process(tmp)
        published = published_snapshot()
        risks = len(published.risks())
        block(("pdf", "docx"), lambda: in_memory(published, "", RUNS, 1, notes))
        block(("e2e-snapshot", "e2e-pdf", "present", "reprint"), lambda: end_to_end(tmp, 0, "", RUNS, 1))
        block(("cli",), lambda: command_line(tmp, risks))
        if not QUICK:
            block(("big-e2e-snapshot", "big-e2e-pdf", "big-present", "big-reprint"),
                  lambda: end_to_end(tmp, BIG - risks, "big-", BIG_RUNS, 0))
    return finish(rows_from(samples, risks=risks, notes=notes, errors=errors,
                            missing="BENCH_QUICK: the 1,000-risk cases are skipped"))


if __name__ == "__main__":
    sys.exit(main())
