"""python-telegram-bot 22 transport: long polling into the inbox, and Bot API calls for the sender.

The Application supplies the configured Bot (custom API root, timeouts) and its lifecycle.
Updates are fetched by our own getUpdates loop rather than PTB's Updater, which confirms a
batch to Telegram before its handlers have run: here nothing is confirmed until it is recorded.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder
from telegram.warnings import PTBDeprecationWarning

from bot.events import Incoming
from bot.sender import Buttons, Failure, Reply, SendError, bad_request
from bot.service import StartupError
from bot.updates import ALLOWED_UPDATES, incoming

log = logging.getLogger(__name__)


class PtbTransport:
    """Talks to the Bot API at `api_url` through python-telegram-bot's Bot."""

    def __init__(self, token: str, api_url: str, timeout: float) -> None:
        root = api_url.rstrip("/")
        self.app: Application[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .read_timeout(timeout)
            .write_timeout(timeout)
            .connect_timeout(timeout)
            .get_updates_read_timeout(60.0)
            .updater(None)
            .build()
        )
        self.bot = self.app.bot
        self.username: str | None = None

    async def start(self) -> None:
        """Check the token and learn the bot's username."""
        try:
            await self.app.initialize()
        except InvalidToken as error:
            raise StartupError("Telegram did not accept BOT_TOKEN (401 Unauthorized)") from error
        except NetworkError as error:
            raise StartupError(f"cannot reach the Bot API ({type(error).__name__})") from error
        self.username = self.bot.username

    async def set_webhook(self, url: str, secret: str) -> None:
        """Have Telegram post updates to `url`, each carrying `secret` in a header."""
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def delete_webhook(self) -> None:
        """Stop webhook delivery so getUpdates works; waiting updates are kept."""
        await self.bot.delete_webhook(drop_pending_updates=False)

    async def close(self) -> None:
        """Shut the Application (and its HTTP clients) down."""
        await self.app.shutdown()

    async def poll(self, offset: int | None, wait: int) -> tuple[list[Incoming], int | None]:
        """One long poll: the events received and the offset that confirms them."""
        params: dict[str, Any] = {"timeout": wait, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            params["offset"] = offset
        try:
            raw = await self.bot.do_api_request(
                "getUpdates", api_kwargs=params, read_timeout=wait + 10.0
            )
        except TelegramError as error:
            raise _classified(error) from error
        found: list[Incoming] = []
        for data in raw:
            offset = int(data["update_id"]) + 1
            # Read one by one, so one update PTB cannot read is skipped, not the whole batch.
            item = self.read(data)
            if item is not None:
                found.append(item)
        return found, offset

    def read(self, data: dict[str, Any]) -> Incoming | None:
        """An update as PTB reads it, or None if it is unreadable or not for the flows."""
        # PTB reads leniently (a message without a chat gets through), so what it lets
        # through is read inside the same guard.
        try:
            return incoming(Update.de_json(data, self.bot).to_dict(), self.username)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            log.warning(
                "update %s skipped: unreadable (%s)", data.get("update_id"), type(error).__name__
            )
            return None

    async def set_commands(
        self, commands: dict[str, list[tuple[str, str]]], *, groups: bool = False
    ) -> None:
        """Register the command list per language ("" is the default for everyone else)."""
        scope = BotCommandScopeAllGroupChats() if groups else BotCommandScopeDefault()
        for language, entries in commands.items():
            await self.bot.set_my_commands(
                [BotCommand(c, d) for c, d in entries],
                scope=scope,
                language_code=language or None,
            )

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int:
        """Send a message; returns its id."""
        markup = _reply_markup(reply) if reply else _markup(buttons)
        try:
            message = await self.bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramError as error:
            raise _classified(error) from error
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        """Edit a message's text and buttons."""
        try:
            await self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=_markup(buttons)
            )
        except TelegramError as error:
            raise _classified(error) from error

    async def send_photo(self, chat_id: int, png: bytes, caption: str, buttons: Buttons) -> int:
        """Send a picture with a caption; returns its message id."""
        picture = InputFile(png, filename="progress.png")
        try:
            message = await self.bot.send_photo(
                chat_id, picture, caption=caption, reply_markup=_markup(buttons)
            )
        except TelegramError as error:
            raise _classified(error) from error
        return message.message_id

    async def send_document(self, chat_id: int, data: bytes, filename: str, caption: str) -> int:
        """Send a file with a caption; returns its message id."""
        try:
            message = await self.bot.send_document(
                chat_id, InputFile(data, filename=filename), caption=caption
            )
        except TelegramError as error:
            raise _classified(error) from error
        return message.message_id

    async def pin(self, chat_id: int, message_id: int) -> None:
        """Pin a message quietly (no notification)."""
        try:
            await self.bot.pin_chat_message(chat_id, message_id, disable_notification=True)
        except TelegramError as error:
            raise _classified(error) from error

    async def answer(self, callback_id: str, text: str | None) -> None:
        """Answer a button press, with a short notice if there is one."""
        try:
            await self.bot.answer_callback_query(callback_id, text=text)
        except TelegramError as error:
            raise _classified(error) from error


def _markup(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["text"], callback_data=b["data"]) for b in row] for row in buttons]
    )


def _reply_markup(reply: Reply) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if reply.get("kind") == "location":
        share = KeyboardButton(reply["text"], request_location=True)
        return ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    return ReplyKeyboardRemove()


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _classified(error: TelegramError) -> SendError:
    """PTB's exceptions as the sender's failure kinds (the same kinds aiogram's map to)."""
    if isinstance(error, RetryAfter):
        # PTB 22 reports the wait in seconds or as a timedelta depending on PTB_TIMEDELTA, and
        # warns about the change either way; both read the same here, without the warning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            wait = error.retry_after
        return SendError(Failure.RETRY_AFTER, error.message, _seconds(wait))
    if isinstance(error, ChatMigrated):
        return SendError(Failure.MOVED, error.message, moved_to=int(error.new_chat_id))
    if isinstance(error, Forbidden):
        return SendError(Failure.FORBIDDEN, error.message)
    # BadRequest is a NetworkError in PTB, so it is told apart first: retrying cannot help it.
    if isinstance(error, BadRequest):
        return SendError(bad_request(error.message), error.message)
    if isinstance(error, NetworkError):
        return SendError(Failure.TRANSIENT, type(error).__name__)
    return SendError(Failure.REJECTED, error.message)
