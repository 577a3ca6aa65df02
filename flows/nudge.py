"""Commitment nudges: a gentle reminder at the time the user chose, answered with one tap."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flows import checkin
from flows.engine import (
    Args,
    Context,
    Edit,
    Effect,
    Event,
    FlowState,
    Outcome,
    Picture,
    Say,
    Schedule,
    SetProfile,
    Timer,
    entry,
    rows,
)

name = "nudge"
MAX = 5
ANSWERS = ("done", "later", "skip")
steps: frozenset[str] = frozenset()
entries = frozenset(f"{answer}-{i}" for answer in ANSWERS for i in range(MAX))
TIMERS = frozenset({"nudge", "plan_review"})
SNOOZE = timedelta(hours=1)


def ref(index: int) -> str:
    """The nudge message for one commitment, edited in place when it is answered."""
    return f"nudge:{index}"


def _commitment(ctx: Context, index: int) -> dict[str, Any] | None:
    plan = ctx.records.latest("plan")
    commitments: list[Any] = plan.data.get("commitments", []) if plan else []
    found = commitments[index] if 0 <= index < len(commitments) else None
    return dict(found) if isinstance(found, dict) else None


def on_timer(event: Timer, ctx: Context) -> list[Effect]:
    """Say the nudge (or the weekly review), unless the commitment is gone from the plan."""
    if event.kind == "plan_review":
        review = Say("nudge-review", checkin.progress(ctx), rows(entry("plan", "nudge-btn-plan")))
        return [Picture("progress", "progress-chart"), review]
    index = int(event.payload.get("index", -1))
    commitment = _commitment(ctx, index)
    if commitment is None:
        return []
    snoozed = bool(event.payload.get("snoozed"))
    answers = [a for a in ANSWERS if not (snoozed and a == "later")]
    buttons = rows(*(entry(name, f"nudge-btn-{a}", f"{a}-{index}") for a in answers), width=3)
    args: Args = {"text": str(commitment.get("text", "")), "time": str(commitment.get("time", ""))}
    return [Say("nudge-due", args, buttons=buttons, ref=ref(index))]


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """A tap on a nudge: recorded once per day, the message edited in place."""
    answer, _, number = choice.partition("-")
    index = int(number)
    if _commitment(ctx, index) is None:
        return state, [Edit(ref(index), "nudge-gone")]
    day = ctx.now.date().isoformat()
    answered: dict[str, str] = dict(ctx.profile.get("nudges") or {})
    effects: list[Effect] = []
    if answer == "later":
        payload = {"index": index, "snoozed": True}
        effects.append(Schedule(f"plan:c{index}:later", "nudge", ctx.now + SNOOZE, payload))
    else:
        answered[f"{day}:{index}"] = answer
        effects.append(SetProfile({"nudges": answered}))
    effects.append(Edit(ref(index), f"nudge-{answer}"))
    return state, effects


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Nudges keep no state; nothing reaches here."""
    return state, []
