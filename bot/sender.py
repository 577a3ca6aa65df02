"""Delivery of the outbox: paced, retried, in order per chat, and never silently dropped."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.clock import Clock, aware, naive
from bot.metrics import Metrics
from bot.storage.db import Database
from bot.storage.models import Chat, MessageRef, Outbox

log = logging.getLogger(__name__)

Buttons = list[list[dict[str, str]]]
# A keyboard under the input field instead of inline buttons: {"kind": "location", "text": label}
# shows one button that shares the user's location; {"kind": "clear"} takes it away.
Reply = dict[str, str]
# Where a chat's named message landed: (chat_id, ref) -> Telegram's message id.
Landed = dict[tuple[int, str], int]


class Failure(StrEnum):
    """How a Bot API call failed, in terms the sender acts on."""

    RETRY_AFTER = "retry_after"  # 429: wait as long as Telegram says
    TRANSIENT = "transient"  # 5xx, timeouts, network: retry with backoff
    FORBIDDEN = "forbidden"  # 403: blocked or removed; stop writing to this chat
    NOT_MODIFIED = "not_modified"  # an edit that changes nothing: already done
    NOT_FOUND = "not_found"  # the message to edit is gone: send a new one instead
    MOVED = "moved"  # 400: the group became a supergroup; the same message goes there
    REJECTED = "rejected"  # any other 400: retrying cannot help


class SendError(Exception):
    """A failed Bot API call, classified by the transport."""

    def __init__(
        self,
        failure: Failure,
        detail: str = "",
        retry_after: float = 0.0,
        moved_to: int | None = None,
    ) -> None:
        super().__init__(f"{failure}: {detail}")
        self.failure = failure
        self.detail = detail
        self.retry_after = retry_after
        self.moved_to = moved_to


def bad_request(description: str) -> Failure:
    """Classify a Bot API 400 by its description, the same for every framework."""
    lowered = description.lower()
    if "message is not modified" in lowered:
        return Failure.NOT_MODIFIED
    if "message to edit not found" in lowered:
        return Failure.NOT_FOUND
    return Failure.REJECTED


class Delivery(Protocol):
    """What a transport offers the sender."""

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int: ...

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None: ...

    async def answer(self, callback_id: str, text: str | None) -> None: ...

    async def pin(self, chat_id: int, message_id: int) -> None: ...

    async def send_photo(self, chat_id: int, png: bytes, caption: str, buttons: Buttons) -> int: ...

    async def send_document(
        self, chat_id: int, data: bytes, filename: str, caption: str
    ) -> int: ...


@dataclass
class Bucket:
    """A token bucket: up to `capacity` sends at once, refilled at `per_second`."""

    capacity: float
    per_second: float
    tokens: float
    stamp: float

    def take(self, now: float) -> bool:
        """Use one token if there is one."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


# Telegram's limits are about one message a second in a chat and twenty a minute in a group;
# a short burst is tolerated, which keeps a multi-part reply from stalling.
PRIVATE_BURST = 4
GROUP_BURST = 5
FORGET_AFTER = 120.0
# Slots a late sender may catch up on at once: well inside the burst Telegram tolerates.
PACE_SLACK = 3
# A button press waits for its answer only so long; after this, answering it cannot help.
ANSWER_WINDOW = 10.0


def _recorded(task: asyncio.Task[None]) -> bool:
    """Whether recording a window as sent worked; if not, its rows may go again."""
    if task.cancelled():
        return False
    error = task.exception()
    if error is not None:
        log.error("recording sent messages failed (%s); they may be sent again", error)
    return error is None


