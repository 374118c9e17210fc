"""Argument types the commands share: a date and a financial year, each refused with a message
that says how to write it; a file to write, of the kind its name says; and the text of a file
the user names. Light on purpose (no database,
no reports): every command module may import it without loading another command's module."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path


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


def output_file(*suffixes: str) -> Callable[[str], Path]:
    """The type of an option naming a file to write: its name must end in one of ``suffixes``, so
    that a PDF is never written under a name that says .docx or .txt (nothing opens it then)."""
    kinds = " or ".join(filter(None, (", ".join(suffixes[:-1]), suffixes[-1])))

    def parse(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() not in suffixes:
            raise argparse.ArgumentTypeError(f"{text!r} must end in {kinds}, the kind of file written there")
        return path

    return parse


def text_file(path: Path, what: str) -> str:
    """The whole of the UTF-8 text file ``path`` (a byte-order mark, as Windows Notepad may write one,
    is dropped); a file that is missing, a folder, unreadable or not UTF-8 is refused naming ``what``
    and why, with the byte and line of the first that is not UTF-8."""
    from riskdesk.domain.errors import ValidationError

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(what, str(path), "does not exist (was it moved or renamed?)") from None
    except IsADirectoryError:
        raise ValidationError(what, str(path), "is a folder, not a file") from None
    except OSError as exc:
        raise ValidationError(what, str(path), f"cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError(what, str(path), f"is not UTF-8 text (byte {exc.start + 1}, on line {line}); "
                              "save it as UTF-8 and try again") from None
