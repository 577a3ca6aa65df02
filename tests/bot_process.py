"""The real bot as a child process (`python -m bot run`) pointed at a fake Bot API server."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot import i18n
from tests.fake_telegram import FakeTelegram

# The command menu: one call per language, for private chats and for groups.
MENUS = 2 * len(i18n.available())


class BotProcess:
    """Starts, stops and kills `python -m bot run` against `fake`, with its data in `data_dir`."""

    def __init__(self, fake: FakeTelegram, data_dir: Path, **settings: str) -> None:
        self.fake = fake
        self.data_dir = data_dir
        self.settings = settings
        self.process: asyncio.subprocess.Process | None = None
        self.log = data_dir / "bot.log"
        self.starts = 0

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BOT_FRAMEWORK")}
        return {
            **keep,
            "BOT_TOKEN": self.fake.token,
            "TELEGRAM_API_URL": self.fake.url,
            "DATA_DIR": str(self.data_dir),
            "POLL_TIMEOUT": "2",
            "SWEEP_SECONDS": "0.2",
            "SEND_TIMEOUT": "2",
            "SEND_CHAT_RATE": "20",
            "LOG_LEVEL": "INFO",
            **self.settings,
        }

    async def start(self, *, menus: bool = True) -> None:
        """Start the bot and wait until it is polling and (with `menus`) has its command menus."""
        self.starts += 1
        registered = len(self.fake.calls_of("setMyCommands"))
        hooked = len(self.fake.calls_of("setWebhook"))
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self.env(),
                stdout=log,
                stderr=log,
            )
        if self.settings.get("MODE") == "webhook":
            # It registers the webhook once its HTTP server listens.
            await self.fake.wait_for(
                lambda: len(self.fake.calls_of("setWebhook")) > hooked,
                timeout=30,
                what="the bot to register its webhook",
            )
            return
        await self.fake.wait_for(
            lambda: (
                (not menus or len(self.fake.calls_of("setMyCommands")) >= registered + MENUS)
                and self.fake.is_polling
            ),
            timeout=30,
            what="the bot to start polling",
        )

    async def kill(self) -> None:
        """SIGKILL: no chance to clean up, as in a crash or power loss."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), 10)
        self.process = None

    async def stop(self) -> int:
        """SIGTERM and wait for a clean exit; returns the exit code."""
        if self.process is None:
            return 0
        self.process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), 15)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        self.process = None
        return code

    def output(self) -> str:
        """Everything the bot logged so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""
