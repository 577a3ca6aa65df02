"""FakeTelegram delivers updates by webhook the way the Bot API server does."""

from __future__ import annotations

import asyncio
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Update
from aiohttp import web

from tests.fake_telegram import (
    CONFLICT_SET_WEBHOOK,
    CONFLICT_WEBHOOK,
    SECRET_BAD_CHARS,
    SECRET_TOO_LONG,
    WEBHOOK_BAD_PORT,
    WEBHOOK_NO_HTTPS,
    FakeTelegram,
    WebhookDelivery,
)

pytestmark = pytest.mark.timeout(20)
Json = dict[str, Any]
T = TypeVar("T")

HOOK = "https://mend.example.org/telegram/hook"
SECRET = "s3cret_-Token"


@dataclass
class Hit:
    """One webhook POST the receiver got."""

    update_id: int
    chat_id: int
    path_qs: str
    secret: str | None
    content_type: str
    body: Json


class Receiver:
    """The test's own "bot": an aiohttp app on 127.0.0.1 that records webhook POSTs."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        # Statuses to answer the next POSTs with; 200 once they run out.
        self.statuses: list[int] = []
        # While True every POST stays open until release(), so tests can see what overlaps.
        self.hold = False
        self.held: dict[int, asyncio.Event] = {}
        self.in_flight: Counter[int] = Counter()
        self.peak: Counter[int] = Counter()
        self.total = 0
        self.total_peak = 0
        self.url = ""
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Let held requests go and shut down."""
        self.hold = False
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()

    def release(self) -> None:
        """Answer every held POST now."""
        # Forget them at once so a wait right after this one sees only newer arrivals.
        for event in self.held.values():
            event.set()
        self.held.clear()

    def ids(self) -> list[int]:
        """update_ids in arrival order."""
        return [hit.update_id for hit in self.hits]

    async def wait_until(self, predicate: Callable[[], T | None], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        """Return predicate's first truthy value, re-checked after every arrival."""
        async with asyncio.timeout(timeout):
            while True:
                changed = self._changed
                value = predicate()
                if value:
                    return value
                await changed.wait()

    def _fire(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        body: Json = await request.json()
        payload = next(value for key, value in body.items() if key != "update_id")
        update_id, chat_id = int(body["update_id"]), int(payload["chat"]["id"])
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.hits.append(
            Hit(update_id, chat_id, request.path_qs, secret, request.content_type, body)
        )
        self.in_flight[chat_id] += 1
        self.peak[chat_id] = max(self.peak[chat_id], self.in_flight[chat_id])
        self.total += 1
        self.total_peak = max(self.total_peak, self.total)
        try:
            if self.hold:
                release = asyncio.Event()
                self.held[update_id] = release
                self._fire()
                async with asyncio.timeout(5.0):
                    await release.wait()
            else:
                self._fire()
            status = self.statuses.pop(0) if self.statuses else 200
            return web.json_response({}, status=status)
        finally:
            self.in_flight[chat_id] -= 1
            self.total -= 1


class Api:
    """A bare HTTP client for the fake's Bot API."""

    def __init__(self, fake: FakeTelegram, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.session = session

    async def call(self, method: str, **params: Any) -> tuple[int, Json]:
        """Call with a JSON body; return the HTTP status and the decoded body."""
        url = f"{self.fake.url}/bot{self.fake.token}/{method}"
        async with self.session.post(url, json=params) as response:
            body: Json = await response.json()
            return response.status, body

    async def ok(self, method: str, **params: Any) -> Any:
        """Call and insist on success; return the result."""
        status, body = await self.call(method, **params)
        assert status == 200, body
        return body["result"]

    async def error(self, method: str, **params: Any) -> str:
        """Call and insist on a 400; return the description."""
        status, body = await self.call(method, **params)
        assert (status, body["ok"], body["error_code"]) == (400, False, 400), body
        return str(body["description"])


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[Api]:
    """A raw HTTP client for the fake."""
    async with aiohttp.ClientSession() as session:
        yield Api(fake, session)


@pytest.fixture
async def receivers(fake: FakeTelegram) -> AsyncIterator[Callable[[], Awaitable[Receiver]]]:
    """Start receivers on demand; the fake stops delivering before they shut down."""
    started: list[Receiver] = []

    async def start() -> Receiver:
        receiver = Receiver()
        await receiver.start()
        started.append(receiver)
        return receiver

    try:
        yield start
    finally:
        await fake.stop()
        for receiver in started:
            await receiver.stop()


async def holding(
    fake: FakeTelegram,
    api: Api,
    receivers: Callable[[], Awaitable[Receiver]],
    **hook: Any,
) -> Receiver:
    """A receiver that holds every POST, set up as the only target of a webhook at HOOK."""
    receiver = await receivers()
    receiver.hold = True
    fake.webhook_targets([receiver.url])
    await api.ok("setWebhook", url=HOOK, **hook)
    return receiver


@pytest.fixture
def dead_url() -> Iterator[str]:
    """A 127.0.0.1 base URL whose port is bound but not listening: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def delivered(fake: FakeTelegram) -> bool:
    """Whether nothing is left pending."""
    return not fake.pending_updates()


# ---------------------------------------------------------------- setWebhook checks


async def test_set_webhook_is_as_strict_as_telegram(fake: FakeTelegram, api: Api) -> None:
    """http://, a port Telegram refuses, a bad secret or bad allowed_updates get a 400."""
    assert await api.error("setWebhook", url="http://mend.example.org/hook") == WEBHOOK_NO_HTTPS
    assert await api.error("setWebhook", url="https://mend.example.org:8080/hook") == (
        WEBHOOK_BAD_PORT
    )
    assert await api.error("setWebhook", url=HOOK, secret_token="not secret!") == (SECRET_BAD_CHARS)
    assert await api.error("setWebhook", url=HOOK, secret_token="x" * 257) == SECRET_TOO_LONG
    assert await api.error("setWebhook", url=HOOK, allowed_updates="message") == (
        "Bad Request: can't parse allowed updates JSON object"
    )
    assert not fake.webhook_ready
    assert await api.ok("getWebhookInfo") == {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": 0,
    }

    for port in (88, 8443):
        assert await api.ok("setWebhook", url=f"https://mend.example.org:{port}/hook") is True
    assert await api.ok("setWebhook", url=HOOK, secret_token="x" * 256, max_connections=7)
    info = await api.ok("getWebhookInfo")
    assert (info["url"], info["max_connections"], fake.webhook_ready) == (HOOK, 7, True)
    # An empty url deletes the webhook, as deleteWebhook would.
    assert await api.ok("setWebhook", url="") is True
    assert not fake.webhook_ready and (await api.ok("getWebhookInfo"))["url"] == ""


async def test_set_webhook_ends_a_running_long_poll(fake: FakeTelegram, api: Api) -> None:
    """A long poll waiting when the webhook is set ends with Telegram's 409."""
    poll = asyncio.create_task(api.call("getUpdates", timeout=5))
    await fake.wait_for(lambda: fake.is_polling, 2)
    assert await api.ok("setWebhook", url=HOOK) is True
    status, body = await asyncio.wait_for(poll, 2)
    assert (status, body["description"]) == (409, CONFLICT_SET_WEBHOOK)


async def test_aiogram_sets_and_reads_the_webhook(fake: FakeTelegram) -> None:
    """aiogram's form encoding sets every option and parses getWebhookInfo."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url), timeout=5)
    bot = Bot(fake.token, session=session)
    try:
        fake.user(101).send_text("old")
        assert await bot.set_webhook(
            HOOK,
            secret_token=SECRET,
            max_connections=5,
            allowed_updates=["message", "callback_query"],
            drop_pending_updates=True,
        )
        info = await bot.get_webhook_info()
        assert (info.url, info.max_connections, info.pending_update_count) == (HOOK, 5, 0)
        assert info.allowed_updates == ["callback_query", "message"]
        assert info.last_error_date is None
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
    finally:
        await bot.session.close()


# ---------------------------------------------------------------- delivery


async def test_updates_arrive_with_the_secret_and_are_confirmed_on_200(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """Each update is POSTed as getUpdates would return it, with the secret; 200 confirms it."""
    receiver = await receivers()
    fake.webhook_targets([receiver.url])
    url = f"{HOOK}?bot=mend"
    assert await api.ok("setWebhook", url=url, secret_token=SECRET) is True
    assert fake.webhook_ready and not fake.is_polling
    status, body = await api.call("getUpdates")
    assert (status, body["description"]) == (409, CONFLICT_WEBHOOK)

    ann = fake.user(101)
    first, second = ann.send_text("hello"), ann.send_text("/start")
    expected = fake.pending_updates()
    await fake.wait_for(lambda: delivered(fake), 5, what="both updates confirmed")

    assert [hit.body for hit in receiver.hits] == expected
    assert {(hit.path_qs, hit.secret, hit.content_type) for hit in receiver.hits} == {
        ("/telegram/hook?bot=mend", SECRET, "application/json")
    }
    for hit in receiver.hits:
        Update.model_validate(hit.body)
    assert fake.webhook_log == [
        WebhookDelivery(first, receiver.url, 200),
        WebhookDelivery(second, receiver.url, 200),
    ]
    assert await api.ok("getWebhookInfo") == {
        "url": url,
        "has_custom_certificate": False,
        "pending_update_count": 0,
        "max_connections": 40,
    }


async def test_a_failed_delivery_is_retried_and_confirmed_once(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """A 500 leaves the update pending and records the error; the retry's 200 confirms it once."""
    receiver = await receivers()
    receiver.statuses = [500]
    fake.webhook_targets([receiver.url])
    await api.ok("setWebhook", url=HOOK)
    before = int(time.time())
    ann = fake.user(101)
    update_id = ann.send_text("again")
    await fake.wait_for(lambda: delivered(fake), 5, what="the retry to be confirmed")
    assert [(d.update_id, d.status) for d in fake.webhook_log] == [
        (update_id, 500),
        (update_id, 200),
    ]
    info = await api.ok("getWebhookInfo")
    assert (
        info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    )
    assert before <= info["last_error_date"] <= time.time()

    # A later update goes through; the confirmed one is never sent again.
    marker = ann.send_text("marker")
    await fake.wait_for(lambda: delivered(fake), 5, what="the marker to be confirmed")
    assert receiver.ids() == [update_id, update_id, marker]


async def test_connection_errors_and_timeouts_are_retried(
    fake: FakeTelegram,
    api: Api,
    receivers: Callable[[], Awaitable[Receiver]],
    dead_url: str,
) -> None:
    """A refused connection or a timeout logs status 0 and keeps the update for a retry."""
    receiver = await receivers()
    fake.webhook_targets([dead_url])
    await api.ok("setWebhook", url=HOOK)
    refused = fake.user(101).send_text("nobody home")
    await fake.wait_for(lambda: fake.webhook_log, 5, what="a failed delivery")
    assert fake.webhook_log[0] == WebhookDelivery(refused, dead_url, 0)
    info = await api.ok("getWebhookInfo")
    assert (info["pending_update_count"], info["last_error_message"]) == (1, "Connection refused")

    fake.webhook_targets([receiver.url])
    await fake.wait_for(lambda: delivered(fake), 5, what="delivery once the bot is up")
    assert receiver.ids() == [refused]

    fake.webhook_timeout = 0.2
    receiver.hold = True
    slow = fake.user(102).send_text("slow")
    await fake.wait_for(
        lambda: any(d.update_id == slow for d in fake.webhook_log), 5, what="a timeout"
    )
    receiver.hold = False
    receiver.release()
    await fake.wait_for(lambda: delivered(fake), 5, what="the retry after the timeout")
    outcomes = [d.status for d in fake.webhook_log if d.update_id == slow]
    assert outcomes[0] == 0 and outcomes[-1] == 200 and outcomes.count(200) == 1
    assert (await api.ok("getWebhookInfo"))["last_error_message"] == "Read timeout expired"


async def test_one_chat_in_order_two_chats_in_parallel(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """A chat's next update waits for the previous one's answer; another chat's does not."""
    receiver = await holding(fake, api, receivers, secret_token=SECRET)
    ann, bob = fake.user(101), fake.user(102, "Bob")
    anns = [ann.send_text(f"a{i}") for i in range(3)]
    bobs = [bob.send_text(f"b{i}") for i in range(3)]
    for turn in range(3):
        # Both chats' heads are held open at once, and nothing else of theirs has come.
        held = await receiver.wait_until(
            lambda: sorted(receiver.held) if len(receiver.held) >= 2 else None
        )
        assert held == sorted([anns[turn], bobs[turn]])
        receiver.release()
    await fake.wait_for(lambda: delivered(fake), 5, what="all six confirmed")
    assert receiver.peak == Counter({101: 1, 102: 1})
    assert receiver.total_peak == 2
    assert [hit.update_id for hit in receiver.hits if hit.chat_id == 101] == anns
    assert [hit.update_id for hit in receiver.hits if hit.chat_id == 102] == bobs


async def test_max_connections_bounds_requests_in_flight(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """With max_connections=1 even different chats wait for each other."""
    receiver = await holding(fake, api, receivers, max_connections=1)
    pushed = [fake.user(100 + n).send_text("hi") for n in range(1, 5)]
    for _ in pushed:
        await receiver.wait_until(lambda: receiver.held)
        assert len(receiver.held) == 1
        receiver.release()
    await fake.wait_for(lambda: delivered(fake), 5, what="all four confirmed")
    assert receiver.total_peak == 1 and sorted(receiver.ids()) == pushed


async def test_only_allowed_updates_are_delivered(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """Without targets nothing goes out; with them, other update types stay pending."""
    receiver = await receivers()
    await api.ok("setWebhook", url=HOOK, allowed_updates=["message"])
    ann = fake.user(101)
    text = ann.send_text("hello")
    message_id = fake.pending_updates()[0]["message"]["message_id"]
    edit = ann.edit_text(message_id, "hello again")
    later = ann.send_text("still here")
    assert (await api.ok("getWebhookInfo"))["pending_update_count"] == 3

    fake.webhook_targets([receiver.url])
    await fake.wait_for(
        lambda: [u["update_id"] for u in fake.pending_updates()] == [edit], 5, what="messages"
    )
    assert receiver.ids() == [text, later]
    info = await api.ok("getWebhookInfo")
    assert (info["pending_update_count"], info["allowed_updates"]) == (1, ["message"])

    await api.ok("deleteWebhook")
    result = await api.ok("getUpdates", allowed_updates=["edited_message"])
    assert [u["update_id"] for u in result] == [edit]


async def test_round_robin_over_two_targets(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """Deliveries alternate between the targets; without a secret there is no secret header."""
    one, two = await receivers(), await receivers()
    fake.webhook_targets([one.url, two.url])
    await api.ok("setWebhook", url=HOOK)
    ann = fake.user(101)
    pushed = [ann.send_text(f"m{i}") for i in range(4)]
    await fake.wait_for(lambda: delivered(fake), 5, what="all four confirmed")
    assert [d.target for d in fake.webhook_log] == [one.url, two.url, one.url, two.url]
    assert one.ids() == pushed[0::2] and two.ids() == pushed[1::2]
    assert {hit.secret for hit in one.hits + two.hits} == {None}


async def test_delete_webhook_stops_delivery_and_get_updates_works(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """deleteWebhook drops the request in flight (its update stays) and getUpdates resumes."""
    receiver = await holding(fake, api, receivers)
    ann = fake.user(101)
    first = ann.send_text("in flight")
    await receiver.wait_until(lambda: receiver.held)

    assert await api.ok("deleteWebhook") is True
    assert not fake.webhook_ready
    receiver.release()
    second = ann.send_text("after")
    result = await api.ok("getUpdates")
    assert [u["update_id"] for u in result] == [first, second]
    assert await api.ok("getUpdates", offset=second + 1) == []
    # The held POST never got its answer to the fake, and nothing went out after the delete.
    assert fake.webhook_log == [] and receiver.ids() == [first]


async def test_stop_ends_delivery_cleanly(
    fake: FakeTelegram, api: Api, receivers: Callable[[], Awaitable[Receiver]]
) -> None:
    """stop() with a POST in flight leaves no delivery task behind."""
    receiver = await holding(fake, api, receivers)
    fake.user(101).send_text("in flight")
    fake.user(102).send_text("also in flight")
    await receiver.wait_until(lambda: len(receiver.held) == 2)
    await fake.stop()
    left = [t for t in asyncio.all_tasks() if t.get_name().startswith("fake-telegram-webhook")]
    assert left == []
    assert len(fake.pending_updates()) == 2
