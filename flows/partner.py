"""The controls of the person who was hurt: space, pause, end, and the plan they can add to."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flows.engine import (
    Button,
    Choice,
    Context,
    Effect,
    Event,
    FlowState,
    Outcome,
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
    items: list[Button] = [
        entry(name, "partner-btn-space-end", "space")
        if spacing
        else entry(name, "partner-btn-space", "space"),
        entry(name, "partner-btn-resume", "resume")
        if paused
        else entry(name, "partner-btn-pause", "pause"),
        entry(name, "partner-btn-plan", "plan"),
        entry(name, "partner-btn-end", "end"),
        entry("settings", "menu-btn-settings"),
        entry("help", "menu-btn-help"),
    ]
    if ctx.pair.role == "both":
        # They are repairing too: their own menu is one tap away.
        items.append(entry("menu", "btn-menu"))
    state = "paused" if paused else ("space" if spacing else "active")
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
                return _end_space(idle, ctx)
            options = [button(name, f"space-btn-{k}", k) for k in SPACE_DAYS]
            options.append(button(name, "partner-btn-space-open", "open"))
            return state.to(name, "space"), [Say("partner-space-ask", buttons=rows(*options))]
        case "pause":
            return _pause(idle, ctx)
        case "resume":
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
    mine = ctx.with_pair(space={"until": until, "since": since})
    return idle, [
        PairSet({"space": {"until": until, "since": since}}),
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
        PairSet({"status": "paused"}),
        told,
        ToGroup((Say("group-paused"),)),
        Say("partner-paused"),
        home(ctx.with_pair(status="paused")),
    ]


def _resume(idle: FlowState, ctx: Context) -> Outcome:
    told = ToPartner((SetProfile({"pair_paused": None}), Say("partner-resumed-told")))
    return idle, [
        PairSet({"status": "active"}),
        told,
        ToGroup((Say("group-resumed"),)),
        Say("partner-resumed"),
        home(ctx.with_pair(status="active")),
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


def _plan(ctx: Context) -> Say:
    assert ctx.pair is not None
    commitments: list[str] = list(ctx.pair.data.get("plan") or [])
    expectations: list[str] = list(ctx.pair.data.get("expectations") or [])
    more: list[tuple[str, dict[str, str | int]]] = []
    if commitments:
        more.append(("partner-plan-commitments", {}))
        more += [("partner-plan-item", {"text": c}) for c in commitments]
    if expectations:
        more += [("", {}), ("partner-plan-expectations", {})]
        more += [("partner-plan-item", {"text": e}) for e in expectations]
    key = "partner-plan" if commitments or expectations else "partner-plan-empty"
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
