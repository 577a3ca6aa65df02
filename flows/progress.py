"""Progress: the forgiving score and the streak, so one slip does not erase weeks of effort."""

from __future__ import annotations

from flows import checkin
from flows.engine import Context, Event, FlowState, Outcome, Picture, Say, entry, rows

name = "progress"
steps: frozenset[str] = frozenset()
entries = frozenset({"open"})


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show the last four weeks in numbers."""
    numbers = checkin.progress(ctx)
    if not numbers["days"]:
        setup = rows(entry(checkin.name, "progress-btn-setup", "setup"), entry("menu", "btn-menu"))
        return state, [Say("progress-empty", buttons=setup)]
    chart = Picture("progress", "progress-chart")
    return state, [chart, Say("progress-text", numbers, buttons=rows(entry("menu", "btn-menu")))]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Progress keeps no state of its own."""
    return state, []
