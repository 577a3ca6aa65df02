"""Logging set-up that never lets the bot token reach a log line."""

from __future__ import annotations

import logging

from bot.config import Settings

REDACTED = "<BOT_TOKEN>"


class RedactToken(logging.Filter):
    """Replaces the token wherever it appears in a record (URLs in library errors, say)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with the token masked."""
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, REDACTED), None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self.token in text:
                record.exc_info, record.exc_text = None, text.replace(self.token, REDACTED)
        return True


def setup_logging(settings: Settings, *, quiet: bool = False) -> None:
    """Log to stderr; the console chat only shows warnings so the conversation stays readable."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if settings.bot_token is not None:
        handler.addFilter(RedactToken(settings.bot_token.get_secret_value()))
    level = logging.WARNING if quiet else settings.log_level.upper()
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # Library chatter (every SQL statement, every sweep) would bury what matters.
    for noisy in ("aiogram.event", "aiosqlite", "apscheduler", "sqlalchemy.engine"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
