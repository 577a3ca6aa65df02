"""Locale loading and formatting: every user-visible string comes from `locales/`."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Mapping
from functools import cache
from importlib.metadata import version
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax.ast import Resource

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
FALLBACK = "en"
# Parsed texts, kept between starts beside the bytecode (never among the languages):
# parsing a language's .ftl files took 0.1 s of every start.
PARSED_DIR = Path(__file__).resolve().parent / "__pycache__" / "texts"
# What a kept copy holds; a change to it must not read copies kept the old way.
PARSED_FORMAT = b"mend parsed texts 1"


@cache
def available() -> tuple[str, ...]:
    """Languages that have a folder under `locales/`."""
    return tuple(sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir()))


@cache
def bundle(locale: str) -> FluentBundle:
    """All `.ftl` files of one language in one bundle."""
    result = FluentBundle([locale], use_isolating=False)
    for resource in _resources(locale):
        result.add_resource(resource)
    return result


def _resources(locale: str) -> list[Resource]:
    """A language's .ftl files parsed, or the copy kept from parsing these very texts."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((LOCALES_DIR / locale).glob("*.ftl"))]
    digest = hashlib.sha256(PARSED_FORMAT + version("fluent.syntax").encode())
    for source in texts:
        encoded = source.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    kept = PARSED_DIR / f"{locale}.{digest.hexdigest()[:20]}.pickle"
    try:
        # Only ever a file this module wrote beside the code: whoever could change it could
        # change the code as well.
        found = pickle.loads(kept.read_bytes())
        if isinstance(found, list) and all(isinstance(r, Resource) for r in found):
            return found
    except Exception:  # a damaged copy of any kind is parsed again
        pass
    resources = [FluentResource(source) for source in texts]
    _keep(kept, locale, resources)
    return resources


def _keep(path: Path, locale: str, resources: list[Resource]) -> None:
    """Keep parsed texts for the next start, in place of older ones; skipped where read-only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    except OSError as error:
        log.debug("parsed texts not kept (%s)", type(error).__name__)
        return
    try:
        # Readable by the workers' user when `make prepare` runs as root (mkstemp makes 0600).
        os.fchmod(descriptor, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(resources, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, path)
        for old in path.parent.glob(f"{locale}.*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.debug("parsed texts not kept (%s)", type(error).__name__)
    finally:
        Path(name).unlink(missing_ok=True)


def pick(language_code: str | None, default: str = FALLBACK) -> str:
    """Our language for a Telegram language code such as "ru" or "en-GB"."""
    code = (language_code or "").split("-")[0].lower()
    return code if code in available() else default


def has(locale: str, key: str) -> bool:
    """Whether a message exists in the language."""
    return bundle(locale).has_message(key)


def text(locale: str, key: str, args: Mapping[str, str | int] | None = None) -> str:
    """Format a message, falling back to English, and to the key itself as a last resort."""
    for lang in (locale, FALLBACK):
        b = bundle(lang)
        if b.has_message(key):
            message = b.get_message(key)
            if message.value is None:
                break
            value, errors = b.format_pattern(message.value, dict(args or {}))
            for error in errors:
                log.warning("locale %s key %s: %s", lang, key, error)
            return str(value)
    log.error("missing locale key %s", key)
    return key


def message_ids(locale: str) -> set[str]:
    """Every message id a language defines."""
    from fluent.syntax import FluentParser, ast

    ids: set[str] = set()
    for path in (LOCALES_DIR / locale).glob("*.ftl"):
        for entry in FluentParser().parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, ast.Message):
                ids.add(entry.id.name)
    return ids
