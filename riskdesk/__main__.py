"""``riskdesk`` and ``python -m riskdesk``: the window, or a headless command."""

from __future__ import annotations

import sys


def main() -> int:
    from riskdesk.cli import build_parser, run_command, window_args

    args = window_args(sys.argv[1:])
    if args is None:
        args = build_parser(sys.argv[1:]).parse_args(sys.argv[1:])
    if args.command is None:
        from riskdesk.app import run_gui

        return run_gui(args)
    try:
        return run_command(args)
    except BrokenPipeError:  # output piped into `head` or a pager that quit: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0


if __name__ == "__main__":
    sys.exit(main())
