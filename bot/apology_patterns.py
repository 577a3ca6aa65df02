"""Loads the apology checker's pattern data for a language from `locales/`."""

from __future__ import annotations

import json
from functools import cache

from bot.i18n import FALLBACK, LOCALES_DIR, available
from flows.apology_check import Patterns

FILENAME = "apology-patterns.json"


def patterns(locale: str) -> Patterns:
    """The compiled patterns for `locale`, or the English ones for a language without them."""
    # Only known folder names reach the file system and the cache.
    return _load(locale if locale in available() else FALLBACK)


@cache
def _load(locale: str) -> Patterns:
    path = LOCALES_DIR / locale / FILENAME
    if not path.is_file() and locale != FALLBACK:
        return _load(FALLBACK)
    return Patterns.from_data(json.loads(path.read_text(encoding="utf-8")))
