"""Give space: when they asked for it, no contact prompts, gentle company, and a soft ending."""

from __future__ import annotations

from datetime import timedelta

from flows import menu
from flows.engine import (
    Choice,
    Context,
    Effect,
    Event,
    FlowState,
    Outcome,
    Say,
    Schedule,
    SetProfile,
    Text,
    Timer,
    Unschedule,
    button,
    entry,
    rows,
)

name = "space"
steps = frozenset({"choose"})
entries = frozenset({"open"})
TIMERS = frozenset({"space_reminder", "space_end"})
LENGTHS = {"d3": 3, "w1": 7, "w2": 14}
EVERY = timedelta(days=3)
MAX_DAYS = 365
# Something useful to do instead of reaching out, in turn, one per reminder.
IDEAS = ("selfcare", "journal", "commitment")


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Record a request for space, or end it."""
    held = menu.space_active(ctx)
    if held and held.get("set_by") == "partner":
        # They asked for it themselves, in couple mode: only they can lift it.
        key = "space-held-paused" if held.get("paused") else "space-held-by-partner"
        return state, [Say(key, buttons=rows(entry("menu", "btn-menu")))]
    options = [button(name, f"space-btn-{k}", k) for k in LENGTHS]
    options.append(button(name, "space-btn-open", "open"))
    key = "space-ask"
    if menu.space_active(ctx):
        options.insert(0, button(name, "space-btn-end", "end"))
        key = "space-ask-active"
    return state.to(name, "choose"), [Say(key, buttons=rows(*options, width=2))]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Take the length (a button or a number of days), or end it."""
    days: int | None = None
    if isinstance(event, Choice):
        if event.choice == "end":
            return _end(state, ctx, "space-ended-by-user")
        if event.choice == "open":
            return _start(state, ctx, None)
        days = LENGTHS.get(event.choice)
    elif isinstance(event, Text) and event.text.strip().isdecimal():
        days = int(event.text.strip())
        if not 0 < days <= MAX_DAYS:
            days = None
    if days is None:
        return state, [Say("space-invalid")]
    return _start(state, ctx, days)


def _start(state: FlowState, ctx: Context, days: int | None) -> Outcome:
    until = (ctx.now + timedelta(days=days)).isoformat() if days else None
    # Who set it: the person repairing now; in couple mode, the person who was hurt.
    space = {"until": until, "set_by": "self", "since": ctx.now.isoformat()}
    effects: list[Effect] = [
        SetProfile({"space": space}),
        Schedule("space:reminder", "space_reminder", ctx.now + EVERY, {"idea": 0}),
    ]
    if until:
        effects.append(Schedule("space:end", "space_end", ctx.now + timedelta(days=days or 0)))
    else:
        effects.append(Unschedule("space:end"))
    new, shown = menu.begin(state, ctx.with_profile(space=space))
    said = "space-set-open" if days is None else "space-set"
    return new, [*effects, Say(said, {"days": days or 0}), *shown]


def _end(state: FlowState, ctx: Context, key: str) -> Outcome:
    new, shown = menu.begin(state, ctx.with_profile(space=None))
    ending: list[Effect] = [
        SetProfile({"space": None}),
        Unschedule("space:reminder"),
        Unschedule("space:end"),
    ]
    return new, [*ending, Say(key), *shown]


def on_timer(event: Timer, ctx: Context) -> list[Effect]:
    """Every few days while it lasts, company and an idea; at the end, a soft note and a draft."""
    if event.kind == "space_end":
        return [SetProfile({"space": None}), Unschedule("space:reminder"), Say("space-over")]
    if menu.space_active(ctx) is None:
        return []
    idea = int(event.payload.get("idea", 0)) % len(IDEAS)
    following = {"idea": idea + 1}
    return [
        Say(f"space-reminder-{IDEAS[idea]}", buttons=rows(entry("menu", "btn-menu"))),
        Schedule("space:reminder", "space_reminder", ctx.now + EVERY, following),
    ]
