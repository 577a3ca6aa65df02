"""The controls of the person who was hurt: space, pause, end, and the plan they can add to."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flows.engine import (
    Args,
    Button,
    Choice,
    Context,
    Effect,
    Event,
    FlowState,
    Outcome,
    Pair,
    PairSet,
    Say,
    Schedule,
    SetProfile,
    Text,
    ToGroup,
    ToPartner,
    Unschedule,
    button,
    entry,
    rows,
)

name = "partner"
steps = frozenset({"home", "space", "end", "expect"})
entries = frozenset({"open", "space", "pause", "resume", "end", "plan", "expect"})
SPACE_DAYS = {"d3": 3, "w1": 7, "w2": 14}
MAX_DAYS = 365
# How often the person repairing hears from the bot while space lasts (as in the space flow).
REMINDER_EVERY = timedelta(days=3)
EXPECTATION_LIMIT = 300
EXPECTATIONS_MAX = 20
LIVE = ("active", "paused")
# The weekly private trust question (flows/trust.py), stopped when they end it.
TRUST_KEY = "pair:trust"


def controls(ctx: Context) -> bool:
    """Whether this person holds a pair's controls (they were hurt, and they said yes to it)."""
    pair = ctx.pair
    return pair is not None and pair.holds_controls() and pair.status in (*LIVE, "held")


def _held(ctx: Context) -> bool:
    """Held after the safety question: nothing moves toward the other person, ending still can."""
    return ctx.pair is not None and ctx.pair.status == "held"


def own(ctx: Context, hold: str) -> bool:
    """Whether the space or pause on now was set by this person, so only they may lift it.

    In a pair where both were hurt, both hold the controls, but not each other's.
    """
    if ctx.pair is None:
        return False
    data = ctx.pair.data
    by = (data.get("space") or {}).get("by") if hold == "space" else data.get("paused_by")
    # Set before who set it was kept: the person who was hurt set it.
    return by == ctx.user_id if by is not None else ctx.pair.holds_controls()


def space_until(ctx: Context) -> tuple[bool, str | None]:
    """Whether the space this person asked for lasts, and until when (None: until they say)."""
    space: dict[str, Any] | None = (ctx.pair.data.get("space") if ctx.pair else None) or None
    if not space:
        return False, None
    until = space.get("until")
    if until and datetime.fromisoformat(str(until)) <= ctx.now:
        return False, None
    return True, str(until) if until else None


