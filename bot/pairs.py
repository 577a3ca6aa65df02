"""Couple-mode pairs in storage: invite codes, who is in which pair, and what each may see."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import aware, naive
from bot.storage.models import Pair, PrivateText
from flows import engine

# Pairs in these states are history: a person in one is free to start or join another.
CLOSED = ("ended", "declined")
CODE_BYTES = 18  # 24 URL-safe characters: unguessable, and well within Telegram's 64


def code_hash(code: str) -> str:
    """The stored form of an invite code."""
    return hashlib.sha256(code.encode()).hexdigest()


async def current(session: AsyncSession, user_id: int, *, closed: bool = False) -> Pair | None:
    """The pair this person is in now, if any (or was in last, with `closed`)."""
    query = select(Pair).where(or_(Pair.first_id == user_id, Pair.second_id == user_id))
    if not closed:
        query = query.where(Pair.status.not_in(CLOSED))
    found = await session.scalars(query.order_by(Pair.id.desc()).limit(1))
    return found.first()


async def partner_of(session: AsyncSession, user_id: int) -> int | None:
    """The other member of this person's latest pair, even one that was just ended."""
    pair = await current(session, user_id, closed=True)
    if pair is None:
        return None
    return pair.second_id if pair.first_id == user_id else pair.first_id


async def view(session: AsyncSession, user_id: int) -> engine.Pair | None:
    """The pair as this person may see it; the one who was hurt also sees the agreed plan."""
    pair = await current(session, user_id)
    if pair is None:
        return None
    roles: dict[str, str] = dict(pair.data.get("roles") or {})
    role = roles.get(str(user_id))
    partner = pair.second_id if user_id == pair.first_id else pair.first_id
    data = {k: v for k, v in pair.data.items() if k in ("space", "expectations")}
    if role in ("hurt", "both") and partner is not None:
        data["plan"] = await _commitments(session, partner)
    return engine.Pair(pair.id, pair.status, role, partner, pair.group_chat_id, data)


async def _commitments(session: AsyncSession, user_id: int) -> list[str]:
    """The commitments of this person's latest plan, as plain lines."""
    latest = await session.scalar(
        select(PrivateText)
        .where(PrivateText.user_id == user_id, PrivateText.kind == "plan")
        .order_by(PrivateText.id.desc())
        .limit(1)
    )
    if latest is None:
        return []
    plan: dict[str, Any] = json.loads(latest.body)
    return [str(c.get("text")) for c in plan.get("commitments") or [] if c.get("text")]


async def resolve(session: AsyncSession, code: str, user_id: int, now: datetime) -> engine.Invite:
    """What a code from a /start link is: valid, expired, used up, unknown, or one's own."""
    pair = await session.scalar(select(Pair).where(Pair.code_hash == code_hash(code)))
    if pair is None:
        return engine.Invite("unknown")
    if pair.first_id == user_id:
        return engine.Invite("own", pair.id)
    if pair.second_id is not None or pair.status != "invited":
        return engine.Invite("used")
    if pair.code_expires_at is None or aware(pair.code_expires_at) <= now:
        return engine.Invite("expired")
    return engine.Invite("ok", pair.id)


async def invite(session: AsyncSession, user_id: int, now: datetime, days: int) -> str:
    """A fresh code for this person's pair; an earlier unused code stops working."""
    code = secrets.token_urlsafe(CODE_BYTES)
    pair = await current(session, user_id)
    if pair is None or pair.status != "invited":
        pair = Pair(
            status="invited",
            first_id=user_id,
            data={"roles": {str(user_id): "caused"}},
            created_at=naive(now),
        )
        session.add(pair)
    pair.code_hash = code_hash(code)
    pair.code_expires_at = naive(now + timedelta(days=days))
    pair.updated_at = naive(now)
    return code


async def claim(session: AsyncSession, pair_id: int, user_id: int, now: datetime) -> bool:
    """Take up an invite once: only if it is still open and unexpired; the code is used up."""
    taken = await session.execute(
        update(Pair)
        .where(
            Pair.id == pair_id,
            Pair.status == "invited",
            Pair.second_id.is_(None),
            Pair.first_id != user_id,
            Pair.code_expires_at > naive(now),
        )
        # The code's hash stays, so a second use is recognised as "used", not "unknown".
        .values(second_id=user_id, status="joining", updated_at=naive(now))
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        return False
    pair = await session.get(Pair, pair_id)
    if pair is not None:
        await session.refresh(pair)
        pair.data = {**pair.data, "roles": {**pair.data.get("roles", {}), str(user_id): "hurt"}}
    return True


async def change(
    session: AsyncSession, user_id: int, values: dict[str, Any], now: datetime
) -> None:
    """Apply a flow's change to this person's pair: its status, or data keys (None removes)."""
    pair = await current(session, user_id)
    if pair is None:
        return
    data = dict(pair.data)
    for key, value in values.items():
        if key == "status":
            pair.status = str(value)
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    pair.data = data
    pair.updated_at = naive(now)
