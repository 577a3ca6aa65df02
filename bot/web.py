"""A worker's HTTP face: Telegram's webhook, /healthz and /metrics, served by aiohttp."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any, Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot.events import Incoming
from bot.metrics import Metrics
from bot.runtime import Runtime

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A health check that takes longer than this means the database is not really reachable.
HEALTH_TIMEOUT = 2.0
# Updates written in one transaction at most.
GROUP_MOST = 100


class Reader(Protocol):
    """Turns one update's JSON into an event, with the framework's own validation."""

    def read(self, data: dict[str, Any]) -> Incoming | None: ...


class WebServer:
    """Receives updates at `path` (when given), and answers health and metrics checks."""

    def __init__(
        self,
        runtime: Runtime,
        metrics: Metrics,
        *,
        reader: Reader | None = None,
        path: str | None = None,
        secret: str = "",
        received: Callable[[], None] = lambda: None,
        leading: Callable[[], bool] = lambda: True,
    ) -> None:
        self.runtime = runtime
        self.metrics = metrics
        self.reader = reader
        self.secret = secret.encode()
        self.received = received
        self.leading = leading
        self.app = web.Application()
        self.app.router.add_get("/healthz", self._health)
        self.app.router.add_get("/metrics", self._metrics)
        if path is not None:
            self.app.router.add_post(path, self._update)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._waiting: list[tuple[Incoming, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def start(self, host: str, port: int) -> None:
        """Listen on host:port (port 0: any free port, then in `self.port`)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        addresses = self._runner.addresses
        self.port = int(addresses[0][1]) if addresses else port
        log.info("HTTP server listening on %s:%s", host, self.port)

    async def stop(self) -> None:
        """Stop listening; a request under way is let finish."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._writer is not None:
            await self._writer

    async def _update(self, request: web.Request) -> web.Response:
        # surrogateescape: a header that is not UTF-8 is just a wrong secret, not an error.
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self.secret):
            # Only the event is logged: never the body, which may hold someone's words.
            log.warning("webhook request refused: missing or wrong secret token")
            return web.Response(status=401)
        try:
            data = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        assert self.reader is not None
        item = self.reader.read(data)
        if item is not None:
            try:
                await self._recorded(item)
            except Exception as error:
                # Not recorded, so not confirmed: Telegram sends it again later.
                log.error(
                    "recording update %s failed (%s)", data["update_id"], type(error).__name__
                )
                return web.Response(status=503)
            self.received()
        # Recorded durably (or not for us): Telegram may forget it now.
        return web.Response(status=200)

    async def _recorded(self, item: Incoming) -> None:
        """Record `item` together with whatever else arrived meanwhile: one transaction for all.

        Telegram posts many updates at once; writing each in a transaction of its own would
        spend more on commits than on anything else.
        """
        answer: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await answer

    async def _write(self) -> None:
        while self._waiting:
            taken, self._waiting = self._waiting[:GROUP_MOST], self._waiting[GROUP_MOST:]
            try:
                await self.runtime.record([item for item, _ in taken])
            except Exception as error:
                for _, answer in taken:
                    if not answer.done():
                        answer.set_exception(error)
                continue
            for _, answer in taken:
                if not answer.done():
                    answer.set_result(None)

    async def _health(self, _request: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(self._ping(), HEALTH_TIMEOUT)
        except Exception as error:
            body = {"status": "unavailable", "database": type(error).__name__}
            return web.json_response(body, status=503)
        return web.json_response({"status": "ok", "database": "ok", "leader": self.leading()})

    async def _ping(self) -> None:
        async with self.runtime.db.reading() as session:
            await session.execute(text("SELECT 1"))

    async def _metrics(self, _request: web.Request) -> web.Response:
        try:
            waiting, due = await asyncio.wait_for(self.runtime.depths(), HEALTH_TIMEOUT)
        except Exception as error:
            log.warning("metrics: the database did not answer (%s)", type(error).__name__)
        else:
            self.metrics.outbox_depth.set(waiting)
            self.metrics.reminders_due.set(due)
        body = self.metrics.exposition()
        # CONTENT_TYPE_LATEST carries a charset, which aiohttp wants apart from the type.
        kind, _, charset = CONTENT_TYPE_LATEST.partition("; charset=")
        return web.Response(body=body, content_type=kind, charset=charset or None)
