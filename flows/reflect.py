"""Reflect: four guided questions about what happened, kept as a dated journal entry."""

from __future__ import annotations

from typing import Any

from flows import journey, menu
from flows.engine import (
    Choice,
    Context,
    DropDraft,
    Effect,
    Event,
    FlowState,
    Keep,
    Outcome,
    Say,
    SetProfile,
    button,
    entry,
    rows,
    unfinished,
)

name = "reflect"
QUESTIONS = ("did", "impact", "roots", "change")
steps = frozenset(QUESTIONS)
entries = frozenset({"open", "new"})
ANSWER_LIMIT = 3000
# Shorter answers are usually "I messed up"; one gentle nudge towards the concrete, then accept.
CONCRETE_MIN = 20


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Start the questions, or pick up an unfinished reflection where it was left."""
    resumed = unfinished(state, ctx, name, steps) if choice == "open" else None
    if resumed is not None:
        return resumed, journey.resuming(name, prompt(resumed))
    new = state.to(name, QUESTIONS[0])
    return new, [Say("reflect-intro"), *prompt(new)]


def prompt(state: FlowState) -> list[Effect]:
    """Ask the current question, with its example and a way to pause."""
    number = QUESTIONS.index(state.step) + 1
    pause = rows(journey.pause_button(name))
    args: dict[str, str | int] = {"number": number, "total": len(QUESTIONS)}
    return [Say(f"reflect-q-{state.step}", args, buttons=pause)]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Take one answer and move on; the last one is saved to the journal."""
    if isinstance(event, Choice):
        return _choice(state, event.choice, ctx)
    answer, problem = journey.written(event, ANSWER_LIMIT)
    if answer is None:
        return state, problem
    if state.step == "did" and len(answer) < CONCRETE_MIN and not state.data.get("nudged"):
        keep = rows(button(name, "reflect-btn-keep", "keep"))
        return state.at("did", nudged=True, pending=answer), [Say("reflect-nudge", buttons=keep)]
    return _answered(state, answer, ctx)


def _choice(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "keep" and state.data.get("pending"):
        return _answered(state, str(state.data["pending"]), ctx)
    return journey.shared_choice(name, begin, state, choice, ctx) or (state, [])


def _answered(state: FlowState, answer: str, ctx: Context) -> Outcome:
    data: dict[str, Any] = {k: v for k, v in state.data.items() if k not in ("pending", "nudged")}
    data[state.step] = answer
    index = QUESTIONS.index(state.step)
    if index + 1 < len(QUESTIONS):
        new = state.to(name, QUESTIONS[index + 1], data)
        return new, prompt(new)
    return _finish(state, data, ctx)


def _finish(state: FlowState, answers: dict[str, Any], ctx: Context) -> Outcome:
    done = sorted({*ctx.profile.get("done", []), name})
    after = rows(entry("journal", "reflect-btn-journal"), entry("menu", "btn-menu"))
    return state.to(menu.name, "idle"), [
        Keep("journal", {"type": "reflection", **{k: answers[k] for k in QUESTIONS}}),
        DropDraft(name),
        SetProfile({"done": done}),
        Say("reflect-saved", buttons=after),
    ]
