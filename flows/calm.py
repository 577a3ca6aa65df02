"""Calm first: paced breathing, 5-4-3-2-1 grounding, writing it out, then a fresh heat check."""

from __future__ import annotations

from flows import menu
from flows.engine import (
    CancelPending,
    Choice,
    Context,
    DropParked,
    Edit,
    Effect,
    Event,
    FlowState,
    Keyboard,
    NonText,
    Outcome,
    Park,
    Say,
    Schedule,
    SetProfile,
    ShowParked,
    Text,
    Timer,
    Unschedule,
    button,
    entry,
    later,
    rows,
)
from flows.heat import HEAT_CHOICES, HEATED, heat_buttons, heat_entries, parse_heat

name = "calm"
steps = frozenset({"choose", "breathing", "grounding", "write", "parked", "rate", "still_hot"})
entries = frozenset({"open", "parked", "letgo", "keepit", "ground", "breathe", *HEAT_CHOICES})

BREATH_REF = "calm:breath"
GROUND_REF = "calm:ground"
# One breath: in for 4, hold for 4, out for 6 seconds; the slow exhale is what settles the body.
BREATH_PHASES = (("calm-breath-in", 4), ("calm-breath-hold", 4), ("calm-breath-out", 6))
BREATH_ROUNDS = 3
GROUND_SENSES = (5, 4, 3, 2, 1)
PARKED_LIMIT = 4096
CHECKBACK_MINUTES = {"in30m": 30, "in2h": 120}


