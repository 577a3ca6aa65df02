"""End to end, couple mode in a group: two people and a bystander, through the fake Bot API."""

from __future__ import annotations

from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram, FakeUser, Json
from tests.test_e2e import intake, tap


async def refused(user: FakeUser, label: str) -> Json:
    """`user` presses the newest button with this label; returns the callback answer."""
    holder = next(
        m
        for m in reversed(user.replies())
        for row in m.get("reply_markup", {}).get("inline_keyboard", [])
        for b in row
        if b["text"] == label
    )
    return await user.wait_answered(user.press_button(holder, label))


async def paired_in_group(fake: FakeTelegram, group: int) -> tuple[FakeUser, FakeUser, FakeUser]:
    """Ann repairs, Ben was hurt and never wrote to the bot before, Carl is a bystander."""
    ann, ben = fake.user(4001, "Ann"), fake.user(4002, "Ben", started=False)
    carl = fake.user(4003, "Carl")
    await intake(
        ann,
        "My partner",
        "Lied or hid something",
        "Serious",
        "Yes",
        heat="0–2",
        expect="What would",
    )
    fake.group(group)
    fake.add_bot(group, ann)
    ann_g, ben_g = ann.in_group(group), ben.in_group(group)
    await ann_g.wait_text("send /pair")
    ann_g.send_text("/pair")
    await ann_g.wait_text("tap the one that fits you")
    await tap(ann_g, "I caused the hurt", "One of you is in")
    await tap(ben_g, "I was hurt", "Both of you have answered")
    link = await ben_g.wait_text("?start=pair")
    assert f"https://t.me/{fake.username}?start=pair" in link["text"]
    # Both have opted in: the choice is closed (no buttons left on it).
    closed = next(m for m in ann_g.replies() if "Both of you have" in m.get("text", ""))
    assert "reply_markup" not in closed

    # The safety question is Ben's alone, in private, and only then does anything start.
    ben.send_text("/start pair")
    await ben.wait_text("do you feel safe")
    await tap(ben, "Yes, I feel safe", "This is your corner")
    await ann_g.wait_text("You're paired")
    return ann, ben, carl


async def test_pair_in_a_group_space_a_bystander_and_the_end(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    group = -5001
    ann, ben, carl = await paired_in_group(fake, group)
    ann_g, carl_g = ann.in_group(group), carl.in_group(group)

    # Ben asks for space in private: Ann's meeting flow and the group talk both wait.
    await tap(ben, "Ask for space", "How long do you need?")
    await tap(ben, "A week", "For 7 days")
    await ann.wait_text("They asked for space for 7 days")
    ann.send_text("/meet")
    await ann.wait_text("now isn't the time to meet")
    ann_g.send_text("/talk")
    await ann_g.wait_text("Space was asked for")

    # Carl can read, not act.
    carl_g.send_text("/agreements")
    await carl_g.wait_text("Only the two people paired here")
    ann_g.send_text("/pair")
    await ann_g.wait_text("You're paired here")
    answer = await refused(carl_g, "Our agreements")
    assert "Only the two people" in str(answer.get("text"))

    # Ben ends it: the group hears it ended, Ann is told respectfully, without details.
    await tap(ben, "End it", "End this for both of you?")
    await tap(ben, "Yes, end it", "It's ended")
    await ann_g.wait_text("This process has ended")
    await ann.wait_text("They've chosen to end")
    # Nothing of Ben's private chat reached the group.
    group_texts = [m.get("text", "") for m in ann_g.replies()]
    assert not any("safe" in t.lower() for t in group_texts)


async def test_the_pair_follows_its_group_to_a_supergroup(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    group = -5002
    ann, ben, _carl = await paired_in_group(fake, group)
    new_id = fake.migrate(group, ann)
    ann_new, ben_new = ann.in_group(new_id), ben.in_group(new_id)
    ben_new.send_text("/talk")
    await tap(ben_new, "I'll go first", "Your turn to speak")
    answer = await refused(ann_new, "I'm done")
    assert "the other person's" in str(answer.get("text"))
    await tap(ben_new, "I'm done", "say back what you heard")
    # A member leaving takes the pair out of the group; private controls carry on.
    ben_new.leave()
    await ann_new.wait_text("left the group")
    ben.send_text("/menu")
    await ben.wait_text("What would you like to do?")
