"""Incoming events as the runtime records them: a flow Event plus who, where, and its source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.engine import Command, Event, Located, Member, Migrated, NonText, Press, Text, Timer


@dataclass(frozen=True)
class Incoming:
    """One event from a transport or the scheduler, with a unique `source` for deduplication."""

    source: str
    chat_id: int
    user_id: int
    event: Event
    language_code: str | None = None
    callback_id: str | None = None


def dump(event: Event) -> dict[str, Any]:
    """An event as plain JSON data."""
    match event:
        case Text(text):
            return {"type": "text", "text": text}
        case Command(name, args):
            return {"type": "command", "name": name, "args": args}
        case Press(data):
            return {"type": "press", "data": data}
        case NonText(kind):
            return {"type": "nontext", "kind": kind}
        case Located(zone):
            # Only the zone is recorded: the coordinates themselves are never stored.
            return {"type": "located", "zone": zone}
        case Timer(kind, payload):
            return {"type": "timer", "kind": kind, "payload": payload}
        case Member(user_id, joined):
            return {"type": "member", "user_id": user_id, "joined": joined}
        case Migrated(to_chat):
            return {"type": "migrated", "to_chat": to_chat}
    raise ValueError(f"not an incoming event: {type(event).__name__}")


def load(data: dict[str, Any]) -> Event:
    """The event that `dump` wrote."""
    kind = data.get("type")
    if kind == "text":
        return Text(str(data["text"]))
    if kind == "command":
        return Command(str(data["name"]), str(data.get("args", "")))
    if kind == "press":
        return Press(str(data["data"]))
    if kind == "nontext":
        return NonText(str(data["kind"]))
    if kind == "located":
        zone = data.get("zone")
        return Located(str(zone) if zone else None)
    if kind == "timer":
        return Timer(str(data["kind"]), dict(data.get("payload") or {}))
    if kind == "member":
        return Member(int(data["user_id"]), bool(data["joined"]))
    if kind == "migrated":
        return Migrated(int(data["to_chat"]))
    raise ValueError(f"unknown event type {kind!r}")


def parse_command(text: str, bot_username: str | None = None) -> Command | None:
    """A "/name args" message as a Command; "/name@otherbot" is not for us."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name, _, target = head.partition("@")
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return Command(name.lower()[:64], args.strip())
