"""The console: the whole product in a terminal, with buttons as numbered choices."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from bot import geo, i18n
from bot.clock import Clock
from bot.config import Settings
from bot.events import Incoming, parse_command
from bot.runtime import Runtime
from bot.sender import Buttons, Reply, Sender
from bot.storage.db import Database
from bot.storage.models import Outbox, Profile
from flows.engine import Event, Located, Press, Text

CONSOLE_USER = 1
ADVANCE = re.compile(r"^(\d+)\s*([mhd])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
LOCATION = re.compile(r"^(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)$")


class ConsoleScreen:
    """Prints the bot's messages; remembers the latest buttons so a number can press one."""

    def __init__(self, out: TextIO, locale: str, pictures: Path) -> None:
        self.out = out
        self.locale = locale
        self.pictures = pictures
        self.buttons: list[str] = []
        self._next_id = 0

    def _show(self, prefix: str, text: str, buttons: Buttons) -> None:
        self.out.write(f"\n{prefix}{text}\n")
        if buttons:
            self.buttons = [b["data"] for row in buttons for b in row]
            labels = [b["text"] for row in buttons for b in row]
            self.out.write("  ".join(f"[{n}] {label}" for n, label in enumerate(labels, 1)) + "\n")
        self.out.flush()

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int:
        """Print a new message; a location button becomes a hint about `:location`."""
        self._next_id += 1
        self._show("", text, buttons)
        if reply and reply.get("kind") == "location":
            self.note(i18n.text(self.locale, "console-location-hint", {"label": reply["text"]}))
        return self._next_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        """Print an edited message (a terminal cannot change what it already printed)."""
        self._show("~ ", text, buttons)

    async def send_photo(self, chat_id: int, png: bytes, caption: str, buttons: Buttons) -> int:
        """Save the picture next to the database and say where it is."""
        self._next_id += 1
        path = self.pictures / f"picture-{self._next_id}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        self._show("", f"{caption}\n[{path}]", buttons)
        return self._next_id

    async def send_document(self, chat_id: int, data: bytes, filename: str, caption: str) -> int:
        """Save the file next to the database and say where it is."""
        self._next_id += 1
        path = self.pictures / f"{self._next_id}-{filename}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self._show("", f"{caption}\n[{path}]", [])
        return self._next_id

    async def pin(self, chat_id: int, message_id: int) -> None:
        """Show that the last message was pinned."""
        self.note(i18n.text(self.locale, "console-pinned"))

    async def answer(self, callback_id: str, text: str | None) -> None:
        """Show a button's short notice, if any."""
        if text:
            self.out.write(f"  ({text})\n")
            self.out.flush()

    def note(self, text: str) -> None:
        """A console-only line."""
        self.out.write(f": {text}\n")
        self.out.flush()


class Console:
    """Reads lines, turns them into events, and shows the replies."""

    def __init__(self, settings: Settings, out: TextIO = sys.stdout) -> None:
        self.settings = settings
        self.clock = Clock(settings.console_start)
        self.db = Database(settings.resolved_database_url())
        self.screen = ConsoleScreen(out, settings.default_locale, settings.data_dir / "pictures")
        self.runtime = Runtime(
            self.db, self.clock, settings.default_locale, invite_days=settings.invite_days
        )
        self.sender = Sender(self.db, self.screen, self.clock, rate=1000.0)
        self.locale = settings.default_locale

    def _text(self, key: str) -> str:
        return i18n.text(self.locale, key)

    async def run(self, lines: TextIO = sys.stdin) -> None:
        """Chat until `:quit` or the end of input."""
        await self.db.migrate()
        self.screen.buttons = await self._last_buttons()
        interactive = lines.isatty()
        self.screen.note(self._text("console-welcome"))
        pacer = asyncio.create_task(self._pace()) if interactive else None
        try:
            await self._flush(interactive)
            while True:
                if interactive:
                    self.screen.out.write("> ")
                    self.screen.out.flush()
                line = await asyncio.to_thread(lines.readline)
                if not line:
                    break
                if not await self._line(line.rstrip("\n")):
                    break
                await self._flush(interactive)
        finally:
            if pacer:
                pacer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await pacer
            if not interactive:
                await self._flush(False)
            await self.db.close()

    async def _last_buttons(self) -> list[str]:
        """Pick up after a restart: the user's language and the last buttons shown."""
        async with self.db.transaction() as session:
            profile = await session.get(Profile, CONSOLE_USER)
            if profile is not None and profile.locale:
                self.locale = self.screen.locale = profile.locale
            rows = await session.scalars(
                select(Outbox.payload)
                .where(
                    Outbox.chat_id == CONSOLE_USER, Outbox.status == "sent", Outbox.op != "answer"
                )
                .order_by(Outbox.id.desc())
                .limit(20)
            )
            for payload in rows:
                if payload.get("buttons"):
                    return [b["data"] for row in payload["buttons"] for b in row]
        return []

    async def _pace(self) -> None:
        """In a live terminal, delayed messages (a breathing guide) arrive in real time."""
        while True:
            await self.sender.deliver_due()
            await asyncio.sleep(0.2)

    async def _flush(self, interactive: bool) -> None:
        await self.runtime.process_pending()
        await self.sender.deliver_due(ignore_delay=not interactive)

    async def _line(self, line: str) -> bool:
        stripped = line.strip()
        if stripped.startswith(":"):
            return await self._console_command(stripped[1:].strip())
        event: Text | Press
        if stripped.isdecimal() and 1 <= int(stripped) <= len(self.screen.buttons):
            event = Press(self.screen.buttons[int(stripped) - 1])
        else:
            command = parse_command(stripped)
            if command is not None:
                await self._record(command)
                return True
            event = Text(line)
        await self._record(event)
        return True

    async def _record(self, event: Event) -> None:
        await self.runtime.record(
            [Incoming(f"console:{uuid.uuid4().hex}", CONSOLE_USER, CONSOLE_USER, event)]
        )

    async def _console_command(self, command: str) -> bool:
        if command in ("quit", "q", "exit"):
            return False
        if command == "help":
            self.screen.note(self._text("console-help"))
            return True
        if command.startswith("advance"):
            match = ADVANCE.match(command.removeprefix("advance").strip())
            if match is None:
                self.screen.note(self._text("console-advance-usage"))
                return True
            amount, unit = int(match.group(1)), match.group(2)
            self.clock.advance(timedelta(**{UNITS[unit]: amount}))
            moment = self.clock.now().strftime("%Y-%m-%d %H:%M UTC")
            self.screen.note(i18n.text(self.locale, "console-advanced", {"time": moment}))
            await self.runtime.fire_due()
            return True
        if command.startswith("location"):
            place = LOCATION.match(command.removeprefix("location").strip())
            if place is None:
                self.screen.note(self._text("console-location-usage"))
                return True
            lat, lon = float(place.group(1)), float(place.group(2))
            await self._record(Located(geo.zone_at(lat, lon)))
            return True
        self.screen.note(self._text("console-unknown"))
        return True
