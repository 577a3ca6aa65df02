"""Apology: five parts written one at a time, each checked for what would undermine it."""

from __future__ import annotations

from typing import Any

from flows import journey, menu
from flows.apology_check import Finding
from flows.engine import (
    Args,
    Choice,
    Context,
    DropDraft,
    Effect,
    Event,
    FlowState,
    Keep,
    Outcome,
    Quote,
    Say,
    SetProfile,
    button,
    entry,
    rows,
    unfinished,
)

name = "apology"
PARTS = ("what", "impact", "regret", "change", "ask")
steps = frozenset(PARTS)
entries = frozenset({"open", "new"})
ANSWER_LIMIT = 2000
# A reflection already holds three of the parts; offer them rather than asking twice.
FROM_REFLECTION = {"what": "did", "impact": "impact", "change": "change"}


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show the latest apology, resume an unfinished one, or start a new one."""
    resumed = unfinished(state, ctx, name, steps) if choice == "open" else None
    if resumed is not None:
        return resumed, journey.resuming(name, prompt(resumed, ctx))
    latest = ctx.records.latest(name)
    if choice == "open" and latest is not None:
        actions = rows(entry(name, "apology-btn-new", "new"), entry("menu", "btn-menu"))
        idle = state.to(menu.name, "idle")
        return idle, [Quote("apology-latest", str(latest.data.get("text", "")), actions)]
    new = state.to(name, PARTS[0])
    return new, [Say("apology-intro"), *prompt(new, ctx)]


def prompt(state: FlowState, ctx: Context) -> list[Effect]:
    """Ask for the current part, offering the matching reflection answer if there is one."""
    args: Args = {"number": PARTS.index(state.step) + 1, "total": len(PARTS)}
    choices = [journey.pause_button(name)]
    suggestion = _from_reflection(state.step, ctx)
    if suggestion:
        args["suggestion"] = suggestion
        choices.insert(0, button(name, "apology-btn-use", "use"))
        return [Say(f"apology-q-{state.step}-suggested", args, buttons=rows(*choices))]
    return [Say(f"apology-q-{state.step}", args, buttons=rows(*choices))]


def _from_reflection(part: str, ctx: Context) -> str:
    reflection = ctx.records.latest("journal")
    field = FROM_REFLECTION.get(part)
    if reflection is None or field is None:
        return ""
    return str(reflection.data.get(field, ""))


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Take one part, check it, and move on once it is written or kept."""
    if isinstance(event, Choice):
        return _choice(state, event.choice, ctx)
    text, problem = journey.written(event, ANSWER_LIMIT)
    return _checked(state, text, ctx) if text is not None else (state, problem)


def _checked(state: FlowState, text: str, ctx: Context) -> Outcome:
    findings = ctx.check(text)
    if not findings:
        return _accept(state, text, ctx)
    choices = rows(
        button(name, "apology-btn-rewrite", "rewrite"), button(name, "apology-btn-keep", "keep")
    )
    flagged = state.at(state.step, pending=text)
    return flagged, [Say("apology-findings", more=_explain(findings), buttons=choices)]


def _explain(findings: list[Finding]) -> tuple[tuple[str, Args], ...]:
    """Each finding: the phrase, why it hurts the apology, and a direction to try."""
    lines: list[tuple[str, Args]] = []
    for found in findings:
        args: Args = {"phrase": found.phrase}
        lines += [
            ("", {}),
            ("apology-flag", args),
            (f"apology-why-{found.category}", args),
            (f"apology-try-{found.category}", args),
        ]
    return tuple(lines)


def _choice(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "use":
        suggestion = _from_reflection(state.step, ctx)
        return _checked(state, suggestion, ctx) if suggestion else (state, [])
    if choice == "keep" and state.data.get("pending"):
        return _accept(state, str(state.data["pending"]), ctx)
    if choice == "rewrite" and state.data.get("pending"):
        data = {k: v for k, v in state.data.items() if k != "pending"}
        return state.to(name, state.step, data), [Say("apology-rewrite")]
    return journey.shared_choice(name, begin, state, choice, ctx) or (state, [])


def _accept(state: FlowState, text: str, ctx: Context) -> Outcome:
    data: dict[str, Any] = {k: v for k, v in state.data.items() if k != "pending"}
    data[state.step] = text
    index = PARTS.index(state.step)
    if index + 1 < len(PARTS):
        new = state.to(name, PARTS[index + 1], data)
        return new, prompt(new, ctx)
    return _finish(state, data, ctx)


def _finish(state: FlowState, parts: dict[str, Any], ctx: Context) -> Outcome:
    text = "\n\n".join(str(parts[p]) for p in PARTS)
    done = sorted({*ctx.profile.get("done", []), name})
    return state.to(menu.name, "idle"), [
        Keep(name, {**{p: parts[p] for p in PARTS}, "text": text}),
        DropDraft(name),
        SetProfile({"done": done}),
        Quote("apology-ready", text),
        Say("apology-after", buttons=rows(entry("menu", "btn-menu"))),
    ]
