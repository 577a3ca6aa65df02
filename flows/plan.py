"""Plan: amends, concrete commitments with their nudges, their asks, honesty about slips, review."""

from __future__ import annotations

import re
from typing import Any

from flows import journey, menu
from flows.engine import (
    Args,
    Button,
    Choice,
    Context,
    DropDraft,
    Effect,
    Event,
    FlowState,
    Keep,
    Keyboard,
    Outcome,
    Say,
    Schedule,
    SetProfile,
    Text,
    Unschedule,
    button,
    entry,
    rows,
    unfinished,
)
from flows.heat import HEATED

name = "plan"
# The questions in order; commitments loop through cadence, day and time until "that's all".
NEXT = {"amends": "commit", "more": "asks", "asks": "slip", "slip": "review"}
steps = frozenset({*NEXT, "commit", "cadence", "weekday", "time", "review", "remove", "card"})
entries = frozenset({"open", "new"})
TEXT_LIMIT = 300
MAX_COMMITMENTS = 5
CADENCES = ("daily", "weekdays", "weekly", "once", "none")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIMES = {"t09": "09:00", "t13": "13:00", "t19": "19:00", "t21": "21:00"}
REVIEW_TIME = "19:00"
# Sections of the card that can be edited on their own, and the step that edits each.
SECTIONS = {"amends": "amends", "commit": "commit", "remove": "remove", "asks": "asks"}
SECTIONS |= {"slip": "slip", "review": "review"}


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show the plan card, resume an unfinished plan, or build a new one."""
    if int(ctx.profile.get("heat", 0)) >= HEATED:
        calm_first = rows(entry("calm", "plan-btn-calm"), entry("menu", "btn-menu"))
        return state, [Say("plan-calm-first", buttons=calm_first)]
    resumed = unfinished(state, ctx, name, steps) if choice == "open" else None
    if resumed is not None and resumed.step != "card":
        return resumed, journey.resuming(name, prompt(resumed, ctx))
    latest = ctx.records.latest(name)
    if choice == "open" and latest is not None:
        shown = state.to(name, "card", dict(latest.data))
        return shown, [card(shown.data, editing=True)]
    new = state.to(name, "amends", {"commitments": [], "asks": []})
    return new, [Say("plan-intro"), *prompt(new, ctx)]


def prompt(state: FlowState, ctx: Context) -> list[Effect]:
    """Ask what the current step needs."""
    skip = button(name, "plan-btn-skip", "skip")
    pause = journey.pause_button(name)
    data = state.data
    match state.step:
        case "amends":
            return [Say("plan-q-amends", buttons=rows(skip, pause))]
        case "commit":
            number = len(data.get("commitments", [])) + 1
            return [Say("plan-q-commit", {"number": number}, buttons=rows(pause))]
        case "cadence":
            labels = [button(name, f"plan-cadence-{c}", c) for c in CADENCES]
            return [Say("plan-q-cadence", buttons=rows(*labels, width=2))]
        case "weekday":
            days = [button(name, f"plan-day-{d}", d) for d in WEEKDAYS]
            return [Say("plan-q-weekday", buttons=rows(*days, width=4))]
        case "time":
            times = [button(name, f"plan-time-{t}", t) for t in TIMES]
            return [Say("plan-q-time", buttons=rows(*times, width=4))]
        case "more":
            more = [button(name, "plan-btn-add", "add"), button(name, "plan-btn-enough", "enough")]
            if len(data.get("commitments", [])) >= MAX_COMMITMENTS:
                more = more[1:]
            return [Say("plan-q-more", buttons=rows(*more))]
        case "asks":
            return _ask_asks(state, ctx)
        case "slip":
            return [Say("plan-q-slip", buttons=rows(skip, pause))]
        case "review":
            days = [button(name, f"plan-day-{d}", d) for d in WEEKDAYS]
            days.append(button(name, "plan-btn-no-review", "none"))
            return [Say("plan-q-review", buttons=rows(*days, width=4))]
        case "remove":
            items = [
                button(name, "plan-remove-item", f"r{i}", text=_short(str(c.get("text", ""))))
                for i, c in enumerate(data.get("commitments", []))
            ]
            items.append(button(name, "plan-btn-back", "back"))
            return [Say("plan-q-remove", buttons=rows(*items))]
    return [card(data, editing=True)]


def _ask_asks(state: FlowState, ctx: Context) -> list[Effect]:
    done = button(name, "plan-btn-done", "done")
    asked = [str(a.data.get("text", "")) for a in ctx.records.of("asks") if a.data.get("text")]
    if asked and not state.data.get("asks"):
        use = button(name, "plan-btn-use-asks", "use")
        args: Args = {"asked": "\n".join(f"• {a}" for a in asked[:3])}
        return [Say("plan-q-asks-known", args, buttons=rows(use, done))]
    return [Say("plan-q-asks", {"count": len(state.data.get("asks", []))}, buttons=rows(done))]


def _asks_added(count: int) -> Say:
    done = rows(button(name, "plan-btn-done", "done"))
    return Say("plan-asks-added", {"count": count}, buttons=done)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Take one answer for the current step."""
    if isinstance(event, Choice):
        return _choice(state, event.choice, ctx)
    if not isinstance(event, Text):
        return state, [Say("reflect-text-only")]
    text = event.text.strip()
    if state.step in ("cadence", "weekday", "more", "review", "remove", "card"):
        return state, [Say("use-buttons")]
    if state.step == "time":
        typed = _clock(text)
        if typed is None:
            return state, [Say("plan-time-invalid")]
        return _timed(state, typed, ctx)
    if len(text) > TEXT_LIMIT:
        return state, [Say("answer-too-long", {"limit": TEXT_LIMIT})]
    if state.step == "commit":
        if ctx.is_vague(text) and state.data.get("vague") != text:
            keep = rows(button(name, "plan-btn-keep", "keep"))
            return state.at("commit", vague=text), [Say("plan-vague", buttons=keep)]
        return _committed(state, text, ctx)
    if state.step == "asks":
        asks = [*state.data.get("asks", []), text]
        new = state.at("asks", asks=asks)
        return new, [_asks_added(len(asks))]
    return _next(state.at(state.step, **{state.step: text}), ctx)


CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})", re.ASCII)


def _clock(text: str) -> str | None:
    """A typed time like "7:30" or "19.30" as "HH:MM"."""
    found = CLOCK.fullmatch(text)
    if found is None:
        return None
    h, m = int(found.group(1)), int(found.group(2))
    return f"{h:02d}:{m:02d}" if h < 24 and m < 60 else None


def _committed(state: FlowState, text: str, ctx: Context) -> Outcome:
    data = {k: v for k, v in state.data.items() if k != "vague"}
    data["current"] = {"text": text}
    new = state.to(name, "cadence", data)
    return new, prompt(new, ctx)


def _choice(state: FlowState, choice: str, ctx: Context) -> Outcome:
    data = state.data
    shared = journey.shared_choice(name, begin, state, choice, ctx)
    if shared is not None:
        return shared
    match state.step:
        case "amends" | "slip" if choice == "skip":
            return _next(state.at(state.step, **{state.step: ""}), ctx)
        case "commit" if choice == "keep" and data.get("vague"):
            return _committed(state, str(data["vague"]), ctx)
        case "cadence" if choice in CADENCES:
            current = {**data.get("current", {}), "cadence": choice}
            if choice == "none":
                return _add_commitment(state, current, ctx)
            follow = "weekday" if choice == "weekly" else "time"
            new = state.at(follow, current=current)
            return new, prompt(new, ctx)
        case "weekday" if choice in WEEKDAYS:
            new = state.at("time", current={**data.get("current", {}), "day": choice})
            return new, prompt(new, ctx)
        case "time" if choice in TIMES:
            return _timed(state, TIMES[choice], ctx)
        case "more" if choice == "add" and len(data.get("commitments", [])) < MAX_COMMITMENTS:
            new = state.at("commit")
            return new, prompt(new, ctx)
        case "more" if choice == "enough":
            return _next(state, ctx)
        case "asks" if choice == "use":
            asked = [str(a.data.get("text", "")) for a in ctx.records.of("asks")]
            new = state.at("asks", asks=[a for a in asked if a][:3])
            return new, [_asks_added(len(new.data["asks"]))]
        case "asks" if choice == "done":
            return _next(state, ctx)
        case "review" if choice in (*WEEKDAYS, "none"):
            return _next(state.at("review", review=choice), ctx)
        case "remove" if re.fullmatch(r"r\d{1,2}", choice, re.ASCII):
            kept = list(data.get("commitments", []))
            if int(choice[1:]) < len(kept):
                kept.pop(int(choice[1:]))
            return _save(state.at("card", commitments=kept), ctx)
        case "remove" if choice == "back":
            return state.at("card"), [card(data, editing=True)]
        case "card" if choice == "done":
            return menu.begin(state, ctx)
        case "card" if choice in SECTIONS:
            new = state.at(SECTIONS[choice], editing=True)
            return new, prompt(new, ctx)
    return state, []


