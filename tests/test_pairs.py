"""Couple mode through the runtime: invite links, consent, safety, the hurt person's controls."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import naive
from bot.storage.db import Database
from bot.storage.models import Pair, PrivateText, Profile
from flows.engine import Command, Press, Text
from tests.test_runtime import Harness, fire

REPAIRING, HURT, STRANGER = 501, 502, 503


def said(h: Harness, chat: int) -> list[dict[str, Any]]:
    """Messages in one chat, oldest first."""
    return [m for _, m in sorted(h.phone.messages.items()) if m.get("chat") == chat]


def last(h: Harness, chat: int) -> str:
    return str(said(h, chat)[-1]["text"])


def recent(h: Harness, chat: int) -> str:
    """The last two messages in a chat, for answers followed by the home menu."""
    return "\n".join(str(m["text"]) for m in said(h, chat)[-2:])


async def tap(h: Harness, chat: int, label: str) -> None:
    for message in reversed(said(h, chat)):
        for row in message.get("buttons") or []:
            for b in row:
                if b["text"] == label:
                    await h.send(Press(b["data"]), user=chat)
                    return
    raise AssertionError(f"no button {label!r} in chat {chat}")


async def invite_link(h: Harness) -> str:
    await h.send(Command("invite"), user=REPAIRING)
    text = next(m["text"] for m in reversed(said(h, REPAIRING)) if "?start=" in m["text"])
    found = re.search(r"\?start=([A-Za-z0-9_-]+)", text)
    assert found is not None
    return found.group(1)


async def paired(h: Harness, safety: str = "Yes, I feel safe") -> None:
    code = await invite_link(h)
    await h.send(Command("start", code), user=HURT)
    await tap(h, HURT, "Yes, I'll join")
    await tap(h, HURT, safety)


async def test_an_invite_link_joins_once_with_consent_and_safety(database: Database) -> None:
    h = Harness(database)
    code = await invite_link(h)
    assert len(code) >= 20
    async with database.transaction() as session:
        pair = await session.scalar(select(Pair))
    assert pair is not None and pair.code_hash != code  # only a hash of the code is kept
    await h.send(Command("start", code), user=HURT)
    assert "Would you like to join?" in last(h, HURT)
    await tap(h, HURT, "Yes, I'll join")
    assert "do you feel safe with this person?" in last(h, HURT)
    await tap(h, HURT, "Yes, I feel safe")
    assert "This is your corner" in last(h, HURT)
    assert "They joined" in last(h, REPAIRING)
    # The same link a second time, by anyone, does nothing.
    await h.send(Command("start", code), user=STRANGER)
    assert "already been used" in recent(h, STRANGER)
    await h.send(Command("start", "not-a-real-code-at-all"), user=STRANGER)
    assert "doesn't work" in recent(h, STRANGER)
    async with database.transaction() as session:
        pair = await session.scalar(select(Pair))
    assert pair is not None and (pair.status, pair.second_id) == ("active", HURT)


async def test_an_expired_or_own_link_is_refused(database: Database) -> None:
    h = Harness(database)
    code = await invite_link(h)
    await h.send(Command("start", code), user=REPAIRING)
    assert "your own invitation link" in recent(h, REPAIRING)
    h.clock.advance(timedelta(days=7, minutes=1))
    await h.send(Command("start", code), user=HURT)
    assert "expired" in recent(h, HURT)
    # A new link replaces the old one, which stops working.
    fresh = await invite_link(h)
    assert fresh != code
    await h.send(Command("start", fresh), user=HURT)
    assert "Would you like to join?" in last(h, HURT)


async def test_not_feeling_safe_holds_everything_and_the_other_is_never_told_why(
    database: Database,
) -> None:
    h = Harness(database)
    before = len(said(h, REPAIRING))
    await paired(h, safety="No")
    assert "Your safety comes before any repair" in last(h, HURT)
    told = [m["text"] for m in said(h, REPAIRING)[before:]]
    assert not any("safe" in t.lower() for t in told)
    await h.send(Command("invite"), user=REPAIRING)
    assert "Your invitation is with them" in last(h, REPAIRING)
    # Nothing moves toward them: space and pause are not offered, only ending.
    await h.send(Command("menu"), user=HURT)
    labels = [b["text"] for row in said(h, HURT)[-1]["buttons"] for b in row]
    assert "End it" in labels and "Ask for space" not in labels


async def test_space_set_by_the_hurt_person_holds_meeting_and_only_they_lift_it(
    database: Database,
) -> None:
    h = Harness(database)
    await paired(h)
    await tap(h, HURT, "Ask for space")
    await tap(h, HURT, "A week")
    assert "For 7 days, they won't be prompted" in recent(h, HURT)
    assert "They asked for space for 7 days" in last(h, REPAIRING)
    await h.send(Command("meet"), user=REPAIRING)
    assert "now isn't the time to meet" in last(h, REPAIRING)
    await h.send(Command("space"), user=REPAIRING)
    assert "only they can end it early" in last(h, REPAIRING)
    assert not any(
        b["text"] == "They reached out" for row in said(h, REPAIRING)[-1]["buttons"] for b in row
    )
    await tap(h, HURT, "End the space")
    assert "The space they asked for is over" in last(h, REPAIRING)
    await h.send(Command("meet"), user=REPAIRING)
    assert "now isn't the time" not in last(h, REPAIRING)


async def test_space_by_typed_days_or_date_and_bad_answers(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    await h.send(Command("space"), user=HURT)
    await h.send(Text("forever and ever"), user=HURT)
    assert "Tap one of the options" in last(h, HURT)
    await h.send(Text("10"), user=HURT)
    assert "For 10 days" in recent(h, HURT)


async def test_pause_and_end_reach_the_other_without_details(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    await h.send(Command("pause"), user=HURT)
    assert "They paused things for now" in last(h, REPAIRING)
    await h.send(Command("meet"), user=REPAIRING)
    assert "now isn't the time" in last(h, REPAIRING)
    await h.send(Command("pause"), user=HURT)  # a second /pause resumes
    assert "They've resumed things" in last(h, REPAIRING)
    await tap(h, HURT, "End it")
    await tap(h, HURT, "Yes, end it")
    assert "It's ended. Take care of yourself" in last(h, HURT)
    assert "They've chosen to end this" in last(h, REPAIRING)
    hurt_count = len(said(h, HURT))
    await h.send(Command("invite"), user=REPAIRING)
    assert "They told you no" in last(h, REPAIRING)
    await h.send(Command("menu"), user=REPAIRING)
    labels = [b["text"] for row in said(h, REPAIRING)[-1]["buttons"] for b in row]
    assert "Prepare to meet" not in labels
    assert len(said(h, HURT)) == hurt_count  # nothing more reaches them


async def test_only_the_hurt_person_holds_the_controls(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    # The person repairing pressing a copy of the controls gets nothing of them.
    await h.send(Press("partner:end:*"), user=REPAIRING)
    assert "only for the person who was invited" in last(h, REPAIRING)
    await h.send(Press("partner:space:*"), user=STRANGER)
    assert "only for the person who was invited" in last(h, STRANGER)
    async with database.transaction() as session:
        pair = await session.scalar(select(Pair))
    assert pair is not None and pair.status == "active" and "space" not in pair.data


async def test_the_hurt_person_sees_the_plan_and_adds_what_they_need(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    plan = {"commitments": [{"text": "I call when I'm late", "cadence": "daily"}]}
    async with database.transaction() as session:
        session.add(
            PrivateText(
                user_id=REPAIRING,
                kind="plan",
                body=json.dumps(plan),
                created_at=naive(h.clock.now()),
            )
        )
    await tap(h, HURT, "See the plan")
    assert "• I call when I'm late" in last(h, HURT)
    await tap(h, HURT, "Add what I need")
    await h.send(Text("No phone at dinner"), user=HURT)
    assert "• No phone at dinner" in last(h, HURT)
    assert 'They added something they need from you: "No phone at dinner"' in last(h, REPAIRING)


async def test_the_invited_person_is_never_put_through_the_intake(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    await h.send(Text("hello?"), user=HURT)
    assert "What would you like to do?" in last(h, HURT)
    await h.send(Command("start"), user=HURT)
    assert "What would you like to do?" in last(h, HURT)
    assert not any("Who did you hurt?" in m["text"] for m in said(h, HURT))


async def test_the_weekly_trust_question_is_private_once_per_week_and_can_stop(
    database: Database,
) -> None:
    h = Harness(database)
    await paired(h)
    repairing_before = len(said(h, REPAIRING))
    h.clock.advance(timedelta(days=7, minutes=1))
    assert await fire(h) == 1
    asked = max(k for k, m in h.phone.messages.items() if m.get("chat") == HURT)
    question = h.phone.messages[asked]
    assert "how much do you feel trust is coming back?" in question["text"]
    three = next(b["data"] for row in question["buttons"] for b in row if b["text"] == "3")
    await tap(h, HURT, "7")
    assert "Noted: 7. Only you can see this." in h.phone.messages[asked]["text"]
    assert "one word" in last(h, HURT)
    await h.send(Text("honesty"), user=HURT)
    assert "Thank you" in last(h, HURT)
    # A second tap on the same week's question changes nothing.
    await h.send(Press(three), user=HURT)
    assert "already answered" in h.phone.messages[asked]["text"]
    async with database.transaction() as session:
        kept = (
            await session.scalars(select(PrivateText).where(PrivateText.kind == "trust_word"))
        ).all()
        profile = await session.get(Profile, HURT)
    assert [json.loads(k.body)["word"] for k in kept] == ["honesty"]
    assert profile is not None and list(profile.data["trust"].values()) == [7]
    # The person repairing never hears any of it.
    assert len(said(h, REPAIRING)) == repairing_before
    await tap(h, HURT, "Stop asking")
    h.clock.advance(timedelta(days=7, minutes=1))
    assert await fire(h) == 0


async def test_a_safety_answer_of_no_quietly_takes_meeting_off_the_table(
    database: Database,
) -> None:
    h = Harness(database)
    await paired(h, safety="No")
    await h.send(Command("meet"), user=REPAIRING)
    assert "Meeting in person isn't something I can help with right now" in last(h, REPAIRING)
    assert "safe" not in last(h, REPAIRING).lower()
