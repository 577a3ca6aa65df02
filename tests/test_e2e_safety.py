"""End to end, safety: words of crisis mid-flow, /sos, and abuse switching reconciliation off."""

from __future__ import annotations

import asyncio
import json
import sqlite3

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.sealed import keys_of, opened
from tests.test_e2e import intake, tap
from tests.test_privacy import _mentions


async def test_a_crisis_mid_flow_pauses_it_then_sos_and_abuse(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = fake.user(6001)
    await intake(
        user, "My partner", "Lied or hid something", "Serious", "Yes", heat="0–2", expect="What"
    )
    user.send_text("/reflect")
    await user.wait_text("1/4. What exactly did you do")
    user.send_text("I read her messages and lied about it")
    await user.wait_text("2/4. How do you think it affected them?")

    # Words of crisis: the reflection waits, help comes first, in the same breath.
    user.send_text("honestly i dont want to live anymore")
    help_message = await user.wait_text("Who can help now")
    assert "findahelpline.com" in help_message["text"]
    user.send_text("she felt spied on")
    await user.wait_text("Take your time")
    await tap(user, "Go on where I was", "2/4. How do you think it affected them?")

    # /sos shows the same help at any time.
    user.send_text("/sos")
    await user.wait_text("If you're in danger")

    # Someone hurting them: meeting and invitations switch off, and say why.
    user.send_text("he hit me again last night and im scared to go home")
    await user.wait_text("I'm sorry this is happening to you")
    user.send_text("/meet")
    await user.wait_text("I won't help with meeting or reaching out")
    user.send_text("/invite")
    replies = await user.wait_text("Since you don't feel safe")
    assert "t.me/" not in replies["text"]


async def test_export_then_delete_leaves_nothing_behind(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = fake.user(6002)
    await intake(user, "My partner", "Broke a promise", "Small", "Yes", heat="0–2", expect="What")
    user.send_text("/export")
    await user.wait_text("Everything I keep about you")
    exported = json.loads(fake.uploads["mend-data.json"])
    assert exported["user_id"] == 6002 and exported["profile"]["intake"]["what"] == "promise"

    user.send_text("/delete")
    await tap(user, "Yes, erase it all", "It's all erased")
    # The goodbye is deleted just after Telegram has it; wait (bounded) for that commit.
    database = bot.data_dir / "mend.db"
    for _ in range(100):
        with sqlite3.connect(database) as db:
            if not db.execute("SELECT 1 FROM outbox WHERE chat_id = 6002").fetchall():
                break
        await asyncio.sleep(0.05)
    # Every table of the bot's own database, read with its own key: nothing names them.
    with keys_of(bot.data_dir), sqlite3.connect(database) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                assert not any(_mentions(opened(value), 6002) for value in row), (table, row)
