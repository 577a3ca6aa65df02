"""Pause: stop every reminder for a while, without losing any progress."""

from __future__ import annotations

from datetime import timedelta

from flows import menu
from flows.engine import Choice, Context, Event, FlowState, Outcome, Say, SetProfile, button, rows

name = "pause"
steps = frozenset({"choose"})
entries = frozenset({"open"})
# "Until I resume" is a long pause that /pause ends at any time.
LENGTHS = {"d3": timedelta(days=3), "w1": timedelta(days=7), "open": timedelta(days=3650)}


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Offer pause lengths, or a way to resume if already paused."""
    options = [button(name, f"pause-btn-{k}", k) for k in LENGTHS]
    if _paused(ctx):
        options.insert(0, button(name, "pause-btn-resume", "resume"))
        key = "pause-ask-paused"
    else:
        key = "pause-ask"
    return state.to(name, "choose"), [Say(key, buttons=rows(*options))]


def _paused(ctx: Context) -> bool:
    until = ctx.profile.get("paused_until")
    return bool(until) and str(until) > ctx.now.isoformat()


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Pause for the chosen time, or resume."""
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice == "resume":
        new, effects = menu.begin(state, ctx)
        return new, [SetProfile({"paused_until": None}), Say("pause-resumed"), *effects]
    length = LENGTHS.get(event.choice)
    if length is None:
        return state, []
    until = (ctx.now + length).isoformat()
    new, effects = menu.begin(state, ctx)
    said = "pause-set-open" if event.choice == "open" else f"pause-set-{event.choice}"
    return new, [SetProfile({"paused_until": until}), Say(said), *effects]
