"""The plan flow: amends, concrete commitments with cadence and time, asks, slips, review."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.plan_patterns import vague_patterns
from flows import vague
from flows.engine import (
    Command,
    Entry,
    Records,
    Say,
    Schedule,
    SetProfile,
    Text,
    Unschedule,
)
from tests.flow_driver import Talk

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
PROFILE: dict[str, Any] = {"intake_done": True, "intake": {"severity": "minor", "openness": "yes"}}


def is_vague(text: str) -> bool:
    return vague.is_vague(text, vague_patterns("en"))


def talk_with(records: Records | None = None, profile: dict[str, Any] | None = None) -> Talk:
    return Talk(profile or PROFILE, records, now=NOW, is_vague=is_vague)


def latest_plan(talk: Talk) -> dict[str, Any]:
    latest = talk.records.latest("plan")
    assert latest is not None
    return latest.data


def build(talk: Talk) -> None:
    talk.send(Command("plan"))
    talk.send(Text("I'll pay back the 200 I borrowed by March"))
    talk.send(Text("be better"))
    assert talk.spoken() == ["plan-vague"]
    talk.send(Text("I text you if I'll be more than 15 minutes late"))
    talk.press("plan-cadence-daily")
    talk.press("plan-time-t19")
    talk.press("plan-btn-add")
    talk.send(Text("Sunday check-in talk about how the week went"))
    talk.press("plan-cadence-weekly")
    talk.press("plan-day-sun")
    talk.send(Text("20:30"))
    talk.press("plan-btn-enough")
    talk.send(Text("No more late-night texting with my ex"))
    talk.press("plan-btn-done")
    talk.send(Text("I tell you the same day, without excuses"))
    talk.press("plan-day-sun")


def test_a_whole_plan_is_built_and_kept_as_data_for_reminders() -> None:
    talk = talk_with()
    build(talk)
    plan = latest_plan(talk)
    assert plan["amends"] == "I'll pay back the 200 I borrowed by March"
    assert plan["commitments"] == [
        {
            "text": "I text you if I'll be more than 15 minutes late",
            "cadence": "daily",
            "time": "19:00",
        },
        {
            "text": "Sunday check-in talk about how the week went",
            "cadence": "weekly",
            "day": "sun",
            "time": "20:30",
        },
    ]
    assert plan["asks"] == ["No more late-night texting with my ex"]
    assert plan["slip"] == "I tell you the same day, without excuses"
    assert plan["review"] == "sun"
    card = next(e for e in talk.effects if isinstance(e, Say) and e.key == "plan-card")
    assert (
        "plan-card-commitment",
        {
            "text": "Sunday check-in talk about how the week went",
            "cadence": "weekly",
            "day": "sun",
            "time": "20:30",
        },
    ) in card.more
    profile = next(e for e in talk.effects if isinstance(e, SetProfile))
    assert "plan" in profile.values["done"]


def test_vague_commitments_get_one_nudge_and_can_be_kept() -> None:
    talk = talk_with()
    talk.send(Command("plan"))
    talk.press("plan-btn-skip")
    talk.send(Text("try harder"))
    assert talk.spoken() == ["plan-vague"] and talk.state.step == "commit"
    talk.press("plan-btn-keep")
    assert talk.state.step == "cadence"
    assert talk.state.data["current"] == {"text": "try harder"}


def test_the_card_is_editable_item_by_item() -> None:
    talk = talk_with()
    build(talk)
    talk.send(Command("plan"))
    assert talk.spoken() == ["plan-card"]
    talk.press("plan-edit-slip")
    talk.send(Text("I tell you within the hour"))
    assert latest_plan(talk)["slip"] == "I tell you within the hour"
    assert len(latest_plan(talk)["commitments"]) == 2
    talk.press("plan-edit-remove")
    talk.press("plan-remove-item")
    assert [c["text"] for c in latest_plan(talk)["commitments"]] == [
        "Sunday check-in talk about how the week went"
    ]
    talk.press("plan-edit-commit")
    talk.send(Text("Phones away at dinner"))
    talk.press("plan-cadence-none")
    assert [c["text"] for c in latest_plan(talk)["commitments"]][-1] == "Phones away at dinner"


def test_asks_from_a_meeting_debrief_are_offered() -> None:
    asks = Entry(1, "asks", NOW, {"text": "Tell me where you are in the evenings", "how": "mixed"})
    talk = talk_with(Records((asks,)))
    talk.send(Command("plan"))
    talk.press("plan-btn-skip")
    talk.send(Text("I call when I leave work every evening"))
    talk.press("plan-cadence-none")
    talk.press("plan-btn-enough")
    assert talk.spoken() == ["plan-q-asks-known"]
    talk.press("plan-btn-use-asks")
    assert talk.state.data["asks"] == ["Tell me where you are in the evenings"]


def test_bad_time_and_text_at_buttons_change_nothing() -> None:
    talk = talk_with()
    talk.send(Command("plan"))
    talk.press("plan-btn-skip")
    talk.send(Text("Call my mum every Sunday at 6pm"))
    before = talk.state
    talk.send(Text("whenever"))
    assert talk.state == before and talk.spoken() == ["use-buttons"]
    talk.press("plan-cadence-daily")
    before = talk.state
    talk.send(Text("25:99"))
    assert talk.state == before and talk.spoken() == ["plan-time-invalid"]


def test_heated_users_are_asked_to_calm_first() -> None:
    talk = talk_with(profile={**PROFILE, "heat": 8})
    talk.send(Command("plan"))
    assert talk.spoken() == ["plan-calm-first"] and talk.state.flow == "menu"


def test_vague_patterns_in_both_languages() -> None:
    ru = vague_patterns("ru")
    assert is_vague("I'll be better") and is_vague("try harder")
    assert not is_vague("I text you if I'll be more than 15 minutes late")
    assert not is_vague("Sunday 8pm check-in talk")
    assert vague.is_vague("Буду стараться", ru) and vague.is_vague("стану внимательнее", ru)
    assert not vague.is_vague("Пишу, если задерживаюсь больше чем на 15 минут", ru)


def test_saving_the_plan_schedules_a_nudge_per_timed_commitment_and_the_review() -> None:
    talk = talk_with()
    build(talk)
    schedules = {e.key: e for e in talk.effects if isinstance(e, Schedule)}
    assert schedules["plan:c0"].rule == "daily 19:00"
    assert schedules["plan:c0"].payload == {"index": 0}
    assert schedules["plan:c1"].rule == "weekly sun 20:30"
    assert schedules["plan:review"].rule == "weekly sun 19:00"
    gone = {e.key for e in talk.effects if isinstance(e, Unschedule)}
    assert gone == {"plan:c2", "plan:c3", "plan:c4"}
