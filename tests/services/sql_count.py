"""Counting the SQL statements a call sends (on a shared server, each one is a round trip)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


@contextmanager
def statements_sent(engine: Any) -> Iterator[list[str]]:
    """The statements ``engine`` sends inside the block, as sent (reads sent together count as one)."""
    sent: list[str] = []
    listen = (engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    event.listen(*listen)
    try:
        yield sent
    finally:
        event.remove(*listen)
