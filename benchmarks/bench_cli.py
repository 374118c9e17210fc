"""CLI start-up: ``riskdesk info`` from spawn to exit, against ``python -c "import sqlalchemy"``.

A headless command should import only what it uses; the floor is the one library every command
needs (SQLAlchemy), imported by a fresh interpreter. Both fresh processes, interleaved.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import adapter
import datagen
from harness import Goal, compile_bytecode, finish, interleave, isolated_env, judge, ms, scratch


def riskdesk_command() -> list[str]:
    script = Path(sys.executable).parent / "riskdesk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "riskdesk"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed


def main() -> int:
    compile_bytecode()
    with scratch() as tmp:
        env = adapter.as_login(isolated_env(tmp, RISKDESK_NO_DEMO="1"), datagen.BENCH_LOGIN)
        db = tmp / "register.sqlite"
        datagen.create(f"sqlite:///{db}", datagen.register_tables(50))
        info = [*riskdesk_command(), "--database", str(db), "info"]
        floor = [sys.executable, "-c", "import sqlalchemy"]
        runs = interleave({"riskdesk": lambda: timed(info, env), "floor": lambda: timed(floor, env)})
    row = judge("`riskdesk info`, spawn → exit", Goal(max_ratio=1.5), ms(runs["riskdesk"]), ms(runs["floor"]),
                note="floor: python -c 'import sqlalchemy'")
    return finish([row])


if __name__ == "__main__":
    sys.exit(main())
