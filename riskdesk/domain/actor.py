"""Who is acting: the person at the keyboard, by login name."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is acting: the login name (default: the operating-system user)."""

    login: str
    display_name: str = ""
    role: str = ""


def os_login() -> str:
    """The operating-system login name, the default acting user."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def default_actor() -> Actor:
    """The person at the keyboard, by their operating-system login."""
    return Actor(login=os_login())
