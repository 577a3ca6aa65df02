"""`make bench`: Mend beside aiogram's own ceiling, a fan-out, the scheduler at scale, cold start.

`python -m bench.run scheduler` (or any of cold_start, throughput, fan_out, workers) runs only
those.

Everything runs on this machine: a fake Bot API on 127.0.0.1 (tests/fake_telegram.py) and the
real bot as a separate process. Prints a table and writes bench/results.json. Not a test: the
figures depend on the machine, and nothing here asserts them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from asyncio.subprocess import PIPE
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot import sealing
from bot.clock import Clock, naive
from bot.runtime import Runtime
from bot.storage.db import Database
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results.json"
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
# Mend's own pacing is Telegram's; for measuring the machine, the fake sets no limit.
SWEEP_SIZES = tuple(
    int(n) for n in os.environ.get("BENCH_SWEEP_SIZES", "100000,1000000").split(",")
)
# Users in the paced run: 500 users x 6 updates at 100 a second is a minute of load.
PACED_USERS = 500
# Paced runs a bot: the one with the median p99 is reported, beside every run's p99, since
# one run's tail moves by tens of milliseconds on a shared machine.
PACED_RUNS = 3
# Sweeps timed at each size; the median is reported.
SWEEPS = 5
UNPACED = {"SEND_RATE": "100000", "SEND_CHAT_RATE": "1000", "SEND_GROUP_PER_MINUTE": "100000"}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _spawn(
    fake: FakeTelegram, argv: list[str], env: dict[str, str], log: Path
) -> asyncio.subprocess.Process:
    with log.open("a") as out:
        process = await asyncio.create_subprocess_exec(
            *argv, env={**os.environ, **env}, stdout=out, stderr=out, cwd=ROOT
        )
    await fake.wait_for(lambda: fake.is_polling, timeout=60, what="the bot to poll")
    return process


async def _mend(fake: FakeTelegram, folder: Path, **settings: str) -> asyncio.subprocess.Process:
    env = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.url,
        "DATA_DIR": str(folder),
        "POLL_TIMEOUT": "1",
        "SWEEP_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    return await _spawn(fake, [sys.executable, "-m", "bot", "run"], env, folder / "bot.log")


async def _echo(fake: FakeTelegram, folder: Path) -> asyncio.subprocess.Process:
    argv = [sys.executable, "-m", "bench.echo_bot", fake.token, fake.url]
    return await _spawn(fake, argv, {}, folder / "echo.log")


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        process.kill()
        await process.wait()


@contextlib.contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """Keep Python's cycle collector out of the fake server while it measures: a full pass
    over tens of thousands of recorded calls stalls it, and the requests that queued meanwhile
    would then look to its rate limit like a burst the bot never sent."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def _reading(
    fake: FakeTelegram, record: Callable[[Any], None], done: Callable[[], bool]
) -> Callable[[], bool]:
    """A wait condition that reads each new call once: rescanning them all would starve the
    fake server of the CPU it needs to answer, and measure the scan instead of the bot."""
    read = 0

    def check() -> bool:
        nonlocal read
        new = fake.calls[read:]
        read += len(new)
        for call in new:
            record(call)
        return done()

    return check


# What each simulated user does, one update at a time, each after the reply to the last:
# Mend's intake by taps, free text, the menu and a check-in; the echo bot gets the same
# number of texts, which is all it understands.
MEND_SCRIPT = (
    "/start",
    "tap",
    "tap",
    "I raised my voice at her last night and I regret it",
    "/checkin",
    "tap",
)
ECHO_SCRIPT = tuple(f"message {n}" for n in range(len(MEND_SCRIPT)))
# A simulated user's pause between steps, reading: the bot's last message must be this old.
READING = 0.5
MESSAGE_CALLS = frozenset({"sendMessage", "editMessageText", "sendPhoto", "sendDocument"})


def _shown(message: Any) -> str:
    """What a message shows: its id, text and buttons."""
    return json.dumps([message["message_id"], message.get("text"), message["reply_markup"]])


