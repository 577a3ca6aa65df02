"""Logs never carry the bot token, data keys, or what people wrote."""

from __future__ import annotations

import io
import logging

from bot.logs import Redact

TOKEN = "123456:AAE-secret-token-value"


def _logged(*args: object, exc: BaseException | None = None) -> str:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(Redact([TOKEN, "a-data-key"]))
    logger = logging.getLogger(f"test.redact.{id(out)}")
    logger.addHandler(handler)
    logger.propagate = False
    if exc is None:
        logger.warning(*args)
    else:
        try:
            raise exc
        except type(exc):
            logger.exception(*args)
    return out.getvalue()


def test_secrets_are_masked_in_messages_and_tracebacks() -> None:
    line = _logged("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
    assert TOKEN not in line and "<redacted>" in line
    trace = _logged("boom", exc=RuntimeError(f"key a-data-key and /bot{TOKEN}/x"))
    assert TOKEN not in trace and "a-data-key" not in trace and "RuntimeError" in trace


def test_message_text_is_masked_in_updates_and_reprs() -> None:
    update = {"update_id": 5, "message": {"chat": {"id": 42}, "text": "I lied to her about it"}}
    line = _logged("update %s could not be handled", update)
    assert "I lied" not in line and "42" in line and "update_id" in line
    json_line = _logged('{"caption": "my \\"private\\" words", "chat_id": 7}')
    assert "private" not in json_line and "chat_id" in json_line
    repr_line = _logged("Message(text='she cried', first_name='Ann', message_id=3)")
    assert "she cried" not in repr_line and "Ann" not in repr_line and "message_id=3" in repr_line
