"""The group flow on its own: opting in with roles, who may press what, the weekly talk."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flows import dispatch
from flows.engine import (
    Command,
    Context,
    Edit,
    Effect,
    FlowState,
    Member,
    Pair,
    PairForm,
    PairSet,
    Press,
    Say,
    Schedule,
    Timer,
    Toast,
)
from tests.flow_driver import NOW

GROUP, ANN, BEN, CARL = -900, 1, 2, 3


class Room:
    """A group chat's one shared state, with each person's context built on demand."""

    def __init__(self, pair: dict[str, Any] | None = None) -> None:
        self.state = FlowState()
        self.pair = pair  # status, roles by user id, data
        self.effects: list[Effect] = []
        self.keyboard: list[tuple[str, str]] = []

    def ctx(self, user: int) -> Context:
        pair = None
        if self.pair is not None:
            roles: dict[int, str] = self.pair["roles"]
            partner = next((u for u in roles if u != user), None) if user in roles else None
            data = {"members": list(roles), **self.pair.get("data", {})}
            pair = Pair(7, self.pair["status"], roles.get(user), partner, GROUP, data)
        return Context(user, GROUP, NOW, "en", {}, pair=pair)

    def send(self, user: int, event: Any) -> list[Effect]:
        self.state, self.effects = dispatch.handle(self.state, event, self.ctx(user))
        for effect in self.effects:
            if isinstance(effect, Say | Edit) and effect.buttons:
                self.keyboard = [(b.label, b.data) for row in effect.buttons for b in row]
        return self.effects

    def press(self, user: int, label: str) -> list[Effect]:
        data = next(d for lab, d in self.keyboard if lab == label)
        return self.send(user, Press(data))

    def keys(self) -> list[str]:
        return [e.key for e in self.effects if isinstance(e, Say | Edit | Toast)]


def test_both_opt_in_with_fitting_roles_before_anything_starts() -> None:
    room = Room()
    room.send(ANN, Command("pair"))
    assert room.keys() == ["group-pair-ask"]
    room.press(ANN, "group-btn-caused")
    assert room.keys() == ["group-pair-ask", "group-pair-noted"]
    assert not any(isinstance(e, PairForm) for e in room.effects)
    room.press(BEN, "group-btn-hurt")
    formed = [e for e in room.effects if isinstance(e, PairForm)]
    assert formed and formed[0].roles == {ANN: "caused", BEN: "hurt"}
    # The one who was hurt is asked about safety, privately, before the pair is active.
    asked = [e.key for e in formed[0].ask if isinstance(e, Say)]
    assert "pairing-safety-ask" in asked
    assert room.state.step == "idle"


def test_roles_that_do_not_fit_are_asked_again() -> None:
    room = Room()
    room.send(ANN, Command("pair"))
    room.press(ANN, "group-btn-caused")
    room.press(BEN, "group-btn-caused")
    assert room.keys() == ["group-pair-mismatch"]
    assert room.state.data["roles"] == {}
    room.press(BEN, "group-btn-both")
    room.press(ANN, "group-btn-both")
    formed = [e for e in room.effects if isinstance(e, PairForm)]
    assert formed and set(formed[0].roles.values()) == {"both"}


def test_a_third_person_cannot_join_or_press_the_pairs_buttons() -> None:
    room = Room()
    room.send(ANN, Command("pair"))
    room.press(ANN, "group-btn-caused")
    room.press(BEN, "group-btn-hurt")
    room.pair = {"status": "active", "roles": {ANN: "caused", BEN: "hurt"}}
    before = room.state
    room.press(CARL, "group-btn-hurt")
    assert room.keys() == ["group-not-yours"] and room.state == before
    room.send(ANN, Command("talk"))
    room.press(CARL, "group-btn-first")
    assert room.keys() == ["group-not-yours"]
    room.send(CARL, Command("agreements"))
    assert room.keys() == ["group-members-only"]


def test_a_forged_or_old_button_changes_nothing() -> None:
    room = Room({"status": "active", "roles": {ANN: "caused", BEN: "hurt"}})
    room.send(ANN, Command("talk"))
    before = room.state
    for data in ("group:first:zz", "group:first", "menu:open:*", "x" * 70, "group:caused:*"):
        room.send(BEN, Press(data))
        assert room.state == before and room.keys() == ["button-stale"]


def test_the_weekly_talk_takes_turns_and_only_the_right_person_moves_it_on() -> None:
    room = Room({"status": "active", "roles": {ANN: "caused", BEN: "hurt"}})
    room.send(BEN, Command("talk"))
    room.press(BEN, "group-btn-first")
    assert room.keys() == ["group-talk-speak"]
    assert any(isinstance(e, Schedule) and e.kind == "group_talk_time" for e in room.effects)
    room.press(ANN, "group-btn-speak-done")
    assert room.keys() == ["group-talk-not-you"]
    room.press(BEN, "group-btn-speak-done")
    assert room.keys() == ["group-talk-reflect"]
    room.press(ANN, "group-btn-reflect-done")
    assert room.keys() == ["group-talk-speak"]
    room.press(ANN, "group-btn-speak-done")
    room.press(BEN, "group-btn-reflect-done")
    assert room.keys() == ["group-talk-done"] and room.state.step == "idle"


def test_space_holds_the_talk_unless_the_one_who_asked_opens_it() -> None:
    space = {"space": {"until": None, "since": NOW.isoformat()}}
    room = Room({"status": "active", "roles": {ANN: "caused", BEN: "hurt"}, "data": space})
    room.send(ANN, Command("talk"))
    assert room.keys() == ["group-talk-space"]
    assert room.send(0, Timer("group_talk")) == []
    room.send(BEN, Command("talk"))
    assert room.keys() == ["group-talk-intro"]


def test_thanks_are_kept_only_for_an_active_pair_and_within_a_limit() -> None:
    room = Room({"status": "active", "roles": {ANN: "caused", BEN: "hurt"}})
    room.send(BEN, Command("thanks", "you called when you said you would"))
    kept = next(e for e in room.effects if isinstance(e, PairSet))
    assert kept.values["thanks"][-1]["text"] == "you called when you said you would"
    room.send(BEN, Command("thanks", "x" * 400))
    assert room.keys() == ["answer-too-long"]
    room.pair = {"status": "held", "roles": {ANN: "caused", BEN: "hurt"}}
    room.send(ANN, Command("thanks", "thank you"))
    assert room.keys() == ["group-status-waiting"]


def test_removal_or_a_member_leaving_takes_the_pair_out_of_the_group() -> None:
    room = Room({"status": "active", "roles": {ANN: "caused", BEN: "hurt"}})
    assert room.send(CARL, Member(CARL, False)) == []
    room.send(BEN, Member(BEN, False))
    assert PairSet({"group": None}) in room.effects and room.keys() == ["group-member-left"]
    room.send(ANN, Member(0, False))
    assert room.effects == [PairSet({"group": None})]


def test_nothing_private_and_no_flow_of_the_private_chat_runs_in_a_group() -> None:
    room = Room()
    for command in ("journal", "apology", "start", "menu"):
        room.send(ANN, Command(command))
        assert room.keys() == ["group-help"]
    room.send(ANN, Press("calm:parked:*"))
    assert room.keys() == ["button-stale"]
    assert replace(room.state).flow == "group"


def test_a_bystander_coming_or_going_leaves_a_pairing_or_talk_as_it_was() -> None:
    room = Room()
    room.send(ANN, Command("pair"))
    room.press(ANN, "group-btn-caused")
    before = room.state
    assert room.send(CARL, Member(CARL, False)) == [] and room.state == before
    # A second /pair, by anyone, shows the same choice without losing Ann's answer.
    room.send(CARL, Command("pair"))
    assert room.state.data["roles"] == {str(ANN): "caused"}
    room.press(BEN, "group-btn-hurt")
    assert any(isinstance(e, PairForm) for e in room.effects)


def test_forged_entry_presses_before_the_pair_is_active_show_nothing() -> None:
    room = Room({"status": "safety", "roles": {ANN: "caused", BEN: "hurt"}})
    for data in ("group:agreements:*", "group:talk:*"):
        room.send(ANN, Press(data))
        assert room.keys() == ["group-status-waiting"]
    room.pair = {"status": "paused", "roles": {ANN: "caused", BEN: "hurt"}}
    room.send(ANN, Command("thanks", "for the flowers"))
    assert room.keys() == ["group-paused"]


def test_space_also_quiets_thanks_from_the_other_person() -> None:
    space = {"space": {"until": None, "since": NOW.isoformat(), "by": BEN}}
    room = Room({"status": "active", "roles": {ANN: "caused", BEN: "hurt"}, "data": space})
    room.send(ANN, Command("thanks", "for listening"))
    assert room.keys() == ["group-talk-space"]
    room.send(BEN, Command("thanks", "for giving me room"))
    assert room.keys() == ["group-thanks-kept"]


def test_a_pairing_that_never_started_ends_when_a_member_leaves() -> None:
    room = Room({"status": "safety", "roles": {ANN: "caused", BEN: "hurt"}})
    room.send(ANN, Member(ANN, False))
    assert PairSet({"group": None, "status": "ended"}) in room.effects
