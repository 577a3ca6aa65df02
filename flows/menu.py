"""The home menu: one recommended next step with its reason, and every way onward."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flows import partner
from flows.engine import (
    Button,
    Choice,
    Context,
    Event,
    FlowState,
    Keyboard,
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
# The journey each kind of situation calls for, in order. "They said no" never includes
# meeting or reaching out: only understanding and learning.
PATHS: dict[str, tuple[str, ...]] = {
    "minor": ("apology", "plan"),
    "grave": ("reflect", "apology", "meet", "plan"),
    "declined": ("reflect",),
}
JOURNEY = ("reflect", "apology", "meet", "plan")
LABELS = {
    "calm": "menu-btn-calm",
    "reflect": "menu-btn-reflect",
    "apology": "menu-btn-apology",
    "meet": "menu-btn-meet",
    "plan": "menu-btn-plan",
    "journal": "menu-btn-journal",
}


def situation(profile: dict[str, Any]) -> str:
    """Which path fits: "declined", "grave" or "minor"."""
    intake: dict[str, str] = profile.get("intake") or {}
    if intake.get("openness") == "no" or profile.get("pair_ended"):
        return "declined"
    if intake.get("severity") == "grave" or intake.get("what") in GRAVE_KINDS:
        return "grave"
    return "minor"


def space_active(ctx: Context) -> dict[str, Any] | None:
    """The space the other person asked for, while it lasts (a pause they chose counts too)."""
    if ctx.profile.get("pair_paused"):
        return {"until": None, "set_by": "partner", "paused": True}
    space: dict[str, Any] | None = ctx.profile.get("space")
    until = space.get("until") if space else None
    if until and datetime.fromisoformat(str(until)) <= ctx.now:
        return None
    return space


def reconcile_off(ctx: Context) -> str | None:
    """Why meeting and reaching out are off for good reason, if they are.

    "violence" or "abuse" when they spoke of it (or said they used violence at the intake);
    "quiet" when the other person's private safety answer held things, which is never said.
    """
    unsafe: dict[str, Any] | None = ctx.profile.get("unsafe")
    if unsafe:
        return str(unsafe.get("kind") or "abuse")
    return "quiet" if ctx.profile.get("meet_off") else None


def off_notice(off: str, buttons: Keyboard) -> Say:
    """The word on why meeting and reaching out are off (nothing said for "quiet")."""
    if off == "quiet":
        return Say("safety-meet-quiet", buttons=buttons)
    return Say("safety-reconcile-off", {"kind": off}, buttons=buttons)


def recommend(ctx: Context) -> tuple[str, str]:
    """The next step to suggest (a flow name) and why, as a code the locale texts select on."""
    profile = ctx.profile
    if int(profile.get("heat", 0)) >= HEATED:
        return "calm", "heated"
    case = situation(profile)
    done = set(profile.get("done", []))
    # While they asked for space, meeting is off the table, whatever the path says.
    waiting = {"meet"} if space_active(ctx) or reconcile_off(ctx) else set()
    for flow in PATHS[case]:
        if flow not in done and flow not in waiting:
            return flow, f"{flow}-{case}"
    return "journal", f"done-{case}"


def home(ctx: Context, intro: str | None = None) -> Say:
    """The home menu message, recommendation first."""
    if ctx.pair is not None and ctx.pair.role == "hurt":
        return partner.home(ctx)
    if not ctx.profile.get("intake_done"):
        return Say(
            "menu-home-new", buttons=rows(entry("start", "btn-start"), entry("help", "btn-help"))
        )
    flow, why = recommend(ctx)
    # Every journey flow stays one tap away, except where they said no: then only reflecting.
    journey = PATHS["declined"] if situation(ctx.profile) == "declined" else JOURNEY
    others = [f for f in (*journey, "calm") if f != flow]
    if space_active(ctx) or reconcile_off(ctx):
        others = [f for f in others if f != "meet"]
    if ctx.records.of("journal") and flow != "journal":
        others.append("journal")
    items: list[Button] = [entry(f, LABELS[f]) for f in others]
    if ctx.profile.get("has_parked"):
        items.append(entry("calm", "menu-btn-parked", "parked"))
    if ctx.pair is not None and ctx.pair.role == "both" and partner.controls(ctx):
        # "We both hurt each other": their own journey here, and the pair's controls too.
        items.append(entry(partner.name, "menu-btn-pair"))
    items += [entry("settings", "menu-btn-settings"), entry("help", "menu-btn-help")]
    first = ((entry(flow, LABELS[flow]),),)
    return Say(intro or "menu-home", {"why": why}, buttons=first + rows(*items, width=2))


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