def _timed(state: FlowState, at: str, ctx: Context) -> Outcome:
    return _add_commitment(state, {**state.data.get("current", {}), "time": at}, ctx)


def _add_commitment(state: FlowState, current: dict[str, Any], ctx: Context) -> Outcome:
    commitments = [*state.data.get("commitments", []), current]
    data = {k: v for k, v in state.data.items() if k != "current"}
    new = state.to(name, "more", {**data, "commitments": commitments})
    if data.get("editing"):
        return _save(new.at("card"), ctx)
    return new, [Say("plan-commit-added"), *prompt(new, ctx)]


def _next(state: FlowState, ctx: Context) -> Outcome:
    """The step after this one, or back to the card when only one section was being edited."""
    following = NEXT.get(state.step)
    if state.data.get("editing") or following is None:
        return _save(state.at("card"), ctx)
    new = state.at(following)
    return new, prompt(new, ctx)


def _save(state: FlowState, ctx: Context) -> Outcome:
    plan = {k: v for k, v in state.data.items() if k not in ("editing", "current", "vague")}
    done = sorted({*ctx.profile.get("done", []), name})
    shown = state.to(name, "card", plan)
    return shown, [
        Keep(name, plan),
        DropDraft(name),
        SetProfile({"done": done}),
        *_reminders(plan),
        Say("plan-saved"),
        card(plan, editing=True),
    ]


def _reminders(plan: dict[str, Any]) -> list[Effect]:
    """A nudge for each commitment with a time, and one for the review day; stale ones go."""
    effects: list[Effect] = []
    commitments = plan.get("commitments", [])
    for index in range(MAX_COMMITMENTS):
        key = f"plan:c{index}"
        rule = _rule(commitments[index]) if index < len(commitments) else None
        if rule:
            effects.append(Schedule(key, "nudge", payload={"index": index}, rule=rule))
        else:
            effects.append(Unschedule(key))
    review = plan.get("review")
    if review in WEEKDAYS:
        rule = f"weekly {review} {REVIEW_TIME}"
        effects.append(Schedule("plan:review", "plan_review", rule=rule))
    else:
        effects.append(Unschedule("plan:review"))
    return effects


def _rule(commitment: dict[str, Any]) -> str | None:
    """The recurrence for a commitment's nudge, if it asked for one."""
    cadence, at = commitment.get("cadence"), commitment.get("time")
    if not at or cadence in (None, "none"):
        return None
    if cadence == "weekly":
        return f"weekly {commitment.get('day', 'sun')} {at}"
    if cadence == "once":
        return f"once {at}"
    return f"{cadence} {at}"


def card(plan: dict[str, Any], *, editing: bool) -> Say:
    """The plan as one readable message, with a button for each part that can be changed."""
    lines: list[tuple[str, Args]] = []
    if plan.get("amends"):
        lines += [("", {}), ("plan-card-amends", {"text": str(plan["amends"])})]
    commitments = plan.get("commitments", [])
    if commitments:
        lines += [("", {}), ("plan-card-commitments", {})]
        lines += [("plan-card-commitment", _commitment_args(c)) for c in commitments]
    if plan.get("asks"):
        lines += [("", {}), ("plan-card-asks", {})]
        lines += [("plan-card-item", {"text": str(a)}) for a in plan["asks"]]
    if plan.get("slip"):
        lines += [("", {}), ("plan-card-slip", {"text": str(plan["slip"])})]
    if plan.get("review") in WEEKDAYS:
        lines += [("", {}), ("plan-card-review", {"day": str(plan["review"])})]
    buttons: Keyboard = ()
    if editing:
        edits: list[Button] = [
            button(name, "plan-edit-amends", "amends"),
            button(name, "plan-edit-commit", "commit"),
        ]
        if commitments:
            edits.append(button(name, "plan-edit-remove", "remove"))
        edits += [
            button(name, "plan-edit-asks", "asks"),
            button(name, "plan-edit-slip", "slip"),
            button(name, "plan-edit-review", "review"),
        ]
        buttons = rows(*edits, width=2) + rows(entry("menu", "btn-menu"))
    return Say("plan-card", more=tuple(lines), buttons=buttons)


def _commitment_args(commitment: dict[str, Any]) -> Args:
    return {
        "text": str(commitment.get("text", "")),
        "cadence": str(commitment.get("cadence", "none")),
        "day": str(commitment.get("day", "")),
        "time": str(commitment.get("time", "")),
    }