class _Replies:
    """Reads the fake's calls once each and wakes whoever waits for a reply in a chat."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.waiting: dict[int, asyncio.Future[float]] = {}
        self.last: dict[int, float] = {}

    def expect(self, chat: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiting[chat] = future
        return future

    async def watch(self) -> None:
        def record(call: Any) -> None:
            chat = call.params.get("chat_id") if call.method in MESSAGE_CALLS else None
            if chat is None or call.status != 200:
                return
            self.last[int(chat)] = call.at
            future = self.waiting.pop(int(chat), None)
            if future is not None and not future.done():
                future.set_result(call.at)

        await self.fake.wait_for(_reading(self.fake, record, lambda: False), timeout=3600)

    async def buttons(self, chat: int, pressed: str) -> Any:
        """The bot's latest message with buttons in the chat, once it is not the one pressed
        (a new message, or the same one edited in place)."""
        for _ in range(120):  # a minute at most
            keyed = [m for m in self.fake.messages(chat) if m.get("reply_markup")]
            if keyed and _shown(keyed[-1]) != pressed:
                return keyed[-1]
            await self.settled(chat)
            await asyncio.sleep(READING)
        raise TimeoutError(f"no buttons to press in chat {chat}")

    async def settled(self, chat: int) -> None:
        """Wait, as a user reads, until the bot has said all it has to say for now."""
        for _ in range(60):  # a minute at most
            quiet = time.monotonic() - self.last.get(chat, 0.0)
            if quiet >= READING:
                return
            await asyncio.sleep(READING - quiet)


class _Pacer:
    """Hands out send times `1 / per_second` apart, so the offered load is even."""

    def __init__(self, per_second: float | None) -> None:
        self.interval = 1 / per_second if per_second else 0.0
        self.next = time.monotonic()

    async def turn(self) -> None:
        if not self.interval:
            return
        slot, self.next = self.next, max(self.next, time.monotonic()) + self.interval
        await asyncio.sleep(max(0.0, slot - time.monotonic()))


async def _offer(
    fake: FakeTelegram, people: int, per_second: float | None, script: Sequence[str]
) -> dict[str, Any]:
    """Every user plays `script` at once (or paced overall); time from update to reply."""
    with _no_collector_pauses():
        return await _offered(fake, people, per_second, script)


async def _offered(
    fake: FakeTelegram, people: int, per_second: float | None, script: Sequence[str]
) -> dict[str, Any]:
    """What `_offer` measures, with the collector held off."""
    first_id = 10_000_000 + int(time.time() * 1000) % 1_000_000 * 10
    replies = _Replies(fake)
    watcher = asyncio.create_task(replies.watch())
    pacer = _Pacer(per_second)
    latencies: list[float] = []
    by_step: list[list[float]] = [[] for _ in script]
    unanswered = 0

    async def play(user: Any) -> None:
        nonlocal unanswered
        pressed = ""
        for number, step in enumerate(script):
            if step == "tap":
                # Under load the message with the buttons may still be on its way.
                await replies.buttons(user.chat_id, pressed)
            await pacer.turn()
            reply = replies.expect(user.chat_id)
            pushed = time.monotonic()
            if step == "tap":
                message = await replies.buttons(user.chat_id, pressed)
                pressed = _shown(message)
                user.press(
                    message, message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
                )
            else:
                user.send_text(step)
            try:
                took = (await asyncio.wait_for(reply, 30) - pushed) * 1000
                latencies.append(took)
                by_step[number].append(took)
            except TimeoutError:
                unanswered += 1
            await replies.settled(user.chat_id)

    users = [fake.user(first_id + n) for n in range(people)]
    start = time.monotonic()
    await asyncio.gather(*(play(user) for user in users))
    elapsed = time.monotonic() - start
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    return {
        "updates": people * len(script),
        "updates_per_s": round(people * len(script) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "unanswered": unanswered,
        "p99_ms_by_step": [round(_percentile(step, 0.99), 1) for step in by_step if step],
    }


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median p99, and every run's p99 beside it."""
    ordered = sorted(runs, key=lambda run: float(run["p99_ms"]))
    return {**ordered[len(ordered) // 2], "p99_ms_runs": [run["p99_ms"] for run in runs]}


async def _fresh_pg() -> tuple[str, Callable[[], Awaitable[None]]]:
    url = make_url(PG_URL)
    name = f"mend_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()

    async def drop() -> None:
        again = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, database=url.database
        )
        await again.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await again.close()

    return url.set(database=name).render_as_string(hide_password=False), drop


async def throughput(folder: Path, people: int) -> dict[str, Any]:
    """Mend (SQLite and PostgreSQL) and the echo bot on the same load, burst and paced."""
    results: dict[str, Any] = {}
    for name in ("echo", "mend_sqlite", "mend_postgresql"):
        place = folder / name
        place.mkdir()
        drop: Callable[[], Awaitable[None]] | None = None
        async with FakeTelegram() as fake:
            if name == "echo":
                process = await _echo(fake, place)
            elif name == "mend_sqlite":
                process = await _mend(fake, place, **UNPACED)
            else:
                url, drop = await _fresh_pg()
                process = await _mend(fake, place, DATABASE_URL=url, **UNPACED)
            try:
                script = ECHO_SCRIPT if name == "echo" else MEND_SCRIPT
                used = _cpu_seconds(process.pid)
                burst = await _offer(fake, people, None, script)
                # The bot's own CPU an update: steadier across machines' loads than updates/s.
                used = _cpu_seconds(process.pid) - used
                burst["bot_cpu_ms_per_update"] = round(used * 1000 / burst["updates"], 2)
                paced = _median_run(
                    [await _offer(fake, PACED_USERS, 100.0, script) for _ in range(PACED_RUNS)]
                )
            finally:
                await _stop(process)
                if drop is not None:
                    await drop()
        results[name] = {"burst": burst, "paced_100_per_s": paced}
    for name in ("mend_sqlite", "mend_postgresql"):
        ours, ceiling = results[name]["burst"], results["echo"]["burst"]
        results[name]["ratio_to_echo"] = round(ours["updates_per_s"] / ceiling["updates_per_s"], 2)
    return results


HOOK = "https://mend.example.org/telegram/updates"
HOOK_SECRET = "bench-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _worker(
    fake: FakeTelegram, folder: Path, url: str, key: str, port: int
) -> asyncio.subprocess.Process:
    """One webhook worker on `port`, sharing `url` and `key` with the others."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    hooked = len(fake.calls_of("setWebhook"))
    env = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.url,
        "DATA_DIR": str(folder),
        "DATABASE_URL": url,
        "DATA_KEY": key,
        "MODE": "webhook",
        "WEBHOOK_URL": HOOK,
        "WEBHOOK_SECRET": HOOK_SECRET,
        "HTTP_PORT": str(port),
        "SWEEP_SECONDS": "0.2",
        "LEADER_RETRY": "0.2",
        "LOG_LEVEL": "WARNING",
        **UNPACED,
    }
    with (folder / "bot.log").open("a") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env={**os.environ, **env}, stdout=out, stderr=out
        )
    await fake.wait_for(
        lambda: len(fake.calls_of("setWebhook")) > hooked, timeout=60, what="a worker to start"
    )
    return process


async def _leads(port: int) -> bool:
    """Whether the worker on `port` says it leads (False if it does not answer)."""
    try:
        async with (
            aiohttp.ClientSession() as client,
            client.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            return bool((await response.json()).get("leader"))
    except (aiohttp.ClientError, ValueError):
        return False


async def workers(folder: Path, people: int) -> dict[str, Any]:
    """Webhook workers on one PostgreSQL database: 1, 2 and 3 of them, and a take-over."""
    key = Fernet.generate_key().decode()
    results: dict[str, Any] = {}
    for count in (1, 2, 3):
        url, drop = await _fresh_pg()
        processes: list[asyncio.subprocess.Process] = []
        try:
            async with FakeTelegram() as fake:
                ports = [_free_port() for _ in range(count)]
                fake.webhook_targets([f"http://127.0.0.1:{port}" for port in ports])
                for n, port in enumerate(ports):
                    processes.append(await _worker(fake, folder / f"{count}-{n}", url, key, port))
                burst = await _offer(fake, people, None, MEND_SCRIPT)
                results[f"workers_{count}"] = burst
                if count == 3:
                    results["takeover_s"] = await _takeover(processes, ports)
        finally:
            for process in processes:
                if process.returncode is None:
                    await _stop(process)
            await drop()
    one = results["workers_1"]["updates_per_s"]
    for count in (2, 3):
        results[f"workers_{count}"]["ratio_to_1"] = round(
            results[f"workers_{count}"]["updates_per_s"] / one, 2
        )
    return results


async def _takeover(processes: list[asyncio.subprocess.Process], ports: list[int]) -> float:
    """Seconds from SIGKILL of the leading worker until another says it leads."""
    leading = [n for n, port in enumerate(ports) if await _leads(port)]
    assert len(leading) == 1, leading
    gone = leading[0]
    processes[gone].kill()
    await processes[gone].wait()
    killed = time.monotonic()
    others = [port for n, port in enumerate(ports) if n != gone]
    # Asked every 10 ms; bounded by the 30 s a take-over must never come near.
    while time.monotonic() - killed < 30:
        if any([await _leads(port) for port in others]):
            return round(time.monotonic() - killed, 2)
        await asyncio.sleep(0.01)
    raise TimeoutError("no worker took over within 30 s")


def _reminder_rows(sealed: str, due: datetime, people: range) -> list[dict[str, Any]]:
    created = naive(datetime.now(UTC))
    return [
        {
            "chat_id": p,
            "user_id": p,
            "key": "checkin",
            "kind": "checkin",
            "payload": sealed,
            "due_at": due,
            "state": "pending",
            "created_at": created,
        }
        for p in people
    ]


async def _insert_reminders(db: Database, sealed: str, due: datetime, people: range) -> None:
    statement = text(
        "INSERT INTO reminders (chat_id, user_id, key, kind, payload, due_at, state, created_at) "
        "VALUES (:chat_id, :user_id, :key, :kind, :payload, :due_at, :state, :created_at)"
    )
    batch = 50_000
    for start in range(people.start, people.stop, batch):
        part = range(start, min(start + batch, people.stop))
        async with db.transaction() as session:
            await session.execute(statement, _reminder_rows(sealed, due, part))


async def scheduler(folder: Path) -> dict[str, Any]:
    """Sweeps with 100 reminders due among 100k and among 1M rows, in a process of its own."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.run", "--sweeps", str(folder), stdout=PIPE, cwd=ROOT
    )
    out, _ = await child.communicate()
    figures: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return figures


