"""Prove FakeTelegram is a faithful, strict Bot API using aiogram, PTB and raw HTTP as clients."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)

from tests.fake_telegram import CONFLICT_POLL, NOT_MODIFIED, FakeTelegram

pytestmark = pytest.mark.timeout(10)
Json = dict[str, Any]


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    """An aiogram Bot pointed at the fake."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url), timeout=5)
    client = Bot(fake.token, session=session)
    try:
        yield client
    finally:
        await client.session.close()


class Raw:
    """A bare HTTP client for request encodings the frameworks do not produce."""

    def __init__(self, fake: FakeTelegram, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.session = session

    async def call(
        self,
        method: str,
        *,
        json_body: Json | None = None,
        form: Json | None = None,
        query: dict[str, str] | None = None,
        token: str | None = None,
        seconds: float = 5.0,
    ) -> tuple[int, Json]:
        """Call a method; return the HTTP status and the decoded body."""
        url = f"{self.fake.url}/bot{token or self.fake.token}/{method}"
        client_timeout = aiohttp.ClientTimeout(total=seconds)
        if query is not None:
            request = self.session.get(url, params=query, timeout=client_timeout)
        elif form is not None:
            request = self.session.post(url, data=form, timeout=client_timeout)
        else:
            request = self.session.post(url, json=json_body or {}, timeout=client_timeout)
        async with request as response:
            body: Json = await response.json()
            return response.status, body

    async def ok(self, method: str, **params: Any) -> Any:
        """Call with a JSON body and insist on success; return the result."""
        status, body = await self.call(method, json_body=params)
        assert status == 200, body
        return body["result"]

    async def error(self, method: str, **params: Any) -> str:
        """Call with a JSON body and insist on a 400; return the description."""
        status, body = await self.call(method, json_body=params)
        assert (status, body["ok"], body["error_code"]) == (400, False, 400), body
        return str(body["description"])


@pytest.fixture
async def raw(fake: FakeTelegram) -> AsyncIterator[Raw]:
    """A raw HTTP client for the fake."""
    async with aiohttp.ClientSession() as session:
        yield Raw(fake, session)


def keyboard(*buttons: Json) -> Json:
    """A one-row inline keyboard."""
    return {"inline_keyboard": [list(buttons)]}


# ---------------------------------------------------------------- aiogram


async def test_aiogram_keyboard_press_answer_edit_and_offset(fake: FakeTelegram, bot: Bot) -> None:
    """aiogram's form encoding round-trips a keyboard, a press, an answer, an edit, an offset."""
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (
        fake.bot_id,
        True,
        "mend_test_bot",
        "Mend",
    )
    user = fake.user(42)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Yes, go", callback_data="yes"),
                InlineKeyboardButton(text="Docs", url="https://example.com/help"),
            ]
        ]
    )
    sent = await bot.send_message(42, "Ready?", reply_markup=markup)
    assert sent.chat.type == "private"
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == markup.model_dump()
    assert fake.calls[-1].params == {
        "chat_id": 42,
        "text": "Ready?",
        "reply_markup": {
            "inline_keyboard": [
                [
                    {"text": "Yes, go", "callback_data": "yes"},
                    {"text": "Docs", "url": "https://example.com/help"},
                ]
            ]
        },
    }

    press = user.press_button(user.replies()[0], "Yes")
    updates = await bot.get_updates(timeout=0)
    assert [update.update_id for update in updates] == [press]
    query = updates[0].callback_query
    assert query is not None and query.message is not None
    assert (query.data, query.from_user.id, query.message.message_id) == ("yes", 42, 1)

    await bot.answer_callback_query(query.id, text="Noted")
    assert (await user.wait_answered(press, timeout=1))["text"] == "Noted"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)

    edited = await bot.edit_message_text("Thanks!", chat_id=42, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert (edited.text, edited.reply_markup) == ("Thanks!", None)
    assert edited.edit_date is not None
    assert user.replies() == [fake.message(42, sent.message_id)]
    assert "reply_markup" not in user.replies()[0]
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Thanks!", chat_id=42, message_id=sent.message_id)

    assert fake.offset_confirmed() == 0
    assert await bot.get_updates(offset=press + 1, timeout=0) == []
    assert fake.offset_confirmed() == press
    assert fake.pending_updates() == []


async def test_aiogram_set_my_commands_per_language(fake: FakeTelegram, bot: Bot) -> None:
    """setMyCommands is stored per language and validated like Telegram."""
    await bot.set_my_commands([BotCommand(command="start", description="Begin")])
    await bot.set_my_commands(
        [BotCommand(command="start", description="Anfangen")], language_code="de"
    )
    assert fake.commands == {
        "": [{"command": "start", "description": "Begin"}],
        "de": [{"command": "start", "description": "Anfangen"}],
    }
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["start"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start!", description="x")])
    with pytest.raises(TelegramBadRequest, match="language code"):
        await bot.set_my_commands([BotCommand(command="a", description="x")], language_code="deu")


async def test_aiogram_error_paths_change_no_state(fake: FakeTelegram, bot: Bot) -> None:
    """Too long text, 429, 500 and 403 surface as aiogram's exceptions and store nothing."""
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(42, "x" * 4097)
    await bot.send_message(42, "x" * 4096)

    fake.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(42, "hi")
    assert retry.value.retry_after == 7

    fake.fail_next("sendMessage")
    with pytest.raises(TelegramServerError, match="Internal Server Error"):
        await bot.send_message(42, "hi")

    fake.block(42)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(42, "hi")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_chat_action(42, "typing")

    assert [call.status for call in fake.calls_of("sendMessage")] == [400, 200, 429, 500, 403]
    assert [len(m["text"]) for m in fake.messages(42)] == [4096]


async def test_aiogram_html_parse_mode_and_photo_upload(fake: FakeTelegram, bot: Bot) -> None:
    """HTML is parsed into plain text plus entities; multipart uploads become photos."""
    sent = await bot.send_message(42, "<b>Hi</b> &amp; <i>bye</i>\n", parse_mode="HTML")
    assert sent.text == "Hi & bye"
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [
        ("bold", 0, 2),
        ("italic", 5, 3),
    ]
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "" at byte offset 2'):
        await bot.send_message(42, "1 < 2", parse_mode="HTML")

    photo = BufferedInputFile(b"\x89PNG fake bytes", filename="calm.png")
    message = await bot.send_photo(42, photo, caption="<b>Breathe</b>", parse_mode="HTML")
    assert message.photo is not None and len(message.photo) == 3
    assert (message.caption, fake.calls[-1].params["photo"]["upload"]) == ("Breathe", "calm.png")
    again = await bot.send_photo(42, message.photo[-1].file_id)
    assert again.photo == message.photo
    with pytest.raises(TelegramBadRequest, match="type of file mismatch"):
        await bot.send_document(42, message.photo[-1].file_id)
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(42, "not-a-file-id")


# ---------------------------------------------------------------- python-telegram-bot


async def test_ptb_get_me_send_and_get_updates(fake: FakeTelegram) -> None:
    """PTB's urlencoded JSON-valued parameters are parsed into the same typed params."""
    ptb = telegram.Bot(fake.token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot")
    async with ptb:
        assert ptb.username == "mend_test_bot"
        user = fake.user(7, first_name="Bo", language_code="de")
        markup = telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("Okay", callback_data="ok")]]
        )
        sent = await ptb.send_message(7, "<u>Hallo</u>", parse_mode="HTML", reply_markup=markup)
        assert (sent.text, sent.reply_markup) == ("Hallo", markup)
        assert fake.calls[-1].params["chat_id"] == 7
        assert fake.calls[-1].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Okay"

        first = user.send_text("/start hello")
        updates = await ptb.get_updates(timeout=0, allowed_updates=["message"])
        assert len(updates) == 1 and updates[0].message is not None
        assert updates[0].message.text == "/start hello"
        assert updates[0].message.from_user is not None
        assert updates[0].message.from_user.language_code == "de"
        assert updates[0].message.entities[0].type == "bot_command"
        assert fake.calls[-1].params["allowed_updates"] == ["message"]
        assert await ptb.get_updates(offset=first + 1, timeout=0) == ()
        assert fake.offset_confirmed() == first


