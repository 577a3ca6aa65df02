"""The private trust check-in: once a week, how much trust is coming back, seen only by them."""

from __future__ import annotations

import re
from datetime import timedelta

from flows import partner
from flows.engine import (
    Choice,
    Context,
    Edit,
    Effect,
    Event,
    FlowState,
    Keep,
    Keyboard,
    Outcome,
    Picture,
    Say,
    Schedule,
    SetProfile,
    Taps,
    Text,
    Timer,
    Toast,
    ToGroup,
    Unschedule,
    button,
    entry,
    rows,
)

name = "trust"
steps = frozenset({"word"})
TIMERS = frozenset({"trust_checkin"})
KEY = partner.TRUST_KEY
EVERY = timedelta(days=7)
WORD_LIMIT = 40
SHOWN_WEEKS = 8
# A tap carries the week it was asked about: "s7-20261125" is a 7 for that week; "x-…" skips it.
TAP = re.compile(r"(s(?:10|\d)|x|p)-\d{8}", re.ASCII)


# "p-…" shares that week's number (the number only) in the couple's group.
entries = Taps(frozenset({"stop", "chart"}), TAP)


def ref(day: str) -> str:
    """The question for one week, edited in place when it is answered."""
    return f"trust:{day}"


def first(ctx: Context) -> list[Effect]:
    """Start the weekly question when the pair becomes active."""
    return [Schedule(KEY, "trust_checkin", ctx.now + EVERY)]


def on_timer(event: Timer, ctx: Context) -> list[Effect]:
    """Ask, privately and skippably, then ask again a week later while the pair is live."""
    if not partner.controls(ctx) or ctx.pair is None or ctx.pair.status != "active":
        # Paused or ended: no question, and while merely paused it comes back next week.
        paused = ctx.pair is not None and ctx.pair.status == "paused"
        return [Schedule(KEY, "trust_checkin", ctx.now + EVERY)] if paused else []
    day = ctx.today()
    stamp = day.replace("-", "")
    scores = [entry(name, "trust-score", f"s{n}-{stamp}", n=n) for n in range(11)]
    skip = entry(name, "trust-btn-skip", f"x-{stamp}")
    keyboard = rows(*scores, width=6) + rows(skip, entry(name, "trust-btn-stop", "stop"))
    return [
        Say("trust-ask", buttons=keyboard, ref=ref(day)),
        Schedule(KEY, "trust_checkin", ctx.now + EVERY),
    ]


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Take a week's answer once, or stop the weekly question."""
    if not partner.controls(ctx):
        return state, [Say("partner-none")]
    if choice == "stop":
        return state, [Unschedule(KEY), Say("trust-stopped")]
    weeks: dict[str, int | None] = dict(ctx.profile.get("trust") or {})
    if choice == "chart":
        if not any(v is not None for v in weeks.values()):
            return state, [Say("trust-chart-empty")]
        return state, [Picture("trust", "trust-chart-caption")]
    found = TAP.fullmatch(choice)
    if found is None:
        return state, []
    head, stamp = choice.split("-")
    day = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:]}"
    if head == "p":
        return state, _share(day, weeks, ctx)
    if day in weeks:
        return state, [Edit(ref(day), "trust-already", buttons=_after(day, weeks, ctx))]
    score = None if head == "x" else int(head[1:])
    weeks[day] = score
    effects: list[Effect] = [SetProfile({"trust": weeks})]
    if score is None:
        stop = rows(entry(name, "trust-btn-stop", "stop"))
        return state, [*effects, Edit(ref(day), "trust-skipped", buttons=stop)]
    noted: dict[str, str | int] = {"score": score, "trend": trend(weeks)}
    effects.append(Edit(ref(day), "trust-noted", noted, buttons=_after(day, weeks, ctx)))
    skip = rows(button(name, "trust-btn-no-word", "none"))
    return state.to(name, "word", {"day": day}), [*effects, Say("trust-word-ask", buttons=skip)]


def _after(day: str, weeks: dict[str, int | None], ctx: Context) -> Keyboard:
    """Under an answered week: the chart, sharing that week's number if there is a group, stop."""
    items = [entry(name, "trust-btn-chart", "chart")]
    shared = day in (ctx.profile.get("trust_shared") or [])
    grouped = ctx.pair is not None and ctx.pair.group is not None
    if grouped and weeks.get(day) is not None and not shared:
        items.append(entry(name, "trust-btn-share", "p-" + day.replace("-", "")))
    items.append(entry(name, "trust-btn-stop", "stop"))
    return rows(*items)


def _share(day: str, weeks: dict[str, int | None], ctx: Context) -> list[Effect]:
    """Their own choice: that week's number, and nothing else, said in the group once."""
    score = weeks.get(day)
    shared: list[str] = list(ctx.profile.get("trust_shared") or [])
    if score is None or ctx.pair is None or ctx.pair.group is None or day in shared:
        return [Toast("button-stale")]
    now_shared = [*shared, day][-SHOWN_WEEKS:]
    after = ctx.with_profile(trust_shared=now_shared)
    noted: dict[str, str | int] = {"score": score, "trend": trend(weeks)}
    return [
        SetProfile({"trust_shared": now_shared}),
        ToGroup((Say("group-trust-shared", {"score": score}),)),
        Edit(ref(day), "trust-noted", noted, buttons=_after(day, weeks, after)),
        Toast("trust-shared"),
    ]


def trend(weeks: dict[str, int | None]) -> str:
    """The last few answers as a line of numbers, oldest first: "3 → 4 → 6"."""
    answered = [str(v) for _, v in sorted(weeks.items()) if v is not None]
    return " → ".join(answered[-SHOWN_WEEKS:])


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """One optional word about what helped or hurt; kept with that week's answer."""
    idle = state.to(partner.name, "home")
    if isinstance(event, Choice):
        return idle, [Say("trust-thanks")]
    if not isinstance(event, Text):
        return state, []
    word = event.text.strip()
    if len(word) > WORD_LIMIT:
        return state, [Say("answer-too-long", {"limit": WORD_LIMIT})]
    # Free text lives with the rest of what they wrote, not in the profile.
    return idle, [
        Keep("trust_word", {"day": state.data.get("day"), "word": word}),
        Say("trust-thanks"),
    ]
