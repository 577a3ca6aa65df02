"""Meet: get ready to talk in person, only when they are willing, then a debrief afterwards."""

from __future__ import annotations

from datetime import datetime, time, timedelta
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
    SaveDraft,
    Say,
    Schedule,
    SetProfile,
    Text,
    Timer,
    button,
    entry,
    rows,
    unfinished,
)
from flows.heat import HEATED

name = "meet"
PREP = (
    "agreed",
    "invite",
    "when_day",
    "when_part",
    "place",
    "opening",
    "listen",
    "whatif",
    "proposal",
)
DEBRIEF = ("debrief_how", "debrief_asks")
steps = frozenset({*PREP, *DEBRIEF})
entries = frozenset({"open", "debrief"})
TIMERS = frozenset({"meet_debrief"})

PLACE_LIMIT = 200
PROPOSAL_LIMIT = 300
ASKS_LIMIT = 500
# The card is reread on a phone right before the talk; a long apology is cut to its opening.
OPENING_SHOWN = 300
# Days from today; "soon" stands for "in 2-3 days", so the earlier of the two.
DAYS = {"today": 0, "tomorrow": 1, "soon": 2, "next_week": 7}
UNSET = "unset"
PARTS = {"morning": 10, "afternoon": 15, "evening": 19}
HOWS = ("well", "mixed", "hard", "missed")
# Long enough for the talk and the drive home, soon enough that it is still fresh.
DEBRIEF_AFTER = timedelta(hours=3)
DEBRIEF_KEY = "meet:debrief"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Steps that take written text; the others are answered by tapping.
TEXT_STEPS = frozenset({"place", "proposal", "debrief_asks"})
AFTER_NEXT = {"invite": "when_day", "opening": "listen", "listen": "whatif", "whatif": "proposal"}


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Check they are ready, then start, pick up where it was left, or start the debrief."""
    if choice == "debrief":
        return _start_debrief(state, ctx)
    stopped = _not_now(state, ctx)
    if stopped is not None:
        return stopped
    resumed = unfinished(state, ctx, name, steps) if choice == "open" else None
    # The day was chosen relative to when it was chosen ("tomorrow"), so it is asked again.
    if resumed is not None and resumed.step == "when_part":
        resumed = resumed.at("when_day")
    # Nothing is answered at the first question, so there is nothing to pick up.
    if resumed is not None and resumed.step != PREP[0]:
        return resumed, journey.resuming(name, prompt(resumed, ctx))
    new = state.to(name, PREP[0])
    return new, prompt(new, ctx)


def _not_now(state: FlowState, ctx: Context) -> Outcome | None:
    """A "no" from them ends it here; so does heat, until the user has calmed down."""
    intake: dict[str, Any] = ctx.profile.get("intake") or {}
    idle = state.to(menu.name, "idle")
    if intake.get("openness") == "no":
        return idle, [Say("meet-declined", buttons=_menu_row())]
    off = menu.reconcile_off(ctx)
    if off is not None:
        return idle, [menu.off_notice(off, _menu_row())]
    if menu.space_active(ctx):
        return idle, [Say("meet-space-active", buttons=_menu_row())]
    if int(ctx.profile.get("heat", 0)) >= HEATED:
        calm = entry("calm", "meet-btn-calm", "open")
        return idle, [Say("meet-heated", buttons=rows(calm, entry(menu.name, "btn-menu")))]
    return None


def _menu_row() -> Keyboard:
    return rows(entry(menu.name, "btn-menu"))


def _pause() -> Button:
    return journey.pause_button(name)


def _next() -> Keyboard:
    return rows(button(name, "meet-btn-next", "next"), _pause())


def prompt(state: FlowState, ctx: Context) -> list[Effect]:
    """Show the current step: its text and the buttons that answer it."""
    match state.step:
        case "agreed":
            choices = ("agreed", "ask", "space")
            labels = [button(name, f"meet-btn-{c}", c) for c in choices]
            return [
                Say("meet-q-agreed", buttons=rows(*labels, button(name, "btn-not-now", "leave")))
            ]
        case "invite":
            return [Say("meet-invite", buttons=_next())]
        case "when_day":
            return [Say("meet-setting"), _ask_day(ctx)]
        case "when_part":
            return [_ask_part(state, ctx)]
        case "place":
            return [Say("meet-q-place", buttons=rows(_skip(), _pause()))]
        case "opening":
            return [_opening(ctx)]
        case "listen":
            return [Say("meet-listen", buttons=_next())]
        case "whatif":
            return [Say("meet-whatif", buttons=_next())]
        case "proposal":
            return [_ask_proposal(ctx)]
        case "debrief_how":
            labels = [button(name, f"meet-btn-{h}", h) for h in HOWS]
            leave = button(name, "btn-not-now", "leave")
            return [Say("meet-debrief-how", buttons=rows(*labels, width=2) + rows(leave))]
        case _:
            how = str(state.data.get("how", "mixed"))
            nothing = button(name, "meet-btn-nothing", "nothing")
            return [Say("meet-debrief-asks", {"how": how}, buttons=rows(nothing, _pause()))]


def _skip() -> Button:
    return button(name, "meet-btn-skip", "skip")


def _at(ctx: Context, day: str, part: str) -> datetime:
    """When the meeting is, on the user's own clock (UTC until they set a time zone)."""
    local = ctx.local_now or ctx.now
    date = local.date() + timedelta(days=DAYS[day])
    return datetime.combine(date, time(PARTS[part]), tzinfo=local.tzinfo)