def home(ctx: Context, intro: str = "partner-home") -> Say:
    """Their home: what they can do, with what is on now."""
    assert ctx.pair is not None
    if _held(ctx):
        return Say(
            "partner-home-held",
            buttons=rows(
                entry(name, "partner-btn-end", "end"),
                entry("settings", "menu-btn-settings"),
                entry("help", "menu-btn-help"),
            ),
        )
    spacing, until = space_until(ctx)
    paused = ctx.pair.status == "paused"
    items: list[Button] = []
    if not spacing:
        items.append(entry(name, "partner-btn-space", "space"))
    elif own(ctx, "space"):
        items.append(entry(name, "partner-btn-space-end", "space"))
    if not paused:
        items.append(entry(name, "partner-btn-pause", "pause"))
    elif own(ctx, "pause"):
        items.append(entry(name, "partner-btn-resume", "resume"))
    items += [
        entry(name, "partner-btn-plan", "plan"),
        entry(name, "partner-btn-end", "end"),
        entry("settings", "menu-btn-settings"),
        entry("help", "menu-btn-help"),
    ]
    if ctx.pair.role == "both":
        # They are repairing too: their own menu is one tap away.
        items.append(entry("menu", "btn-menu"))
    state = "paused" if paused else ("space" if spacing else "active")
    if state != "active" and not own(ctx, "pause" if paused else "space"):
        state = f"their-{state}"
    args: dict[str, str | int] = {"state": state, "until": (until or "none")[:10]}
    return Say(intro, args, buttons=rows(*items, width=2))


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Open one of the controls; only the person who was hurt can, and only once it has begun."""
    if not controls(ctx):
        return state, [Say("partner-none")]
    idle = state.to(name, "home")
    if _held(ctx) and choice != "end":
        return idle, [home(ctx)]
    match choice:
        case "space":
            if space_until(ctx)[0]:
                if not own(ctx, "space"):
                    return idle, [Say("partner-theirs"), home(ctx)]
                return _end_space(idle, ctx)
            options = [button(name, f"space-btn-{k}", k) for k in SPACE_DAYS]
            options.append(button(name, "partner-btn-space-open", "open"))
            return state.to(name, "space"), [Say("partner-space-ask", buttons=rows(*options))]
        case "pause":
            if ctx.pair is not None and ctx.pair.status == "paused":
                return idle, [home(ctx)]
            return _pause(idle, ctx)
        case "resume":
            if not own(ctx, "pause"):
                return idle, [Say("partner-theirs"), home(ctx)]
            return _resume(idle, ctx)
        case "end":
            confirm = rows(
                button(name, "partner-btn-end-yes", "yes"), button(name, "partner-btn-back", "no")
            )
            return state.to(name, "end"), [Say("partner-end-ask", buttons=confirm)]
        case "plan":
            return idle, [_plan(ctx)]
        case "expect":
            cancel = rows(button(name, "partner-btn-back", "no"))
            return state.to(name, "expect"), [Say("partner-expect-ask", buttons=cancel)]
    return idle, [home(ctx)]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Answer the question the current control asked."""
    if not controls(ctx):
        return state.to(name, "home"), [Say("partner-none")]
    idle = state.to(name, "home")
    if isinstance(event, Choice) and event.choice == "no":
        return idle, [home(ctx)]
    if state.step == "space":
        return _space_answer(idle, event, ctx)
    if state.step == "end" and isinstance(event, Choice) and event.choice == "yes":
        return _end(idle, ctx)
    if state.step == "expect" and isinstance(event, Text):
        return _expect(state, idle, event.text.strip(), ctx)
    return state, [Say("partner-use-buttons"), home(ctx)]


def _space_answer(idle: FlowState, event: Event, ctx: Context) -> Outcome:
    days: int | None = None
    if isinstance(event, Choice):
        if event.choice == "open":
            return _set_space(idle, ctx, None)
        days = SPACE_DAYS.get(event.choice)
    elif isinstance(event, Text):
        days = _days(event.text, ctx)
    if days is None:
        return idle.to(name, "space"), [Say("partner-space-invalid")]
    return _set_space(idle, ctx, days)


def _days(text: str, ctx: Context) -> int | None:
    """A typed number of days, or a date ("2026-12-24" or "24.12"), as days from today."""
    text = text.strip()
    if text.isdecimal():
        days = int(text)
        return days if 0 < days <= MAX_DAYS else None
    today = (ctx.local_now or ctx.now).date()
    try:
        if "-" in text:
            target = datetime.strptime(text, "%Y-%m-%d").date()
        else:
            day, month = (int(part) for part in text.split(".")[:2])
            target = today.replace(month=month, day=day)
            if target <= today:
                target = target.replace(year=today.year + 1)
    except ValueError:
        return None
    days = (target - today).days
    return days if 0 < days <= MAX_DAYS else None


def _set_space(idle: FlowState, ctx: Context, days: int | None) -> Outcome:
    until = (ctx.now + timedelta(days=days)).isoformat() if days else None
    since = ctx.now.isoformat()
    # The person repairing keeps it as their own give-space, marked as theirs to hold, not lift.
    theirs = {"until": until, "set_by": "partner", "since": since}
    ending: Effect = (
        Schedule("space:end", "space_end", ctx.now + timedelta(days=days))
        if days
        else Unschedule("space:end")
    )
    told = ToPartner(
        (
            SetProfile({"space": theirs}),
            Schedule("space:reminder", "space_reminder", ctx.now + REMINDER_EVERY, {"idea": 0}),
            ending,
            Say("space-set-by-partner", {"days": days or 0}),
        )
    )
    space = {"until": until, "since": since, "by": ctx.user_id}
    mine = ctx.with_pair(space=space)
    return idle, [
        PairSet({"space": space}),
        told,
        Say("partner-space-set", {"days": days or 0}),
        home(mine),
    ]


