"""`python -m bot [run|chat|migrate]`: the Telegram bot, the console chat, or a schema upgrade."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot import sealing
from bot.config import Framework, Settings
from bot.logs import setup_logging
from bot.storage.db import Database

log = logging.getLogger("bot")


async def _run(settings: Settings) -> int:
    from bot.service import Service, StartupError, Transport

    if settings.bot_token is None:
        log.error("BOT_TOKEN is not set; use `python -m bot chat` to try Mend without Telegram")
        return 2
    token = settings.bot_token.get_secret_value()
    transport: Transport
    if settings.bot_framework is Framework.AIOGRAM:
        from bot.transports.aiogram import AiogramTransport

        transport = AiogramTransport(token, settings.telegram_api_url, settings.send_timeout)
    else:
        from bot.transports.ptb import PtbTransport

        transport = PtbTransport(token, settings.telegram_api_url, settings.send_timeout)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    service = Service(settings, transport)
    try:
        await service.run(stop)
    except StartupError as error:
        log.error("%s", error)
        return 2
    return service.exit_code


async def _chat(settings: Settings) -> int:
    from bot.transports.console import Console

    await Console(settings).run()
    return 0


async def _rotate(settings: Settings) -> int:
    from bot.rotation import rotate

    db = Database(settings.resolved_database_url())
    try:
        await db.migrate()
        count = await rotate(db, settings)
    finally:
        await db.close()
    log.warning("re-sealed %d values with the newest data key", count)
    return 0


async def _migrate(settings: Settings) -> int:
    db = Database(settings.resolved_database_url())
    try:
        await db.migrate()
    finally:
        await db.close()
    log.info("database is up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen mode."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Mend")
    parser.add_argument(
        "mode",
        nargs="?",
        choices=["run", "chat", "migrate", "rotate-key"],
        help="run: Telegram; chat: console; migrate: upgrade the database; "
        "rotate-key: re-seal stored text with the newest data key. "
        "Default: run with BOT_TOKEN set, otherwise chat.",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    mode = args.mode or ("run" if settings.bot_token else "chat")
    setup_logging(settings, quiet=mode == "chat")
    sealing.use(sealing.keys_from(settings.data_keys(), settings.data_dir), settings.data_seal)
    modes = {"run": _run, "chat": _chat, "migrate": _migrate, "rotate-key": _rotate}
    try:
        return asyncio.run(modes[mode](settings))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
