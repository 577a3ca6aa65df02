"""aiogram imported for a quick start reads and writes exactly as aiogram imported as usual."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref

# Prints the JSON schema of every aiogram type and method, as pydantic builds them.
SCHEMAS = """
import json, sys, warnings
from pydantic import BaseModel
if sys.argv[1] == "quick":
    import bot.transports.aiogram_import
import aiogram.methods, aiogram.types
warnings.simplefilter("ignore")
found = {}
for module in (aiogram.types, aiogram.methods):
    for name in module.__all__:
        kind = getattr(module, name)
        if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
            continue
        if kind.__pydantic_generic_metadata__["parameters"]:
            continue
        try:
            found[name] = kind.model_json_schema()
        except Exception as error:
            found[name] = f"{type(error).__name__}: {error}"
print(json.dumps(found, sort_keys=True, default=str))
"""

# What the quick import leaves behind, before anything is used and after.
STATE = """
import json, sys
from pydantic import BaseModel
before = BaseModel.__dict__["model_rebuild"]
import bot.transports.aiogram_import
from aiogram.methods import SendMessage
from aiogram.types import Update
state = {
    "restored": BaseModel.__dict__["model_rebuild"] is before,
    "finder_gone": not any(
        type(f).__module__ == "bot.transports.aiogram_import" for f in sys.meta_path
    ),
    "update_built_at_import": Update.__pydantic_complete__,
    "method_built_at_import": SendMessage.__pydantic_complete__,
}
update = Update.model_validate(
    {"update_id": 1, "message": {"message_id": 2, "date": 0, "text": "hi",
     "chat": {"id": 3, "type": "private"}}}
)
state["text"] = update.message.text
state["update_built_when_used"] = Update.__pydantic_complete__
print(json.dumps(state))
"""


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", script, *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _output(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err[-2000:]
    return out


def test_every_type_and_method_has_the_same_schema_either_way() -> None:
    both = _start(SCHEMAS, "quick"), _start(SCHEMAS, "usual")
    quick, usual = (json.loads(_output(process)) for process in both)
    assert len(usual) > 400
    assert quick.keys() == usual.keys()
    differing = [name for name in usual if quick[name] != usual[name]]
    assert differing == []


def test_types_are_built_on_first_use_and_pydantic_is_left_as_it_was() -> None:
    state = json.loads(_output(_start(STATE)))
    assert state == {
        "restored": True,
        "finder_gone": True,
        "update_built_at_import": False,
        "method_built_at_import": False,
        "text": "hi",
        "update_built_when_used": True,
    }


def test_a_held_reply_type_outlives_a_collection_that_frees_an_unheld_one() -> None:
    from aiogram.methods import GetChat, GetChatMenuButton
    from aiogram.methods.base import Response

    from bot.transports import aiogram_responses

    aiogram_responses.hold(GetChat)
    held = weakref.ref(Response[GetChat.__returning__])  # type: ignore[valid-type]
    unheld = weakref.ref(Response[GetChatMenuButton.__returning__])  # type: ignore[valid-type]
    gc.collect()
    # Without holding, pydantic's weak cache lets the type go and the next call builds it again.
    assert unheld() is None
    assert held() is not None