async def _sweeps(folder: Path) -> dict[str, Any]:
    """What `scheduler` measures: the median of five sweeps a size, and the peak memory."""
    sealing.use([sealing.new_key()])
    sealed = json.dumps({"sealed": sealing.seal("{}")})
    results: dict[str, Any] = {}
    # Midday UTC, so default quiet hours (22:00-08:00 in a zone-less profile) hold nothing back.
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0)
    for total in SWEEP_SIZES:
        db = Database(f"sqlite+aiosqlite:///{folder / f'sweep-{total}.db'}")
        await db.migrate()
        await _insert_reminders(db, sealed, naive(noon + timedelta(days=1)), range(1, total + 1))
        sweeps: list[float] = []
        empty: list[float] = []
        fired: list[int] = []
        for round_ in range(SWEEPS):
            moment = noon + timedelta(minutes=10 * round_)
            due = range(total + 1 + 100 * round_, total + 1 + 100 * (round_ + 1))
            await _insert_reminders(db, sealed, naive(moment - timedelta(minutes=1)), due)
            # A running bot sweeps every few seconds on an open connection: one sweep before
            # these come due stands for the sweep before this one.
            await Runtime(db, Clock(moment - timedelta(minutes=2))).fire_due()
            runtime = Runtime(db, Clock(moment))
            began = time.perf_counter()
            fired.append(await runtime.fire_due())
            sweeps.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            await runtime.fire_due()
            empty.append((time.perf_counter() - began) * 1000)
        await db.close()
        results[f"{total}_rows"] = {
            "fired_each_sweep": fired,
            "sweep_ms_median": round(statistics.median(sweeps), 1),
            "sweep_ms_all": [round(ms, 1) for ms in sweeps],
            "sweep_with_nothing_due_ms": round(statistics.median(empty), 2),
        }
    results["peak_memory_mb"] = round(_peak_mb(), 1)
    return results