def _parts_left(ctx: Context, day: str) -> list[str]:
    return [p for p in PARTS if _at(ctx, day, p) > ctx.now]


def _ask_day(ctx: Context, key: str = "meet-q-day") -> Say:
    days = [d for d in DAYS if _parts_left(ctx, d)]
    labels = [button(name, f"meet-btn-{d.replace('_', '-')}", d) for d in [*days, UNSET]]
    return Say(key, buttons=rows(*labels, width=2) + rows(_pause()))


def _ask_part(state: FlowState, ctx: Context, key: str = "meet-q-part") -> Say:
    parts = _parts_left(ctx, str(state.data.get("day", "tomorrow")))
    labels = [button(name, f"meet-btn-{p}", p) for p in parts]
    return Say(key, buttons=rows(*labels, width=3) + rows(_pause()))


def _opening(ctx: Context) -> Effect:
    apology = _apology(ctx)
    if apology:
        # A Say, not a Quote: only Say and Edit buttons get the step's nonce from the dispatcher.
        return Say("meet-opening", {"apology": apology}, buttons=_next())
    write = entry("apology", "meet-btn-apology", "open")
    return Say(
        "meet-opening-none", buttons=rows(write, button(name, "meet-btn-next", "next"), _pause())
    )


def _apology(ctx: Context) -> str:
    latest = ctx.records.latest("apology")
    return str(latest.data.get("text", "")).strip() if latest is not None else ""


def _ask_proposal(ctx: Context) -> Say:
    offer = _plan_offer(ctx)
    if offer:
        bring = button(name, "meet-btn-bring", "bring")
        return Say("meet-proposal-plan", {"plan": offer}, buttons=rows(bring, _pause()))
    return Say("meet-proposal-ask", buttons=rows(_skip(), _pause()))


def _plan_offer(ctx: Context) -> str:
    """The commitments from their latest plan, if it has any, as lines to bring along."""
    plan = ctx.records.latest("plan")
    items = plan.data.get("commitments") if plan is not None else None
    if not isinstance(items, list):
        return ""
    texts = [str(c.get("text", "")).strip() for c in items if isinstance(c, dict)]
    lines = [f"• {t}" for t in texts if t][:3]
    return _shorten("\n".join(lines), PROPOSAL_LIMIT)


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """React to one event: a tap on this step's buttons, or text where text is asked for."""
    if isinstance(event, Choice):
        return _choice(state, event.choice, ctx)
    if state.step not in TEXT_STEPS:
        return state, [Say("use-buttons")]
    if not isinstance(event, Text):
        return state, [Say("meet-text-only")]
    text = event.text.strip()
    if not text:
        return state, [Say("empty-text")]
    limit = {"place": PLACE_LIMIT, "proposal": PROPOSAL_LIMIT}.get(state.step, ASKS_LIMIT)
    if len(text) > limit:
        return state, [Say("answer-too-long", {"limit": limit})]
    if state.step == "place":
        return _go(state.at("opening", place=text), ctx)
    if state.step == "proposal":
        return _finish(state, text, ctx)
    return _asks(state, text, ctx)


