"""A throwaway PostgreSQL server for a benchmark, started as .ci/run starts one (trust auth,
loopback only, no fsync), as the postgres user when running as root; stopped and removed after."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) for x in Path(p).parent.parent.name.split(".") if x.isdigit()])
    return Path(found[-1]).parent if found else None


class PgServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.bin = binaries()
        self.data = Path(tempfile.mkdtemp(prefix="riskdesk-bench-pg-"))

    def _as_pg(self, *cmd: str) -> None:
        args = list(cmd)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            args = ["runuser", "-u", "postgres", "--", *args]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> PgServer:
        if self.bin is None:
            raise FileNotFoundError("no PostgreSQL binaries (/usr/lib/postgresql/*/bin)")
        self._as_pg(str(self.bin / "initdb"), "-D", str(self.data / "db"), "-A", "trust", "-U", "postgres",
                    "--encoding=UTF8", "--locale=C.UTF-8")
        self._as_pg(str(self.bin / "pg_ctl"), "-D", str(self.data / "db"), "-l", str(self.data / "server.log"), "-w",
                    "-o", f"-k {self.data} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                          "-c full_page_writes=off", "start")
        return self

    def url(self, port: int | None = None) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port or self.port}/postgres"

    def __exit__(self, *_exc: object) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, TypeError):
            self._as_pg(str(self.bin / "pg_ctl"), "-D", str(self.data / "db"), "-m", "immediate", "stop")
        shutil.rmtree(self.data, ignore_errors=True)
