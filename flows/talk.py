"""The weekly talk in a couple's group: one speaks, the other says back what they heard, swap.

The bot keeps the turns and, gently, the time; it never judges what is said (and, in privacy
mode, never even sees it).
"""

from __future__ import annotations

from datetime import timedelta

from flows import partner
from flows.engine import (
    Choice,
    Context,
    Effect,
    FlowState,
    Outcome,
    Say,
    Schedule,
    Toast,
    Unschedule,
    button,
    entry,
    rows,
)

# Its buttons belong to the group flow, whose state the talk shares.
FLOW = "group"
TIMERS = frozenset({"group_talk", "group_talk_time"})
TALK_KEY = "group:talk"
TIME_KEY = "group:talk-time"
WEEKLY = "weekly sun 19:00"
# A gentle word on time while someone speaks; nobody is cut off.
SPEAKING = timedelta(minutes=5)
# The four turns: who acts (the first or the second speaker) and what they do.
TURNS = (("first", "speak"), ("second", "reflect"), ("second", "speak"), ("first", "reflect"))


def started() -> list[Effect]:
    """What begins in the group once the pair is active: the talk, offered on Sunday evenings."""
    return [Schedule(TALK_KEY, "group_talk", rule=WEEKLY)]


def on_timer(state: FlowState, kind: str, ctx: Context) -> list[Effect]:
    """The weekly offer (not while paused or in space), and the gentle time check."""
    live = ctx.pair is not None and ctx.pair.status == "active"
    if kind == "group_talk" and live and not partner.space_until(ctx)[0]:
        return [Say("group-talk-weekly", buttons=rows(entry(FLOW, "group-btn-talk", "talk")))]
    if kind == "group_talk_time" and state.step == "talk":
        return [Say("group-talk-time")]
    return []


def begin(state: FlowState, ctx: Context) -> Outcome:
    """Explain the turns and ask who goes first."""
    go = rows(button(FLOW, "group-btn-first", "first"), button(FLOW, "group-btn-stop", "stop"))
    return state.to(FLOW, "talk", {"turn": -1}), [Say("group-talk-intro", buttons=go)]


def turn(state: FlowState, event: Choice, ctx: Context) -> Outcome:
    """A press during the talk: only the person whose turn it is moves it on."""
    at = int(state.data.get("turn", -1))
    if event.choice == "stop":
        return state.to(FLOW, "idle"), [Unschedule(TIME_KEY), Say("group-talk-stopped")]
    if at == -1 and event.choice == "first":
        return _next(state.at("talk", first=ctx.user_id), 0, ctx)
    if at < 0 or event.choice != "done":
        return state, [Toast("button-stale")]
    who, _what = TURNS[at]
    first = int(state.data.get("first", 0))
    acting_first = ctx.user_id == first
    if (who == "first") != acting_first:
        return state, [Toast("group-talk-not-you")]
    if at + 1 == len(TURNS):
        return state.to(FLOW, "idle"), [Unschedule(TIME_KEY), Say("group-talk-done")]
    return _next(state, at + 1, ctx)


def _next(state: FlowState, turn: int, ctx: Context) -> Outcome:
    who, what = TURNS[turn]
    done = rows(
        button(FLOW, f"group-btn-{what}-done", "done"), button(FLOW, "group-btn-stop", "stop")
    )
    effects: list[Effect] = [Say(f"group-talk-{what}", {"who": who}, buttons=done)]
    if what == "speak":
        effects.append(Schedule(TIME_KEY, "group_talk_time", ctx.now + SPEAKING))
    else:
        effects.append(Unschedule(TIME_KEY))
    return state.at("talk", turn=turn), effects
