"""One event in -> state loaded -> flow called -> effects applied, in one transaction."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import asyncpg
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import (
    apology_patterns,
    batch,
    charts,
    crisis_patterns,
    events,
    helplines,
    i18n,
    pairs,
    plan_patterns,
    privacy,
    recurrence,
)
from bot.clock import Clock, aware, naive
from bot.events import Incoming
from bot.metrics import Metrics
from bot.storage import locks
from bot.storage.db import Database
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
from flows import apology_check, crisis, dispatch, pairing, vague
from flows.engine import (
    CancelPending,
    Command,
    Context,
    DropDraft,
    DropParked,
    Edit,
    Effect,
    Entry,
    EraseUser,
    Event,
    ExportData,
    FlowState,
    Helplines,
    Keep,
    Keyboard,
    Member,
    Migrated,
    PairClaim,
    PairForm,
    PairInvite,
    PairSet,
    Park,
    Picture,
    Privately,
    Quote,
    Records,
    SaveDraft,
    Say,
    Schedule,
    SetProfile,
    ShowParked,
    Timer,
    Toast,
    ToGroup,
    ToPartner,
    Unschedule,
)

log = logging.getLogger(__name__)
P = TypeVar("P")
R = TypeVar("R")

TEXT_LIMIT = 4096
# Unfinished journey flows live beside the user's other writing, as "draft:<flow>".
DRAFT = "draft:"
PAUSED_RECHECK = timedelta(hours=1)
# A group chat's own state and reminders are kept under this user id, not a member's.
GROUP_OWNER = 0


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut text into Telegram-sized parts, at line breaks or spaces where possible."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def render_buttons(locale: str, keyboard: Keyboard) -> list[list[dict[str, str]]]:
    """Buttons as the outbox keeps them: label text and callback data."""
    return [
        [{"text": i18n.text(locale, b.label, b.args), "data": b.data} for b in row]
        for row in keyboard
    ]


@dataclass
class _Applied:
    """What applying one event's effects produced, before it is written."""

    outbox: list[Outbox] = field(default_factory=list)
    toast: str | None = None
    # Everything about the user was erased: nothing of this event may be kept either.
    erased: bool = False


