"""End to end, couple mode: two people on Telegram, an invite link, consent, and space."""

from __future__ import annotations

import re

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.test_e2e import intake, tap


async def test_invite_by_link_consent_safety_and_space(fake: FakeTelegram, bot: BotProcess) -> None:
    repairing, hurt, stranger = fake.user(3001), fake.user(3002), fake.user(3003)
    await intake(
        repairing,
        "My partner",
        "Lied or hid something",
        "Serious",
        "Yes",
        heat="0–2",
        expect="What would",
    )
    repairing.send_text("/invite")
    message = await repairing.wait_text("?start=")
    link = re.search(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)", message["text"])
    assert link is not None
    assert link.group(1) == fake.username

    # The person who was hurt opens the link: consent first, then one private question.
    hurt.send_text(f"/start {link.group(2)}")
    await hurt.wait_text("Would you like to join?")
    await tap(hurt, "Yes, I'll join", "do you feel safe")
    await tap(hurt, "Yes, I feel safe", "This is your corner")
    await repairing.wait_text("They joined")

    # A forwarded link does nothing for anyone else.
    stranger.send_text(f"/start {link.group(2)}")
    await stranger.wait_text("already been used")

    # Space, set by the person who was hurt, holds the other's meeting flow.
    await tap(hurt, "Ask for space", "How long do you need?")
    await tap(hurt, "A week", "For 7 days")
    await repairing.wait_text("They asked for space for 7 days")
    repairing.send_text("/meet")
    await repairing.wait_text("now isn't the time to meet")
    # Only the two of them ever heard from the bot, each in their own chat.
    chats = {int(c.params["chat_id"]) for c in fake.calls_of("sendMessage")}
    assert chats == {repairing.chat_id, hurt.chat_id, stranger.chat_id}
