"""SIGKILL, twenty times, while a thousand check-ins go out: nothing is lost, little is repeated."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import naive
from bot.storage.db import Database
from bot.storage.models import Chat, Profile, Reminder
from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.sealed import keys_of

PEOPLE = range(900_001, 901_001)
KILLS = 20
IN_FLIGHT = 32
QUESTION = "Did you keep your commitments today?"


async def _due_for_everyone(data_dir: Path, people: range = PEOPLE) -> None:
    """A thousand check-ins due a minute ago in the bot's SQLite file, sealed with its key."""
    with keys_of(data_dir):
        await due_check_ins(f"sqlite+aiosqlite:///{data_dir / 'mend.db'}", people)


async def due_check_ins(url: str, people: range) -> None:
    """Check-ins due a minute ago (quiet hours off), written as the bot would."""
    moment = naive(datetime.now(UTC) - timedelta(minutes=1))
    db = Database(url)
    try:
        async with db.transaction() as session:
            for person in people:
                session.add(Chat(chat_id=person, active=True, updated_at=moment))
                session.add(
                    Profile(
                        user_id=person,
                        locale="en",
                        data={"intake_done": True, "quiet": ["00:00", "00:00"]},
                        created_at=moment,
                        updated_at=moment,
                    )
                )
                session.add(
                    Reminder(
                        chat_id=person,
                        user_id=person,
                        key="checkin",
                        kind="checkin",
                        payload={},
                        due_at=moment,
                        state="pending",
                        created_at=moment,
                    )
                )
    finally:
        await db.close()


@pytest.mark.timeout(400)
async def test_sigkill_during_a_fan_out_loses_no_check_in(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = BotProcess(
        fake, tmp_path, SEND_RATE="500", SEND_CHAT_RATE="20", SEND_IN_FLIGHT=str(IN_FLIGHT)
    )
    await bot.start()
    assert await bot.stop() == 0
    for person in PEOPLE:
        fake.user(person)
    await _due_for_everyone(tmp_path)

    def asked() -> dict[int, int]:
        counts = dict.fromkeys(PEOPLE, 0)
        for call in fake.calls_of("sendMessage"):
            chat = int(call.params["chat_id"])
            if call.status == 200 and chat in counts and QUESTION in str(call.params["text"]):
                counts[chat] += 1
        return counts

    moments = random.Random(20261126)
    await bot.start()
    for _ in range(KILLS):
        # The kill lands at a random moment of the fan-out: that is the point of the test.
        sent = sum(asked().values())
        await fake.wait_for(
            lambda sent=sent: sum(asked().values()) >= sent + moments.randint(1, 40),  # type: ignore[misc]
            timeout=30,
            what="some check-ins to go out",
        )
        await bot.kill()
        await bot.start()
    await fake.wait_for(lambda: min(asked().values()) >= 1, timeout=120, what="every check-in")
    counts = asked()
    repeated = sum(n - 1 for n in counts.values() if n > 1)
    print(f"\n{len(counts)} check-ins, {KILLS} kills, {repeated} sent twice")
    # At most the messages in flight at each kill go out again.
    assert repeated <= KILLS * IN_FLIGHT, repeated
    assert await bot.stop() == 0
