"""PostgreSQL advisory locks that let several workers share one database safely."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Two-integer keys are a space of their own, apart from the one-bigint keys used for chats
# (PostgreSQL keeps them apart), so no chat id can ever collide with these.
SPACE = 0x4D656E64  # "Mend"
LEADER = 1  # held for a session by the worker that sweeps reminders and sends the outbox
PAIRS = 2  # held for a transaction by whoever handles an event that may touch two people
MIGRATE = 3  # held while the schema is upgraded, so workers starting together take turns

# Wake-up channels for LISTEN/NOTIFY.
INBOX = "mend_inbox"
OUTBOX = "mend_outbox"


async def take_chats(session: AsyncSession, chats: Sequence[int]) -> None:
    """Wait for the chats' locks, in one fixed order so two takers never deadlock."""
    if chats:
        await session.execute(
            text(
                "SELECT pg_advisory_xact_lock(c) FROM "
                "(SELECT DISTINCT unnest(CAST(:chats AS bigint[])) AS c ORDER BY 1) AS s"
            ),
            {"chats": list(chats)},
        )


async def try_chats(session: AsyncSession, chats: Sequence[int]) -> list[int]:
    """The chats, in the order given, whose locks were free and are now this transaction's."""
    if not chats:
        return []
    found = await session.execute(
        text(
            "SELECT c FROM unnest(CAST(:chats AS bigint[])) WITH ORDINALITY AS t(c, n) "
            "WHERE pg_try_advisory_xact_lock(c) ORDER BY n"
        ),
        {"chats": list(chats)},
    )
    return [int(chat) for (chat,) in found]


async def take_pairs(session: AsyncSession) -> None:
    """Wait for the lock that serialises events able to change a pair or a partner's rows."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), _key(PAIRS))


async def notify(session: AsyncSession, channel: str) -> None:
    """Wake listening workers once this transaction commits (repeats within it fold into one)."""
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


def _key(key: int) -> dict[str, int]:
    return {"space": SPACE, "key": key}
