"""A person's data in storage: all of it as one JSON file, or all of it erased."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import pairs
from bot.storage.models import (
    Chat,
    Conversation,
    Inbox,
    MessageRef,
    Outbox,
    Pair,
    PrivateText,
    Profile,
    Reminder,
)


def _plain(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body


async def export(session: AsyncSession, user_id: int, now: datetime, about: str) -> bytes:
    """Everything kept about this person, readable, as UTF-8 JSON headed by `about`."""
    profile = await session.get(Profile, user_id)
    texts = await session.scalars(
        select(PrivateText).where(PrivateText.user_id == user_id).order_by(PrivateText.id)
    )
    reminders = await session.scalars(select(Reminder).where(Reminder.user_id == user_id))
    state = await session.get(Conversation, (user_id, user_id))
    found = await session.scalars(
        select(Pair).where(or_(Pair.first_id == user_id, Pair.second_id == user_id))
    )
    data = {
        "about": about,
        "exported_at": now.isoformat(),
        "user_id": user_id,
        "language": profile.locale if profile else None,
        "profile": dict(profile.data) if profile else {},
        "writing": [
            {"kind": t.kind, "written_at": t.created_at.isoformat(), "content": _plain(t.body)}
            for t in texts
        ],
        "in_progress": (
            {"flow": state.flow, "step": state.step, "answers": dict(state.data)} if state else None
        ),
        "reminders": [
            {"kind": r.kind, "repeats": r.rule, "next": r.due_at.isoformat(), "state": r.state}
            for r in reminders
        ],
        "pairs": [_pair(p, user_id) for p in found],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _pair(pair: Pair, user_id: int) -> dict[str, Any]:
    """A pair as this member may see it: their role and answer, not the other's."""
    shared = {k: v for k, v in pair.data.items() if k in pairs.SHARED}
    return {
        "status": pair.status,
        "role": pairs.roles_of(pair).get(user_id),
        "since": pair.created_at.isoformat(),
        "my_safety_answer": pair.data.get(f"safety-{user_id}"),
        **shared,
    }


async def erase(session: AsyncSession, event: Inbox, profile: Profile) -> None:
    """Every row about this person goes, the event that asked for it included."""
    user_id = event.user_id
    found = await session.scalars(
        select(Pair).where(or_(Pair.first_id == user_id, Pair.second_id == user_id))
    )
    for pair in found:
        if pair.group_chat_id is not None:
            await session.execute(
                delete(Reminder).where(
                    Reminder.chat_id == pair.group_chat_id, Reminder.user_id == 0
                )
            )
        await session.delete(pair)
    for statement in (
        delete(PrivateText).where(PrivateText.user_id == user_id),
        delete(Reminder).where(Reminder.user_id == user_id),
        delete(Conversation).where(Conversation.user_id == user_id),
        delete(Outbox).where(Outbox.chat_id == user_id),
        delete(MessageRef).where(MessageRef.chat_id == user_id),
        delete(Inbox).where(Inbox.user_id == user_id, Inbox.id != event.id),
        delete(Chat).where(Chat.chat_id == user_id),
    ):
        await session.execute(statement.execution_options(synchronize_session=False))
    await session.delete(profile)
    await session.delete(event)
