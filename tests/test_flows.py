"""Flow unit tests: plain function calls, no event loop, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flows.engine import (
    CancelPending,
    Command,
    DropDraft,
    Edit,
    FlowState,
    Keep,
    NonText,
    Park,
    Press,
    Say,
    Schedule,
    SetProfile,
    ShowParked,
    Text,
    Timer,
    Toast,
    Unschedule,
    b36,
)
from tests.flow_driver import NOW, Talk


class Chat(Talk):
    """A private chat with the bot, as the flow tests drive it."""

    def say_keys(self) -> list[str]:
        return self.spoken()


def intake(chat: Chat, *answers: str, heat: str = "heat-h4") -> None:
    chat.send(Command("start"))
    chat.press("start-lang-en")
    for label in answers:
        chat.press(label)
    chat.press(heat)


def test_intake_takes_six_taps_and_lands_on_the_menu_with_a_reason() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-promise",
        "start-severity-minor",
        "start-openness-yes",
    )
    assert chat.profile["intake"] == {
        "who": "partner",
        "what": "promise",
        "severity": "minor",
        "openness": "yes",
    }
    assert chat.profile["heat"] == 4 and chat.profile["intake_done"] is True
    assert chat.state.flow == "menu"
    home = [e for e in chat.effects if isinstance(e, Say) and e.key == "menu-home"]
    assert home and home[0].args == {"why": "apology-minor"}
    assert home[0].buttons[0][0].label == "menu-btn-apology"


def test_intake_questions_share_one_message_edited_in_place() -> None:
    chat = Chat()
    effects = chat.send(Command("start"))
    assert [e.ref for e in effects if isinstance(e, Say)] == [None, "start:question"]
    for label in ("start-lang-en", "start-who-friend", "start-what-words"):
        effects = chat.press(label)
        assert [type(e) for e in effects if not isinstance(e, SetProfile)] == [Edit]
        assert {e.ref for e in effects if isinstance(e, Edit)} == {"start:question"}


def test_heated_intake_goes_to_calm_first() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-friend",
        "start-what-lie",
        "start-severity-grave",
        "start-openness-unsure",
        heat="heat-h8",
    )
    assert chat.state.flow == "calm"
    assert "calm-intro-first" in chat.say_keys()


def test_they_said_no_gets_respect_and_no_contact_steps() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-betrayal",
        "start-severity-grave",
        "start-openness-no",
    )
    assert "menu-declined" in chat.say_keys()
    labels = {b.label for b in chat.buttons()}
    assert not any("meet" in label or "reach" in label for label in labels)
    # The acknowledgement is said once, not every time the menu opens.
    chat.send(Command("menu"))
    assert "menu-declined" not in chat.say_keys()


def test_they_said_no_while_heated_still_gets_the_acknowledgement_after_calming() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-words",
        "start-severity-serious",
        "start-openness-no",
        heat="heat-h10",
    )
    assert chat.state.flow == "calm"
    chat.press("calm-btn-breathe")
    chat.press("calm-btn-calmer")
    chat.send(Text("3"))
    assert "menu-declined" in chat.say_keys()


def test_typed_heat_is_accepted_and_nonsense_is_asked_again() -> None:
    chat = Chat()
    chat.send(Command("start"))
    for label in (
        "start-lang-en",
        "start-who-colleague",
        "start-what-other",
        "start-severity-minor",
        "start-openness-yes",
    ):
        chat.press(label)
    before = chat.state
    chat.send(Text("a lot 🔥"))
    assert chat.state == before and chat.say_keys()[0] == "heat-invalid"
    chat.send(Text("11"))
    assert chat.state == before
    chat.send(Text(" 7/10 "))
    assert chat.profile["heat"] == 7 and chat.state.flow == "calm"


def test_choosing_russian_switches_the_language_at_once() -> None:
    chat = Chat()
    chat.send(Command("start"))
    effects = chat.press("start-lang-ru")
    assert effects[0] == SetProfile({"locale": "ru"})
    assert chat.say_keys() == ["start-who"]


def test_text_during_intake_asks_for_a_tap_and_keeps_the_step() -> None:
    chat = Chat()
    chat.send(Command("start"))
    chat.press("start-lang-en")
    before = chat.state
    chat.send(Text("my girlfriend"))
    assert chat.state == before
    assert chat.say_keys() == ["start-use-buttons"]
    chat.press("start-who-friend")
    assert chat.say_keys() == ["start-what"]


def test_old_button_is_stale_and_changes_nothing() -> None:
    chat = Chat()
    chat.send(Command("start"))
    old = chat.buttons()
    chat.press("start-lang-en")
    before, profile = chat.state, dict(chat.profile)
    effects = chat.send(Press(old[1].data))
    assert effects == [Toast("button-stale")]
    assert chat.state == before and chat.profile == profile


def test_forged_and_foreign_buttons_are_stale() -> None:
    chat = Chat()
    chat.send(Command("start"))
    before = chat.state
    for data in (
        "start:ru:zzz",
        "nope:x:1",
        "garbage",
        "",
        "a" * 80,
        "start:ru",
        "menu:drop_tables:*",
    ):
        effects = chat.send(Press(data))
        assert effects == [Toast("button-stale")], data
        assert chat.state == before


def test_menu_buttons_keep_working_on_old_messages() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-promise",
        "start-severity-minor",
        "start-openness-yes",
    )
    calm_entry = next(b for b in chat.buttons() if b.label == "menu-btn-calm")
    chat.send(Command("help"))
    chat.send(Command("settings"))
    chat.send(Press(calm_entry.data))
    assert chat.state.flow == "calm" and "calm-intro" in chat.say_keys()


def test_cancel_mid_intake_saves_nothing() -> None:
    chat = Chat()
    chat.send(Command("start"))
    chat.press("start-lang-en")
    chat.press("start-who-partner")
    effects = chat.send(Command("cancel"))
    assert chat.state.flow == "menu"
    assert "intake" not in chat.profile
    assert not any(isinstance(e, SetProfile) and "intake" in e.values for e in effects)
    assert chat.say_keys()[0] == "cancel-done"


def test_unknown_command_points_to_help() -> None:
    chat = Chat()
    chat.send(Command("start"))
    before = chat.state
    chat.send(Command("frobnicate"))
    assert chat.state == before
    effects = chat.effects
    assert isinstance(effects[0], Say) and effects[0].key == "unknown-command"
    assert effects[0].args == {"command": "frobnicate"}


def test_stickers_and_photos_get_a_kind_reply_and_keep_the_step() -> None:
    chat = Chat()
    chat.send(Command("start"))
    chat.press("start-lang-en")
    before = chat.state
    for kind in ("sticker", "photo", "voice", "location", "contact", "document"):
        chat.send(NonText(kind))
        assert chat.state == before
        assert chat.say_keys() == ["nontext-reply"]


def test_empty_text_is_answered_not_stored() -> None:
    chat = Chat({"intake_done": True, "locale": "en"})
    chat.send(Command("calm"))
    chat.press("calm-btn-write")
    before = chat.state
    chat.send(Text("   "))
    assert chat.state == before and chat.say_keys() == ["empty-text"]


def test_breathing_edits_one_message_in_place() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    effects = chat.press("calm-btn-breathe")
    says = [e for e in effects if isinstance(e, Say)]
    edits = [e for e in effects if isinstance(e, Edit)]
    assert len(says) == 1 and says[0].ref == "calm:breath"
    assert len(edits) >= 8 and {e.ref for e in edits} == {"calm:breath"}
    assert all(e.delay > 0 for e in edits)
    assert edits[-1].key == "calm-breath-done"
    stop = says[0].buttons[0][0]
    assert stop.label == "calm-btn-stop"
    effects = chat.send(Press(stop.data))
    assert CancelPending("calm:breath") in effects
    assert any(isinstance(e, Edit) and e.key == "calm-breath-stopped" for e in effects)


def test_grounding_walks_five_senses_in_one_message() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-ground")
    keys = [chat.say_keys()[0]]
    for _ in range(5):
        chat.press("calm-btn-done-sense")
        keys += chat.say_keys()
    assert keys == [
        "calm-ground-5",
        "calm-ground-4",
        "calm-ground-3",
        "calm-ground-2",
        "calm-ground-1",
        "calm-ground-done",
    ]
    assert all(isinstance(e, Edit) for e in chat.effects if not isinstance(e, Toast))


def test_write_it_out_parks_the_message_and_offers_it_tomorrow() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-write")
    effects = chat.send(Text("You never listen. I'm done with this."))
    assert Park("You never listen. I'm done with this.") in effects
    assert chat.profile["has_parked"] is True
    effects = chat.press("calm-btn-show-tomorrow")
    schedules = [e for e in effects if isinstance(e, Schedule)]
    at = {"at": NOW.isoformat()}
    assert schedules == [Schedule("calm:parked", "parked_review", NOW + timedelta(days=1), at)]
    assert chat.state.step == "rate"


def test_not_now_on_write_it_out_goes_back_to_the_tools() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-write")
    chat.press("btn-not-now")
    assert chat.state.step == "choose" and chat.say_keys() == ["calm-choose"]


def test_the_rest_of_a_split_long_message_joins_the_parked_one() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-write")
    chat.send(Text("first half"))
    effects = chat.send(Text("second half"))
    assert Park("second half", append=True) in effects
    assert chat.state.step == "parked"


def test_leaving_calm_mid_breath_stops_the_guide() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-breathe")
    for command in ("cancel", "menu"):
        chat.send(Command("calm"))
        chat.press("calm-btn-breathe")
        effects = chat.send(Command(command))
        assert CancelPending("calm:breath") in effects


def test_settling_down_cancels_a_pending_check_back() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-breathe")
    chat.press("calm-btn-calmer")
    effects = chat.press("heat-h2")
    assert Unschedule("calm:checkback") in effects


def test_too_long_parked_message_is_refused_kindly() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-write")
    effects = chat.send(Text("x" * 5000))
    assert not any(isinstance(e, Park) for e in effects)
    assert chat.say_keys() == ["calm-write-too-long"]


def test_still_heated_after_calm_offers_a_check_back() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-breathe")
    chat.press("calm-btn-calmer")
    chat.press("heat-h8")
    assert chat.state.step == "still_hot"
    effects = chat.press("calm-btn-in30m")
    assert Schedule("calm:checkback", "calm_checkback", NOW + timedelta(minutes=30)) in effects
    assert chat.state.flow == "menu"


def test_settled_after_calm_returns_to_the_menu() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("calm"))
    chat.press("calm-btn-breathe")
    chat.press("calm-btn-calmer")
    chat.press("heat-h2")
    assert chat.profile["heat"] == 2
    assert chat.state.flow == "menu" and "calm-settled" in chat.say_keys()


def test_check_back_timer_arrives_with_working_buttons_in_any_state() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("settings"))
    before = chat.state
    chat.send(Timer("calm_checkback"))
    assert chat.state == before
    chat.press("heat-h4")
    assert chat.profile["heat"] == 4 and chat.state.flow == "menu"


def test_parked_review_timer_shows_the_parked_message() -> None:
    chat = Chat({"intake_done": True})
    effects = chat.send(Timer("parked_review", {"at": NOW.isoformat()}))
    assert len(effects) == 1 and isinstance(effects[0], ShowParked)
    assert (effects[0].key, effects[0].before) == ("calm-parked-review", NOW.isoformat())


def test_unknown_saved_state_restarts_at_the_menu_with_a_word() -> None:
    chat = Chat({"intake_done": True})
    chat.state = FlowState("retired_flow", "gone", {"x": 1}, 7)
    chat.send(Text("hello"))
    assert chat.say_keys()[0] == "state-reset"
    assert chat.state.flow == "menu" and chat.state.version == 8


def test_start_again_after_intake_welcomes_back() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-promise",
        "start-severity-minor",
        "start-openness-yes",
    )
    chat.send(Command("start"))
    assert chat.say_keys()[:2] == ["start-welcome-back", "menu-home"]


def test_settings_change_language_and_redo_intake() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-promise",
        "start-severity-minor",
        "start-openness-yes",
    )
    chat.send(Command("settings"))
    effects = chat.press("start-lang-ru")
    assert SetProfile({"locale": "ru"}) in effects and chat.state.flow == "menu"
    chat.send(Command("settings"))
    chat.press("settings-btn-redo")
    assert chat.state.flow == "start" and chat.state.step == "lang"


def test_versions_only_move_when_the_state_changes() -> None:
    chat = Chat()
    chat.send(Command("start"))
    version = chat.state.version
    chat.send(Text("hello?"))
    assert chat.state.version == version
    chat.press("start-lang-en")
    assert chat.state.version == version + 1
    stamped = chat.buttons()[0].data
    assert stamped.endswith(":" + b36(chat.state.version))


def test_first_message_from_a_stranger_starts_the_intake() -> None:
    chat = Chat()
    chat.send(Text("hi"))
    assert chat.state.flow == "start" and chat.say_keys()[0] == "start-welcome"


def test_state_is_plain_data() -> None:
    chat = Chat()
    intake(
        chat,
        "start-who-partner",
        "start-what-promise",
        "start-severity-minor",
        "start-openness-yes",
    )
    restored = replace(chat.state, data=dict(chat.state.data))
    assert restored == chat.state


REFLECTION = {
    "did": "I read your messages without asking and lied about it",
    "impact": "You felt spied on and stopped trusting what I say",
    "roots": "I was scared you were leaving and I didn't ask",
    "change": "When I feel insecure I will say it out loud",
}


def test_reflect_asks_four_questions_and_keeps_a_journal_entry() -> None:
    chat = Chat({"intake_done": True, "intake": {"severity": "grave", "openness": "yes"}})
    chat.send(Command("reflect"))
    assert chat.say_keys() == ["reflect-intro", "reflect-q-did"]
    for question, answer in REFLECTION.items():
        assert chat.state.step == question
        chat.send(Text(answer))
    keeps = [e for e in chat.effects if isinstance(e, Keep)]
    assert keeps == [Keep("journal", {"type": "reflection", **REFLECTION})]
    assert DropDraft("reflect") in chat.effects
    assert "reflect" in chat.profile["done"] and chat.state.flow == "menu"
    # The menu now moves past reflecting.
    chat.send(Command("menu"))
    home = next(e for e in chat.effects if isinstance(e, Say) and e.key == "menu-home")
    assert home.args == {"why": "apology-grave"}


def test_a_vague_first_answer_gets_one_nudge_and_can_be_kept() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("reflect"))
    chat.send(Text("I messed up"))
    assert chat.say_keys() == ["reflect-nudge"] and chat.state.step == "did"
    chat.press("reflect-btn-keep")
    assert chat.state.step == "impact" and chat.state.data["did"] == "I messed up"


def test_a_vague_answer_rewritten_replaces_the_first_try() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("reflect"))
    chat.send(Text("was rude"))
    chat.send(Text("I called you selfish in front of your parents"))
    assert chat.state.data == {"did": "I called you selfish in front of your parents"}


def test_leaving_reflect_keeps_a_draft_and_coming_back_resumes_it() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("reflect"))
    chat.send(Text(REFLECTION["did"]))
    chat.send(Command("cancel"))
    assert chat.say_keys()[0] == "journey-paused"
    assert chat.records.drafts["reflect"] == {"step": "impact", "data": {"did": REFLECTION["did"]}}
    chat.send(Command("calm"))
    chat.send(Command("reflect"))
    assert chat.say_keys() == ["resume-note", "reflect-q-impact"]
    assert chat.state.data == {"did": REFLECTION["did"]}
    note = next(e for e in chat.effects if isinstance(e, Say))
    assert note.buttons[0][0].label == "btn-start-over"
    chat.send(Press(note.buttons[0][0].data))
    assert chat.state.step == "did" and chat.state.data == {}
    assert "reflect" not in chat.records.drafts


def test_reflect_refuses_stickers_and_overlong_answers_without_moving() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("reflect"))
    before = chat.state
    chat.send(NonText("sticker"))
    chat.send(Text("y" * 3001))
    assert chat.say_keys() == ["answer-too-long"] and chat.state == before


def test_journal_lists_entries_and_shows_only_the_users_own() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("journal"))
    assert chat.say_keys() == ["journal-empty"]
    chat.send(Command("reflect"))
    for answer in REFLECTION.values():
        chat.send(Text(answer))
    chat.send(Command("journal"))
    assert chat.say_keys() == ["journal-list"]
    item = next(b for b in chat.shown if b.label == "journal-item")
    chat.send(Press(item.data))
    entry = next(e for e in chat.effects if isinstance(e, Say))
    assert entry.key == "journal-entry-reflection" and entry.args["did"] == REFLECTION["did"]
    forged = item.data.replace(":e1:", ":e999:")
    assert chat.send(Press(forged)) == [Toast("button-stale")]


def test_reflect_command_while_reflecting_resumes_instead_of_starting_over() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("reflect"))
    chat.send(Text(REFLECTION["did"]))
    chat.send(Command("reflect"))
    assert chat.say_keys() == ["resume-note", "reflect-q-impact"]
    assert chat.state.data == {"did": REFLECTION["did"]}


def test_menu_keeps_every_journey_flow_in_reach_except_after_a_no() -> None:
    chat = Chat()
    intake(
        chat, "start-who-friend", "start-what-promise", "start-severity-minor", "start-openness-yes"
    )
    labels = {b.label for b in chat.shown}
    assert {"menu-btn-reflect", "menu-btn-apology", "menu-btn-meet", "menu-btn-plan"} <= labels
    declined = Chat()
    intake(
        declined,
        "start-who-friend",
        "start-what-promise",
        "start-severity-minor",
        "start-openness-no",
    )
    labels = {b.label for b in declined.shown}
    assert "menu-btn-reflect" in labels
    assert not labels & {"menu-btn-apology", "menu-btn-meet", "menu-btn-plan"}


def test_time_zone_by_typed_city_or_two_taps() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("settings"))
    chat.press("settings-btn-tz")
    chat.send(Text("Atlantis"))
    assert chat.say_keys() == ["settings-tz-unknown"] and chat.state.step == "tz"
    chat.send(Text("  new york "))
    assert chat.profile["tz"] == "America/New_York"
    chat.send(Command("settings"))
    chat.press("settings-btn-tz")
    chat.press("settings-region-asia")
    tokyo = next(b for b in chat.shown if b.args.get("city") == "Tokyo")
    chat.send(Press(tokyo.data))
    assert chat.profile["tz"] == "Asia/Tokyo"


def test_quiet_hours_can_be_changed_or_turned_off() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("settings"))
    chat.press("settings-btn-quiet")
    chat.press("settings-quiet-off")
    assert chat.profile["quiet"] == ["00:00", "00:00"]


def test_pause_and_resume() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("pause"))
    chat.press("pause-btn-w1")
    assert chat.profile["paused_until"] == (NOW + timedelta(days=7)).isoformat()
    chat.send(Command("pause"))
    assert chat.say_keys() == ["pause-ask-paused"]
    chat.press("pause-btn-resume")
    assert chat.profile["paused_until"] is None
