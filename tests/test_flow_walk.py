"""Random walks through every flow: nothing crashes, every text exists, every shown button works."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import i18n
from flows import dispatch
from flows.engine import (
    CALLBACK_LIMIT,
    Button,
    Command,
    Context,
    Edit,
    Effect,
    Event,
    FlowState,
    Helplines,
    NonText,
    Picture,
    Press,
    Quote,
    Say,
    SetProfile,
    ShowParked,
    Text,
    Timer,
    Toast,
)

START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
TEXTS = [
    "Berlin",
    "москва",
    "hi",
    "7",
    "10/10",
    "",
    "   ",
    "🔥🔥",
    "مرحبا بك",
    "x" * 5000,
    "I'm sorry",
    "/",
    "-3",
]
COMMANDS = ["start", "menu", "help", "cancel", "settings", "calm", "nope", "START"]
COMMANDS += ["reflect", "apology", "meet", "plan", "journal", "pause", "space", "checkin"]
COMMANDS += ["progress"]
TIMER_KINDS = ["calm_checkback", "parked_review", "meet_debrief", "nudge", "plan_review", "gone"]
TIMER_KINDS += ["checkin", "space_reminder", "space_end"]

actions = st.lists(
    st.one_of(
        st.tuples(st.just("tap"), st.integers(0, 12)),
        st.tuples(st.just("text"), st.sampled_from(TEXTS)),
        st.tuples(st.just("command"), st.sampled_from(COMMANDS)),
        st.tuples(st.just("nontext"), st.sampled_from(["sticker", "photo", "voice", "location"])),
        st.tuples(st.just("timer"), st.sampled_from(TIMER_KINDS)),
        st.tuples(
            st.just("forged"), st.sampled_from(["calm:stop:0", "x", "start:en:zz", "menu:x:*"])
        ),
    ),
    max_size=40,
)


def _keys(effect: Effect) -> list[str]:
    keys: list[str] = []
    if isinstance(effect, Say | Edit | Quote | Helplines):
        keys.append(effect.key)
    if isinstance(effect, ShowParked):
        keys += [effect.key, effect.empty_key]
    if isinstance(effect, Toast):
        keys.append(effect.key)
    if isinstance(effect, Picture):
        keys.append(effect.caption)
    if isinstance(effect, Say | Edit | Quote | ShowParked | Helplines):
        keys += [b.label for row in effect.buttons for b in row]
    return keys


def _buttons(effects: list[Effect]) -> list[Button]:
    return [
        b
        for e in effects
        if isinstance(e, Say | Edit | Quote | ShowParked | Helplines)
        for row in e.buttons
        for b in row
    ]


@settings(max_examples=300, deadline=None)
@given(actions)
def test_random_walks_stay_valid(steps: list[tuple[str, Any]]) -> None:
    state, profile, shown = FlowState(), {}, []  # type: ignore[var-annotated]
    now = START
    for kind, value in steps:
        event: Event
        if kind == "tap":
            if not shown:
                continue
            event = Press(shown[value % len(shown)].data)
        elif kind == "text":
            event = Text(value)
        elif kind == "command":
            event = Command(value)
        elif kind == "nontext":
            event = NonText(value)
        elif kind == "timer":
            event = Timer(value)
        else:
            event = Press(value)
        ctx = Context(5, 5, now, str(profile.get("locale", "en")), dict(profile))
        state, effects = dispatch.handle(state, event, ctx)
        if kind == "tap":
            assert Toast("button-stale") not in effects, f"a shown button was stale: {event}"
        for effect in effects:
            if isinstance(effect, SetProfile):
                profile.update(effect.values)
            for key in _keys(effect):
                for lang in ("en", "ru"):
                    assert i18n.has(lang, key), f"{key} missing in {lang}"
        new_buttons = _buttons(effects)
        for b in new_buttons:
            assert len(b.data.encode()) <= CALLBACK_LIMIT
        if new_buttons:
            shown = new_buttons
        now += timedelta(minutes=7)
        assert state.step in dispatch.FLOWS[state.flow].steps or state.flow == "help"


def test_both_languages_have_the_same_messages() -> None:
    english = i18n.message_ids("en")
    assert len(english) > 100
    for lang in i18n.available():
        assert i18n.message_ids(lang) == english, lang


def _paths(data: object, at: str = "") -> set[str]:
    """Every path to a value in a JSON document, as "a.b.c"."""
    if not isinstance(data, dict) or not data:
        return {at}
    return {
        key for name, value in data.items() for key in _paths(value, f"{at}.{name}" if at else name)
    }


def test_both_languages_have_the_same_pattern_data() -> None:
    files = sorted(p.name for p in (i18n.LOCALES_DIR / "en").glob("*.json"))
    assert "crisis-patterns.json" in files
    for lang in i18n.available():
        for name in files:
            english = _paths(json.loads((i18n.LOCALES_DIR / "en" / name).read_text("utf-8")))
            theirs = _paths(json.loads((i18n.LOCALES_DIR / lang / name).read_text("utf-8")))
            assert theirs == english, (lang, name, sorted(english ^ theirs))
