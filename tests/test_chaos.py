"""Chaos through the runtime: random people, words, buttons (real, stale, forged), timers, groups.

Whatever happens, no event fails to be handled, every stored state is one the flows know, and
every button the bot has shown can be pressed without an error.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from bot.storage.db import Database
from bot.storage.models import Conversation
from flows import dispatch, group
from flows.engine import Command, Member, Migrated, NonText, Press, Text
from tests.test_runtime import Harness

PEOPLE = (701, 702, 703)
GROUP = -7001
WORDS = [
    "hi",
    "Berlin",
    "21:00",
    "7",
    "I lied to her about the money and I am sorry",
    "i want to die",
    "he hit me again",
    "x" * 5000,
    "   ",
    "🙂",
    "24.12",
]
COMMANDS = [*dispatch.COMMANDS, "cancel", "nope", "pair", "agreements", "talk", "thanks"]
FORGED = ["menu:open:*", "calm:stop:0", "group:caused:*", "sos:resume:*", "x" * 80, "a:b:c"]


class ErrorLog(logging.Handler):
    """Keeps every error the bot logs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()}")


class Chaos(RuleBasedStateMachine):
    """One bot, three people and a group, and whatever they do."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = tempfile.mkdtemp()
        self.db = Database(f"sqlite+aiosqlite:///{self.folder}/mend.db")
        self.run(self.db.migrate())
        self.h = Harness(self.db)
        self.errors = ErrorLog()
        logging.getLogger("bot").addHandler(self.errors)

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def where(self, person: int, in_group: bool) -> int:
        return GROUP if in_group else person

    @rule(person=st.sampled_from(PEOPLE), words=st.sampled_from(WORDS), in_group=st.booleans())
    def write(self, person: int, words: str, in_group: bool) -> None:
        self.run(self.h.send(Text(words), user=person, chat=self.where(person, in_group)))

    @rule(
        person=st.sampled_from(PEOPLE),
        name=st.sampled_from(COMMANDS),
        args=st.sampled_from(["", "pair", "thanks for calling", "not-a-code"]),
        in_group=st.booleans(),
    )
    def command(self, person: int, name: str, args: str, in_group: bool) -> None:
        event = Command(name, args)
        self.run(self.h.send(event, user=person, chat=self.where(person, in_group)))

    @rule(person=st.sampled_from(PEOPLE), pick=st.integers(0, 50), in_group=st.booleans())
    def press_shown(self, person: int, pick: int, in_group: bool) -> None:
        chat = self.where(person, in_group)
        shown = [
            button["data"]
            for message in self.h.phone.messages.values()
            if message.get("chat") == chat
            for row in message.get("buttons") or []
            for button in row
        ]
        if shown:
            data = shown[pick % len(shown)]
            self.run(self.h.send(Press(data), user=person, chat=chat))

    @rule(person=st.sampled_from(PEOPLE), data=st.sampled_from(FORGED), in_group=st.booleans())
    def press_forged(self, person: int, data: str, in_group: bool) -> None:
        self.run(self.h.send(Press(data), user=person, chat=self.where(person, in_group)))

    @rule(person=st.sampled_from(PEOPLE), kind=st.sampled_from(["sticker", "photo", "voice"]))
    def send_non_text(self, person: int, kind: str) -> None:
        self.run(self.h.send(NonText(kind), user=person))

    @rule(person=st.sampled_from((0, *PEOPLE)), joined=st.booleans())
    def membership(self, person: int, joined: bool) -> None:
        actor = person or PEOPLE[0]
        self.run(self.h.send(Member(person, joined), user=actor, chat=GROUP))

    @rule(hours=st.integers(1, 200))
    def time_passes(self, hours: int) -> None:
        self.h.clock.advance(timedelta(hours=hours))
        self.run(self.h.runtime.fire_due())
        self.run(self.h.runtime.process_pending())
        self.run(self.h.sender.deliver_due())

    @rule()
    def group_moves(self) -> None:
        # Once only in practice: later migrations of the old id find nothing to move.
        self.run(self.h.send(Migrated(GROUP - 1_000_000_000_000), user=PEOPLE[0], chat=GROUP))

    @invariant()
    def nothing_failed(self) -> None:
        assert not self.errors.seen, self.errors.seen
        sorry = [m for m in self.h.phone.messages.values() if "went wrong" in m["text"]]
        assert not sorry, sorry

    @invariant()
    def every_state_is_known(self) -> None:
        async def states() -> list[Conversation]:
            async with self.db.transaction() as session:
                return list(await session.scalars(select(Conversation)))

        known: dict[str, Any] = {**dispatch.FLOWS, group.name: group}
        for state in self.run(states()):
            flow = known.get(state.flow)
            assert flow is not None and state.step in flow.steps, (state.flow, state.step)

    def teardown(self) -> None:
        logging.getLogger("bot").removeHandler(self.errors)
        self.run(self.db.close())
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)


Chaos.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestChaos = Chaos.TestCase
