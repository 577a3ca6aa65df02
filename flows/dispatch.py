"""The top of every conversation: commands, button checks and routing to the current flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from flows import (
    apology,
    calm,
    checkin,
    group,
    journal,
    meet,
    menu,
    nudge,
    pairing,
    partner,
    pause,
    plan,
    privacy,
    progress,
    reflect,
    settings,
    sos,
    space,
    start,
    trust,
)
from flows import help as help_flow
from flows.engine import (
    Choice,
    Command,
    Context,
    DropDraft,
    Effect,
    Event,
    Flow,
    FlowState,
    Located,
    NonText,
    Outcome,
    Press,
    SaveDraft,
    Say,
    SetProfile,
    Text,
    Timer,
    Toast,
    b36,
    decode,
    settle,
)

FLOWS: Final[dict[str, Flow]] = {
    f.name: f
    for f in (
        *(start, calm, menu, help_flow, settings, reflect),
        *(journal, apology, meet, plan, nudge, pause, checkin, progress, space),
        *(pairing, partner, trust, sos, privacy),
    )
}
# Journey flows keep what the user wrote when they step away, and pick up there next time.
RESUMABLE: Final = frozenset({reflect.name, apology.name, meet.name, plan.name})
# Commands that open a flow, in the order Telegram's command menu lists them.
# Commands whose flow has another name, and the choice they open it with.
ALIASES: Final[dict[str, tuple[str, str]]] = {
    "invite": ("pairing", "open"),
    "export": ("privacy", "export"),
    "delete": ("privacy", "delete"),
}
COMMANDS: Final[dict[str, tuple[str, str]]] = {
    name: ALIASES.get(name, (name, "open"))
    for name in (
        "start",
        "menu",
        "calm",
        "sos",
        "reflect",
        "apology",
        "meet",
        "plan",
        "journal",
        "invite",
        "checkin",
        "progress",
        "space",
        "pause",
        "settings",
        "export",
        "delete",
        "help",
    )
}
# Which flow says what when a reminder of each kind comes due.
TIMERS: Final[dict[str, Callable[[Timer, Context], list[Effect]]]] = {
    **{kind: calm.on_timer for kind in calm.TIMERS},
    **{kind: meet.on_timer for kind in meet.TIMERS},
    **{kind: nudge.on_timer for kind in nudge.TIMERS},
    **{kind: checkin.on_timer for kind in checkin.TIMERS},
    **{kind: space.on_timer for kind in space.TIMERS},
    **{kind: trust.on_timer for kind in trust.TIMERS},
}


def handle(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """One event in, the new state and effects out; stale or forged buttons change nothing."""
    if ctx.chat_id != ctx.user_id:
        return group.handle(state, event, ctx)
    known = _known(state)
    new, effects = _route(known, event, ctx)
    effects = _keep_draft(known, new, effects)
    if known.flow == calm.name and new.flow != calm.name:
        effects = [*calm.leave(), *effects]
    if known is not state:
        effects = [Say("state-reset"), *effects]
    return settle(state, new, effects)


def _keep_draft(old: FlowState, new: FlowState, effects: list[Effect]) -> list[Effect]:
    """Stepping away from an unfinished journey flow keeps its answers as a draft."""
    if old.flow not in RESUMABLE or new.flow == old.flow:
        return effects
    if any(isinstance(e, DropDraft) and e.flow == old.flow for e in effects):
        return effects
    return [SaveDraft(old.flow, old.step, dict(old.data)), *effects]


def _known(state: FlowState) -> FlowState:
    """A saved state whose flow or step no longer exists restarts at the menu."""
    flow = FLOWS.get(state.flow)
    if flow is None or state.step not in flow.steps:
        return FlowState(version=state.version).to("menu", "idle")
    return state


def _route(state: FlowState, event: Event, ctx: Context) -> Outcome:
    if isinstance(event, Text):
        # Before anything else, wherever they are: words of crisis pause the flow for help.
        kind = ctx.crisis(event.text)
        if kind is not None:
            return sos.hit(state, kind, ctx)
    if isinstance(event, Command):
        return _command(state, event, ctx)
    if isinstance(event, Press):
        return _press(state, event, ctx)
    if isinstance(event, Timer):
        said = TIMERS.get(event.kind)
        return state, said(event, ctx) if said else []
    if isinstance(event, Located):
        return settings.located(state, event, ctx)
    if not ctx.profile.get("intake_done") and state.flow == "menu" and not _invited(ctx):
        return start.begin(state, ctx)
    if isinstance(event, NonText):
        return state, [Say("nontext-reply")]
    if isinstance(event, Text) and not event.text.strip():
        return state, [Say("empty-text")]
    return FLOWS[state.flow].step(state, event, ctx)


def _command(state: FlowState, event: Command, ctx: Context) -> Outcome:
    if event.name == "cancel":
        new, effects = menu.begin(state, ctx)
        if state.flow in RESUMABLE:
            return new, [Say("journey-paused", {"command": state.flow}), *effects]
        in_flow = state.flow != menu.name
        return new, [Say("cancel-done" if in_flow else "cancel-nothing"), *effects]
    if event.name == "start" and event.args == pairing.FROM_GROUP:
        return pairing.from_group(state, ctx)
    if event.name == "start" and event.args:
        return pairing.redeem(state, ctx)
    if event.name in ("space", "pause") and partner.controls(ctx):
        # For the person who was hurt these are the pair's controls, not their own reminders.
        resume = event.name == "pause" and ctx.pair is not None and ctx.pair.status == "paused"
        return partner.begin(state, ctx, "resume" if resume else event.name)
    if event.name == "start" and (ctx.profile.get("intake_done") or _invited(ctx)):
        new, effects = menu.begin(state, ctx)
        return new, [Say("start-welcome-back"), *effects]
    target = COMMANDS.get(event.name)
    if target is None:
        return state, [Say("unknown-command", {"command": event.name[:32]})]
    flow, choice = target
    return FLOWS[flow].begin(state, ctx, choice)


def _invited(ctx: Context) -> bool:
    """The person who was hurt joined by invite: their home is their controls, not the intake."""
    return ctx.pair is not None and ctx.pair.role == "hurt"


def _press(state: FlowState, event: Press, ctx: Context) -> Outcome:
    pressed = decode(event.data)
    flow = FLOWS.get(pressed.flow) if pressed else None
    if pressed is None or flow is None:
        return state, [Toast("button-stale")]
    if pressed.is_entry:
        if pressed.choice not in flow.entries:
            return state, [Toast("button-stale")]
        if pressed.flow == sos.name and pressed.choice == "resume":
            return _resume(state, ctx)
        if pressed.flow == "start" and ctx.profile.get("intake_done"):
            return menu.begin(state, ctx)
        return flow.begin(state, ctx, pressed.choice)
    if pressed.flow != state.flow or pressed.nonce != b36(state.version):
        return state, [Toast("button-stale")]
    new, effects = flow.step(state, Choice(pressed.choice), ctx)
    if new == state and not effects:
        return state, [Toast("button-stale")]
    return new, effects


def _resume(state: FlowState, ctx: Context) -> Outcome:
    """Back to where a crisis pause found them, when they choose: the question asked again."""
    was = sos.where(state) if state.flow == sos.name else ctx.profile.get("sos_was")
    cleared = SetProfile({"sos_was": None})
    flow = FLOWS.get(str(was.get("flow"))) if was else None
    if was is None or flow is None or flow.name in (menu.name, sos.name):
        new, effects = menu.begin(state, ctx)
        return new, [cleared, *effects]
    again: Callable[[FlowState, Context], Outcome] | None = getattr(flow, "resume", None)
    restored = state.to(flow.name, str(was.get("step")), dict(was.get("data") or {}))
    if state.flow == sos.name and again is not None and restored.step in flow.steps:
        new, effects = again(restored, ctx)
    else:
        # Journey flows pick up their saved draft; the rest start their step again.
        new, effects = flow.begin(state, ctx)
    return new, [cleared, Say("sos-back"), *effects]
