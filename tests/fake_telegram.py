"""A strict, in-process fake of the Telegram Bot API for end-to-end bot tests."""

from __future__ import annotations

import asyncio
import bisect
import copy
import itertools
import json
import logging
import mimetypes
import random
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

__all__ = [
    "ALL_UPDATE_TYPES",
    "DEFAULT_UPDATE_TYPES",
    "ApiCall",
    "FakeTelegram",
    "FakeUser",
    "WebhookDelivery",
]

T = TypeVar("T")
logger = logging.getLogger(__name__)
Json = dict[str, Any]

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
# Telegram's default when allowed_updates was never set or set to [].
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

BLOCKED = "Forbidden: bot was blocked by the user"
# Calls that count against a bot-wide message rate (limit_rate()).
RATED = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"
KICKED = "Forbidden: bot was kicked from the group chat"
UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_SET_WEBHOOK = "Conflict: terminated by setWebhook request"
WEBHOOK_NO_HTTPS = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
WEBHOOK_BAD_PORT = (
    "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
)
SECRET_TOO_LONG = "Bad Request: secret token is too long"
SECRET_BAD_CHARS = "Bad Request: secret token contains unallowed characters"
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
# Seconds one webhook POST may take before it counts as failed.
WEBHOOK_TIMEOUT = 10.0
# Retry delays after a failed delivery: far shorter than Telegram's so tests stay quick.
WEBHOOK_BACKOFF_FIRST = 0.05
WEBHOOK_BACKOFF_MAX = 1.0
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
PARSE_MODES = {"html": "HTML", "markdownv2": "MarkdownV2", "markdown": "Markdown"}
_FAILURE_DESCRIPTIONS = {
    400: "Bad Request: simulated failure",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: CONFLICT_POLL,
    500: "Internal Server Error",
    502: "Bad Gateway",
}

# Form encodings carry every value as a string; these sets say how to decode each field.
_INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "message_thread_id",
        "cache_time",
        "reply_to_message_id",
        "user_id",
        "duration",
        "width",
        "height",
        "max_connections",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "allow_sending_without_reply",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "disable_content_type_detection",
        "allow_paid_broadcast",
        "show_caption_above_media",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "allowed_updates",
        "scope",
        "link_preview_options",
        "reply_parameters",
        "entities",
        "caption_entities",
        "media",
    }
)
_JSON_ERRORS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "commands": "can't parse BotCommand array JSON object",
    "allowed_updates": "can't parse allowed updates JSON object",
    "scope": "can't parse BotCommandScope JSON object",
    "entities": "can't parse entities JSON object",
    "caption_entities": "can't parse entities JSON object",
}
_PATH_RE = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")
_CHAT_ID_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")
_URL_RE = re.compile(r"(?:https?|tg)://\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?", re.I)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_SPACES = " \t\r\n\v\f\0"
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]*")
# Update types whose payload names its chat in payload["chat"] (webhook queues go by chat).
_CHAT_PAYLOADS = frozenset({"message", "edited_message", "my_chat_member", "chat_member"})


@dataclass
class ApiCall:
    """One Bot API request the fake received and how it answered it."""

    method: str
    params: Json
    status: int
    result: Any = None
    description: str | None = None
    # When the fake answered (time.monotonic()), for latency measures.
    at: float = field(default_factory=time.monotonic)


class _ApiError(Exception):
    """A Bot API error answer: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> _ApiError:
    """Build a 400 Bad Request error."""
    return _ApiError(400, f"Bad Request: {description}")


def _entities_error(description: str) -> _ApiError:
    """Build the 400 Telegram gives for malformed HTML/Markdown."""
    return _bad(f"can't parse entities: {description}")


@dataclass
class _Failure:
    """One planned failure from fail_next()."""

    status: int
    retry_after: int | None
    hang: float | None

    def error(self) -> _ApiError:
        """The error answer this failure produces."""
        if self.status == 429:
            retry_after = 1 if self.retry_after is None else self.retry_after
            return _ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        description = _FAILURE_DESCRIPTIONS.get(self.status, f"Error {self.status}")
        return _ApiError(self.status, description)


@dataclass
class _Upload:
    """A file uploaded in a multipart request."""

    filename: str
    content_type: str
    data: bytes

    def describe(self) -> Json:
        """A JSON-able stand-in recorded in ApiCall.params."""
        return {"upload": self.filename, "size": len(self.data), "content_type": self.content_type}


@dataclass
class _Pending:
    """A queued update and whether it may survive an offset that already passed it."""

    update: Json
    forced: bool = False
    delivered: bool = False

    @property
    def update_id(self) -> int:
        """The update's id."""
        return int(self.update["update_id"])


@dataclass(frozen=True)
class WebhookDelivery:
    """One webhook POST and its answer: the HTTP status, or 0 for a connection error/timeout."""

    update_id: int
    target: str
    status: int


@dataclass(frozen=True)
class _Webhook:
    """The webhook setWebhook registered."""

    url: str
    secret_token: str | None
    max_connections: int

    @property
    def path(self) -> str:
        """The URL's path and query: what a delivery asks of a target."""
        parts = urlsplit(self.url)
        query = f"?{parts.query}" if parts.query else ""
        return f"{parts.path or '/'}{query}"


@dataclass
class _Chat:
    """Everything the fake knows about one chat."""

    info: Json
    next_id: int = 1
    messages: dict[int, Json] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    bot_sent: list[int] = field(default_factory=list)
    pinned: list[int] = field(default_factory=list)
    blocked: bool = False
    # False for someone who never opened a chat with the bot (fake.user(started=False)) until
    # they write: the bot cannot write first.
    started: bool = True
    # A group that became a supergroup answers every send with the new chat id.
    migrated_to: int | None = None
    # The reply keyboard the chat shows under its input field, until a message removes it.
    keyboard: Json | None = None

    def take_id(self) -> int:
        """Allocate the next message id; bot and user messages share the counter."""
        message_id = self.next_id
        self.next_id += 1
        return message_id

    def live(self, message_id: int) -> Json | None:
        """The stored message unless it does not exist or was deleted."""
        if message_id in self.deleted:
            return None
        return self.messages.get(message_id)


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    """UTF-8 byte offset of text[index], as Telegram reports parse errors."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _now() -> int:
    """Unix time in whole seconds, like every Telegram date field."""
    return int(time.time())


def _chat_info(chat_id: int) -> Json:
    """The Chat object for a chat the fake meets for the first time."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "User"}
    kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
    return {"id": chat_id, "type": kind, "title": f"Group {-chat_id}"}


def _update_type(update: Json) -> str:
    """The update's payload field, e.g. "message"."""
    return next((key for key in update if key != "update_id"), "")


def _webhook_queue(update: Json) -> tuple[str, int]:
    """The queue a webhook delivers the update in: its chat's, or one of its own."""
    kind = _update_type(update)
    payload = update.get(kind)
    chat: Any = None
    if isinstance(payload, dict):
        if kind in _CHAT_PAYLOADS:
            chat = payload.get("chat")
        elif kind == "callback_query":
            message = payload.get("message")
            # A press on an inline-mode message has no message: the presser stands for the chat.
            chat = message.get("chat") if isinstance(message, dict) else payload.get("from")
    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
        return "chat", int(chat["id"])
    return "update", int(update["update_id"])


def _short(value: Any, limit: int = 160) -> str:
    """A one-line, truncated rendering of request parameters for error messages."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message_text(message: Json) -> str:
    """The visible text of a message: its text or its caption."""
    return str(message.get("text") or message.get("caption") or "")


class _Builder:
    """Accumulates parsed message text and entities with UTF-16 offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[Json] = []

    def add(self, text: str) -> None:
        """Append visible text."""
        self.parts.append(text)
        self.pos += _utf16_len(text)

    def entity(self, kind: str, start: int, end: int | None = None, /, **extra: Any) -> None:
        """Record an entity from start to end (default: here); empty ones vanish as in Telegram."""
        stop = self.pos if end is None else end
        if stop > start:
            self.entities.append({"type": kind, "offset": start, "length": stop - start, **extra})

    def finish(self) -> tuple[str, list[Json]]:
        """The trimmed text and its entities."""
        return _trim("".join(self.parts), self.entities)


def _trim(text: str, entities: list[Json]) -> tuple[str, list[Json]]:
    """Strip surrounding whitespace like Telegram does, shifting and clipping entities."""
    left = text.lstrip()
    lead = _utf16_len(text[: len(text) - len(left)])
    result = left.rstrip()
    total = _utf16_len(result)
    fixed: list[Json] = []
    for entity in entities:
        start = max(0, int(entity["offset"]) - lead)
        end = min(total, int(entity["offset"]) + int(entity["length"]) - lead)
        if end > start:
            fixed.append({**entity, "offset": start, "length": end - start})
    fixed.sort(key=lambda e: (e["offset"], -e["length"]))
    return result, fixed


# ---------------------------------------------------------------- HTML parse mode

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE = re.compile(r"&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")


@dataclass
class _OpenTag:
    """An HTML start tag waiting for its end tag."""

    name: str
    attrs: dict[str, str]
    start: int
    language: str = ""


