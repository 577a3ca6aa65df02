"""`python -m bot rotate-key`: every sealed value sealed again with the newest data key."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select, tuple_
from sqlalchemy.orm import attributes

from bot import sealing
from bot.config import Settings
from bot.storage.db import Database
from bot.storage.models import Conversation, Inbox, Outbox, Pair, PrivateText, Profile, Reminder

# Every column that is sealed at rest.
SEALED: tuple[tuple[type[object], str], ...] = (
    (PrivateText, "body"),
    (Conversation, "data"),
    (Inbox, "event"),
    (Outbox, "payload"),
    (Reminder, "payload"),
    (Pair, "data"),
    (Profile, "data"),
)
BATCH = 500


async def rotate(db: Database, settings: Settings) -> int:
    """Re-seal everything; returns how many values were written.

    With DATA_KEY the operator has put the new key first already. With the key file, a new
    key is made and saved beside the old one before anything is re-sealed, so a crash midway
    loses nothing; the old key is dropped only once every value uses the new one.
    """
    if settings.data_keys():
        return await _reseal(db)
    path = settings.data_dir / sealing.KEY_FILE
    keys = [sealing.new_key(), *sealing.keys_from(None, settings.data_dir)]
    sealing.write_key_file(path, keys)
    sealing.use(keys, settings.data_seal)
    count = await _reseal(db)
    sealing.write_key_file(path, keys[:1])
    sealing.use(keys[:1], settings.data_seal)
    return count


async def _reseal(db: Database) -> int:
    count = 0
    for model, column in SEALED:
        order = list(inspect(model).primary_key)
        last: tuple[Any, ...] | None = None
        while True:
            # Batches by key, each its own transaction, so nothing stays open long. Paging by
            # key rather than by offset: rows that workers add or delete meanwhile cannot make
            # it skip any.
            async with db.transaction() as session:
                query = select(model).order_by(*order).limit(BATCH)
                if last is not None:
                    query = query.where(tuple_(*order) > tuple_(*last))
                if not db.is_sqlite:
                    # A worker changing one of these rows waits for this batch, so its change
                    # is not overwritten with what was read before it.
                    query = query.with_for_update()
                rows = list(await session.scalars(query))
                for row in rows:
                    # Read through whichever key sealed it, written again through the newest.
                    attributes.flag_modified(row, column)
                if rows:
                    last = tuple(getattr(rows[-1], key.key) for key in order)
            count += len(rows)
            if len(rows) < BATCH:
                break
    return count
