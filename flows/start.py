"""The intake: six taps that shape the path, then routing by heat and the other person's wishes."""

from __future__ import annotations

from typing import Any

from flows import calm, menu
from flows.engine import (
    Choice,
    Context,
    Edit,
    Event,
    FlowState,
    Helplines,
    Keyboard,
    Outcome,
    Say,
    SetProfile,
    Text,
    button,
    rows,
)
from flows.heat import HEAT_CHOICES, HEATED, heat_buttons, parse_heat

name = "start"

LANGUAGES = ("en", "ru")
WHO = ("partner", "friend", "family", "colleague", "group")
WHAT = ("promise", "lie", "words", "neglect", "betrayal", "secret", "physical", "other")
SEVERITY = ("minor", "serious", "grave")
OPENNESS = ("yes", "unsure", "no")

# Each step: the question's locale key, its choices, how many buttons per row.
QUESTIONS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "lang": ("start-lang", LANGUAGES, 2),
    "who": ("start-who", WHO, 1),
    "what": ("start-what", WHAT, 2),
    "severity": ("start-severity", SEVERITY, 1),
    "openness": ("start-openness", OPENNESS, 1),
}
ORDER = ("lang", "who", "what", "severity", "openness", "heat")
steps = frozenset(ORDER)
entries = frozenset({"open"})


# The questions share one message, edited in place as each is answered, so the intake does not
# leave a trail of old keyboards behind it.
QUESTION_REF = "start:question"


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Welcome the user and ask the first question."""
    new = state.to(name, "lang")
    key, buttons = _question(new)
    return new, [Say("start-welcome"), Say(key, buttons=buttons, ref=QUESTION_REF)]


def resume(state: FlowState, ctx: Context) -> Outcome:
    """The question they were on, asked again below (after a pause for help)."""
    key, buttons = _question(state)
    return state, [Say(key, buttons=buttons, ref=QUESTION_REF)]


def _question(state: FlowState) -> tuple[str, Keyboard]:
    if state.step == "heat":
        return "start-heat", heat_buttons(name)
    key, choices, width = QUESTIONS[state.step]
    labels = [button(name, f"{key}-{c}", c) for c in choices]
    return key, rows(*labels, width=width)


def _ask(state: FlowState) -> Edit:
    key, buttons = _question(state)
    return Edit(QUESTION_REF, key, buttons=buttons)


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Record one answer and ask the next question, or finish."""
    if state.step == "heat":
        heat = _heat_answer(event)
        if heat is None:
            return state, [Say("heat-invalid")]
        return finish(state, heat, ctx)
    if not isinstance(event, Choice):
        return state, [Say("start-use-buttons")]
    _, choices, _ = QUESTIONS.get(state.step, ("", (), 0))
    if event.choice not in choices:
        return state, []
    effects: list[Edit | SetProfile] = []
    if state.step == "lang":
        effects.append(SetProfile({"locale": event.choice}))
    new = state.at(ORDER[ORDER.index(state.step) + 1], **{state.step: event.choice})
    return new, [*effects, _ask(new)]


def _heat_answer(event: Event) -> int | None:
    if isinstance(event, Choice):
        return HEAT_CHOICES.get(event.choice)
    if isinstance(event, Text):
        return parse_heat(event.text)
    return None


def finish(state: FlowState, heat: int, ctx: Context) -> Outcome:
    """Save the intake and route: heated -> calm, "they said no" -> respect, else the menu."""
    intake = {k: state.data[k] for k in ("who", "what", "severity", "openness") if k in state.data}
    values: dict[str, Any] = {"intake": intake, "heat": heat, "intake_done": True}
    if intake.get("what") == "physical":
        # Violence is not a trust problem: reconciliation stays off, and help to stop comes first.
        values["unsafe"] = {"kind": "violence", "since": ctx.now.isoformat()}
    saved = SetProfile(values)
    routed = ctx.with_profile(**values)
    done = Edit(QUESTION_REF, "start-thanks")
    if "unsafe" in values:
        new, effects = menu.begin(state, routed, "intake")
        help_to_stop = Helplines("sos-help", "stop")
        return new, [saved, done, Say("safety-intake-violence"), help_to_stop, *effects]
    if heat >= HEATED:
        new, effects = calm.begin(state, routed, "first")
        return new, [saved, done, *effects]
    if intake.get("openness") == "no":
        new, effects = menu.begin(state, routed, "declined")
        return new, [saved, done, *effects]
    new, effects = menu.begin(state, routed, "intake")
    return new, [saved, done, *effects]
