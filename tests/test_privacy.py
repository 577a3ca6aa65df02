"""What people write is sealed at rest: the database file holds none of it in plain text."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select, text

from bot import rotation, sealing
from bot.config import Settings
from bot.rotation import rotate
from bot.storage.db import Database
from bot.storage.models import Base, PrivateText
from flows.engine import Command, Text
from tests.test_pairs import HURT, REPAIRING, last, paired, tap
from tests.test_runtime import Harness, plan_with_nudge

WORDS = {
    "commitment": "I text you when I'm running late",
    "parked": "zebra-parked-words you never listen to me",
    "reflection": "I read her diary quietly-marker while she slept",
    "expectation": "Call me before midnight-marker when you travel",
}


@pytest.fixture
def keys() -> Iterator[None]:
    """Tests that change the keys put the session's back afterwards."""
    before = sealing._box
    yield
    sealing._box = before


async def _write_everything(db: Database) -> Harness:
    h = Harness(db)
    await plan_with_nudge(h, "18:00")
    await h.send(Command("calm"))
    await h.tap("Write it out")
    await h.send(Text(WORDS["parked"]))
    await h.send(Command("reflect"))
    await h.send(Text(WORDS["reflection"]))
    await paired(h)
    await tap(h, HURT, "See the plan")
    await tap(h, HURT, "Add what I need")
    await h.send(Text(WORDS["expectation"]), user=HURT)
    return h


def _file_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.glob("mend.db*")))