class Runtime:
    """Records incoming events durably and handles each one in its own transaction."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        default_locale: str = i18n.FALLBACK,
        *,
        invite_days: int = 7,
        metrics: Metrics | None = None,
        replies_ready: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics or Metrics()
        # Told each time handled events' replies are committed, so sending starts at once
        # rather than when the whole backlog has been handled.
        self.replies_ready = replies_ready
        self.clock = clock
        self.default_locale = default_locale
        self.invite_days = invite_days
        # For invite links; the transport sets it once Telegram has said who the bot is.
        self.bot_username = "MendBot"
        # After a run of events failed together, these are handled one by one up to this id.
        self._alone_through = 0

    async def record(self, incoming: Iterable[Incoming]) -> int:
        """Write events to the inbox; an event whose source is already there is skipped."""
        items = list(incoming)
        rows = [
            {
                "source": item.source,
                "chat_id": item.chat_id,
                "user_id": item.user_id,
                "language_code": item.language_code,
                "callback_id": item.callback_id,
                "event": events.dump(item.event),
                "received_at": naive(self.clock.now()),
            }
            for item in items
        ]
        if not rows:
            return 0
        insert = sqlite_insert if self.db.is_sqlite else pg_insert
        statement = insert(Inbox).on_conflict_do_nothing(index_elements=["source"])
        async with self.db.transaction() as session:
            if not self.db.is_sqlite:
                # A chat's events get their ids under its lock, so a worker handling the chat
                # never sees a later event while an earlier one is still being written.
                await locks.take_chats(session, [item.chat_id for item in items])
                await locks.notify(session, locks.INBOX)
            result = await session.execute(statement, rows)
        for item in items:
            self.metrics.received.labels(type(item.event).__name__.lower()).inc()
        return int(getattr(result, "rowcount", 0) or 0)

    async def process_pending(self, limit: int = 1000) -> int:
        """Handle recorded events in arrival order; returns how many were handled."""
        handled = 0
        while handled < limit:
            run: list[int] = []
            replied = False
            try:
                async with self.db.transaction() as session:
                    rows = await self._claim(session, min(batch.MOST, limit - handled))
                    if not rows:
                        return handled
                    # Independent private events share a transaction and their reads.
                    known = await batch.prefetch(session, rows) if len(rows) > 1 else None
                    if known is not None and len(known.run) < 2:
                        known = None  # someone in a pair came second: one at a time
                    chosen = known.run if known else rows[:1]
                    run = [row.id for row in chosen]
                    shared = known is None and not self.db.is_sqlite
                    if shared and not await batch.alone(session, chosen[0]):
                        # It may change a pair or write to a partner: one such event at a time
                        # across all workers.
                        await locks.take_pairs(session)
                    started = time.monotonic()
                    for row in chosen:
                        await self._handle(session, row, known)
                    # Replies a query has flushed already have left `new` for the identity map.
                    kept = (*session.new, *session.identity_map.values())
                    replied = any(isinstance(o, Outbox) for o in kept)
                    if replied and not self.db.is_sqlite:
                        await locks.notify(session, locks.OUTBOX)
                if replied and self.replies_ready is not None:
                    self.replies_ready()
                took = (time.monotonic() - started) / len(chosen)
                for row in chosen:
                    self.metrics.processed.labels(str(row.event.get("type"))).inc()
                    self.metrics.handling.observe(took)
            except Exception as error:
                if not run or _passing(error):
                    # Nothing was handled; the events stay in the inbox for the next pass.
                    raise
                if len(run) > 1:
                    # Nothing of the run was kept; its events are handled again one by one,
                    # so the one that failed is found and the others are not held up.
                    log.warning("%s events failed together; retrying one by one", len(run))
                    self._alone_through = run[-1]
                    continue
                # One event that cannot be handled must not hold up everyone behind it.
                log.error("inbox %s could not be handled (%s)", run[0], type(error).__name__)
                await self._give_up(run[0])
            handled += len(run)
            # SQLite runs on this thread and never makes a batch wait: without a pause here a
            # backlog would be handled to the end before a single reply or poll could go out.
            await asyncio.sleep(0)
        return handled

    async def _claim(self, session: AsyncSession, most: int) -> list[Inbox]:
        """Events to handle now: a run of independent ones of different chats, or just one.

        On PostgreSQL each chat's lock is held to the end of the transaction, so a chat's
        events are handled by one worker at a time and in order, while other chats go to
        other workers; only the chats handled here are locked.
        """
        alone = False
        if self.db.is_sqlite:
            # One process owns an SQLite file: nobody else can be handling anything.
            rows = list(
                await session.scalars(
                    select(Inbox).where(Inbox.handled_at.is_(None)).order_by(Inbox.id).limit(most)
                )
            )
            if not rows:
                return []
            alone = rows[0].id <= self._alone_through
            together = [] if alone else batch.independent(rows)
            return together if len(together) > 1 else rows[:1]
        # Each chat's oldest unhandled event: one chat's backlog cannot hide the others.
        firsts = (
            select(func.min(Inbox.id))
            .where(Inbox.handled_at.is_(None))
            .group_by(Inbox.chat_id)
            .order_by(func.min(Inbox.id))
            .limit(most * 2)
            .scalar_subquery()
        )
        heads = list(
            await session.scalars(select(Inbox).where(Inbox.id.in_(firsts)).order_by(Inbox.id))
        )
        if not heads:
            return []
        alone = heads[0].id <= self._alone_through
        together = [] if alone else batch.independent(heads)[:most]
        if len(together) > 1:
            mine = set(await locks.try_chats(session, [row.chat_id for row in together]))
            run = await _unhandled(session, [row for row in together if row.chat_id in mine])
            if len(run) > 1:
                return run
            if run:
                return run[:1]
        for row in heads:
            if await locks.try_chats(session, [row.chat_id]):
                found = await _unhandled(session, [row])
                if found:
                    return found
        return []

    async def _give_up(self, row_id: int) -> None:
        """Mark an event handled after a failure, apologise, and answer its button if any."""
        now = self.clock.now()
        self.metrics.failed.inc()
        async with self.db.transaction() as session:
            row = await session.get(Inbox, row_id)
            if row is None:
                return
            if not self.db.is_sqlite:
                # Another worker may have taken the chat since the failure: wait for it, then
                # look again, so the event is never both handled and given up on.
                await locks.take_chats(session, [row.chat_id])
                await session.refresh(row)
            if row.handled_at is not None:
                return
            row.handled_at = naive(now)
            profile = await session.get(Profile, row.user_id)
            locale = (profile.locale if profile else None) or i18n.pick(row.language_code)
            if row.callback_id:
                answer = {"callback_id": row.callback_id}
                session.add(self._outbox(row.chat_id, "answer", None, answer, now))
            if row.event.get("type") != "timer":
                text = {"text": i18n.text(locale, "error-sorry"), "buttons": []}
                session.add(self._outbox(row.chat_id, "send", None, text, now))

    async def _handle(
        self, session: AsyncSession, row: Inbox, known: batch.Known | None = None
    ) -> None:
        now = self.clock.now()
        row.handled_at = naive(now)
        try:
            event = events.load(row.event)
        except (KeyError, ValueError):
            log.warning("inbox %s: unreadable event dropped", row.id)
            return
        if isinstance(event, Migrated):
            await self._migrate(session, row.chat_id, event.to_chat, now)
            return
        from_user = not isinstance(event, Timer)
        chat = known.chats.get(row.chat_id) if known else await session.get(Chat, row.chat_id)
        if chat is None:
            session.add(Chat(chat_id=row.chat_id, active=from_user, updated_at=naive(now)))
        elif not chat.active and from_user:
            chat.active, chat.updated_at = True, naive(now)
        elif not chat.active:
            # A reminder for a chat that blocked the bot stays unsaid.
            return
        if row.chat_id != row.user_id:
            await self._handle_group(session, row, event, now)
            return
        if known:
            profile = known.profiles.get(row.user_id)
        else:
            profile = await session.get(Profile, row.user_id)
        if profile is None:
            profile = Profile(
                user_id=row.user_id,
                locale=None,
                data={},
                created_at=naive(now),
                updated_at=naive(now),
            )
            session.add(profile)
        locale = profile.locale or i18n.pick(row.language_code, self.default_locale)
        invite = None
        if isinstance(event, Command) and event.name == "start" and event.args:
            invite = await pairs.resolve(session, event.args, row.user_id, now)
        ctx = Context(
            row.user_id,
            row.chat_id,
            now,
            locale,
            dict(profile.data),
            _records(known.texts.get(row.user_id, []))
            if known
            else await self._records(session, row.user_id),
            _lazy(apology_check.check, apology_patterns.patterns, locale),
            _lazy(vague.is_vague, plan_patterns.vague_patterns, locale),
            now.astimezone(recurrence.zone(profile.data.get("tz"))),
            # A run of events together holds no one in a pair.
            None if known else await pairs.view(session, row.user_id),
            invite,
            _lazy(crisis.detect, crisis_patterns.patterns, locale),
        )
        await self._step(session, row, row, profile, ctx, event, known)

    async def _handle_group(
        self, session: AsyncSession, row: Inbox, event: Event, now: datetime
    ) -> None:
        """An event in a shared chat: the group's one state, in the pair's language."""
        if isinstance(event, Member) and event.user_id == 0 and not event.joined:
            chat = await session.get(Chat, row.chat_id)
            if chat is not None:
                # Removed from the group: nothing more can be said there.
                chat.active, chat.updated_at = False, naive(now)
        pair = await pairs.group_pair(session, row.chat_id)
        person = await session.get(Profile, row.user_id) if row.user_id else None
        locale = str(
            (pair.data.get("locale") if pair else None)
            or (person.locale if person else None)
            or i18n.pick(row.language_code, self.default_locale)
        )
        profile = _group_profile(pair)
        ctx = Context(
            row.user_id,
            row.chat_id,
            now,
            locale,
            dict(person.data) if person else {},
            local_now=now.astimezone(recurrence.zone(profile.data.get("tz"))),
            pair=await pairs.in_group(session, row.chat_id, row.user_id),
            crisis=_lazy(crisis.detect, crisis_patterns.patterns, locale),
        )
        # The group's state and reminders belong to the chat, not to whoever spoke.
        owner = Inbox(chat_id=row.chat_id, user_id=GROUP_OWNER, callback_id=row.callback_id)
        await self._step(session, row, owner, profile, ctx, event)

    async def _step(
        self,
        session: AsyncSession,
        row: Inbox,
        owner: Inbox,
        profile: Profile,
        ctx: Context,
        event: Event,
        known: batch.Known | None = None,
    ) -> None:
        """Call the flows with the chat's state, apply what they decided, and keep the new state."""
        now = ctx.now
        key = (owner.chat_id, owner.user_id)
        if known:
            conversation = known.conversations.get(key)
        else:
            conversation = await session.get(Conversation, key)
        state = (
            FlowState(
                conversation.flow, conversation.step, dict(conversation.data), conversation.version
            )
            if conversation
            else FlowState()
        )
        new_state, effects = dispatch.handle(state, event, ctx)
        pair_id = ctx.pair.id if ctx.pair else None
        applied = await self._apply(
            session, owner, profile, ctx.locale, effects, now, pair_id, row.user_id
        )
        if row.callback_id:
            payload: dict[str, Any] = {"callback_id": row.callback_id}
            if applied.toast:
                payload["text"] = applied.toast
            applied.outbox.insert(0, self._outbox(row.chat_id, "answer", None, payload, now))
        if applied.erased:
            for message in applied.outbox:
                if message.chat_id == row.user_id:
                    # Delivered, then deleted by the sender: the goodbye leaves no trace.
                    message.payload = {**message.payload, "forget": True}
            session.add_all(applied.outbox)
            return
        session.add_all(applied.outbox)
        if conversation is None:
            conversation = Conversation(chat_id=owner.chat_id, user_id=owner.user_id)
            session.add(conversation)
        conversation.flow, conversation.step = new_state.flow, new_state.step
        conversation.data, conversation.version = dict(new_state.data), new_state.version
        conversation.updated_at = naive(now)

    async def _migrate(self, session: AsyncSession, old: int, new: int, now: datetime) -> None:
        """A group became a supergroup: its pair, state, reminders and unsent messages move."""
        # Telegram may announce the bot in the new chat first; the old chat's state wins.
        await session.execute(delete(Conversation).where(Conversation.chat_id == new))
        for model in (Conversation, Reminder):
            await session.execute(update(model).where(model.chat_id == old).values(chat_id=new))
        await session.execute(
            update(Outbox)
            .where(Outbox.chat_id == old, Outbox.status == "pending")
            .values(chat_id=new)
        )
        await session.execute(
            update(Pair).where(Pair.group_chat_id == old).values(group_chat_id=new)
        )
        # Old messages stay behind in the old chat; edits there become new messages here.
        await session.execute(delete(MessageRef).where(MessageRef.chat_id == old))
        chat = await session.get(Chat, old)
        if chat is not None:
            chat.active, chat.updated_at = False, naive(now)
        if await session.get(Chat, new) is None:
            session.add(Chat(chat_id=new, active=True, updated_at=naive(now)))

    async def _records(self, session: AsyncSession, user_id: int) -> Records:
        """What the user kept (journal, drafts); parked messages are read only when shown."""
        rows = await session.scalars(
            select(PrivateText)
            .where(PrivateText.user_id == user_id, PrivateText.kind != "parked")
            .order_by(PrivateText.id)
        )
        return _records(rows)

    def _outbox(
        self, chat_id: int, op: str, ref: str | None, payload: dict[str, Any], due: datetime
    ) -> Outbox:
        return Outbox(
            chat_id=chat_id,
            op=op,
            ref=ref,
            payload=payload,
            status="pending",
            attempts=0,
            next_try_at=naive(due),
            created_at=naive(self.clock.now()),
        )

    async def _apply(
        self,
        session: AsyncSession,
        row: Inbox,
        profile: Profile,
        locale: str,
        effects: Sequence[Effect],
        now: datetime,
        pair_id: int | None = None,
        actor: int | None = None,
    ) -> _Applied:
        """Carry out a flow's effects for `row`'s chat; `actor` is who acted, in a group."""
        applied = _Applied()
        due = now
        chat = row.chat_id
        for effect in effects:
            match effect:
                case Say(key, args, buttons, ref, delay, more, pin, keyboard):
                    due += timedelta(seconds=delay)
                    lines = [i18n.text(locale, key, args)]
                    lines += [i18n.text(locale, k, a) if k else "" for k, a in more]
                    body = "\n".join(lines)
                    self._say(
                        applied, chat, body, locale, buttons, ref, due, pin=pin, keyboard=keyboard
                    )
                case Edit(ref, key, args, buttons, delay):
                    due += timedelta(seconds=delay)
                    body = i18n.text(locale, key, args)[:TEXT_LIMIT]
                    payload = {"text": body, "buttons": render_buttons(locale, buttons)}
                    applied.outbox.append(self._outbox(chat, "edit", ref, payload, due))
                case Picture(kind, caption, buttons):
                    png = self._draw(kind, profile, locale, now)
                    payload = {
                        "png": base64.b64encode(png).decode(),
                        "caption": i18n.text(locale, caption),
                        "buttons": render_buttons(locale, buttons),
                    }
                    applied.outbox.append(self._outbox(chat, "photo", None, payload, due))
                case Helplines(key, kind, buttons):
                    found = helplines.lines(kind, profile.data.get("tz"), locale)
                    body = "\n".join([i18n.text(locale, key), "", *found])
                    self._say(applied, chat, body, locale, buttons, None, due)
                case Quote(key, quoted, buttons):
                    body = i18n.text(locale, key) + "\n\n" + quoted
                    self._say(applied, chat, body, locale, buttons, None, due)
                case ShowParked(key, empty_key, buttons, before):
                    parked = await self._parked(session, row.user_id, before)
                    body = i18n.text(locale, empty_key if parked is None else key)
                    if parked is not None:
                        body += "\n\n" + parked.body
                    self._say(applied, chat, body, locale, buttons, None, due)
                case CancelPending(ref):
                    await session.execute(
                        update(Outbox)
                        .where(
                            Outbox.chat_id == chat, Outbox.ref == ref, Outbox.status == "pending"
                        )
                        .values(status="cancelled")
                    )
                case Toast(key):
                    applied.toast = i18n.text(locale, key)[:200]
                case SetProfile(values):
                    moved = "tz" in values and values["tz"] != profile.data.get("tz")
                    profile.data = {**profile.data, **values}
                    if moved:
                        await self._rezone(session, row, str(values["tz"]), now)
                    if "locale" in values and values["locale"] in i18n.available():
                        profile.locale = locale = str(values["locale"])
                    profile.updated_at = naive(now)
                case Park(body, append):
                    latest = await self._parked(session, row.user_id) if append else None
                    if latest is not None:
                        latest.body = f"{latest.body}\n{body}"
                    else:
                        session.add(
                            PrivateText(
                                user_id=row.user_id,
                                kind="parked",
                                body=body,
                                created_at=naive(now),
                            )
                        )
                case DropParked():
                    parked = await self._parked(session, row.user_id)
                    if parked is not None:
                        await session.delete(parked)
                case Keep(kind, data):
                    session.add(
                        PrivateText(
                            user_id=row.user_id,
                            kind=kind,
                            body=json.dumps(data, ensure_ascii=False),
                            created_at=naive(now),
                        )
                    )
                case SaveDraft(flow, step, data):
                    await self._drop_draft(session, row.user_id, flow)
                    session.add(
                        PrivateText(
                            user_id=row.user_id,
                            kind=DRAFT + flow,
                            body=json.dumps({"step": step, "data": data}, ensure_ascii=False),
                            created_at=naive(now),
                        )
                    )
                case DropDraft(flow):
                    await self._drop_draft(session, row.user_id, flow)
                case Schedule(key, kind, when, payload, rule):
                    tz = str(profile.data.get("tz") or "UTC")
                    first, repeat = _first_time(when, rule, tz, now)
                    reminder = await self._schedule(session, row, key, kind, first, payload, now)
                    reminder.rule, reminder.tz = repeat, tz
                case PairInvite(key):
                    code = await pairs.invite(session, row.user_id, now, self.invite_days)
                    link = f"https://t.me/{self.bot_username}?start={code}"
                    args = {"link": link, "days": self.invite_days}
                    self._say(applied, chat, i18n.text(locale, key, args), locale, (), None, due)
                case PairClaim(pair_id):
                    if not await pairs.claim(session, pair_id, row.user_id, now):
                        # Someone else took it up a moment earlier: nothing else here applies.
                        applied.outbox = []
                        body = i18n.text(locale, "pairing-invite-used")
                        self._say(applied, chat, body, locale, (), None, now)
                        return applied
                case PairSet(values):
                    if pair_id is not None:
                        await pairs.change(session, pair_id, values, now)
                case PairForm(roles, ask, linked):
                    await self._form(session, row, roles, ask, linked, locale, applied, now)
                case ToPartner(carried):
                    partner = await pairs.partner_of(session, row.user_id)
                    if partner is not None:
                        await self._to_user(session, partner, carried, applied, now, pair_id)
                case ToGroup(carried):
                    await self._to_group(session, pair_id, carried, applied, now)
                case Privately(carried):
                    await self._to_user(
                        session, actor or row.user_id, carried, applied, now, pair_id
                    )
                case ExportData(caption):
                    about = i18n.text(locale, "privacy-export-about")
                    exported = await privacy.export(session, row.user_id, now, about)
                    payload = {
                        "file": base64.b64encode(exported).decode(),
                        "filename": "mend-data.json",
                        "caption": i18n.text(locale, caption),
                    }
                    applied.outbox.append(self._outbox(chat, "document", None, payload, due))
                case EraseUser(key):
                    await privacy.erase(session, row, profile)
                    # What was waiting to be sent here goes too; only the goodbye follows.
                    applied.outbox = [m for m in applied.outbox if m.chat_id != chat]
                    self._say(applied, chat, i18n.text(locale, key), locale, (), None, now)
                    applied.erased = True
                case Unschedule(key):
                    await session.execute(
                        update(Reminder)
                        .where(
                            Reminder.chat_id == chat,
                            Reminder.user_id == row.user_id,
                            Reminder.key == key,
                            Reminder.state == "pending",
                        )
                        .values(state="cancelled")
                    )
        return applied

    async def _to_user(
        self,
        session: AsyncSession,
        user_id: int,
        carried: Sequence[Effect],
        applied: _Applied,
        now: datetime,
        pair_id: int | None,
    ) -> None:
        """Carry out effects in someone's private chat, in their language, if they have one."""
        profile = await session.get(Profile, user_id)
        chat = await session.get(Chat, user_id)
        if profile is None or chat is None or not chat.active:
            # They never wrote to the bot (it cannot write first), or they blocked it.
            return
        locale = profile.locale or self.default_locale
        theirs = Inbox(chat_id=user_id, user_id=user_id)
        done = await self._apply(session, theirs, profile, locale, carried, now, pair_id)
        applied.outbox += done.outbox

    async def _to_group(
        self,
        session: AsyncSession,
        pair_id: int | None,
        carried: Sequence[Effect],
        applied: _Applied,
        now: datetime,
    ) -> None:
        """Carry out effects in the pair's group chat, if it has one the bot is still in."""
        pair = await session.get(Pair, pair_id) if pair_id is not None else None
        if pair is None or pair.group_chat_id is None:
            return
        chat = await session.get(Chat, pair.group_chat_id)
        if chat is None or not chat.active:
            return
        locale = str(pair.data.get("locale") or self.default_locale)
        group = Inbox(chat_id=pair.group_chat_id, user_id=GROUP_OWNER)
        done = await self._apply(
            session, group, _group_profile(pair), locale, carried, now, pair_id
        )
        applied.outbox += done.outbox

    async def _form(
        self,
        session: AsyncSession,
        row: Inbox,
        roles: dict[int, str],
        ask: Sequence[Effect],
        linked: Sequence[Effect],
        locale: str,
        applied: _Applied,
        now: datetime,
    ) -> None:
        """Pair two group members, and say in the group what happens next."""
        outcome, pair = await pairs.form(session, row.chat_id, roles, locale, now)
        if pair is None:
            key = "group-cannot" if outcome == "unsafe" else "group-busy"
            self._say(applied, row.chat_id, i18n.text(locale, key), locale, (), None, now)
            return
        if outcome == "linked":
            self._say(
                applied, row.chat_id, i18n.text(locale, "group-linked"), locale, (), None, now
            )
            if pair.status == "active":
                done = await self._apply(session, row, _group_profile(pair), locale, linked, now)
                applied.outbox += done.outbox
            return
        link = f"https://t.me/{self.bot_username}?start={pairing.FROM_GROUP}"
        body = i18n.text(locale, "group-formed", {"link": link})
        self._say(applied, row.chat_id, body, locale, (), None, now)
        for user, role in roles.items():
            if role in pairs.HOLDING:
                await self._to_user(session, user, ask, applied, now, pair.id)

    async def _rezone(self, session: AsyncSession, row: Inbox, tz: str, now: datetime) -> None:
        """Repeating reminders follow the user to a new zone: 19:00 stays 19:00 on their clock."""
        repeating = await session.scalars(
            select(Reminder).where(
                Reminder.chat_id == row.chat_id,
                Reminder.user_id == row.user_id,
                Reminder.state == "pending",
                Reminder.rule.is_not(None),
            )
        )
        for reminder in repeating:
            reminder.tz = tz
            reminder.due_at = naive(recurrence.next_time(str(reminder.rule), tz, now))

    async def _parked(
        self, session: AsyncSession, user_id: int, before: str | None = None
    ) -> PrivateText | None:
        """The latest parked message, or the latest one written by `before` (an ISO time)."""
        query = select(PrivateText).where(
            PrivateText.user_id == user_id, PrivateText.kind == "parked"
        )
        if before:
            query = query.where(PrivateText.created_at <= naive(datetime.fromisoformat(before)))
        return await session.scalar(query.order_by(PrivateText.id.desc()).limit(1))

    def _draw(self, kind: str, profile: Profile, locale: str, now: datetime) -> bytes:
        """Draw a picture from the user's own data: their progress, or their trust answers."""
        if kind == "trust":
            weeks = dict(profile.data.get("trust") or {})
            return charts.trust_png(weeks, i18n.text(locale, "trust-chart-title"))
        today = now.astimezone(recurrence.zone(profile.data.get("tz"))).date()
        labels = {k: i18n.text(locale, f"chart-{k}") for k in ("title", *charts.ANSWERS)}
        return charts.progress_png(dict(profile.data.get("checkins") or {}), today, labels)

    async def _drop_draft(self, session: AsyncSession, user_id: int, flow: str) -> None:
        await session.execute(
            delete(PrivateText).where(
                PrivateText.user_id == user_id, PrivateText.kind == DRAFT + flow
            )
        )

    def _say(
        self,
        applied: _Applied,
        chat: int,
        body: str,
        locale: str,
        buttons: Keyboard,
        ref: str | None,
        due: datetime,
        *,
        pin: bool = False,
        keyboard: str = "",
    ) -> None:
        parts = split_text(body)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            payload: dict[str, Any] = {
                "text": part,
                "buttons": render_buttons(locale, buttons) if last else [],
            }
            if pin and index == 0:
                payload["pin"] = True
            if keyboard and last:
                payload["reply"] = {"kind": keyboard}
                if keyboard == "location":
                    payload["reply"]["text"] = i18n.text(locale, "btn-share-location")
            applied.outbox.append(self._outbox(chat, "send", ref if last else None, payload, due))

    async def _schedule(
        self,
        session: AsyncSession,
        row: Inbox,
        key: str,
        kind: str,
        when: datetime,
        payload: dict[str, Any],
        now: datetime,
    ) -> Reminder:
        existing = await session.scalar(
            select(Reminder).where(
                Reminder.chat_id == row.chat_id,
                Reminder.user_id == row.user_id,
                Reminder.key == key,
            )
        )
        if existing is None:
            existing = Reminder(chat_id=row.chat_id, user_id=row.user_id, key=key)
            session.add(existing)
        existing.kind, existing.payload, existing.state = kind, dict(payload), "pending"
        existing.due_at, existing.created_at = naive(when), naive(now)
        return existing

    async def fire_due(self, limit: int = 500) -> int:
        """Turn reminders that came due into timer events in the inbox; returns how many.

        Pauses and quiet hours are honoured here, at fire time, in the user's own zone: a
        reminder that falls in them moves to when they end instead of firing.
        """
        now = self.clock.now()
        moment = naive(now)
        async with self.db.transaction() as session:
            # Core statements on the tables, not the ORM's bulk paths: a sweep runs every few
            # seconds, and the ORM's bookkeeping for 100 rows cost more than the SQL did.
            query = (
                select(
                    REMINDERS.c.id,
                    REMINDERS.c.chat_id,
                    REMINDERS.c.user_id,
                    REMINDERS.c.kind,
                    REMINDERS.c.payload,
                    REMINDERS.c.rule,
                    REMINDERS.c.tz,
                    REMINDERS.c.due_at,
                    PROFILES.c.data,
                )
                .select_from(
                    REMINDERS.outerjoin(PROFILES, PROFILES.c.user_id == REMINDERS.c.user_id)
                )
                .where(REMINDERS.c.state == "pending", REMINDERS.c.due_at <= moment)
                .order_by(REMINDERS.c.due_at)
                .limit(limit)
            )
            if not self.db.is_sqlite:
                query = query.with_for_update(of=REMINDERS, skip_locked=True)
            rows: list[dict[str, Any]] = []
            changes: list[dict[str, Any]] = []
            # Reminders alike (a daily 19:00 in one zone, say) are timed once a sweep, not
            # once each: a rule's next time costs more than the rest of a row.
            held_until: dict[tuple[Any, ...], datetime | None] = {}
            next_times: dict[tuple[str, str | None], datetime] = {}
            for (
                rid,
                chat_id,
                user_id,
                kind,
                payload,
                rule,
                tz,
                due_at,
                data,
            ) in await session.execute(query):
                data = data or {}
                alike = (rule, tz, data.get("paused_until"), str(data.get("quiet")), data.get("tz"))
                if alike not in held_until:
                    held_until[alike] = _held_until(rule, tz, data, now)
                if (held := held_until[alike]) is not None:
                    changes.append({"rid": rid, "rdue": naive(held), "rstate": "pending"})
                    continue
                rows.append(
                    {
                        "source": f"reminder:{rid}:{aware(due_at).isoformat()}",
                        "chat_id": chat_id,
                        "user_id": user_id,
                        "language_code": None,
                        "callback_id": None,
                        "event": events.dump(Timer(kind, dict(payload))),
                        "received_at": moment,
                    }
                )
                if rule:
                    if (rule, tz) not in next_times:
                        next_times[rule, tz] = naive(recurrence.next_time(rule, tz, now))
                    changes.append({"rid": rid, "rdue": next_times[rule, tz], "rstate": "pending"})
                else:
                    changes.append({"rid": rid, "rdue": due_at, "rstate": "fired"})
            if changes:
                await session.execute(RESCHEDULE, changes)
            if rows:
                insert = sqlite_insert if self.db.is_sqlite else pg_insert
                await session.execute(
                    insert(INBOX).on_conflict_do_nothing(index_elements=["source"]), rows
                )
                if not self.db.is_sqlite:
                    await locks.notify(session, locks.INBOX)
        self.metrics.fired.inc(len(rows))
        return len(rows)

    async def depths(self) -> tuple[int, int]:
        """How many messages wait in the outbox, and how many reminders are due and unfired."""
        now = naive(self.clock.now())
        async with self.db.reading() as session:
            waiting = await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.status == "pending")
            )
            due = await session.scalar(
                select(func.count())
                .select_from(Reminder)
                .where(Reminder.state == "pending", Reminder.due_at <= now)
            )
        return int(waiting or 0), int(due or 0)


