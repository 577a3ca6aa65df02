"""Crisis language: a rule-based check of every incoming text, from per-language pattern data.

Three kinds are told apart: self-harm or suicide, violence the writer used or intends, and
abuse or fear the writer lives with. Before matching, phrases that only sound alarming are
blanked out: figures of speech ("this is killing me") and negations ("I would never hurt
myself"), so they neither raise an alarm nor hide a real one elsewhere in the message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

KINDS = ("self_harm", "violence", "abuse")
# Letters repeated for emphasis ("pleeease", "dieee") count once, as written plainly.
REPEATS = re.compile(r"(\w)\1{2,}")
# Apostrophes go: people type "im", "dont" and "i'm" alike, so the patterns use the bare form.
QUOTES = str.maketrans({"’": None, "‘": None, "`": None, "'": None, "ё": "е", "«": '"', "»": '"'})


@dataclass(frozen=True)
class Patterns:
    """One language's compiled patterns: what to blank first, then what each kind looks like."""

    blank: tuple[re.Pattern[str], ...]
    kinds: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Sequence[str]]) -> Patterns:
        """Build from the JSON data: "figures" and "negations" to blank, then one list a kind."""

        def compiled(sources: Iterable[str]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(source) for source in sources)

        blank = compiled([*data.get("figures", ()), *data.get("negations", ())])
        kinds = tuple((kind, compiled(data.get(kind, ()))) for kind in KINDS)
        return cls(blank, kinds)


def normalise(text: str) -> str:
    """Lower case, no apostrophes, single spaces: the form the patterns are written for."""
    text = unicodedata.normalize("NFKC", text).lower().translate(QUOTES)
    text = REPEATS.sub(r"\1", text)
    return " ".join(text.split())


def detect(text: str, languages: Sequence[Patterns]) -> str | None:
    """The kind of crisis the text speaks of, if any; every language's patterns are tried."""
    plain = normalise(text)
    for patterns in languages:
        rest = plain
        for pattern in patterns.blank:
            rest = pattern.sub(" _ ", rest)
        for kind, found in patterns.kinds:
            if any(p.search(rest) for p in found):
                return kind
    return None
