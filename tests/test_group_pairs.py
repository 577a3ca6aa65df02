"""Couple mode in a group chat through the runtime and storage (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.sender import Failure, SendError
from bot.storage.db import Database
from bot.storage.models import Chat, Conversation, Pair, Reminder
from bot.updates import incoming
from flows.engine import Command, Member, Migrated, Press, Text
from tests.test_pairs import HURT, REPAIRING, STRANGER, last, paired, said, tap
from tests.test_runtime import Harness, fire

GROUP, SUPERGROUP = -4001, -1004001


async def tap_in(h: Harness, chat: int, user: int, label: str) -> None:
    """`user` presses the newest button with this label in a shared chat."""
    for message in reversed(said(h, chat)):
        for row in message.get("buttons") or []:
            for b in row:
                if b["text"] == label:
                    await h.send(Press(b["data"]), user=user, chat=chat)
                    return
    raise AssertionError(f"no button {label!r} in chat {chat}")


async def pair_in_group(h: Harness, hurt_role: str = "I was hurt") -> None:
    await h.send(Command("pair"), user=REPAIRING, chat=GROUP)
    await tap_in(h, GROUP, REPAIRING, "I caused the hurt")
    await tap_in(h, GROUP, HURT, hurt_role)


async def group_pair(database: Database) -> Pair | None:
    async with database.transaction() as session:
        return await session.scalar(select(Pair).order_by(Pair.id.desc()))


async def active_group_pair(h: Harness) -> None:
    """Both have private chats with the bot; they pair in the group and the hurt one says safe."""
    await h.send(Command("start"), user=REPAIRING)
    await h.send(Command("start"), user=HURT)
    await pair_in_group(h)
    await tap(h, HURT, "Yes, I feel safe")


async def test_pairing_in_a_group_waits_for_the_private_safety_answer(database: Database) -> None:
    h = Harness(database)
    await h.send(Command("start"), user=HURT)
    await pair_in_group(h)
    pair = await group_pair(database)
    assert pair is not None and pair.status == "safety" and pair.group_chat_id == GROUP
    assert (pair.first_id, pair.second_id) == (REPAIRING, HURT)
    assert "?start=pair" in last(h, GROUP)
    # The question came privately, since the hurt person already talks to the bot.
    assert "do you feel safe with this person?" in last(h, HURT)
    await h.send(Command("agreements"), user=REPAIRING, chat=GROUP)
    assert "haven't started here yet" in last(h, GROUP)
    await tap(h, HURT, "Yes, I feel safe")
    assert "You're paired" in last(h, GROUP)
    pair = await group_pair(database)
    assert pair is not None and pair.status == "active"
    async with database.transaction() as session:
        weekly = await session.scalar(select(Reminder).where(Reminder.chat_id == GROUP))
    assert weekly is not None and weekly.kind == "group_talk" and weekly.rule


async def test_the_hurt_person_without_a_private_chat_answers_through_the_link(
    database: Database,
) -> None:
    h = Harness(database)
    await pair_in_group(h)
    assert said(h, HURT) == []
    await h.send(Command("start", "pair"), user=HURT)
    assert "do you feel safe with this person?" in last(h, HURT)
    await tap(h, HURT, "I'm not sure")
    pair = await group_pair(database)
    assert pair is not None and pair.status == "held"
    # The group learns nothing about why; it is simply not started.
    await h.send(Command("pair"), user=REPAIRING, chat=GROUP)
    assert "haven't started here yet" in last(h, GROUP)
    assert not any("sure" in m["text"] for m in said(h, GROUP))


async def test_a_third_member_is_refused_in_the_button_answer_and_nothing_changes(
    database: Database,
) -> None:
    h = Harness(database)
    await active_group_pair(h)
    await h.send(Command("talk"), user=REPAIRING, chat=GROUP)
    async with database.transaction() as session:
        before = await session.get(Conversation, (GROUP, 0))
        assert before is not None
        version = before.version
    count = len(said(h, GROUP))
    await tap_in(h, GROUP, STRANGER, "I'll go first")
    assert h.phone.answers[-1][1] == "Only the two people pairing here can use these buttons."
    assert len(said(h, GROUP)) == count
    async with database.transaction() as session:
        after = await session.get(Conversation, (GROUP, 0))
        assert after is not None and after.version == version


async def test_someone_paired_elsewhere_cannot_pair_again_in_a_group(database: Database) -> None:
    h = Harness(database)
    await paired(h)  # by invite link, REPAIRING with HURT
    await h.send(Command("pair"), user=STRANGER, chat=GROUP)
    await tap_in(h, GROUP, STRANGER, "I caused the hurt")
    await tap_in(h, GROUP, HURT, "I was hurt")
    assert "already paired with someone else" in last(h, GROUP)
    # The same two people link their existing pair to the group instead.
    await h.send(Command("pair"), user=REPAIRING, chat=GROUP)
    await tap_in(h, GROUP, REPAIRING, "I caused the hurt")
    await tap_in(h, GROUP, HURT, "I was hurt")
    assert "already paired with each other" in said(h, GROUP)[-1]["text"]
    pair = await group_pair(database)
    assert pair is not None and pair.group_chat_id == GROUP and pair.status == "active"


async def test_agreements_and_thanks_in_the_group(database: Database) -> None:
    h = Harness(database)
    await active_group_pair(h)
    await tap(h, HURT, "See the plan")
    await tap(h, HURT, "Add what I need")
    await h.send(Text("Tell me when you'll be late"), user=HURT)
    await h.send(Command("agreements"), user=HURT, chat=GROUP)
    assert "Tell me when you'll be late" in last(h, GROUP)
    await h.send(Command("thanks", "you texted when you were late"), user=HURT, chat=GROUP)
    assert "Noted" in last(h, GROUP)
    await h.send(Command("thanks"), user=REPAIRING, chat=GROUP)
    assert "you texted when you were late" in last(h, GROUP)


async def test_the_weekly_talk_comes_on_sunday_and_the_end_stops_it(database: Database) -> None:
    h = Harness(database)
    await active_group_pair(h)
    h.clock.advance(timedelta(days=7, hours=1))
    await fire(h)
    assert "weekly check-in" in "\n".join(m["text"] for m in said(h, GROUP)[-3:])
    await h.send(Command("menu"), user=HURT)
    await tap(h, HURT, "End it")
    await tap(h, HURT, "Yes, end it")
    assert "This process has ended" in last(h, GROUP)
    async with database.transaction() as session:
        pending = await session.scalars(
            select(Reminder).where(Reminder.chat_id == GROUP, Reminder.state == "pending")
        )
        assert list(pending) == []


async def test_migration_to_a_supergroup_moves_the_pair_and_its_state(database: Database) -> None:
    h = Harness(database)
    await active_group_pair(h)
    await h.send(Command("talk"), user=REPAIRING, chat=GROUP)
    await h.send(Migrated(SUPERGROUP), user=REPAIRING, chat=GROUP)
    pair = await group_pair(database)
    assert pair is not None and pair.group_chat_id == SUPERGROUP
    async with database.transaction() as session:
        assert await session.get(Conversation, (SUPERGROUP, 0)) is not None
        moved = await session.scalar(select(Reminder).where(Reminder.chat_id == SUPERGROUP))
        assert moved is not None
        old = await session.get(Chat, GROUP)
        assert old is not None and not old.active
    # The talk goes on where it was, in the new chat.
    await tap_in(h, GROUP, REPAIRING, "I'll go first")
    assert h.phone.answers[-1][1] is not None  # the old chat's buttons are stale now
    await h.send(Command("talk"), user=HURT, chat=SUPERGROUP)
    await tap_in(h, SUPERGROUP, HURT, "I'll go first")
    assert "Your turn to speak" in last(h, SUPERGROUP)


async def test_removing_the_bot_or_a_member_leaving_takes_the_pair_out(
    database: Database,
) -> None:
    h = Harness(database)
    await active_group_pair(h)
    await h.send(Member(0, False), user=REPAIRING, chat=GROUP)
    pair = await group_pair(database)
    assert pair is not None and pair.group_chat_id is None and pair.status == "active"
    async with database.transaction() as session:
        chat = await session.get(Chat, GROUP)
        assert chat is not None and not chat.active
        pending = await session.scalars(
            select(Reminder).where(Reminder.chat_id == GROUP, Reminder.state == "pending")
        )
        assert list(pending) == []
    # Private controls carry on.
    await h.send(Command("menu"), user=HURT)
    assert "What would you like to do?" in last(h, HURT)


async def test_a_member_leaving_is_said_once_and_the_private_pair_stays(database: Database) -> None:
    h = Harness(database)
    await active_group_pair(h)
    await h.send(Member(HURT, False), user=HURT, chat=GROUP)
    assert "left the group" in last(h, GROUP)
    pair = await group_pair(database)
    assert pair is not None and pair.group_chat_id is None
    await h.send(Command("agreements"), user=REPAIRING, chat=GROUP)
    assert "not paired here" in last(h, GROUP)


def _member_change(chat: dict[str, object], old: str, new: str) -> dict[str, object]:
    person = {"id": REPAIRING, "is_bot": False, "first_name": "Ann"}
    bot = {"id": 1, "is_bot": True, "first_name": "Mend", "username": "MendBot"}
    return {
        "update_id": 7,
        "my_chat_member": {
            "chat": chat,
            "from": person,
            "date": 0,
            "old_chat_member": {"user": bot, "status": old},
            "new_chat_member": {"user": bot, "status": new},
        },
    }


def test_membership_and_migration_updates_become_events() -> None:
    group = {"id": GROUP, "type": "group", "title": "Us"}
    added = incoming(_member_change(group, "left", "member"))
    assert added is not None and added.event == Member(0, True) and added.chat_id == GROUP
    removed = incoming(_member_change(group, "administrator", "kicked"))
    assert removed is not None and removed.event == Member(0, False)
    # A promotion changes nothing; blocking in a private chat is the sender's business.
    assert incoming(_member_change(group, "member", "administrator")) is None
    private = {"id": REPAIRING, "type": "private", "first_name": "Ann"}
    assert incoming(_member_change(private, "member", "kicked")) is None
    person = {"id": HURT, "is_bot": False, "first_name": "Ben"}
    base = {"message_id": 3, "from": person, "chat": group, "date": 0}
    left = incoming({"update_id": 8, "message": {**base, "left_chat_member": person}})
    assert left is not None and left.event == Member(HURT, False)
    moved = incoming({"update_id": 9, "message": {**base, "migrate_to_chat_id": SUPERGROUP}})
    assert moved is not None and moved.event == Migrated(SUPERGROUP)
    joined = {**base, "new_chat_members": [person]}
    assert incoming({"update_id": 10, "message": joined}) is None


async def test_a_message_sent_as_the_group_moves_goes_to_the_new_chat(database: Database) -> None:
    h = Harness(database)
    h.phone.failures = [SendError(Failure.MOVED, "upgraded", moved_to=SUPERGROUP)]
    await h.send(Command("help"), user=REPAIRING, chat=GROUP)
    await h.sender.deliver_due()
    chats = [m["chat"] for m in h.phone.messages.values()]
    assert chats == [SUPERGROUP]


async def test_the_hurt_person_may_share_a_trust_number_and_see_their_chart(
    database: Database,
) -> None:
    h = Harness(database)
    await active_group_pair(h)
    h.clock.advance(timedelta(days=7, minutes=1))
    await fire(h)
    await tap(h, HURT, "6")
    await h.send(Text("patience"), user=HURT)
    await tap(h, HURT, "See my chart")
    chart = said(h, HURT)[-1]
    assert chart.get("png", b"").startswith(b"\x89PNG") and "Only you see this" in chart["text"]
    before = len(said(h, GROUP))
    await tap(h, HURT, "Share in our group")
    shared = said(h, GROUP)[before:]
    assert [m["text"] for m in shared] == [
        "Shared from a private weekly check-in: trust feels like 6 out of 10."
    ]
    # Once only, and their word never leaves their chat.
    labels = [b["text"] for m in said(h, HURT) for row in m["buttons"] for b in row]
    assert "Share in our group" not in labels
    assert not any("patience" in m["text"] for m in said(h, GROUP) + said(h, REPAIRING))


async def both_hurt(h: Harness) -> None:
    await h.send(Command("start"), user=REPAIRING)
    await h.send(Command("start"), user=HURT)
    await h.send(Command("pair"), user=REPAIRING, chat=GROUP)
    await tap_in(h, GROUP, REPAIRING, "We both did")
    await tap_in(h, GROUP, HURT, "We both did")


async def test_when_both_were_hurt_both_answer_and_neither_lifts_the_others_space(
    database: Database,
) -> None:
    h = Harness(database)
    await both_hurt(h)
    assert "do you feel safe" in last(h, REPAIRING) and "do you feel safe" in last(h, HURT)
    await tap(h, REPAIRING, "Yes, I feel safe")
    assert "once the other person has answered" in last(h, REPAIRING)
    pair = await group_pair(database)
    assert pair is not None and pair.status == "safety"
    await tap(h, HURT, "Yes, I feel safe")
    pair = await group_pair(database)
    assert pair is not None and pair.status == "active"
    async with database.transaction() as session:
        trust = await session.scalars(
            select(Reminder.user_id).where(Reminder.kind == "trust_checkin")
        )
        assert sorted(trust) == [REPAIRING, HURT]
    # Ben asks for space; Ann holds controls too, but not over Ben's space.
    await h.send(Command("space"), user=HURT)
    await tap(h, HURT, "A week")
    await h.send(Command("space"), user=REPAIRING)
    assert "theirs to lift" in "\n".join(m["text"] for m in said(h, REPAIRING)[-2:])
    pair = await group_pair(database)
    assert pair is not None and pair.data["space"]["by"] == HURT


async def test_one_unsure_answer_holds_a_pair_where_both_were_hurt(database: Database) -> None:
    h = Harness(database)
    await both_hurt(h)
    await tap(h, REPAIRING, "Yes, I feel safe")
    await tap(h, HURT, "I'm not sure")
    pair = await group_pair(database)
    assert pair is not None and pair.status == "held"


async def test_a_refused_pairing_leaves_an_open_invite_alone(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    await h.send(Command("invite"), user=STRANGER)
    await h.send(Command("pair"), user=STRANGER, chat=GROUP)
    await tap_in(h, GROUP, STRANGER, "I caused the hurt")
    await tap_in(h, GROUP, HURT, "I was hurt")
    assert "already paired with someone else" in last(h, GROUP)
    async with database.transaction() as session:
        invited = await session.scalar(select(Pair).where(Pair.first_id == STRANGER))
    assert invited is not None and invited.status == "invited"


async def test_the_new_supergroup_announced_first_still_gets_the_pair(database: Database) -> None:
    h = Harness(database)
    await active_group_pair(h)
    await h.send(Command("talk"), user=REPAIRING, chat=GROUP)
    await h.send(Member(0, True), user=REPAIRING, chat=SUPERGROUP)
    await h.send(Migrated(SUPERGROUP), user=REPAIRING, chat=GROUP)
    pair = await group_pair(database)
    assert pair is not None and pair.group_chat_id == SUPERGROUP
    async with database.transaction() as session:
        state = await session.get(Conversation, (SUPERGROUP, 0))
        assert state is not None and state.step == "talk"
    # Re-announcing the bot where a pair already lives says nothing.
    count = len(said(h, SUPERGROUP))
    await h.send(Member(0, True), user=REPAIRING, chat=SUPERGROUP)
    assert len(said(h, SUPERGROUP)) == count


async def test_a_pairing_stuck_waiting_can_be_withdrawn_by_the_person_repairing(
    database: Database,
) -> None:
    h = Harness(database)
    await pair_in_group(h)  # the hurt person never opens a private chat
    await h.send(Command("invite"), user=REPAIRING)
    assert "Your invitation is with them" in last(h, REPAIRING)
    await tap(h, REPAIRING, "Withdraw it")
    pair = await group_pair(database)
    assert pair is not None and pair.status == "ended"
    # Free to pair again, and the late link now leads nowhere.
    await h.send(Command("start", "pair"), user=HURT)
    assert "do you feel safe" not in last(h, HURT)


async def test_words_of_crisis_in_the_group_are_answered_in_private_only(
    database: Database,
) -> None:
    h = Harness(database)
    await active_group_pair(h)
    before = len(said(h, GROUP))
    await h.send(
        Command("thanks", "for nothing, i want to kill myself"), user=REPAIRING, chat=GROUP
    )
    assert len(said(h, GROUP)) == before
    assert "Who can help now" in last(h, REPAIRING)
    pair = await group_pair(database)
    assert pair is not None and not pair.data.get("thanks")
