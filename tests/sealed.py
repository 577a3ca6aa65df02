"""Reading a bot process's database as the bot would: with its own key, sealed values opened."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot import sealing


@contextmanager
def keys_of(data_dir: Path) -> Iterator[None]:
    """Use the key a bot process made in its data directory, then the test's own again."""
    before = sealing._box
    sealing.use(sealing.keys_from(None, data_dir))
    try:
        yield
    finally:
        sealing._box = before


def opened(value: object) -> object:
    """A stored value as the bot reads it: sealed JSON and sealed text opened."""
    if isinstance(value, str) and value.startswith("{"):
        data = json.loads(value)
        if isinstance(data, dict) and set(data) == {"sealed"}:
            return json.loads(sealing.unseal(data["sealed"]))
        return data
    if isinstance(value, str):
        return sealing.unseal(value)
    return value
