"""Runtime, storage and sender against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot import batch, recurrence
from bot.clock import Clock, naive
from bot.events import Incoming
from bot.runtime import Runtime, split_text
from bot.sender import Buttons, Failure, Reply, Sender, SendError
from bot.storage.db import Database
from bot.storage.models import Chat, Inbox, Outbox, PrivateText, Profile, Reminder
from flows import dispatch
from flows.engine import Command, Context, Event, FlowState, Outcome, Press, Text


@dataclass
class Phone:
    """An in-memory Telegram client: what the user would see, plus scripted failures."""

    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    answers: list[tuple[str, str | None]] = field(default_factory=list)
    failures: list[SendError] = field(default_factory=list)
    pinned: list[int] = field(default_factory=list)
    calls: int = 0

    def _maybe_fail(self) -> None:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int:
        self._maybe_fail()
        message_id = len(self.messages) + 1
        self.messages[message_id] = {"chat": chat_id, "text": text, "buttons": buttons}
        if reply is not None:
            self.messages[message_id]["reply"] = reply
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        self._maybe_fail()
        if message_id not in self.messages:
            raise SendError(Failure.NOT_FOUND, "message to edit not found")
        self.messages[message_id] = {"chat": chat_id, "text": text, "buttons": buttons}

    async def answer(self, callback_id: str, text: str | None) -> None:
        self._maybe_fail()
        self.answers.append((callback_id, text))

    async def send_document(self, chat_id: int, data: bytes, filename: str, caption: str) -> int:
        message_id = await self.send(chat_id, caption, [])
        self.messages[message_id].update({"file": data, "filename": filename})
        return message_id

    async def send_photo(self, chat_id: int, png: bytes, caption: str, buttons: Buttons) -> int:
        message_id = await self.send(chat_id, caption, buttons)
        self.messages[message_id]["png"] = png
        return message_id

    async def pin(self, chat_id: int, message_id: int) -> None:
        self._maybe_fail()
        self.pinned.append(message_id)

    def last(self) -> dict[str, Any]:
        return self.messages[max(self.messages)]

    def button(self, label: str) -> str:
        for message in reversed(list(self.messages.values())):
            for row in message["buttons"]:
                for b in row:
                    if label in b["text"]:
                        return str(b["data"])
        raise AssertionError(f"no button {label!r}")


class Harness:
    """Runtime plus sender over one database, as the service wires them."""

    def __init__(self, db: Database, phone: Phone | None = None) -> None:
        self.db = db
        # Midday, so quiet hours (22:00-08:00 in the user's zone) hold nothing back by chance.
        self.clock = Clock(datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0))
        self.phone = phone or Phone()
        self.runtime = Runtime(db, self.clock)
        self.sender = Sender(db, self.phone, self.clock, rate=1000.0, max_attempts=3)
        self.counter = 0

    async def send(
        self, event: Event, *, user: int = 42, chat: int | None = None, source: str | None = None
    ) -> None:
        self.counter += 1
        callback = f"cb{self.counter}" if isinstance(event, Press) else None
        where = user if chat is None else chat
        item = Incoming(source or f"t:{self.counter}", where, user, event, "en", callback)
        await self.runtime.record([item])
        await self.runtime.process_pending()
        await self.sender.deliver_due()

    async def tap(self, label: str) -> None:
        await self.send(Press(self.phone.button(label)))


async def test_intake_survives_a_restart_at_the_same_step(database: Database) -> None:
    first = Harness(database)
    await first.send(Command("start"))
    await first.send(Press(first.phone.button("English")))
    await first.send(Press(first.phone.button("My partner")))
    # A new runtime over the same database is what a restarted process sees.
    second = Harness(database, first.phone)
    second.counter = first.counter
    await second.tap("Lied or hid something")
    assert "How serious" in second.phone.last()["text"]
    await second.tap("Very serious")
    await second.tap("Yes")
    await second.tap("3–4")
    async with database.transaction() as session:
        profile = await session.get(Profile, 42)
    assert profile is not None
    assert profile.data["intake"] == {
        "who": "partner",
        "what": "lie",
        "severity": "grave",
        "openness": "yes",
    }


async def test_the_same_update_twice_is_handled_once(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("start"), source="tg:100")
    count = len(h.phone.messages)
    await h.send(Command("start"), source="tg:100")
    assert len(h.phone.messages) == count
    async with database.transaction() as session:
        rows = await session.scalar(select(func.count()).select_from(Inbox))
    assert rows == 1


async def test_button_presses_are_always_answered(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("start"))
    await h.send(Press("start:en:zz"))
    assert h.phone.answers[-1][1] == "That button has expired. Send /menu to start from here."
    await h.tap("English")
    assert h.phone.answers[-1] == (f"cb{h.counter}", None)


async def test_breathing_guide_edits_one_message(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    before = len(h.phone.messages)
    await h.tap("Breathe with me")
    assert "Breathe in" in h.phone.last()["text"]
    h.clock.advance(timedelta(minutes=1))
    await h.sender.deliver_due()
    assert len(h.phone.messages) == before + 1
    assert "How is it now?" in h.phone.last()["text"]


async def test_parked_message_is_kept_privately_and_shown_back_tomorrow(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text("I can't believe you did that"))
    await h.tap("Show it to me tomorrow")
    async with database.transaction() as session:
        texts = list(await session.scalars(select(PrivateText.body)))
        reminder = await session.scalar(select(Reminder))
    assert texts == ["I can't believe you did that"]
    assert reminder is not None and reminder.kind == "parked_review"
    assert await h.runtime.fire_due() == 0
    h.clock.advance(timedelta(days=1, minutes=1))
    assert await h.runtime.fire_due() == 1
    assert await h.runtime.fire_due() == 0
    await h.runtime.process_pending()
    await h.sender.deliver_due()
    assert "I can't believe you did that" in h.phone.last()["text"]


async def test_transient_failures_are_retried_until_delivered(database: Database) -> None:
    h = Harness(database)
    h.phone.failures = [
        SendError(Failure.TRANSIENT, "502"),
        SendError(Failure.TRANSIENT, "timeout"),
    ]
    await h.send(Command("help"))
    assert not h.phone.messages
    for _ in range(2):
        h.clock.advance(timedelta(seconds=5))
        await h.sender.deliver_due()
    assert "self-help companion" in h.phone.last()["text"]
    assert h.sender.stats.retried == 2


async def test_a_reply_waiting_for_retry_holds_back_later_replies(database: Database) -> None:
    h = Harness(database)
    h.phone.failures = [SendError(Failure.RETRY_AFTER, "429", retry_after=1)]
    await h.send(Command("help"))
    await h.send(Command("menu"))
    assert not h.phone.messages
    h.clock.advance(timedelta(seconds=2))
    await h.sender.deliver_due()
    texts = [m["text"] for m in h.phone.messages.values()]
    assert "self-help companion" in texts[0] and len(texts) == 2


async def test_giving_up_is_recorded_not_silent(database: Database) -> None:
    h = Harness(database)
    h.phone.failures = [SendError(Failure.TRANSIENT, "500")] * 3
    await h.send(Command("help"))
    for _ in range(3):
        h.clock.advance(timedelta(minutes=2))
        await h.sender.deliver_due()
    async with database.transaction() as session:
        row = await session.scalar(select(Outbox).where(Outbox.op == "send"))
    assert row is not None and row.status == "failed" and row.error
    assert h.sender.stats.failed == 1


async def test_blocked_chat_is_marked_inactive_and_pending_messages_stop(
    database: Database,
) -> None:
    h = Harness(database)
    h.phone.failures = [SendError(Failure.FORBIDDEN, "bot was blocked by the user")]
    await h.send(Command("help"))
    async with database.transaction() as session:
        chat = await session.get(Chat, 42)
        pending = await session.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.status == "pending")
        )
    assert chat is not None and chat.active is False
    assert pending == 0
    await h.send(Text("hi again"))
    async with database.transaction() as session:
        chat = await session.get(Chat, 42)
    assert chat is not None and chat.active is True


async def test_edit_of_a_vanished_message_sends_a_new_one(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    await h.tap("Ground myself")
    done = h.phone.button("Done")
    h.phone.messages.clear()
    await h.send(Press(done))
    assert "four things you can touch" in h.phone.last()["text"]


@pytest.mark.parametrize("length", [10, 4096, 4097, 9000])
def test_split_text_keeps_every_character_within_limits(length: int) -> None:
    text = ("word " * length)[:length]
    parts = split_text(text)
    assert all(0 < len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


async def test_long_parked_text_is_shown_back_in_parts(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text("a" * 4000 + " end"))
    await h.tap("No need")
    await h.send(Press("calm:parked:*"))
    texts = [m["text"] for m in h.phone.messages.values()]
    assert texts[-1].endswith("end") and all(len(t) <= 4096 for t in texts)


async def test_shared_chats_never_show_private_writing(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text("something only I should see"))
    group = -100200300
    for event in (Command("journal"), Command("apology"), Press("calm:parked:*"), Text("hi")):
        await h.send(event, chat=group)
    in_group = [m["text"] for m in h.phone.messages.values() if m["chat"] == group]
    # Private commands get the group's own help; chatter gets nothing; nothing private shows.
    assert len(in_group) == 2 and all("/pair" in t for t in in_group)
    assert not any("only I should see" in t for t in in_group)
    assert h.phone.answers[-1][1] == "That button has expired. Send /menu to start from here."


async def test_an_event_that_breaks_a_flow_does_not_hold_up_anyone_else(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = Harness(database)
    await h.send(Command("plan"))
    await h.tap("Skip")
    await h.send(Text("I call you when I leave work"))
    await h.tap("Every day")
    await h.send(Text("²:30"))
    assert "A time like 8:30" in h.phone.last()["text"]

    real = dispatch.handle

    def broken_for_42(state: FlowState, event: Event, ctx: Context) -> Outcome:
        if ctx.user_id == 42:
            raise RuntimeError("a bug in a flow")
        return real(state, event, ctx)

    monkeypatch.setattr(dispatch, "handle", broken_for_42)
    await h.runtime.record([Incoming("t:boom", 42, 42, Text("20:30"), "en")])
    await h.send(Command("help"), user=43)
    texts = [m["text"] for m in h.phone.messages.values()]
    assert "Something went wrong on my side" in texts[-2]
    assert "self-help companion" in texts[-1]
    async with database.transaction() as session:
        pending = await session.scalar(
            select(func.count()).select_from(Inbox).where(Inbox.handled_at.is_(None))
        )
    assert pending == 0


async def test_two_delivery_passes_at_once_send_each_message_once(database: Database) -> None:
    h = Harness(database)
    for user in range(100, 110):
        item = Incoming(f"t:{user}", user, user, Command("help"), "en")
        await h.runtime.record([item])
    await h.runtime.process_pending()
    await asyncio.gather(h.sender.deliver_due(), h.sender.deliver_due())
    assert len(h.phone.messages) == 10


async def test_an_unexpected_transport_error_is_retried_not_fatal(database: Database) -> None:
    class Odd(Exception):
        pass

    h = Harness(database)
    h.phone.failures = [Odd("weird")]  # type: ignore[list-item]
    await h.send(Command("help"), user=7)
    await h.send(Command("help"), user=8)
    h.clock.advance(timedelta(seconds=5))
    await h.sender.deliver_due()
    assert {m["chat"] for m in h.phone.messages.values()} == {7, 8}


async def test_rate_limits_do_not_use_up_attempts(database: Database) -> None:
    h = Harness(database)
    h.phone.failures = [SendError(Failure.RETRY_AFTER, "429", retry_after=0.01)] * 5
    await h.send(Command("help"))
    for _ in range(5):
        h.clock.advance(timedelta(seconds=1))
        await h.sender.deliver_due()
    assert "self-help companion" in h.phone.last()["text"]
    assert h.sender.stats.failed == 0


async def test_reflection_is_kept_across_a_restart_and_read_back(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("reflect"))
    await h.send(Text("I forgot your birthday and made a joke about it"))
    await h.send(Command("cancel"))
    assert "Paused. Your answers are kept" in "".join(m["text"] for m in h.phone.messages.values())
    again = Harness(database, h.phone)
    again.counter = 100
    await again.send(Command("reflect"))
    assert "How do you think it affected them?" in again.phone.last()["text"]
    for answer in ("You felt forgotten", "I was busy and careless", "I set reminders"):
        await again.send(Text(answer))
    await again.send(Command("journal"))
    await again.tap("Reflection")
    entry = again.phone.last()["text"]
    assert "I forgot your birthday and made a joke about it" in entry
    assert "I set reminders" in entry
    async with database.transaction() as session:
        kinds = sorted(await session.scalars(select(PrivateText.kind)))
    assert kinds == ["journal"]


async def test_tomorrows_review_shows_the_message_it_was_asked_for(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text("AAA the first one"))
    await h.tap("Show it to me tomorrow")
    h.clock.advance(timedelta(minutes=5))
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text("BBB the second one"))
    await h.send(Text("and its second half"))
    await h.tap("No need")
    h.clock.advance(timedelta(days=1))
    await h.runtime.fire_due()
    await h.runtime.process_pending()
    await h.sender.deliver_due()
    review = h.phone.last()["text"]
    assert "AAA the first one" in review and "BBB" not in review
    await h.send(Press("calm:parked:*"))
    assert h.phone.last()["text"].endswith("BBB the second one\nand its second half")


async def test_meeting_debrief_comes_after_the_meeting_and_feeds_the_plan(
    database: Database,
) -> None:
    h = Harness(database)
    await h.send(Command("meet"))
    await h.tap("They agreed")
    await h.tap("Tomorrow")
    await h.tap("Morning")
    await h.tap("Skip")
    for _ in range(3):
        await h.tap("Next")
    await h.tap("Skip")
    assert h.phone.pinned, "the meeting card was not pinned"
    async with database.transaction() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.kind == "meet_debrief"))
    assert reminder is not None
    h.clock.advance(timedelta(hours=12))
    assert await h.runtime.fire_due() == 0
    h.clock.advance(timedelta(hours=16))  # tomorrow 16:00: three hours after a 10:00 talk
    assert await h.runtime.fire_due() == 1
    await h.runtime.process_pending()
    await h.sender.deliver_due()
    assert "You had a talk planned" in h.phone.last()["text"]
    await h.tap("Share how it went")
    await h.tap("Mixed")
    await h.send(Text("To know where I am in the evenings"))
    await h.send(Command("plan"))
    await h.tap("Skip")
    await h.send(Text("I call when I leave work every evening"))
    await h.tap("No reminder")
    await h.tap("That's enough")
    assert "To know where I am in the evenings" in h.phone.last()["text"]


async def plan_with_nudge(h: Harness, at: str) -> None:
    await h.send(Command("plan"))
    await h.tap("Skip")
    await h.send(Text("I text you when I'm running late"))
    await h.tap("Every day")
    await h.send(Text(at))
    await h.tap("That's enough")
    await h.tap("Done")
    await h.tap("Skip")
    await h.tap("No review")


async def fire(h: Harness) -> int:
    fired = await h.runtime.fire_due()
    await h.runtime.process_pending()
    await h.sender.deliver_due()
    return fired


async def test_a_daily_nudge_arrives_every_day_and_a_tap_edits_it(database: Database) -> None:
    h = Harness(database)
    await plan_with_nudge(h, "18:00")
    h.clock.advance(timedelta(hours=6, minutes=1))
    assert await fire(h) == 1
    nudge = h.phone.last()
    assert nudge["text"] == "18:00 · I text you when I'm running late"
    count = len(h.phone.messages)
    done = h.phone.button("Done")
    await h.send(Press(done))
    await h.send(Press(done))  # a double tap changes nothing more
    assert len(h.phone.messages) == count
    assert h.phone.last()["text"] == "Done. That's one more kept promise."
    assert await fire(h) == 0  # not again today, even after a restart of the sweep
    h.clock.advance(timedelta(days=1))
    assert await fire(h) == 1
    assert h.phone.last()["text"].startswith("18:00 · ")


async def test_later_snoozes_once_and_quiet_hours_hold_nudges(database: Database) -> None:
    h = Harness(database)
    await plan_with_nudge(h, "21:30")
    h.clock.advance(timedelta(hours=9, minutes=31))
    assert await fire(h) == 1
    await h.tap("Later")
    assert h.phone.last()["text"] == "I'll remind you in an hour."
    h.clock.advance(timedelta(hours=1))
    # 22:31 is inside the default quiet hours (22:00-08:00): the snooze waits for morning.
    assert await fire(h) == 0
    h.clock.advance(timedelta(hours=9, minutes=30))
    assert await fire(h) == 1
    labels = [b["text"] for row in h.phone.last()["buttons"] for b in row]
    assert labels == ["Done", "Skip"]


async def test_a_pause_holds_nudges_and_resuming_brings_them_back(database: Database) -> None:
    h = Harness(database)
    await plan_with_nudge(h, "18:00")
    await h.send(Command("pause"))
    await h.tap("3 days")
    h.clock.advance(timedelta(hours=6, minutes=1))
    assert await fire(h) == 0
    h.clock.advance(timedelta(days=1))
    assert await fire(h) == 0
    await h.send(Command("pause"))
    await h.tap("Resume now")
    h.clock.advance(timedelta(days=1))
    assert await fire(h) == 1
    assert h.phone.last()["text"].startswith("18:00 · ")


async def test_nudges_follow_the_users_time_zone(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("settings"))
    await h.tap("Time zone")
    await h.send(Text("Tokyo"))
    await plan_with_nudge(h, "21:00")
    async with database.transaction() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.kind == "nudge"))
    assert reminder is not None and reminder.tz == "Asia/Tokyo"
    assert reminder.due_at.hour == 12  # 21:00 in Tokyo is 12:00 UTC


async def test_the_daily_check_in_arrives_in_local_time_once_even_after_a_restart(
    database: Database,
) -> None:
    h = Harness(database)
    await h.send(Command("settings"))
    await h.tap("Time zone")
    await h.send(Text("Berlin"))
    await h.send(Command("checkin"))
    await h.send(Text("21:00"))
    h.clock.advance(timedelta(hours=7, minutes=59))  # 19:59 UTC is 20:59 in Berlin in winter
    assert await fire(h) == 0
    h.clock.advance(timedelta(minutes=2))
    restarted = Runtime(database, h.clock)
    assert await restarted.fire_due() + await h.runtime.fire_due() == 1
    await h.runtime.process_pending()
    await h.sender.deliver_due()
    assert h.phone.last()["text"] == "Did you keep your commitments today?"
    await h.tap("Kept them")
    assert h.phone.last()["text"].startswith("Kept today.")
    await h.send(Command("progress"))
    assert "100% kept" in h.phone.last()["text"]
    chart = h.phone.messages[max(h.phone.messages) - 1]
    assert chart["png"].startswith(b"\x89PNG") and "four weeks" in chart["text"]


async def test_one_chat_at_its_limit_waits_while_others_go_on(database: Database) -> None:
    ticks = [1000.0]
    h = Harness(database)
    h.sender = Sender(
        database, h.phone, h.clock, rate=1000.0, chat_rate=1.0, ticker=lambda: ticks[0]
    )
    for n in range(8):
        await h.runtime.record([Incoming(f"t:a{n}", 5, 5, Command("help"), "en")])
    await h.runtime.record([Incoming("t:b", 6, 6, Command("help"), "en")])
    await h.runtime.process_pending()
    await h.sender.deliver_due()
    chats = [m["chat"] for m in h.phone.messages.values()]
    assert chats.count(5) == 4 and chats.count(6) == 1  # a burst of four, then one a second
    ticks[0] += 2.0
    await h.sender.deliver_due()
    assert [m["chat"] for m in h.phone.messages.values()].count(5) == 6
    ticks[0] += 10.0
    await h.sender.deliver_due()
    assert [m["chat"] for m in h.phone.messages.values()].count(5) == 8


async def test_a_group_gets_a_burst_of_five_then_one_message_every_three_seconds(
    database: Database,
) -> None:
    ticks = [1000.0]
    h = Harness(database)
    h.sender = Sender(
        database, h.phone, h.clock, rate=1000.0, group_per_minute=20.0, ticker=lambda: ticks[0]
    )
    for n in range(8):
        await h.runtime.record([Incoming(f"t:g{n}", -900, 5, Command("help"), "en")])
    await h.runtime.process_pending()
    await h.sender.deliver_due()

    def in_group() -> int:
        return [m["chat"] for m in h.phone.messages.values()].count(-900)

    assert in_group() == 5
    ticks[0] += 3.0
    await h.sender.deliver_due()
    assert in_group() == 6
    ticks[0] += 60.0
    await h.sender.deliver_due()
    assert in_group() == 8


async def test_nudges_go_quiet_for_a_blocked_chat_and_return_with_the_user(
    database: Database,
) -> None:
    h = Harness(database)
    await plan_with_nudge(h, "18:00")
    h.phone.failures = [SendError(Failure.FORBIDDEN, "bot was blocked by the user")]
    h.clock.advance(timedelta(hours=6, minutes=1))
    assert await fire(h) == 1  # said once, answered 403: the chat is now inactive
    sent = len(h.phone.messages)
    h.clock.advance(timedelta(days=1))
    assert await fire(h) == 1
    assert len(h.phone.messages) == sent  # not said to a chat that blocked the bot
    await h.send(Text("hi, I'm back"))
    h.clock.advance(timedelta(days=1))
    assert await fire(h) == 1
    assert h.phone.last()["text"].startswith("18:00 · ")


async def test_letting_a_parked_message_go_deletes_it(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text("you always do this"))
    await h.tap("Show it to me tomorrow")
    h.clock.advance(timedelta(days=1))
    assert await fire(h) == 1
    assert "Still want to send it?" in h.phone.last()["text"]
    await h.tap("Let it go")
    async with database.transaction() as session:
        left = await session.scalar(select(func.count()).select_from(PrivateText))
    assert left == 0
    await h.send(Press("calm:parked:*"))
    assert "no parked message yet" in h.phone.last()["text"]


async def test_many_people_at_once_are_answered_as_each_would_be_alone(
    database: Database,
) -> None:
    h = Harness(database)
    # Each step is recorded for everyone before any is handled; some steps hold two events a
    # person, so one person's second event has to wait for their first.
    steps: list[list[Event]] = [
        [Command("reflect"), Text("I snapped at her over nothing")],
        [Text("She went quiet all evening"), Text("I was tired and took it out on her")],
        [Text("Stop and say I need ten minutes")],
        [Command("journal"), Command("help")],
    ]

    def chats(first: int) -> range:
        return range(first, first + 12)

    async with database.transaction() as session:
        for user in [*chats(100), *chats(200)]:
            now = naive(h.clock.now())
            data = {"intake_done": True}
            session.add(
                Profile(user_id=user, locale="en", data=data, created_at=now, updated_at=now)
            )

    async def play(first: int, *, alone: bool) -> None:
        for number, events in enumerate(steps):
            await h.runtime.record(
                Incoming(f"{first}:{number}:{user}:{i}", user, user, event, "en")
                for user in chats(first)
                for i, event in enumerate(events)
            )
            if alone:
                while await h.runtime.process_pending(limit=1):
                    pass
            else:
                await h.runtime.process_pending()
            await h.sender.deliver_due()

    await play(100, alone=False)
    await play(200, alone=True)

    def seen(chat: int) -> list[str]:
        return [m["text"] for m in h.phone.messages.values() if m["chat"] == chat]

    for together, alone in zip(chats(100), chats(200), strict=True):
        assert seen(together) == seen(alone)
    assert "Your journal has one entry" in seen(100)[-2]


async def test_a_failure_while_recording_one_send_does_not_repeat_the_others(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = Harness(database)
    for user in range(300, 306):
        await h.runtime.record([Incoming(f"t:{user}", user, user, Command("help"), "en")])
    await h.runtime.process_pending()

    async def broken(row: Outbox, error: SendError) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(h.sender, "_failed", broken)
    h.phone.failures.append(SendError(Failure.TRANSIENT, "one send fails"))
    await h.sender.deliver_due()
    monkeypatch.undo()
    await h.sender.deliver_due()
    chats = sorted(m["chat"] for m in h.phone.messages.values())
    # The failed send goes out on the next pass; every other chat got its message once.
    assert chats == list(range(300, 306))


@dataclass
class SlowToAnswer(Phone):
    """A phone whose button answers take a few turns of the loop, and that logs call order."""

    order: list[str] = field(default_factory=list)

    async def answer(self, callback_id: str, text: str | None) -> None:
        # Give anything sent beside it every chance to overtake it (bounded: when nothing
        # else is in flight, it goes on).
        for _ in range(2000):
            if self.order:
                break
            await asyncio.sleep(0)
        await super().answer(callback_id, text)
        self.order.append("answer")

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int:
        self.order.append("send")
        return await super().send(chat_id, text, buttons, reply)

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        self.order.append("edit")
        await super().edit(chat_id, message_id, text, buttons)


async def test_a_button_is_answered_before_its_reply_goes_out(database: Database) -> None:
    phone = SlowToAnswer()
    h = Harness(database, phone)
    await h.send(Command("start"))
    phone.order.clear()
    await h.tap("English")
    assert phone.order[0] == "answer", phone.order
    assert len(phone.order) > 1


async def test_sends_that_finished_before_a_cut_off_are_not_sent_again(
    database: Database,
) -> None:
    four_sent = asyncio.Event()

    class StuckOnOne(Phone):
        async def send(
            self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
        ) -> int:
            if chat_id == 404:
                await asyncio.Event().wait()  # never answers: the cut-off comes first
            message_id = await super().send(chat_id, text, buttons, reply)
            if len(self.messages) == 4:
                four_sent.set()
            return message_id

    h = Harness(database, StuckOnOne())
    for user in range(400, 405):
        await h.runtime.record([Incoming(f"t:{user}", user, user, Command("help"), "en")])
    await h.runtime.process_pending()
    delivering = asyncio.create_task(h.sender.deliver_due())
    # Waited for as an event: how many loop turns the sends take depends on the machine.
    await asyncio.wait_for(four_sent.wait(), 30)
    assert len(h.phone.messages) == 4
    delivering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await delivering
    moved = Phone(messages=h.phone.messages)
    h.sender.delivery = moved
    await h.sender.deliver_due()
    chats = sorted(m["chat"] for m in moved.messages.values())
    assert chats == list(range(400, 405))


async def test_one_sweep_times_each_reminder_by_its_own_rule_zone_and_pause(
    database: Database,
) -> None:
    h = Harness(database)
    now = h.clock.now()
    due = naive(now - timedelta(minutes=1))
    people = {
        1: ("daily 19:00", "Europe/Berlin", {}),
        2: ("daily 19:00", "Europe/Berlin", {}),
        3: ("daily 19:00", "Asia/Tokyo", {}),
        4: (
            "daily 19:00",
            "Europe/Berlin",
            {"paused_until": (now + timedelta(days=2)).isoformat()},
        ),
        5: (None, None, {"quiet": [(now - timedelta(hours=1)).strftime("%H:%M"), "23:59"]}),
        # Alike but for their quiet hours, or for the zone in their profile: held, not fired.
        6: ("daily 19:00", None, {}),
        7: (
            "daily 19:00",
            None,
            {"quiet": [(now - timedelta(hours=1)).strftime("%H:%M"), "23:59"]},
        ),
        8: ("daily 19:00", None, {"tz": "Pacific/Kiritimati"}),
    }
    async with database.transaction() as session:
        for user, (rule, tz, data) in people.items():
            session.add(Profile(user_id=user, data=data, created_at=due, updated_at=due))
            session.add(
                Reminder(
                    chat_id=user,
                    user_id=user,
                    key="nudge",
                    kind="nudge",
                    payload={"n": user},
                    due_at=due,
                    state="pending",
                    created_at=due,
                    rule=rule,
                    tz=tz,
                )
            )
    assert await h.runtime.fire_due() == 4
    async with database.reading() as session:
        after = {r.user_id: r for r in await session.scalars(select(Reminder))}
        fired = sorted(row.user_id for row in await session.scalars(select(Inbox)))
    assert fired == [1, 2, 3, 6]
    berlin = recurrence.next_time("daily 19:00", "Europe/Berlin", now)
    tokyo = recurrence.next_time("daily 19:00", "Asia/Tokyo", now)
    assert berlin != tokyo
    expected = [naive(berlin), naive(berlin), naive(tokyo), naive(berlin)]
    assert [after[n].due_at for n in (1, 2, 3, 4)] == expected
    assert after[4].state == after[1].state == "pending", "a paused nudge skips this time"
    assert after[5].state == "pending" and after[5].due_at > due, "held by quiet hours"
    assert after[6].due_at == naive(recurrence.next_time("daily 19:00", None, now))
    assert after[7].due_at == naive(now.replace(hour=23, minute=59, second=0, microsecond=0)), (
        "its quiet hours end"
    )
    # Midday UTC is 02:00 at UTC+14: quiet by default until 08:00 there, 18:00 UTC.
    assert after[8].due_at == naive(now.replace(hour=18, minute=0, second=0, microsecond=0)), (
        "quiet in its profile's zone"
    )


async def test_replies_are_ready_to_send_after_each_batch_not_after_the_backlog(
    database: Database,
) -> None:
    h = Harness(database)
    ready: list[int] = []

    async def unhandled() -> int:
        async with database.reading() as session:
            found = await session.scalar(
                select(func.count()).select_from(Inbox).where(Inbox.handled_at.is_(None))
            )
        return int(found or 0)

    h.runtime.replies_ready = lambda: ready.append(len(ready))
    people = range(600, 600 + 3 * batch.MOST)
    await h.runtime.record(
        Incoming(f"b:{person}", person, person, Command("menu"), "en") for person in people
    )
    assert await unhandled() == len(people)
    assert await h.runtime.process_pending() == len(people)
    # One call per batch: the sender could start on the first while the rest were handled.
    assert len(ready) == 3
    await h.sender.deliver_due()
    assert {m["chat"] for m in h.phone.messages.values()} == set(people)


async def test_a_backlog_lets_sending_start_before_it_is_all_handled(database: Database) -> None:
    h = Harness(database)
    woken = asyncio.Event()
    h.runtime.replies_ready = woken.set
    people = range(700, 700 + 3 * batch.MOST)
    await h.runtime.record(
        Incoming(f"w:{person}", person, person, Command("menu"), "en") for person in people
    )

    async def left_when_the_sender_runs() -> int:
        await woken.wait()
        async with database.reading() as session:
            found = await session.scalar(
                select(func.count()).select_from(Inbox).where(Inbox.handled_at.is_(None))
            )
        return int(found or 0)

    sender = asyncio.create_task(left_when_the_sender_runs())
    assert await h.runtime.process_pending() == len(people)
    # The sender got its turn after the first batch, not after the last one.
    assert await sender >= 2 * batch.MOST


@dataclass
class HookedPhone(Phone):
    """A phone that calls `on_send[chat]` before a chat's next message goes out."""

    on_send: dict[int, Any] = field(default_factory=dict)

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int:
        if chat_id in self.on_send:
            await self.on_send.pop(chat_id)()
        return await super().send(chat_id, text, buttons, reply)


async def test_new_chats_arriving_steadily_do_not_hold_back_a_chat_already_in_the_window(
    database: Database,
) -> None:
    phone = HookedPhone()
    h = Harness(database, phone)
    now = naive(h.clock.now())

    async def queue(chat: int, text: str) -> None:
        async with database.transaction() as session:
            session.add(
                Outbox(
                    chat_id=chat,
                    op="send",
                    payload={"text": text, "buttons": []},
                    next_try_at=now,
                    created_at=now,
                )
            )

    def next_in_line(chat: int) -> Any:
        async def write() -> None:
            await queue(chat, "hello")
            h.sender.wake.set()

        return write

    # A reply in two parts for 901, while someone new writes each time a message goes out.
    await queue(901, "part one")
    await queue(901, "part two")
    await queue(1000, "hello")
    last = 1000 + 3 * h.sender.in_flight
    for chat in range(1000, last):
        phone.on_send[chat] = next_in_line(chat + 1)
    await asyncio.wait_for(h.sender.deliver_due(), 30)
    order = [(m["chat"], m["text"]) for m in phone.messages.values()]
    assert order.index((901, "part two")) < order.index((last, "hello"))
    assert order.index((901, "part one")) < order.index((901, "part two"))
