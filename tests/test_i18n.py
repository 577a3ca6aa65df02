"""Texts parsed once are kept for the next start, and never stand in for texts that changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import i18n


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A locales folder of one language with one text, and empty caches around the test."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "start.ftl").write_text("hello = Hello, { $name }.\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    monkeypatch.setattr(i18n, "PARSED_DIR", tmp_path / ".parsed")
    i18n.bundle.cache_clear()
    i18n.available.cache_clear()
    yield tmp_path
    i18n.bundle.cache_clear()
    i18n.available.cache_clear()


def _restart() -> None:
    """What a new process starts with: nothing parsed in memory."""
    i18n.bundle.cache_clear()


def test_a_second_start_reads_the_kept_parse_and_says_the_same(
    locales: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    kept = list((locales / ".parsed").glob("en.*.pickle"))
    assert len(kept) == 1
    assert i18n.available() == ("en",), "the kept copies are not a language"
    _restart()
    parsed: list[str] = []
    monkeypatch.setattr(i18n, "FluentResource", parsed.append)
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    assert parsed == [], "read from the kept copy, not parsed again"


def test_a_changed_text_is_parsed_afresh_and_the_old_copy_goes(locales: Path) -> None:
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    (locales / "en" / "start.ftl").write_text("hello = Hi { $name }!\n", encoding="utf-8")
    _restart()
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hi Sam!"
    assert len(list((locales / ".parsed").glob("en.*.pickle"))) == 1


@pytest.mark.parametrize(
    "damage",
    [b"not a pickle", b"\x80\x09.", b"", "flip"],
    ids=["text", "bad-protocol", "empty", "flipped-bytes"],
)
def test_a_damaged_copy_is_parsed_again(locales: Path, damage: bytes | str) -> None:
    i18n.bundle("en")
    [kept] = (locales / ".parsed").glob("en.*.pickle")
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
    [kept] = (locales / ".parsed").glob("en.*.pickle")
    assert kept.stat().st_mode & 0o777 == 0o644


def test_a_read_only_install_still_speaks(locales: Path) -> None:
    (locales / ".parsed").write_text("a file where the folder would go")
    assert i18n.text("en", "hello", {"name": "Sam"}) == "Hello, Sam."
    assert [p.name for p in locales.iterdir() if p.name.startswith(".")] == [".parsed"]
