"""Give space: no contact prompts while it lasts, gentle company, and a soft end."""

from __future__ import annotations

from datetime import timedelta

from flows.engine import Command, Schedule, SetProfile, Text, Timer
from tests.flow_driver import NOW, Talk

GRAVE = {"intake_done": True, "intake": {"severity": "grave", "openness": "yes"}}


def test_space_switches_off_meeting_and_brings_gentle_reminders() -> None:
    talk = Talk({**GRAVE, "done": ["reflect", "apology"]})
    talk.send(Command("menu"))
    assert "menu-btn-meet" in {b.label for b in talk.shown}
    talk.send(Command("space"))
    effects = talk.press("space-btn-w1")
    space = talk.profile["space"]
    assert space["set_by"] == "self" and space["until"] == (NOW + timedelta(days=7)).isoformat()
    assert Schedule("space:end", "space_end", NOW + timedelta(days=7)) in effects
    assert any(isinstance(e, Schedule) and e.kind == "space_reminder" for e in effects)
    labels = {b.label for b in talk.shown}
    assert "menu-btn-meet" not in labels
    talk.send(Command("meet"))
    assert talk.spoken() == ["meet-space-active"] and talk.state.flow == "menu"
    talk.send(Timer("space_reminder", {"idea": 1}))
    assert talk.spoken() == ["space-reminder-journal"]
    again = [e for e in talk.effects if isinstance(e, Schedule)]
    assert again and again[0].payload == {"idea": 2}


def test_space_ends_softly_with_a_low_pressure_draft() -> None:
    talk = Talk(GRAVE)
    talk.send(Command("space"))
    talk.send(Text("3"))
    assert talk.profile["space"]["until"] == (NOW + timedelta(days=3)).isoformat()
    effects = talk.send(Timer("space_end"))
    assert SetProfile({"space": None}) in effects and talk.spoken() == ["space-over"]
    talk.send(Command("meet"))
    assert talk.spoken() != ["meet-space-active"]


def test_until_they_reach_out_lasts_until_the_user_ends_it() -> None:
    talk = Talk(GRAVE)
    talk.send(Command("space"))
    talk.press("space-btn-open")
    assert talk.profile["space"]["until"] is None
    talk.now = NOW + timedelta(days=400)
    talk.send(Command("meet"))
    assert talk.spoken() == ["meet-space-active"]
    talk.send(Command("space"))
    talk.press("space-btn-end")
    assert talk.profile["space"] is None
    assert "space-ended-by-user" in talk.spoken()


def test_nonsense_lengths_are_refused() -> None:
    talk = Talk(GRAVE)
    talk.send(Command("space"))
    for text in ("forever", "0", "9999", "-2"):
        talk.send(Text(text))
        assert talk.spoken() == ["space-invalid"] and "space" not in talk.profile