def _peak_mb() -> float:
    """This process's peak resident memory since it started running this program."""
    # Not getrusage's ru_maxrss: Linux carries it over fork and exec, so a child of a big
    # parent reported the parent's size (207 MB after the fan-out, against 127 MB alone).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, user and system, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def cold_start(folder: Path) -> dict[str, Any]:
    """From `python -m bot run` to the first reply delivered, and memory once idle, per library."""
    found: dict[str, Any] = {}
    for framework in ("aiogram", "ptb"):
        place = folder / framework
        place.mkdir()
        found[framework] = await _cold_starts(place, framework)
    return found


# Starts timed per library, each pair (first start, restart) in a fresh folder; the median is
# reported, since one start can be a tenth of a second off.
COLD_ROUNDS = 3


async def _cold_starts(folder: Path, framework: str) -> dict[str, Any]:
    rounds = []
    for n in range(COLD_ROUNDS):
        place = folder / str(n)
        place.mkdir()
        rounds.append(await _cold_start(place, framework, measure_memory=n == 0))
    found: dict[str, Any] = {}
    for start in ("first", "restart"):
        times = [each[f"{start}_reply_s"] for each in rounds]
        found[f"{start}_reply_s"] = statistics.median(times)
        found[f"{start}_reply_s_all"] = times
    found["idle_memory_mb"] = rounds[0]["idle_memory_mb"]
    return found


