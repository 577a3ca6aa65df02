"""Schema upgrades are safe while old workers run: additive only, and workers take turns."""

from __future__ import annotations

import ast
import asyncio
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import db
from bot.storage.db import HEAD, MIGRATIONS, Database

# What an old worker cannot live with: its tables or columns gone, renamed or retyped.
REMOVING = {"drop_table", "drop_column", "rename_table", "alter_column", "drop_constraint"}


def _calls(function: ast.FunctionDef) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }


def test_every_upgrade_only_adds() -> None:
    versions = sorted((MIGRATIONS / "versions").glob("0*.py"))
    assert versions, "no migrations found"
    for path in versions:
        tree = ast.parse(path.read_text())
        upgrades = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name == "upgrade"
        ]
        assert len(upgrades) == 1, path.name
        removing = _calls(upgrades[0]) & REMOVING
        assert not removing, (
            f"{path.name} removes or changes {sorted(removing)}: old workers still running would "
            "break. Add first; remove in a later release, once no old worker runs."
        )
        # New columns on existing tables must not be required, or old workers' inserts fail.
        for node in ast.walk(upgrades[0]):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_column":
                column = ast.unparse(node)
                assert "nullable=False" not in column or "server_default" in column, column


async def test_workers_starting_together_upgrade_once(postgres: Database, tmp_path: Path) -> None:
    database = postgres
    # A fresh, empty database, as several workers see it on their first start.
    async with database.transaction() as session:
        await session.execute(text("DROP SCHEMA public CASCADE"))
        await session.execute(text("CREATE SCHEMA public"))
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DATA_DIR": str(tmp_path),
        "BOT_TOKEN": "",
    }

    async def migrate() -> int:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "migrate", env=env, stderr=asyncio.subprocess.PIPE
        )
        _, errors = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, errors.decode()[-2000:]
        return process.returncode

    # Three processes, as three workers deployed at once would each run it.
    assert list(await asyncio.gather(migrate(), migrate(), migrate())) == [0, 0, 0]
    async with database.reading() as session:
        versions = list(await session.scalars(text("SELECT version_num FROM alembic_version")))
        tables = set(
            await session.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
        )
    heads = sorted(path.name[:4] for path in (MIGRATIONS / "versions").glob("0*.py"))
    assert versions == [heads[-1]]
    assert {"inbox", "outbox", "reminders", "pairs", "profiles"} <= tables


def test_head_names_the_newest_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD, (
        "a migration was added: set HEAD in bot/storage/db.py to its revision"
    )


async def test_a_restart_on_the_newest_schema_does_not_run_alembic(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await database.at_head()
    upgrades: list[str] = []
    monkeypatch.setattr(db, "upgrade", lambda url: upgrades.append(url))
    await database.migrate()
    assert upgrades == []
    # A schema one migration behind is upgraded as ever.
    async with database.transaction() as session:
        await session.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    await database.migrate()
    assert upgrades == [database.url]
    # So is a database with no schema at all.
    empty = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    assert not await empty.at_head()
    await empty.migrate()
    assert upgrades == [database.url, empty.url]
    await empty.close()
