"""Webhook mode and several workers: real bot processes, the fake Bot API posting to them."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot import sealing
from bot.storage import locks
from bot.storage.db import Database
from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.test_e2e_kill import due_check_ins

SECRET = "webhook_secret-42"
HOOK = "https://mend.example.org/telegram/updates"
# What each command's reply says first, so a chat's replies show the order they came in.
MARKERS = {
    "/start": "Which language suits you?",
    "/help": "Mend helps you make things right",
    "/sos": "or thinking about ending your life",
}
SCRIPT = ["/start", "/help", "/sos", "/help", "/sos"]
QUESTION = "Did you keep your commitments today?"
IN_FLIGHT = 32


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def worker(fake: FakeTelegram, data_dir: Path, **settings: str) -> BotProcess:
    """A bot process in webhook mode on a port of its own."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return BotProcess(
        fake,
        data_dir,
        MODE="webhook",
        WEBHOOK_URL=HOOK,
        WEBHOOK_SECRET=SECRET,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(free_port()),
        **settings,
    )


def base(process: BotProcess) -> str:
    return f"http://127.0.0.1:{process.settings['HTTP_PORT']}"


async def health(process: BotProcess) -> dict[str, object]:
    async with (
        aiohttp.ClientSession() as client,
        client.get(base(process) + "/healthz") as response,
    ):
        return dict(json.loads(await response.text()))


