"""Several workers on one PostgreSQL database: each chat in order by one worker, one leader."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from sqlalchemy import func, select

from bot.clock import Clock
from bot.events import Incoming
from bot.runtime import Runtime
from bot.storage.db import Database
from bot.storage.models import Inbox
from bot.workers import Coordinator
from flows.engine import Command, Text

CHATS = range(7_000_001, 7_000_031)
EACH = 8


class Watched(Runtime):
    """A worker that notes which events it handled, and whether a chat was ever shared."""

    def __init__(self, db: Database, log: list[tuple[int, int]], busy: set[int]) -> None:
        super().__init__(db, Clock())
        self.log = log
        self.busy = busy
        self.overlaps = 0

    async def _handle(self, session, row, known=None):  # type: ignore[no-untyped-def]
        if row.chat_id in self.busy:
            self.overlaps += 1
        self.busy.add(row.chat_id)
        try:
            # Give the other workers every chance to step in while this chat is handled.
            await asyncio.sleep(0)
            await super()._handle(session, row, known)
        finally:
            self.busy.discard(row.chat_id)
        self.log.append((row.chat_id, row.id))


async def test_three_workers_handle_every_chat_in_order_and_never_together(
    postgres: Database,
) -> None:
    log: list[tuple[int, int]] = []
    busy: set[int] = set()
    workers = [Watched(postgres, log, busy) for _ in range(3)]
    arrivals = Runtime(postgres, Clock())
    for chat in CHATS:
        await arrivals.record([Incoming(f"w:{chat}:0", chat, chat, Command("start"))])

    async def arrive() -> None:
        for i in range(1, EACH):
            await arrivals.record(
                [Incoming(f"w:{chat}:{i}", chat, chat, Text(f"note {i}")) for chat in CHATS]
            )
            await asyncio.sleep(0)

    async def work(worker: Runtime) -> None:
        for _ in range(200):
            await worker.process_pending(limit=20)
            async with postgres.reading() as session:
                left = await session.scalar(
                    select(func.count()).select_from(Inbox).where(Inbox.handled_at.is_(None))
                )
            if not left and len(log) == len(CHATS) * EACH:
                return
            await asyncio.sleep(0)

    await asyncio.wait_for(
        asyncio.gather(arrive(), *(work(worker) for worker in workers)), timeout=120
    )
    assert len(log) == len(CHATS) * EACH
    assert len({row for _chat, row in log}) == len(log), "an event was handled twice"
    order: dict[int, list[int]] = defaultdict(list)
    for chat, row in log:
        order[chat].append(row)
    for chat, rows in order.items():
        assert rows == sorted(rows), f"chat {chat} handled out of order"
    assert sum(w.overlaps for w in workers) == 0
    handled = [
        sum(
            sample.value
            for metric in w.metrics.processed.collect()
            for sample in metric.samples
            if sample.name.endswith("_total")
        )
        for w in workers
    ]
    assert sum(handled) == len(log)
    assert sum(1 for n in handled if n > 0) >= 2, f"the work was not shared: {handled}"


async def test_one_worker_leads_and_another_takes_over_when_it_is_gone(
    postgres: Database,
) -> None:
    first, second = Coordinator(postgres.url), Coordinator(postgres.url)
    woken = asyncio.Event()
    await first.connect({})
    await second.connect({"mend_outbox": woken.set})
    try:
        assert await first.try_lead()
        assert not await second.try_lead()
        assert await first.alive()
        # The leader's connection goes, as when its process is killed: the lock goes with it.
        await first.close()
        assert await second.try_lead()
        # And NOTIFY reaches a listening worker.
        async with postgres.transaction() as session:
            await session.execute(select(func.pg_notify("mend_outbox", "")))
        await asyncio.wait_for(woken.wait(), 10)
    finally:
        await first.close()
        await second.close()
