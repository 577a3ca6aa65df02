"""Logging set-up: log lines carry ids and kinds of events, never secrets or what people wrote."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.config import Settings

REDACTED = "<redacted>"
# Message text as libraries print it: JSON ("text": "…"), reprs (text='…'), captions too.
TEXT_FIELDS = re.compile(
    r"""(?P<key>["']?(?:text|caption|first_name|last_name|username|phone_number|body)["']?"""
    r"""\s*[:=]\s*)(?P<quote>["'])(?:\\.|(?!(?P=quote)).)*(?P=quote)""",
    re.DOTALL,
)


class Redact(logging.Filter):
    """Masks secrets (the bot token, data keys) and message text wherever they appear."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def clean(self, text: str) -> str:
        """The text with every secret and every message-text field masked."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TEXT_FIELDS.sub(lambda m: f"{m['key']}{m['quote']}{REDACTED}{m['quote']}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message (and traceback) with what must not be logged masked."""
        message = record.getMessage()
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            cleaned = self.clean(text)
            if cleaned != text:
                record.exc_info, record.exc_text = None, cleaned
        return True


def setup_logging(settings: Settings, *, quiet: bool = False) -> None:
    """Log to stderr; the console chat only shows warnings so the conversation stays readable."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    secrets = [settings.bot_token.get_secret_value()] if settings.bot_token else []
    secrets += (settings.data_keys() or "").split(",")
    handler.addFilter(Redact(s.strip() for s in secrets))
    level = logging.WARNING if quiet else settings.log_level.upper()
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # Library chatter (every SQL statement, every sweep) would bury what matters.
    for noisy in ("aiogram.event", "aiosqlite", "apscheduler", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
