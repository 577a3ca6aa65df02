"""aiogram's reply types, each kept for the life of the process once built."""

from __future__ import annotations

from typing import Any

from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response

_held: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}


def hold(method: type[TelegramMethod[Any]]) -> None:
    """Keep `Response[T]` for the method, so every call after the first finds it cached."""
    # aiogram reads each reply as Response[T]. pydantic caches that generic class only weakly,
    # so once the collector frees it the next call builds it again: about 5 ms on this
    # machine, which profiles of the fan-out showed as a tenth of the bot's time.
    if method not in _held:
        _held[method] = Response[method.__returning__]  # type: ignore[name-defined]
