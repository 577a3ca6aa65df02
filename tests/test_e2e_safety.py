"""End to end, safety: words of crisis mid-flow, /sos, and abuse switching reconciliation off."""

from __future__ import annotations

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.test_e2e import intake, tap


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
