"""The database handle: engine, one-transaction-at-a-time sessions, and migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage import inline_sqlite

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision; a test holds it to what Alembic finds in MIGRATIONS.
HEAD = "0003"


class Database:
    """Owns the engine; hands out sessions that are one transaction each."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self.in_memory = self.is_sqlite and make_url(url).database in (None, "", ":memory:")
        if self.is_sqlite:
            path = make_url(url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an error's text must not carry what users wrote into the logs.
        options: dict[str, Any] = {"hide_parameters": True}
        if self.is_sqlite:
            # SQLite runs in place on the loop's thread: see inline_sqlite for why.
            options["async_creator"] = inline_sqlite.opener(url)
        else:
            options["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer; taking turns in-process avoids "database is locked" when a read
        # transaction would otherwise have to upgrade to a write behind another writer.
        self._writer = asyncio.Lock()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work commits together at the end of the block, or not at all."""
        if self.is_sqlite:
            async with self._writer, self._sessions() as session, session.begin():
                yield session
        else:
            async with self._sessions() as session, session.begin():
                yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only: SQLite lets readers run beside the one writer."""
        if self.in_memory:
            # One shared connection: a reader would commit the writer's half-done work.
            async with self.transaction() as session:
                yield session
            return
        async with self._sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        """Release every connection."""
        await self.engine.dispose()

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        # Loading Alembic to learn there is nothing to do took a tenth of every restart.
        if not await self.at_head():
            await asyncio.to_thread(upgrade, self.url)

    async def at_head(self) -> bool:
        """Whether the schema is at the newest revision already."""
        try:
            async with self.engine.connect() as connection:
                found = await connection.scalars(text("SELECT version_num FROM alembic_version"))
                return set(found) == {HEAD}
        except DBAPIError:
            return False  # no schema yet


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade(url: str, revision: str = "head") -> None:
    """Run Alembic's upgrade for `url` (blocking; call it off the event loop)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url
    command.upgrade(config, revision)