def _go(new: FlowState, ctx: Context) -> Outcome:
    return new, prompt(new, ctx)


def _choice(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "restart" and state.step in DEBRIEF:
        held = state.data.get("held")
        return _go(state.to(name, DEBRIEF[0], {"held": held} if held else {}), ctx)
    shared = journey.shared_choice(name, begin, state, choice, ctx)
    if shared is not None:
        return shared
    handler = {
        "agreed": _agreed,
        "when_day": _day,
        "when_part": _part,
        "proposal": _proposal,
        "debrief_how": _how,
        "debrief_asks": _nothing,
    }.get(state.step, _onward)
    return handler(state, choice, ctx)


def _agreed(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "agreed":
        return _go(state.at("when_day", agreed="yes"), ctx)
    if choice == "ask":
        return _go(state.at("invite", agreed="ask"), ctx)
    if choice == "space":
        # Nothing to prepare while they need space, so nothing is kept to come back to.
        reflect = entry("reflect", "meet-btn-reflect", "open")
        buttons = rows(reflect, entry(menu.name, "btn-menu"))
        return state.to(menu.name, "idle"), [DropDraft(name), Say("meet-space", buttons=buttons)]
    if choice == "leave":
        new, effects = menu.begin(state, ctx)
        return new, [DropDraft(name), *effects]
    return state, []


def _onward(state: FlowState, choice: str, ctx: Context) -> Outcome:
    """The steps read with one [Next]: the invitation, the opening, listening, what-ifs."""
    if choice == "skip" and state.step == "place":
        return _go(state.at("opening"), ctx)
    if choice == "next" and state.step in AFTER_NEXT:
        return _go(state.at(AFTER_NEXT[state.step]), ctx)
    return state, []


def _day(state: FlowState, choice: str, ctx: Context) -> Outcome:
    data = {k: v for k, v in state.data.items() if k not in ("day", "part", "at")}
    if choice == UNSET:
        return _go(state.to(name, "place", {**data, "day": UNSET}), ctx)
    if choice not in DAYS:
        return state, []
    if not _parts_left(ctx, choice):
        return state, [_ask_day(ctx, "meet-today-late")]
    return _go(state.to(name, "when_part", {**data, "day": choice}), ctx)


def _part(state: FlowState, choice: str, ctx: Context) -> Outcome:
    day = str(state.data.get("day", ""))
    if choice not in PARTS or day not in DAYS:
        return state, []
    # The keyboard was shown a while ago; its time of day may have passed since.
    if choice not in _parts_left(ctx, day):
        if _parts_left(ctx, day):
            return state, [_ask_part(state, ctx, "meet-part-passed")]
        return state.at("when_day"), [_ask_day(ctx, "meet-today-late")]
    at = _at(ctx, day, choice).isoformat()
    return _go(state.at("place", part=choice, at=at), ctx)


def _proposal(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "skip":
        return _finish(state, "", ctx)
    offer = _plan_offer(ctx)
    if choice == "bring" and offer:
        return _finish(state, offer, ctx)
    return state, []


def _when_args(at: str, part: str) -> Args:
    moment = datetime.fromisoformat(at)
    return {
        "weekday": WEEKDAYS[moment.weekday()],
        "day": moment.day,
        "month": MONTHS[moment.month - 1],
        "part": part,
    }


def _finish(state: FlowState, proposal: str, ctx: Context) -> Outcome:
    """The meeting card, pinned to reread right before; a debrief asked for if the time is set."""
    data = state.data
    at, part, place = str(data.get("at", "")), str(data.get("part", "")), str(data.get("place", ""))
    # A preparation picked up again after its time has gone by no longer knows when they meet.
    if at and datetime.fromisoformat(at) <= ctx.now:
        at = part = ""
    opening = _shorten(_apology(ctx), OPENING_SHOWN)
    lines: list[tuple[str, Args]] = [("", {})]
    lines.append(("meet-card-when", _when_args(at, part)) if at else ("meet-card-when-unset", {}))
    if place:
        lines.append(("meet-card-where", {"place": place}))
    lines += [("", {})]
    lines.append(
        ("meet-card-opening", {"opening": opening}) if opening else ("meet-card-opening-none", {})
    )
    lines += [("", {}), ("meet-card-listen", {}), ("", {}), ("meet-card-whatif", {})]
    if proposal:
        lines += [("", {}), ("meet-card-proposal", {"proposal": proposal})]
    card = {
        "agreed": str(data.get("agreed", "")),
        "day": str(data.get("day", "")),
        "part": part,
        "at": at,
        "place": place,
        "opening": opening,
        "proposal": proposal,
    }
    effects: list[Effect] = [Say("meet-card", more=tuple(lines), pin=True), Keep("meeting", card)]
    if at:
        due = datetime.fromisoformat(at) + DEBRIEF_AFTER
        effects.append(Schedule(DEBRIEF_KEY, "meet_debrief", due, {"at": at}))
    done = sorted({*ctx.profile.get("done", []), name})
    effects += [
        DropDraft(name),
        SetProfile({"done": done}),
        Say("meet-after", {"debrief": "yes" if at else "no"}, buttons=_menu_row()),
    ]
    return state.to(menu.name, "idle"), effects


# --- The debrief, a few hours after the meeting -------------------------------------------------


def on_timer(event: Timer, ctx: Context) -> list[Effect]:
    """The debrief reminder; its buttons work whatever the user is doing when it arrives."""
    if event.kind != "meet_debrief" or menu.reconcile_off(ctx):
        return []
    buttons = rows(entry(name, "meet-btn-debrief", "debrief"), entry(menu.name, "btn-not-now"))
    return [Say("meet-debrief-due", buttons=buttons)]


def _start_debrief(state: FlowState, ctx: Context) -> Outcome:
    held = _held(state, ctx)
    return _go(state.to(name, DEBRIEF[0], {"held": held} if held else {}), ctx)


def _held(state: FlowState, ctx: Context) -> dict[str, Any] | None:
    """A preparation under way when the debrief starts, set aside to be restored after it."""
    if state.flow == name:
        where: dict[str, Any] | None = {"step": state.step, "data": dict(state.data)}
    else:
        where = ctx.records.drafts.get(name)
    if not where:
        return None
    left_at, data = where.get("step"), dict(where.get("data") or {})
    if left_at in DEBRIEF:
        held = data.get("held")
        return dict(held) if isinstance(held, dict) else None
    if left_at in PREP and left_at != PREP[0]:
        return {"step": left_at, "data": data}
    return None


def _set_aside(state: FlowState) -> list[Effect]:
    """Leaving the debrief puts back the preparation it set aside, or forgets the draft."""
    held = state.data.get("held")
    effects: list[Effect] = [DropDraft(name)]
    if isinstance(held, dict) and held.get("step") in PREP:
        effects.append(SaveDraft(name, str(held["step"]), dict(held.get("data") or {})))
    return effects


def _how(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice == "leave":
        new, effects = menu.begin(state, ctx)
        return new, [*_set_aside(state), *effects]
    if choice == "missed":
        said = Say("meet-debrief-missed", buttons=_menu_row())
        return state.to(menu.name, "idle"), [*_set_aside(state), said]
    if choice in HOWS:
        return _go(state.at(DEBRIEF[1], how=choice), ctx)
    return state, []


def _nothing(state: FlowState, choice: str, ctx: Context) -> Outcome:
    return _asks(state, "", ctx) if choice == "nothing" else (state, [])


def _asks(state: FlowState, text: str, ctx: Context) -> Outcome:
    """What they asked for becomes an expectation the plan is built around."""
    how = str(state.data.get("how", "mixed"))
    effects: list[Effect] = [Keep("asks", {"text": text, "how": how})] if text else []
    onward = rows(
        entry("plan", "meet-btn-plan", "open"),
        entry("calm", "meet-btn-calm-after", "open"),
        entry(menu.name, "btn-menu"),
    )
    said = Say("meet-debrief-next", {"asked": "yes" if text else "no"}, buttons=onward)
    return state.to(menu.name, "idle"), [*effects, *_set_aside(state), said]
