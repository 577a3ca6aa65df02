"""Settings: language, and starting the intake again."""

from __future__ import annotations

from flows import menu, start
from flows.engine import (
    Choice,
    Context,
    Event,
    FlowState,
    Outcome,
    Say,
    SetProfile,
    button,
    entry,
    rows,
)

name = "settings"
steps = frozenset({"choose"})
entries = frozenset({"open"})


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show the settings."""
    new = state.to(name, "choose")
    choices = rows(
        button(name, "start-lang-en", "en"),
        button(name, "start-lang-ru", "ru"),
        button(name, "settings-btn-redo", "redo"),
        entry("menu", "btn-menu"),
        width=2,
    )
    return new, [Say("settings-text", {"language": ctx.locale}, buttons=choices)]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Apply one setting."""
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice in start.LANGUAGES:
        new, effects = menu.begin(state, ctx)
        return new, [SetProfile({"locale": event.choice}), Say("settings-saved"), *effects]
    if event.choice == "redo":
        return start.begin(state, ctx)
    return state, []
