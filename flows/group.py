"""A couple's shared group chat: opting in with a role, agreements, turn-taking, appreciation.

Only the pair's two members act here; anyone else in the group may read, and a press of theirs
is refused in the button's answer. What someone writes in private never comes here. Bots in
groups see commands and button presses, not chatter, so everything runs on those.
"""

from __future__ import annotations

from flows import pairing, partner, sos, talk
from flows.engine import (
    Args,
    Choice,
    Command,
    Context,
    Edit,
    Effect,
    Event,
    FlowState,
    Helplines,
    Keyboard,
    Member,
    Outcome,
    PairForm,
    PairSet,
    Press,
    Privately,
    Say,
    Text,
    Timer,
    Toast,
    b36,
    decode,
    entry,
    rows,
    settle,
)

name = "group"
steps = frozenset({"idle", "forming", "talk"})
ROLES = ("caused", "hurt", "both")
# Roles that fit together: one caused the hurt and the other was hurt, or both hurt each other.
FITTING = (["caused", "hurt"], ["both", "both"])
THANKS_LIMIT = 300
THANKS_KEPT = 30
THANKS_SHOWN = 3


def handle(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """One event in a group chat; the state is the group's, shared by both members."""
    known = state if state.flow == name and state.step in steps else state.to(name, "idle")
    written = event.text if isinstance(event, Text) else getattr(event, "args", "")
    kind = ctx.crisis(written) if written else None
    if kind is not None:
        # Words of crisis are answered in private, never in front of the group.
        help_now = (Say(f"sos-{kind}"), Helplines("sos-help", sos.HELP[kind]))
        return settle(state, known, [Privately(help_now)])
    new, effects = _route(known, event, ctx)
    return settle(state, new, effects)


def _route(state: FlowState, event: Event, ctx: Context) -> Outcome:
    match event:
        case Member(user, joined):
            return _membership(state, user, joined, ctx)
        case Timer(kind):
            return state, talk.on_timer(state, kind, ctx)
        case Command(command, args):
            return _command(state, command, args, ctx)
        case Press(data):
            return _press(state, data, ctx)
    # Chatter, stickers, shared places: not for the bot to answer in a shared space.
    return state, []


def _member(ctx: Context) -> bool:
    return ctx.pair is not None and ctx.pair.role is not None


def _membership(state: FlowState, user: int, joined: bool, ctx: Context) -> Outcome:
    pair = ctx.pair
    if user == 0 and joined:
        # Added, or the "joined" Telegram also sends when a paired group becomes a supergroup.
        return state, [] if pair is not None else [Say("group-hello")]
    members: list[int] = list(pair.data.get("members") or []) if pair else []
    if pair is None or (user != 0 and user not in members):
        # Someone else came or went: whatever the two were doing here goes on.
        return state, []
    # The bot was removed, or one of the two left: the pair carries on in private only (its
    # reminders here stop with it, in storage); one that never started ends here.
    values: dict[str, object] = {"group": None}
    if pair.status not in partner.LIVE:
        values["status"] = "ended"
    effects: list[Effect] = [PairSet(values)]
    if user != 0:
        effects.append(Say("group-member-left"))
    return state.to(name, "idle"), effects


def _unable(ctx: Context, action: str) -> Say | None:
    """Why the pair's members cannot do this here now, if they cannot."""
    assert ctx.pair is not None
    if ctx.pair.status == "paused":
        return Say("group-paused")
    if ctx.pair.status != "active":
        # Waiting on the private safety answer, or held after it: nobody here learns which.
        return Say("group-status-waiting")
    if action != "agreements" and partner.space_until(ctx)[0] and not partner.own(ctx, "space"):
        # Space covers this shared chat too; only the one who asked for it may open it.
        return Say("group-talk-space")
    return None


def _act(state: FlowState, action: str, args: str, ctx: Context) -> Outcome:
    """A member's request: the agreements, the weekly talk, or a thank-you."""
    unable = _unable(ctx, action)
    if unable is not None:
        return state, [unable]
    if action == "agreements":
        return state, [_agreements(ctx)]
    if action == "talk":
        return talk.begin(state, ctx)
    return state, _thanks(args.strip(), ctx)


def _command(state: FlowState, command: str, args: str, ctx: Context) -> Outcome:
    if command == "pair":
        return _pair(state, ctx)
    if command not in ("agreements", "talk", "thanks"):
        return state, [Say("group-help")]
    if ctx.pair is None:
        return state, [Say("group-none")]
    if not _member(ctx):
        return state, [Say("group-members-only")]
    return _act(state, command, args, ctx)


def _press(state: FlowState, data: str, ctx: Context) -> Outcome:
    pressed = decode(data)
    if pressed is None or pressed.flow != name:
        return state, [Toast("button-stale")]
    if pressed.is_entry and pressed.choice in ROLES:
        return _opt_in(state, pressed.choice, ctx)
    if ctx.pair is not None and not _member(ctx):
        return state, [Toast("group-not-yours")]
    if ctx.pair is None:
        return state, [Toast("button-stale")]
    if pressed.is_entry and pressed.choice in ("agreements", "talk"):
        return _act(state, pressed.choice, "", ctx)
    if pressed.is_entry or pressed.nonce != b36(state.version) or state.step != "talk":
        return state, [Toast("button-stale")]
    return talk.turn(state, Choice(pressed.choice), ctx)


# --- Pairing in the group ---------------------------------------------------------------------


def _pair(state: FlowState, ctx: Context) -> Outcome:
    pair = ctx.pair
    if pair is not None and pair.status == "active":
        return state, [Say("group-paired", buttons=_home())]
    if pair is not None:
        # Waiting on the private safety question, held, or paused: nobody here learns which.
        return state, [Say("group-paused" if pair.status == "paused" else "group-status-waiting")]
    # Asked again mid-way (or by someone else): the same choice again, nobody's answer lost.
    roles = dict(state.data.get("roles") or {}) if state.step == "forming" else {}
    forming = state.to(name, "forming", {"roles": roles})
    return forming, [Say("group-pair-ask", {"count": len(roles)}, buttons=_roles(), ref="pair")]


def _roles() -> Keyboard:
    return rows(*(entry(name, f"group-btn-{role}", role) for role in ROLES))


def _opt_in(state: FlowState, role: str, ctx: Context) -> Outcome:
    if state.step != "forming":
        if ctx.pair is not None and not _member(ctx):
            return state, [Toast("group-not-yours")]
        return state, [Toast("button-stale")]
    roles: dict[str, str] = dict(state.data.get("roles") or {})
    me = str(ctx.user_id)
    if me not in roles and len(roles) >= 2:
        return state, [Toast("group-not-yours")]
    roles[me] = role
    if len(roles) < 2:
        ask = Say("group-pair-ask", {"count": 1}, buttons=_roles(), ref="pair")
        return state.at("forming", roles=roles), [_edit(ask), Toast("group-pair-noted")]
    if sorted(roles.values()) not in FITTING:
        # Start the choice again rather than guess which of the two meant something else.
        retry = Say("group-pair-mismatch", buttons=_roles(), ref="pair")
        return state.at("forming", roles={}), [_edit(retry)]
    formed = PairForm(
        {int(user): chosen for user, chosen in roles.items()},
        ask=(Say("pairing-group-welcome"), pairing.safety_ask()),
        linked=tuple(talk.started()),
    )
    done = Say("group-pair-done", ref="pair")
    return state.to(name, "idle"), [_edit(done), formed]


def _edit(say: Say) -> Effect:
    """The pairing message, changed in place."""
    assert say.ref is not None
    return Edit(say.ref, say.key, say.args, say.buttons)


def _home() -> Keyboard:
    return rows(
        entry(name, "group-btn-agreements", "agreements"),
        entry(name, "group-btn-talk", "talk"),
    )


# --- What the pair has agreed, and what they appreciated --------------------------------------


def _agreements(ctx: Context) -> Say:
    assert ctx.pair is not None
    more = partner.agreed(ctx.pair, "group-agreements")
    return Say("group-agreements", more=tuple(more)) if more else Say("group-agreements-empty")


def _thanks(text: str, ctx: Context) -> list[Effect]:
    assert ctx.pair is not None
    kept: list[dict[str, str]] = list(ctx.pair.data.get("thanks") or [])
    if not text:
        shown: list[tuple[str, Args]] = [
            ("partner-plan-item", {"text": t["text"]}) for t in kept[-THANKS_SHOWN:]
        ]
        return [Say("group-thanks-how", more=(("", {}), *shown) if shown else ())]
    if len(text) > THANKS_LIMIT:
        return [Say("answer-too-long", {"limit": THANKS_LIMIT})]
    kept = [*kept, {"text": text, "on": ctx.today()}][-THANKS_KEPT:]
    return [PairSet({"thanks": kept}), Say("group-thanks-kept")]
