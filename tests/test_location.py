"""Sharing a location once sets the time zone; the location itself is never kept."""

from __future__ import annotations

import sqlite3
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import geo
from bot.storage.db import Database
from bot.storage.models import Reminder
from bot.updates import incoming
from flows.engine import Command, Located, Say, Text
from tests.bot_process import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.sealed import keys_of, opened
from tests.test_e2e import intake, tap
from tests.test_flows import Chat
from tests.test_runtime import Harness


@pytest.mark.parametrize(
    ("lat", "lon", "zone"),
    [
        (52.52, 13.40, "Europe/Berlin"),
        (40.71, -74.01, "America/New_York"),
        (55.75, 37.62, "Europe/Moscow"),
        (-36.85, 174.76, "Pacific/Auckland"),
        (1.87, -157.43, "Pacific/Kiritimati"),  # UTC+14
    ],
)
def test_a_point_gives_the_zone_it_lies_in(lat: float, lon: float, zone: str) -> None:
    assert geo.zone_at(lat, lon) == zone


@pytest.mark.parametrize(
    ("lat", "lon"), [(91, 0), (0, 181), (float("nan"), 0), ("52", "13"), (None, None), (True, 3)]
)
def test_a_point_that_is_not_on_earth_gives_no_zone(lat: object, lon: object) -> None:
    assert geo.zone_at(lat, lon) is None


def test_a_location_message_becomes_a_zone_without_its_coordinates() -> None:
    update = {
        "update_id": 7,
        "message": {
            "message_id": 3,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": {"id": 5, "is_bot": False, "first_name": "A"},
            "location": {"latitude": 48.86, "longitude": 2.35},
        },
    }
    found = incoming(update)
    assert found is not None and found.event == Located("Europe/Paris")


def test_sharing_a_location_at_the_zone_question_sets_it_and_takes_the_button_away() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("settings"))
    chat.press("settings-btn-tz")
    asked = [e for e in chat.effects if isinstance(e, Say)]
    assert [s.keyboard for s in asked] == ["", "location"]
    chat.send(Located(None))
    assert chat.say_keys() == ["settings-tz-nowhere"] and chat.state.step == "tz"
    chat.send(Located("Europe/Berlin"))
    assert chat.profile["tz"] == "Europe/Berlin"
    saved = next(e for e in chat.effects if isinstance(e, Say))
    assert (saved.key, saved.keyboard) == ("settings-tz-saved", "clear")
    assert chat.state.flow == "menu"


def test_typing_a_city_instead_also_takes_the_location_button_away() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("settings"))
    chat.press("settings-btn-tz")
    chat.send(Text("Lisbon"))
    saved = next(e for e in chat.effects if isinstance(e, Say))
    assert (saved.key, saved.keyboard) == ("settings-tz-saved", "clear")


def test_a_location_mid_flow_sets_the_zone_and_leaves_the_flow_where_it_was() -> None:
    chat = Chat({"intake_done": True})
    chat.send(Command("reflect"))
    before = chat.state
    chat.send(Located("Asia/Tokyo"))
    assert chat.profile["tz"] == "Asia/Tokyo"
    assert (chat.state.flow, chat.state.step) == (before.flow, before.step)
    chat.send(Located(None))
    assert chat.say_keys() == ["nontext-reply"]


async def test_a_new_zone_moves_the_daily_check_in_to_the_same_hour_there(
    database: Database,
) -> None:
    h = Harness(database)
    await h.send(Command("settings"))
    await h.tap("Time zone")
    await h.send(Located("Europe/Berlin"))
    await h.send(Command("checkin"))
    await h.send(Text("21:00"))
    await h.send(Located("America/New_York"))
    async with database.transaction() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.kind == "checkin"))
    assert reminder is not None and reminder.tz == "America/New_York"
    local = h.clock.now().astimezone(ZoneInfo("America/New_York"))
    evening = local.replace(hour=21, minute=0, second=0, microsecond=0)
    if evening <= local:
        evening += timedelta(days=1)
    assert reminder.due_at == evening.astimezone(UTC).replace(tzinfo=None)


async def test_sharing_a_location_through_telegram(
    fake: FakeTelegram, bot: BotProcess, tmp_path: Path
) -> None:
    user = fake.user(1212)
    await intake(
        user, "A friend", "Broke a promise", "Serious", "Yes", heat="0–2", expect="What would"
    )
    user.send_text("/settings")
    await tap(user, "Time zone", "type your city")
    hint = await user.wait_text("share your location once")
    assert "reply_markup" not in hint  # a reply keyboard is not kept on the message
    keyboard = fake.keyboard(user.chat_id)
    assert keyboard is not None
    assert keyboard["keyboard"][0][0]["request_location"] is True
    assert keyboard["one_time_keyboard"] is True
    user.send_location(35.68, 139.69)
    await user.wait_text("Time zone set: Asia/Tokyo")
    assert fake.keyboard(user.chat_id) is None
    with keys_of(tmp_path), sqlite3.connect(tmp_path / "mend.db") as db:
        stored = " ".join(str(opened(row[0])) for row in db.execute("SELECT event FROM inbox"))
    assert "Asia/Tokyo" in stored and "35.68" not in stored and "139.69" not in stored
