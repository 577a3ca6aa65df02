"""Loads the plan flow's vague-commitment phrases for a language from `locales/`."""

from __future__ import annotations

import json
from functools import cache

from bot.i18n import FALLBACK, LOCALES_DIR, available
from flows.vague import VaguePatterns

FILENAME = "plan-patterns.json"


@cache
def vague_patterns(locale: str) -> VaguePatterns:
    """The phrases for `locale`, or the English ones for a language without them."""
    folder = locale if locale in available() else FALLBACK
    path = LOCALES_DIR / folder / FILENAME
    if not path.is_file():
        path = LOCALES_DIR / FALLBACK / FILENAME
    return VaguePatterns.from_data(json.loads(path.read_text(encoding="utf-8")))