# ---------------------------------------------------------------- raw HTTP: transport


async def test_auth_unknown_method_and_case_insensitive_names(raw: Raw) -> None:
    """Wrong token -> 401, unknown method -> 404, names are case-insensitive."""
    assert await raw.call("getMe", token="1:WRONG") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert await raw.call("sendTelepathy") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert (await raw.ok("GETME"))["can_join_groups"] is True
    assert [c.status for c in raw.fake.calls] == [401, 404, 200]


async def test_get_query_json_and_form_encodings(raw: Raw) -> None:
    """GET query strings, JSON bodies and urlencoded forms all decode to typed params."""
    buttons = keyboard({"text": "A", "callback_data": "a"})
    status, _ = await raw.call(
        "sendMessage", query={"chat_id": "5", "text": "q", "disable_notification": "true"}
    )
    assert status == 200
    status, _ = await raw.call(
        "sendMessage", form={"chat_id": "5", "text": "f", "reply_markup": json.dumps(buttons)}
    )
    assert status == 200
    assert (await raw.ok("sendMessage", chat_id="5", text="j"))["chat"]["id"] == 5
    params = [call.params for call in raw.fake.calls]
    assert params[0] == {"chat_id": 5, "text": "q", "disable_notification": True}
    assert params[1]["reply_markup"] == buttons
    assert [m["message_id"] for m in raw.fake.messages(5)] == [1, 2, 3]
    assert await raw.error("sendMessage", chat_id="@somewhere", text="x") == (
        "Bad Request: chat not found"
    )


