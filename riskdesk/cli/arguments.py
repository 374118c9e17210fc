"""Argument types the commands share: a date and a financial year, each refused with a message
that says how to write it. Light on purpose (no database, no reports): every command module may
import it without loading another command's module."""

from __future__ import annotations

import argparse
from datetime import date


def day(text: str) -> date:
    """``2026-03-31``; anything else is refused naming what was typed and the form wanted."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31") from None


def financial_year(text: str) -> int:
    """``23/24`` or ``2023/24``: the year the financial year starts (2023)."""
    from riskdesk.domain.errors import ValidationError
    from riskdesk.domain.ombudsman import parse_fy

    try:
        return parse_fy(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.reason.replace("is not", f"{text!r} is not", 1)) from None