REMINDERS = Reminder.metadata.tables[Reminder.__tablename__]
PROFILES = Profile.metadata.tables[Profile.__tablename__]
INBOX = Inbox.metadata.tables[Inbox.__tablename__]
# One statement a sweep for every reminder it fired or moved, each row its own parameters.
RESCHEDULE = (
    update(REMINDERS)
    .where(REMINDERS.c.id == bindparam("rid"))
    .values(due_at=bindparam("rdue"), state=bindparam("rstate"))
)


def _passing(error: Exception) -> bool:
    """A failure of the database rather than of the event: trying again later will work."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    orig = getattr(error, "orig", None)
    code = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    # Connection exceptions, deadlocks and serialization failures, resources, an
    # administrator's shutdown, a lock not available: none of them is the event's fault.
    if code[:2] in ("08", "40", "53") or code in ("57P01", "57P02", "57P03", "55P03"):
        return True
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionError | asyncpg.exceptions.InterfaceError):
            return True
        cause = cause.__cause__
    return False


async def _unhandled(session: AsyncSession, rows: Sequence[Inbox]) -> list[Inbox]:
    """Those of `rows` no one has handled meanwhile, read afresh, in arrival order."""
    if not rows:
        return []
    return list(
        await session.scalars(
            select(Inbox)
            .where(Inbox.id.in_([row.id for row in rows]), Inbox.handled_at.is_(None))
            .order_by(Inbox.id)
            .execution_options(populate_existing=True)
        )
    )


def _lazy(
    check: Callable[[str, P], R], load: Callable[[str], P], locale: str
) -> Callable[[str], R]:
    """`check` with the locale's patterns loaded on first use: most events never need them."""
    return lambda text: check(text, load(locale))


