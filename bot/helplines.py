"""Helplines to show someone who may be in crisis: by the country their time zone lies in."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from bot import i18n

FILENAME = "resources.json"


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((i18n.LOCALES_DIR / FILENAME).read_text(encoding="utf-8"))
    return data


@cache
def _countries() -> dict[str, str]:
    """Each time zone's country, from the tz database's own zone.tab."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, zone, *_ = line.split("\t")
            found[zone] = code
    return found


def country(tz: str | None) -> str | None:
    """The ISO country code of a time zone, if it belongs to one."""
    return _countries().get(tz) if tz else None


def lines(kind: str, tz: str | None, locale: str) -> list[str]:
    """What to show: the lines for this kind in the user's country, then the world directory.

    `kind` is "crisis" (self-harm and suicide), "abuse" (someone is hurting them) or "stop"
    (they hurt someone and want to stop); the crisis lines serve wherever nothing closer is known.
    """
    place: dict[str, Any] = _data()["countries"].get(country(tz) or "", {})
    found = place.get(kind) or place.get("crisis") or []
    shown = [
        i18n.text(locale, "sos-line", {"name": e["name"], "contact": e["contact"]}) for e in found
    ]
    if place.get("emergency"):
        shown.append(i18n.text(locale, "sos-emergency", {"number": place["emergency"]}))
    else:
        shown.append(i18n.text(locale, "sos-emergency-general"))
    shown.append(i18n.text(locale, "sos-directory", {"url": _data()["directory"]["url"]}))
    return shown