def _decode_html_entity(text: str, index: int) -> tuple[str, int] | None:
    """Decode the entity at text[index] ("&lt;", "&#33;"), or None when it is not one."""
    match = _HTML_ENTITY_RE.match(text, index)
    if match is None:
        return None
    body = match.group(1)
    if body[0] != "#":
        named = _HTML_NAMED.get(body)
        return None if named is None else (named, match.end())
    code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _unescape_html(text: str) -> str:
    """Decode entities inside an attribute value; unknown ones stay literal."""
    out: list[str] = []
    i = 0
    while i < len(text):
        decoded = _decode_html_entity(text, i) if text[i] == "&" else None
        if decoded is None:
            out.append(text[i])
            i += 1
        else:
            out.append(decoded[0])
            i = decoded[1]
    return "".join(out)


def _parse_html(text: str) -> tuple[str, list[Json]]:
    """Parse Telegram's HTML subset the way the Bot API does, with its error messages."""
    out = _Builder()
    stack: list[_OpenTag] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(text, i)
            # Telegram keeps an unrecognised "&" literally instead of failing.
            out.add(char if decoded is None else decoded[0])
            i = i + 1 if decoded is None else decoded[1]
        elif char != "<":
            j = i + 1
            while j < n and text[j] not in "<&":
                j += 1
            out.add(text[i:j])
            i = j
        elif i + 1 < n and text[i + 1] == "/":
            i = _html_end_tag(text, i, stack, out)
        else:
            i = _html_start_tag(text, i, stack, out)
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return out.finish()


def _html_start_tag(text: str, i: int, stack: list[_OpenTag], out: _Builder) -> int:
    """Parse the start tag at text[i]; return the index after it."""
    n = len(text)
    begin = _byte_offset(text, i)
    unclosed = _entities_error(f"Unclosed start tag at byte offset {begin}")
    j = i + 1
    while j < n and text[j] not in _SPACES and text[j] != ">":
        j += 1
    if j >= n:
        raise unclosed
    name = text[i + 1 : j].lower()
    if name not in _HTML_TAGS:
        raise _entities_error(f'Unsupported start tag "{name}" at byte offset {begin}')
    attrs: dict[str, str] = {}
    while True:
        while j < n and text[j] in _SPACES:
            j += 1
        if j >= n:
            raise unclosed
        if text[j] == ">":
            break
        k = j
        while k < n and text[k] not in _SPACES and text[k] not in "=>":
            k += 1
        attr = text[j:k].lower()
        if not attr:
            raise _entities_error(
                f'Empty attribute name in the tag "{name}" at byte offset {begin}'
            )
        j = k
        while j < n and text[j] in _SPACES:
            j += 1
        if j >= n:
            raise unclosed
        if text[j] != "=":
            # A bare attribute such as <blockquote expandable>.
            attrs[attr] = ""
            continue
        j += 1
        while j < n and text[j] in _SPACES:
            j += 1
        if j >= n:
            raise unclosed
        if text[j] in "\"'":
            end = text.find(text[j], j + 1)
            if end < 0:
                raise unclosed
            attrs[attr] = _unescape_html(text[j + 1 : end])
            j = end + 1
        else:
            k = j
            while k < n and text[k] not in _SPACES and text[k] != ">":
                k += 1
            attrs[attr] = _unescape_html(text[j:k])
            j = k
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _entities_error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    stack.append(_OpenTag(name, attrs, out.pos))
    return j + 1


def _html_end_tag(text: str, i: int, stack: list[_OpenTag], out: _Builder) -> int:
    """Parse the end tag at text[i], emit its entity; return the index after it."""
    n = len(text)
    begin = _byte_offset(text, i)
    if not stack:
        raise _entities_error(f"Unexpected end tag at byte offset {begin}")
    j = i + 2
    while j < n and text[j] not in _SPACES and text[j] != ">":
        j += 1
    name = text[i + 2 : j].lower()
    while j < n and text[j] in _SPACES:
        j += 1
    if j >= n or text[j] != ">":
        raise _entities_error(f"Unclosed end tag at byte offset {begin}")
    tag = stack.pop()
    if name and name != tag.name:
        raise _entities_error(
            f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", found "</{name}>"'
        )
    kind = _HTML_TAGS[tag.name]
    if kind == "code":
        language = tag.attrs.get("class", "")
        if language.startswith("language-") and stack and stack[-1].name == "pre":
            # <pre><code class="language-x"> becomes one pre entity with a language.
            stack[-1].language = language.removeprefix("language-")
        else:
            out.entity("code", tag.start)
    elif kind == "pre":
        extra = {"language": tag.language} if tag.language else {}
        out.entity("pre", tag.start, **extra)
    elif kind == "text_link":
        if href := tag.attrs.get("href", ""):
            out.entity("text_link", tag.start, url=href)
    elif kind == "blockquote":
        quote = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
        out.entity(quote, tag.start)
    elif kind == "custom_emoji":
        out.entity("custom_emoji", tag.start, custom_emoji_id=tag.attrs.get("emoji-id", ""))
    else:
        out.entity(kind, tag.start)
    return j + 1


# ---------------------------------------------------------------- MarkdownV2 / Markdown

_MDV2_SPECIAL = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "code": "Code",
    "pre": "Pre",
}


@dataclass
class _OpenMd:
    """A MarkdownV2 entity waiting for its closing marker."""

    kind: str
    start: int
    byte: int
    language: str = ""


def _mdv2_closes(kind: str, text: str, i: int) -> int:
    """Length of the closing marker for kind at text[i], or 0."""
    char, nxt = text[i], text[i + 1 : i + 2]
    if kind == "bold" and char == "*":
        return 1
    if kind == "italic" and char == "_" and nxt != "_":
        return 1
    if kind == "underline" and char == "_" and nxt == "_":
        return 2
    if kind == "strikethrough" and char == "~":
        return 1
    if kind == "spoiler" and char == "|" and nxt == "|":
        return 2
    if kind in ("text_link", "custom_emoji") and char == "]":
        return 1
    return 0


def _mdv2_url(text: str, i: int) -> tuple[str, int]:
    """Read "(url)" at text[i] with "\\)" escapes; return the url and the index after it."""
    if i >= len(text) or text[i] != "(":
        return "", i
    url: list[str] = []
    j = i + 1
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise _entities_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
    return "".join(url), j + 1


def _parse_markdown_v2(text: str) -> tuple[str, list[Json]]:
    """Parse MarkdownV2 strictly: every unescaped reserved character is an error."""
    out = _Builder()
    stack: list[_OpenMd] = []
    quote: int | None = None
    line_start = True
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        top = stack[-1] if stack else None
        if top is not None and top.kind in ("code", "pre"):
            if char == "\\" and i + 1 < n and text[i + 1] in "`\\":
                out.add(text[i + 1])
                i += 2
            elif char == "`" and top.kind == "code":
                stack.pop()
                out.entity("code", top.start)
                i += 1
            elif char == "`" and text.startswith("```", i):
                stack.pop()
                extra = {"language": top.language} if top.language else {}
                out.entity("pre", top.start, **extra)
                i += 3
            elif char == "`":
                raise _reserved(char)
            else:
                out.add(char)
                i += 1
            continue
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) < 127:
            out.add(text[i + 1])
            i += 2
            line_start = False
            continue
        if char == ">" and line_start:
            if quote is None:
                quote = out.pos
            i += 1
            line_start = False
            continue
        if char == "\n":
            out.add(char)
            i += 1
            line_start = True
            if quote is not None and not text.startswith(">", i):
                out.entity("blockquote", quote, out.pos - 1)
                quote = None
            continue
        line_start = False
        if char not in _MDV2_SPECIAL:
            out.add(char)
            i += 1
            continue
        closing = _mdv2_closes(top.kind, text, i) if top is not None else 0
        if top is not None and closing:
            stack.pop()
            i += closing
            if top.kind in ("text_link", "custom_emoji"):
                url, i = _mdv2_url(text, i)
                if top.kind == "custom_emoji":
                    emoji_id = url.partition("id=")[2]
                    out.entity("custom_emoji", top.start, custom_emoji_id=emoji_id)
                elif url:
                    out.entity("text_link", top.start, url=url)
            else:
                out.entity(top.kind, top.start)
            continue
        byte = _byte_offset(text, i)
        nxt = text[i + 1 : i + 2]
        if char == "_" and nxt == "_":
            stack.append(_OpenMd("underline", out.pos, byte))
            i += 2
        elif char == "_":
            stack.append(_OpenMd("italic", out.pos, byte))
            i += 1
        elif char == "*":
            stack.append(_OpenMd("bold", out.pos, byte))
            i += 1
        elif char == "~":
            stack.append(_OpenMd("strikethrough", out.pos, byte))
            i += 1
        elif char == "|" and nxt == "|":
            stack.append(_OpenMd("spoiler", out.pos, byte))
            i += 2
        elif char == "[":
            stack.append(_OpenMd("text_link", out.pos, byte))
            i += 1
        elif char == "!" and nxt == "[":
            stack.append(_OpenMd("custom_emoji", out.pos, byte))
            i += 2
        elif char == "`" and text.startswith("```", i):
            i += 3
            newline = text.find("\n", i)
            first_line = text[i:newline] if newline >= 0 else ""
            language = ""
            if newline >= 0 and not any(c in _SPACES or c == "`" for c in first_line):
                language, i = first_line, newline + 1
            stack.append(_OpenMd("pre", out.pos, byte, language))
        elif char == "`":
            stack.append(_OpenMd("code", out.pos, byte))
            i += 1
        else:
            raise _reserved(char)
    if quote is not None:
        out.entity("blockquote", quote)
    if stack:
        top = stack[-1]
        raise _entities_error(
            f"Can't find end of {_MDV2_NAMES[top.kind]} entity at byte offset {top.byte}"
        )
    return out.finish()


