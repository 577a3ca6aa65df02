"""End to end: the repair journey: reflect, an apology whose excuse is fixed, meet, plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.test_e2e import intake, tap


async def test_the_repair_journey_through_a_crash(
    fake: FakeTelegram, tmp_path: Path, framework: str
) -> None:
    bot = BotProcess(fake, tmp_path, BOT_FRAMEWORK=framework)
    await bot.start()
    user = fake.user(2001)
    await intake(
        user,
        "My partner",
        "Lied or hid something",
        "Very serious",
        "Yes",
        heat="3–4",
        expect="Next: reflect",
    )
    await tap(user, "Reflect", "What exactly did you do or say?")
    user.send_text("I told you I was at work when I was out with my ex")
    await user.wait_text("How do you think it affected them?")
    await bot.kill()
    await bot.start()

    # After the crash, the reflection picks up at the second question with the first kept.
    user.send_text("/reflect")
    await user.wait_text("Picking up where you left off")
    user.send_text("You felt lied to and stupid for believing me")
    await user.wait_text("What was going on in you?")
    user.send_text("I was afraid you'd be jealous, so I hid it instead of talking")
    await user.wait_text("What will you do differently")
    user.send_text("I will tell you where I am and who I'm with, even when it's awkward")
    await user.wait_text("Saved to your journal")

    # The apology offers the reflection's words, and flags an excuse that the user then fixes.
    user.send_text("/apology")
    await user.wait_text("In your reflection you wrote")
    user.send_text("I lied to you about where I was, but I was scared you'd overreact")
    flagged = await user.wait_text("might work against you")
    assert "but I was scared" in flagged["text"] or "overreact" in flagged["text"]
    await tap(user, "Rewrite it", "write it again")
    user.send_text("I lied to you about where I was, and I let you believe it for weeks")
    await user.wait_text("How do you see it affected them?")
    await tap(user, "Use this", "Say that you regret it")
    user.send_text("I'm sorry. I regret it deeply")
    await user.wait_text("What will you do differently?")
    await tap(user, "Use this", "End with an open question")
    user.send_text("What do you need from me right now?")
    ready = await user.wait_text("Here is your apology, all together")
    assert "I let you believe it for weeks" in ready["text"]
    assert "but I was scared" not in ready["text"]
    await user.wait_text("Saved. Only you can see this")

    # Nothing ever went to anyone but the user.
    assert {int(c.params["chat_id"]) for c in fake.calls_of("sendMessage")} == {user.chat_id}
    user.send_text("/apology")
    await user.wait_text("Your latest apology")

    # Preparing to meet: time and place recorded, the apology as the opening, a pinned card.
    user.send_text("/meet")
    await user.wait_text("have they agreed to meet?")
    await tap(user, "They agreed", "When is it?")
    await tap(user, "Tomorrow", "What time of day?")
    await tap(user, "Evening", "Where?")
    user.mark_seen()
    user.send_text("the bench by the river")
    assert "the apology you wrote" in (await user.next_message())["text"]
    await tap(user, "Next", "Then listen")
    await tap(user, "Next", "one calm answer for each")
    await tap(user, "Next", "Bring something concrete")
    user.send_text("I'll text you whenever I'm out after 9pm")
    card = await user.wait_text("Your meeting card")
    assert "the bench by the river" in card["text"]
    await fake.wait_for(
        lambda: card["message_id"] in fake.pinned(user.chat_id), what="the card to be pinned"
    )
    await user.wait_text("I'll ask how it went afterwards")

    # The plan: two commitments, one vague at first, with their nudge times kept as data.
    user.send_text("/plan")
    await user.wait_text("Is there harm you can repair directly?")
    await tap(user, "Skip", "Commitment 1")
    user.send_text("be better")
    await user.wait_text("hard for them to see")
    user.send_text("I tell you where I am when I'm out after 9pm")
    await user.wait_text("How often does this happen?")
    await tap(user, "Every day", "At what time?")
    user.send_text("21:00")
    await user.wait_text("Another commitment")
    await tap(user, "Add another", "Commitment 2")
    user.mark_seen()
    user.send_text("Sunday evening check-in talk about how the week went")
    assert "How often" in (await user.next_message())["text"]
    await tap(user, "Once a week", "On which day?")
    await tap(user, "Sun", "At what time?")
    await tap(user, "19:00", "Another commitment")
    await tap(user, "That's enough", "asked for anything")
    await tap(user, "Done", "If you slip")
    user.mark_seen()
    user.send_text("I tell you the same day, face to face")
    assert "look back at the week" in (await user.next_message())["text"]
    await tap(user, "Sun", "Your plan")
    card = user.replies()[-1]["text"]
    assert "I tell you where I am when I'm out after 9pm (every day at 21:00)" in card
    assert "(every Sunday at 19:00)" in card
    assert "Weekly review: Sunday" in card
    assert await bot.stop() == 0


async def test_a_commitment_nudge_survives_a_restart_and_a_tap_edits_it(
    fake: FakeTelegram, tmp_path: Path, framework: str
) -> None:
    bot = BotProcess(fake, tmp_path, BOT_FRAMEWORK=framework)
    await bot.start()
    user = fake.user(2002)
    await intake(
        user, "A friend", "Broke a promise", "Serious", "Yes", heat="0–2", expect="What would"
    )
    user.send_text("/settings")
    await tap(user, "Quiet hours", "When should I stay quiet?")
    await tap(user, "No quiet hours", "Saved.")
    # The commitment is due in the next minute (UTC, as no zone is set), so its nudge comes soon.
    soon = datetime.now(UTC) + timedelta(minutes=1)
    user.send_text("/plan")
    await tap(user, "Skip", "Commitment 1")
    user.send_text("I call you back the same day")
    await tap(user, "Every day", "At what time?")
    user.send_text(soon.strftime("%H:%M"))
    await tap(user, "That's enough", "asked for anything")
    await tap(user, "Done", "If you slip")
    user.send_text("I tell you myself that evening")
    await tap(user, "Sun", "Your plan")

    # The process stops before the nudge is due; the new one delivers it once.
    await bot.kill()
    await bot.start()
    nudge = await user.wait_text(f"{soon:%H:%M} · I call you back the same day", timeout=90)
    labels = [b["text"] for row in nudge["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Done", "Later", "Skip"]
    update = user.press_button(nudge, "Done")
    await user.wait_answered(update)
    await fake.wait_for(
        lambda: "one more kept promise" in fake.message(user.chat_id, nudge["message_id"])["text"],
        what="the nudge edited in place",
    )
    assert "reply_markup" not in fake.message(user.chat_id, nudge["message_id"])
    sent = [c.params.get("text") for c in fake.calls_of("sendMessage")]
    assert sent.count(nudge["text"]) == 1
    assert await bot.stop() == 0
