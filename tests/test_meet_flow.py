"""The meet flow: only when they are willing, a pinned card to reread, a debrief afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import i18n
from flows import dispatch, meet
from flows.engine import (
    Button,
    Command,
    Context,
    DropDraft,
    Edit,
    Effect,
    Entry,
    FlowState,
    Keep,
    NonText,
    Press,
    Quote,
    Records,
    SaveDraft,
    Say,
    Schedule,
    Text,
    Timer,
    Toast,
)
from tests.flow_driver import Talk

# A Wednesday at noon: today's afternoon and evening are still ahead.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PROFILE: dict[str, Any] = {
    "intake_done": True,
    "intake": {"severity": "grave", "openness": "yes"},
    "heat": 3,
}
APOLOGY = Entry(1, "apology", NOW, {"text": "I read your messages without asking. I'm sorry."})
PLAN = Entry(2, "plan", NOW, {"commitments": [{"text": "No checking your phone"}, {"x": 1}]})
# What only a willing, calm user with no request for space should ever see.
CONTACT_KEYS = {"meet-invite", "meet-setting", "meet-q-day", "meet-q-place", "meet-listen"}


class MeetTalk(Talk):
    """A calm, willing user with a serious situation, unless told otherwise."""

    def __init__(self, records: Records | None = None, **profile: Any) -> None:
        super().__init__({**PROFILE, **profile}, records, now=NOW)

    def said(self) -> list[str]:
        return [e.key for e in self.effects if isinstance(e, Say | Quote)]

    def labels(self) -> list[str]:
        return [b.label for b in self.buttons()]


def prepare_until_opening(talk: MeetTalk) -> None:
    talk.send(Command("meet"))
    talk.press("meet-btn-agreed")
    talk.press("meet-btn-tomorrow")
    talk.press("meet-btn-evening")
    talk.send(Text("The bench by the river"))


def test_the_full_path_ends_with_a_pinned_card_and_a_debrief_three_hours_after() -> None:
    talk = MeetTalk(Records((APOLOGY,)))
    talk.send(Command("meet"))
    assert talk.said() == ["meet-q-agreed"]
    talk.press("meet-btn-agreed")
    assert talk.said() == ["meet-setting", "meet-q-day"]
    talk.press("meet-btn-tomorrow")
    assert talk.said() == ["meet-q-part"]
    talk.press("meet-btn-evening")
    assert talk.said() == ["meet-q-place"]
    talk.send(Text("The bench by the river"))
    opening = next(e for e in talk.effects if isinstance(e, Say))
    assert opening.key == "meet-opening" and opening.args["apology"] == APOLOGY.data["text"]
    talk.press("meet-btn-next")
    assert talk.said() == ["meet-listen"]
    talk.press("meet-btn-next")
    assert talk.said() == ["meet-whatif"]
    talk.press("meet-btn-next")
    assert talk.said() == ["meet-proposal-ask"]
    talk.send(Text("I'll text you if I'm going to be late"))

    meeting = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    card = next(e for e in talk.effects if isinstance(e, Say) and e.key == "meet-card")
    assert card.pin
    lines = dict(card.more)
    assert lines["meet-card-when"] == {
        "weekday": "thu",
        "day": 26,
        "month": "nov",
        "part": "evening",
    }
    assert lines["meet-card-where"] == {"place": "The bench by the river"}
    assert lines["meet-card-opening"] == {"opening": APOLOGY.data["text"]}
    assert lines["meet-card-proposal"] == {"proposal": "I'll text you if I'm going to be late"}
    keep = next(e for e in talk.effects if isinstance(e, Keep))
    assert keep.kind == "meeting"
    assert keep.data["at"] == meeting.isoformat() and keep.data["place"] == "The bench by the river"
    assert (
        Schedule(
            "meet:debrief",
            "meet_debrief",
            meeting + timedelta(hours=3),
            {"at": meeting.isoformat()},
        )
        in talk.effects
    )
    assert DropDraft("meet") in talk.effects
    assert "meet" in talk.profile["done"]
    assert (talk.state.flow, talk.state.step) == ("menu", "idle")
    assert "meet-after" in talk.said() and "btn-menu" in talk.labels()


def test_every_text_of_the_full_path_renders_in_both_languages() -> None:
    talk = MeetTalk(Records((APOLOGY, PLAN)))
    said: list[Effect] = []
    prepare_until_opening(talk)
    said += talk.effects
    for _ in range(3):
        said += talk.press("meet-btn-next")
    said += talk.press("meet-btn-bring")
    for lang in ("en", "ru"):
        bundle = i18n.bundle(lang)
        for effect in said:
            if not isinstance(effect, Say):
                continue
            for key, values in [(effect.key, effect.args), *effect.more]:
                if key:
                    pattern = bundle.get_message(key).value
                    assert pattern is not None, key
                    _, errors = bundle.format_pattern(pattern, dict(values))
                    assert not errors, (lang, key, errors)


def test_still_needing_to_ask_shows_an_invitation_they_send_themselves() -> None:
    talk = MeetTalk()
    talk.send(Command("meet"))
    talk.press("meet-btn-ask")
    assert talk.said() == ["meet-invite"]
    assert talk.state.data["agreed"] == "ask"
    talk.press("meet-btn-next")
    assert talk.said() == ["meet-setting", "meet-q-day"]


def test_not_agreed_yet_skips_the_time_of_day_and_schedules_nothing() -> None:
    talk = MeetTalk(Records((APOLOGY,)))
    talk.send(Command("meet"))
    talk.press("meet-btn-ask")
    talk.press("meet-btn-next")
    talk.press("meet-btn-unset")
    assert talk.said() == ["meet-q-place"]
    talk.press("meet-btn-skip")
    for _ in range(3):
        talk.press("meet-btn-next")
    talk.press("meet-btn-skip")
    card = next(e for e in talk.effects if isinstance(e, Say) and e.key == "meet-card")
    keys = [key for key, _ in card.more]
    assert "meet-card-when-unset" in keys
    assert "meet-card-where" not in keys and "meet-card-proposal" not in keys
    assert not any(isinstance(e, Schedule) for e in talk.effects)


def test_they_asked_for_space_stops_without_any_contact_step() -> None:
    talk = MeetTalk()
    talk.send(Command("meet"))
    talk.press("meet-btn-space")
    assert talk.said() == ["meet-space"]
    assert (talk.state.flow, talk.state.step) == ("menu", "idle")
    assert DropDraft("meet") in talk.effects
    assert all(b.data.endswith(":*") for b in talk.buttons())
    assert {b.data.split(":")[0] for b in talk.buttons()} == {"reflect", "menu"}


def test_they_said_no_never_shows_meet_steps() -> None:
    talk = MeetTalk(intake={"severity": "grave", "openness": "no"})
    talk.send(Command("meet"))
    assert talk.said() == ["meet-declined"]
    assert talk.state.flow == "menu"
    assert talk.labels() == ["btn-menu"]
    # A draft from before their answer does not bring the steps back.
    talk.records = Records(drafts={"meet": {"step": "place", "data": {"agreed": "yes"}}})
    talk.send(Command("meet"))
    assert talk.said() == ["meet-declined"]
    assert not CONTACT_KEYS & set(talk.said())


def test_heat_routes_to_calm_first() -> None:
    talk = MeetTalk(heat=8)
    talk.send(Command("meet"))
    assert talk.said() == ["meet-heated"]
    assert [b.data for b in talk.buttons()] == ["calm:open:*", "menu:open:*"]
    talk.press("meet-btn-calm")
    assert talk.state.flow == "calm"


def test_no_apology_yet_offers_one_and_lets_them_go_on_without() -> None:
    talk = MeetTalk()
    prepare_until_opening(talk)
    assert talk.said() == ["meet-opening-none"]
    assert "apology:open:*" in [b.data for b in talk.buttons()]
    talk.press("meet-btn-next")
    assert talk.said() == ["meet-listen"]


def test_writing_the_apology_first_comes_back_to_the_opening_with_it() -> None:
    talk = MeetTalk()
    prepare_until_opening(talk)
    talk.press("meet-btn-apology")
    assert talk.state.flow == "apology"
    assert talk.records.drafts["meet"]["step"] == "opening"
    talk.records = Records((APOLOGY,), talk.records.drafts)
    talk.send(Command("meet"))
    assert talk.said() == ["resume-note", "meet-opening"]


def test_a_plan_is_suggested_as_the_proposal() -> None:
    talk = MeetTalk(Records((APOLOGY, PLAN)))
    prepare_until_opening(talk)
    for _ in range(3):
        talk.press("meet-btn-next")
    say = next(e for e in talk.effects if isinstance(e, Say))
    assert say.key == "meet-proposal-plan" and say.args["plan"] == "• No checking your phone"
    talk.press("meet-btn-bring")
    keep = next(e for e in talk.effects if isinstance(e, Keep))
    assert keep.data["proposal"] == "• No checking your phone"


def test_a_plan_without_usable_commitments_asks_for_one() -> None:
    odd = Entry(2, "plan", NOW, {"commitments": "not a list"})
    talk = MeetTalk(Records((APOLOGY, odd)))
    prepare_until_opening(talk)
    for _ in range(3):
        talk.press("meet-btn-next")
    assert talk.said() == ["meet-proposal-ask"]


def test_bad_input_changes_nothing() -> None:
    talk = MeetTalk()
    talk.send(Command("meet"))
    before = talk.state
    talk.send(Text("yes they did"))
    assert talk.said() == ["use-buttons"] and talk.state == before
    talk.send(NonText("sticker"))
    assert talk.state == before
    talk.press("meet-btn-agreed")
    before = talk.state
    talk.send(Text("tomorrow"))
    assert talk.said() == ["use-buttons"] and talk.state == before
    talk.press("meet-btn-tomorrow")
    talk.press("meet-btn-morning")
    before = talk.state
    talk.send(Text("x" * 201))
    assert talk.said() == ["answer-too-long"] and talk.state == before
    assert talk.send(Press("meet:evening:0")) == [Toast("button-stale")]


def test_no_today_once_the_evening_has_begun() -> None:
    talk = MeetTalk()
    talk.now = NOW.replace(hour=20)
    talk.send(Command("meet"))
    talk.press("meet-btn-agreed")
    assert "meet-btn-today" not in talk.labels() and "meet-btn-tomorrow" in talk.labels()


def test_a_time_of_day_that_has_passed_is_asked_again() -> None:
    talk = MeetTalk()
    talk.now = NOW.replace(hour=14, minute=50)
    talk.send(Command("meet"))
    talk.press("meet-btn-agreed")
    talk.press("meet-btn-today")
    assert talk.labels() == ["meet-btn-afternoon", "meet-btn-evening", "btn-pause"]
    talk.now = NOW.replace(hour=15, minute=5)
    talk.press("meet-btn-afternoon")
    assert talk.said() == ["meet-part-passed"] and talk.state.step == "when_part"
    talk.press("meet-btn-evening")
    assert talk.state.data["at"] == NOW.replace(hour=19).isoformat()


def test_pausing_and_resuming_keeps_the_answers() -> None:
    talk = MeetTalk(Records((APOLOGY,)))
    prepare_until_opening(talk)
    talk.press("btn-pause")
    assert talk.state.flow == "menu" and "journey-paused" in talk.said()
    saved = next(e for e in talk.effects if isinstance(e, SaveDraft))
    assert saved.step == "opening" and saved.data["place"] == "The bench by the river"
    talk.state = FlowState(version=talk.state.version)
    talk.send(Command("meet"))
    assert talk.said() == ["resume-note", "meet-opening"]
    for _ in range(3):
        talk.press("meet-btn-next")
    talk.press("meet-btn-skip")
    keep = next(e for e in talk.effects if isinstance(e, Keep))
    assert keep.data["place"] == "The bench by the river" and keep.data["part"] == "evening"


def test_a_preparation_finished_after_its_time_asks_for_no_debrief() -> None:
    talk = MeetTalk(Records((APOLOGY,)))
    prepare_until_opening(talk)
    talk.press("btn-pause")
    talk.now = NOW + timedelta(days=2)
    talk.send(Command("meet"))
    for _ in range(3):
        talk.press("meet-btn-next")
    talk.press("meet-btn-skip")
    card = next(e for e in talk.effects if isinstance(e, Say) and e.key == "meet-card")
    assert "meet-card-when-unset" in [key for key, _ in card.more]
    assert not any(isinstance(e, Schedule) for e in talk.effects)


def test_resuming_at_the_time_of_day_asks_the_day_again() -> None:
    talk = MeetTalk()
    talk.send(Command("meet"))
    talk.press("meet-btn-agreed")
    talk.press("meet-btn-tomorrow")
    talk.press("btn-pause")
    talk.send(Command("meet"))
    assert talk.said() == ["resume-note", "meet-setting", "meet-q-day"]
    assert talk.state.step == "when_day"


def test_starting_over_forgets_the_answers() -> None:
    talk = MeetTalk()
    prepare_until_opening(talk)
    talk.send(Command("menu"))
    talk.send(Command("meet"))
    talk.press("btn-start-over")
    assert DropDraft("meet") in talk.effects
    assert talk.said() == ["meet-q-agreed"] and talk.state.data == {}


def test_the_debrief_keeps_what_they_asked_for() -> None:
    meeting = NOW.replace(hour=19).isoformat()
    talk = MeetTalk()
    talk.send(Command("menu"))
    talk.send(Timer("meet_debrief", {"at": meeting}))
    assert talk.said() == ["meet-debrief-due"]
    assert "meet:debrief:*" in [b.data for b in talk.buttons()]
    talk.press("meet-btn-debrief")
    assert talk.said() == ["meet-debrief-how"] and talk.state.step == "debrief_how"
    talk.press("meet-btn-mixed")
    assert talk.said() == ["meet-debrief-asks"]
    talk.send(Text("To hear from me before plans change, not after"))
    text = "To hear from me before plans change, not after"
    assert Keep("asks", {"text": text, "how": "mixed"}) in talk.effects
    assert "plan:open:*" in [b.data for b in talk.buttons()]
    assert "calm:open:*" in [b.data for b in talk.buttons()]
    assert talk.state.flow == "menu"


def test_the_debrief_with_nothing_specific_keeps_nothing() -> None:
    talk = MeetTalk()
    talk.send(Command("menu"))
    talk.send(Timer("meet_debrief"))
    talk.press("meet-btn-debrief")
    talk.press("meet-btn-well")
    talk.press("meet-btn-nothing")
    assert not any(isinstance(e, Keep) for e in talk.effects)
    assert talk.said() == ["meet-debrief-next"]


def test_a_talk_that_did_not_happen_gets_no_pressure() -> None:
    talk = MeetTalk()
    talk.send(Timer("meet_debrief"))
    talk.press("meet-btn-debrief")
    talk.press("meet-btn-missed")
    assert talk.said() == ["meet-debrief-missed"]
    assert talk.state.flow == "menu"
    assert not any(isinstance(e, Keep) for e in talk.effects)


def test_a_debrief_in_the_middle_of_preparing_puts_the_preparation_back() -> None:
    talk = MeetTalk(Records((APOLOGY,)))
    prepare_until_opening(talk)
    talk.send(Timer("meet_debrief"))
    assert talk.state.step == "opening"
    talk.press("meet-btn-debrief")
    talk.press("meet-btn-hard")
    talk.send(Text("Space on weekends"))
    draft = talk.records.drafts["meet"]
    assert draft["step"] == "opening" and draft["data"]["place"] == "The bench by the river"
    talk.send(Command("meet"))
    assert talk.said() == ["resume-note", "meet-opening"]


def test_leaving_the_debrief_midway_resumes_it() -> None:
    talk = MeetTalk()
    talk.send(Timer("meet_debrief"))
    talk.press("meet-btn-debrief")
    talk.press("meet-btn-well")
    talk.send(Command("menu"))
    talk.send(Command("meet"))
    assert talk.said() == ["resume-note", "meet-debrief-asks"]


def test_other_timers_say_nothing() -> None:
    assert meet.on_timer(Timer("calm_checkback"), MeetTalk().context()) == []


def test_russian_never_guesses_the_users_gender() -> None:
    text = (i18n.LOCALES_DIR / "ru" / "meet.ftl").read_text(encoding="utf-8")
    for form in ("(а)", "(a)", "сделал", "готов ", "должен", "сам "):
        assert form not in text, form


# --- Random walks through this flow: every text exists, every button shown works ---------------

TEXTS = ["hi", "", "x" * 600, "the park", "/"]
walk = st.lists(
    st.one_of(
        st.tuples(st.just("tap"), st.integers(0, 12)),
        st.tuples(st.just("text"), st.sampled_from(TEXTS)),
        st.tuples(st.just("command"), st.sampled_from(["meet", "menu", "cancel", "apology"])),
        st.tuples(st.just("nontext"), st.just("sticker")),
        st.tuples(st.just("timer"), st.just("meet_debrief")),
        st.tuples(st.just("clock"), st.integers(1, 600)),
    ),
    max_size=40,
)
situations = st.sampled_from(
    [
        {},
        {"heat": 9},
        {"intake": {"openness": "no"}},
        {"intake": {"openness": "unsure"}},
    ]
)


@settings(max_examples=200, deadline=None)
@given(walk, situations, st.booleans(), st.integers(0, 23))
def test_random_walks_through_meet_stay_valid(
    actions: list[tuple[str, Any]], situation: dict[str, Any], kept: bool, hour: int
) -> None:
    talk = MeetTalk(Records((APOLOGY, PLAN) if kept else ()), **situation)
    talk.now = NOW.replace(hour=hour)
    shown: list[Button] = []
    for kind, value in actions:
        if kind == "clock":
            talk.now += timedelta(minutes=value)
            continue
        if kind == "tap":
            if not shown:
                continue
            pressed = shown[value % len(shown)]
            effects = talk.send(Press(pressed.data))
            assert Toast("button-stale") not in effects, pressed
        elif kind == "text":
            effects = talk.send(Text(value))
        elif kind == "command":
            effects = talk.send(Command(value))
        elif kind == "nontext":
            effects = talk.send(NonText(value))
        else:
            effects = talk.send(Timer(value))
        if situation.get("intake", {}).get("openness") == "no":
            assert not CONTACT_KEYS & set(talk.said())
        for effect in effects:
            if isinstance(effect, Say | Edit | Quote):
                labels = [b.label for row in effect.buttons for b in row]
                more = [k for k, _ in effect.more if k] if isinstance(effect, Say) else []
                for key in [effect.key, *labels, *more]:
                    assert i18n.has("en", key) and i18n.has("ru", key), key
                if effect.key.startswith("meet-"):
                    assert len(labels) <= 6, effect.key
        # The plan flow is written separately; until it lands its entry cannot be pressed here.
        new = [b for b in talk.buttons() if b.data.split(":")[0] in dispatch.FLOWS]
        shown = new or shown
        state = talk.state
        assert state.step in dispatch.FLOWS[state.flow].steps or state.flow == "help"


def test_the_meeting_time_is_on_the_users_own_clock() -> None:
    class InTokyo(MeetTalk):
        def context(self) -> Context:
            local = self.now.astimezone(ZoneInfo("Asia/Tokyo"))
            return replace(super().context(), local_now=local)

    talk = InTokyo(Records((APOLOGY,)))
    prepare_until_opening(talk)
    for _ in range(3):
        talk.press("meet-btn-next")
    effects = talk.press("meet-btn-skip")
    debrief = next(e for e in effects if isinstance(e, Schedule))
    assert debrief.due is not None
    # Tomorrow evening in Tokyo (19:00 on the 26th), plus three hours, is 13:00 UTC.
    assert debrief.due.astimezone(UTC) == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
