"""The console chat, driven the way a script would: lines piped into `python -m bot chat`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """/start
1
1
3
2
1
4
3
You never listen to me and I'm sick of it
1
5
1
:advance 31m
:advance 1d
/menu
hello there
:bogus
:quit
"""


def chat(script: str, data_dir: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    env["DATA_DIR"] = str(data_dir)
    # Midday, so quiet hours never hold back what `:advance` should show.
    env["CONSOLE_START"] = "2026-11-25T12:00:00+00:00"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_scripted_conversation_in_the_console(tmp_path: Path) -> None:
    out = chat(SCRIPT, tmp_path)
    assert "[1] English  [2] Русский" in out
    assert "That's a lot of heat right now" in out
    assert "Parked. It goes nowhere" in out
    assert "I'll check back in 30 minutes." in out
    assert "Checking back, as you asked." in out
    review = out.index("Yesterday you parked a message")
    assert "You never listen to me and I'm sick of it" in out[review:]
    assert "I'm here. Pick one of the options below." in out
    assert ": Unknown console command" in out
    assert (tmp_path / "mend.db").exists()


def test_console_remembers_the_step_between_runs(tmp_path: Path) -> None:
    chat("/start\n2\n2\n", tmp_path)
    out = chat("1\n", tmp_path)
    # The second run goes on where the first stopped, in Russian: "1" answers "what happened"
    # and the next question, how serious, follows.
    assert "Консоль Mend" in out
    assert "Насколько это серьёзно" in out


JOURNEY = """/start
1
1
2
3
1
2
1
I told you I was at work when I was out with my ex
You felt lied to and stupid for believing me
I was afraid you'd be jealous, so I hid it
I will tell you where I am, even when it's awkward
/apology
I lied to you about where I was, but I was scared
1
I lied to you about where I was, for weeks
1
I'm sorry. I regret it
1
What do you need from me right now?
:quit
"""

PLAN = """/plan
1
I tell you where I am when I'm out after 9pm
1
4
2
1
I tell you the same day, face to face
7
:quit
"""


def press(out: str, label: str) -> str:
    """The number the console shows for a button in the last list of choices that has it."""
    line = next(x for x in reversed(out.splitlines()) if f"] {label}" in x)
    return line.split(f"] {label}")[0].rsplit("[", 1)[1]


def test_the_repair_journey_in_the_console(tmp_path: Path) -> None:
    out = chat(JOURNEY, tmp_path)
    meet = chat("/meet\n1\n", tmp_path)
    assert "have they agreed to meet?" in meet
    # Which days are offered depends on the hour, so the number is read off the screen.
    meet += chat(press(meet, "Tomorrow") + "\n", tmp_path)
    meet += chat(press(meet, "Evening") + "\nat home, in the kitchen\n", tmp_path)
    meet += chat("1\n1\n1\nI'll text you whenever I'm out after 9pm\n", tmp_path)
    assert "Your meeting card" in meet and "Where: at home, in the kitchen" in meet
    assert ": (pinned)" in meet
    out += meet + chat(PLAN, tmp_path)
    assert "Next: reflect." in out
    assert "Saved to your journal" in out
    assert 'In your reflection you wrote:\n\n"I told you I was at work' in out
    assert 'A few words here might work against you:\n\n"but"' in out
    ready = out.index("Here is your apology, all together")
    assert "I lied to you about where I was, for weeks" in out[ready:]
    assert "but I was scared" not in out[ready:]
    card = out[out.rindex("Your plan") :]
    assert "I tell you where I am when I'm out after 9pm (every day at 21:00)" in card
    assert "If I slip: I tell you the same day, face to face" in card
    assert "Weekly review: Sunday" in card


def test_advancing_a_day_in_the_console_brings_the_next_check_in(tmp_path: Path) -> None:
    out = chat("/checkin\n2\n:advance 9h\n1\n:advance 1d\n:quit\n", tmp_path)
    assert "Every day at 20:00 I'll ask" in out
    assert out.count("Did you keep your commitments today?") == 2
    assert "Kept today." in out


def test_sharing_a_location_in_the_console_sets_the_time_zone(tmp_path: Path) -> None:
    out = chat("/settings\n3\n:location 91 0\n:location 35.68 139.69\n:quit\n", tmp_path)
    assert "type :location and a latitude and longitude" in out
    assert "couldn't tell the time zone from that spot" in out  # there is no latitude 91
    assert "Time zone set: Asia/Tokyo." in out
