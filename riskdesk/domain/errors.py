"""Errors a user is meant to read."""

from __future__ import annotations

from typing import Any


class RiskdeskError(Exception):
    """Base class for errors that carry a message fit to show a user."""


class ValidationError(RiskdeskError):
    """A value a user gave is not acceptable.

    Attributes:
        field: the name of the field as the user sees it ("current impact").
        value: the value that was refused.
        reason: why, in plain words ("must be a whole number from 1 to 5").
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {value!r} {reason}")


class NotFound(RiskdeskError):
    """The thing asked for does not exist (any more)."""


class StaleEdit(RiskdeskError):
    """Someone else saved the same record after it was opened."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"{what} was changed by someone else after you opened it. "
            "Reload it to see their changes, then make yours again."
        )


class AlreadyDone(StaleEdit):
    """Someone else did the very thing this user asked for (closed the quarter, presented the
    cycle) a moment before; it was done once and this request changed nothing."""

    def __init__(self, message: str) -> None:
        self.what = message
        RiskdeskError.__init__(self, message)


class NotAsExpected(StaleEdit):
    """What a script said it expected (``quarter close --expect``) is not so: nothing was done.
    Not "someone else changed it after you opened it": nothing was opened."""

    def __init__(self, message: str) -> None:
        self.what = message
        RiskdeskError.__init__(self, message)


class DatabaseBusy(RiskdeskError):
    """Another connection held the database's write lock for longer than riskdesk waits."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"The database is busy: {self.reason(seconds)}")

    @staticmethod
    def reason(seconds: float) -> str:
        return (f"another riskdesk (or another program) kept it locked for more than {seconds:g} seconds. "
                "Nothing was changed. Try again in a moment; if it stays locked, close the other riskdesk "
                "windows or commands using this file.")


class PermissionDenied(RiskdeskError):
    """The acting user's role does not allow this."""
