"""Complaints and the Ombudsman at 100,000 complaints and 20,000 Ombudsman cases (five years of a large
council): the lists as the user types, the window's memory, and the annual report from the command line.

    bench_complaints.py                                  the benchmark (parent)
    bench_complaints.py window URL LOGIN TEXT N          child: riskdesk's window (Complaints, then Ombudsman)
    bench_complaints.py floor complaints|ombudsman DB --type TEXT --repeat N
                                                         child: the bare QTableView floor over the same rows

riskdesk runs its real main window in a fresh child, opens the Complaints tab and waits for the list
(loaded in the background, as for a user); its peak memory (VmHWM, read by the parent while the child
holds) is the "window with 100,000 complaints listed". Keystrokes in each page's search box are real
key presses (then Backspace), timed until the table has painted the result (``child.type_and_time``:
any debounce, the filter and the repaint included). The floors are ``bare_qt_table.py``'s window over
the same rows read from the same file (its queries for these two lists are added here, so that file
stays as it is). The annual report is ``riskdesk casework-report complaints --year … --pdf F``, a
fresh process from spawn to exit, against a fresh interpreter that reads the same year's figures with
one GROUP BY per table through stdlib ``sqlite3`` and writes the same tables with bare ReportLab.

The database is generated from a seeded ``random.Random`` with explicit ids, dates and timestamps
(``complaints_tables``): the same seed gives the same rows. Clocks are the domain's own
(``stage_clock``), stored as the service stores them.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import datagen  # noqa: E402
from harness import (  # noqa: E402
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
    isolated_env,
    judge,
    ms,
    riskdesk_command,
    run_child,
    scratch,
    spawn_to_exit,
)

COUNT = 10_000 if QUICK else 100_000
CASES = 2_000 if QUICK else 20_000
#: The report year (April 2024 to March 2025): the fourth of the five generated years, so its prior
#: year and the five-year trend are all in the records.
YEAR = "24/25"
FIRST_FY = 2021  # complaints received from 1 April 2021 …
YEARS = 5  # … to 31 March 2026
#: Narrows step by step on both lists ("SEN and School Transport", "Public Transport"; the Ombudsman's
#: "Transport" service group).
TYPED = "transp"
CHILDREN = 1 if QUICK else 3
KEYS_PER_PASS = 2 * len(TYPED)
REPEAT = 1 if QUICK else max(1, -(-RUNS // (CHILDREN * KEYS_PER_PASS)))  # ≥ RUNS keystrokes in all
KEY_GOAL = Goal(max_value=50)
REPORT_GOAL = Goal(max_value=3000)
MIB_PER_MB = 1_000_000 / 1_048_576
MEMORY_GOAL = Goal(max_value=300 * MIB_PER_MB, unit="MiB")
COMPLAINTS_TAB, OMBUDSMAN_TAB = "Complaints", "Ombudsman"

DEPARTMENTS = (("E&T", "Environment and Transport"), ("CFS", "Children and Family Services"),
               ("A&C", "Adults and Communities"), ("CR", "Corporate Resources"), ("CEX", "Chief Executives"),
               ("PH", "Public Health"))
#: (service, department code, service group, weight): a large council's complaint mix.
SERVICES = (
    ("SENA", "CFS", "Education & SEND", 14), ("SEN and School Transport", "E&T", "Transport", 8),
    ("School Admissions", "CFS", "Education & SEND", 8), ("Highway Repair and Maintenance", "E&T", "Highways", 7),
    ("Public Transport", "E&T", "Transport", 3), ("Waste Management", "E&T", "Environment", 6),
    ("Grass Cutting", "E&T", "Highways", 4), ("Libraries", "A&C", "Communities", 3), ("Registrars", "CR", "", 2),
    ("Customer Service Centre", "CR", "", 4), ("Council Tax Support", "CR", "Finance", 5),
    ("Country Parks", "A&C", "Communities", 2), ("Public Health Nursing", "PH", "Public Health", 2),
    ("Complaints Team", "CEX", "", 1), ("Adult Social Care", "A&C", "Adult Social Care", 18),
    ("Children's Social Care", "CFS", "Children's Social Care", 7),
)
SUMMARY_WORDS = ("delay", "letter", "assessment", "bus", "route", "bin", "collection", "missed", "pothole", "repair",
                 "charge", "invoice", "care", "package", "visit", "phone", "call", "staff", "attitude", "decision",
                 "appeal", "plan", "review", "school", "place", "refund", "communication", "information")
HANDLERS = tuple(f"{first}. {last}" for first in "ABCDEFGH" for last in ("Khan", "Smith", "Patel", "Jones", "Brown"))
OMBUDSMAN_GROUPS = ("Education & SEND", "Transport", "Highways", "Adult Social Care", "Children's Social Care",
                    "Environment", "Finance", "")
DECISIONS = ("premature", "out_of_jurisdiction", "closed_no_further_action", "not_upheld_no_fault",
             "upheld_fault_injustice", "upheld_fault_no_injustice", "upheld_satisfactory_remedy")


# --- deterministic data --------------------------------------------------------------------------

@cache
def _clock(procedure: str, number: int, received: date, requested: date, rule_set: str) -> tuple[Any, ...]:
    """(ack due, base due, maximum) as the service stores them: the domain's own clock, cached per day."""
    from riskdesk.domain.complaints import Procedure, stage_clock

    ack, resp = stage_clock(Procedure(procedure), number, received_on=received, requested_on=requested,
                            acknowledged_on=None, rule_set_code=rule_set)
    return (ack.due if ack else None, resp.base_due, resp.maximum)


