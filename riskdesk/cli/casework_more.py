"""``casework-report ombudsman`` and ``casework-report foi``: the Ombudsman and FOI reports under the
same command as the complaints reports (they are also ``riskdesk ombudsman report`` and
``riskdesk foi report``)."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from riskdesk.cli import foi, ombudsman

    ombudsman.add_report_parser(sub)
    foi.add_report_parser(sub, "foi")
