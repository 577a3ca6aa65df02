"""When a reminder comes next: recurrence rules and quiet hours, in the user's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

DEFAULT_QUIET = ("22:00", "08:00")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RuleError(ValueError):
    """A recurrence rule this module cannot read."""


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone by name; UTC for an unknown or missing one."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def trigger(rule: str, tz: str | None) -> CronTrigger:
    """An APScheduler cron trigger for "daily 19:00", "weekdays 07:30" or "weekly sun 20:00"."""
    parts = rule.split()
    if len(parts) < 2:
        raise RuleError(rule)
    hour, minute = _clock(parts[-1], rule)
    if parts[0] == "daily" and len(parts) == 2:
        days = "*"
    elif parts[0] == "weekdays" and len(parts) == 2:
        days = "mon-fri"
    elif parts[0] == "weekly" and len(parts) == 3 and parts[1] in DAYS:
        days = parts[1]
    else:
        raise RuleError(rule)
    return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=zone(tz))


def _clock(text: str, rule: str) -> tuple[int, int]:
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit()) or int(hours) > 23 or int(minutes) > 59:
        raise RuleError(rule)
    return int(hours), int(minutes)


def next_time(rule: str, tz: str | None, after: datetime) -> datetime:
    """The first occurrence after `after`, in UTC, at most once per local wall-clock time."""
    cron, where = trigger(rule, tz), zone(tz)
    shown = after.astimezone(where).replace(tzinfo=None, second=0, microsecond=0)
    # Arithmetic in UTC: adding to a zoned datetime moves the wall clock, not real time.
    fire = cron.get_next_fire_time(None, after.astimezone(UTC) + timedelta(seconds=1))
    # When clocks fall back, 02:30 happens twice; the trigger would fire at both.
    for _ in range(3):
        if fire is None or fire.astimezone(where).replace(tzinfo=None) != shown:
            break
        fire = cron.get_next_fire_time(None, fire.astimezone(UTC) + timedelta(seconds=1))
    if fire is None:
        raise RuleError(rule)
    found: datetime = fire.astimezone(UTC)
    return found


def once_at(clock: str, tz: str | None, after: datetime) -> datetime:
    """The next time the wall clock in `tz` shows `clock` ("HH:MM"), in UTC."""
    return next_time(f"daily {clock}", tz, after)


def quiet_until(
    moment: datetime, tz: str | None, quiet: tuple[str, str] = DEFAULT_QUIET
) -> datetime | None:
    """If `moment` falls in the quiet hours (local time), when they end (UTC); else None."""
    local = moment.astimezone(zone(tz))
    start, end = (time(*_clock(q, "quiet")) for q in quiet)
    now = local.time()
    inside = start <= now or now < end if start > end else start <= now < end
    if not inside or start == end:
        return None
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone(tz)).astimezone(UTC)
