"""Reflect: four guided questions about what happened, kept as a dated journal entry."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flows import menu
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
    Text,
    button,
    entry,
    rows,
    unfinished,
)

name = "reflect"
QUESTIONS = ("did", "impact", "roots", "change")
steps = frozenset(QUESTIONS)
entries = frozenset({"open"})
ANSWER_LIMIT = 3000
# Shorter answers are usually "I messed up"; one gentle nudge towards the concrete, then accept.
CONCRETE_MIN = 20


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Start the questions, or pick up an unfinished reflection where it was left."""
    resumed = unfinished(state, ctx, name, steps)
    if resumed is not None:
        restart = rows(button(name, "btn-start-over", "restart"))
        return resumed, [Say("resume-note", buttons=restart), *prompt(resumed)]
    new = state.to(name, QUESTIONS[0])
    return new, [Say("reflect-intro"), *prompt(new)]


def prompt(state: FlowState) -> list[Effect]:
    """Ask the current question, with its example and a way to pause."""
    number = QUESTIONS.index(state.step) + 1
    pause = rows(button(name, "btn-pause", "pause"))
    args: dict[str, str | int] = {"number": number, "total": len(QUESTIONS)}
    return [Say(f"reflect-q-{state.step}", args, buttons=pause)]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Take one answer and move on; the last one is saved to the journal."""
    if isinstance(event, Choice):
        return _choice(state, event.choice, ctx)
    if not isinstance(event, Text):
        return state, [Say("reflect-text-only")]
    answer = event.text.strip()
    if len(answer) > ANSWER_LIMIT:
        return state, [Say("answer-too-long", {"limit": ANSWER_LIMIT})]
    if state.step == "did" and len(answer) < CONCRETE_MIN and not state.data.get("nudged"):
        keep = rows(button(name, "reflect-btn-keep", "keep"))
        return state.at("did", nudged=True, pending=answer), [Say("reflect-nudge", buttons=keep)]
    return _answered(state, answer, ctx)


def _choice(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "keep" and state.data.get("pending"):
        return _answered(state, str(state.data["pending"]), ctx)
    if choice == "restart":
        fresh = FlowState(version=state.version)
        new, effects = begin(fresh, _without_draft(ctx))
        return new, [DropDraft(name), *effects]
    if choice == "pause":
        new, effects = menu.begin(state, ctx)
        return new, [Say("journey-paused", {"command": name}), *effects]
    return state, []


def _without_draft(ctx: Context) -> Context:
    drafts = {k: v for k, v in ctx.records.drafts.items() if k != name}
    return replace(ctx, records=replace(ctx.records, drafts=drafts))


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
