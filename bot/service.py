"""The running bot: poll into the inbox, handle events, deliver the outbox, sweep reminders."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot import i18n
from bot.clock import Clock
from bot.config import Mode, Settings
from bot.events import Incoming
from bot.metrics import Metrics
from bot.runtime import Runtime
from bot.scheduler import Sweeper
from bot.sender import Delivery, Sender
from bot.storage import locks
from bot.storage.db import Database
from bot.workers import Coordinator
from flows import dispatch

if TYPE_CHECKING:
    from bot.web import WebServer

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram's command menu: every command that opens a flow, then the way out of one.
COMMANDS = (*dispatch.COMMANDS, "cancel")
# And in group chats, the couple's shared ones.
GROUP_COMMANDS = ("pair", "agreements", "talk", "thanks", "help")
IDLE_WAIT = 1.0
# Where the HTTP server listens in webhook mode when HTTP_PORT is not set.
HTTP_PORT = 8080
# How long a stopping bot lets handling and delivery finish what they are doing.
SHUTDOWN_GRACE = 5.0


class StartupError(Exception):
    """The bot cannot start: the message says why, in words an operator can act on."""


class Transport(Delivery, Protocol):
    """A platform the service can poll and deliver through."""

    # The bot's @username, known once start() has asked Telegram.
    username: str | None

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def poll(self, offset: int | None, wait: int) -> tuple[list[Incoming], int | None]: ...

    def read(self, data: dict[str, Any]) -> Incoming | None: ...

    async def set_webhook(self, url: str, secret: str) -> None: ...

    async def delete_webhook(self) -> None: ...

    async def set_commands(
        self, commands: dict[str, list[tuple[str, str]]], *, groups: bool = False
    ) -> None: ...


def command_list(*, groups: bool = False) -> dict[str, list[tuple[str, str]]]:
    """The command menu per Telegram language code; "" is everyone else (English)."""
    names, prefix = (GROUP_COMMANDS, "cmd-group-") if groups else (COMMANDS, "cmd-")
    return {
        ("" if lang == i18n.FALLBACK else lang): [
            (name, i18n.text(lang, prefix + name)) for name in names
        ]
        for lang in i18n.available()
    }


class Service:
    """Wires the runtime, sender and sweeper to one transport and runs them until stopped."""

    def __init__(
        self, settings: Settings, transport: Transport, db: Database | None = None
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.clock = Clock()
        self.db = db or Database(settings.resolved_database_url())
        self.metrics = Metrics()
        self.runtime = Runtime(
            self.db,
            self.clock,
            settings.default_locale,
            invite_days=settings.invite_days,
            metrics=self.metrics,
            replies_ready=self._replies_ready,
        )
        self.sender = Sender(
            self.db,
            transport,
            self.clock,
            rate=settings.send_rate,
            max_attempts=settings.send_max_attempts,
            chat_rate=settings.send_chat_rate,
            group_per_minute=settings.send_group_per_minute,
            in_flight=settings.send_in_flight,
            metrics=self.metrics,
        )
        self.inbox_wake = asyncio.Event()
        self.sweeper = Sweeper(self.runtime, settings.sweep_seconds, self._fired)
        # Several workers on PostgreSQL: one leads (sweeps, sends, polls); all handle events.
        self.coordinator = None if self.db.is_sqlite else Coordinator(self.db.engine)
        self.leading = False
        self.web: WebServer | None = None
        # What `python -m bot run` exits with: not 0 when the worker had to stop on its own.
        self.exit_code = 0

    def _replies_ready(self) -> None:
        self.sender.wake.set()

    async def _fired(self) -> None:
        self.inbox_wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set."""
        settings = self.settings
        webhook = settings.mode is Mode.WEBHOOK
        await self.db.migrate()
        self.tasks: list[asyncio.Task[None]] = []
        try:
            await self.transport.start()
            if self.transport.username:
                self.runtime.bot_username = self.transport.username
            if self.coordinator is not None:
                await self.coordinator.connect(self._wakeups())
            if webhook or settings.http_port is not None:
                # Imported only here: a polling bot without it starts sooner.
                from bot.web import WebServer

                self.web = WebServer(
                    self.runtime,
                    self.metrics,
                    reader=self.transport if webhook else None,
                    path=settings.webhook_path() if webhook else None,
                    secret=settings.webhook_secret.get_secret_value()
                    if settings.webhook_secret
                    else "",
                    received=self.inbox_wake.set,
                    leading=lambda: self.leading,
                )
                port = settings.http_port if settings.http_port is not None else HTTP_PORT
                await self.web.start(settings.http_host, port)
            if webhook:
                assert settings.webhook_url and settings.webhook_secret
                await self.transport.set_webhook(
                    settings.webhook_url, settings.webhook_secret.get_secret_value()
                )
            else:
                await self.transport.delete_webhook()
        except BaseException:
            await self._close()
            raise
        self.tasks.append(asyncio.create_task(self._handle(stop), name="handle"))
        self.tasks.append(asyncio.create_task(self._lead(stop), name="lead"))
        # The command menu can follow: a first reply must not wait for it.
        self.tasks.append(asyncio.create_task(self._announce_commands(), name="commands"))
        log.info("Mend is running (%s)", settings.mode.value)
        try:
            await stop.wait()
        finally:
            await self.sweeper.stop()
            # Handling and delivery finish the transaction they are in rather than being cut
            # off inside it; only if they take too long are they cancelled.
            self.inbox_wake.set()
            self.sender.halt()
            self.sender.wake.set()
            _done, late = await asyncio.wait(self.tasks, timeout=SHUTDOWN_GRACE)
            for task in late:
                task.cancel()
            for task in self.tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self._close()

    async def _announce_commands(self) -> None:
        """Register the command menu, private and group; the bot works without it."""
        try:
            await self.transport.set_commands(command_list())
            await self.transport.set_commands(command_list(groups=True), groups=True)
        except Exception as error:
            log.warning("the command menu could not be registered (%s)", type(error).__name__)

    def _wakeups(self) -> dict[str, Callable[[], None]]:
        """What another worker's NOTIFY wakes here: handling, or sending."""
        return {locks.INBOX: self.inbox_wake.set, locks.OUTBOX: self.sender.wake.set}

    async def _close(self) -> None:
        if self.web is not None:
            await self.web.stop()
        if self.coordinator is not None:
            await self.coordinator.close()
        await self.transport.close()
        await self.db.close()

    async def _lead(self, stop: asyncio.Event) -> None:
        """Wait to lead, then sweep, send (and poll); stop the worker if the lead is lost."""
        coordinator = self.coordinator
        while coordinator is not None and not stop.is_set():
            try:
                if not await coordinator.alive():
                    # Its connection went (a database restart, say): without it this worker
                    # could never lead nor hear the others, so it connects again.
                    await coordinator.close()
                    await coordinator.connect(self._wakeups())
                if await coordinator.try_lead():
                    break
            except Exception as error:
                log.warning("cannot ask for the lead (%s)", type(error).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.leader_retry)
        if stop.is_set():
            return
        self.leading = True
        self.metrics.leader.set(1)
        log.info("this worker leads: it sweeps reminders and sends the outbox")
        self.sweeper.start()
        duties = [asyncio.create_task(self._deliver(stop), name="deliver")]
        if self.settings.mode is Mode.POLLING:
            duties.append(asyncio.create_task(self._poll(stop), name="poll"))
        self.tasks += duties
        while coordinator is not None and not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.leader_retry)
            if not stop.is_set() and not await coordinator.alive():
                # Another worker may lead by now; two senders would break the rate limit.
                log.error("lost the database connection that holds the lead; stopping")
                # At once: another worker may be taking over this very moment.
                self.sender.halt()
                self.exit_code = 1
                stop.set()

    async def _poll(self, stop: asyncio.Event) -> None:
        offset: int | None = None
        backoff = 1.0
        while not stop.is_set():
            try:
                polled = await _unless_stopped(
                    self.transport.poll(offset, self.settings.poll_timeout), stop
                )
                if polled is None:
                    return
                items, next_offset = polled
                # Recorded durably before the next poll confirms these updates to Telegram.
                await self.runtime.record(items)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning(
                    "polling failed (%s); retrying in %.0f s", type(error).__name__, backoff
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            backoff = 1.0
            offset = next_offset
            if items:
                self.inbox_wake.set()

    async def _handle(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if await self.runtime.process_pending():
                    self.sender.wake.set()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("handling an event failed; it stays in the inbox")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.inbox_wake.wait(), IDLE_WAIT)
            self.inbox_wake.clear()

    async def _deliver(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.sender.deliver_due()
                upcoming = await self.sender.next_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery failed; pending messages stay in the outbox")
                upcoming = None
            wait = IDLE_WAIT
            if upcoming is not None:
                wait = min(max((upcoming - self.clock.now()).total_seconds(), 0.01), IDLE_WAIT)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.sender.wake.wait(), wait)
            self.sender.wake.clear()


async def _unless_stopped(call: Coroutine[Any, Any, T], stop: asyncio.Event) -> T | None:
    """The call's result, or None when `stop` is set first (the call is then cancelled)."""
    task = asyncio.ensure_future(call)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None
