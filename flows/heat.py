"""The 0-10 "how heated do you feel" scale, shared by the intake and the calm flow."""

from __future__ import annotations

from flows.engine import Keyboard, button, entry, rows

# Five range buttons keep the keyboard small; each stores the top of its range so that
# "7-8" counts as heated.
HEAT_CHOICES: dict[str, int] = {"h2": 2, "h4": 4, "h6": 6, "h8": 8, "h10": 10}
HEATED = 7


def heat_buttons(flow: str) -> Keyboard:
    """The heat scale as buttons for `flow`."""
    return rows(*(button(flow, f"heat-{c}", c) for c in HEAT_CHOICES), width=5)


def parse_heat(text: str) -> int | None:
    """A typed rating like "7" or "7/10"; None unless it is a whole number from 0 to 10."""
    cleaned = text.strip().removesuffix("/10").strip()
    if not cleaned.isdecimal() or len(cleaned) > 2:
        return None
    value = int(cleaned)
    return value if 0 <= value <= 10 else None


def heat_entries(flow: str) -> Keyboard:
    """The heat scale as entry buttons that still work when pressed later (a check-back)."""
    return rows(*(entry(flow, f"heat-{c}", c) for c in HEAT_CHOICES), width=5)