@dataclass
class SenderStats:
    """Counts a test or an operator can look at."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


class Sender:
    """Delivers pending outbox rows through a transport, one chat's rows strictly in order."""

    def __init__(
        self,
        db: Database,
        delivery: Delivery,
        clock: Clock,
        *,
        rate: float = 30.0,
        max_attempts: int = 8,
        chat_rate: float | None = None,
        group_per_minute: float | None = None,
        ticker: Callable[[], float] = time.monotonic,
        in_flight: int = 32,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics or Metrics()
        self.delivery = delivery
        self.clock = clock
        self.interval = 1.0 / rate
        self.max_attempts = max_attempts
        self.stats = SenderStats()
        self.wake = asyncio.Event()
        self._next_slot = 0.0
        self._pacing = asyncio.Lock()
        self._paused_until = 0.0
        # One delivery pass at a time: two would read the same pending rows and send them twice.
        self._delivering = asyncio.Lock()
        self.chat_rate = chat_rate
        self.group_rate = group_per_minute / 60.0 if group_per_minute else None
        self._buckets: dict[int, Bucket] = {}
        self._ticker = ticker
        # Sends in flight or not yet recorded as sent: the most a crash can repeat.
        self.in_flight = max(1, in_flight)
        self.halted = False

    async def deliver_due(self, *, ignore_delay: bool = False) -> int:
        """Deliver every row that is due now (or all, with `ignore_delay`); returns how many."""
        done = 0
        async with self._delivering:
            while batch := await self._due(ignore_delay):
                # A chat at its limit waits for the next pass while the others go on.
                ready = [row for row in batch if ignore_delay or self._chat_allows(row)]
                if not ready:
                    break
                if ignore_delay:
                    # Ignoring delays, a chat can have several rows here: one by one, each
                    # recorded before the next, which may edit the message it sent.
                    for row in ready:
                        done += await self._send_window([row])
                else:
                    # A pass holds one message a chat (and perhaps a button's answer), so
                    # different chats go out side by side.
                    done += await self._send_window(ready)
                if self.halted:
                    break
        return done

    async def _send_window(self, rows: list[Outbox]) -> int:
        """Send rows of different chats, never more than `in_flight` sent but not recorded."""
        # A window holds one message a chat, so no row in it moves a message another edits.
        landed = await self._landed(rows)
        waiting = list(rows)
        sending: dict[asyncio.Task[tuple[Outbox, int | None] | None], int] = {}
        unrecorded: list[tuple[Outbox, int | None]] = []
        recording: asyncio.Task[None] | None = None
        being_recorded = recorded = 0
        try:
            while True:
                busy = len(sending) + len(unrecorded) + being_recorded
                # A button's answer and its chat's reply are both in a pass: one chat's rows
                # never go out side by side, the earlier first.
                for row in list(waiting):
                    if self.halted or busy >= self.in_flight:
                        break
                    if row.chat_id in sending.values():
                        continue
                    waiting.remove(row)
                    sending[asyncio.create_task(self._deliver(row, landed))] = row.chat_id
                    busy += 1
                # Sent rows are recorded while the next go out, so the database never holds
                # up sending, and a crash repeats no more than the window.
                if recording is None and unrecorded:
                    being_recorded = len(unrecorded)
                    recording = asyncio.create_task(self._finish_sent(unrecorded))
                    unrecorded = []
                running: set[asyncio.Future[Any]] = {*sending}
                if recording is not None:
                    running.add(recording)
                if not running:
                    return recorded
                finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                if recording is not None and recording in finished:
                    if _recorded(recording):
                        recorded += being_recorded
                    recording, being_recorded = None, 0
                for task in [task for task in sending if task in finished]:
                    del sending[task]
                    if sent := task.result():
                        unrecorded.append(sent)
        finally:
            # Cut off: sends under way are abandoned, but what was sent is recorded, or it
            # would go again.
            for task in sending:
                if task.done() and not task.cancelled() and (sent := task.result()):
                    unrecorded.append(sent)
                else:
                    task.cancel()
            if recording is not None:
                await asyncio.wait({recording})  # never cancels it, never raises
                _recorded(recording)
            if unrecorded:
                last = asyncio.ensure_future(self._finish_sent(unrecorded))
                await asyncio.wait({last})
                _recorded(last)

    def halt(self) -> None:
        """Stop after the window in flight, as the bot shuts down; what is left stays queued."""
        self.halted = True

    def _chat_allows(self, row: Outbox) -> bool:
        """Whether the chat's own rate limit lets one more message out now."""
        if row.op == "answer":
            return True  # answering a button press is not a message in the chat
        group = row.chat_id < 0
        rate = self.group_rate if group else self.chat_rate
        if rate is None:
            return True
        now = self._ticker()
        bucket = self._buckets.get(row.chat_id)
        if bucket is None:
            burst = GROUP_BURST if group else PRIVATE_BURST
            bucket = self._buckets[row.chat_id] = Bucket(burst, rate, burst, now)
        if len(self._buckets) > 10_000:
            idle = [c for c, b in self._buckets.items() if now - b.stamp > FORGET_AFTER]
            for chat in idle:
                del self._buckets[chat]
        return bucket.take(now)

    async def _due(self, ignore_delay: bool) -> list[Outbox]:
        """Rows to try now: per chat, the earliest that is due, so a chat's order is kept."""
        now = naive(self.clock.now())
        async with self.db.reading() as session:
            query = select(Outbox).where(Outbox.status == "pending")
            if not ignore_delay:
                # Rows merely scheduled for later (paced edits) never crowd out what is due.
                query = query.where(or_(Outbox.next_try_at <= now, Outbox.attempts > 0))
            rows = await session.scalars(query.order_by(Outbox.id).limit(500))
            pending = list(rows)
        if ignore_delay:
            return pending
        chosen: list[Outbox] = []
        settled: set[int] = set()
        for row in pending:
            due = row.next_try_at <= now
            if row.op == "answer":
                if due:
                    chosen.append(row)
                continue
            if row.chat_id in settled:
                continue
            # A row that is retrying holds back the rest of its chat; a row that is only
            # scheduled for later (a paced breathing guide) lets newer replies pass.
            if due or row.attempts > 0:
                settled.add(row.chat_id)
                if due:
                    chosen.append(row)
        return chosen

    async def next_due(self) -> datetime | None:
        """When the next pending row becomes due, if any."""
        async with self.db.reading() as session:
            value = await session.scalar(
                select(Outbox.next_try_at)
                .where(Outbox.status == "pending")
                .order_by(Outbox.next_try_at)
                .limit(1)
            )
        return aware(value) if value else None

    async def _pace(self) -> None:
        """Keep to the bot-wide rate, and wait out a 429 for everyone."""
        # Sends queue here in order and each is spaced from the last as actually sent, with a
        # slack of a few slots to catch up after the loop was busy, never a burst beyond it.
        async with self._pacing:
            while True:
                now = time.monotonic()
                earliest = max(self._next_slot - PACE_SLACK * self.interval, self._paused_until)
                if now >= earliest:
                    break
                await asyncio.sleep(earliest - now)
            self._next_slot = max(self._next_slot, now) + self.interval

    async def _deliver(self, row: Outbox, landed: Landed) -> tuple[Outbox, int | None] | None:
        """Try one row: the row and its message id when sent, None when not (yet)."""
        await self._pace()
        payload: dict[str, Any] = row.payload
        try:
            message_id = await self._call(row, payload, landed)
        except Exception as error:
            # Anything the transport did not classify is retried with backoff, never fatal.
            failure = (
                error
                if isinstance(error, SendError)
                else SendError(Failure.TRANSIENT, type(error).__name__)
            )
            self.metrics.send_failed(failure.failure, failure.retry_after)
            try:
                await self._failed(row, failure)
            except Exception:
                # The row stays as it was, pending: the next pass tries it again.
                log.exception("recording a failed send of outbox %s failed", row.id)
            return None
        self.stats.sent += 1
        self.metrics.sent.inc()
        return row, message_id

    async def _call(self, row: Outbox, payload: dict[str, Any], landed: Landed) -> int | None:
        if row.op == "answer":
            await self.delivery.answer(str(payload["callback_id"]), payload.get("text"))
            return None
        if row.op == "document":
            data = base64.b64decode(str(payload["file"]))
            return await self.delivery.send_document(
                row.chat_id, data, str(payload["filename"]), str(payload["caption"])
            )
        if row.op == "photo":
            png = base64.b64decode(str(payload["png"]))
            buttons = list(payload.get("buttons") or [])
            return await self.delivery.send_photo(
                row.chat_id, png, str(payload["caption"]), buttons
            )
        text, buttons = str(payload["text"]), list(payload.get("buttons") or [])
        if row.op == "edit" and row.ref:
            target = landed.get((row.chat_id, row.ref))
            if target is not None:
                try:
                    await self.delivery.edit(row.chat_id, target, text, buttons)
                    return None
                except SendError as error:
                    if error.failure is Failure.NOT_MODIFIED:
                        return None
                    if error.failure is not Failure.NOT_FOUND:
                        raise
        # A send, or an edit whose message is gone: a new message takes its place.
        message_id = await self.delivery.send(row.chat_id, text, buttons, payload.get("reply"))
        if payload.get("pin"):
            try:
                await self.delivery.pin(row.chat_id, message_id)
            except Exception as error:
                # The message itself arrived; a missing pin is not worth sending it twice.
                log.warning("pinning in chat %s failed: %s", row.chat_id, type(error).__name__)
        return message_id

    async def _landed(self, rows: list[Outbox]) -> Landed:
        """Where the messages that `rows` edit landed, read in one query for the window."""
        edited = {(row.chat_id, row.ref) for row in rows if row.op == "edit" and row.ref}
        if not edited:
            return {}
        async with self.db.reading() as session:
            found = await session.execute(
                select(MessageRef.chat_id, MessageRef.ref, MessageRef.message_id).where(
                    MessageRef.chat_id.in_(sorted({chat for chat, _ in edited}))
                )
            )
            return {(chat, ref): id_ for chat, ref, id_ in found if (chat, ref) in edited}

    async def _finish_sent(self, sent: list[tuple[Outbox, int | None]]) -> None:
        """Record a window's sent rows in one transaction, and where each message landed."""
        if not sent:
            return
        now = naive(self.clock.now())
        # The last word to someone who erased their data: nothing of it stays.
        forget = [row.id for row, _ in sent if row.payload.get("forget")]
        kept = [row.id for row, _ in sent if not row.payload.get("forget")]
        refs = {
            (row.chat_id, row.ref): message_id
            for row, message_id in sent
            if message_id is not None and row.ref and not row.payload.get("forget")
        }
        async with self.db.transaction() as session:
            if forget:
                await session.execute(delete(Outbox).where(Outbox.id.in_(forget)))
            if kept:
                await session.execute(
                    update(Outbox).where(Outbox.id.in_(kept)).values(status="sent", sent_at=now)
                )
            if refs:
                # One statement for the window's messages, each row its own parameters.
                insert = (sqlite_insert if self.db.is_sqlite else pg_insert)(MessageRef)
                await session.execute(
                    insert.on_conflict_do_update(
                        index_elements=["chat_id", "ref"],
                        set_={"message_id": insert.excluded.message_id},
                    ),
                    [
                        {"chat_id": chat_id, "ref": ref, "message_id": message_id}
                        for (chat_id, ref), message_id in refs.items()
                    ],
                )

    async def _failed(self, row: Outbox, error: SendError) -> None:
        if error.failure is Failure.MOVED and error.moved_to is not None:
            # Sent while the group was being upgraded: this and what follows go to the new chat.
            async with self.db.transaction() as session:
                await session.execute(
                    update(Outbox)
                    .where(Outbox.chat_id == row.chat_id, Outbox.status == "pending")
                    .values(chat_id=error.moved_to)
                )
            self.stats.retried += 1
            return
        if error.failure is Failure.FORBIDDEN:
            # Reminders stay armed but are not said while the chat is inactive, so they come
            # back by themselves if the user returns.
            log.info("chat %s blocked the bot or removed it; its messages stop", row.chat_id)
            async with self.db.transaction() as session:
                await session.execute(
                    update(Outbox)
                    .where(Outbox.chat_id == row.chat_id, Outbox.status == "pending")
                    .values(status="dropped", error="forbidden")
                )
                chat = await session.get(Chat, row.chat_id)
                if chat is not None:
                    chat.active = False
            return
        if error.failure is Failure.REJECTED or (row.op == "answer" and self._expired(row, error)):
            # Retrying a request Telegram rejected cannot help; a late button answer has expired.
            log.error("outbox %s (%s) rejected: %s", row.id, row.op, error.detail[:200])
            self.stats.failed += 1
            await self._settle(row, "failed", error)
            return
        # Waiting out a rate limit is not a failed try: only real failures use up attempts.
        waited = error.failure is Failure.RETRY_AFTER and row.op != "answer"
        attempts = row.attempts + (0 if waited else 1)
        if attempts >= self.max_attempts:
            log.error(
                "outbox %s (%s) gave up after %s attempts: %s", row.id, row.op, attempts, error
            )
            self.stats.failed += 1
            await self._settle(row, "failed", error)
            return
        if error.failure is Failure.RETRY_AFTER:
            wait = max(error.retry_after, 0.5)
            self._paused_until = time.monotonic() + wait
        else:
            wait = min(0.5 * 2 ** (attempts - 1), 60.0)
        self.stats.retried += 1
        async with self.db.transaction() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id == row.id)
                .values(
                    attempts=max(attempts, 1),
                    next_try_at=naive(self.clock.now() + timedelta(seconds=wait)),
                    error=str(error)[:200],
                )
            )

    def _expired(self, row: Outbox, error: SendError) -> bool:
        """Whether a button's answer is past helping: Telegram drops it after some seconds."""
        if error.failure not in (Failure.RETRY_AFTER, Failure.TRANSIENT):
            return True
        age = (self.clock.now() - aware(row.created_at)).total_seconds()
        return age > ANSWER_WINDOW

    async def _settle(self, row: Outbox, status: str, error: SendError) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id == row.id)
                .values(status=status, error=str(error)[:200], attempts=row.attempts + 1)
            )
