"""Shared fixtures: a migrated database (SQLite and PostgreSQL), a fake Bot API, the bot process."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot import sealing
from bot.storage.db import Database
from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In CI the PostgreSQL tests must run; a missing TEST_DATABASE_URL is an error there."""
    if IN_CI and not PG_URL:
        raise pytest.UsageError(
            "CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run"
        )


@pytest.fixture(autouse=True, scope="session")
def data_key() -> None:
    """In-process tests seal with a key of their own; bot processes make one in their data dir."""
    sealing.use([sealing.new_key()])


async def _admin() -> asyncpg.Connection:
    url = make_url(PG_URL)
    return await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "test",
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A freshly migrated database of each kind; PostgreSQL gets its own throwaway database."""
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mend.db'}")
        await db.migrate()
        yield db
        await db.close()
        return
    async with _fresh_postgres() as db:
        yield db


@pytest.fixture
async def postgres() -> AsyncIterator[Database]:
    """A freshly migrated PostgreSQL database only: several workers cannot share SQLite."""
    async with _fresh_postgres() as db:
        yield db


@asynccontextmanager
async def _fresh_postgres() -> AsyncIterator[Database]:
    """A throwaway PostgreSQL database, migrated, dropped afterwards."""
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"mend_test_{uuid.uuid4().hex[:12]}"
    admin = await _admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    db = Database(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    try:
        await db.migrate()
        yield db
    finally:
        await db.close()
        admin = await _admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A strict fake Bot API server on 127.0.0.1."""
    async with FakeTelegram() as server:
        yield server


@pytest.fixture(params=["aiogram", "ptb"])
def framework(request: pytest.FixtureRequest) -> str:
    """Every end-to-end test runs on both Telegram libraries (BOT_FRAMEWORK)."""
    return str(request.param)


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path, framework: str) -> AsyncIterator[BotProcess]:
    """The real bot process against `fake`; it must stop cleanly without leaking the token."""
    process = BotProcess(fake, tmp_path, BOT_FRAMEWORK=framework)
    await process.start()
    yield process
    code = await process.stop()
    log = process.output()
    assert code == 0, log[-3000:]
    assert fake.token not in log, "the bot token leaked into the log"
    assert "Traceback" not in log, log[-3000:]