async def _cold_start(folder: Path, framework: str, *, measure_memory: bool) -> dict[str, Any]:
    found: dict[str, Any] = {}
    async with FakeTelegram() as fake:
        # The first start makes the database; a restart finds it, as after an upgrade.
        env = {
            "BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.url,
            "DATA_DIR": str(folder),
            "LOG_LEVEL": "WARNING",
            "BOT_FRAMEWORK": framework,
        }
        for start, person in (("first", 777), ("restart", 778)):
            user = fake.user(person)
            user.send_text("/start")
            began = time.monotonic()
            with (folder / "cold.log").open("a") as out:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bot",
                    "run",
                    env={**os.environ, **env},
                    stdout=out,
                    stderr=out,
                    cwd=ROOT,
                )
            replied = user.replies
            await fake.wait_for(replied, timeout=60, what="the first reply")
            found[f"{start}_reply_s"] = round(time.monotonic() - began, 2)
            if start == "first" and measure_memory:
                await asyncio.sleep(3)
                found["idle_memory_mb"] = round(_rss_mb(process.pid), 1)
            await _stop(process)
    return found


async def fan_out(folder: Path, people: int = 10_000, rate: float = 300.0) -> dict[str, Any]:
    """`people` check-ins due at once, Telegram limiting the bot to `rate` messages a second."""
    from tests.test_e2e_kill import _due_for_everyone

    async with FakeTelegram() as fake:
        fake.limit_rate(rate)
        first = 20_000_000
        crowd = range(first, first + people)
        for person in crowd:
            fake.user(person)
        process = await _mend(fake, folder, SEND_RATE=str(rate), SEND_CHAT_RATE="1")
        await _stop(process)
        await _due_for_everyone(folder, crowd)
        process = await _mend(fake, folder, SEND_RATE=str(rate), SEND_CHAT_RATE="1")

        calls: list[Any] = []

        def record(call: Any) -> None:
            if call.method == "sendMessage" and call.status == 200:
                calls.append(call)

        enough = _reading(fake, record, lambda: len(calls) >= people)
        with _no_collector_pauses():
            await fake.wait_for(enough, timeout=600, what="every check-in")
        await asyncio.sleep(2)  # anything sent twice would arrive in these seconds
        await _stop(process)
        enough()
        chats = [int(c.params["chat_id"]) for c in calls]
        elapsed = max(c.at for c in calls) - min(c.at for c in calls)
        limited = sum(1 for c in fake.calls if c.status == 429)
    return {
        "messages": people,
        "achieved_per_s": round(people / elapsed, 1),
        "achieved_share_of_limit": round(people / elapsed / rate, 3),
        "responses_429": limited,
        "lost": len(set(crowd) - set(chats)),
        "duplicated": len(chats) - len(set(chats)),
    }


async def main() -> None:
    """Run every benchmark, print the figures, keep them in bench/results.json."""
    if sys.argv[1:2] == ["--sweeps"]:
        # The scheduler's figures come from a process of their own, so its peak memory is
        # the sweep's and not what the other benchmarks left behind.
        print(json.dumps(await _sweeps(Path(sys.argv[2]))))
        return
    people = int(os.environ.get("BENCH_USERS", "1000"))
    chosen = set(sys.argv[1:])
    earlier: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results: dict[str, Any] = {
        **earlier,
        "machine": f"{os.cpu_count()} cores",
        "at": datetime.now(UTC).isoformat(),
    }
    with tempfile.TemporaryDirectory() as place:
        folder = Path(place)
        for part in ("cold", "load", "fan", "sweep", "workers"):
            (folder / part).mkdir()
        steps: list[tuple[str, Callable[[], Awaitable[dict[str, Any]]]]] = [
            ("cold_start", lambda: cold_start(folder / "cold")),
            ("throughput", lambda: throughput(folder / "load", people)),
            ("fan_out", lambda: fan_out(folder / "fan")),
            ("scheduler", lambda: scheduler(folder / "sweep")),
            ("workers", lambda: workers(folder / "workers", people)),
        ]
        for name, run in steps:
            if chosen and name not in chosen:
                continue
            began = time.monotonic()
            results[name] = await run()
            print(f"{name} ({time.monotonic() - began:.0f} s): {json.dumps(results[name])}")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
