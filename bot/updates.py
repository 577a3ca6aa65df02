"""Bot API updates, as plain JSON from either framework, turned into platform-free events."""

from __future__ import annotations

from typing import Any

from bot import geo
from bot.events import Incoming, parse_command
from flows.engine import Event, Located, Member, Migrated, NonText, Press, Text

# Message fields that carry non-text content, in the order we name them.
NON_TEXT = (
    "sticker",
    "photo",
    "voice",
    "video",
    "video_note",
    "audio",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
)
ALLOWED_UPDATES = ["message", "callback_query", "edited_message", "my_chat_member"]
# ChatMember statuses in which the bot is no longer in a group.
GONE = ("left", "kicked")


def incoming(update: dict[str, Any], bot_username: str | None = None) -> Incoming | None:
    """The event an update carries, or None for updates the flows do not act on."""
    source = f"tg:{update['update_id']}"
    if "callback_query" in update:
        query = update["callback_query"]
        sender = query["from"]
        chat = (query.get("message") or {}).get("chat") or {"id": sender["id"]}
        return Incoming(
            source,
            int(chat["id"]),
            int(sender["id"]),
            Press(str(query.get("data") or "")),
            sender.get("language_code"),
            str(query["id"]),
        )
    if "my_chat_member" in update:
        return _bot_membership(source, update["my_chat_member"])
    message = update.get("message")
    if not message or "from" not in message:
        # Edited messages and channel posts change nothing here.
        return None
    event = _service_event(message) or _message_event(message, bot_username)
    if event is None:
        return None
    sender = message["from"]
    return Incoming(
        source, int(message["chat"]["id"]), int(sender["id"]), event, sender.get("language_code")
    )


def _bot_membership(source: str, change: dict[str, Any]) -> Incoming | None:
    """The bot added to or removed from a group; in a private chat, blocking changes nothing."""
    chat = change["chat"]
    if chat.get("type") not in ("group", "supergroup"):
        # Blocking in a private chat is the sender's business; channels are not for Mend.
        return None
    was = (change.get("old_chat_member") or {}).get("status")
    now = (change.get("new_chat_member") or {}).get("status")
    if (was in GONE) == (now in GONE):
        # A promotion or a restriction: still there, or still gone.
        return None
    sender = change["from"]
    return Incoming(source, int(chat["id"]), int(sender["id"]), Member(0, now not in GONE), None)


def _service_event(message: dict[str, Any]) -> Event | None:
    """A group's service message: a member left, or the group became a supergroup."""
    moved = message.get("migrate_to_chat_id")
    if isinstance(moved, int):
        return Migrated(moved)
    left = message.get("left_chat_member")
    if isinstance(left, dict) and not left.get("is_bot"):
        # The bot's own leaving arrives as my_chat_member too, and is handled there.
        return Member(int(left["id"]), False)
    # Newcomers act only through /pair, and the new supergroup's first message says nothing new.
    return None


def _message_event(message: dict[str, Any], bot_username: str | None) -> Event | None:
    text = message.get("text")
    if isinstance(text, str):
        if text.startswith("/"):
            command = parse_command(text, bot_username)
            return command
        return Text(text)
    place = message.get("location")
    if isinstance(place, dict) and "venue" not in message:
        # Turned into a time zone here, so the coordinates never reach storage.
        return Located(geo.zone_at(place.get("latitude"), place.get("longitude")))
    for kind in NON_TEXT:
        if kind in message:
            return NonText(kind)
    return None
