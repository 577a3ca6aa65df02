"""Help: what Mend is and is not, and the commands."""

from __future__ import annotations

from flows import menu
from flows.engine import Context, Event, FlowState, Outcome, Say, entry, rows

name = "help"
# Help keeps no state of its own: it answers and leaves the user where they were.
steps: frozenset[str] = frozenset()
entries = frozenset({"open"})


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show help without leaving the current step."""
    return state, [Say("help-text", buttons=rows(entry("menu", "btn-menu")))]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Help keeps no state of its own; anything else goes to the menu."""
    return menu.begin(state, ctx)
