"""The home menu: one recommended next step with its reason, and every way onward."""

from __future__ import annotations

from typing import Any

from flows.engine import (
    Button,
    Choice,
    Context,
    Event,
    FlowState,
    Outcome,
    Say,
    SetProfile,
    entry,
    rows,
)
from flows.heat import HEATED

name = "menu"
steps = frozenset({"idle"})
entries = frozenset({"open"})

# Breaches that need the full path of repair (PRACTICES.md, idea 16).
GRAVE_KINDS = frozenset({"lie", "betrayal", "secret"})


def recommend(profile: dict[str, Any]) -> tuple[str, str]:
    """The next step to suggest (a flow name) and why, as a code the locale texts select on."""
    intake: dict[str, str] = profile.get("intake") or {}
    heat = int(profile.get("heat", 0))
    if heat >= HEATED:
        return "calm", "heated"
    if intake.get("openness") == "no":
        return "calm", "declined"
    if intake.get("severity") == "grave" or intake.get("what") in GRAVE_KINDS:
        return "calm", "grave"
    return "calm", "minor"


def home(ctx: Context, intro: str | None = None) -> Say:
    """The home menu message, recommendation first."""
    if not ctx.profile.get("intake_done"):
        return Say(
            "menu-home-new", buttons=rows(entry("start", "btn-start"), entry("help", "btn-help"))
        )
    flow, why = recommend(ctx.profile)
    items: list[Button] = [entry(flow, f"menu-btn-{flow}")]
    if ctx.profile.get("has_parked"):
        items.append(entry("calm", "menu-btn-parked", "parked"))
    items += [entry("settings", "menu-btn-settings"), entry("help", "menu-btn-help")]
    return Say(intro or "menu-home", {"why": why}, buttons=rows(*items))


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show the home menu; first acknowledge a "no" from the other person, once."""
    effects: list[Say | SetProfile] = []
    intake: dict[str, str] = ctx.profile.get("intake") or {}
    if intake.get("openness") == "no" and not ctx.profile.get("declined_seen"):
        effects += [Say("menu-declined"), SetProfile({"declined_seen": True})]
    effects.append(home(ctx))
    return state.to(name, "idle"), list(effects)


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Idle: anything typed gets a gentle pointer to the menu."""
    if isinstance(event, Choice):
        return state, []
    return state, [Say("menu-idle-hint"), home(ctx)]