# ---------------------------------------------------------------- raw HTTP: updates


async def test_long_poll_wakes_on_push_and_second_poller_conflicts(raw: Raw) -> None:
    """A long poll returns as soon as an update arrives; a second poller ends the first (409)."""
    fake = raw.fake
    poll = asyncio.create_task(raw.call("getUpdates", json_body={"timeout": 5}))
    await fake.wait_for(lambda: fake.is_polling, timeout=2)
    update_id = fake.user(1).send_text("hi")
    status, body = await asyncio.wait_for(poll, 2)
    assert status == 200 and [u["update_id"] for u in body["result"]] == [update_id]

    offset = update_id + 1
    first = asyncio.create_task(raw.call("getUpdates", json_body={"offset": offset, "timeout": 5}))
    await fake.wait_for(lambda: fake.is_polling, timeout=2)
    second = await raw.call("getUpdates", json_body={"offset": offset})
    assert second == (200, {"ok": True, "result": []})
    assert await asyncio.wait_for(first, 2) == (
        409,
        {"ok": False, "error_code": 409, "description": CONFLICT_POLL},
    )


async def test_allowed_updates_redelivery_and_negative_offset(raw: Raw) -> None:
    """allowed_updates filters delivery; redeliver() survives a confirmed offset."""
    fake = raw.fake
    user = fake.user(1)
    await raw.ok(
        "sendMessage",
        chat_id=1,
        text="pick",
        reply_markup=keyboard({"text": "A", "callback_data": "a"}),
    )
    press = user.press(user.replies()[0], "a")
    text = user.send_text("hello")
    result = await raw.ok("getUpdates", allowed_updates=["message"])
    assert [u["update_id"] for u in result] == [text]
    assert await raw.ok("getUpdates", offset=text + 1) == []
    assert fake.offset_confirmed() == text and fake.pending_updates() == []

    fake.redeliver(text)
    assert [u["update_id"] for u in await raw.ok("getUpdates", offset=text + 1)] == [text]
    assert await raw.ok("getUpdates", offset=text + 1) == []
    assert press < text

    ids = [user.send_text(str(n)) for n in range(3)]
    assert [u["update_id"] for u in await raw.ok("getUpdates", offset=-1)] == ids[-1:]


