"""Recurrence in the user's own zone: DST, far-off zones, quiet hours; time is always injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.recurrence import RuleError, next_time, once_at, quiet_until

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def local(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %a")


def test_daily_keeps_the_local_hour_across_spring_forward_in_berlin() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    first = next_time("daily 09:00", BERLIN, start)
    second = next_time("daily 09:00", BERLIN, first)
    assert local(first, BERLIN) == "2026-03-29 09:00 Sun"
    assert local(second, BERLIN) == "2026-03-30 09:00 Mon"
    # The clocks went forward: only 23 hours between the two in real time.
    assert second - first == timedelta(hours=24)
    assert first.utcoffset() == timedelta(0) and first.hour == 7


def test_a_time_that_does_not_exist_on_the_switch_day_still_fires_once() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    first = next_time("daily 02:30", BERLIN, start)
    second = next_time("daily 02:30", BERLIN, first)
    assert first.date().isoformat() == "2026-03-29"
    assert local(second, BERLIN) == "2026-03-30 02:30 Mon"


def test_fall_back_in_berlin_fires_the_repeated_hour_once() -> None:
    start = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    first = next_time("daily 02:30", BERLIN, start)
    second = next_time("daily 02:30", BERLIN, first)
    assert local(first, BERLIN).startswith("2026-10-25 02:30")
    assert local(second, BERLIN).startswith("2026-10-26 02:30")
    assert second - first == timedelta(hours=25) or second - first == timedelta(hours=24)


def test_weekly_in_new_york_across_the_november_change() -> None:
    start = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
    first = next_time("weekly sun 20:00", NEW_YORK, start)
    second = next_time("weekly sun 20:00", NEW_YORK, first)
    assert local(first, NEW_YORK) == "2026-11-01 20:00 Sun"
    assert local(second, NEW_YORK) == "2026-11-08 20:00 Sun"
    assert first.hour == 1 and second.hour == 1  # 20:00 EST is 01:00 UTC the next day
    assert second - first == timedelta(days=7)


def test_weekdays_skip_the_weekend() -> None:
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert local(next_time("weekdays 07:30", "UTC", friday), "UTC") == "2026-11-30 07:30 Mon"


@pytest.mark.parametrize(
    ("tz", "expected_utc_hour", "day_shift"),
    [("Pacific/Kiritimati", 5, 0), ("Etc/GMT+12", 7, 1)],
)
def test_zones_at_utc_plus_14_and_minus_12(tz: str, expected_utc_hour: int, day_shift: int) -> None:
    start = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    fire = next_time("daily 19:00", tz, start)
    assert local(fire, tz).endswith("19:00 " + local(fire, tz)[-3:])
    assert fire.hour == expected_utc_hour
    assert (fire.date() - fire.astimezone(ZoneInfo(tz)).date()).days == day_shift


def test_once_at_is_the_next_wall_clock_time() -> None:
    evening = datetime(2026, 6, 10, 20, 0, tzinfo=UTC)
    assert once_at("19:00", "UTC", evening) == datetime(2026, 6, 11, 19, 0, tzinfo=UTC)
    assert once_at("21:00", "UTC", evening) == datetime(2026, 6, 10, 21, 0, tzinfo=UTC)


def test_unknown_zone_falls_back_to_utc_and_bad_rules_are_refused() -> None:
    start = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    assert next_time("daily 13:00", "Mars/Olympus", start) == datetime(
        2026, 6, 10, 13, 0, tzinfo=UTC
    )
    for rule in ("hourly", "daily 25:00", "weekly funday 10:00", "daily"):
        with pytest.raises(RuleError):
            next_time(rule, "UTC", start)


def test_quiet_hours_wrap_midnight_in_local_time() -> None:
    late = datetime(2026, 1, 10, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert quiet_until(late, BERLIN) == datetime(2026, 1, 11, 7, 0, tzinfo=UTC)
    early = datetime(2026, 1, 11, 5, 0, tzinfo=UTC)  # 06:00 in Berlin
    assert quiet_until(early, BERLIN) == datetime(2026, 1, 11, 7, 0, tzinfo=UTC)
    day = datetime(2026, 1, 11, 12, 0, tzinfo=UTC)
    assert quiet_until(day, BERLIN) is None
    assert quiet_until(day, BERLIN, ("11:00", "14:00")) == datetime(2026, 1, 11, 13, 0, tzinfo=UTC)
    assert quiet_until(day, BERLIN, ("00:00", "00:00")) is None
