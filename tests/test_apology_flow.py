"""The apology flow: parts one at a time, flagged phrases explained, nothing ever sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flows.apology_check import Finding
from flows.engine import (
    Command,
    Entry,
    Keep,
    Quote,
    Records,
    SaveDraft,
    Say,
    Text,
)
from tests.flow_driver import Talk

NOW = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
PROFILE = {"intake_done": True, "intake": {"severity": "minor", "openness": "yes"}}


def check_but(text: str) -> list[Finding]:
    """A stand-in checker that flags "but I was tired", as the real one does."""
    at = text.find("but I was tired")
    return [] if at < 0 else [Finding("excuse", "but I was tired", at, at + 15)]


def talk_with(records: Records | None = None) -> Talk:
    return Talk(PROFILE, records, now=NOW, check=check_but)


PARTS = [
    "I broke my promise and went out when I said I'd be home",
    "I think you felt alone and that you couldn't count on me",
    "I'm sorry. I regret it",
    "If plans change I'll call you before, not after",
    "What would help you right now?",
]


def test_five_parts_make_one_clean_apology_that_is_kept_not_sent() -> None:
    talk = talk_with()
    talk.send(Command("apology"))
    assert talk.spoken() == ["apology-intro", "apology-q-what"]
    for part in PARTS:
        talk.send(Text(part))
    keep = next(e for e in talk.effects if isinstance(e, Keep))
    assert keep.kind == "apology" and keep.data["text"] == "\n\n".join(PARTS)
    quote = next(e for e in talk.effects if isinstance(e, Quote))
    assert quote.text == "\n\n".join(PARTS)
    assert talk.state.flow == "menu"


def test_a_flagged_excuse_is_explained_and_can_be_rewritten() -> None:
    talk = talk_with()
    talk.send(Command("apology"))
    talk.send(Text("I snapped at you, but I was tired"))
    say = next(e for e in talk.effects if isinstance(e, Say))
    assert say.key == "apology-findings"
    assert ("apology-flag", {"phrase": "but I was tired"}) in say.more
    assert ("apology-why-excuse", {"phrase": "but I was tired"}) in say.more
    assert ("apology-try-excuse", {"phrase": "but I was tired"}) in say.more
    assert talk.state.step == "what"
    talk.press("apology-btn-rewrite")
    assert talk.spoken() == ["apology-rewrite"] and talk.state.step == "what"
    talk.send(Text("I snapped at you in front of your friends"))
    assert talk.state.step == "impact"
    assert talk.state.data["what"] == "I snapped at you in front of your friends"


def test_a_flagged_part_can_be_kept_as_written() -> None:
    talk = talk_with()
    talk.send(Command("apology"))
    talk.send(Text("I snapped at you, but I was tired"))
    talk.press("apology-btn-keep")
    assert talk.state.step == "impact"
    assert talk.state.data["what"] == "I snapped at you, but I was tired"


def test_reflection_answers_are_offered_and_still_checked() -> None:
    reflection = Entry(
        1,
        "journal",
        NOW,
        {"type": "reflection", "did": "I lied, but I was tired", "impact": "x", "change": "y"},
    )
    talk = talk_with(Records((reflection,)))
    talk.send(Command("apology"))
    say = [e for e in talk.effects if isinstance(e, Say)][-1]
    assert (
        say.key == "apology-q-what-suggested"
        and say.args["suggestion"] == "I lied, but I was tired"
    )
    talk.press("apology-btn-use")
    assert talk.spoken() == ["apology-findings"]


def test_apology_shows_the_latest_and_offers_a_new_one() -> None:
    saved = Entry(3, "apology", NOW, {"text": "I'm sorry I forgot."})
    talk = talk_with(Records((saved,)))
    talk.send(Command("apology"))
    quote = next(e for e in talk.effects if isinstance(e, Quote))
    assert quote.key == "apology-latest" and quote.text == "I'm sorry I forgot."
    talk.press("apology-btn-new")
    assert talk.state.flow == "apology" and talk.state.step == "what"


def test_pausing_keeps_the_parts_written_so_far() -> None:
    talk = talk_with()
    talk.send(Command("apology"))
    talk.send(Text(PARTS[0]))
    effects = talk.press("btn-pause")
    saved = [e for e in effects if isinstance(e, SaveDraft)]
    assert saved == [SaveDraft("apology", "impact", {"what": PARTS[0]})]
    draft = {"step": "impact", "data": {"what": PARTS[0]}}
    talk.records = replace(talk.records, drafts={"apology": draft})
    talk.send(Command("apology"))
    assert talk.spoken() == ["resume-note", "apology-q-impact"]
