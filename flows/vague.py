"""Is a commitment too vague to be noticed by someone else ("be better", "try harder")?"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# A long commitment, or one with a number in it (a time, a count), usually names something
# observable even when it contains a vague phrase: "try harder: home by 7 on weekdays".
CONCRETE_WORDS = 8


@dataclass(frozen=True)
class VaguePatterns:
    """Compiled phrases that mark a commitment as vague, for one language."""

    phrases: tuple[re.Pattern[str], ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> VaguePatterns:
        """Build from the `plan-patterns.json` data of a language."""
        return cls(tuple(_compile(p) for p in data.get("vague", [])))


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE | re.UNICODE)


def is_vague(text: str, patterns: VaguePatterns) -> bool:
    """True when the text leans on a vague phrase and names nothing observable."""
    words = text.split()
    if len(words) >= CONCRETE_WORDS or any(ch.isdigit() for ch in text):
        return False
    return _any(p.search(text.replace("ё", "е")) for p in patterns.phrases)


def _any(found: Iterable[re.Match[str] | None]) -> bool:
    return any(m is not None for m in found)