# ---------------------------------------------------------------- raw HTTP: strictness


async def test_send_message_validation(raw: Raw) -> None:
    """Empty text, bad parse_mode, bad markup and markdown mistakes answer Telegram's 400s."""
    assert await raw.error("sendMessage", text="x") == "Bad Request: chat_id is empty"
    assert await raw.error("sendMessage", chat_id=1) == "Bad Request: message text is empty"
    assert await raw.error("sendMessage", chat_id=1, text=" \n ") == (
        "Bad Request: message text is empty"
    )
    assert await raw.error("sendMessage", chat_id=1, text="x", parse_mode="BBCode") == (
        "Bad Request: unsupported parse_mode"
    )
    long_data = {"text": "A", "callback_data": "é" * 33}
    assert await raw.error(
        "sendMessage", chat_id=1, text="x", reply_markup=keyboard(long_data)
    ) == ("Bad Request: BUTTON_DATA_INVALID")
    assert "Text buttons are unallowed" in await raw.error(
        "sendMessage", chat_id=1, text="x", reply_markup=keyboard({"text": "A"})
    )
    both = {"text": "A", "callback_data": "a", "url": "https://x.org"}
    assert "exactly one" in await raw.error(
        "sendMessage", chat_id=1, text="x", reply_markup=keyboard(both)
    )
    bad_url = {"text": "A", "url": "not a url"}
    assert await raw.error("sendMessage", chat_id=1, text="x", reply_markup=keyboard(bad_url)) == (
        "Bad Request: BUTTON_URL_INVALID"
    )
    assert "reserved" in await raw.error(
        "sendMessage", chat_id=1, text="Hello.", parse_mode="MarkdownV2"
    )
    assert "Can't find end tag" in await raw.error(
        "sendMessage", chat_id=1, text="<b>open", parse_mode="HTML"
    )
    assert raw.fake.messages(1) == []

    ok = await raw.ok("sendMessage", chat_id=1, text="*Bold* \\. _it_", parse_mode="MarkdownV2")
    assert ok["text"] == "Bold . it"
    assert [e["type"] for e in ok["entities"]] == ["bold", "italic"]
    group = await raw.ok("sendMessage", chat_id=-1001234567890, text="hi group")
    assert group["chat"]["type"] == "supergroup"


async def test_edit_delete_pin_and_actions(raw: Raw) -> None:
    """Edits need an existing, changed bot message; delete, pin and chat actions are checked."""
    fake = raw.fake
    user = fake.user(3)
    user_message = user.send_text("mine")
    assert user_message == 1
    markup = keyboard({"text": "A", "callback_data": "a"})
    sent = await raw.ok("sendMessage", chat_id=3, text="one", reply_markup=markup)
    mid = sent["message_id"]
    assert mid == 2  # message ids are shared with the user's messages
    assert await raw.error("editMessageText", chat_id=3, message_id=99, text="x") == (
        "Bad Request: message to edit not found"
    )
    assert await raw.error("editMessageText", chat_id=3, message_id=1, text="x") == (
        "Bad Request: message can't be edited"
    )
    assert (
        await raw.error(
            "editMessageText", chat_id=3, message_id=mid, text="one", reply_markup=markup
        )
        == f"Bad Request: {NOT_MODIFIED}"
    )
    not_modified = await raw.error(
        "editMessageReplyMarkup", chat_id=3, message_id=mid, reply_markup=markup
    )
    assert not_modified == f"Bad Request: {NOT_MODIFIED}"
    assert "reply_markup" not in await raw.ok("editMessageReplyMarkup", chat_id=3, message_id=mid)

    assert await raw.ok("pinChatMessage", chat_id=3, message_id=mid) is True
    assert fake.pinned(3) == [mid]
    assert await raw.error("sendChatAction", chat_id=3, action="dancing") == (
        "Bad Request: wrong parameter action in request"
    )
    assert await raw.ok("sendChatAction", chat_id=3, action="typing") is True
    assert await raw.ok("deleteMessage", chat_id=3, message_id=mid) is True
    assert fake.messages(3) == [] and fake.pinned(3) == []
    assert await raw.error("deleteMessage", chat_id=3, message_id=mid) == (
        "Bad Request: message to delete not found"
    )
    assert await raw.error("answerCallbackQuery", callback_query_id="123") == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )


