"""The journal: what the user has written and kept, newest first, each readable again."""

from __future__ import annotations

from flows.engine import (
    Choice,
    Context,
    Entry,
    Event,
    FlowState,
    Outcome,
    Say,
    button,
    entry,
    rows,
)

name = "journal"
steps = frozenset({"list"})
entries = frozenset({"open"})
SHOWN = 5


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """List the latest entries as buttons."""
    kept = ctx.records.of("journal")
    if not kept:
        start = rows(entry("reflect", "journal-btn-reflect"), entry("menu", "btn-menu"))
        return state.to("menu", "idle"), [Say("journal-empty", buttons=start)]
    new = state.to(name, "list")
    items = [
        button(name, "journal-item", f"e{e.id}", date=_date(e), kind=str(e.data.get("type", "")))
        for e in kept[:SHOWN]
    ]
    items.append(entry("menu", "btn-menu"))
    return new, [Say("journal-list", {"count": len(kept)}, buttons=rows(*items))]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Show the entry that was picked; only the user's own entries can be found."""
    if not isinstance(event, Choice) or not event.choice.startswith("e"):
        return state, [Say("use-buttons")]
    wanted = event.choice[1:]
    found = next((e for e in ctx.records.of("journal") if str(e.id) == wanted), None)
    if found is None:
        return state, []
    back = rows(entry(name, "journal-btn-back"), entry("menu", "btn-menu"))
    return state, [Say("journal-entry-reflection", _fields(found), buttons=back)]


def _date(e: Entry) -> str:
    return e.created.strftime("%Y-%m-%d")


def _fields(e: Entry) -> dict[str, str | int]:
    values: dict[str, str | int] = {"date": _date(e)}
    for key in ("did", "impact", "roots", "change"):
        values[key] = str(e.data.get(key, ""))
    return values
