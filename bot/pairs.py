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
from bot.storage.models import Pair, PrivateText, Profile, Reminder
from flows import engine

# Pairs in these states are history: a person in one is free to start or join another.
CLOSED = ("ended", "declined")
CODE_BYTES = 18  # 24 URL-safe characters: unguessable, and well within Telegram's 64
# What a member may see of the pair's data; safety answers and the rest stay in storage.
SHARED = ("space", "paused_by", "expectations", "thanks")
REPAIRING = ("caused", "both")
HOLDING = ("hurt", "both")
SAFE = ("safe", "skip")


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
    return None if pair is None else await _seen_by(session, pair, user_id)


async def in_group(session: AsyncSession, chat_id: int, user_id: int) -> engine.Pair | None:
    """The pair that uses this group, as this person sees it (no role if not a member)."""
    pair = await group_pair(session, chat_id)
    return None if pair is None else await _seen_by(session, pair, user_id, group=True)


async def group_pair(session: AsyncSession, chat_id: int) -> Pair | None:
    """The open pair that uses this group chat, if any."""
    found = await session.scalars(
        select(Pair)
        .where(Pair.group_chat_id == chat_id, Pair.status.not_in(CLOSED))
        .order_by(Pair.id.desc())
        .limit(1)
    )
    return found.first()


def roles_of(pair: Pair) -> dict[int, str]:
    """Each member's role by user id."""
    return {int(k): str(v) for k, v in (pair.data.get("roles") or {}).items()}


async def _seen_by(
    session: AsyncSession, pair: Pair, user_id: int, *, group: bool = False
) -> engine.Pair:
    roles = roles_of(pair)
    role = roles.get(user_id)
    partner = None
    if role is not None:
        partner = pair.second_id if user_id == pair.first_id else pair.first_id
    data: dict[str, Any] = {k: v for k, v in pair.data.items() if k in SHARED}
    # In the group the agreements are everyone's; in private, the one who was hurt sees the
    # other's plan (the person repairing has their own).
    if group:
        data["members"] = list(roles)
        shown = [u for u, r in roles.items() if r in REPAIRING]
    else:
        shown = [partner] if role in HOLDING and partner is not None else []
    if shown:
        data["plan"] = [c for u in shown for c in await _commitments(session, u)]
    data["safety_answered"] = f"safety-{user_id}" in pair.data
    # Whether everyone else who was hurt has said they feel safe; the answers stay unseen.
    data["others_safe"] = all(
        pair.data.get(f"safety-{u}") in SAFE
        for u, r in roles.items()
        if r in HOLDING and u != user_id
    )
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
    session: AsyncSession, pair_id: int, values: dict[str, Any], now: datetime
) -> None:
    """Apply a flow's change to a pair: its status, its group, or data keys (None removes)."""
    pair = await session.get(Pair, pair_id)
    if pair is None:
        return
    group = pair.group_chat_id
    data = dict(pair.data)
    for key, value in values.items():
        if key == "status":
            pair.status = str(value)
        elif key == "group":
            pair.group_chat_id = None if value is None else int(value)
        elif value is None:
            data.pop(key, None)
        else:
            data[key] = value
    pair.data = data
    pair.updated_at = naive(now)
    if group is not None and (pair.group_chat_id != group or pair.status in CLOSED):
        # The pair ended or left its group: what was set to come there stops.
        await session.execute(
            update(Reminder)
            .where(Reminder.chat_id == group, Reminder.user_id == 0, Reminder.state == "pending")
            .values(state="cancelled")
        )


async def form(
    session: AsyncSession, chat_id: int, roles: dict[int, str], locale: str, now: datetime
) -> tuple[str, Pair | None]:
    """Pair two group members: "new", "linked" (already a pair), "busy" or "unsafe"."""
    for user in roles:
        profile = await session.get(Profile, user)
        if profile is not None and (profile.data.get("unsafe") or profile.data.get("meet_off")):
            # Violence, abuse or fear was spoken of: no pairing, and nobody is told why.
            return "unsafe", None
    mine = [await current(session, user) for user in roles]
    # An invitation nobody took up yet gives way to pairing in person.
    waiting = [p for p in mine if p is not None and p.status == "invited"]
    first, second = (None if p in waiting else p for p in mine)
    if (first or second) and (first is None or second is None or first.id != second.id):
        return "busy", None
    for pair in waiting:
        pair.status, pair.updated_at = "ended", naive(now)
    for old in await session.scalars(
        select(Pair).where(Pair.group_chat_id == chat_id, Pair.status.not_in(CLOSED))
    ):
        if first is None or old.id != first.id:
            await change(session, old.id, {"group": None}, now)
    ordered = sorted(roles, key=lambda user: roles[user] != "caused")
    # The group's reminders keep the clock of the person repairing, or of the other one.
    zones = [(await session.get(Profile, user)) for user in ordered]
    tz = next((p.data["tz"] for p in zones if p is not None and p.data.get("tz")), None)
    shared = {"locale": locale, **({"tz": tz} if tz else {})}
    if first is not None:
        # Through change(), so reminders left in a group it used before stop there.
        await change(session, first.id, {"group": chat_id, **shared}, now)
        return "linked", first
    pair = Pair(
        status="safety",
        first_id=ordered[0],
        second_id=ordered[1],
        group_chat_id=chat_id,
        data={"roles": {str(u): r for u, r in roles.items()}, **shared},
        created_at=naive(now),
        updated_at=naive(now),
    )
    session.add(pair)
    await session.flush()
    return "new", pair