async def test_webhook_mode_converses_and_refuses_forged_updates(
    fake: FakeTelegram, tmp_path: Path, framework: str
) -> None:
    bot = worker(fake, tmp_path, BOT_FRAMEWORK=framework)
    fake.webhook_targets([base(bot)])
    await bot.start()
    hook = fake.calls_of("setWebhook")[-1].params
    assert hook["url"] == HOOK
    assert hook["secret_token"] == SECRET
    assert "callback_query" in hook["allowed_updates"]
    user = fake.user(5001)
    user.send_text("/start")
    await user.wait_text("Which language suits you?")
    # Someone who found the address but not the secret is turned away, and nothing happens.
    forged = {
        "update_id": 999_999,
        "message": {
            "message_id": 1,
            "date": 1_764_000_000,
            "chat": {"id": 5002, "type": "private", "first_name": "X"},
            "from": {"id": 5002, "is_bot": False, "first_name": "X"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as client:
        async with client.post(base(bot) + "/telegram/updates", json=forged) as response:
            assert response.status == 401
        async with client.get(base(bot) + "/metrics") as response:
            metrics = await response.text()
    assert 'mend_updates_received_total{kind="command"} 1.0' in metrics
    assert await health(bot) == {"status": "ok", "database": "ok", "leader": True}
    assert not fake.calls_of("getUpdates"), "a webhook bot does not poll"
    assert await bot.stop() == 0
    log = bot.output()
    assert not fake.messages(5002), "the forged update was not acted on"
    assert "refused" in log
    assert fake.token not in log and SECRET not in log
    assert "Traceback" not in log, log[-3000:]


@pytest.fixture
def shared(postgres: Database) -> str:
    """A fresh PostgreSQL database for several workers (SQLite is one process's database)."""
    return postgres.url


@pytest.mark.timeout(300)
async def test_three_workers_share_updates_and_a_killed_leader_is_replaced(
    fake: FakeTelegram, tmp_path: Path, shared: str
) -> None:
    key = Fernet.generate_key().decode()
    settings = {
        "DATABASE_URL": shared,
        "DATA_KEY": key,
        "SEND_RATE": "300",
        "SEND_IN_FLIGHT": str(IN_FLIGHT),
        "LEADER_RETRY": "0.5",
    }
    workers = [worker(fake, tmp_path / f"w{n}", **settings) for n in range(3)]
    fake.webhook_targets([base(w) for w in workers])
    for process in workers:
        # One after the other: each start waits for its own setWebhook.
        await process.start()
    leaders = [w for w in workers if (await health(w))["leader"]]
    assert len(leaders) == 1, "exactly one worker leads"

    # Forty people each send five commands at once; their updates spread over the workers.
    people = [fake.user(6_000_000 + n) for n in range(40)]
    for person in people:
        for command in SCRIPT:
            person.send_text(command)

    def seen(person_id: int) -> list[str]:
        kinds = []
        for message in fake.messages(person_id):
            text = str(message.get("text", ""))
            kinds += [command for command, marker in MARKERS.items() if marker in text]
        return kinds

    await fake.wait_for(
        lambda: all(len(seen(p.user_id)) >= len(SCRIPT) for p in people),
        timeout=60,
        what="every reply",
    )
    for person in people:
        assert seen(person.user_id) == SCRIPT, f"{person.user_id}: {seen(person.user_id)}"
    targets = {entry.target for entry in fake.webhook_log if entry.status == 200}
    assert len(targets) == 3, "updates went to every worker"

    # A thousand check-ins come due; the leader is killed in the middle of sending them.
    due = range(8_000_001, 8_001_001)
    for person_id in due:
        fake.user(person_id)
    sealing.use(sealing.keys_from(key, tmp_path))
    await due_check_ins(shared, due)

    def asked() -> dict[int, int]:
        counts = dict.fromkeys(due, 0)
        for call in fake.calls_of("sendMessage"):
            chat = int(call.params["chat_id"])
            if call.status == 200 and chat in counts and QUESTION in str(call.params["text"]):
                counts[chat] += 1
        return counts

    await fake.wait_for(lambda: sum(asked().values()) >= 150, timeout=60, what="a fan-out")
    leader = leaders[0]
    await leader.kill()
    killed_at, sent_at_kill = time.monotonic(), sum(asked().values())
    survivors = [w for w in workers if w is not leader]
    fake.webhook_targets([base(w) for w in survivors])
    await fake.wait_for(
        lambda: sum(asked().values()) > sent_at_kill + IN_FLIGHT,
        timeout=30,
        what="another worker to take over",
    )
    print(f"\ntake-over: sending again {time.monotonic() - killed_at:.2f} s after the kill")
    await fake.wait_for(lambda: min(asked().values()) >= 1, timeout=120, what="every check-in")
    counts = asked()
    repeated = sum(n - 1 for n in counts.values() if n > 1)
    print(f"{len(counts)} check-ins, {repeated} sent twice")
    assert repeated <= IN_FLIGHT, repeated
    leading = [(await health(w))["leader"] for w in survivors]
    assert leading.count(True) == 1, leading

    for process in survivors:
        assert await process.stop() == 0
        log = process.output()
        assert "Traceback" not in log, log[-3000:]
        assert fake.token not in log


@pytest.mark.timeout(300)
async def test_three_workers_deliver_each_of_a_thousand_check_ins_exactly_once(
    fake: FakeTelegram, tmp_path: Path, shared: str
) -> None:
    key = Fernet.generate_key().decode()
    settings = {"DATABASE_URL": shared, "DATA_KEY": key, "SEND_RATE": "300"}
    workers = [worker(fake, tmp_path / f"w{n}", **settings) for n in range(3)]
    fake.webhook_targets([base(w) for w in workers])
    for process in workers:
        await process.start()
    due = range(8_100_001, 8_101_001)
    for person_id in due:
        fake.user(person_id)
    sealing.use(sealing.keys_from(key, tmp_path))
    await due_check_ins(shared, due)

    def asked() -> list[int]:
        return [
            int(call.params["chat_id"])
            for call in fake.calls_of("sendMessage")
            if call.status == 200 and QUESTION in str(call.params["text"])
        ]

    await fake.wait_for(lambda: set(asked()) >= set(due), timeout=120, what="every check-in")
    for process in workers:
        assert await process.stop() == 0
        assert "Traceback" not in process.output()
    # Stopped: anything sent twice has arrived by now.
    sent = asked()
    assert len(sent) == len(due) == len(set(sent)), "each check-in exactly once"


async def test_a_leader_cut_off_from_its_lock_stops_and_another_leads(
    fake: FakeTelegram, tmp_path: Path, postgres: Database
) -> None:
    key = Fernet.generate_key().decode()
    settings = {"DATABASE_URL": postgres.url, "DATA_KEY": key, "LEADER_RETRY": "0.3"}
    first, second = (worker(fake, tmp_path / f"w{n}", **settings) for n in range(2))
    fake.webhook_targets([base(first), base(second)])
    await first.start()
    await second.start()
    assert (await health(first))["leader"] and not (await health(second))["leader"]
    # The database drops the leader's lock connection (a failover, a network cut) while the
    # process itself lives on: it must stop leading, or two workers would send at once.
    async with postgres.transaction() as session:
        ended = await session.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                "WHERE locktype = 'advisory' AND classid = :space AND objid = :key"
            ),
            {"space": locks.SPACE, "key": locks.LEADER},
        )
    assert ended == 1
    assert first.process is not None
    assert await asyncio.wait_for(first.process.wait(), 30) == 1
    assert "lost the database connection that holds the lead" in first.output()
    assert "Traceback" not in first.output(), first.output()[-3000:]
    await fake.wait_for(lambda: "this worker leads" in second.output(), timeout=30, what="a lead")
    fake.webhook_targets([base(second)])
    user = fake.user(9_001)
    user.send_text("/start")
    await user.wait_text("Which language suits you?")
    first.process = None
    assert await second.stop() == 0
