"""The tables. Times are naive UTC: SQLite keeps no zone, so every value is UTC by convention."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.sealing import SealedJSON, SealedText


class Base(DeclarativeBase):
    """Declarative base: plain dicts are JSON, sealed at rest (they hold what people write)."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: SealedJSON}


class Profile(Base):
    """One person: language and everything the flows keep about them."""

    __tablename__ = "profiles"
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Conversation(Base):
    """Where one person is in one chat: flow, step, data, and the version buttons must match."""

    __tablename__ = "conversations"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Chat(Base):
    """A chat the bot talks in; inactive once Telegram says the bot was blocked or removed."""

    __tablename__ = "chats"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Inbox(Base):
    """Every incoming event, recorded before it is handled, so none is lost or handled twice."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_pending", "handled_at", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(80), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    language_code: Mapped[str | None] = mapped_column(String(16))
    callback_id: Mapped[str | None] = mapped_column(String(80))
    event: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(DateTime)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)


class Outbox(Base):
    """A message, edit or button answer waiting to be delivered (or delivered)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_try_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    op: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str | None] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(String(200))


class MessageRef(Base):
    """The Telegram message id behind a flow's logical message name, for edits in place."""

    __tablename__ = "message_refs"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger)


class PrivateText(Base):
    """Free text a user wrote (parked messages, later journal entries): the one place it is kept."""

    __tablename__ = "private_texts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(SealedText)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Reminder(Base):
    """Something to bring up later; fired by the scheduler as a timer event."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("chat_id", "user_id", "key", name="uq_reminders_key"),
        Index("ix_reminders_due", "state", "due_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # A repeating reminder's rule ("daily 19:00") and the zone its clock times are in.
    rule: Mapped[str | None] = mapped_column(String(40))
    tz: Mapped[str | None] = mapped_column(String(64))


class Pair(Base):
    """Two people in couple mode: who they are, their roles, and where the process stands."""

    __tablename__ = "pairs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # invited, joining, safety, active, held (not safe: no reconciliation), paused, ended, declined
    status: Mapped[str] = mapped_column(String(16))
    first_id: Mapped[int] = mapped_column(BigInteger, index=True)
    second_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    # Only a hash of the invite code is kept, so the table itself cannot be used to join.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Roles by user id, space the hurt person asked for, expectations they added.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
