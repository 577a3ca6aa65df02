"""What the journey flows (reflect, apology, meet, plan) share: pausing, resuming, starting over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flows import menu
from flows.engine import (
    Button,
    Context,
    DropDraft,
    Effect,
    Event,
    FlowState,
    Outcome,
    Say,
    Text,
    button,
    rows,
)

Begin = Callable[[FlowState, Context, str], Outcome]


def pause_button(flow: str) -> Button:
    """The [Pause for now] button every long step carries."""
    return button(flow, "btn-pause", "pause")


def resuming(flow: str, prompt: list[Effect]) -> list[Effect]:
    """Say where the user left off, with a way to start over, then ask again."""
    restart = rows(button(flow, "btn-start-over", "restart"))
    return [Say("resume-note", buttons=restart), *prompt]


def written(event: Event, limit: int) -> tuple[str | None, list[Effect]]:
    """The text of a written answer, or what to say when the event is not a usable one."""
    if not isinstance(event, Text):
        return None, [Say("reflect-text-only")]
    text = event.text.strip()
    if len(text) > limit:
        return None, [Say("answer-too-long", {"limit": limit})]
    return text, []


def shared_choice(
    flow: str, begin: Begin, state: FlowState, choice: str, ctx: Context
) -> Outcome | None:
    """Pause (answers kept as a draft by the dispatcher) or start over; None for other choices."""
    if choice == "pause":
        new, effects = menu.begin(state, ctx)
        return new, [Say("journey-paused", {"command": flow}), *effects]
    if choice == "restart":
        drafts = {k: v for k, v in ctx.records.drafts.items() if k != flow}
        clean = replace(ctx, records=replace(ctx.records, drafts=drafts))
        new, effects = begin(FlowState(version=state.version), clean, "new")
        return new, [DropDraft(flow), *effects]
    return None
