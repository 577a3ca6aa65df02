"""Time for the runtime: the system clock, or a simulated one the console can move forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time in UTC, optionally shifted forward (the console's `:advance`)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.offset = timedelta()
        if start is not None:
            self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Move simulated time forward."""
        self.offset += delta


def naive(moment: datetime) -> datetime:
    """UTC without a zone, the form the database keeps."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def aware(moment: datetime) -> datetime:
    """A stored naive-UTC time made timezone-aware again."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
