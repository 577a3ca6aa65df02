"""Crisis language: the detector on its corpora, and what the flows do when it speaks up."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from bot import crisis_patterns, helplines
from flows.crisis import Patterns, detect, normalise
from flows.engine import Command, Helplines, Say, SetProfile, Text
from tests.flow_driver import Talk

CORPORA = Path(__file__).parent / "corpora"
# The issue's bar: at least this share of crisis messages caught, at most this share of alarms.
RECALL_MIN, ALARMS_MAX = 0.95, 0.05


def _lines(name: str) -> list[str]:
    text = (CORPORA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def measure(language: str, prefix: str = "") -> tuple[float, float, list[str], list[str]]:
    """Share caught, share of false alarms, and the misses and alarms themselves."""
    found = crisis_patterns.patterns(language)
    crisis = [line.split("\t", 1)[1] for line in _lines(f"{prefix}crisis-{language}.txt")]
    ordinary = _lines(f"{prefix}ordinary-{language}.txt")
    missed = [t for t in crisis if detect(t, found) is None]
    alarms = [t for t in ordinary if detect(t, found) is not None]
    return 1 - len(missed) / len(crisis), len(alarms) / len(ordinary), missed, alarms


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_corpora_are_big_enough(language: str) -> None:
    assert len(_lines(f"crisis-{language}.txt")) >= 50
    assert len(_lines(f"ordinary-{language}.txt")) >= 200


@pytest.mark.parametrize("language", ["en", "ru"])
def test_crisis_messages_are_caught_and_ordinary_ones_left_alone(language: str) -> None:
    recall, alarms, missed, raised = measure(language)
    report = f"{language}: caught {recall:.1%}, false alarms {alarms:.1%}"
    assert recall >= RECALL_MIN, f"{report}; missed: {missed}"
    assert alarms <= ALARMS_MAX, f"{report}; alarms: {raised}"


# Blind corpora, written by someone who never saw the patterns, measure how the rules carry to
# words nobody anticipated; each is measured once, untouched, then becomes development data.
# Caught / false alarms when first measured:
#   round 1 "heldout-": en 76.5% / 2.2%, ru 67.9% / 5.8%
#   round 2 "blind-":   en 72.2% / 2.4%, ru 70.4% / 3.7%
#   round 3 "fresh-":   en 53.6% / 0.6%, ru 51.8% / 0.6% (more indirect on purpose)
#   round 4 "unseen-":  en 52.7% / 1.8%, ru 70.9% / 0.6% with patterns alone; measured once
#                       more, blind, after the signal groups were added: en 63.6% / 3.1%,
#                       ru 80.0% / 2.5%
#   round 5 "later-":   en 69.7% / 3.0%, ru 66.7% / 2.0%
#   round 6 "next-":    en 56.2% / 3.1%, ru 25.4% / 1.5% (oblique on purpose; Russian also
#                       in Latin letters, which the detector then did not read at all)
#   round 7 "more-":    en 68.2% / 2.0%, ru 60.6% / 1.0% (still blind, 2026-11-26)
# The floors below only catch a change that makes the blind round worse; the gap to 95% on
# words nobody has seen yet is the open work.
DEVELOPMENT = ("", "heldout-", "blind-", "fresh-", "unseen-", "later-", "next-")
STILL_BLIND = "more-"
BLIND_FLOOR, BLIND_ALARMS = 0.45, 0.05


@pytest.mark.parametrize("prefix", DEVELOPMENT[1:])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_earlier_blind_rounds_are_caught_as_development_data(language: str, prefix: str) -> None:
    recall, alarms, missed, raised = measure(language, prefix)
    assert recall >= RECALL_MIN and alarms <= ALARMS_MAX, (missed, raised)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_blind_round_does_not_get_worse(language: str) -> None:
    recall, alarms, _missed, _raised = measure(language, STILL_BLIND)
    assert recall >= BLIND_FLOOR and alarms <= BLIND_ALARMS, (recall, alarms)


def test_signals_count_only_together_and_a_marked_joke_takes_one_back() -> None:
    group = {"weight": 1, "patterns": []}
    data = {
        "figures": [r"\bdead tired\b"],
        "signals": {
            "self_harm": {
                "needed": 2,
                "groups": {
                    "means": {**group, "patterns": [r"\brope\b"]},
                    "farewell": {**group, "patterns": [r"\bgoodbye\b"]},
                    "jest": {"weight": -2, "patterns": [r"\bjk\b"]},
                },
            }
        },
    }
    found = (Patterns.from_data(data),)
    assert detect("Bought a rope", found) is None
    assert detect("goodbye, goodbye", found) is None
    assert detect("bought a rope. goodbye", found) == "self_harm"
    assert detect("bought a rope. goodbye jk", found) is None
    assert detect("dead tired of this rope, goodbye", found) == "self_harm"


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [
        ("en", "got all my pills lined up on the table", "self_harm"),
        ("en", "gave my guitar to my brother. wont need it where im going", "self_harm"),
        ("en", "parked outside his place with a bat. he needs to feel what he did", "violence"),
        ("en", "he twisted my arm till something cracked", "abuse"),
        ("ru", "раздала вещи, кота отдала маме. ей будет лучше чем со мной", "self_harm"),
        ("ru", "в ссоре толкнула сестру, она упала. её увезли в больницу", "violence"),
        ("ru", "nakopil tabletki za mesyac, segodnya vsyo", "self_harm"),
        ("ru", "khochu umeret'", "self_harm"),
        ("ru", "muzh menya b'yot", "abuse"),
        ("ru", "ne khochu zhit' vmeste s nim", None),
        ("en", "im not suicidal, just sad we keep fighting", None),
        ("en", "took an ibuprofen for my headache, going to sleep early", None),
        ("en", "i hurt her so badly by lying and i want to fix it", None),
        ("ru", "хочется исчезнуть на выходные и выключить телефон", None),
    ],
)
def test_indirect_words_add_up_and_everyday_ones_do_not(
    language: str, text: str, kind: str | None
) -> None:
    assert detect(text, crisis_patterns.patterns(language)) == kind


def test_writing_style_does_not_hide_a_crisis() -> None:
    found = crisis_patterns.patterns("en")
    for text in ("I want to KILL MYSELF", "i wanna dieeee", "i’m going to end it all", "suicde"):
        assert detect(text, found) == "self_harm", text
    assert normalise("I’M  Sooo   TIRED") == "im so tired"


def test_negations_and_figures_of_speech_are_not_alarms_but_do_not_mask_one() -> None:
    found = crisis_patterns.patterns("en")
    for text in ("I would never hurt myself", "this week is killing me", "i hurt her feelings"):
        assert detect(text, found) is None, text
    assert detect("i would never hurt myself before, but now i want to die", found) == "self_harm"


def test_every_language_is_tried_whatever_the_users_language() -> None:
    assert detect("не хочу больше жить", crisis_patterns.patterns("en")) == "self_harm"
    assert detect("he hit me again", crisis_patterns.patterns("ru")) == "abuse"


def test_helplines_follow_the_time_zone_and_fall_back_to_the_directory() -> None:
    london = "\n".join(helplines.lines("crisis", "Europe/London", "en"))
    assert "Samaritans: 116 123" in london and "Emergency: 999" in london
    assert "findahelpline.com" in london
    nowhere = "\n".join(helplines.lines("crisis", None, "en"))
    assert "112 in most countries" in nowhere and "findahelpline.com" in nowhere
    # Someone who used violence gets help to stop, where there is such a line.
    assert "Respect" in "\n".join(helplines.lines("stop", "Europe/London", "en"))


def crisis_chat(profile: dict[str, object] | None = None) -> Talk:
    found = crisis_patterns.patterns("en")
    return Talk({"intake_done": True, **(profile or {})}, crisis=partial(detect, languages=found))


def test_a_crisis_mid_flow_pauses_it_and_it_resumes_only_when_chosen() -> None:
    chat = crisis_chat()
    chat.send(Command("reflect"))
    chat.send(Text("I read her messages and lied about it"))
    assert chat.state.step == "impact"
    chat.send(Text("honestly i just want to die"))
    assert chat.state.flow == "sos" and chat.spoken() == ["sos-self_harm"]
    assert any(isinstance(e, Helplines) and e.kind == "crisis" for e in chat.effects)
    # What they write now is not taken as an answer to the reflection.
    chat.send(Text("she felt betrayed"))
    assert chat.state.flow == "sos" and chat.spoken() == ["sos-still"]
    chat.press("sos-btn-resume")
    assert chat.state.flow == "reflect" and chat.state.step == "impact"
    assert chat.state.data == {"did": "I read her messages and lied about it"}
    assert "reflect-q-impact" in chat.spoken()


def test_sos_works_from_anywhere_and_grounding_is_one_tap_away() -> None:
    chat = crisis_chat()
    chat.send(Command("sos"))
    assert chat.spoken() == ["sos-sos"]
    chat.press("sos-btn-ground")
    assert chat.state.flow == "calm" and chat.state.step == "grounding"


def test_abuse_switches_off_meeting_and_invitations_until_taken_back() -> None:
    chat = crisis_chat({"intake": {"severity": "grave", "openness": "yes", "what": "lie"}})
    chat.send(Text("he hit me again last night and i am scared to go home"))
    assert chat.spoken() == ["sos-abuse"]
    assert any(isinstance(e, Helplines) and e.kind == "abuse" for e in chat.effects)
    for command in ("meet", "invite"):
        chat.send(Command(command))
        assert chat.spoken() == ["safety-reconcile-off"], command
    chat.send(Command("menu"))
    labels = [b.label for b in chat.buttons()]
    assert "menu-btn-meet" not in labels
    chat.send(Command("sos"))
    chat.press("sos-btn-mistaken")
    assert SetProfile({"unsafe": None}) in chat.effects
    chat.send(Command("meet"))
    assert chat.spoken() != ["safety-reconcile-off"]


def test_saying_at_the_intake_that_they_used_violence_turns_reconciliation_off() -> None:
    chat = Talk()
    chat.send(Command("start"))
    for label in ("start-lang-en", "start-who-partner", "start-what-physical"):
        chat.press(label)
    chat.press("start-severity-grave")
    chat.press("start-openness-yes")
    chat.press("heat-h4")
    assert "safety-intake-violence" in chat.spoken()
    assert any(isinstance(e, Helplines) and e.kind == "stop" for e in chat.effects)
    chat.send(Command("meet"))
    said = [e for e in chat.effects if isinstance(e, Say)]
    assert said[0].key == "safety-reconcile-off" and said[0].args == {"kind": "violence"}
