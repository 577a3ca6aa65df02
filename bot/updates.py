"""Bot API updates, as plain JSON from either framework, turned into platform-free events."""

from __future__ import annotations

from typing import Any

from bot import geo
from bot.events import Incoming, parse_command
from flows.engine import Event, Located, NonText, Press, Text

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
    message = update.get("message")
    if not message or "from" not in message:
        # Edited messages, channel posts and membership changes change nothing here (yet).
        return None
    event = _message_event(message, bot_username)
    if event is None:
        return None
    sender = message["from"]
    return Incoming(
        source, int(message["chat"]["id"]), int(sender["id"]), event, sender.get("language_code")
    )


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