def _end_space(idle: FlowState, ctx: Context) -> Outcome:
    told = ToPartner(
        (
            SetProfile({"space": None}),
            Unschedule("space:reminder"),
            Unschedule("space:end"),
            Say("space-over"),
        )
    )
    lifted = ctx.with_pair(space=None)
    return idle, [PairSet({"space": None}), told, Say("partner-space-ended"), home(lifted)]


def _pause(idle: FlowState, ctx: Context) -> Outcome:
    told = ToPartner((SetProfile({"pair_paused": True}), Say("partner-paused-told")))
    return idle, [
        PairSet({"status": "paused", "paused_by": ctx.user_id}),
        told,
        ToGroup((Say("group-paused"),)),
        Say("partner-paused"),
        home(ctx.with_pair(status="paused", paused_by=ctx.user_id)),
    ]


def _resume(idle: FlowState, ctx: Context) -> Outcome:
    told = ToPartner((SetProfile({"pair_paused": None}), Say("partner-resumed-told")))
    return idle, [
        PairSet({"status": "active", "paused_by": None}),
        told,
        ToGroup((Say("group-resumed"),)),
        Say("partner-resumed"),
        home(ctx.with_pair(status="active", paused_by=None)),
    ]


def _end(idle: FlowState, ctx: Context) -> Outcome:
    # The person repairing moves to the path that respects a "no": nothing there reaches out.
    told = ToPartner(
        (
            SetProfile(
                {"pair_ended": True, "pair_paused": None, "space": None, "declined_seen": True}
            ),
            Unschedule("space:reminder"),
            Unschedule("space:end"),
            Say("partner-ended-told", buttons=rows(entry("menu", "btn-menu"))),
        )
    )
    ended: list[Effect] = [
        # Said in the group before the pair closes, while it still has one.
        ToGroup((Say("group-ended"),)),
        PairSet({"status": "ended"}),
        Unschedule(TRUST_KEY),
        told,
        Say("partner-ended"),
    ]
    return idle.to("menu", "idle"), ended


def agreed(pair: Pair, heads: str = "partner-plan") -> list[tuple[str, Args]]:
    """The plan's commitments and the needs added to it, as lines under a message."""
    commitments: list[str] = list(pair.data.get("plan") or [])
    expectations: list[str] = list(pair.data.get("expectations") or [])
    more: list[tuple[str, Args]] = []
    if commitments:
        more.append((f"{heads}-commitments", {}))
        more += [("partner-plan-item", {"text": c}) for c in commitments]
    if expectations:
        more += [("", {}), (f"{heads}-expectations", {})]
        more += [("partner-plan-item", {"text": e}) for e in expectations]
    return more


def _plan(ctx: Context) -> Say:
    assert ctx.pair is not None
    more = agreed(ctx.pair)
    key = "partner-plan" if more else "partner-plan-empty"
    buttons = rows(entry(name, "partner-btn-expect", "expect"), entry(name, "btn-menu", "open"))
    return Say(key, buttons=buttons, more=tuple(more))


def _expect(state: FlowState, idle: FlowState, text: str, ctx: Context) -> Outcome:
    assert ctx.pair is not None
    if not text:
        return state, [Say("empty-text")]
    if len(text) > EXPECTATION_LIMIT:
        return state, [Say("answer-too-long", {"limit": EXPECTATION_LIMIT})]
    expectations = [*list(ctx.pair.data.get("expectations") or []), text][-EXPECTATIONS_MAX:]
    told = ToPartner((Say("partner-expect-told", {"text": text}),))
    updated = ctx.with_pair(expectations=expectations)
    return idle, [
        PairSet({"expectations": expectations}),
        told,
        Say("partner-expect-added"),
        _plan(updated),
    ]
