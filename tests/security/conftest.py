"""Fixtures for the security tests (the world itself is built in secworld.py)."""

from secworld import pg_logins, world  # noqa: F401  (fixtures)
