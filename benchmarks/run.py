"""`make bench`: run every benchmarks/bench_*.py in turn; each prints its own table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
failed = []
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.stem} ===", flush=True)
    if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
        failed.append(script.name)
if failed:
    print(f"\nFailed: {', '.join(failed)}")
    sys.exit(1)