@cache
def _working_days_after(day: date, n: int) -> date:
    from riskdesk.domain.calendars import CalendarId, get

    return get(CalendarId.COMPLAINTS).add_working_days(day, n)


@cache
def _rule_set(procedure: str, received: date) -> str:
    from riskdesk.domain.complaints import Procedure, default_rule_set

    return default_rule_set(Procedure(procedure), received)


def complaints_tables(count: int, cases: int, seed: int = 13) -> datagen.Tables:
    """``count`` complaints (each with its contact and stages) over five financial years, a quarter as
    many enquiries, a twentieth as many compliments, and ``cases`` Ombudsman cases with their
    recommendations. Every id, date and timestamp explicit: the same seed gives the same rows."""
    from riskdesk.domain.complaints import EnquiryCategory

    rnd = random.Random(seed)
    stamp = datagen.STAMP
    t: datagen.Tables = {
        "app_user": [{"id": 1, "login": datagen.BENCH_LOGIN, "display_name": "Benchmark", "job_title": "",
                      "role": "admin", "active": True}],
        "department": [{"id": i + 1, "code": code, "name": name, "active": True}
                       for i, (code, name) in enumerate(DEPARTMENTS)],
        "complaint_service": [], "contact": [], "complaint": [], "complaint_stage": [], "compliment": [],
        "ombudsman_case": [], "ombudsman_recommendation": [],
    }
    dep_id = {code: i + 1 for i, (code, _n) in enumerate(DEPARTMENTS)}
    for i, (name, dep, group, _w) in enumerate(SERVICES):
        t["complaint_service"].append({
            "id": i + 1, "name": name, "department_id": dep_id[dep], "service_group": group,
            "exclude_from_top_services": name in ("Adult Social Care", "Children's Social Care"),
            "childrens_social_care": name == "Children's Social Care", "active": True})
    weights = [w for *_x, w in SERVICES]
    start = date(FIRST_FY, 4, 1)
    span = (date(FIRST_FY + YEARS, 3, 31) - start).days
    last_day = start + timedelta(days=span)
    refs: dict[str, int] = {}

    def ref(prefix: str, day: date) -> str:
        key = f"{prefix}-{day.year}"
        refs[key] = refs.get(key, 0) + 1
        return f"{key}-{refs[key]:06d}"

    contact_id = 0
    stage_id = 0
    for cid in range(1, count + 1):
        received = start + timedelta(days=(cid - 1) * span // count)
        s_index = rnd.choices(range(len(SERVICES)), weights)[0]
        name, dep, _group, _w = SERVICES[s_index]
        procedure = "asc" if name == "Adult Social Care" else "csc" if name == "Children's Social Care" \
            and rnd.random() < 0.6 else "corporate"
        summary = " ".join(rnd.choice(SUMMARY_WORDS) for _ in range(rnd.randint(4, 12)))
        contact_id += 1
        t["contact"].append({
            "id": contact_id, "reference": ref("CT", received), "kind": "complaint", "received_on": received,
            "logged_on": received, "received_at": None, "resolved_at": None, "channel": rnd.choice(("email", "phone",
                                                                                                     "web", "letter")),
            "enquiry_category": None, "department_id": dep_id[dep], "service_id": s_index + 1, "summary": summary,
            "complainant_id": None, "created_at": stamp, "version": 1})
        rule_set = _rule_set(procedure, received)
        # Older complaints are nearly all answered; the last weeks' are open.
        open_now = (last_day - received).days < 45 and rnd.random() < 0.7
        stages = 1 if procedure == "asc" else rnd.choices((1, 2, 3) if procedure == "csc" else (1, 2),
                                                          (85, 10, 5) if procedure == "csc" else (90, 10))[0]
        requested = received
        final = resolved = None
        handler = rnd.choice(HANDLERS)
        for number in range(1, stages + 1):
            ack_due, base_due, max_due = _clock(procedure, number, received, requested, rule_set)
            last = number == stages
            taken = None if (last and open_now) else max(1, int(rnd.gauss(12 if number == 1 else 18, 8)))
            responded = _working_days_after(requested, taken) if taken is not None else None
            outcome = rnd.choice(("fault_found", "fault_found", "not_upheld", "not_upheld", "not_upheld",
                                  "no_finding")) if responded else None
            stage_id += 1
            if number > 1:  # the Code: the Stage 2 handler is not the Stage 1 handler
                handler = HANDLERS[(HANDLERS.index(handler) + 7) % len(HANDLERS)]
            t["complaint_stage"].append({
                "id": stage_id, "complaint_id": cid, "number": number, "requested_on": requested,
                "acknowledged_on": None, "handler": handler, "responded_on": responded, "outcome": outcome,
                "ack_due": ack_due, "base_due": base_due, "due": base_due, "max_due": max_due, "days_taken": taken})
            final, resolved = outcome, responded
            if responded is None:
                break
            requested = responded + timedelta(days=rnd.randint(1, 20))
        t["complaint"].append({
            "id": cid, "reference": ref({"corporate": "CC", "asc": "AS", "csc": "CS"}[procedure], received),
            "contact_id": contact_id, "converted_from_id": None, "procedure": procedure, "rule_set": rule_set,
            "received_on": received, "issue_on": None, "aware_on": None, "acceptance": "accepted",
            "exclusion_reason": None, "exclusion_evidence": "", "out_of_time_reason": "",
            "department_id": dep_id[dep], "service_id": s_index + 1, "summary": summary, "safeguarding": False,
            "health_and_safety": False, "final_outcome": final, "resolved_on": resolved,
            "closed_on": resolved, "complainant_id": None, "went_to_ombudsman": False, "created_at": stamp,
            "updated_at": stamp, "version": 1})
    for n in range(count // 4):  # enquiries and service requests at the front door
        day = start + timedelta(days=n * span // max(1, count // 4))
        kind = "service_request" if n % 3 == 0 else "enquiry"
        category = (EnquiryCategory.SERVICE_REQUEST if kind == "service_request" else
                    rnd.choice((EnquiryCategory.INFORMAL, EnquiryCategory.ADVICE, EnquiryCategory.REDRESS))).value
        contact_id += 1
        t["contact"].append({
            "id": contact_id, "reference": ref("CT", day), "kind": kind, "received_on": day, "logged_on": day,
            "received_at": None, "resolved_at": None, "channel": "phone", "enquiry_category": category,
            "department_id": None, "service_id": rnd.randint(1, len(SERVICES)), "summary": "",
            "complainant_id": None, "created_at": stamp, "version": 1})
    for n in range(count // 20):
        day = start + timedelta(days=n * span // max(1, count // 20))
        sid = rnd.randint(1, len(SERVICES))
        contact_id += 1
        text = f"Thank you to the {SERVICES[sid - 1][0].lower()} staff."
        t["contact"].append({
            "id": contact_id, "reference": ref("CT", day), "kind": "compliment", "received_on": day,
            "logged_on": day, "received_at": None, "resolved_at": None, "channel": "email", "enquiry_category": None,
            "department_id": dep_id[SERVICES[sid - 1][1]], "service_id": sid, "summary": text,
            "complainant_id": None, "created_at": stamp, "version": 1})
        t["compliment"].append({
            "id": n + 1, "contact_id": contact_id, "logged_on": day, "department_id": dep_id[SERVICES[sid - 1][1]],
            "service_id": sid, "text": text, "publish_fy": None})
    rec_id = 0
    for n in range(1, cases + 1):
        first = start + timedelta(days=(n - 1) * span // cases)
        reply_due = first + timedelta(days=28)
        replied = None if (last_day - first).days < 40 and rnd.random() < 0.5 else \
            first + timedelta(days=rnd.randint(10, 35))
        decided = first + timedelta(days=rnd.randint(40, 200))
        decision = rnd.choice(DECISIONS) if decided < last_day else None
        t["ombudsman_case"].append({
            "id": n, "reference": f"{first.year % 100:02d} {n // 1000:03d} {n % 1000:03d}",
            "department": rnd.choice(DEPARTMENTS)[0], "service_group": rnd.choice(OMBUDSMAN_GROUPS),
            "procedure": rnd.choice(("corporate", "corporate", "corporate", "asc", "csc")),
            "complaint_ref": t["complaint"][rnd.randrange(count)]["reference"],
            "summary": " ".join(rnd.choice(SUMMARY_WORDS) for _ in range(6)), "logged_on": first,
            "first_enquiry_on": first, "response_due_on": reply_due, "reply_due_on": reply_due,
            "responded_on": replied, "early_resolution_offered_on": None, "decision": decision,
            "final_decision_on": decided if decision else None, "investigated": bool(decision and "upheld" in decision),
            "public_report_on": None, "created_at": stamp, "updated_at": stamp, "version": 1})
        contact_id += 1  # the front door logs the Ombudsman's enquiry too (the report's contact table)
        t["contact"].append({
            "id": contact_id, "reference": ref("CT", first), "kind": "lgsco", "received_on": first,
            "logged_on": first, "received_at": None, "resolved_at": None, "channel": "letter",
            "enquiry_category": None, "department_id": None, "service_id": None, "summary": "",
            "complainant_id": None, "created_at": stamp, "version": 1})
        if decision and decision.startswith("upheld"):
            rec_id += 1
            due = decided + timedelta(days=30)
            t["ombudsman_recommendation"].append({
                "id": rec_id, "case_id": n, "kind": "personal_remedy", "text": "Apologise and pay £300",
                "due_on": due, "completed_on": due - timedelta(days=3) if due < last_day - timedelta(days=60) else None})
    return t


# --- the floors --------------------------------------------------------------------------------

#: What each riskdesk list shows, read with one ordered SELECT (added to bare_qt_table's queries).
FLOOR_QUERIES = {
    "complaints": """
        SELECT c.reference, c.procedure, c.received_on, d.code, s.name, st.number, st.handler, st.due,
               c.final_outcome, c.summary
        FROM complaint c
        JOIN complaint_stage st ON st.complaint_id = c.id
             AND st.number = (SELECT max(x.number) FROM complaint_stage x WHERE x.complaint_id = c.id)
        LEFT JOIN department d ON d.id = c.department_id
        LEFT JOIN complaint_service s ON s.id = c.service_id
        ORDER BY c.received_on DESC, c.id DESC""",
    "ombudsman": """
        SELECT o.reference, o.department, o.first_enquiry_on, o.reply_due_on, o.responded_on, o.decision,
               o.final_decision_on, (SELECT count(*) FROM ombudsman_recommendation r
                                     WHERE r.case_id = o.id AND r.completed_on IS NULL),
               o.complaint_ref, o.service_group
        FROM ombudsman_case o ORDER BY o.first_enquiry_on DESC, o.id DESC""",
}

#: The report's floor, run as ``python -c``: a fresh interpreter that reads the year's figures with one
#: GROUP BY per table (stdlib sqlite3) and writes tables of the same shape with bare ReportLab.
REPORT_FLOOR = r"""
import sqlite3, sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
db, out, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
conn = sqlite3.connect(db)
def year(y):
    a, b = f"{y}-04-01", f"{y + 1}-03-31"
    q = conn.execute
    return [
        q("SELECT kind, count(*) FROM contact WHERE logged_on BETWEEN ? AND ? GROUP BY kind", (a, b)).fetchall(),
        q("SELECT d.code, count(*) FROM complaint c JOIN department d ON d.id = c.department_id "
          "WHERE received_on BETWEEN ? AND ? GROUP BY d.code", (a, b)).fetchall(),
        q("SELECT s.name, count(*) n FROM complaint c JOIN complaint_service s ON s.id = c.service_id "
          "WHERE c.procedure = 'corporate' AND received_on BETWEEN ? AND ? GROUP BY s.name ORDER BY n DESC LIMIT 5",
          (a, b)).fetchall(),
        q("SELECT st.number, st.days_taken <= 10, st.days_taken <= 20, st.days_taken <= 40, st.outcome, count(*) "
          "FROM complaint_stage st JOIN complaint c ON c.id = st.complaint_id WHERE c.procedure = 'corporate' "
          "AND st.responded_on BETWEEN ? AND ? GROUP BY 1, 2, 3, 4, 5", (a, b)).fetchall(),
    ]
tables = year(start) + year(start - 1)
tables.append(conn.execute("SELECT substr(received_on, 1, 4), count(*) FROM complaint "
                           "WHERE procedure = 'corporate' GROUP BY 1").fetchall())
styles = getSampleStyleSheet()
story = [Paragraph("Corporate Complaints and Compliments Annual Report", styles["Title"])]
for rows in tables:
    story.append(Table([[Paragraph(str(v), styles["Normal"]) for v in r] for r in rows] or [[""]]))
SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
"""


# --- the children ------------------------------------------------------------------------------

def _open_tab(window: Any, title: str) -> Any:
    """Show the tab titled ``title`` (built on first show, loading its list as it does for a user)."""
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i).replace("&", "") == title:
            window.tabs.setCurrentIndex(i)
            break
    return window.page(title)


def window_child(url: str, login: str, text: str, repeat: int) -> int:
    """riskdesk's window: the complaints listed (hold: memory), typed into; then the Ombudsman list."""
    import adapter
    from app_child import wait_until
    from child import hold, mark, settle, type_and_time, value
    from PySide6.QtWidgets import QApplication

    _qt = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive for the window
    window = adapter.open_window(url, login)
    page = _open_tab(window, COMPLAINTS_TAB)
    wait_until(lambda: page.table.model().rowCount() > 0)
    page.table.viewport().repaint()
    settle(100)
    mark("rows-painted")
    value("rows", page.table.model().rowCount())
    hold()
    for _ in range(repeat):
        type_and_time(page.search_edit, page.table.model(), page.table.viewport(), text, "complaints-key")
    ombudsman = _open_tab(window, OMBUDSMAN_TAB)
    wait_until(lambda: ombudsman.table.model().rowCount() > 0)
    ombudsman.table.viewport().repaint()
    settle(100)
    value("cases", ombudsman.table.model().rowCount())
    for _ in range(repeat):
        type_and_time(ombudsman.search_edit, ombudsman.table.model(), ombudsman.table.viewport(), text,
                      "ombudsman-key")
    hold()
    return 0


def floor_child(argv: list[str]) -> int:
    import bare_qt_table

    bare_qt_table.QUERIES.update(FLOOR_QUERIES)
    sys.argv = [sys.argv[0], *argv]
    bare_qt_table.main()
    return 0


# --- the benchmark -----------------------------------------------------------------------------

def _keys(runs: list, name: str) -> list[float]:
    return [v for r in runs for v in r.values.get(name, [])]


def main() -> int:
    import adapter

    compile_bytecode()
    results: list[Row] = []
    me = str(Path(__file__).resolve())
    with scratch() as tmp:
        env = adapter.as_login(isolated_env(tmp, RISKDESK_NO_DEMO="1"), datagen.BENCH_LOGIN)
        db = tmp / "complaints.sqlite"
        t0 = time.perf_counter()
        datagen.create(f"sqlite:///{db}", complaints_tables(COUNT, CASES))
        print(f"generated {COUNT:,} complaints and {CASES:,} Ombudsman cases in {time.perf_counter() - t0:.0f} s",
              flush=True)
        url = f"sqlite:///{db}"
        cases = {
            "riskdesk": lambda: run_child([sys.executable, me, "window", url, datagen.BENCH_LOGIN, TYPED,
                                           str(REPEAT)], env, marks=("rows-painted",), timeout=1200),
            "floor-complaints": lambda: run_child([sys.executable, me, "floor", "complaints", str(db), "--type",
                                                   TYPED, "--repeat", str(REPEAT)], env, marks=("rows-painted",),
                                                  timeout=900),
            "floor-ombudsman": lambda: run_child([sys.executable, me, "floor", "ombudsman", str(db), "--type",
                                                  TYPED, "--repeat", str(REPEAT)], env, marks=("rows-painted",),
                                                 timeout=900),
        }
        try:
            runs = interleave(cases, runs=CHILDREN, warm=0)
        except BenchError as exc:
            results.append(errored(f"complaints and Ombudsman lists ({COUNT:,} / {CASES:,})", INFO, str(exc)[:300]))
            runs = {}
        if runs:
            app = runs["riskdesk"]
            listed = int(app[0].values.get("rows", [0])[0])
            shown = int(app[0].values.get("cases", [0])[0])
            note = f"{listed:,} rows listed; " if listed != COUNT else ""
            results.append(judge(f"peak memory, window with {COUNT:,} complaints listed", MEMORY_GOAL,
                                 Stat.of([r.hwm_mib[0] for r in app]),
                                 Stat.of([r.hwm_mib[0] for r in runs["floor-complaints"]]),
                                 note=note + "goal 300 MB = 286 MiB, VmHWM of each child; floor: bare table of "
                                             "the same complaints"))
            results.append(judge(f"peak memory after both lists typed into (+ {CASES:,} Ombudsman cases)", Goal(unit="MiB"),
                                 Stat.of([r.hwm_mib[1] for r in app]), note="for the record"))
            for label, name, floor in (
                (f"complaints search keystroke → filtered table painted ({COUNT:,} complaints)", "complaints-key",
                 "floor-complaints"),
                (f"Ombudsman search keystroke → filtered table painted ({CASES:,} cases"
                 + (f", {shown:,} listed" if shown != CASES else "") + ")", "ombudsman-key", "floor-ombudsman"),
            ):
                a, f = _keys(app, name), _keys(runs[floor], "keystroke")
                results.append(judge(label, KEY_GOAL, Stat.of(a), Stat.of(f),
                                     note=f"real key presses typing and erasing “{TYPED}”; floor: bare QTableView "
                                          "filtering the same rows") if a and f
                               else errored(label, KEY_GOAL, "no keystroke changed the table"))

        out = tmp / "report.pdf"
        report = [*riskdesk_command(), "--database", str(db), "casework-report", "complaints", "--year", YEAR,
                  "--pdf", str(out)]
        floor = [sys.executable, "-c", REPORT_FLOOR, str(db), str(tmp / "floor.pdf"), str(2000 + int(YEAR[:2]))]
        label = f"`casework-report complaints --year {YEAR} --pdf`, spawn → exit ({COUNT:,} complaints)"
        try:
            timings = interleave({"riskdesk": lambda: spawn_to_exit(report, env), "floor": lambda: spawn_to_exit(floor, env)})
            results.append(judge(label, REPORT_GOAL, ms(timings["riskdesk"]), ms(timings["floor"]),
                                 note="floor: a fresh python reading the year's figures with sqlite3 GROUP BYs and "
                                      "writing the same tables with bare ReportLab"))
        except BenchError as exc:
            results.append(errored(label, REPORT_GOAL, str(exc)[:300]))
    return finish(results)


if __name__ == "__main__":
    if sys.argv[1:2] == ["window"]:
        sys.exit(window_child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
    if sys.argv[1:2] == ["floor"]:
        sys.exit(floor_child(sys.argv[2:]))
    sys.exit(main())
