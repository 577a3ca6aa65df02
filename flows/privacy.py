"""People's control over their data: everything kept about them as a file, or all of it gone."""

from __future__ import annotations

from flows import menu
from flows.engine import (
    Choice,
    Context,
    Effect,
    EraseUser,
    Event,
    ExportData,
    FlowState,
    Outcome,
    Say,
    SetProfile,
    ToPartner,
    Unschedule,
    button,
    entry,
    rows,
)

name = "privacy"
steps = frozenset({"delete"})
entries = frozenset({"open", "export", "delete"})


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """/export sends the file; /delete asks once before anything is erased."""
    if choice == "export":
        return state.to(menu.name, "idle"), [ExportData("privacy-export-caption")]
    if choice == "delete":
        confirm = rows(
            button(name, "privacy-btn-delete-yes", "yes"), button(name, "privacy-btn-keep", "no")
        )
        return state.to(name, "delete"), [Say("privacy-delete-ask", buttons=confirm)]
    return state.to(menu.name, "idle"), [
        Say(
            "privacy-about",
            buttons=rows(
                entry(name, "privacy-btn-export", "export"),
                entry(name, "privacy-btn-delete", "delete"),
                entry(menu.name, "btn-menu"),
            ),
        )
    ]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """The answer to "delete everything?"."""
    idle = state.to(menu.name, "idle")
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    if event.choice != "yes":
        return idle, [Say("privacy-kept", buttons=rows(entry(menu.name, "btn-menu")))]
    return idle, [*_end_pair(ctx), EraseUser("privacy-deleted")]


def _end_pair(ctx: Context) -> list[Effect]:
    """A pair they are in ends; the other person hears only that it ended."""
    pair = ctx.pair
    if pair is None or pair.partner is None or pair.status in ("ended", "declined"):
        return []
    carried: list[Effect] = [Say("privacy-partner-ended", buttons=rows(entry("menu", "btn-menu")))]
    if pair.holds_controls():
        # The other was repairing: their reach-out prompts about this person stop for good.
        carried = [
            SetProfile({"pair_ended": True, "pair_paused": None, "space": None}),
            Unschedule("space:reminder"),
            Unschedule("space:end"),
            *carried,
        ]
    return [ToPartner(tuple(carried))]