async def test_fail_next_hang_times_the_client_out_without_state_change(raw: Raw) -> None:
    """A hanging failure makes the client time out; the call is recorded as failed."""
    fake = raw.fake
    fake.fail_next("sendMessage", hang=5)
    with pytest.raises(TimeoutError):
        await raw.call("sendMessage", json_body={"chat_id": 1, "text": "x"}, seconds=0.2)
    call = await fake.wait_for(lambda: next(iter(fake.calls_of("sendMessage")), None), 2)
    assert call.status == 500
    assert fake.messages(1) == []
    assert (await raw.ok("sendMessage", chat_id=1, text="x"))["text"] == "x"


# ---------------------------------------------------------------- FakeUser


async def test_fake_user_updates_have_real_shapes(fake: FakeTelegram) -> None:
    """Every update a FakeUser produces validates as aiogram and PTB Update objects."""
    user = fake.user(9, first_name="Cy", language_code=None)
    ids = [
        user.send_text("/start@mend_test_bot payload"),
        user.send_sticker(),
        user.send_photo(),
        user.send_voice(),
        user.send_location(),
        user.send_contact(),
        user.send_document(),
        user.send(text="custom", message_thread_id=None),
    ]
    ids.append(user.edit_text(1, "/help"))
    ids.append(user.block_bot())
    updates = fake.pending_updates()
    assert [u["update_id"] for u in updates] == ids
    first = updates[0]["message"]
    assert first["entities"] == [{"offset": 0, "length": 20, "type": "bot_command"}]
    assert first["chat"] == {"id": 9, "type": "private", "first_name": "Cy"}
    assert first["from"] == {"id": 9, "is_bot": False, "first_name": "Cy"}
    assert isinstance(first["date"], int)
    assert updates[8]["edited_message"]["message_id"] == 1
    for raw_update in updates:
        Update.model_validate(raw_update)
        assert telegram.Update.de_json(raw_update, None) is not None


async def test_fake_user_waits(raw: Raw) -> None:
    """next_message, wait_text, press_button and wait_answered follow the bot's actions."""
    fake = raw.fake
    user = fake.user(4)
    markup = keyboard(
        {"text": "✅ Done", "callback_data": "done"}, {"text": "Later", "url": "x.org"}
    )
    await raw.ok("sendMessage", chat_id=4, text="first", reply_markup=markup)
    await raw.ok("sendMessage", chat_id=4, text="second")
    assert (await user.next_message(timeout=1))["text"] == "first"
    assert (await user.next_message(timeout=1))["text"] == "second"

    waiting = asyncio.create_task(user.next_message(timeout=2))
    await raw.ok("sendMessage", chat_id=4, text="third")
    assert (await waiting)["text"] == "third"

    await raw.ok("editMessageText", chat_id=4, message_id=3, text="third, edited")
    assert (await user.wait_text("edited", timeout=1))["message_id"] == 3

    with pytest.raises(LookupError, match="Later"):
        user.press_button(user.replies()[0], "Nope")
    with pytest.raises(LookupError, match="not a callback button"):
        user.press_button(user.replies()[0], "Later")
    press = user.press_button(user.replies()[0], "Done")
    query = fake.pending_updates()[-1]["callback_query"]
    assert (query["data"], query["message"]["text"]) == ("done", "first")
    assert isinstance(query["id"], str) and isinstance(query["chat_instance"], str)
    await raw.ok("answerCallbackQuery", callback_query_id=query["id"], text="Saved")
    assert (await user.wait_answered(press, timeout=1))["text"] == "Saved"

    with pytest.raises(TimeoutError, match=r"(?s)containing 'nothing'.*editMessageText -> 200"):
        await user.wait_text("nothing", timeout=0.05)
