"""The pure flow engine: events in, effects out, no I/O and no clock."""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from flows.apology_check import Finding

Args = dict[str, str | int]


# --- Events: what happened, platform-free ------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """The user wrote text."""

    text: str


@dataclass(frozen=True)
class Command:
    """The user sent a /command."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class Press:
    """The user pressed an inline button; `data` is its raw callback data."""

    data: str


@dataclass(frozen=True)
class Choice:
    """A valid press of one of the current step's buttons, as the dispatcher hands it to a flow."""

    choice: str


@dataclass(frozen=True)
class NonText:
    """The user sent something that is not text (sticker, photo, voice, location, ...)."""

    kind: str


@dataclass(frozen=True)
class Located:
    """The user shared a location; only the time zone it lies in reaches the flows."""

    zone: str | None


@dataclass(frozen=True)
class Timer:
    """A reminder the flows asked for came due."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """Someone joined or left a group chat; `user_id` 0 is the bot itself (added or removed)."""

    user_id: int
    joined: bool


@dataclass(frozen=True)
class Migrated:
    """The group became a supergroup with a new chat id; the runtime moves everything there."""

    to_chat: int


Event = Text | Command | Press | Choice | NonText | Located | Timer | Member | Migrated


# --- Context: who, when, in which language -----------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """Something the user wrote and kept, such as a journal entry or an apology."""

    id: int
    kind: str
    created: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class Records:
    """What the user has kept so far, loaded by the runtime for the flows to read."""

    entries: tuple[Entry, ...] = ()
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of(self, kind: str) -> list[Entry]:
        """Entries of one kind, newest first."""
        return sorted((e for e in self.entries if e.kind == kind), key=lambda e: -e.id)

    def latest(self, kind: str) -> Entry | None:
        """The newest entry of one kind, if any."""
        found = self.of(kind)
        return found[0] if found else None


@dataclass(frozen=True)
class Pair:
    """The couple-mode pair this person belongs to, as far as they may see it."""

    id: int
    status: str  # invited, joining, safety, active, held, paused, ended, declined
    role: str | None  # this person's role: "caused", "hurt" or "both"; None if not a member
    partner: int | None = None  # the other member's user id, once there is one
    group: int | None = None  # the shared group chat, if they have one
    data: dict[str, Any] = field(default_factory=dict)

    def holds_controls(self) -> bool:
        """Whether this person was hurt, and so holds space, pause and end."""
        return self.role in ("hurt", "both")


@dataclass(frozen=True)
class Invite:
    """What an invite code in a /start link turned out to be, as the runtime found it."""

    status: str  # "ok", "expired", "used", "unknown", "own" (the inviter's own link)
    pair_id: int | None = None


@dataclass(frozen=True)
class Context:
    """Who is acting and when; `now` is given, never read from a clock."""

    user_id: int
    chat_id: int
    now: datetime
    locale: str
    profile: dict[str, Any] = field(default_factory=dict)
    records: Records = field(default_factory=Records)
    # The apology checker for this language; the runtime supplies one built from locale data.
    check: Callable[[str], list[Finding]] = field(default=lambda _text: [])
    # Whether a commitment is too vague to observe ("be better"), from locale pattern data.
    is_vague: Callable[[str], bool] = field(default=lambda _text: False)
    # The same moment on the user's own clock (their time zone), when it is known.
    local_now: datetime | None = None
    # Couple mode: the pair this person is in, and the invite a /start link carried.
    pair: Pair | None = None
    invite: Invite | None = None
    # The kind of crisis a text speaks of ("self_harm", "violence", "abuse"), from locale data.
    crisis: Callable[[str], str | None] = field(default=lambda _text: None)

    def today(self) -> str:
        """The user's calendar date, as "YYYY-MM-DD"."""
        return (self.local_now or self.now).date().isoformat()

    def with_profile(self, **values: Any) -> Context:
        """The same context with profile values changed (after a SetProfile in the same step)."""
        return replace(self, profile={**self.profile, **values})

    def with_pair(self, **values: Any) -> Context:
        """The same context with the pair changed (after a PairSet in the same step)."""
        if self.pair is None:
            return self
        status = str(values.pop("status", self.pair.status))
        changed = replace(self.pair, status=status, data={**self.pair.data, **values})
        return replace(self, pair=changed)


# --- Buttons and effects ----------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    """An inline button: a locale key for its label and the callback data it carries."""

    label: str
    data: str
    args: Args = field(default_factory=dict)


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Say:
    """Send a new message; `ref` names it so later effects can edit it."""

    key: str
    args: Args = field(default_factory=dict)
    buttons: Keyboard = ()
    ref: str | None = None
    delay: float = 0.0
    # Further lines (locale key, args) appended below the message; an empty key is a blank line.
    more: tuple[tuple[str, Args], ...] = ()
    pin: bool = False
    # "location": a button under the input field that shares the user's location once;
    # "clear": take that button away again.
    keyboard: str = ""


