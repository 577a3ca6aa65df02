"""When someone may be in crisis: whatever flow they were in pauses, and help comes first.

It opens on its own when a message speaks of self-harm, violence or abuse, and by /sos at any
time. Nothing goes on until the person chooses to: their words are not taken as an answer to
the question they were on.
"""

from __future__ import annotations

from typing import Any

from flows.engine import (
    Button,
    Context,
    Event,
    FlowState,
    Helplines,
    Outcome,
    Say,
    SetProfile,
    Text,
    entry,
    rows,
)

name = "sos"
steps = frozenset({"paused"})
entries = frozenset({"open", "resume", "mistaken"})
# Which helplines each kind calls for: someone who used violence gets help to stop.
HELP = {"self_harm": "crisis", "violence": "stop", "abuse": "abuse", "sos": "crisis"}
# What switches reconciliation off: violence used, or someone being hurt or afraid.
UNSAFE = ("violence", "abuse")


def hit(state: FlowState, kind: str, ctx: Context) -> Outcome:
    """Pause where they were and answer calmly: who can help now, and a way to ground."""
    was = where(state)
    paused = state.to(name, "paused", {"was": was, "kind": kind})
    effects: list[Any] = []
    if was is not None:
        # Kept in the profile too, so "go on" still works after a grounding exercise.
        effects.append(SetProfile({"sos_was": {"flow": was["flow"], "step": was["step"]}}))
    if kind in UNSAFE:
        # Meeting, reaching out and pairing stop until they say this was not what they meant.
        effects.append(SetProfile({"unsafe": {"kind": kind, "since": ctx.now.isoformat()}}))
    marked = kind in UNSAFE or unsafe(ctx)
    buttons = _buttons(was, marked)
    effects += [Say(f"sos-{kind}"), Helplines("sos-help", HELP[kind], buttons=buttons)]
    return paused, effects


def where(state: FlowState) -> dict[str, Any] | None:
    """The flow they were in before this, if it is one worth going back to."""
    if state.flow == name:
        was: dict[str, Any] | None = state.data.get("was")
        return was
    if state.flow == "menu":
        return None
    return {"flow": state.flow, "step": state.step, "data": dict(state.data)}


def _buttons(was: dict[str, Any] | None, marked: bool) -> tuple[tuple[Button, ...], ...]:
    """Ways on: calm first, back to where they were, and taking back an unsafe reading."""
    items = [entry("calm", "sos-btn-ground", "ground"), entry("calm", "sos-btn-breathe", "breathe")]
    if was is not None:
        items.append(entry(name, "sos-btn-resume", "resume"))
    if marked:
        items.append(entry(name, "sos-btn-mistaken", "mistaken"))
    items.append(entry("menu", "btn-menu"))
    return rows(*items)


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """/sos shows the same help at any time; "mistaken" takes back an unsafe reading."""
    if choice == "mistaken":
        was = where(state)
        back = rows(entry(name, "sos-btn-resume", "resume")) if was else ()
        return state, [
            SetProfile({"unsafe": None}),
            Say("sos-mistaken", buttons=back + rows(entry("menu", "btn-menu"))),
        ]
    # "resume" is the dispatcher's, which knows every flow; anything else is /sos itself.
    return hit(state, "sos", ctx)


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """While paused, what they write is not an answer to anything: a gentle word, the ways on."""
    if isinstance(event, Text):
        marked = state.data.get("kind") in UNSAFE or unsafe(ctx)
        return state, [Say("sos-still", buttons=_buttons(where(state), marked))]
    return state, []


def unsafe(ctx: Context) -> bool:
    """Whether reconciliation is off for them: they spoke of violence, abuse or fear."""
    return bool(ctx.profile.get("unsafe"))
