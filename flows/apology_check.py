"""Spots what undermines an apology (excuses, blame, minimising, ...) from per-language patterns."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The patterns are data (`locales/<lang>/apology-patterns.json`), one entry per category:
#
#     {"excuse": {"patterns": [...], "exceptions": [...]}, "blame": {...}, ...}
#
# Each pattern is a Python regular expression with three conveniences, so that the data stays
# readable for the people who write it:
#
# - matching ignores case, and treats curly apostrophes as "'" and "ё" as "е" (text and patterns);
# - a pattern only matches whole words: it never starts or ends inside a word;
# - a space in a pattern (outside [...]) matches any gap between words: spaces, commas, dashes,
#   quotes; never a full stop, so a pattern does not reach across sentences.
#
# A category's exception cancels any of that category's matches it overlaps, for example
# "but I want" cancels the "but" in "I had no excuse, but I want to do better".

CATEGORIES: tuple[str, ...] = ("excuse", "blame", "minimising", "conditional", "rushing")
KEYS: tuple[str, ...] = ("patterns", "exceptions")

# Same-length replacements only, so offsets found in the folded text are offsets in the original.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "ё": "е", "Ё": "Е"})
# Character classes are kept as they are; a bare space becomes a word gap.
_CLASS_OR_SPACE = re.compile(r"\[(?:\\.|[^\]\\])*\]| ")
_GAP = r"(?:[\s,;:\-–—«»\"“”]+)"


@dataclass(frozen=True)
class Finding:
    """One place in the text that undermines the apology."""

    category: str
    phrase: str
    start: int
    end: int


@dataclass(frozen=True)
class Rule:
    """One category's compiled patterns and the exceptions that cancel them."""

    category: str
    patterns: tuple[re.Pattern[str], ...]
    exceptions: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Patterns:
    """Every category's rules for one language, compiled from the JSON data."""

    rules: tuple[Rule, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Patterns:
        """Compile the data; a wrong shape or a broken expression raises ValueError."""
        if set(data) != set(CATEGORIES):
            raise ValueError(f"categories must be exactly {CATEGORIES}, got {sorted(data)}")
        rules = []
        for category in CATEGORIES:
            entry = data[category]
            if not isinstance(entry, Mapping) or set(entry) != set(KEYS):
                raise ValueError(f"{category}: needs exactly the keys {KEYS}")
            compiled = {key: _compile_all(entry[key], f"{category}.{key}") for key in KEYS}
            rules.append(Rule(category, compiled["patterns"], compiled["exceptions"]))
        return cls(tuple(rules))


def check(text: str, patterns: Patterns) -> list[Finding]:
    """The first finding of each category, in text order."""
    folded = text.translate(_FOLD)
    findings = []
    for rule in patterns.rules:
        span = _first(folded, rule)
        if span is not None:
            start, end = span
            findings.append(Finding(rule.category, text[start:end], start, end))
    return sorted(findings, key=lambda f: (f.start, CATEGORIES.index(f.category)))


def _first(text: str, rule: Rule) -> tuple[int, int] | None:
    """The earliest (then longest) match of the rule that no exception overlaps."""
    cancelled = [m.span() for p in rule.exceptions for m in p.finditer(text)]
    best: tuple[int, int] | None = None
    for pattern in rule.patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or any(s < end and start < e for s, e in cancelled):
                continue
            if best is None or (start, -end) < (best[0], -best[1]):
                best = (start, end)
            # Later matches of the same pattern start further right.
            break
    return best


def _compile_all(sources: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(sources, Sequence) or isinstance(sources, str):
        raise ValueError(f"{where}: needs a list of patterns")
    return tuple(_compile(source, where) for source in sources)


def _compile(source: Any, where: str) -> re.Pattern[str]:
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: {source!r} is not a pattern")
    body = _CLASS_OR_SPACE.sub(lambda m: _GAP if m.group() == " " else m.group(), source)
    try:
        return re.compile(rf"(?<!\w)(?:{body.translate(_FOLD)})(?!\w)", re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"{where}: {source!r}: {error}") from None