def _tools(key: str = "calm-choose") -> list[Effect]:
    return [
        Say(
            key,
            buttons=rows(
                button(name, "calm-btn-breathe", "breathe"),
                button(name, "calm-btn-ground", "ground"),
                button(name, "calm-btn-write", "write"),
                button(name, "btn-not-now", "leave"),
            ),
        )
    ]


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Enter the calm flow: "first" after a heated intake, a heat rating from a check-back."""
    if choice in HEAT_CHOICES:
        return _rate(state.to(name, "rate"), Choice(choice), ctx)
    if choice == "parked":
        return state, [ShowParked("calm-parked-show", "calm-parked-none", buttons=_menu_row())]
    if choice == "letgo":
        return state, [DropParked(), Say("calm-parked-dropped", buttons=_menu_row())]
    if choice == "keepit":
        return state, [Say("calm-parked-kept", buttons=_menu_row())]
    new = state.to(name, "choose")
    if choice == "ground":
        return _ground(new, 0, fresh=True)
    if choice == "breathe":
        return _breathe(new)
    return new, _tools("calm-intro-first" if choice == "first" else "calm-intro")


def leave() -> list[Effect]:
    """Leaving the flow stops a breathing guide still editing its message."""
    return [CancelPending(BREATH_REF)]


def _menu_row() -> Keyboard:
    return rows(entry("menu", "btn-menu"))


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """React to one event in the calm flow."""
    handler = {
        "choose": _choose,
        "breathing": _breathing,
        "grounding": _grounding,
        "write": _write,
        "parked": _parked,
        "rate": _rate,
        "still_hot": _still_hot,
    }[state.step]
    return handler(state, event, ctx)


def _choose(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice == "breathe":
        return _breathe(state)
    if event.choice == "ground":
        return _ground(state, 0, fresh=True)
    if event.choice == "write":
        return state.at("write"), [_write_prompt()]
    if event.choice == "leave":
        return menu.begin(state, ctx)
    return state, []


def _breathe(state: FlowState) -> Outcome:
    """One message, edited in place for each phase, so the chat is not flooded."""
    stop = rows(button(name, "calm-btn-stop", "stop"))
    effects: list[Effect] = [CancelPending(BREATH_REF)]
    first = True
    delay = 0.0
    for round_no in range(1, BREATH_ROUNDS + 1):
        for key, seconds in BREATH_PHASES:
            args: dict[str, str | int] = {"seconds": seconds, "round": round_no}
            args["rounds"] = BREATH_ROUNDS
            if first:
                effects.append(Say(key, args, stop, ref=BREATH_REF))
                first = False
            else:
                effects.append(Edit(BREATH_REF, key, args, stop, delay=delay))
            delay = seconds
    effects.append(Edit(BREATH_REF, "calm-breath-done", buttons=_after(), delay=delay))
    return state.at("breathing"), effects


def _after() -> Keyboard:
    return rows(
        button(name, "calm-btn-calmer", "calmer"),
        button(name, "calm-btn-breathe", "again"),
        button(name, "calm-btn-ground", "ground"),
        button(name, "calm-btn-write", "write"),
        width=2,
    )


def _breathing(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice == "stop":
        return state, [
            CancelPending(BREATH_REF),
            Edit(BREATH_REF, "calm-breath-stopped", buttons=_after()),
        ]
    if event.choice == "again":
        return _breathe(state)
    if event.choice == "ground":
        return _ground(state, 0, fresh=True, cancel=True)
    if event.choice == "write":
        return state.at("write"), [*leave(), _write_prompt()]
    if event.choice == "calmer":
        return _ask_rate(state, cancel=True)
    return state, []


def _ground(state: FlowState, index: int, *, fresh: bool, cancel: bool = False) -> Outcome:
    senses = GROUND_SENSES[index]
    key = f"calm-ground-{senses}"
    next_btn = rows(
        button(name, "calm-btn-done-sense", "next"), button(name, "calm-btn-stop", "stop")
    )
    effects: list[Effect] = [CancelPending(BREATH_REF)] if cancel else []
    effects.append(
        Say(key, buttons=next_btn, ref=GROUND_REF)
        if fresh
        else Edit(GROUND_REF, key, buttons=next_btn)
    )
    return state.at("grounding", sense=index), effects


def _grounding(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice == "stop":
        return state.at("breathing"), [Edit(GROUND_REF, "calm-ground-stopped", buttons=_after())]
    if event.choice != "next":
        return state, []
    index = int(state.data.get("sense", 0)) + 1
    if index < len(GROUND_SENSES):
        return _ground(state, index, fresh=False)
    return state.at("breathing"), [Edit(GROUND_REF, "calm-ground-done", buttons=_after())]


def _write_prompt() -> Say:
    return Say("calm-write-prompt", buttons=rows(button(name, "btn-not-now", "skip")))


def _write(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if isinstance(event, Choice) and event.choice == "skip":
        return state.at("choose"), _tools()
    if isinstance(event, NonText) or not isinstance(event, Text):
        return state, [Say("calm-write-text-only")]
    text = event.text.strip()
    if not text:
        return state, [Say("calm-write-empty")]
    if len(text) > PARKED_LIMIT:
        return state, [Say("calm-write-too-long", {"limit": PARKED_LIMIT})]
    offer = rows(
        button(name, "calm-btn-show-tomorrow", "tomorrow"),
        button(name, "calm-btn-no-need", "no"),
    )
    return state.at("parked", parked_at=ctx.now.isoformat()), [
        Park(text),
        SetProfile({"has_parked": True}),
        Say("calm-parked", buttons=offer),
    ]


def _parked(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if isinstance(event, Text) and event.text.strip():
        # Telegram splits a long message in two; the rest belongs with what was just parked.
        return state, [Park(event.text.strip(), append=True), Say("calm-parked-more")]
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice == "tomorrow":
        at = {"at": str(state.data.get("parked_at", ctx.now.isoformat()))}
        review = Schedule("calm:parked", "parked_review", later(ctx, days=1), at)
        new, effects = _ask_rate(state)
        return new, [review, Say("calm-parked-later"), *effects]
    if event.choice == "no":
        return _ask_rate(state)
    return state, []


def _ask_rate(state: FlowState, *, cancel: bool = False) -> Outcome:
    effects: list[Effect] = [CancelPending(BREATH_REF)] if cancel else []
    effects.append(Say("calm-rate", buttons=heat_buttons(name)))
    return state.at("rate"), effects


def _rate(state: FlowState, event: Event, ctx: Context) -> Outcome:
    heat: int | None = None
    if isinstance(event, Choice):
        heat = HEAT_CHOICES.get(event.choice)
    elif isinstance(event, Text):
        heat = parse_heat(event.text)
    if heat is None:
        return state, [Say("heat-invalid"), Say("calm-rate", buttons=heat_buttons(name))]
    saved = SetProfile({"heat": heat})
    settled: list[Effect] = [saved, Unschedule("calm:checkback")]
    if heat >= HEATED:
        offer = rows(
            button(name, "calm-btn-in30m", "in30m"),
            button(name, "calm-btn-in2h", "in2h"),
            button(name, "calm-btn-no-thanks", "no"),
        )
        return state.at("still_hot", heat=heat), [saved, Say("calm-still-hot", buttons=offer)]
    new, effects = menu.begin(state, ctx.with_profile(heat=heat))
    return new, [*settled, Say("calm-settled"), *effects]


def _still_hot(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    minutes = CHECKBACK_MINUTES.get(event.choice)
    if minutes is not None:
        checkback = Schedule("calm:checkback", "calm_checkback", later(ctx, minutes=minutes))
        new, effects = menu.begin(state, ctx)
        return new, [checkback, Say(f"calm-checkback-set-{event.choice}"), *effects]
    if event.choice == "no":
        new, effects = menu.begin(state, ctx)
        return new, [Unschedule("calm:checkback"), Say("calm-take-care"), *effects]
    return state, []


def on_timer(event: Timer, ctx: Context) -> list[Effect]:
    """What a calm reminder says when it comes due; its buttons work on any later message."""
    if event.kind == "calm_checkback":
        return [Say("calm-checkback", buttons=heat_entries(name) + _menu_row())]
    if event.kind == "parked_review":
        before = str(event.payload.get("at", "")) or None
        choices = rows(
            entry(name, "calm-btn-letgo", "letgo"), entry(name, "calm-btn-keepit", "keepit")
        )
        return [ShowParked("calm-parked-review", "calm-parked-none", choices, before)]
    return []


TIMERS = frozenset({"calm_checkback", "parked_review"})
