"""APScheduler-driven sweep: reminders that came due become timer events in the inbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.runtime import Runtime

log = logging.getLogger(__name__)


class Sweeper:
    """Runs `runtime.fire_due` every few seconds and wakes the handler when something fired."""

    def __init__(
        self, runtime: Runtime, every: float, on_fired: Callable[[], Awaitable[None]]
    ) -> None:
        self.runtime = runtime
        self.on_fired = on_fired
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._busy = asyncio.Lock()
        self._stopping = False
        self.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=every,
            id="sweep",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def sweep(self) -> int:
        """Fire what is due now; returns how many reminders fired."""
        if self._stopping:
            return 0
        try:
            async with self._busy:
                fired = await self.runtime.fire_due()
        except asyncio.CancelledError:
            # Only at shutdown; the reminders it was reading stay due for the next start.
            return 0
        except Exception:
            log.exception("reminder sweep failed; the next sweep tries again")
            return 0
        if fired:
            await self.on_fired()
        return fired

    def start(self) -> None:
        """Begin sweeping (needs a running event loop)."""
        self.scheduler.start()

    async def stop(self) -> None:
        """Stop sweeping, letting a sweep under way finish so nothing is cut off mid-write."""
        self._stopping = True
        if not self.scheduler.running:
            # A worker that never led never swept.
            return
        self.scheduler.pause()
        async with self._busy:
            # A sweep already handed to the loop sees the flag and returns without waiting.
            await asyncio.sleep(0)
            self.scheduler.shutdown(wait=False)
