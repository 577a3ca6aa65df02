"""The daily check-in: one tap on whether commitments were kept, and a kind path after a slip."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flows import menu
from flows.engine import (
    Args,
    Choice,
    Context,
    Edit,
    Effect,
    Event,
    FlowState,
    Keep,
    Outcome,
    Say,
    Schedule,
    SetProfile,
    Taps,
    Text,
    Timer,
    Unschedule,
    button,
    entry,
    rows,
)

name = "checkin"
ANSWERS = {"k": "kept", "p": "partly", "s": "slipped", "x": "skipped"}
steps = frozenset({"time", "slip_why", "slip_next"})
TIMERS = frozenset({"checkin"})
TIMES = ("19:00", "20:00", "21:00", "21:30")
SLIP_WINDOW = 14
SLIPS_FOR_COUNSELLOR = 3
TEXT_LIMIT = 500
REMINDER_KEY = "checkin"
# A tap carries the day it was asked about, so a late answer (next morning) counts for that day.
TAP = re.compile(r"[kpsx]\d{8}", re.ASCII)


entries = Taps(frozenset({"open", "setup"}), TAP)


def ref(day: str) -> str:
    """The check-in message for one day, edited in place when it is answered."""
    return f"checkin:{day}"


def on_timer(event: Timer, ctx: Context) -> list[Effect]:
    """Ask about today, with four one-tap answers."""
    day = ctx.today()
    stamp = day.replace("-", "")
    answers = [entry(name, f"checkin-btn-{a}", f"{k}{stamp}") for k, a in ANSWERS.items()]
    return [Say("checkin-ask", buttons=rows(*answers, width=2), ref=ref(day))]


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Set up the daily time, or take an answer for a day."""
    if choice in ("open", "setup"):
        times = [button(name, "checkin-time", f"t{i}", time=t) for i, t in enumerate(TIMES)]
        times.append(button(name, "checkin-btn-off", "off"))
        if not ctx.profile.get("tz"):
            # Without a zone the time would be UTC; one tap away, before it matters.
            times.append(entry("settings", "settings-btn-tz", "tz"))
        return state.to(name, "time"), [Say("checkin-setup", buttons=rows(*times, width=2))]
    return _answer(state, ctx, ANSWERS[choice[0]], _day(choice[1:]))


def _day(stamp: str) -> str:
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:]}"


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Set the time, or take the slip reflection one answer at a time."""
    if state.step == "time":
        return _time(state, event, ctx)
    if isinstance(event, Choice) and event.choice == "recommit":
        return _recommit(state, ctx)
    if not isinstance(event, Text):
        return state, [Say("use-buttons")]
    text = event.text.strip()[:TEXT_LIMIT]
    if state.step == "slip_why":
        return state.at("slip_next", why=text), [Say("checkin-slip-next")]
    recommit = rows(button(name, "checkin-btn-recommit", "recommit"))
    return state.at("slip_next", next=text), [Say("checkin-slip-own", buttons=recommit)]


def _time(state: FlowState, event: Event, ctx: Context) -> Outcome:
    at: str | None = None
    if isinstance(event, Choice) and event.choice == "off":
        new, effects = menu.begin(state, ctx)
        return new, [Unschedule(REMINDER_KEY), Say("checkin-off"), *effects]
    if isinstance(event, Choice) and event.choice[1:].isdecimal():
        index = int(event.choice[1:])
        at = TIMES[index] if index < len(TIMES) else None
    elif isinstance(event, Text):
        found = re.fullmatch(r"(\d{1,2})[:.](\d{2})", event.text.strip(), re.ASCII)
        if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
            at = f"{int(found.group(1)):02d}:{found.group(2)}"
    if at is None:
        return state, [Say("plan-time-invalid")]
    new, effects = menu.begin(state, ctx)
    daily = Schedule(REMINDER_KEY, "checkin", rule=f"daily {at}")
    return new, [
        daily,
        SetProfile({"checkin_time": at}),
        Say("checkin-set", {"time": at}),
        *effects,
    ]


def _answer(state: FlowState, ctx: Context, answer: str, day: str) -> Outcome:
    """Record the day once (a second tap changes nothing) and edit the question in place."""
    days: dict[str, str] = dict(ctx.profile.get("checkins") or {})
    first = day not in days
    if first:
        days[day] = answer
    recorded = days[day]
    effects: list[Effect] = [
        SetProfile({"checkins": days}),
        Edit(ref(day), f"checkin-ack-{recorded}"),
    ]
    if not (first and recorded == "slipped"):
        return state, effects
    effects.append(Say("checkin-slip-why"))
    if _slips(days, day) >= SLIPS_FOR_COUNSELLOR and not ctx.profile.get("counsellor_hint"):
        # With a serious hurt, slipping and apologising again and again is a harm-then-apology
        # cycle: named gently, as something to take to a professional.
        serious = menu.situation(ctx.profile) == "grave" or menu.reconcile_off(ctx)
        key = "checkin-cycle" if serious else "checkin-counsellor"
        effects += [Say(key), SetProfile({"counsellor_hint": True})]
    return state.to(name, "slip_why", {"day": day}), effects


def _slips(days: dict[str, str], day: str) -> int:
    end = date.fromisoformat(day)
    start = end - timedelta(days=SLIP_WINDOW - 1)
    return sum(
        1 for d, a in days.items() if a == "slipped" and start <= date.fromisoformat(d) <= end
    )


def _recommit(state: FlowState, ctx: Context) -> Outcome:
    reflection: dict[str, Any] = {k: state.data.get(k, "") for k in ("day", "why", "next")}
    new, effects = menu.begin(state, ctx)
    return new, [Keep("slip", reflection), Say("checkin-recommitted"), *effects]


def progress(ctx: Context, window: int = 28) -> Args:
    """The forgiving score (kept 1, partly 0.5, over answered days) and the current streak."""
    days: dict[str, str] = dict(ctx.profile.get("checkins") or {})
    today = date.fromisoformat(ctx.today())
    recent = [days.get((today - timedelta(days=n)).isoformat()) for n in range(window)]
    answered = [a for a in recent if a in ("kept", "partly", "slipped")]
    points = sum(1.0 if a == "kept" else 0.5 for a in answered if a != "slipped")
    score = round(100 * points / len(answered)) if answered else 0
    streak = 0
    for n in range(window):
        answer = days.get((today - timedelta(days=n)).isoformat())
        if answer in ("kept", "partly"):
            streak += 1
        elif answer == "skipped" or (n == 0 and answer is None):
            continue
        else:
            break
    counts = {a: sum(1 for x in recent if x == a) for a in ("kept", "partly", "slipped", "skipped")}
    return {"score": score, "streak": streak, "days": len(answered), **counts}
