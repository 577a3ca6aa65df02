"""Several workers on one PostgreSQL database: who leads, and waking each other up."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import locks

log = logging.getLogger(__name__)
# How long a health check of the lock's connection may take before it counts as lost.
CHECK_TIMEOUT = 5.0


class Coordinator:
    """One connection per worker: it holds the leader's lock and hears the others' wake-ups.

    The lock is PostgreSQL's own and belongs to this connection's session, so when the worker
    dies, or its connection does, the database lets go of it and another worker takes over.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        # The engine's own reading of DATABASE_URL (ssl and the like), minus what only
        # SQLAlchemy understands.
        args, options = engine.dialect.create_connect_args(engine.url)
        accepted = inspect.signature(asyncpg.connect).parameters
        self._args = list(args)
        self._options = {k: v for k, v in options.items() if k in accepted}
        self._connection: asyncpg.Connection | None = None
        self.leading = False

    async def connect(self, wakeups: dict[str, Callable[[], None]]) -> None:
        """Open the connection and listen on each channel, calling its function on a NOTIFY."""
        self._connection = await asyncpg.connect(*self._args, **self._options)
        for channel, wake in wakeups.items():
            await self._connection.add_listener(channel, _caller(wake))

    async def try_lead(self) -> bool:
        """Take the leader's lock if no other worker holds it; True while this worker leads."""
        if not self.leading:
            self.leading = bool(
                await self._live().fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)", locks.SPACE, locks.LEADER
                )
            )
        return self.leading

    async def alive(self) -> bool:
        """Whether the connection, and with it the lock, is still there."""
        connection = self._connection
        if connection is None or connection.is_closed():
            return False
        try:
            await connection.fetchval("SELECT 1", timeout=CHECK_TIMEOUT)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            return False
        return True

    async def close(self) -> None:
        """Close the connection; the lock, if held, goes with it."""
        connection, self._connection = self._connection, None
        self.leading = False
        if connection is not None and not connection.is_closed():
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await asyncio.wait_for(connection.close(), CHECK_TIMEOUT)

    def _live(self) -> asyncpg.Connection:
        if self._connection is None:
            raise RuntimeError("Coordinator.connect() was not called")
        return self._connection


def _caller(wake: Callable[[], None]) -> Callable[..., None]:
    """asyncpg's listener signature, around a plain wake-up."""

    def listener(*_args: object) -> None:
        wake()

    return listener
