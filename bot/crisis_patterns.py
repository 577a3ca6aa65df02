"""Loads the crisis-language patterns of every language from `locales/`."""

from __future__ import annotations

import json
from functools import cache

from bot.i18n import LOCALES_DIR, available
from flows.crisis import Patterns

FILENAME = "crisis-patterns.json"


@cache
def patterns(locale: str) -> tuple[Patterns, ...]:
    """Every language's patterns, the user's own first: people write in more than one language."""
    order = sorted(available(), key=lambda lang: lang != locale)
    found = (LOCALES_DIR / lang / FILENAME for lang in order)
    return tuple(
        Patterns.from_data(json.loads(path.read_text(encoding="utf-8")))
        for path in found
        if path.is_file()
    )