async def test_the_database_file_holds_none_of_what_people_wrote(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mend.db'}")
    await db.migrate()
    await _write_everything(db)
    async with db.transaction() as session:
        kept = [row.body for row in await session.scalars(select(PrivateText))]
    # Read through the app, it is all there (so the scan below is not looking at nothing).
    assert any(WORDS["commitment"] in body for body in kept)
    await db.close()
    raw = _file_bytes(tmp_path)
    assert raw
    for label, words in WORDS.items():
        assert words.encode() not in raw, label


async def test_rotating_the_key_file_reseals_everything_and_retires_the_old_key(
    tmp_path: Path, keys: None
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    sealing.use(sealing.keys_from(None, tmp_path))
    old = (tmp_path / sealing.KEY_FILE).read_text()
    assert (tmp_path / sealing.KEY_FILE).stat().st_mode & 0o777 == 0o600
    db = Database(settings.resolved_database_url())
    await db.migrate()
    await _write_everything(db)
    assert await rotate(db, settings) > 0
    new = (tmp_path / sealing.KEY_FILE).read_text()
    assert new != old and "," not in new
    async with db.transaction() as session:
        stored = await session.scalar(text("SELECT body FROM private_texts LIMIT 1"))
    assert stored.startswith(sealing.PREFIX)
    sealing.use([old])
    with pytest.raises(InvalidToken):
        sealing.unseal(stored)
    sealing.use([new])
    async with db.transaction() as session:
        bodies = [row.body for row in await session.scalars(select(PrivateText))]
    assert any(WORDS["commitment"] in body for body in bodies)
    await db.close()


_AT = datetime(2026, 11, 1)


async def test_rows_deleted_during_a_rotation_make_it_skip_nothing(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = sealing.new_key(), sealing.new_key()
    sealing.use([old])
    async with database.transaction() as session:
        for n in range(7):
            session.add(
                PrivateText(user_id=70 + n, kind="journal", body=f"words {n}", created_at=_AT)
            )
    monkeypatch.setattr(rotation, "BATCH", 2)
    opened = database.transaction
    batches = 0

    @asynccontextmanager
    async def transaction() -> AsyncIterator[Any]:
        nonlocal batches
        async with opened() as session:
            yield session
        batches += 1
        if batches == 1:
            # A worker erases someone's data while the rotation is between batches.
            async with opened() as session:
                await session.execute(text("DELETE FROM private_texts WHERE user_id IN (70, 71)"))

    monkeypatch.setattr(database, "transaction", transaction)
    sealing.use([new, old])
    await rotate(database, Settings(data_key=f"{new},{old}"))
    monkeypatch.undo()
    sealing.use([new])
    async with database.reading() as session:
        bodies = sorted(row.body for row in await session.scalars(select(PrivateText)))
    # Every row left reads with the new key alone: none was skipped.
    assert bodies == [f"words {n}" for n in range(2, 7)]


async def _with_stored_text(folder: Path, stored: str) -> Database:
    """A database whose one private text is `stored` exactly as an earlier version wrote it."""
    db = Database(f"sqlite+aiosqlite:///{folder / 'mend.db'}")
    await db.migrate()
    async with db.transaction() as session:
        await session.execute(
            text(
                "INSERT INTO private_texts (user_id, kind, body, created_at) "
                "VALUES (7, 'journal', :body, '2026-01-01 00:00:00')"
            ),
            {"body": stored},
        )
    return db


async def test_text_sealed_with_fernet_by_an_earlier_version_reads_and_is_resealed(
    tmp_path: Path, keys: None
) -> None:
    key = sealing.new_key()
    sealing.use([key])
    earlier = sealing.FERNET_PREFIX + Fernet(key.encode()).encrypt(b"words from before").decode()
    db = await _with_stored_text(tmp_path, earlier)
    async with db.reading() as session:
        assert await session.scalar(select(PrivateText.body)) == "words from before"
    assert await rotate(db, Settings(data_key=key)) > 0
    async with db.reading() as session:
        stored = await session.scalar(text("SELECT body FROM private_texts"))
        assert await session.scalar(select(PrivateText.body)) == "words from before"
    assert stored.startswith(sealing.PREFIX) and b"words" not in stored.encode()
    await db.close()


def _read_before_2026_11_26(stored: str, keys: list[str]) -> str:
    """How versions before 2026-11-26 read a stored value: Fernet "f1:", else plain text."""
    if not stored.startswith("f1:"):
        return stored
    return MultiFernet([Fernet(k.encode()) for k in keys]).decrypt(stored[3:].encode()).decode()


def test_data_seal_fernet_writes_what_workers_before_2026_11_26_can_read(keys: None) -> None:
    key = sealing.new_key()
    sealing.use([key], "fernet")
    stored = sealing.seal("I will call on Sunday")
    assert _read_before_2026_11_26(stored, [key]) == "I will call on Sunday"
    # The newer seal is what they could not read: they would take it for plain text.
    sealing.use([key])
    newer = sealing.seal("I will call on Sunday")
    assert _read_before_2026_11_26(newer, [key]) != "I will call on Sunday"
    assert sealing.unseal(stored) == sealing.unseal(newer) == "I will call on Sunday"
    with pytest.raises(ValueError, match="DATA_SEAL"):
        sealing.use([key], "rot13")


def test_values_sealed_with_aes_gcm_on_2026_11_26_still_open(keys: None) -> None:
    key = sealing.new_key()
    sealing.use([key])
    aes = AESGCM(sealing._derived(key, sealing.GCM_PURPOSE))
    nonce = b"\x01" * sealing.NONCE
    token = base64.urlsafe_b64encode(nonce + aes.encrypt(nonce, b"words", None)).decode()
    assert sealing.unseal(sealing.GCM_PREFIX + token) == "words"


def test_a_sealed_value_changed_at_rest_does_not_open(keys: None) -> None:
    sealing.use([sealing.new_key()])
    stored = sealing.seal("I will call on Sunday")
    assert sealing.unseal(stored) == "I will call on Sunday"
    body = stored[len(sealing.PREFIX) :]
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    for broken in (flipped, body[:-4], "not base64 at all!"):
        with pytest.raises(InvalidToken):
            sealing.unseal(sealing.PREFIX + broken)
    # The same words sealed twice look different at rest.
    assert sealing.seal("I will call on Sunday") != stored


async def test_text_stored_before_sealing_still_reads(tmp_path: Path) -> None:
    db = await _with_stored_text(tmp_path, '{"text": "old words"}')
    async with db.transaction() as session:
        row = await session.scalar(select(PrivateText))
    assert row is not None and row.body == '{"text": "old words"}'
    await db.close()


def _mentions(value: object, who: int) -> bool:
    """Whether a stored value names this person (an id, as number or text, anywhere inside)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == who
    if isinstance(value, str):
        return value == str(who)
    if isinstance(value, dict):
        return any(_mentions(k, who) or _mentions(v, who) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_mentions(v, who) for v in value)
    return False


async def test_export_holds_their_own_data_and_none_of_the_other_persons(
    database: Database,
) -> None:
    h = Harness(database)
    await paired(h)
    await h.send(Command("calm"), user=REPAIRING)
    await tap(h, REPAIRING, "Write it out")
    await h.send(Text(WORDS["parked"]), user=REPAIRING)
    await h.send(Command("export"), user=REPAIRING)
    sent = [m for m in h.phone.messages.values() if m.get("filename")]
    assert len(sent) == 1 and sent[0]["chat"] == REPAIRING
    data = json.loads(sent[0]["file"])
    assert data["user_id"] == REPAIRING and data["about"].startswith("Everything Mend keeps")
    assert any(WORDS["parked"] in str(w["content"]) for w in data["writing"])
    assert data["pairs"][0]["role"] == "caused"
    # The other person's private answer to the safety question is theirs alone.
    dumped = json.dumps(data)
    assert f"safety-{HURT}" not in dumped and '"safe"' not in dumped


async def test_delete_erases_every_row_about_them_and_ends_the_pair(database: Database) -> None:
    h = Harness(database)
    await paired(h)
    await h.send(Command("calm"), user=REPAIRING)
    await tap(h, REPAIRING, "Write it out")
    await h.send(Text(WORDS["parked"]), user=REPAIRING)
    await h.send(Command("delete"), user=REPAIRING)
    await tap(h, REPAIRING, "Yes, erase it all")
    await h.sender.deliver_due()
    assert "It's all erased" in last(h, REPAIRING)
    assert "This has ended" in last(h, HURT)
    async with database.transaction() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(table.select())).mappings():
                found = [name for name, value in row.items() if _mentions(value, REPAIRING)]
                assert not found, (table.name, found)
            count = (await session.execute(table.select())).all()
            if table.name == "outbox":
                assert all(r.chat_id != REPAIRING for r in count)


async def test_rotating_with_data_key_reseals_under_its_first_key(
    tmp_path: Path, keys: None
) -> None:
    old, new = sealing.new_key(), sealing.new_key()
    sealing.use([old])
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'mend.db'}")
    await db.migrate()
    await _write_everything(db)
    settings = Settings(data_dir=tmp_path, data_key=f"{new},{old}")
    sealing.use(sealing.keys_from(settings.data_keys(), tmp_path))
    assert await rotate(db, settings) > 0
    sealing.use([new])
    async with db.transaction() as session:
        bodies = [row.body for row in await session.scalars(select(PrivateText))]
    assert any(WORDS["commitment"] in body for body in bodies)
    assert not (tmp_path / sealing.KEY_FILE).exists()
    await db.close()


def test_a_key_file_made_by_another_process_meanwhile_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another worker starting at the same moment made its key just after this one looked.
    theirs = sealing.keys_from(None, tmp_path)
    monkeypatch.setattr(Path, "exists", lambda self: False)
    assert sealing.keys_from(None, tmp_path) == theirs, "one key for both, not one each"
    monkeypatch.undo()
    assert (tmp_path / sealing.KEY_FILE).read_text() == theirs[0]
    assert [p.name for p in tmp_path.iterdir()] == [sealing.KEY_FILE]
