"""Couple mode, joining: an invite link to pass on, consent, and one private safety question."""

from __future__ import annotations

from flows import menu, partner, talk, trust
from flows.engine import (
    Choice,
    Context,
    Effect,
    Event,
    FlowState,
    Helplines,
    Outcome,
    PairClaim,
    PairInvite,
    PairSet,
    Say,
    SetProfile,
    ToGroup,
    ToPartner,
    button,
    entry,
    rows,
)

name = "pairing"
steps = frozenset({"consent", "safety"})
SAFETY = ("safe", "unsure", "unsafe", "skip")
# The safety answers are entry buttons: the question also reaches people who paired in a group.
entries = frozenset({"open", "withdraw", *SAFETY})
# The /start argument of the link a group's pairing message gives: "answer me in private".
FROM_GROUP = "pair"
# Statuses in which a pair still counts; "ended" and "declined" pairs are history.
WAITING = ("joining", "safety", "held")


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """/invite: a link to pass on, or where things stand if there is already a pair."""
    if choice in SAFETY:
        return _safety(state, choice, ctx)
    pair = ctx.pair
    if pair is not None and pair.holds_controls():
        return partner.begin(state, ctx)
    idle = state.to(menu.name, "idle")
    if pair is not None and pair.status in WAITING:
        # Whatever held it up (even a safety answer), the person repairing only hears "waiting".
        if choice == "withdraw":
            return idle, [PairSet({"status": "ended"}), Say("pairing-withdrawn"), menu.home(ctx)]
        withdraw = entry(name, "pairing-btn-withdraw", "withdraw")
        return idle, [Say("pairing-waiting", buttons=rows(withdraw, entry("menu", "btn-menu")))]
    if pair is not None and pair.status in ("active", "paused"):
        return idle, [Say(f"pairing-status-{pair.status}", buttons=rows(entry("menu", "btn-menu")))]
    if menu.situation(ctx.profile) == "declined":
        # Their no stands: no invitations, however the user asks.
        return idle, [Say("pairing-declined", buttons=rows(entry("menu", "btn-menu")))]
    if menu.space_active(ctx):
        return idle, [Say("pairing-space", buttons=rows(entry("menu", "btn-menu")))]
    off = menu.reconcile_off(ctx)
    if off is not None:
        return idle, [menu.off_notice(off, rows(entry("menu", "btn-menu")))]
    return idle, [
        Say("pairing-about"),
        PairInvite("pairing-link"),
        Say("pairing-link-after", buttons=rows(entry("menu", "btn-menu"))),
    ]


def redeem(state: FlowState, ctx: Context) -> Outcome:
    """Someone opened an invite link: ask whether they want to take part."""
    invite = ctx.invite
    idle = state.to(menu.name, "idle")
    if invite is None or invite.status != "ok" or invite.pair_id is None:
        status = invite.status if invite else "unknown"
        return idle, [Say(f"pairing-invite-{status}"), menu.home(ctx)]
    if ctx.pair is not None:
        return idle, [Say("pairing-already"), menu.home(ctx)]
    consent = rows(button(name, "pairing-btn-yes", "yes"), button(name, "pairing-btn-no", "no"))
    return state.to(name, "consent"), [
        PairClaim(invite.pair_id),
        Say("pairing-welcome"),
        Say("pairing-consent", buttons=consent),
    ]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Consent first, then the one private question about safety."""
    if ctx.pair is None:
        return state.to(menu.name, "idle"), [Say("pairing-gone"), menu.home(ctx)]
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if state.step == "consent":
        if event.choice == "no":
            told = ToPartner((Say("pairing-not-now-told"),))
            done = state.to(menu.name, "idle")
            return done, [PairSet({"status": "declined"}), told, Say("pairing-not-now")]
        if event.choice == "yes":
            return state.to(menu.name, "idle"), [PairSet({"status": "safety"}), safety_ask()]
    if state.step == "safety" and event.choice in SAFETY:
        return _safety(state, event.choice, ctx)
    return state, []


def safety_ask() -> Say:
    """The one private question, asked before anything starts."""
    answers = [entry(name, f"pairing-safety-{a}", a) for a in SAFETY]
    return Say("pairing-safety-ask", buttons=rows(*answers))


def asks_safety(ctx: Context) -> bool:
    """Whether this person still owes the safety question an answer."""
    pair = ctx.pair
    return (
        pair is not None
        and pair.status == "safety"
        and pair.holds_controls()
        and not pair.data.get("safety_answered")
    )


def from_group(state: FlowState, ctx: Context) -> Outcome:
    """The private link from a group's pairing message: the safety question, if it is theirs."""
    if asks_safety(ctx):
        return state.to(menu.name, "idle"), [Say("pairing-group-welcome"), safety_ask()]
    return menu.begin(state, ctx)


def _safety(state: FlowState, answer: str, ctx: Context) -> Outcome:
    if not asks_safety(ctx):
        # Answered already, or nothing to answer: a second tap changes nothing.
        return menu.begin(state, ctx)
    own = f"safety-{ctx.user_id}"
    if answer in ("unsure", "unsafe"):
        # Kept private: the pair stays inactive and the other person is never told why.
        end = entry(partner.name, "partner-btn-end", "end")
        return state.to(menu.name, "idle"), [
            PairSet({"status": "held", own: answer}),
            # Meeting and reaching out stop for the other person too, without a word of why.
            ToPartner((SetProfile({"meet_off": True}),)),
            Helplines("pairing-support", "abuse", buttons=rows(end)),
        ]
    assert ctx.pair is not None
    if not ctx.pair.data.get("others_safe"):
        # "We both hurt each other": it starts once the other has answered too.
        return state.to(menu.name, "idle"), [PairSet({own: answer}), Say("pairing-safety-wait")]
    idle = state.to(partner.name, "home")
    started = ctx.with_pair(status="active")
    told: list[Effect] = []
    if ctx.pair.group is not None:
        told.append(ToGroup((Say("group-active"), *talk.started())))
    else:
        told.append(
            ToPartner((Say("pairing-active-told", buttons=rows(entry("menu", "btn-menu"))),))
        )
    if ctx.pair.role == "both":
        # The other one was hurt too: their weekly trust question starts now as well.
        told.append(ToPartner(tuple(trust.first(ctx))))
    return idle, [
        PairSet({"status": "active", own: answer}),
        *told,
        *trust.first(ctx),
        Say("pairing-active", more=(("", {}), ("pairing-trust-note", {}))),
        partner.home(started),
    ]
