"""aiogram, imported so that each of its types and methods is built on first use."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from pydantic import BaseModel

# aiogram's import builds a pydantic schema for each of its ~300 types and ~170 methods: 5 of
# the 8 s from `python -m bot run` to the first reply on this machine. Its types already ask
# pydantic to defer building, but the package then rebuilds them all with one shared namespace
# for their forward references. Instead we put that namespace where pydantic looks (each
# type's own module) and let the methods defer too; pydantic then builds a type or a method
# when it is first used. The schemas are the same (tests/test_aiogram_import.py compares them).
_TYPES = "aiogram.types."
_METHODS_BASE = "aiogram.methods.base"
_rebuild = BaseModel.__dict__["model_rebuild"]


def _deferred(cls: type[BaseModel], *args: Any, **kwargs: Any) -> bool | None:
    names = kwargs.get("_types_namespace")
    if names is None or kwargs.get("force") or not cls.__module__.startswith(_TYPES):
        return _rebuild.__func__(cls, *args, **kwargs)  # type: ignore[no-any-return]
    module = vars(sys.modules[cls.__module__])
    for name, value in names.items():
        module.setdefault(name, value)
    return None


class _DeferMethods(importlib.abc.MetaPathFinder):
    """Loads aiogram.methods.base as usual, then has every method defined after it defer."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _METHODS_BASE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec else None
        if loader is None:
            return spec
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            module.TelegramMethod.model_config["defer_build"] = True

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_finder = _DeferMethods()
sys.meta_path.insert(0, _finder)
BaseModel.model_rebuild = classmethod(_deferred)  # type: ignore[method-assign, assignment]
try:
    import aiogram  # noqa: F401
finally:
    BaseModel.model_rebuild = _rebuild  # type: ignore[method-assign]
    sys.meta_path.remove(_finder)
