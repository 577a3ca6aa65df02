"""aiogram 3 transport: long polling into the inbox, and Bot API calls for the sender."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp

# Before anything else loads aiogram: its types are then built on first use (cold start).
from bot.transports import aiogram_import  # noqa: F401  # isort: skip
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    PinChatMessage,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeDefault,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from pydantic import ValidationError

from bot.events import Incoming
from bot.sender import Buttons, Failure, Reply, SendError, bad_request
from bot.service import StartupError
from bot.transports import aiogram_responses
from bot.updates import ALLOWED_UPDATES, incoming

log = logging.getLogger(__name__)


class AiogramTransport:
    """Talks to the Bot API at `api_url` through aiogram's Bot."""

    def __init__(self, token: str, api_url: str, timeout: float) -> None:
        server = TelegramAPIServer.from_base(api_url.rstrip("/"))
        self.session = AiohttpSession(api=server, timeout=timeout)
        self.bot = Bot(token, session=self.session)
        self.username: str | None = None

    async def start(self) -> None:
        """Check the token and learn the bot's username."""
        try:
            me = await self.bot.get_me()
        except TelegramUnauthorizedError as error:
            raise StartupError("Telegram did not accept BOT_TOKEN (401 Unauthorized)") from error
        except (TelegramNetworkError, TelegramServerError) as error:
            raise StartupError(f"cannot reach the Bot API ({type(error).__name__})") from error
        self.username = me.username

    async def set_webhook(self, url: str, secret: str) -> None:
        """Have Telegram post updates to `url`, each carrying `secret` in a header."""
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def delete_webhook(self) -> None:
        """Stop webhook delivery so getUpdates works; waiting updates are kept."""
        await self.bot.delete_webhook(drop_pending_updates=False)

    async def close(self) -> None:
        """Close the HTTP session."""
        await self.bot.session.close()

    async def poll(self, offset: int | None, wait: int) -> tuple[list[Incoming], int | None]:
        """One long poll: the events received and the offset that confirms them."""
        # Updates are validated one by one rather than as a batch, so one update aiogram cannot
        # read is logged and skipped instead of stalling every chat behind it.
        params: dict[str, Any] = {"timeout": wait, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            params["offset"] = offset
        raw = await self._raw("getUpdates", params, wait + 10.0)
        found: list[Incoming] = []
        for data in raw:
            offset = int(data["update_id"]) + 1
            item = self.read(data)
            if item is not None:
                found.append(item)
        return found, offset

    def read(self, data: dict[str, Any]) -> Incoming | None:
        """An update as aiogram validates it, or None if it is unreadable or not for the flows."""
        try:
            update = Update.model_validate(data, context={"bot": self.bot})
        except ValidationError as error:
            log.warning("update %s skipped: unreadable (%s)", data.get("update_id"), _fields(error))
            return None
        return incoming(
            update.model_dump(mode="json", exclude_none=True, by_alias=True), self.username
        )

    async def _raw(self, method: str, params: dict[str, Any], seconds: float) -> list[Any]:
        session = await self.session.create_session()
        url = self.session.api.api_url(token=self.bot.token, method=method)
        limit = aiohttp.ClientTimeout(total=seconds)
        async with session.post(url, json=params, timeout=limit) as response:
            body = await response.json(content_type=None)
        if not body.get("ok"):
            raise PollError(
                int(body.get("error_code", response.status)), str(body.get("description"))
            )
        return list(body["result"])

    async def set_commands(
        self, commands: dict[str, list[tuple[str, str]]], *, groups: bool = False
    ) -> None:
        """Register the command list per language ("" is the default for everyone else)."""
        scope = BotCommandScopeAllGroupChats() if groups else BotCommandScopeDefault()
        for language, entries in commands.items():
            await self.bot.set_my_commands(
                [BotCommand(command=c, description=d) for c, d in entries],
                scope=scope,
                language_code=language or None,
            )

    async def send(
        self, chat_id: int, text: str, buttons: Buttons, reply: Reply | None = None
    ) -> int:
        """Send a message; returns its id."""
        markup = _reply_markup(reply) if reply else _markup(buttons)
        async with _classified(SendMessage):
            message = await self.bot.send_message(chat_id, text, reply_markup=markup)
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        """Edit a message's text and buttons."""
        async with _classified(EditMessageText):
            await self.bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=_markup(buttons)
            )

    async def send_photo(self, chat_id: int, png: bytes, caption: str, buttons: Buttons) -> int:
        """Send a picture with a caption; returns its message id."""
        picture = BufferedInputFile(png, filename="progress.png")
        async with _classified(SendPhoto):
            message = await self.bot.send_photo(
                chat_id, picture, caption=caption, reply_markup=_markup(buttons)
            )
        return message.message_id

    async def send_document(self, chat_id: int, data: bytes, filename: str, caption: str) -> int:
        """Send a file with a caption; returns its message id."""
        document = BufferedInputFile(data, filename=filename)
        async with _classified(SendDocument):
            message = await self.bot.send_document(chat_id, document, caption=caption)
        return message.message_id

    async def pin(self, chat_id: int, message_id: int) -> None:
        """Pin a message quietly (no notification)."""
        async with _classified(PinChatMessage):
            await self.bot.pin_chat_message(chat_id, message_id, disable_notification=True)

    async def answer(self, callback_id: str, text: str | None) -> None:
        """Answer a button press, with a short notice if there is one."""
        async with _classified(AnswerCallbackQuery):
            await self.bot.answer_callback_query(callback_id, text=text)


class PollError(Exception):
    """getUpdates answered with an error (409 when another instance polls, 401 bad token)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code} {description}")
        self.code = code


def _fields(error: ValidationError) -> str:
    """Where validation failed, without the values (they may be someone's private words)."""
    return ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors()[:5])


def _markup(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=b["text"], callback_data=b["data"]) for b in row]
            for row in buttons
        ]
    )


def _reply_markup(reply: Reply) -> ReplyKeyboardMarkup | ReplyKeyboardRemove:
    if reply.get("kind") == "location":
        share = KeyboardButton(text=reply["text"], request_location=True)
        return ReplyKeyboardMarkup(keyboard=[[share]], resize_keyboard=True, one_time_keyboard=True)
    return ReplyKeyboardRemove(remove_keyboard=True)


class _classified:
    """Turns aiogram's exceptions into the sender's failure kinds, around a call of `method`."""

    def __init__(self, method: type[TelegramMethod[Any]]) -> None:
        aiogram_responses.hold(method)

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, kind: type[BaseException] | None, error: Any, _tb: Any) -> bool:
        if error is None:
            return False
        if isinstance(error, TelegramRetryAfter):
            raise SendError(Failure.RETRY_AFTER, error.message, float(error.retry_after)) from error
        if isinstance(error, TelegramMigrateToChat):
            moved = int(error.migrate_to_chat_id)
            raise SendError(Failure.MOVED, error.message, moved_to=moved) from error
        if isinstance(error, TelegramForbiddenError):
            raise SendError(Failure.FORBIDDEN, error.message) from error
        if isinstance(error, TelegramBadRequest):
            raise SendError(bad_request(error.message), error.message) from error
        if isinstance(error, TelegramServerError | TelegramNetworkError | asyncio.TimeoutError):
            raise SendError(Failure.TRANSIENT, type(error).__name__) from error
        if isinstance(error, TelegramAPIError):
            # Not found, a migrated group, a conflict: retrying the same request cannot help.
            raise SendError(Failure.REJECTED, error.message) from error
        return False
