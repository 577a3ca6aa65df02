"""Locale loading and formatting: every user-visible string comes from `locales/`."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
FALLBACK = "en"


@cache
def available() -> tuple[str, ...]:
    """Languages that have a folder under `locales/`."""
    return tuple(sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir()))


@cache
def bundle(locale: str) -> FluentBundle:
    """All `.ftl` files of one language in one bundle."""
    result = FluentBundle([locale], use_isolating=False)
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        result.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return result


def pick(language_code: str | None, default: str = FALLBACK) -> str:
    """Our language for a Telegram language code such as "ru" or "en-GB"."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in available() else default


def has(locale: str, key: str) -> bool:
    """Whether a message exists in the language."""
    return bundle(locale).has_message(key)


def text(locale: str, key: str, args: Mapping[str, str | int] | None = None) -> str:
    """Format a message, falling back to English, and to the key itself as a last resort."""
    for lang in (locale, FALLBACK):
        b = bundle(lang)
        if b.has_message(key):
            message = b.get_message(key)
            if message.value is None:
                break
            value, errors = b.format_pattern(message.value, dict(args or {}))
            for error in errors:
                log.warning("locale %s key %s: %s", lang, key, error)
            return str(value)
    log.error("missing locale key %s", key)
    return key


def message_ids(locale: str) -> set[str]:
    """Every message id a language defines."""
    from fluent.syntax import FluentParser, ast

    ids: set[str] = set()
    for path in (LOCALES_DIR / locale).glob("*.ftl"):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, ast.Message):
                ids.add(entry.id.name)
    return ids
