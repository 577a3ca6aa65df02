"""Texts parsed once are kept for the next start, and never stand in for texts that changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import i18n


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder holding `locales/` (one language, one text) and `cache/`; caches emptied."""
    folder = tmp_path / "locales"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "start.ftl").write_text("hello = Hello, { $name }.\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", folder)
    monkeypatch.setattr(i18n, "PARSED_DIR", tmp_path / "cache" / "texts")
    i18n.bundle.cache_clear()
    i18n.available.cache_clear()
    yield tmp_path
    i18n.bundle.cache_clear()
    i18n.available.cache_clear()


def _kept(root: Path) -> list[Path]:
    """The kept copies of the English texts."""
    return sorted((root / "cache" / "texts").glob("en.*.pickle"))


def _restart() -> None:
    """What a new process starts with: nothing parsed in memory."""
    i18n.bundle.cache_clear()


def test_a_second_start_reads_the_kept_parse_and_says_the_same(
    locales: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    kept = list(_kept(locales))
    assert len(kept) == 1
    # Nothing lands among the languages, where every file is a language's text.
    assert sorted(p.name for p in (locales / "locales").rglob("*")) == ["en", "start.ftl"]
    _restart()
    parsed: list[str] = []
    monkeypatch.setattr(i18n, "FluentResource", parsed.append)
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    assert parsed == [], "read from the kept copy, not parsed again"


def test_a_changed_text_is_parsed_afresh_and_the_old_copy_goes(locales: Path) -> None:
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    (locales / "locales" / "en" / "start.ftl").write_text(
        "hello = Hi { $name }!\n", encoding="utf-8"
    )
    _restart()
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hi Sam!"
    assert len(list(_kept(locales))) == 1


@pytest.mark.parametrize(
    "damage",
    [b"not a pickle", b"\x80\x09.", b"", "flip"],
    ids=["text", "bad-protocol", "empty", "flipped-bytes"],
)
def test_a_damaged_copy_is_parsed_again(locales: Path, damage: bytes | str) -> None:
    i18n.bundle("en")
    [kept] = _kept(locales)
    whole = kept.read_bytes()
    if damage == "flip":
        middle = len(whole) // 2
        damage = whole[:middle] + bytes(b ^ 0xFF for b in whole[middle : middle + 3])
        damage += whole[middle + 3 :]
    assert isinstance(damage, bytes)
    kept.write_bytes(damage)
    _restart()
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    assert kept.read_bytes() == whole, "kept again, whole"


def test_the_kept_copy_is_readable_by_the_workers_user(locales: Path) -> None:
    i18n.bundle("en")
    [kept] = _kept(locales)
    assert kept.stat().st_mode & 0o777 == 0o644


def test_a_read_only_install_still_speaks(locales: Path) -> None:
    (locales / "cache").write_text("a file where the folder would go")
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    assert (locales / "cache").read_text() == "a file where the folder would go"
