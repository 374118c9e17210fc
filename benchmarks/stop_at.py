"""Run a benchmark child and end its process the moment it prints a mark, for counting what it did
up to that event and nothing after (``bench_startup``'s instruction counts under callgrind).

    stop_at.py MARK SCRIPT [ARGS…]

SCRIPT runs as ``python SCRIPT ARGS…`` would run it; when it prints a line that is MARK, the line is
flushed and the process exits at once (``os._exit``: no teardown is counted).
"""

from __future__ import annotations

import builtins
import os
import runpy
import sys


def main() -> None:
    mark, script, *args = sys.argv[1:]
    real_print = builtins.print

    def print_then_stop(*values: object, **options: object) -> None:
        real_print(*values, **options)  # type: ignore[call-overload]
        if values and values[0] == mark:
            sys.stdout.flush()
            os._exit(0)

    builtins.print = print_then_stop  # type: ignore[assignment]
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
