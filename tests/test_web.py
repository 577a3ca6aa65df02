"""The worker's HTTP face: the webhook's secret, recording before the answer, health, metrics."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.clock import Clock
from bot.metrics import Metrics
from bot.runtime import Runtime
from bot.sender import Failure, Sender, SendError
from bot.storage.db import Database
from bot.storage.models import Inbox
from bot.transports.aiogram import AiogramTransport
from bot.transports.ptb import PtbTransport
from bot.web import SECRET_HEADER, Reader, WebServer
from tests.test_runtime import Phone

SECRET = "s3cret_-token"
PATH = "/telegram/hook"
PRIVATE_WORDS = "I shouted at her and I am ashamed"


def update(update_id: int, text: str, user: int = 42) -> dict[str, Any]:
    """A private message update exactly as the Bot API sends it."""
    person = {"id": user, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": 1_764_000_000,
        "chat": {"id": user, "type": "private", "first_name": "Sam"},
        "from": person,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


class Site:
    """A WebServer on a free loopback port and a client to call it."""

    def __init__(self, server: WebServer, client: aiohttp.ClientSession) -> None:
        self.server = server
        self.client = client
        self.base = f"http://127.0.0.1:{server.port}"

    async def post(self, body: Any, secret: str | None = SECRET) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        data = body if isinstance(body, bytes) else None
        async with self.client.post(
            self.base + PATH, json=None if data else body, data=data, headers=headers
        ) as response:
            return response.status

    async def raw_post(self, secret: bytes) -> int:
        """A POST whose secret header is raw bytes, as no polite client would send."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.server.port)
        body = json.dumps(update(9, PRIVATE_WORDS)).encode()
        writer.write(
            b"POST "
            + PATH.encode()
            + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + SECRET_HEADER.encode()
            + b": "
            + secret
            + b"\r\n"
            + b"Content-Type: application/json\r\nConnection: close\r\n"
            + b"Content-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 10)
        writer.close()
        await writer.wait_closed()
        return int(status.split()[1])

    async def get(self, path: str) -> tuple[int, str]:
        async with self.client.get(self.base + path) as response:
            return response.status, await response.text()


@pytest.fixture(params=["aiogram", "ptb"])
async def reader(request: pytest.FixtureRequest) -> AsyncIterator[Reader]:
    """Each framework's own reading of an update (no network: reading needs none)."""
    if request.param == "aiogram":
        transport = AiogramTransport("123456:TEST-TOKEN", "http://127.0.0.1:9", 2.0)
        yield transport
        await transport.close()
    else:
        yield PtbTransport("123456:TEST-TOKEN", "http://127.0.0.1:9", 2.0)


@asynccontextmanager
async def serve(
    runtime: Runtime, reader: Reader | None, woken: list[int] | None = None
) -> AsyncIterator[Site]:
    server = WebServer(
        runtime,
        runtime.metrics,
        reader=reader,
        path=PATH,
        secret=SECRET,
        received=lambda: (woken if woken is not None else []).append(1),
    )
    await server.start("127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as client:
            yield Site(server, client)
    finally:
        await server.stop()


async def inbox_count(db: Database) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(Inbox)) or 0)


async def test_an_update_is_recorded_before_telegram_hears_ok_and_only_once(
    database: Database, reader: Reader
) -> None:
    runtime = Runtime(database, Clock())
    woken: list[int] = []
    async with serve(runtime, reader, woken) as site:
        assert await site.post(update(1, "/start")) == 200
        # The 200 is Telegram's signal to forget the update: it must already be stored.
        assert await inbox_count(database) == 1
        assert woken, "the handler is woken at once"
        # Telegram sends it again when it missed our answer: still one event.
        assert await site.post(update(1, "/start")) == 200
        assert await inbox_count(database) == 1
        assert await runtime.process_pending() == 1


async def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_kept(
    database: Database, reader: Reader, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = Runtime(database, Clock())
    caplog.set_level(logging.DEBUG)
    async with serve(runtime, reader) as site:
        assert await site.post(update(1, PRIVATE_WORDS), secret=None) == 401
        assert await site.post(update(2, PRIVATE_WORDS), secret="guess") == 401
        assert await site.post(update(3, PRIVATE_WORDS), secret=SECRET + "x") == 401
        # A header that is not even UTF-8 is a wrong secret too, not a server error.
        assert await site.raw_post(b"s\xe9cret") == 401
    assert await inbox_count(database) == 0
    assert "refused" in caplog.text
    assert PRIVATE_WORDS not in caplog.text
    assert SECRET not in caplog.text
    assert "Traceback" not in caplog.text and "Error handling request" not in caplog.text


async def test_what_is_not_an_update_changes_nothing(database: Database, reader: Reader) -> None:
    runtime = Runtime(database, Clock())
    async with serve(runtime, reader) as site:
        assert await site.post(b"{not json") == 400
        assert await site.post(["a", "list"]) == 400
        assert await site.post({"message": {"text": "no update id"}}) == 400
        # An update the framework cannot read is let go: Telegram would only send it forever.
        broken = update(5, "hello")
        del broken["message"]["chat"]
        assert await site.post(broken) == 200
    assert await inbox_count(database) == 0


async def test_health_says_whether_the_database_answers(database: Database) -> None:
    async with serve(Runtime(database, Clock()), None) as site:
        status, body = await site.get("/healthz")
        assert status == 200
        assert '"database": "ok"' in body
    # Nothing listens on port 9: the database is unreachable, and health says so.
    gone = Database("postgresql+asyncpg://postgres@127.0.0.1:9/none")
    try:
        async with serve(Runtime(gone, Clock()), None) as site:
            status, body = await site.get("/healthz")
            assert status == 503
            assert "unavailable" in body
            # Metrics still answer: what the worker counted does not need the database.
            status, _ = await site.get("/metrics")
            assert status == 200
    finally:
        await gone.close()


async def test_metrics_count_updates_handling_the_outbox_and_send_errors(
    database: Database, reader: Reader
) -> None:
    metrics = Metrics()
    runtime = Runtime(database, Clock(), metrics=metrics)
    async with serve(runtime, reader) as site:
        assert await site.post(update(1, "/start")) == 200
        assert await site.post(update(2, "/start", user=43)) == 200
        assert await site.post(update(3, "hello", user=43)) == 200
        await runtime.process_pending()
        _, before = await site.get("/metrics")
        phone = Phone(failures=[SendError(Failure.RETRY_AFTER, "Too Many Requests", 0.01)])
        sender = Sender(database, phone, Clock(), rate=1000, metrics=metrics)
        await sender.deliver_due()
        status, text = await site.get("/metrics")
    assert status == 200
    replies = len(phone.messages)
    assert replies >= 3
    assert f"mend_outbox_depth {float(replies)}" in before, "every reply waited in the outbox"
    assert "mend_outbox_depth 0.0" in text, "and nothing waits once they are sent"
    assert f"mend_messages_sent_total {float(replies)}" in text
    assert 'mend_updates_received_total{kind="command"} 2.0' in text
    assert 'mend_updates_received_total{kind="text"} 1.0' in text
    assert 'mend_updates_processed_total{kind="command"} 2.0' in text
    assert "mend_handling_seconds_count 3.0" in text
    assert 'mend_send_errors_total{code="429"} 1.0' in text
    assert "mend_rate_limit_waits_total 1.0" in text
