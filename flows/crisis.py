"""Crisis language: a rule-based check of every incoming text, from per-language pattern data.

Three kinds are told apart: self-harm or suicide, violence the writer used or intends, and
abuse or fear the writer lives with. Before matching, phrases that only sound alarming are
blanked out: figures of speech ("this is killing me") and negations ("I would never hurt
myself"), so they neither raise an alarm nor hide a real one elsewhere in the message.
Patterns catch the plain ways of saying it; weighted signal groups catch the indirect ones
(pills and a goodbye, a rope and "just in case"), where no one phrase is enough but together
they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
    # A second net for words no pattern foresaw: each kind's signal groups (means, farewell,
    # hopelessness...) with their weights, and the sum one message must reach to count.
    signals: tuple[tuple[str, int, tuple[tuple[int, re.Pattern[str]], ...]], ...] = ()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Patterns:
        """Build from the JSON data: what to blank, one list a kind, then the signal groups."""

        def compiled(sources: Iterable[str]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(source) for source in sources)

        blank = compiled([*data.get("figures", ()), *data.get("negations", ())])
        kinds = tuple((kind, compiled(data.get(kind, ()))) for kind in KINDS)
        signals = tuple(
            (kind, spec["needed"], tuple(_group(group) for group in spec["groups"].values()))
            for kind in KINDS
            if (spec := data.get("signals", {}).get(kind))
        )
        return cls(blank, kinds, signals)

    def find(self, plain: str) -> str | None:
        """The kind this language sees in normalised text: a pattern first, else enough signals."""
        rest = plain
        for pattern in self.blank:
            rest = pattern.sub(" _ ", rest)
        for kind, found in self.kinds:
            if any(p.search(rest) for p in found):
                return kind
        for kind, needed, groups in self.signals:
            if sum(weight for weight, group in groups if group.search(rest)) >= needed:
                return kind
        return None


def _group(spec: Mapping[str, Any]) -> tuple[int, re.Pattern[str]]:
    """One signal group: its weight, and its patterns joined into one."""
    return spec["weight"], re.compile("|".join(f"(?:{p})" for p in spec["patterns"]))


def normalise(text: str) -> str:
    """Lower case, no apostrophes, single spaces: the form the patterns are written for."""
    text = unicodedata.normalize("NFKC", text).lower().translate(QUOTES)
    text = REPEATS.sub(r"\1", text)
    return " ".join(text.split())


def detect(text: str, languages: Sequence[Patterns]) -> str | None:
    """The kind of crisis the text speaks of, if any; every language's patterns are tried."""
    plain = normalise(text)
    return next((kind for p in languages if (kind := p.find(plain))), None)
