"""A command imports its own command module only; the table that says which is kept true."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from riskdesk.cli import COMMAND_MODULES, COMMANDS, build_parser, command_modules


def test_the_command_table_names_every_command_of_every_module():
    registered: dict[str, str] = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers(dest="command")
        importlib.import_module(name).add_parsers(sub)
        registered.update({command: name for command in sub.choices})
    missing = {c: m for c, m in registered.items() if COMMANDS.get(c) != m}
    stale = sorted(set(COMMANDS) - set(registered))
    print(f"commands: {len(registered)}, wrong or missing in COMMANDS: {len(missing)}, stale: {len(stale)}")
    assert not missing and not stale


def test_a_command_parses_with_its_module_only_and_help_lists_them_all():
    assert command_modules(["--database", "x.sqlite", "info"]) == ("riskdesk.cli.database",)
    assert command_modules(["--debug", "si-report", "--help"]) == ("riskdesk.cli.incidents",)
    assert command_modules(["--help"]) == COMMAND_MODULES
    assert command_modules(["no-such-command"]) == COMMAND_MODULES
    args = build_parser(["--database", "x.sqlite", "info"]).parse_args(["--database", "x.sqlite", "info"])
    assert args.command == "info" and args.database == "x.sqlite"


def test_riskdesk_info_does_not_import_the_other_commands(tmp_path):
    code = ("import sys; sys.argv = ['riskdesk', '--database', sys.argv[1], 'info']\n"
            "from riskdesk.__main__ import main\n"
            "rc = main()\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('riskdesk.cli.')\n"
            "                and m not in ('riskdesk.cli.errors', 'riskdesk.cli.arguments'))\n"
            "print('LOADED', ' '.join(loaded))\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "info.sqlite")], capture_output=True, text=True,
                         timeout=120)
    loaded = next(line for line in out.stdout.splitlines() if line.startswith("LOADED")).split()[1:]
    print("command modules imported by `riskdesk info`:", loaded)
    assert loaded == ["riskdesk.cli.database"], out.stderr