def _reserved(char: str) -> _ApiError:
    """The MarkdownV2 error for an unescaped reserved character."""
    return _entities_error(
        f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    )


def _parse_markdown(text: str) -> tuple[str, list[Json]]:
    """Parse legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = _Builder()
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        missing = _entities_error(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
        )
        start = out.pos
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise missing
            body = text[i + 3 : end]
            first, newline, rest = body.partition("\n")
            language = first if newline and first and not any(c in _SPACES for c in first) else ""
            out.add(rest if language else body)
            out.entity("pre", start, **({"language": language} if language else {}))
            i = end + 3
        elif char == "[":
            end = text.find("]", i + 1)
            if end < 0:
                raise missing
            out.add(text[i + 1 : end])
            i = end + 1
            if text.startswith("(", i):
                close = text.find(")", i + 1)
                if close < 0:
                    raise missing
                out.entity("text_link", start, url=text[i + 1 : close])
                i = close + 1
        else:
            end = text.find(char, i + 1)
            if end < 0:
                raise missing
            out.add(text[i + 1 : end])
            out.entity(kinds[char], start)
            i = end + 1
    return out.finish()


_PARSERS: dict[str, Callable[[str], tuple[str, list[Json]]]] = {
    "HTML": _parse_html,
    "MarkdownV2": _parse_markdown_v2,
    "Markdown": _parse_markdown,
}


# ---------------------------------------------------------------- request decoding


def _coerce(name: str, value: Any) -> Any:
    """Decode one parameter: form values are strings, nested objects are JSON strings."""
    if name in ("chat_id", "from_chat_id"):
        if isinstance(value, str) and _CHAT_ID_RE.fullmatch(value.strip()):
            return int(value)
        return value
    if name in _INT_FIELDS:
        if isinstance(value, bool):
            raise _bad(f"invalid {name} specified")
        if isinstance(value, int | float):
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise _bad(f"invalid {name} specified") from None
    if name in _BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0", ""):
            return False
        raise _bad(f"invalid {name} specified")
    if name in _JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(_JSON_ERRORS.get(name, f"can't parse {name} JSON object")) from None
    return value


def _validate_inline_keyboard(markup: Json) -> list[list[Json]]:
    """Check an InlineKeyboardMarkup the way Telegram does; return its rows."""
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    if sum(len(row) for row in rows) > 100:
        raise _bad("reply markup is too long")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise _bad(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                )
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise _bad("can't parse inline keyboard button: Text must be non-empty")
            actions = [key for key in _BUTTON_ACTIONS if button.get(key) is not None]
            if not actions:
                raise _bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    "inline keyboard"
                )
            if len(actions) > 1:
                raise _bad(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            data = button.get("callback_data")
            if data is not None and (
                not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64
            ):
                raise _bad("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and (not isinstance(url, str) or not _URL_RE.fullmatch(url)):
                raise _bad("BUTTON_URL_INVALID")
    return rows


# KeyboardButton fields that ask the user's app for something; a button may carry one.
_KEYBOARD_REQUESTS = (
    "request_users",
    "request_chat",
    "request_contact",
    "request_location",
    "request_poll",
    "web_app",
)


def _validate_reply_markup(markup: Any) -> Json | None:
    """Validate any reply_markup; return it when it is an inline keyboard worth storing."""
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _validate_inline_keyboard(markup)
        # An empty inline keyboard is no keyboard: Telegram returns no reply_markup.
        return {"inline_keyboard": rows} if any(rows) else None
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad("can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                text = button.get("text") if isinstance(button, dict) else button
                if not isinstance(text, str) or not text.strip():
                    raise _bad("can't parse keyboard button: Text must be non-empty")
                requests = [
                    k for k in _KEYBOARD_REQUESTS if isinstance(button, dict) and k in button
                ]
                if len(requests) > 1:
                    raise _bad("can't parse keyboard button: only one request field is allowed")
        return None
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return None
    raise _bad("can't parse reply keyboard markup JSON object")


# ---------------------------------------------------------------- the fake server

_Handler = Callable[[Json, dict[str, _Upload]], Awaitable[Any]]


class FakeTelegram:
    """A strict fake Bot API server on 127.0.0.1 that records and answers bot requests."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        username: str = "mend_test_bot",
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.username = username
        self.calls: list[ApiCall] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.scoped_commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # The bytes of every file the bot uploaded, by file name (the last upload of a name wins).
        self.uploads: dict[str, bytes] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.answers: dict[str, Json] = {}
        self.webhook_url = ""
        # Every webhook POST, in the order the answers came back.
        self.webhook_log: list[WebhookDelivery] = []
        self.webhook_timeout = WEBHOOK_TIMEOUT
        self._webhook: _Webhook | None = None
        # (unix time, message) of the last failed delivery, for getWebhookInfo.
        self._webhook_error: tuple[int, str] | None = None
        self._targets: list[str] = []
        self._target_turn = 0
        self._session: aiohttp.ClientSession | None = None
        self._delivery: asyncio.Task[None] | None = None
        # One worker per queue (a chat, or a lone update) that has updates to deliver.
        self._workers: dict[tuple[str, int], asyncio.Task[None]] = {}
        self._in_flight = 0
        self._url = ""
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self._chats: dict[int, _Chat] = {}
        self._users: dict[int, FakeUser] = {}
        self._pending: list[_Pending] = []
        self._history: dict[int, Json] = {}
        self._next_update_id = 1
        self._confirmed = 0
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._polls_waiting = 0
        self._failures: dict[str, list[_Failure]] = {}
        # Random faults on a share of all calls (see chaos()); off unless a test turns it on.
        self._chaos_rate = 0.0
        self._chaos = random.Random(0)
        self.chaos_faults: list[tuple[str, str]] = []
        # A bot-wide message rate Telegram enforces with 429s (see limit_rate()); off by default.
        self._rate = 0.0
        self._tokens = 0.0
        self._refilled = 0.0
        self._open_queries: dict[str, int] = {}
        self._query_by_update: dict[int, str] = {}
        self._query_ids = itertools.count(4_360_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._files: dict[str, tuple[str, Any]] = {}
        handlers: list[tuple[str, _Handler]] = [
            ("getMe", self._get_me),
            ("getUpdates", self._get_updates),
            ("setWebhook", self._set_webhook),
            ("deleteWebhook", self._delete_webhook),
            ("getWebhookInfo", self._get_webhook_info),
            ("setMyCommands", self._set_my_commands),
            ("getMyCommands", self._get_my_commands),
            ("deleteMyCommands", self._delete_my_commands),
            ("setMyDescription", self._set_my_description),
            ("getMyDescription", self._get_my_description),
            ("setMyShortDescription", self._set_my_short_description),
            ("getMyShortDescription", self._get_my_short_description),
            ("sendMessage", self._send_message),
            ("sendPhoto", self._send_photo),
            ("sendDocument", self._send_document),
            ("editMessageText", self._edit_message_text),
            ("editMessageCaption", self._edit_message_caption),
            ("editMessageReplyMarkup", self._edit_message_reply_markup),
            ("answerCallbackQuery", self._answer_callback_query),
            ("sendChatAction", self._send_chat_action),
            ("pinChatMessage", self._pin_chat_message),
            ("unpinChatMessage", self._unpin_chat_message),
            ("unpinAllChatMessages", self._unpin_all_chat_messages),
            ("deleteMessage", self._delete_message),
        ]
        # Bot API method names are case-insensitive.
        self._methods = {name.lower(): (name, handler) for name, handler in handlers}

    # ------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """Base URL of the running server, e.g. http://127.0.0.1:41234."""
        if not self._url:
            raise RuntimeError("FakeTelegram is not started")
        return self._url

    async def start(self) -> None:
        """Serve the Bot API on 127.0.0.1 at a random free port."""
        self._closing.clear()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # handler_cancellation: a client that hangs up (a stopped poller) ends its request here.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self._url = f"http://127.0.0.1:{port}"
        if self._webhook is not None:
            self._start_delivery()

    async def stop(self) -> None:
        """Release long polls and hanging calls, end webhook delivery, shut the server down."""
        self._closing.set()
        self._fire()
        await self._stop_delivery()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ test-facing API

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        language_code: str | None = "en",
        *,
        started: bool = True,
    ) -> FakeUser:
        """The private-chat user with this id (the same object on every call).

        `started=False` is someone who never opened a chat with the bot: it cannot write first.
        """
        if user_id <= 0:
            raise ValueError("user ids are positive")
        found = self._users.get(user_id)
        if found is None:
            found = FakeUser(self, user_id, first_name, language_code)
            self._users[user_id] = found
        chat = self._chat(user_id)
        chat.info = {"id": user_id, "type": "private", "first_name": found.first_name}
        if not started and not chat.messages:
            chat.started = False
        return found

    def group(self, chat_id: int, title: str = "Us") -> int:
        """A group chat (negative id; -100… is a supergroup) the users can meet in."""
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
        self._chat(chat_id).info = {"id": chat_id, "type": kind, "title": title}
        return chat_id

    def add_bot(self, chat_id: int, by: FakeUser) -> int:
        """`by` adds the bot to a group: the my_chat_member update Telegram sends."""
        self._chat(chat_id).blocked = False
        return self._bot_member_update(chat_id, by, "left", "member")

    def remove_bot(self, chat_id: int, by: FakeUser) -> int:
        """`by` removes the bot: later sends there answer 403, and my_chat_member arrives."""
        self._chat(chat_id).blocked = True
        return self._bot_member_update(chat_id, by, "member", "kicked")

    def migrate(self, chat_id: int, by: FakeUser) -> int:
        """The group becomes a supergroup: the service messages in both chats; the new id."""
        old = self._chat(chat_id)
        new_id = -1_000_000_000_000 + chat_id
        new = self._chat(new_id)
        new.info = {**old.info, "id": new_id, "type": "supergroup"}
        old.migrated_to = new_id
        for chat, field_name, value in (
            (old, "migrate_to_chat_id", new_id),
            (new, "migrate_from_chat_id", chat_id),
        ):
            message: Json = {
                "message_id": chat.take_id(),
                "from": by.info,
                "chat": copy.deepcopy(chat.info),
                "date": _now(),
                field_name: value,
            }
            chat.messages[message["message_id"]] = message
            self.push_update({"message": message})
        return new_id

    def _bot_member_update(self, chat_id: int, by: FakeUser, old: str, new: str) -> int:
        bot = self._bot_user()

        def member(status: str) -> Json:
            # A "kicked" ChatMember always carries until_date (0: for ever).
            found: Json = {"user": bot, "status": status}
            if status == "kicked":
                found["until_date"] = 0
            return found

        return self.push_update(
            {
                "my_chat_member": {
                    "chat": copy.deepcopy(self._chat(chat_id).info),
                    "from": by.info,
                    "date": _now(),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    def push_update(self, update: Json) -> int:
        """Queue an update (next id unless it has "update_id"), wake long polls, return its id."""
        update = copy.deepcopy(update)
        if not _update_type(update):
            raise ValueError(f"update has no payload: {update!r}")
        forced = False
        if "update_id" in update:
            update_id = int(update["update_id"])
            # A re-delivery of an old id must reach the bot once even if its offset passed it.
            forced = update_id < self._next_update_id
        else:
            update_id = self._next_update_id
            update = {"update_id": update_id, **update}
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._history[update_id] = copy.deepcopy(update)
        ids = [entry.update_id for entry in self._pending]
        self._pending.insert(bisect.bisect_right(ids, update_id), _Pending(update, forced))
        self._fire()
        return update_id

    def redeliver(self, update_id: int) -> int:
        """Push an already pushed update again with the same id (Telegram re-delivery)."""
        if update_id not in self._history:
            raise KeyError(f"update {update_id} was never pushed")
        return self.push_update(self._history[update_id])

    def pending_updates(self) -> list[Json]:
        """Updates not yet confirmed by the bot."""
        return [copy.deepcopy(entry.update) for entry in self._pending]

    def messages(self, chat_id: int) -> list[Json]:
        """The bot's messages in that chat, current state (edits applied), in send order."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(chat.messages[mid]) for mid in chat.bot_sent if mid not in chat.deleted
        ]

    def keyboard(self, chat_id: int) -> Json | None:
        """The reply keyboard the chat shows under its input field, if any."""
        chat = self._chats.get(chat_id)
        return copy.deepcopy(chat.keyboard) if chat is not None else None

    def message(self, chat_id: int, message_id: int) -> Json:
        """One message (the bot's or the user's) in its current state."""
        chat = self._chats.get(chat_id)
        found = chat.live(message_id) if chat is not None else None
        if found is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        return copy.deepcopy(found)

    def pinned(self, chat_id: int) -> list[int]:
        """Ids of pinned messages in that chat, most recent last."""
        chat = self._chats.get(chat_id)
        return list(chat.pinned) if chat is not None else []

    def fail_next(
        self,
        method: str,
        count: int = 1,
        *,
        status: int = 500,
        retry_after: int | None = None,
        hang: float | None = None,
    ) -> None:
        """Make the next count calls of method fail with status (after hang seconds)."""
        entry = self._methods.get(method.lower())
        if entry is None:
            raise ValueError(f"unknown Bot API method {method!r}")
        if status < 400:
            raise ValueError("a failure needs an error status")
        plan = self._failures.setdefault(entry[0], [])
        plan.extend(_Failure(status, retry_after, hang) for _ in range(count))

    def chaos(self, rate: float, seed: int = 1) -> None:
        """Fail `rate` of all calls at random: 429, 500, a hang past the client's timeout, or a
        dropped connection, each before the call has any effect (so a retry is not a repeat)."""
        self._chaos_rate = rate
        self._chaos = random.Random(seed)

    def limit_rate(self, per_second: float) -> None:
        """Answer 429 (retry_after 1) to messages beyond `per_second` across the whole bot."""
        self._rate = per_second
        self._tokens = max(1.0, per_second * 0.05)
        self._refilled = time.monotonic()

    def _over_rate(self, method: str) -> bool:
        if self._rate <= 0 or method not in RATED:
            return False
        now = time.monotonic()
        burst = max(1.0, self._rate * 0.05)
        self._tokens = min(burst, self._tokens + (now - self._refilled) * self._rate)
        self._refilled = now
        if self._tokens < 1:
            return True
        self._tokens -= 1
        return False

    def _chaos_fault(self, method: str) -> str | None:
        if self._chaos_rate <= 0 or self._chaos.random() >= self._chaos_rate:
            return None
        # A long poll is never made to hang: it would only stall the test, not test anything.
        kinds = ["429", "500", "drop"] if method == "getUpdates" else ["429", "500", "hang", "drop"]
        kind = self._chaos.choice(kinds)
        self.chaos_faults.append((method, kind))
        return kind

    def block(self, chat_id: int) -> None:
        """From now on every send/edit to this chat answers 403 (the user blocked the bot)."""
        self._chat(chat_id).blocked = True

    def unblock(self, chat_id: int) -> None:
        """Undo block()."""
        self._chat(chat_id).blocked = False

    def offset_confirmed(self) -> int:
        """Highest update_id the bot confirmed via getUpdates offset, or 0."""
        return self._confirmed

    @property
    def is_polling(self) -> bool:
        """Whether a getUpdates long poll is waiting right now."""
        return self._polls_waiting > 0

    @property
    def webhook_ready(self) -> bool:
        """Whether a webhook URL is set (updates go by POST, getUpdates answers 409)."""
        return bool(self.webhook_url)

    def webhook_targets(self, bases: Sequence[str]) -> None:
        """Send webhook POSTs to these local base URLs round-robin, as a TLS proxy would."""
        # A lone string is a Sequence[str] too; iterating it would yield single characters.
        listed = [bases] if isinstance(bases, str) else list(bases)
        cleaned: list[str] = []
        for base in listed:
            parts = urlsplit(base)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"a webhook target is an http(s)://host:port base URL: {base!r}")
            cleaned.append(base.rstrip("/"))
        self._targets = cleaned
        self._target_turn = 0
        self._fire()

    def calls_of(self, method: str) -> list[ApiCall]:
        """Recorded calls of one method (case-insensitive)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds a condition wait; part of the API
        *,
        what: str = "",
    ) -> T:
        """Return predicate's first truthy value, re-checked after every call/update."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            # Grab the event before evaluating so a change in between still wakes us.
            changed = self._changed
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._timeout_message(what, timeout))
            try:
                async with asyncio.timeout(remaining):
                    await changed.wait()
            except TimeoutError:
                continue

    def describe_calls(self, last: int = 15) -> str:
        """The last calls, one per line, for failure messages."""
        if not self.calls:
            return "  (no API calls received)"
        lines = []
        for call in self.calls[-last:]:
            note = f" ({call.description})" if call.description else ""
            lines.append(f"  {call.method} -> {call.status}{note} {_short(call.params)}")
        return "\n".join(lines)

    # ------------------------------------------------------------ internals

    def _fire(self) -> None:
        """Wake every waiter; each re-checks its own condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _timeout_message(self, what: str, timeout: float) -> str:
        """A TimeoutError text that shows what the bot actually did."""
        head = f"timed out after {timeout}s waiting for {what or 'condition'}"
        pending = ", ".join(
            f"{entry.update_id}:{_update_type(entry.update)}" for entry in self._pending
        )
        return (
            f"{head}\nlast API calls:\n{self.describe_calls()}\n"
            f"pending updates: [{pending}] confirmed offset: {self._confirmed}"
        )

    def _chat(self, chat_id: int) -> _Chat:
        """The chat's state, created on first sight."""
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = _Chat(_chat_info(chat_id))
            self._chats[chat_id] = chat
        return chat

    def _bot_user(self) -> Json:
        """The bot as a User object inside messages."""
        return {"id": self.bot_id, "is_bot": True, "first_name": "Mend", "username": self.username}

    def _new_file_id(self, kind: str, payload: Any) -> tuple[str, str]:
        """Mint a file_id/file_unique_id pair and remember what it refers to."""
        number = next(self._file_ids)
        prefix = {"photo": "AgAC", "document": "BQAC", "sticker": "CAAC", "voice": "AwAC"}
        file_id = f"{prefix.get(kind, 'BAAC')}AgIAAxkBAAI{number:08d}"
        self._files[file_id] = (kind, payload)
        return file_id, f"AQAD{number:08d}"

    def _photo_sizes(self, size: int) -> list[Json]:
        """Three PhotoSize objects like Telegram makes for one photo."""
        sizes: list[Json] = []
        for side, share in ((90, 1), (320, 4), (800, 16)):
            # Every size is its own file; any of them re-sends the whole photo.
            file_id, unique = self._new_file_id("photo", sizes)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "file_size": max(1, size * share // 16),
                    "width": side,
                    "height": side,
                }
            )
        return copy.deepcopy(sizes)

    def _user_message(self, user: FakeUser, content: Json) -> Json:
        """Store a new message from the user and return it."""
        chat = self._chat(user.chat_id)
        chat.started = True
        message: Json = {
            "message_id": chat.take_id(),
            "from": user.info,
            "chat": copy.deepcopy(chat.info),
            "date": _now(),
            **copy.deepcopy(content),
        }
        chat.messages[message["message_id"]] = message
        return message

    def _new_query(self, update: Callable[[str], Json]) -> int:
        """Push a callback_query update built around a fresh query id."""
        query_id = str(next(self._query_ids))
        update_id = self.push_update(update(query_id))
        self._open_queries[query_id] = update_id
        self._query_by_update[update_id] = query_id
        return update_id

    async def _pause(self, seconds: float) -> None:
        """Simulate a slow server, cut short when the fake stops."""
        try:
            async with asyncio.timeout(seconds):
                await self._closing.wait()
        except TimeoutError:
            pass

    # ------------------------------------------------------------ webhook delivery

    def _start_delivery(self) -> None:
        """Run the webhook delivery task unless it already runs."""
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.create_task(self._deliver(), name="fake-telegram-webhook")

    async def _stop_delivery(self) -> None:
        """End delivery and cancel requests in flight; what got no 2xx yet stays pending."""
        tasks = list(self._workers.values())
        if self._delivery is not None:
            tasks.append(self._delivery)
        self._delivery = None
        self._workers.clear()
        for task in tasks:
            task.cancel()
        # Awaiting them is what spares "Task was destroyed but it is pending" at loop close.
        await asyncio.gather(*tasks, return_exceptions=True)

    def _deliverable(self, entry: _Pending) -> bool:
        """Whether webhook delivery may send this pending update (getUpdates' filter)."""
        return _update_type(entry.update) in self._allowed_updates

    async def _deliver(self) -> None:
        """Give every queue with a deliverable update a worker; re-check on every change."""
        while self._webhook is not None and not self._closing.is_set():
            changed = self._changed
            if self._targets:
                for entry in self._pending:
                    key = _webhook_queue(entry.update)
                    if key not in self._workers and self._deliverable(entry):
                        self._workers[key] = asyncio.create_task(
                            self._deliver_queue(key), name=f"fake-telegram-webhook-{key}"
                        )
            # push_update() and webhook_targets() fire the event; the timeout only bounds it.
            try:
                async with asyncio.timeout(1.0):
                    await changed.wait()
            except TimeoutError:
                pass

    async def _deliver_queue(self, key: tuple[str, int]) -> None:
        """Deliver one queue's updates one at a time in update_id order, retrying failures."""
        delay = WEBHOOK_BACKOFF_FIRST
        try:
            while self._webhook is not None and not self._closing.is_set():
                # Re-read each time: new updates join, and a redelivered old id goes first.
                entry = next(
                    (
                        e
                        for e in self._pending
                        if _webhook_queue(e.update) == key and self._deliverable(e)
                    ),
                    None,
                )
                if entry is None:
                    return
                answer = await self._post(entry)
                if answer is None:
                    return
                target, status, error = answer
                if error is None:
                    entry.delivered = True
                    self._pending = [e for e in self._pending if e is not entry]
                    delay = WEBHOOK_BACKOFF_FIRST
                else:
                    self._webhook_error = (_now(), error)
                self.webhook_log.append(WebhookDelivery(entry.update_id, target, status))
                self._fire()
                if error is not None:
                    await self._pause(delay)
                    delay = min(delay * 2, WEBHOOK_BACKOFF_MAX)
        except Exception:
            # A crash in the fake must be loud; the dispatcher starts a new worker on next change.
            logger.exception("fake_telegram webhook delivery crashed for queue %s", key)
        finally:
            # Synchronous with the "nothing left" check above, so no update can slip between.
            if self._workers.get(key) is asyncio.current_task():
                del self._workers[key]

    async def _post(self, entry: _Pending) -> tuple[str, int, str | None] | None:
        """POST one update to the next target: (target, status, error or None); None if stopped."""
        while True:
            hook = self._webhook
            if hook is None or not self._targets or self._closing.is_set():
                return None
            if self._in_flight < hook.max_connections:
                break
            # A finishing request fires the event; the timeout only bounds the wait.
            changed = self._changed
            try:
                async with asyncio.timeout(1.0):
                    await changed.wait()
            except TimeoutError:
                pass
        target = self._targets[self._target_turn % len(self._targets)]
        self._target_turn += 1
        headers = {"Content-Type": "application/json"}
        if hook.secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
        if self._session is None:
            self._session = aiohttp.ClientSession()
        self._in_flight += 1
        try:
            async with self._session.post(
                target + hook.path,
                data=json.dumps(entry.update).encode("utf-8"),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
                allow_redirects=False,
            ) as response:
                await response.read()
                status, reason = response.status, response.reason or ""
        except TimeoutError:
            return target, 0, "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return target, 0, "Connection refused"
        except aiohttp.ClientError as error:
            return target, 0, f"Connection failed: {error!r}"
        finally:
            self._in_flight -= 1
        if 200 <= status < 300:
            return target, status, None
        return target, status, f"Wrong response from the webhook: {status} {reason}".rstrip()

    # ------------------------------------------------------------ HTTP plumbing

    async def _handle(self, request: web.Request) -> web.Response:
        """Entry point for every HTTP request."""
        match = _PATH_RE.fullmatch(request.path)
        if match is None:
            return self._finish(request.path, {}, _ApiError(404, "Not Found"))
        token, name = match.groups()
        if token != self.token:
            return self._finish(name, {}, _ApiError(401, "Unauthorized"))
        entry = self._methods.get(name.lower())
        if entry is None:
            return self._finish(name, {}, _ApiError(404, "Not Found"))
        method, handler = entry
        params: Json = {}
        failure: _Failure | None = None
        try:
            try:
                params, uploads = await self._read_params(request)
                if self._over_rate(method):
                    raise _ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
                fault = self._chaos_fault(method)
                if fault == "drop":
                    # The connection goes away with no answer at all.
                    if request.transport is not None:
                        request.transport.abort()
                    raise asyncio.CancelledError
                if fault == "hang":
                    await self._pause(30.0)
                if fault is not None:
                    retry = {"retry_after": 1} if fault == "429" else None
                    status = 429 if fault == "429" else 500
                    text = "Too Many Requests: retry after 1" if retry else "Internal Server Error"
                    raise _ApiError(status, text, retry)
                plan = self._failures.get(method)
                if plan:
                    failure = plan.pop(0)
                    if failure.hang:
                        await self._pause(failure.hang)
                    raise failure.error()
                result = await handler(params, uploads)
            except _ApiError as error:
                return self._finish(method, params, error)
            except Exception as error:
                # A crash in the fake must be loud in the test log and visible in calls.
                logger.exception("fake_telegram crashed handling %s %s", method, params)
                crash = _ApiError(500, f"Internal Server Error (fake_telegram bug: {error!r})")
                return self._finish(method, params, crash)
        except asyncio.CancelledError:
            # The client hung up; record what it would have got, then let aiohttp finish.
            status = failure.status if failure is not None else 499
            self.calls.append(ApiCall(method, params, status, None, "client closed request"))
            self._fire()
            raise
        return self._finish(method, params, result)

    def _finish(self, method: str, params: Json, outcome: Any) -> web.Response:
        """Record the call, wake waiters and build the JSON answer."""
        if isinstance(outcome, _ApiError):
            body: Json = {
                "ok": False,
                "error_code": outcome.status,
                "description": outcome.description,
            }
            if outcome.parameters:
                body["parameters"] = outcome.parameters
            self.calls.append(ApiCall(method, params, outcome.status, None, outcome.description))
            status = outcome.status
        else:
            body = {"ok": True, "result": outcome}
            self.calls.append(ApiCall(method, params, 200, copy.deepcopy(outcome)))
            status = 200
        self._fire()
        return web.json_response(body, status=status)

    async def _read_params(self, request: web.Request) -> tuple[Json, dict[str, _Upload]]:
        """Merge query string and body (JSON, urlencoded or multipart) into typed params."""
        raw: Json = dict(request.query)
        files: dict[str, _Upload] = {}
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = json.loads(await request.text() or "{}")
                except ValueError:
                    raise _bad("can't parse JSON encoded request parameters") from None
                if not isinstance(body, dict):
                    raise _bad("JSON encoded request parameters must be an Object")
                raw.update(body)
            elif request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        data = value.file.read()
                        files[key] = _Upload(value.filename, value.content_type, data)
                    elif isinstance(value, bytes | bytearray):
                        raw[key] = bytes(value).decode("utf-8")
                    else:
                        raw[key] = value
        params = {key: _coerce(key, value) for key, value in raw.items()}
        uploads: dict[str, _Upload] = {}
        for key, value in list(params.items()):
            # aiogram names the file part randomly and points at it with "attach://<part>".
            if isinstance(value, str) and value.startswith("attach://"):
                part = value.removeprefix("attach://")
                if part not in files:
                    raise _bad(f"can't find attached file {part!r}")
                uploads[key] = files.pop(part)
        for key, upload in files.items():
            uploads[key] = upload
        for key, upload in uploads.items():
            params[key] = upload.describe()
        return params, uploads

    # ------------------------------------------------------------ parameter helpers

    def _target_chat(self, params: Json) -> _Chat:
        """Validate chat_id for a send/edit: present, known shape, not blocked."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, bool) or not isinstance(raw, int) or raw == 0:
            # "@username" chats are public channels/groups the fake does not know.
            raise _bad("chat not found")
        if raw == self.bot_id:
            raise _ApiError(403, "Forbidden: bots can't send messages to bots")
        chat = self._chat(raw)
        if chat.migrated_to is not None:
            raise _ApiError(400, UPGRADED, {"migrate_to_chat_id": chat.migrated_to})
        if chat.blocked:
            raise _ApiError(403, BLOCKED if raw > 0 else KICKED)
        if raw > 0 and not chat.started:
            raise _ApiError(403, NOT_STARTED)
        return chat

    def _message_id(self, params: Json) -> int:
        """The message_id parameter, required."""
        value = params.get("message_id")
        if not isinstance(value, int):
            if "inline_message_id" in params:
                raise _bad("MESSAGE_ID_INVALID")
            raise _bad("message identifier is not specified")
        return value

    def _formatted(
        self, params: Json, key: str, entities_key: str, limit: int
    ) -> tuple[str, list[Json]]:
        """Parse text/caption with parse_mode or explicit entities; enforce the length limit."""
        raw = params.get(key)
        text = "" if raw is None else str(raw)
        mode = params.get("parse_mode")
        parse_mode = None
        if mode not in (None, ""):
            parse_mode = PARSE_MODES.get(str(mode).lower())
            if parse_mode is None:
                raise _bad("unsupported parse_mode")
        entities = params.get(entities_key)
        if parse_mode is not None:
            text, parsed = _PARSERS[parse_mode](text)
        elif entities is not None:
            if not isinstance(entities, list) or not all(
                isinstance(e, dict)
                and isinstance(e.get("type"), str)
                and isinstance(e.get("offset"), int)
                and isinstance(e.get("length"), int)
                for e in entities
            ):
                raise _bad(_JSON_ERRORS["entities"])
            text, parsed = _trim(text, entities)
        else:
            text, parsed = _trim(text, [])
        if len(text) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        return text, parsed

    def _markup(self, params: Json, *, inline_only: bool = False) -> Json | None:
        """Validate reply_markup; return the inline keyboard to keep on the message."""
        if params.get("reply_markup") in (None, ""):
            return None
        markup = params["reply_markup"]
        if inline_only and not (isinstance(markup, dict) and "inline_keyboard" in markup):
            raise _bad("inline keyboard expected")
        return _validate_reply_markup(markup)

    def _reply_to(self, chat: _Chat, params: Json) -> Json | None:
        """Resolve reply_parameters / reply_to_message_id to the replied message."""
        target = params.get("reply_to_message_id")
        allow = bool(params.get("allow_sending_without_reply"))
        reply = params.get("reply_parameters")
        if reply is not None:
            if not isinstance(reply, dict) or "message_id" not in reply:
                raise _bad("can't parse reply parameters JSON object")
            target = _coerce("message_id", reply["message_id"])
            allow = bool(
                _coerce(
                    "allow_sending_without_reply", reply.get("allow_sending_without_reply", allow)
                )
            )
        if target is None:
            return None
        found = chat.live(int(target))
        if found is None:
            if allow:
                return None
            raise _bad("message to be replied not found")
        replied = copy.deepcopy(found)
        replied.pop("reply_to_message", None)
        return replied

    def _new_bot_message(self, chat: _Chat, params: Json, content: Json) -> Json:
        """Store a bot message built from validated content and return its API form."""
        reply = self._reply_to(chat, params)
        message: Json = {
            "message_id": chat.take_id(),
            "from": self._bot_user(),
            "chat": copy.deepcopy(chat.info),
            "date": _now(),
        }
        if reply is not None:
            message["reply_to_message"] = reply
        message.update(content)
        if params.get("protect_content"):
            message["has_protected_content"] = True
        chat.messages[message["message_id"]] = message
        chat.bot_sent.append(message["message_id"])
        return copy.deepcopy(message)

    def _own_message(self, chat: _Chat, params: Json) -> Json:
        """The bot message an edit refers to."""
        message = chat.live(self._message_id(params))
        if message is None:
            raise _bad("message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise _bad("message can't be edited")
        return message

    def _file(self, params: Json, uploads: dict[str, _Upload], key: str) -> tuple[str, Any]:
        """Classify a file parameter as ("upload", _Upload), ("url", str) or ("known", payload)."""
        if key in uploads:
            return "upload", uploads[key]
        value = params.get(key)
        if value is None or value == "":
            raise _bad(f"there is no {key} in the request")
        if not isinstance(value, str):
            raise _bad("wrong file identifier/HTTP URL specified")
        if value in self._files:
            kind, payload = self._files[value]
            if kind != key:
                raise _bad("type of file mismatch")
            return "known", payload
        if re.match(r"https?://\S+$", value):
            return "url", value
        raise _bad("wrong file identifier/HTTP URL specified")

    def _media_content(self, params: Json, media: Json) -> Json:
        """Content of a media message: the media plus caption, entities and keyboard."""
        caption, entities = self._formatted(params, "caption", "caption_entities", MAX_CAPTION)
        markup = self._markup(params)
        content = dict(media)
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        if params.get("has_spoiler"):
            content["has_media_spoiler"] = True
        if markup is not None:
            content["reply_markup"] = markup
        return content

    # ------------------------------------------------------------ methods: bot and updates

    async def _get_me(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """getMe."""
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _confirm(self, offset: int) -> None:
        """Apply a getUpdates offset: drop confirmed updates."""
        if offset > 0:
            self._confirmed = max(self._confirmed, offset - 1)
            self._pending = [
                entry
                for entry in self._pending
                if entry.update_id >= offset or (entry.forced and not entry.delivered)
            ]
        elif offset < 0:
            # A negative offset keeps only the last -offset updates.
            self._pending = self._pending[offset:]

    async def _get_updates(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """getUpdates with long polling and Telegram's one-poller-at-a-time conflict."""
        if self.webhook_url:
            raise _ApiError(409, CONFLICT_WEBHOOK)
        self._poll_generation += 1
        generation = self._poll_generation
        self._fire()  # an earlier long poll must now give up with 409
        limit = params.get("limit") or 100
        limit = min(max(int(limit), 1), 100)
        timeout = max(int(params.get("timeout") or 0), 0)
        allowed = self._allowed(params)
        if allowed is not None:
            self._allowed_updates = allowed
        self._confirm(int(params.get("offset") or 0))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise _ApiError(409, CONFLICT_POLL)
            if self.webhook_url:
                raise _ApiError(409, CONFLICT_SET_WEBHOOK)
            batch = [
                entry
                for entry in self._pending
                if _update_type(entry.update) in self._allowed_updates
            ][:limit]
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._closing.is_set():
                for entry in batch:
                    entry.delivered = True
                return [copy.deepcopy(entry.update) for entry in batch]
            self._polls_waiting += 1
            self._fire()  # lets tests wait_for(lambda: fake.is_polling)
            changed = self._changed
            try:
                async with asyncio.timeout(remaining):
                    await changed.wait()
            except TimeoutError:
                pass
            finally:
                self._polls_waiting -= 1

    @staticmethod
    def _allowed(params: Json) -> frozenset[str] | None:
        """Validated allowed_updates; None when absent (the previous setting stays)."""
        allowed = params.get("allowed_updates")
        if allowed is None:
            return None
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise _bad(_JSON_ERRORS["allowed_updates"])
        return frozenset(allowed) or DEFAULT_UPDATE_TYPES

    @staticmethod
    def _check_webhook_url(url: str) -> None:
        """Telegram's checks on a webhook URL: HTTPS, a host, one of its four ports."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "https":
            raise _ApiError(400, WEBHOOK_NO_HTTPS)
        try:
            port = parts.port
        except ValueError:
            raise _bad("bad webhook: Wrong port number specified in the URL") from None
        if not parts.hostname:
            raise _bad("bad webhook: URL host is empty")
        if port is not None and port not in WEBHOOK_PORTS:
            raise _ApiError(400, WEBHOOK_BAD_PORT)

    @staticmethod
    def _secret_token(params: Json) -> str | None:
        """Validated secret_token; an empty one is no token, as on Telegram."""
        raw = params.get("secret_token")
        if raw is None or raw == "":
            return None
        # Form encodings send every value as a string; JSON may carry a bare number.
        token = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
        # Telegram checks the length first.
        if isinstance(token, str) and len(token) > 256:
            raise _ApiError(400, SECRET_TOO_LONG)
        if not isinstance(token, str) or not _SECRET_RE.fullmatch(token):
            raise _ApiError(400, SECRET_BAD_CHARS)
        return token

    async def _set_webhook(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """setWebhook: checked like Telegram; updates then go by POST to webhook_targets()."""
        url = params.get("url")
        if not isinstance(url, str):
            raise _bad("bad webhook: URL must be provided")
        if not url:
            return await self._delete_webhook(params, uploads)
        self._check_webhook_url(url)
        secret = self._secret_token(params)
        allowed = self._allowed(params)
        # Telegram clamps max_connections to 1-100 rather than refusing it.
        raw_connections = params.get("max_connections")
        connections = 40 if raw_connections is None else min(max(int(raw_connections), 1), 100)
        if url != self.webhook_url:
            # The last error belongs to the webhook it happened on.
            self._webhook_error = None
        # Workers read the current settings on every request, so a change applies at once.
        self._webhook = _Webhook(url, secret, connections)
        self.webhook_url = url
        if allowed is not None:
            self._allowed_updates = allowed
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self._start_delivery()
        return True

    async def _delete_webhook(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """deleteWebhook: delivery stops (requests in flight are dropped), getUpdates works."""
        self.webhook_url = ""
        self._webhook = None
        self._webhook_error = None
        await self._stop_delivery()
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """getWebhookInfo with the fields Telegram includes only when they apply."""
        info: Json = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook_error is not None:
            info["last_error_date"], info["last_error_message"] = self._webhook_error
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
        if self._allowed_updates != DEFAULT_UPDATE_TYPES:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    @staticmethod
    def _language(params: Json) -> str:
        """Validated language_code ("" when absent)."""
        language = params.get("language_code") or ""
        if not isinstance(language, str) or (language and not _LANGUAGE_RE.fullmatch(language)):
            raise _bad("invalid language code specified")
        return language

    @staticmethod
    def _scope(params: Json) -> str:
        """Validated command scope as a key: "default", "all_private_chats", "chat:42", ..."""
        scope = params.get("scope")
        if scope is None:
            return "default"
        kinds = {
            "default",
            "all_private_chats",
            "all_group_chats",
            "all_chat_administrators",
            "chat",
            "chat_administrators",
            "chat_member",
        }
        if not isinstance(scope, dict) or scope.get("type") not in kinds:
            raise _bad(_JSON_ERRORS["scope"])
        kind = str(scope["type"])
        if kind.startswith("chat"):
            if "chat_id" not in scope:
                raise _bad("chat_id is empty")
            kind = f"{kind}:{scope['chat_id']}"
            if "user_id" in scope:
                kind = f"{kind}:{scope['user_id']}"
        return kind

    async def _set_my_commands(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """setMyCommands with Telegram's validation."""
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad(_JSON_ERRORS["commands"])
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[dict[str, str]] = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad(_JSON_ERRORS["commands"])
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_RE.fullmatch(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        scope, language = self._scope(params), self._language(params)
        # Like Telegram, an empty list means "no commands" for this scope and language.
        if cleaned:
            self.scoped_commands[(scope, language)] = cleaned
        else:
            self.scoped_commands.pop((scope, language), None)
        if scope == "default":
            if cleaned:
                self.commands[language] = cleaned
            else:
                self.commands.pop(language, None)
        return True

    async def _get_my_commands(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """getMyCommands."""
        key = (self._scope(params), self._language(params))
        return copy.deepcopy(self.scoped_commands.get(key, []))

    async def _delete_my_commands(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """deleteMyCommands."""
        scope, language = self._scope(params), self._language(params)
        self.scoped_commands.pop((scope, language), None)
        if scope == "default":
            self.commands.pop(language, None)
        return True

    async def _set_my_description(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """setMyDescription."""
        language = self._language(params)
        description = str(params.get("description") or "")
        if len(description) > 512:
            raise _bad("description is too long")
        if description:
            self.descriptions[language] = description
        else:
            self.descriptions.pop(language, None)
        return True

    async def _get_my_description(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """getMyDescription."""
        return {"description": self.descriptions.get(self._language(params), "")}

    async def _set_my_short_description(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """setMyShortDescription."""
        language = self._language(params)
        description = str(params.get("short_description") or "")
        if len(description) > 120:
            raise _bad("short description is too long")
        if description:
            self.short_descriptions[language] = description
        else:
            self.short_descriptions.pop(language, None)
        return True

    async def _get_my_short_description(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """getMyShortDescription."""
        return {"short_description": self.short_descriptions.get(self._language(params), "")}

    # ------------------------------------------------------------ methods: messages

    async def _send_message(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """sendMessage."""
        chat = self._target_chat(params)
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT)
        if not text:
            raise _bad("message text is empty")
        markup = self._markup(params)
        preview = params.get("link_preview_options")
        if preview is not None and not isinstance(preview, dict):
            raise _bad("can't parse link preview options JSON object")
        content: Json = {"text": text}
        if entities:
            content["entities"] = entities
        if markup is not None:
            content["reply_markup"] = markup
        self._keep_keyboard(chat, params.get("reply_markup"))
        return self._new_bot_message(chat, params, content)

    @staticmethod
    def _keep_keyboard(chat: _Chat, markup: Any) -> None:
        """A reply keyboard stays under the chat's input field until a message removes it."""
        if isinstance(markup, dict) and "keyboard" in markup:
            chat.keyboard = copy.deepcopy(markup)
        elif isinstance(markup, dict) and markup.get("remove_keyboard") is True:
            chat.keyboard = None

    async def _send_photo(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """sendPhoto from an upload, a URL or a known photo file_id."""
        chat = self._target_chat(params)
        source, payload = self._file(params, uploads, "photo")
        content = self._media_content(params, {})
        if source == "known":
            sizes = copy.deepcopy(payload)
        else:
            size = len(payload.data) if source == "upload" else 50_000
            sizes = self._photo_sizes(size)
        return self._new_bot_message(chat, params, {"photo": sizes, **content})

    async def _send_document(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """sendDocument from an upload, a URL or a known document file_id."""
        chat = self._target_chat(params)
        source, payload = self._file(params, uploads, "document")
        content = self._media_content(params, {})
        if source == "known":
            document = copy.deepcopy(payload)
        else:
            if source == "upload":
                name, size, mime = payload.filename, len(payload.data), payload.content_type
                self.uploads[name] = payload.data
            else:
                name = urlsplit(payload).path.rsplit("/", 1)[-1] or "file"
                size, mime = 10_000, ""
            mime = mime if mime and mime != "application/octet-stream" else ""
            mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
            document = {"file_name": name, "mime_type": mime, "file_size": size}
            file_id, unique = self._new_file_id("document", document)
            document.update({"file_id": file_id, "file_unique_id": unique})
            self._files[file_id] = ("document", copy.deepcopy(document))
        return self._new_bot_message(chat, params, {"document": document, **content})

    async def _edit_message_text(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """editMessageText; omitting reply_markup removes the keyboard, like Telegram."""
        chat = self._target_chat(params)
        message = self._own_message(chat, params)
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT)
        if not text:
            raise _bad("message text is empty")
        markup = self._markup(params, inline_only=True)
        before = (message["text"], message.get("entities", []), message.get("reply_markup"))
        if before == (text, entities, markup):
            raise _bad(NOT_MODIFIED)
        message["text"] = text
        self._set_optional(message, "entities", entities or None)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    async def _edit_message_caption(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """editMessageCaption for photo/document messages."""
        chat = self._target_chat(params)
        message = self._own_message(chat, params)
        if "text" in message:
            raise _bad("there is no caption in the message to edit")
        caption, entities = self._formatted(params, "caption", "caption_entities", MAX_CAPTION)
        markup = self._markup(params, inline_only=True)
        before = (
            message.get("caption", ""),
            message.get("caption_entities", []),
            message.get("reply_markup"),
        )
        if before == (caption, entities, markup):
            raise _bad(NOT_MODIFIED)
        self._set_optional(message, "caption", caption or None)
        self._set_optional(message, "caption_entities", entities or None)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """editMessageReplyMarkup; no reply_markup removes the keyboard."""
        chat = self._target_chat(params)
        message = self._own_message(chat, params)
        markup = self._markup(params, inline_only=True)
        if message.get("reply_markup") == markup:
            raise _bad(NOT_MODIFIED)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    @staticmethod
    def _set_optional(message: Json, key: str, value: Any) -> None:
        """Set a field, or remove it when value is None (Telegram omits empty fields)."""
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value

    async def _answer_callback_query(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """answerCallbackQuery: each query can be answered once."""
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries:
            raise _bad(QUERY_INVALID)
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise _bad("MESSAGE_TOO_LONG")
        del self._open_queries[query_id]
        self.answers[query_id] = copy.deepcopy(params)
        return True

    async def _send_chat_action(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """sendChatAction."""
        self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _any_chat(self, params: Json) -> _Chat:
        """Validate chat_id for methods a blocked chat still allows (pin, delete)."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, bool) or not isinstance(raw, int) or raw == 0:
            raise _bad("chat not found")
        return self._chat(raw)

    async def _pin_chat_message(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """pinChatMessage."""
        chat = self._any_chat(params)
        message_id = self._message_id(params)
        if chat.live(message_id) is None:
            raise _bad("message to pin not found")
        if message_id in chat.pinned:
            chat.pinned.remove(message_id)
        chat.pinned.append(message_id)
        return True

    async def _unpin_chat_message(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """unpinChatMessage (the given one, or the most recent pin)."""
        chat = self._any_chat(params)
        message_id = params.get("message_id")
        if message_id is None and chat.pinned:
            chat.pinned.pop()
        elif message_id in chat.pinned:
            chat.pinned.remove(message_id)
        return True

    async def _unpin_all_chat_messages(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """unpinAllChatMessages."""
        self._any_chat(params).pinned.clear()
        return True

    async def _delete_message(self, params: Json, uploads: dict[str, _Upload]) -> Any:
        """deleteMessage."""
        chat = self._any_chat(params)
        message_id = self._message_id(params)
        if chat.live(message_id) is None:
            raise _bad("message to delete not found")
        chat.deleted.add(message_id)
        if message_id in chat.pinned:
            chat.pinned.remove(message_id)
        return True


class FakeUser:
    """A private-chat user who talks to the bot through a FakeTelegram."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        language_code: str | None,
        chat_id: int | None = None,
    ) -> None:
        self.fake = fake
        self.user_id = user_id
        self.chat_id = user_id if chat_id is None else chat_id
        self.first_name = first_name
        self.language_code = language_code
        self._cursor = 0

    @property
    def info(self) -> Json:
        """The user as a Telegram User object."""
        user: Json = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code is not None:
            user["language_code"] = self.language_code
        return user

    # ------------------------------------------------------------ things the user does

    def send_text(self, text: str) -> int:
        """Send a text message (a leading /command gets its bot_command entity)."""
        return self.send(**self._text_content(text))

    def send(self, **content: Any) -> int:
        """Send a message with arbitrary content fields; return the update_id."""
        message = self.fake._user_message(self, content)
        return self.fake.push_update({"message": message})

    def send_sticker(self) -> int:
        """Send a regular static sticker."""
        sticker: Json = {
            "width": 512,
            "height": 512,
            "emoji": "👍",
            "set_name": "FakeStickers",
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "file_size": 23_000,
        }
        file_id, unique = self.fake._new_file_id("sticker", sticker)
        sticker.update({"file_id": file_id, "file_unique_id": unique})
        return self.send(sticker=sticker)

    def send_photo(self, caption: str | None = None) -> int:
        """Send a photo (three sizes), optionally with a caption."""
        extra = {} if caption is None else {"caption": caption}
        return self.send(photo=self.fake._photo_sizes(120_000), **extra)

    def send_voice(self) -> int:
        """Send a three-second voice note."""
        voice: Json = {"duration": 3, "mime_type": "audio/ogg", "file_size": 9_000}
        file_id, unique = self.fake._new_file_id("voice", voice)
        voice.update({"file_id": file_id, "file_unique_id": unique})
        return self.send(voice=voice)

    def send_location(self, lat: float = 52.52, lon: float = 13.4) -> int:
        """Send a location."""
        return self.send(location={"latitude": lat, "longitude": lon})

    def send_contact(self) -> int:
        """Share the user's own contact."""
        contact: Json = {
            "phone_number": "+491701234567",
            "first_name": self.first_name,
            "user_id": self.user_id,
        }
        return self.send(contact=contact)

    def send_document(self, file_name: str = "notes.pdf") -> int:
        """Send a document."""
        mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        document: Json = {"file_name": file_name, "mime_type": mime, "file_size": 48_000}
        file_id, unique = self.fake._new_file_id("document", document)
        document.update({"file_id": file_id, "file_unique_id": unique})
        self.fake._files[file_id] = ("document", copy.deepcopy(document))
        return self.send(document=document)

    def edit_text(self, message_id: int, text: str) -> int:
        """Edit one of the user's own text messages; pushes an edited_message update."""
        chat = self.fake._chat(self.chat_id)
        message = chat.live(message_id)
        if message is None or message["from"]["id"] != self.user_id or "text" not in message:
            raise ValueError(f"message {message_id} is not a text message of user {self.user_id}")
        message.pop("entities", None)
        message.update(self._text_content(text))
        message["edit_date"] = _now()
        return self.fake.push_update({"edited_message": message})

    def press(self, message: Json, data: str) -> int:
        """Press an inline button with this callback_data on a bot message; return update_id."""
        current = self._bot_message(message)
        chat_instance = str(-(5_000_000_000_000_000_000 + self.chat_id))
        return self.fake._new_query(
            lambda query_id: {
                "callback_query": {
                    "id": query_id,
                    "from": self.info,
                    "message": copy.deepcopy(current),
                    "chat_instance": chat_instance,
                    "data": data,
                }
            }
        )

    def press_button(self, message: Json, label_contains: str) -> int:
        """Press the inline button whose text contains label_contains (exact match wins)."""
        current = self._bot_message(message)
        rows = current.get("reply_markup", {}).get("inline_keyboard", [])
        buttons: list[Json] = [button for row in rows for button in row]
        labels = [str(button.get("text")) for button in buttons]
        matches = [b for b in buttons if b.get("text") == label_contains] or [
            b for b in buttons if label_contains in str(b.get("text"))
        ]
        if len(matches) != 1:
            problem = "no button" if not matches else "several buttons"
            raise LookupError(
                f"{problem} containing {label_contains!r} on message "
                f"{current['message_id']}; buttons: {labels}"
            )
        button = matches[0]
        if "callback_data" not in button:
            raise LookupError(f"button {button['text']!r} is not a callback button: {button}")
        return self.press(current, str(button["callback_data"]))

    def in_group(self, chat_id: int) -> FakeUser:
        """The same person acting in a group chat: sends, presses and replies are there."""
        self.fake._chat(chat_id)
        return FakeUser(self.fake, self.user_id, self.first_name, self.language_code, chat_id)

    def leave(self) -> int:
        """Leave this group: the left_chat_member service message."""
        if self.chat_id > 0:
            raise ValueError("only a group can be left")
        return self.send(left_chat_member=self.info)

    def block_bot(self) -> int:
        """Block the bot: later sends answer 403; pushes the my_chat_member update."""
        self.fake.block(self.chat_id)
        return self._member_update("member", "kicked")

    def unblock_bot(self) -> int:
        """Unblock the bot; pushes the my_chat_member update."""
        self.fake.unblock(self.chat_id)
        return self._member_update("kicked", "member")

    # ------------------------------------------------------------ what the user sees

    def replies(self) -> list[Json]:
        """The bot's messages in this chat (current state)."""
        return self.fake.messages(self.chat_id)

    def mark_seen(self) -> None:
        """Move the next_message() cursor past every bot message sent so far."""
        self._cursor = len(self.fake._chat(self.chat_id).bot_sent)

    async def next_message(self, timeout: float = 10.0) -> Json:  # noqa: ASYNC109
        """Wait for the next new bot message in this chat after the cursor; return it."""
        chat = self.fake._chat(self.chat_id)
        cursor = self._cursor

        def arrived() -> int | None:
            return chat.bot_sent[cursor] if len(chat.bot_sent) > cursor else None

        message_id = await self.fake.wait_for(
            arrived, timeout, what=f"bot message #{cursor + 1} in chat {self.chat_id}"
        )
        self._cursor = cursor + 1
        return copy.deepcopy(chat.messages[message_id])

    async def wait_text(self, contains: str, timeout: float = 10.0) -> Json:  # noqa: ASYNC109
        """Wait until a bot message here (edits included) contains the text; return the latest."""

        def found() -> Json | None:
            matches = [m for m in self.replies() if contains in _message_text(m)]
            return matches[-1] if matches else None

        try:
            return await self.fake.wait_for(
                found, timeout, what=f"a bot message containing {contains!r}"
            )
        except TimeoutError as error:
            seen = [_message_text(m) for m in self.replies()]
            raise TimeoutError(f"{error}\nbot messages in chat {self.chat_id}: {seen}") from None

    async def wait_answered(self, update_id: int, timeout: float = 10.0) -> Json:  # noqa: ASYNC109
        """Wait until the callback query from that update is answered; return the answer."""
        query_id = self.fake._query_by_update.get(update_id)
        if query_id is None:
            raise ValueError(f"update {update_id} was not a button press")
        return await self.fake.wait_for(
            lambda: self.fake.answers.get(query_id),
            timeout,
            what=f"answerCallbackQuery for update {update_id}",
        )

    # ------------------------------------------------------------ internals

    def _text_content(self, text: str) -> Json:
        """Text plus the bot_command entity Telegram adds for a leading /command."""
        content: Json = {"text": text}
        if text.startswith("/"):
            command = re.match(r"/[^\s]*", text)
            assert command is not None
            length = _utf16_len(command.group(0))
            if length > 1:
                content["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
        return content

    def _bot_message(self, message: Json) -> Json:
        """The current state of a bot message in this chat."""
        message_id = int(message["message_id"])
        current = self.fake._chat(self.chat_id).live(message_id)
        if current is None:
            raise LookupError(f"message {message_id} is not (or no longer) in chat {self.chat_id}")
        if current["from"]["id"] != self.fake.bot_id:
            raise LookupError(f"message {message_id} was not sent by the bot")
        return current

    def _member_update(self, old: str, new: str) -> int:
        """Push the my_chat_member update Telegram sends when the user (un)blocks the bot."""
        return self.fake._bot_member_update(self.chat_id, self, old, new)
