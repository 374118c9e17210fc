"""The shared measuring harness for ``make bench``.

Every benchmark measures what a user waits for, end to end, against a floor (the least any program
doing the same job here could cost) measured in the same run: the two are interleaved so a busy
moment on the shared machine weighs on both alike, each at least ``RUNS`` times, and reported as
median and spread. Memory is the child's own peak (``VmHWM`` from ``/proc/<pid>/status``, read while
the child is still alive), never ``wait4().ru_maxrss``, which reports the parent's size when that is
larger.

A benchmark collects :class:`Row` objects and calls :func:`finish`, which prints them, appends them
to the file named by ``BENCH_ROWS`` (``run.py`` gathers them into ``RESULTS.md``) and returns the
exit status: non-zero when any goal is missed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Small sizes and few runs, to check that a benchmark works; the numbers then mean little.
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
#: Interleaved runs per case: at least 7 for a median worth the name.
RUNS = int(os.environ.get("BENCH_RUNS", "3" if QUICK else "7"))
#: Runs per case where each run is a fresh process (start-up, a command): a fresh process's time on
#: this shared 2-core machine varies by a third from run to run (the bare window alone: 138–244 ms
#: in twenty runs in a row; the command-line appendix's floor 327–488 ms in seven), so 15.
FRESH_PROCESS_RUNS = RUNS if QUICK else max(RUNS, 15)

ROOT = Path(__file__).resolve().parent.parent
HOLD = "hold"  # a child prints this, then waits on stdin so its /proc entry can be read


class BenchError(RuntimeError):
    """A benchmark could not measure (a child failed, never printed a mark, or timed out)."""


# --- goals and verdicts -------------------------------------------------------------------------

@dataclass(frozen=True)
class Goal:
    """What a metric must meet: an absolute ceiling, a ceiling relative to the floor, or both."""

    max_value: float | None = None
    max_ratio: float | None = None
    unit: str = "ms"

    def text(self) -> str:
        parts = []
        if self.max_value is not None:
            parts.append(f"≤ {_num(self.max_value)} {self.unit}")
        if self.max_ratio is not None:
            parts.append(f"≤ {self.max_ratio:g}× floor")
        return " and ".join(parts) or "—"

    def met(self, value: float, floor: float | None = None) -> bool | None:
        """True when met, False when missed, None when there is nothing to judge (info rows)."""
        if self.max_value is None and self.max_ratio is None:
            return None
        ok = True
        if self.max_value is not None:
            ok &= value <= self.max_value
        if self.max_ratio is not None:
            if floor is None or floor <= 0:
                return False  # a ratio goal with no floor measured cannot be called met
            ok &= value / floor <= self.max_ratio
        return ok


INFO = Goal()


@dataclass(frozen=True)
class Stat:
    """Median and spread of repeated samples."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stat:
        if not samples:
            raise BenchError("no samples")
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))

    def text(self, unit: str) -> str:
        if self.n == 1 or self.low == self.high:
            return f"{_num(self.median)} {unit}"
        return f"{_num(self.median)} {unit} ({_num(self.low)}–{_num(self.high)}, n={self.n})"


@dataclass
class Row:
    """One line of RESULTS.md: metric | goal | riskdesk median | floor median | ratio | verdict."""

    metric: str
    goal: str
    riskdesk: str
    floor: str
    ratio: str
    verdict: str  # "met", "MISSED", "info", "skipped", "error"
    note: str = ""
    bench: str = field(default_factory=lambda: Path(sys.argv[0]).stem)

    @property
    def failed(self) -> bool:
        return self.verdict in ("MISSED", "error")


