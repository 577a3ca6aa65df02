"""Free text at rest: sealed with AES-256-GCM-SIV under the keys from DATA_KEY, column by column.

Columns that hold what people write use the types below, so every read and write goes through
the seal without the code around them having to remember. Values written before sealing
existed (no prefix), or sealed by earlier versions (Fernet "f1:", AES-GCM "g1:"), still read as
they are; `python -m bot rotate-key` seals them anew. DATA_SEAL=fernet keeps writing Fernet,
which versions before 2026-11-26 can read, while such workers still run.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESGCMSIV
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import JSON, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

PREFIX = "s1:"
# Written by earlier versions; read, and written again only with DATA_SEAL=fernet.
FERNET_PREFIX = "f1:"
GCM_PREFIX = "g1:"
NONCE = 12
KEY_FILE = "data.key"
# What each AES key is derived from a DATA_KEY for: Fernet's two halves stay Fernet's.
PURPOSE = b"mend sealing: aes-256-gcm-siv"
GCM_PURPOSE = b"mend sealing: aes-256-gcm"
SEALS = ("aes-gcm-siv", "fernet")


@dataclass(frozen=True)
class Box:
    """The keys in use: the first seals, any of them opens."""

    ciphers: tuple[AESGCMSIV, ...]
    gcm: tuple[AESGCM, ...]
    fernet: MultiFernet
    # Seal as versions before 2026-11-26 can read, while such workers still run.
    fernet_writes: bool = False


_box: Box | None = None


def use(keys: Sequence[str], seal: str = SEALS[0]) -> None:
    """Seal with the first key; open with any of them (the others are on their way out)."""
    global _box
    if not keys:
        raise ValueError("at least one data key is needed")
    if seal not in SEALS:
        raise ValueError(f"DATA_SEAL must be one of {', '.join(SEALS)}")
    fernets = [Fernet(key.strip().encode()) for key in keys]
    # An AES seal costs a fifth of a Fernet one, and the sweep and every message pay it. SIV:
    # a repeated random nonce would tell only that two values are the same, nothing more.
    ciphers = tuple(AESGCMSIV(_derived(key, PURPOSE)) for key in keys)
    gcm = tuple(AESGCM(_derived(key, GCM_PURPOSE)) for key in keys)
    _box = Box(ciphers, gcm, MultiFernet(fernets), fernet_writes=seal == "fernet")


def _derived(key: str, purpose: bytes) -> bytes:
    """A 256-bit AES key for one DATA_KEY (which Fernet has already checked)."""
    raw = base64.urlsafe_b64decode(key.strip().encode())
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=purpose).derive(raw)


def box() -> Box:
    """The keys in use; sealing before they are set would lose data, so it is an error."""
    if _box is None:
        raise RuntimeError("no data key: call sealing.use() (python -m bot does it on start)")
    return _box


def new_key() -> str:
    """A fresh random key."""
    return Fernet.generate_key().decode()


def keys_from(data_key: str | None, data_dir: Path) -> list[str]:
    """DATA_KEY (comma-separated, newest first), or a key file made once in the data directory."""
    if data_key:
        return [k for k in (part.strip() for part in data_key.split(",")) if k]
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        if _make_key_file(path):
            log.warning(
                "DATA_KEY is not set: a key was made in %s; keep it safe and backed up", path
            )
    return [k for k in path.read_text().split(",") if k.strip()]


def _make_key_file(path: Path) -> bool:
    """Write a new key file unless one appears first; True if this call made it.

    The key is written aside and linked into place, which fails if the file exists: two
    processes starting together end up with one key, never one each.
    """
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".data.key.")
    temporary = Path(name)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(new_key())
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Replace the key file in one step, readable by its owner only."""
    temporary = path.with_suffix(".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(",".join(keys))
    os.replace(temporary, path)


def seal(text: str) -> str:
    """Text as it is stored."""
    keys = box()
    if keys.fernet_writes:
        return FERNET_PREFIX + keys.fernet.encrypt(text.encode()).decode()
    nonce = os.urandom(NONCE)
    sealed = nonce + keys.ciphers[0].encrypt(nonce, text.encode(), None)
    return PREFIX + base64.urlsafe_b64encode(sealed).decode()


def unseal(stored: str) -> str:
    """Stored text as it was written."""
    if stored.startswith(PREFIX):
        return _opened(stored[len(PREFIX) :], box().ciphers).decode()
    if stored.startswith(FERNET_PREFIX):
        return box().fernet.decrypt(stored[len(FERNET_PREFIX) :].encode()).decode()
    if stored.startswith(GCM_PREFIX):
        return _opened(stored[len(GCM_PREFIX) :], box().gcm).decode()
    return stored


def _opened(token: str, ciphers: Sequence[AESGCMSIV | AESGCM]) -> bytes:
    """The plain bytes of a sealed value, through whichever key sealed it."""
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (binascii.Error, ValueError) as error:
        raise InvalidToken from error
    nonce, body = raw[:NONCE], raw[NONCE:]
    for cipher in ciphers:
        try:
            return cipher.decrypt(nonce, body, None)
        except (InvalidTag, ValueError):
            continue
    raise InvalidToken


class SealedText(TypeDecorator[str]):
    """A text column whose values are sealed at rest."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else unseal(value)


class SealedJSON(TypeDecorator[dict[str, Any]]):
    """A JSON column whose whole value is sealed at rest, as {"sealed": "..."}."""

    impl = JSON
    cache_ok = True

    def process_bind_param(
        self, value: dict[str, Any] | None, dialect: Dialect
    ) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"sealed": seal(json.dumps(value, ensure_ascii=False))}

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if isinstance(value, dict) and set(value) == {"sealed"}:
            opened: dict[str, Any] = json.loads(unseal(str(value["sealed"])))
            return opened
        return value if isinstance(value, dict) else None
