"""The daily check-in: one tap, late taps count for the day asked, double taps change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flows.engine import (
    Command,
    Context,
    Edit,
    Keep,
    Picture,
    Press,
    Schedule,
    SetProfile,
    Text,
    Timer,
)
from tests.flow_driver import Talk

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


class Day(Talk):
    """A user in New York, where 20:00 UTC is 15:00 the same day."""

    def context(self) -> Context:
        return replace(
            super().context(), local_now=self.now.astimezone(ZoneInfo("America/New_York"))
        )


def asked(talk: Day) -> str:
    talk.send(Timer("checkin"))
    return talk.shown[0].data


def test_setting_the_time_schedules_a_daily_check_in() -> None:
    talk = Day({"intake_done": True}, now=NOW)
    talk.send(Command("checkin"))
    effects = talk.send(Text("21:15"))
    assert Schedule("checkin", "checkin", rule="daily 21:15") in effects
    talk.send(Command("checkin"))
    talk.press("checkin-btn-off")
    assert talk.spoken()[0] == "checkin-off"


def test_a_tap_edits_the_question_and_a_double_tap_changes_nothing() -> None:
    talk = Day({"intake_done": True}, now=NOW)
    data = asked(talk)
    assert talk.spoken() == ["checkin-ask"]
    effects = talk.send(Press(data))
    assert Edit("checkin:2026-11-25", "checkin-ack-kept") in effects
    assert talk.profile["checkins"] == {"2026-11-25": "kept"}
    slipped = data.replace("checkin:k", "checkin:s")
    talk.send(Press(slipped))
    assert talk.profile["checkins"] == {"2026-11-25": "kept"}
    assert talk.spoken() == ["checkin-ack-kept"]


def test_a_late_tap_counts_for_the_day_it_was_asked() -> None:
    talk = Day({"intake_done": True}, now=NOW)
    data = asked(talk)
    talk.now = NOW + timedelta(hours=14)  # next morning
    talk.send(Press(data.replace("checkin:k", "checkin:p")))
    assert talk.profile["checkins"] == {"2026-11-25": "partly"}


def test_a_slip_opens_a_short_reflection_and_a_recommitment() -> None:
    talk = Day({"intake_done": True}, now=NOW)
    data = asked(talk)
    talk.send(Press(data.replace("checkin:k", "checkin:s")))
    assert talk.spoken() == ["checkin-ack-slipped", "checkin-slip-why"]
    talk.send(Text("I stayed out and didn't text"))
    talk.send(Text("Set a reminder at 22:00"))
    effects = talk.press("checkin-btn-recommit")
    keep = next(e for e in effects if isinstance(e, Keep))
    assert keep.data == {
        "day": "2026-11-25",
        "why": "I stayed out and didn't text",
        "next": "Set a reminder at 22:00",
    }


def test_three_slips_in_two_weeks_suggest_a_counsellor_once() -> None:
    slips = {"2026-11-15": "slipped", "2026-11-20": "slipped"}
    talk = Day({"intake_done": True, "checkins": slips}, now=NOW)
    data = asked(talk)
    effects = talk.send(Press(data.replace("checkin:k", "checkin:s")))
    assert "checkin-counsellor" in talk.spoken()
    assert SetProfile({"counsellor_hint": True}) in effects
    talk.now += timedelta(days=1)
    data = asked(talk)
    talk.send(Press(data.replace("checkin:k", "checkin:s")))
    assert "checkin-counsellor" not in talk.spoken()


def test_forged_check_in_answers_are_stale() -> None:
    talk = Day({"intake_done": True}, now=NOW)
    for data in ("checkin:k2026:*", "checkin:z20261125:*", "checkin:k202611251:*"):
        talk.send(Press(data))
        assert talk.spoken() == [] and "checkins" not in talk.profile


def test_progress_is_forgiving_and_shows_the_streak() -> None:
    days = {
        (NOW - timedelta(days=n)).date().isoformat(): answer
        for n, answer in enumerate(["kept", "partly", "kept", "slipped", "kept", "kept"])
    }
    talk = Day({"intake_done": True, "checkins": days}, now=NOW)
    talk.send(Command("progress"))
    assert talk.effects[0] == Picture("progress", "progress-chart")
    say = talk.effects[1]
    assert talk.spoken() == ["progress-text"]
    assert say.args["streak"] == 3  # type: ignore[union-attr]
    assert say.args["score"] == round(100 * 4.5 / 6)  # type: ignore[union-attr]


def test_setting_up_without_a_time_zone_offers_to_set_one() -> None:
    talk = Day({"intake_done": True}, now=NOW)
    talk.send(Command("checkin"))
    assert "settings-btn-tz" in [b.label for b in talk.shown]
    talk.press("settings-btn-tz")
    assert talk.state.flow == "settings" and talk.state.step == "tz"
    zoned = Day({"intake_done": True, "tz": "Europe/Berlin"}, now=NOW)
    zoned.send(Command("checkin"))
    assert "settings-btn-tz" not in [b.label for b in zoned.shown]


def test_repeated_slips_after_a_serious_hurt_name_the_cycle_and_point_to_help() -> None:
    slips = {"2026-11-15": "slipped", "2026-11-20": "slipped"}
    intake = {"severity": "grave", "what": "betrayal", "openness": "yes"}
    talk = Day({"intake_done": True, "checkins": slips, "intake": intake}, now=NOW)
    talk.send(Press(asked(talk).replace("checkin:k", "checkin:s")))
    assert "checkin-cycle" in talk.spoken() and "checkin-counsellor" not in talk.spoken()