@dataclass(frozen=True)
class Edit:
    """Edit the message named `ref` in place (sent as new if it is gone)."""

    ref: str
    key: str
    args: Args = field(default_factory=dict)
    buttons: Keyboard = ()
    delay: float = 0.0


@dataclass(frozen=True)
class Quote:
    """Send the user's own private text back to them, framed by a locale key."""

    key: str
    text: str
    buttons: Keyboard = ()


@dataclass(frozen=True)
class Picture:
    """Send a picture the runtime draws from the user's own data (e.g. the progress chart)."""

    kind: str
    caption: str
    buttons: Keyboard = ()


@dataclass(frozen=True)
class Helplines:
    """Say `key` with the helplines for `kind` ("crisis", "abuse", "stop") where the user lives."""

    key: str
    kind: str
    buttons: Keyboard = ()


@dataclass(frozen=True)
class CancelPending:
    """Drop undelivered delayed messages for `ref` (a breathing guide that was stopped)."""

    ref: str


@dataclass(frozen=True)
class Toast:
    """The short notice shown when a button press is answered."""

    key: str


@dataclass(frozen=True)
class SetProfile:
    """Store values in the user's profile."""

    values: dict[str, Any]


@dataclass(frozen=True)
class Park:
    """Keep a message the user wrote while upset; never sent anywhere."""

    text: str
    append: bool = False


@dataclass(frozen=True)
class DropParked:
    """Delete the user's latest parked message (they chose to let it go)."""


@dataclass(frozen=True)
class Keep:
    """Keep something the user wrote (a journal entry, an apology) as a dated entry."""

    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class SaveDraft:
    """Keep a journey flow's unfinished state so the user can pick it up later."""

    flow: str
    step: str
    data: dict[str, Any]


@dataclass(frozen=True)
class DropDraft:
    """Forget a flow's unfinished state (finished, or started over)."""

    flow: str


@dataclass(frozen=True)
class Schedule:
    """Ask for a reminder; the same `key` replaces an earlier one.

    Either `due` (one moment) or `rule`: "daily 19:00", "weekdays 07:30", "weekly sun 20:00",
    or "once 19:00" (the next time the user's clock shows it), all in the user's time zone.
    """

    key: str
    kind: str
    due: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    rule: str | None = None


@dataclass(frozen=True)
class PairInvite:
    """Start a pair with this person as the one repairing; say `key` with its link and days."""

    key: str


@dataclass(frozen=True)
class PairClaim:
    """Take up an invite: this person becomes the pair's second member; the code is used up."""

    pair_id: int


@dataclass(frozen=True)
class PairSet:
    """Change the current pair: "status", or data such as "space" (None removes a key)."""

    values: dict[str, Any]


@dataclass(frozen=True)
class ToPartner:
    """Carry out these effects in the other member's private chat, as if it were theirs.

    Only messages, profile values and reminders travel; their buttons must be entries, since
    the other chat has its own state.
    """

    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class PairForm:
    """Two group members opted in with these roles: pair them in this group.

    The runtime makes a new pair, or links the group to the pair the two already share; it
    refuses when either is paired with someone else. `ask` goes privately to each member who
    was hurt, if they already have a chat with the bot; `linked` happens in the group when it
    joins a pair that is already active.
    """

    roles: dict[int, str]
    ask: tuple[Effect, ...] = ()
    linked: tuple[Effect, ...] = ()


@dataclass(frozen=True)
class Privately:
    """Carry out these effects in the acting person's own private chat, if they have one."""

    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class ToGroup:
    """Carry out these effects in the pair's shared group chat, if it has one."""

    effects: tuple[Effect, ...]


@dataclass(frozen=True)
class ExportData:
    """Send the user everything kept about them as a JSON file, with `caption`."""

    caption: str


@dataclass(frozen=True)
class EraseUser:
    """Erase every row about the user and their reminders, then say `key` (kept nowhere)."""

    key: str


@dataclass(frozen=True)
class Unschedule:
    """Cancel a pending reminder by key."""

    key: str


@dataclass(frozen=True)
class ShowParked:
    """Show the user their latest parked message (read from storage by the runtime)."""

    key: str
    empty_key: str
    buttons: Keyboard = ()
    before: str | None = None


