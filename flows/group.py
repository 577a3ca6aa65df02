"""A couple's shared group chat: opting in with a role, agreements, turn-taking, appreciation.

Only the pair's two members act here; anyone else in the group may read, and a press of theirs
is refused in the button's answer. What someone writes in private never comes here. Bots in
groups see commands and button presses, not chatter, so everything runs on those.
"""

from __future__ import annotations

from flows import pairing, partner, talk
from flows.engine import (
    Args,
    Choice,
    Command,
    Context,
    Edit,
    Effect,
    Event,
    FlowState,
    Keyboard,
    Member,
    Outcome,
    PairForm,
    PairSet,
    Press,
    Say,
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
ENTRIES = frozenset({*ROLES, "agreements", "talk"})
THANKS_LIMIT = 300
THANKS_KEPT = 30
THANKS_SHOWN = 3


def handle(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """One event in a group chat; the state is the group's, shared by both members."""
    known = state if state.flow == name and state.step in steps else state.to(name, "idle")
    new, effects = _route(known, event, ctx)
    return settle(state, new, effects)


def _route(state: FlowState, event: Event, ctx: Context) -> Outcome:
    idle = state.to(name, "idle")
    match event:
        case Member(user, joined):
            return _membership(idle, user, joined, ctx)
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


def _membership(idle: FlowState, user: int, joined: bool, ctx: Context) -> Outcome:
    if user == 0 and joined:
        return idle, [Say("group-hello")]
    pair = ctx.pair
    members: list[int] = list(pair.data.get("members") or []) if pair else []
    if pair is None or (user != 0 and user not in members):
        return idle, []
    # The bot was removed, or one of the two left: the pair carries on in private only (its
    # reminders here stop with it, in storage).
    effects: list[Effect] = [PairSet({"group": None})]
    if user != 0:
        effects.append(Say("group-member-left"))
    return idle, effects


def _command(state: FlowState, command: str, args: str, ctx: Context) -> Outcome:
    if command == "pair":
        return _pair(state, ctx)
    if command not in ("agreements", "talk", "thanks"):
        return state, [Say("group-help")]
    if ctx.pair is None:
        return state, [Say("group-none")]
    if not _member(ctx):
        return state, [Say("group-members-only")]
    if ctx.pair.status not in partner.LIVE:
        # Waiting on the private safety answer, or held after it: nobody here learns which.
        return state, [Say("group-status-waiting")]
    if command == "agreements":
        return state, [_agreements(ctx)]
    if command == "talk":
        return talk.begin(state, ctx)
    return state, _thanks(args.strip(), ctx)


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
    if pressed.is_entry and pressed.choice == "agreements":
        return state, [_agreements(ctx)]
    if pressed.is_entry and pressed.choice == "talk":
        return talk.begin(state, ctx)
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
    forming = state.to(name, "forming", {"roles": {}})
    return forming, [Say("group-pair-ask", {"count": 0}, buttons=_roles(), ref="pair")]


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
    commitments: list[str] = list(ctx.pair.data.get("plan") or [])
    expectations: list[str] = list(ctx.pair.data.get("expectations") or [])
    more: list[tuple[str, dict[str, str | int]]] = []
    if commitments:
        more.append(("partner-plan-commitments", {}))
        more += [("partner-plan-item", {"text": c}) for c in commitments]
    if expectations:
        more += [("", {}), ("partner-plan-expectations", {})]
        more += [("partner-plan-item", {"text": e}) for e in expectations]
    if not more:
        return Say("group-agreements-empty")
    return Say("group-agreements", more=tuple(more))


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
