"""The framework's own ceiling: a minimal aiogram bot that echoes text, polling the same fake."""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import GetUpdates, SendMessage
from aiogram.types import Message

from bot.transports import aiogram_responses


async def main(token: str, api_url: str) -> None:
    """Echo every text message back to its chat until killed."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token, session=session)
    # The same one-line fix as the bot's transport, so the ceiling is aiogram at its best.
    aiogram_responses.hold(GetUpdates)
    aiogram_responses.hold(SendMessage)
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    await dispatcher.start_polling(bot, polling_timeout=2, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
