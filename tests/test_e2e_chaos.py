"""End to end with a flaky Telegram: one call in ten fails, yet replies arrive once, in order."""

from __future__ import annotations

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_e2e import tap

# What the conversation below must show, in this order, each exactly once.
EXPECTED = [
    "Hi, I'm Mend",
    "Let's slow things down",
    "Mend helps you make things right",
    "1/4. What exactly did you do",
    "2/4. How do you think it affected them?",
    "Who can help now",
]


async def converse(user: FakeUser) -> None:
    user.send_text("/start")
    await user.wait_text("Which language suits you?", timeout=30)
    await tap(user, "English", "Who did you hurt?")
    user.send_text("/calm")
    await user.wait_text("Let's slow things down", timeout=30)
    user.send_text("/help")
    await user.wait_text("Mend helps you make things right", timeout=30)
    user.send_text("/reflect")
    await user.wait_text("1/4. What exactly did you do", timeout=30)
    user.send_text("I read her messages and lied about it")
    await user.wait_text("2/4. How do you think it affected them?", timeout=30)
    user.send_text("honestly i want to die")
    await user.wait_text("Who can help now", timeout=30)


async def test_every_reply_arrives_once_and_in_order_through_random_faults(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    fake.chaos(0.1, seed=7)
    user = fake.user(8001)
    await converse(user)
    fake.chaos(0.0)
    texts = [str(m.get("text", "")) for m in user.replies()]
    missing = [p for p in EXPECTED if not any(p in t for t in texts)]
    assert not missing, (missing, texts)
    places = [next(i for i, t in enumerate(texts) if phrase in t) for phrase in EXPECTED]
    assert places == sorted(places), texts
    for phrase in EXPECTED:
        assert sum(phrase in t for t in texts) == 1, (phrase, texts)
    assert len(texts) == len(set(texts)), texts
    assert fake.chaos_faults, "the run should have met some faults"
