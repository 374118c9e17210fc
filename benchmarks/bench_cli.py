"""CLI start-up: ``riskdesk info`` from spawn to exit, against ``python -c "import sqlalchemy"``.

A headless command should import only what it uses; the floor is the one library every command
needs (SQLAlchemy), imported by a fresh interpreter. Both fresh processes, interleaved.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import adapter
import datagen
from harness import (
    FRESH_PROCESS_RUNS,
    Goal,
    compile_bytecode,
    finish,
    interleave,
    isolated_env,
    judge,
    ms,
    riskdesk_command,
    scratch,
    spawn_to_exit,
)


def main() -> int:
    compile_bytecode()
    with scratch() as tmp:
        env = adapter.as_login(isolated_env(tmp, RISKDESK_NO_DEMO="1"), datagen.BENCH_LOGIN)
        db = tmp / "register.sqlite"
        datagen.create(f"sqlite:///{db}", datagen.register_tables(50))
        info = [*riskdesk_command(), "--database", str(db), "info"]
        floor = [sys.executable, "-c", "import sqlalchemy"]
        runs = interleave({"riskdesk": lambda: spawn_to_exit(info, env), "floor": lambda: spawn_to_exit(floor, env)},
                          runs=FRESH_PROCESS_RUNS)
    row = judge("`riskdesk info`, spawn → exit", Goal(max_ratio=1.5), ms(runs["riskdesk"]), ms(runs["floor"]),
                note="floor: python -c 'import sqlalchemy'")
    return finish([row])


if __name__ == "__main__":
    sys.exit(main())
