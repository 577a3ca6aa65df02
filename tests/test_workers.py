"""Several workers on one PostgreSQL database: each chat in order by one worker, one leader."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.clock import Clock
from bot.events import Incoming
from bot.runtime import Runtime
from bot.storage import locks
from bot.storage.db import Database
from bot.storage.models import Inbox, Outbox
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
    first, second = Coordinator(postgres.engine), Coordinator(postgres.engine)
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


async def _held(db: Database, statement: str, **params: int) -> tuple[Any, Any]:
    """A transaction of another worker that has taken a lock and keeps it until released."""
    connection = await db.engine.connect()
    transaction = await connection.begin()
    await connection.execute(text(statement), params)
    return connection, transaction


async def _handled(db: Database, source: str) -> bool:
    async with db.reading() as session:
        row = await session.scalar(select(Inbox).where(Inbox.source == source))
        return row is not None and row.handled_at is not None


async def test_a_chat_another_worker_holds_does_not_hold_up_the_others(
    postgres: Database,
) -> None:
    busy, free = 7_100_001, 7_100_002
    runtime = Runtime(postgres, Clock())
    await runtime.record(
        [Incoming(f"b:{n}", busy, busy, Text(f"note {n}")) for n in range(100)]
        + [Incoming("f:0", free, free, Command("help"))]
    )
    # Another worker is in the middle of the busy chat, with a long backlog behind it.
    connection, transaction = await _held(
        postgres, "SELECT pg_advisory_xact_lock(:chat)", chat=busy
    )
    try:
        assert await asyncio.wait_for(runtime.process_pending(), 30) == 1
        assert await _handled(postgres, "f:0")
        assert not await _handled(postgres, "b:0")
    finally:
        await transaction.rollback()
        await connection.close()


async def test_only_events_that_may_touch_a_pair_wait_for_the_pair_lock(
    postgres: Database,
) -> None:
    runtime = Runtime(postgres, Clock())
    # Someone else's pair event is being handled right now.
    connection, transaction = await _held(
        postgres, "SELECT pg_advisory_xact_lock(:space, :key)", space=locks.SPACE, key=locks.PAIRS
    )
    try:
        await runtime.record([Incoming("p:1", 7_200_001, 7_200_001, Command("help"))])
        assert await asyncio.wait_for(runtime.process_pending(), 30) == 1
        # A group's event may change the pair: it waits its turn.
        await runtime.record([Incoming("p:2", -7_200_002, 7_200_001, Command("help"))])
        waiting = asyncio.ensure_future(runtime.process_pending())
        done, _ = await asyncio.wait({waiting}, timeout=1.0)
        assert not done, "a group's event went ahead of a pair event under way"
    finally:
        await transaction.rollback()
        await connection.close()
    assert await asyncio.wait_for(waiting, 30) == 1


async def test_a_lost_database_connection_leaves_the_event_waiting_not_given_up(
    postgres: Database,
) -> None:
    class Cut(Runtime):
        async def _handle(self, session, row, known=None):  # type: ignore[no-untyped-def]
            raise DBAPIError("SELECT 1", {}, ConnectionResetError(), connection_invalidated=True)

    await Cut(postgres, Clock()).record([Incoming("c:1", 7_300_001, 7_300_001, Text("hi"))])
    with pytest.raises(DBAPIError):
        await Cut(postgres, Clock()).process_pending()
    assert not await _handled(postgres, "c:1")
    async with postgres.reading() as session:
        apologies = await session.scalar(select(func.count()).select_from(Outbox))
    assert apologies == 0, "the user was told something went wrong for the database's fault"
    # Once the database is back, the event is handled as if nothing happened.
    assert await Runtime(postgres, Clock()).process_pending() == 1
    assert await _handled(postgres, "c:1")