def judge(metric: str, goal: Goal, riskdesk: Stat | float, floor: Stat | float | None = None,
          note: str = "") -> Row:
    """A row with its verdict: the riskdesk median against the goal (and the floor median)."""
    rd = riskdesk if isinstance(riskdesk, Stat) else Stat(riskdesk, riskdesk, riskdesk, 1)
    fl = None if floor is None else floor if isinstance(floor, Stat) else Stat(floor, floor, floor, 1)
    met = goal.met(rd.median, fl.median if fl else None)
    verdict = "info" if met is None else "met" if met else "MISSED"
    ratio = f"{rd.median / fl.median:.2f}×" if fl and fl.median > 0 else "—"
    if goal.max_value is not None and fl is not None and fl.median > goal.max_value:
        # Still judged as measured; the row says that the host, not only riskdesk, was over the line.
        over = f"the floor itself took {_num(fl.median)} {goal.unit}, over this goal"
        note = f"{note}; {over}" if note else over
    return Row(metric, goal.text(), rd.text(goal.unit), fl.text(goal.unit) if fl else "—", ratio, verdict, note)


def skipped(metric: str, goal: Goal, why: str) -> Row:
    return Row(metric, goal.text(), "—", "—", "—", "skipped", why)


def errored(metric: str, goal: Goal, why: str) -> Row:
    return Row(metric, goal.text(), "—", "—", "—", "error", why)


def _num(x: float) -> str:
    if x >= 100 or x == int(x):
        return f"{x:,.0f}"
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| metric | goal | riskdesk median | floor median | ratio | verdict |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        verdict = f"**{r.verdict}**" if r.failed else r.verdict
        note = f" — {r.note}" if r.note else ""
        lines.append(f"| {r.metric}{note} | {r.goal} | {r.riskdesk} | {r.floor} | {r.ratio} | {verdict} |")
    return "\n".join(lines)