def _records(texts: Iterable[PrivateText]) -> Records:
    """The user's journal entries and drafts, from their stored texts."""
    entries: list[Entry] = []
    drafts: dict[str, dict[str, Any]] = {}
    for text in texts:
        data = json.loads(text.body)
        if text.kind.startswith(DRAFT):
            drafts[text.kind.removeprefix(DRAFT)] = data
        else:
            entries.append(Entry(text.id, text.kind, aware(text.created_at), data))
    return Records(tuple(entries), drafts)


def _group_profile(pair: Pair | None) -> Profile:
    """A group's stand-in profile: the time zone its reminders keep (the pair's, or UTC)."""
    tz = pair.data.get("tz") if pair is not None else None
    return Profile(user_id=GROUP_OWNER, locale=None, data={"tz": tz} if tz else {})


def _first_time(
    when: datetime | None, rule: str | None, tz: str, now: datetime
) -> tuple[datetime, str | None]:
    """When a new reminder first comes due, and the rule it repeats by (None: it does not)."""
    if rule and rule.startswith("once "):
        return recurrence.once_at(rule.removeprefix("once "), tz, now), None
    if rule:
        return recurrence.next_time(rule, tz, now), rule
    return when or now, None


def _held_until(
    rule: str | None, tz: str | None, profile: dict[str, Any], now: datetime
) -> datetime | None:
    """When a due reminder may fire instead, if a pause or quiet hours hold it now."""
    paused = profile.get("paused_until")
    if paused and datetime.fromisoformat(str(paused)) > now:
        # Paused: a repeating nudge skips this time; a one-off looks again in an hour, so
        # resuming early brings it back without anything having to re-arm it.
        if rule:
            return recurrence.next_time(rule, tz, now)
        return now + PAUSED_RECHECK
    quiet = profile.get("quiet") or recurrence.DEFAULT_QUIET
    return recurrence.quiet_until(now, tz or profile.get("tz"), tuple(quiet))
