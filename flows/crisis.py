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

import json
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
    # Latin spellings of this language's letters: people without the keyboard write
    # "tabletki" for "таблетки". Tried when a text has none of the language's letters.
    latin: Mapping[str, str] | None = None
    letters: re.Pattern[str] | None = None
    spelling: re.Pattern[str] | None = None
    # The same patterns with soft and hard signs optional, for text spelled from Latin
    # letters: "umeret" for "умереть", "ubyu" for "убью".
    lenient: Patterns | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Patterns:
        """Build from the JSON data: what to blank, one list a kind, then the signal groups."""

        def compiled(sources: Iterable[str]) -> tuple[re.Pattern[str], ...]:
            # One alternation searched once is much faster than each pattern in turn.
            joined = "|".join(f"(?:{source})" for source in sources)
            return (re.compile(joined),) if joined else ()

        blank = compiled([*data.get("figures", ()), *data.get("negations", ())])
        kinds = tuple((kind, compiled(data.get(kind, ()))) for kind in KINDS)
        signals = tuple(
            (kind, spec["needed"], tuple(_group(group) for group in spec["groups"].values()))
            for kind in KINDS
            if (spec := data.get("signals", {}).get(kind))
        )
        latin = {str(a): str(b) for a, b in data.get("latin", ())}
        lenient = None
        if latin:
            signs = {k: v for k, v in data.items() if k not in ("latin", "letters")}
            lenient = cls.from_data(
                json.loads(
                    json.dumps(signs, ensure_ascii=False).replace("ь", "ь?").replace("ъ", "ъ?")
                )
            )
        letters = re.compile(data["letters"]) if "letters" in data else None
        # Longest first, so "shch" is read before "sh" and "s".
        keys = sorted(latin, key=len, reverse=True)
        spelling = re.compile("|".join(map(re.escape, keys))) if keys else None
        return cls(blank, kinds, signals, latin or None, letters, spelling, lenient)

    def blanked(self, plain: str) -> str:
        """The text with this language's figures of speech and negations blanked out."""
        for pattern in self.blank:
            plain = pattern.sub(" _ ", plain)
        return plain

    def spelled(self, plain: str) -> str | None:
        """The text in this language's letters, if it was written in Latin ones instead."""
        table, spelling = self.latin, self.spelling
        if table is None or spelling is None or self.letters is None:
            return None
        if self.letters.search(plain) or not re.search("[a-z]", plain):
            return None
        return spelling.sub(lambda found: table[found.group()], plain)

    def find(self, plain: str) -> str | None:
        """The kind this language sees in normalised text: a pattern first, else enough signals."""
        rest = self.blanked(plain)
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
    found = next((kind for p in languages if (kind := p.find(plain))), None)
    if found is None:
        # Latin letters may be English: what English blanks ("not suicidal") stays blank.
        for patterns in languages:
            plain = patterns.blanked(plain)
        for patterns in languages:
            spelled = patterns.spelled(plain)
            lenient = patterns.lenient or patterns
            if spelled is not None and (found := lenient.find(spelled)):
                break
    return found
