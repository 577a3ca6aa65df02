"""End to end: the real bot process, through aiogram, against a strict fake Bot API server."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.bot_process import MENUS, BotProcess
from tests.fake_telegram import FakeTelegram, FakeUser

Json = dict[str, Any]


async def tap(user: FakeUser, label: str, expect: str) -> Json:
    """Press the button labelled `label` on the latest message that has it; wait for `expect`.

    `expect` must appear in a message sent after the press, or in the pressed message itself
    (edited in place), so an older message with the same words cannot satisfy the wait.
    """

    def holder() -> Json | None:
        for message in reversed(user.replies()):
            buttons = message.get("reply_markup", {}).get("inline_keyboard", [])
            if any(label in b["text"] for row in buttons for b in row):
                return message
        return None

    message = await user.fake.wait_for(holder, what=f"a button {label!r}")
    before = len(user.replies())
    update = user.press_button(message, label)
    await user.wait_answered(update)

    def arrived() -> Json | None:
        replies = user.replies()
        fresh = [m for m in replies[before:] if expect in m.get("text", "")]
        same = [m for m in replies if m["message_id"] == message["message_id"]]
        edited = [m for m in same if expect in m.get("text", "")]
        found = fresh or edited
        return found[-1] if found else None

    return await user.fake.wait_for(arrived, what=f"{expect!r} after pressing {label!r}")


async def intake(user: FakeUser, *answers: str, heat: str, expect: str) -> None:
    user.send_text("/start")
    await user.wait_text("Which language suits you?")
    await tap(user, "English", "Who did you hurt?")
    questions = ["What happened?", "How serious", "open to making things right", "How heated"]
    for answer, question in zip(answers, questions, strict=True):
        await tap(user, answer, question)
    await tap(user, heat, expect)


async def test_intake_calm_menu_journey(fake: FakeTelegram, bot: BotProcess) -> None:
    assert [c["command"] for c in fake.commands[""]] == [
        "start",
        "menu",
        "calm",
        "sos",
        "reflect",
        "apology",
        "meet",
        "plan",
        "journal",
        "invite",
        "checkin",
        "progress",
        "space",
        "pause",
        "settings",
        "export",
        "delete",
        "help",
        "cancel",
    ]
    groups = fake.scoped_commands.get(("all_group_chats", ""), [])
    assert [c["command"] for c in groups] == ["pair", "agreements", "talk", "thanks", "help"]
    ru = [c for c in fake.calls_of("setMyCommands") if c.params.get("language_code") == "ru"]
    assert ru, "the Russian command list was not registered"

    user = fake.user(1001)
    await intake(
        user,
        "My partner",
        "Lied or hid something",
        "Very serious",
        "Not sure",
        heat="7–8",
        expect="That's a lot of heat right now",
    )

    # Breathing is one message, edited in place; Stop cancels the rest of the guide.
    await user.wait_text("Pick one; it takes about two minutes")
    before = len(user.replies())
    await tap(user, "Breathe with me", "Breathe in slowly")
    guide = user.replies()[-1]
    await user.wait_text("Hold it gently", timeout=15)
    assert len(user.replies()) == before + 1
    edited = fake.message(user.chat_id, guide["message_id"])
    assert "edit_date" in edited and "Hold it gently" in edited["text"]
    await tap(user, "Stop", "Even one slow breath counts")
    assert len(user.replies()) == before + 1

    # Grounding: five senses, one message.
    await tap(user, "Ground myself", "five things you can see")
    ground = user.replies()[-1]["message_id"]
    for expect in ("four things", "Three things", "Two things", "One thing", "You're here"):
        await tap(user, "Done", expect)
    assert user.replies()[-1]["message_id"] == ground

    await tap(user, "I'm calmer", "How heated do you feel now")
    await tap(user, "9–10", "Still a lot")
    await tap(user, "In 30 minutes", "What would you like to do?")
    assert any("I'll check back in 30 minutes." in m["text"] for m in user.replies())
    menu = user.replies()[-1]
    assert "Next: calm down first" in menu["text"]

    # Write it out: parked, never sent anywhere else.
    user.mark_seen()
    user.send_text("/calm")
    assert "Let's slow things down" in (await user.next_message())["text"]
    await tap(user, "Write it out", "Write down everything you'd say to them")
    user.send_text("You lied to me again and I'm done")
    await user.wait_text("Parked. It goes nowhere")
    chats = {int(c.params["chat_id"]) for c in fake.calls_of("sendMessage")}
    assert chats == {user.chat_id}
    await tap(user, "No need", "How heated do you feel now")
    user.send_text("2")
    await user.wait_text("That's a steadier place to start from")
    await tap(user, "My parked message", "You lied to me again and I'm done")


async def test_they_said_no_path_never_offers_contact(fake: FakeTelegram, bot: BotProcess) -> None:
    user = fake.user(1002)
    await intake(
        user,
        "A friend",
        "Shared their secret",
        "Serious",
        "They said no",
        heat="3–4",
        expect="They told you no",
    )
    menu = await user.wait_text("What would you like to do?")
    labels = [b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Reflect", "Calm down", "Settings", "Help"]
    assert "Their no stands" in menu["text"]


async def test_bad_input_is_answered_kindly_and_changes_nothing(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = fake.user(1003)
    user.send_text("/start")
    await user.wait_text("Which language suits you?")
    await tap(user, "English", "Who did you hurt?")
    question = user.replies()[-1]
    for send in (
        user.send_sticker,
        user.send_photo,
        user.send_voice,
        user.send_contact,
        user.send_document,
    ):
        user.mark_seen()
        send()
        reply = await user.next_message()
        assert "I can only read text and button taps" in reply["text"]
    # A shared location is only ever read for its time zone, and the question stays open.
    user.mark_seen()
    user.send_location()
    assert "Time zone set: Europe/Berlin" in (await user.next_message())["text"]
    for text in ("x" * 5000, "🙏😔", "אני מצטער מאוד", "مرحبا"):
        user.mark_seen()
        user.send_text(text)
        assert "Tap one of the answers above" in (await user.next_message())["text"]
    user.mark_seen()
    user.send_text("/dance")
    assert "I don't know /dance" in (await user.next_message())["text"]

    # An edited message is ignored: no reply, no crash; the next real message still works.
    sent = fake.calls_of("sendMessage")
    user.mark_seen()
    edit = user.edit_text(1, "changed my mind")
    await fake.wait_for(lambda: fake.offset_confirmed() >= edit, what="the edit to be confirmed")
    assert len(fake.calls_of("sendMessage")) == len(sent)

    # The question from before is still live: the step never moved.
    update = user.press_button(question, "My partner")
    assert (await user.wait_answered(update)).get("text") is None
    await user.wait_text("What happened?")


async def test_old_and_forged_buttons_are_answered_and_change_nothing(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = fake.user(1004)
    user.send_text("/start")
    language = await user.wait_text("Which language suits you?")
    keyboard = language["reply_markup"]["inline_keyboard"]
    russian = next(b["callback_data"] for row in keyboard for b in row if b["text"] == "Русский")
    await tap(user, "English", "Who did you hurt?")
    count = len(user.replies())

    # A client that has not redrawn the message yet can still send the old button's data.
    old = user.press(language, russian)
    answer = await user.wait_answered(old)
    assert "expired" in answer["text"]
    forged = user.press(language, "start:ru:999")
    assert "expired" in (await user.wait_answered(forged))["text"]
    junk = user.press(language, "\u202e; DROP TABLE inbox")
    assert "expired" in (await user.wait_answered(junk))["text"]
    assert len(user.replies()) == count
    # Still English, still at "who": the stale presses changed nothing.
    await tap(user, "A colleague", "What happened?")


async def test_a_redelivered_update_is_handled_once(fake: FakeTelegram, bot: BotProcess) -> None:
    user = fake.user(1005)
    first = user.send_text("/help")
    await user.wait_text("self-help companion")
    await fake.wait_for(lambda: fake.offset_confirmed() >= first, what="the offset to move")
    fake.redeliver(first)
    marker = user.send_text("/menu")
    await user.wait_text("Tap Start")
    await fake.wait_for(lambda: fake.offset_confirmed() >= marker, what="both to be confirmed")
    helps = [m for m in user.replies() if "self-help companion" in m["text"]]
    assert len(helps) == 1


async def test_server_errors_and_rate_limits_are_retried(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = fake.user(1006)
    fake.fail_next("sendMessage", 2, status=502)
    user.send_text("/help")
    await user.wait_text("self-help companion", timeout=20)
    fake.fail_next("sendMessage", 1, status=429, retry_after=1)
    user.send_text("/menu")
    await user.wait_text("Tap Start", timeout=20)
    fake.fail_next("sendMessage", 1, hang=4)
    user.send_text("/calm")
    await user.wait_text("Let's slow things down", timeout=30)
    statuses = [c.status for c in fake.calls_of("sendMessage")]
    assert statuses.count(502) == 2 and statuses.count(429) == 1
    assert sum(1 for m in user.replies() if "self-help companion" in m["text"]) == 1


async def test_blocked_user_stops_getting_messages(fake: FakeTelegram, bot: BotProcess) -> None:
    user = fake.user(1007)
    user.send_text("/help")
    await user.wait_text("self-help companion")
    user.block_bot()
    user.send_text("/menu")
    await fake.wait_for(
        lambda: any(c.status == 403 for c in fake.calls_of("sendMessage")),
        what="a 403 from the blocked chat",
    )
    user.unblock_bot()
    user.send_text("/calm")
    await user.wait_text("Let's slow things down")


async def test_sigkill_mid_intake_resumes_at_the_same_step(
    fake: FakeTelegram, tmp_path: Path, framework: str
) -> None:
    bot = BotProcess(fake, tmp_path, BOT_FRAMEWORK=framework)
    await bot.start()
    user = fake.user(1008)
    user.send_text("/start")
    await user.wait_text("Which language suits you?")
    await tap(user, "English", "Who did you hurt?")
    await tap(user, "A family member", "What happened?")
    await bot.kill()

    # While the bot is down the user answers; Telegram keeps the update until it is back.
    question = user.replies()[-1]
    pressed = user.press_button(question, "Broke a promise")
    await bot.start()
    await user.wait_answered(pressed)
    await user.wait_text("How serious")
    await bot.kill()
    await bot.start()
    await tap(user, "Small, but it matters", "open to making things right")
    await tap(user, "Yes", "How heated")
    await tap(user, "0–2", "What would you like to do?")
    menu = user.replies()[-1]
    # The earlier answers survived both kills: a minor broken promise gets the "minor" advice.
    assert "put your apology into words" in menu["text"]
    assert await bot.stop() == 0
    # Nothing was asked or said twice across the kills: welcome, the one question message
    # (edited in place, now the thanks), and the menu.
    texts = [m["text"] for m in user.replies()]
    assert len(texts) == 3 and "That took honesty" in texts[1], texts


async def test_russian_user_gets_russian(fake: FakeTelegram, bot: BotProcess) -> None:
    user = fake.user(1009, "Аня", "ru")
    user.send_text("/start")
    await user.wait_text("Привет, я Mend")
    await tap(user, "Русский", "Кого это задело?")
    user.send_text("/settings")
    await user.wait_text("Язык: Русский")
    await tap(user, "English", "Saved.")


async def test_the_bot_answers_when_its_command_menu_cannot_be_registered(
    fake: FakeTelegram, tmp_path: Path, framework: str
) -> None:
    fake.fail_next("setMyCommands", MENUS, status=500)
    bot = BotProcess(fake, tmp_path, BOT_FRAMEWORK=framework)
    await bot.start(menus=False)
    user = fake.user(4242)
    user.send_text("/start")
    await user.wait_text("Which language suits you?")
    assert fake.commands == {}, "no menu was registered"
    assert await bot.stop() == 0
    assert "the command menu could not be registered" in bot.output()


async def test_a_wrong_token_fails_clearly_without_leaking_it(
    fake: FakeTelegram, tmp_path: Path, framework: str
) -> None:
    wrong = "999999:WRONG-SECRET-TOKEN"
    env = BotProcess(fake, tmp_path, BOT_TOKEN=wrong, BOT_FRAMEWORK=framework).env()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    text = output.decode()
    assert process.returncode == 2
    assert "did not accept BOT_TOKEN" in text
    assert "WRONG-SECRET" not in text


async def test_daily_check_in_tap_slip_and_progress_chart(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = fake.user(1010)
    await intake(
        user, "A friend", "Broke a promise", "Serious", "Yes", heat="0–2", expect="What would"
    )
    user.send_text("/settings")
    await tap(user, "Quiet hours", "When should I stay quiet?")
    await tap(user, "No quiet hours", "Saved.")
    # The check-in is set for the next minute (UTC, as no zone is set), so it arrives soon.
    soon = datetime.now(UTC) + timedelta(minutes=1)
    user.send_text("/checkin")
    await user.wait_text("When suits you?")
    user.send_text(soon.strftime("%H:%M"))
    await user.wait_text(f"Every day at {soon:%H:%M}")
    question = await user.wait_text("Did you keep your commitments today?", timeout=90)
    update = user.press_button(question, "Slipped")
    await user.wait_answered(update)
    await user.wait_text("Thanks for being honest")
    edited = fake.message(user.chat_id, question["message_id"])
    assert edited["text"].startswith("Thanks for being honest")
    assert "reply_markup" not in edited
    await user.wait_text("What got in the way today?")
    user.send_text("I forgot to call when I was late")
    await user.wait_text("What will you do differently")
    user.send_text("Set an alarm for 18:00")
    await tap(user, "I recommit", "Recommitted")
    user.send_text("/progress")
    await user.wait_text("Last 4 weeks")
    photos = [m for m in user.replies() if "photo" in m]
    assert photos and "four weeks" in photos[-1]["caption"]
    assert max(size["file_size"] for size in photos[-1]["photo"]) > 1000
