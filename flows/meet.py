"""Meet: prepare to talk in person (placeholder until the full flow lands)."""

from __future__ import annotations

from flows import menu
from flows.engine import Context, Effect, Event, FlowState, Outcome, Timer

name = "meet"
steps = frozenset({"ready"})
entries = frozenset({"open", "debrief"})
TIMERS = frozenset({"meet_debrief"})


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Open the flow."""
    return menu.begin(state, ctx)


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """React to one event."""
    return menu.begin(state, ctx)


def on_timer(event: Timer) -> list[Effect]:
    """What a meet reminder says when it comes due."""
    return []
