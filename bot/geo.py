"""The time zone a shared location lies in, looked up offline; the location is not kept."""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder


@cache
def _finder() -> TimezoneFinder:
    # Imported and built on first use: the boundary data is only needed when someone shares.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: object, longitude: object) -> str | None:
    """The IANA zone at a point, or None for a point that is invalid or has no known zone."""
    numbers = (latitude, longitude)
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        return None
    lat, lon = float(latitude), float(longitude)  # type: ignore[arg-type]
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    zone = _finder().timezone_at(lat=lat, lng=lon)
    if not zone:
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return str(zone)