def finish(rows: Sequence[Row]) -> int:
    """Print the rows, hand them to ``run.py`` (``BENCH_ROWS``) and return the exit status."""
    print(table(rows), flush=True)
    target = os.environ.get("BENCH_ROWS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps(asdict(r)) + "\n")
    missed = [r.metric for r in rows if r.failed]
    if missed:
        print(f"goals missed or not measured: {'; '.join(missed)}", flush=True)
    return 1 if missed else 0


def read_rows(path: Path) -> list[Row]:
    if not path.exists():
        return []
    return [Row(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- children: fresh processes, their marks and their memory ----------------------------------

def read_vm_hwm(pid: int) -> int:
    """The peak resident set (``VmHWM``) of a live process, in KiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise BenchError(f"no VmHWM for process {pid}")


@dataclass
class ChildRun:
    """Seconds from spawn to each mark the child printed, the values it reported, and its peak
    memory (MiB) at each ``hold``."""

    marks: dict[str, float]
    hwm_mib: list[float] = field(default_factory=list)
    values: dict[str, list[float]] = field(default_factory=dict)


def run_child(cmd: Sequence[str], env: dict[str, str] | None = None, *, marks: Sequence[str] = (),
              timeout: float = 300, cwd: Path | None = None) -> ChildRun:
    """Spawn ``cmd``; time each line in ``marks`` from spawn as the parent sees it; collect
    ``value NAME X`` lines; read the child's VmHWM each time it prints ``hold`` (it waits for the
    parent's go-ahead). Raises :class:`BenchError` if it fails or misses a mark."""
    run = ChildRun({})
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=err, text=True)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            assert proc.stdout is not None and proc.stdin is not None
            for line in proc.stdout:
                word = line.strip()
                if word in marks and word not in run.marks:
                    run.marks[word] = time.perf_counter() - start
                elif word == HOLD:
                    run.hwm_mib.append(read_vm_hwm(proc.pid) / 1024)
                    try:
                        proc.stdin.write("go\n")
                        proc.stdin.flush()
                    except BrokenPipeError:
                        pass
                elif word.startswith("value "):
                    _, name, number = word.split(" ", 2)
                    run.values.setdefault(name, []).append(float(number))
            code = proc.wait()
        finally:
            killer.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        missing = [m for m in marks if m not in run.marks]
        if code != 0 or missing:
            err.seek(0)
            tail = err.read()[-1500:]
            raise BenchError(f"{' '.join(cmd[:4])}… exited {code}, missing {missing}:\n{tail}")
    return run


def interleave(cases: dict[str, Callable[[], object]], runs: int = RUNS, warm: int = 1) -> dict[str, list]:
    """Run each case ``runs`` times, alternating between cases; ``warm`` untimed rounds first fill
    the OS file cache alike for all (a user's second start, not the first after boot)."""
    results: dict[str, list] = {name: [] for name in cases}
    for _ in range(warm):
        for fn in cases.values():
            fn()
    for _ in range(runs):
        for name, fn in cases.items():
            results[name].append(fn())
    return results


STOP_AT = Path(__file__).resolve().parent / "stop_at.py"


def count_instructions(script: Sequence[str], env: dict[str, str], mark: str, timeout: float = 600) -> float:
    """Millions of instructions a child's main thread (``SCRIPT ARGS…``, run by this Python) executes
    from spawn until it prints ``mark``, counted by valgrind's callgrind: the same count for the same
    program and inputs whatever else the machine is doing, where a start-up's wall time on a shared
    2-core machine varies by a third from run to run. Other threads' instructions (riskdesk's early
    reads, on the other core) are not the main thread's wait and are not counted. Raises
    :class:`BenchError` without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise BenchError("valgrind is not installed (Debian package valgrind)")
    with tempfile.TemporaryDirectory(prefix="riskdesk-callgrind-") as folder:
        out_file = Path(folder) / "out"
        out = subprocess.run([valgrind, "--tool=callgrind", "--separate-threads=yes",
                              f"--callgrind-out-file={out_file}", sys.executable, str(STOP_AT), mark, *script],
                             env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        main_thread = Path(f"{out_file}-01")
        found = re.search(r"^summary:\s*([0-9]+)", main_thread.read_text(), re.MULTILINE) \
            if main_thread.is_file() else None
    if out.returncode != 0 or found is None or mark not in out.stdout.split():
        raise BenchError(f"callgrind of {' '.join(script[:3])}… exited {out.returncode}:\n{out.stderr[-800:]}")
    return int(found.group(1)) / 1e6


def ms(seconds: Sequence[float]) -> Stat:
    return Stat.of([s * 1000 for s in seconds])


def python() -> str:
    return sys.executable


@contextmanager
def scratch(prefix: str = "riskdesk-bench-") -> Iterator[Path]:
    """A temporary folder for databases, config and data: benchmarks never touch the user's folders."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def isolated_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment for a riskdesk child: offscreen, config, data and cache inside ``folder``."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RISKDESK_CONFIG_DIR=str(folder / "config"),
               RISKDESK_DATA_DIR=str(folder / "data"), RISKDESK_CACHE_DIR=str(folder / "cache"),
               PYTHONPATH=str(ROOT))
    env.pop("RISKDESK_DATABASE_URL", None)
    env.update(extra)
    return env


def isolate_this_process(folder: Path) -> None:
    """Point this process's riskdesk config, data and cache at ``folder`` (for in-process benchmarks)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["RISKDESK_CONFIG_DIR"] = str(folder / "config")
    os.environ["RISKDESK_DATA_DIR"] = str(folder / "data")
    os.environ["RISKDESK_CACHE_DIR"] = str(folder / "cache")
    os.environ.pop("RISKDESK_DATABASE_URL", None)


def compile_bytecode() -> None:
    """Write riskdesk's .pyc files, as an installed copy has them, so no run is timed compiling."""
    import compileall

    compileall.compile_dir(str(ROOT / "riskdesk"), quiet=1)
    compileall.compile_dir(str(ROOT / "benchmarks"), quiet=1, maxlevels=0)


def riskdesk_command() -> list[str]:
    """How a user starts riskdesk here: the venv's ``riskdesk`` script, else ``python -m riskdesk``."""
    script = Path(sys.executable).parent / "riskdesk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "riskdesk"]


def spawn_to_exit(cmd: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``cmd`` to its exit (what a user waits for a command); raises
    :class:`BenchError` when it fails."""
    start = time.perf_counter()
    done = subprocess.run(list(cmd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"{' '.join(cmd[:6])}… exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed


def timed_ms(fn: Callable[[], object]) -> Callable[[], float]:
    """``fn`` as a case for :func:`interleave`: each call runs it and returns its milliseconds."""
    def run() -> float:
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1000
    return run
