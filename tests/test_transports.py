"""Both Telegram adapters report the same failures the same way to the sender."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.sender import Failure, SendError
from bot.transports import aiogram as aiogram_transport
from bot.transports import ptb as ptb_transport

# Building PTB's RetryAfter warns about its own coming change; the adapter reads it quietly.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
METHOD = SendMessage(chat_id=1, text="x")
# (what happened, aiogram's exception, PTB's exception, the failure, retry_after, moved_to)
CASES: list[tuple[str, BaseException, BaseException, Failure, float, int | None]] = [
    (
        "429",
        TelegramRetryAfter(METHOD, "Too Many Requests: retry after 3", 3),
        RetryAfter(timedelta(seconds=3)),
        Failure.RETRY_AFTER,
        3.0,
        None,
    ),
    (
        "blocked",
        TelegramForbiddenError(METHOD, "Forbidden: bot was blocked by the user"),
        Forbidden("Forbidden: bot was blocked by the user"),
        Failure.FORBIDDEN,
        0.0,
        None,
    ),
    (
        "not modified",
        TelegramBadRequest(METHOD, "Bad Request: message is not modified"),
        BadRequest("Message is not modified"),
        Failure.NOT_MODIFIED,
        0.0,
        None,
    ),
    (
        "gone",
        TelegramBadRequest(METHOD, "Bad Request: message to edit not found"),
        BadRequest("Message to edit not found"),
        Failure.NOT_FOUND,
        0.0,
        None,
    ),
    (
        "supergroup",
        TelegramMigrateToChat(METHOD, "Bad Request: group chat was upgraded", -1004001),
        ChatMigrated(-1004001),
        Failure.MOVED,
        0.0,
        -1004001,
    ),
    (
        "server",
        TelegramServerError(METHOD, "Bad Gateway"),
        NetworkError("Bad Gateway"),
        Failure.TRANSIENT,
        0.0,
        None,
    ),
    (
        "network",
        TelegramNetworkError(METHOD, "timeout"),
        TimedOut(),
        Failure.TRANSIENT,
        0.0,
        None,
    ),
]


async def _from_aiogram(error: BaseException) -> SendError:
    with pytest.raises(SendError) as raised:
        async with aiogram_transport._classified(SendMessage):
            raise error
    return raised.value


@pytest.mark.parametrize(("case", "aiogram_error", "ptb_error", "failure", "wait", "moved"), CASES)
async def test_both_frameworks_classify_a_failure_alike(
    case: str,
    aiogram_error: BaseException,
    ptb_error: Any,
    failure: Failure,
    wait: float,
    moved: int | None,
) -> None:
    from_aiogram = await _from_aiogram(aiogram_error)
    from_ptb = ptb_transport._classified(ptb_error)
    for found in (from_aiogram, from_ptb):
        assert (found.failure, found.retry_after, found.moved_to) == (failure, wait, moved), case


def test_a_429_given_in_whole_seconds_reads_the_same_in_ptb() -> None:
    assert ptb_transport._classified(RetryAfter(7)).retry_after == 7.0