Effect = (
    Say
    | Edit
    | Quote
    | Picture
    | Helplines
    | CancelPending
    | Toast
    | SetProfile
    | Park
    | DropParked
    | Keep
    | SaveDraft
    | DropDraft
    | Schedule
    | Unschedule
    | ShowParked
    | PairInvite
    | PairClaim
    | PairSet
    | PairForm
    | ToPartner
    | ToGroup
    | Privately
    | ExportData
    | EraseUser
)


# --- State ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowState:
    """Where a chat is: the flow, its named step, plain data, and a version for stale buttons."""

    flow: str = "menu"
    step: str = "idle"
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 0

    def to(self, flow: str, step: str, data: dict[str, Any] | None = None) -> FlowState:
        """Move to a step; the version only changes in the dispatcher."""
        return replace(self, flow=flow, step=step, data=dict(data or {}))

    def at(self, step: str, **updates: Any) -> FlowState:
        """Stay in this flow, move to `step`, merging `updates` into the data."""
        return replace(self, step=step, data={**self.data, **updates})


Outcome = tuple[FlowState, list[Effect]]


def unfinished(
    state: FlowState, ctx: Context, flow: str, steps: frozenset[str]
) -> FlowState | None:
    """Where a journey flow was left: the current state if still in it, else its saved draft."""
    if state.flow == flow and state.step in steps:
        return state
    draft = ctx.records.drafts.get(flow)
    if draft and draft.get("step") in steps:
        return state.to(flow, str(draft["step"]), dict(draft.get("data") or {}))
    return None


class Flow(Protocol):
    """A flow: how it is entered (by command or entry button) and how its steps react."""

    name: str
    steps: frozenset[str]
    entries: Container[str]

    def begin(self, state: FlowState, ctx: Context, choice: str = "open") -> Outcome: ...

    def step(self, state: FlowState, event: Event, ctx: Context) -> Outcome: ...


# --- Button payloads --------------------------------------------------------------------------
# "flow:choice:nonce". Flows build "flow:choice"; the dispatcher stamps the nonce, the state
# version in base 36, so a press on an outdated message is recognised as stale and changes
# nothing. A nonce of "*" marks an entry button (menu items) that stays valid on old messages.

ENTRY = "*"
CALLBACK_LIMIT = 64


def b36(n: int) -> str:
    """`n` in base 36, the compact form nonces take."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def button(flow: str, label: str, choice: str, **args: str | int) -> Button:
    """A button for the flow's current step; the dispatcher stamps its nonce."""
    return Button(label, f"{flow}:{choice}", args)


def entry(flow: str, label: str, choice: str = "open", **args: str | int) -> Button:
    """A button that opens a flow from any message, however old."""
    return Button(label, f"{flow}:{choice}:{ENTRY}", args)


@dataclass(frozen=True)
class Taps:
    """Entry choices: a few fixed ones, plus answers a pattern recognises (like "k20261125")."""

    fixed: frozenset[str]
    pattern: re.Pattern[str]

    def __contains__(self, choice: object) -> bool:
        return choice in self.fixed or (
            isinstance(choice, str) and self.pattern.fullmatch(choice) is not None
        )


@dataclass(frozen=True)
class Pressed:
    """A decoded button press."""

    flow: str
    choice: str
    nonce: str

    @property
    def is_entry(self) -> bool:
        """True for menu-style buttons that are valid on any message."""
        return self.nonce == ENTRY


def decode(data: str) -> Pressed | None:
    """Decode callback data; None when it is not ours."""
    if len(data.encode()) > CALLBACK_LIMIT:
        return None
    parts = data.split(":")
    if len(parts) != 3 or not all(parts):
        return None
    return Pressed(*parts)


def settle(old: FlowState, new: FlowState, effects: list[Effect]) -> Outcome:
    """A new version when the state moved, and every step button stamped with it."""
    moved = (new.flow, new.step, new.data) != (old.flow, old.step, old.data)
    new = replace(new, version=old.version + 1 if moved else old.version)
    return new, [_stamp(e, new.version) for e in effects]


def _stamp(effect: Effect, version: int) -> Effect:
    """Give every non-entry button the nonce of the state it belongs to."""
    if not isinstance(effect, Say | Edit | Quote | Picture | Helplines) or not effect.buttons:
        return effect
    nonce = b36(version)
    stamped = tuple(
        tuple(
            b if b.data.endswith(":" + ENTRY) else Button(b.label, f"{b.data}:{nonce}", b.args)
            for b in row
        )
        for row in effect.buttons
    )
    return replace(effect, buttons=stamped)


def rows(*buttons: Button, width: int = 1) -> Keyboard:
    """Lay buttons out in rows of `width`."""
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))


def later(ctx: Context, **delta: float) -> datetime:
    """A time after `ctx.now`."""
    return ctx.now + timedelta(**delta)
