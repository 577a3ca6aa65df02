"""Private events that touch no one else, handled together: what they need, read up front."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.pairs import CLOSED
from bot.storage.models import Chat, Conversation, Inbox, Pair, PrivateText, Profile

# Events handled in one transaction at most: enough to spread its fixed costs, few enough
# that one failing event costs little to redo one by one.
MOST = 16


@dataclass
class Known:
    """A run's rows read in a few queries; a key that is missing means no such row exists."""

    run: list[Inbox]
    chats: dict[int, Chat] = field(default_factory=dict)
    profiles: dict[int, Profile] = field(default_factory=dict)
    conversations: dict[tuple[int, int], Conversation] = field(default_factory=dict)
    texts: dict[int, list[PrivateText]] = field(default_factory=dict)


def independent(rows: Sequence[Inbox]) -> list[Inbox]:
    """The leading rows that can share a transaction: private, one a chat, none pairing two."""
    run: list[Inbox] = []
    for row in rows:
        if row.chat_id != row.user_id or any(r.chat_id == row.chat_id for r in run):
            break
        if not _solitary(row.event):
            break
        run.append(row)
    return run


def _solitary(event: dict[str, Any]) -> bool:
    """Whether the event can only change its own user's rows."""
    kind = event.get("type")
    # An invite code (/start with an argument) joins two people; membership and migration
    # are about groups.
    return kind not in ("member", "migrated") and not (kind == "command" and event.get("args"))


async def prefetch(session: AsyncSession, rows: Sequence[Inbox]) -> Known:
    """Read what the run's events need; the run stops before anyone who is in a pair."""
    ids = [row.user_id for row in rows]
    paired: set[int] = set()
    for first, second in await session.execute(
        select(Pair.first_id, Pair.second_id).where(
            or_(Pair.first_id.in_(ids), Pair.second_id.in_(ids)), Pair.status.not_in(CLOSED)
        )
    ):
        paired.update(p for p in (first, second) if p is not None)
    # Someone in a pair can be changed by their partner's event, so they go one by one.
    run: list[Inbox] = []
    for row in rows:
        if row.user_id in paired:
            break
        run.append(row)
    ids = [row.user_id for row in run]
    known = Known(run)
    if not ids:
        return known
    for chat in await session.scalars(select(Chat).where(Chat.chat_id.in_(ids))):
        known.chats[chat.chat_id] = chat
    for profile in await session.scalars(select(Profile).where(Profile.user_id.in_(ids))):
        known.profiles[profile.user_id] = profile
    for conversation in await session.scalars(
        select(Conversation).where(
            Conversation.chat_id.in_(ids), Conversation.user_id == Conversation.chat_id
        )
    ):
        known.conversations[(conversation.chat_id, conversation.user_id)] = conversation
    for text in await session.scalars(
        select(PrivateText)
        .where(PrivateText.user_id.in_(ids), PrivateText.kind != "parked")
        .order_by(PrivateText.id)
    ):
        known.texts.setdefault(text.user_id, []).append(text)
    return known


async def alone(session: AsyncSession, row: Inbox) -> bool:
    """Whether handling this one event can change no one's rows but its own user's."""
    if row.chat_id != row.user_id or not _solitary(row.event):
        return False
    paired = await session.scalar(
        select(Pair.id)
        .where(
            or_(Pair.first_id == row.user_id, Pair.second_id == row.user_id),
            Pair.status.not_in(CLOSED),
        )
        .limit(1)
    )
    return paired is None
