"""Drives the pure dispatcher the way the runtime does, for flow tests: no loop, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from flows import dispatch
from flows.apology_check import Finding
from flows.engine import (
    Button,
    Context,
    DropDraft,
    Edit,
    Effect,
    Entry,
    Event,
    FlowState,
    Helplines,
    Keep,
    Picture,
    Press,
    Quote,
    Records,
    SaveDraft,
    Say,
    SetProfile,
    ShowParked,
)

NOW = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)
Shown = Say | Edit | Quote | ShowParked | Picture | Helplines


class Talk:
    """One user's chat: state, profile and kept records carried from event to event."""

    def __init__(
        self,
        profile: dict[str, Any] | None = None,
        records: Records | None = None,
        *,
        now: datetime = NOW,
        check: Callable[[str], list[Finding]] | None = None,
        is_vague: Callable[[str], bool] | None = None,
        crisis: Callable[[str], str | None] | None = None,
    ) -> None:
        self.state = FlowState()
        self.profile: dict[str, Any] = dict(profile or {})
        self.records = records or Records()
        self.now = now
        self.check = check
        self.is_vague = is_vague
        self.crisis = crisis
        self.effects: list[Effect] = []
        # Like a phone screen: the latest messages with buttons stay until new ones arrive.
        self.screen: list[Shown] = []

    def context(self) -> Context:
        ctx = Context(1, 1, self.now, str(self.profile.get("locale", "en")), dict(self.profile))
        ctx = replace(ctx, records=self.records)
        if self.check is not None:
            ctx = replace(ctx, check=self.check)
        if self.is_vague is not None:
            ctx = replace(ctx, is_vague=self.is_vague)
        if self.crisis is not None:
            ctx = replace(ctx, crisis=self.crisis)
        return ctx

    def send(self, event: Event) -> list[Effect]:
        self.state, self.effects = dispatch.handle(self.state, event, self.context())
        entries, drafts = list(self.records.entries), dict(self.records.drafts)
        for effect in self.effects:
            if isinstance(effect, SetProfile):
                self.profile.update(effect.values)
            elif isinstance(effect, Keep):
                entries.append(Entry(len(entries) + 1, effect.kind, self.now, effect.data))
            elif isinstance(effect, SaveDraft):
                drafts[effect.flow] = {"step": effect.step, "data": effect.data}
            elif isinstance(effect, DropDraft):
                drafts.pop(effect.flow, None)
        self.records = Records(tuple(entries), drafts)
        with_buttons = [e for e in self.effects if isinstance(e, Shown) and e.buttons]
        self.screen = with_buttons or self.screen
        return self.effects

    @property
    def shown(self) -> list[Button]:
        """Every button on screen, newest message last."""
        return [b for e in self.screen for row in e.buttons for b in row]

    def buttons(self) -> list[Button]:
        """Buttons in the effects of the latest event."""
        return [b for e in self.effects if isinstance(e, Shown) for row in e.buttons for b in row]

    def press(self, label: str) -> list[Effect]:
        """Tap the first button on screen with this label."""
        for button in self.shown:
            if button.label == label:
                return self.send(Press(button.data))
        raise AssertionError(f"no button {label!r} in {[b.label for b in self.shown]}")

    def spoken(self) -> list[str]:
        """The locale keys of what the latest event said, in order."""
        return [e.key for e in self.effects if isinstance(e, Say | Edit | Quote)]
