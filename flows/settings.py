"""Settings: language, time zone, quiet hours, and starting the intake again."""

from __future__ import annotations

from flows import menu, start, zones
from flows.engine import (
    Choice,
    Context,
    Event,
    FlowState,
    Located,
    Outcome,
    Say,
    SetProfile,
    Text,
    button,
    entry,
    rows,
)

name = "settings"
steps = frozenset({"choose", "tz", "quiet"})
entries = frozenset({"open", "tz"})
# Quiet-hour windows to pick from; equal ends mean no quiet hours at all.
QUIET = {"q22": ("22:00", "08:00"), "q23": ("23:00", "07:00"), "q21": ("21:00", "09:00")}
QUIET["off"] = ("00:00", "00:00")


def begin(state: FlowState, ctx: Context, choice: str = "open") -> Outcome:
    """Show the settings, or go straight to the time zone question."""
    if choice == "tz":
        return _ask_zone(state)
    new = state.to(name, "choose")
    choices = rows(
        button(name, "start-lang-en", "en"),
        button(name, "start-lang-ru", "ru"),
        button(name, "settings-btn-tz", "tz"),
        button(name, "settings-btn-quiet", "quiet"),
        button(name, "settings-btn-redo", "redo"),
        entry("menu", "btn-menu"),
        width=2,
    )
    quiet = ctx.profile.get("quiet") or QUIET["q22"]
    args: dict[str, str | int] = {
        "language": ctx.locale,
        "tz": str(ctx.profile.get("tz") or "none"),
        "quiet": "off" if quiet[0] == quiet[1] else f"{quiet[0]}–{quiet[1]}",
    }
    return new, [Say("settings-text", args, buttons=choices)]


def _ask_zone(state: FlowState) -> Outcome:
    regions = [button(name, f"settings-region-{r}", r) for r in zones.REGIONS]
    new = state.to(name, "tz")
    return new, [
        Say("settings-tz-ask", buttons=rows(*regions, width=2)),
        Say("settings-tz-share", keyboard="location"),
    ]


def located(state: FlowState, event: Located, ctx: Context) -> Outcome:
    """A shared location sets the time zone, wherever in the conversation it arrives."""
    asked = state.flow == name and state.step == "tz"
    if event.zone is None:
        return state, [Say("settings-tz-nowhere" if asked else "nontext-reply")]
    if asked:
        return _saved(state, ctx, {"tz": event.zone}, "settings-tz-saved", {"tz": event.zone})
    saved = Say("settings-tz-saved", {"tz": event.zone}, keyboard="clear")
    return state, [SetProfile({"tz": event.zone}), saved]


def step(state: FlowState, event: Event, ctx: Context) -> Outcome:
    """Apply one setting."""
    if state.step == "tz" and isinstance(event, Text):
        found = zones.find(event.text)
        if found is None:
            return state, [Say("settings-tz-unknown")]
        return _saved(state, ctx, {"tz": found}, "settings-tz-saved", {"tz": found})
    if not isinstance(event, Choice):
        return state, [Say("use-buttons")]
    choice = event.choice
    if state.step == "tz":
        return _zone_choice(state, choice, ctx)
    if state.step == "quiet" and choice in QUIET:
        return _saved(state, ctx, {"quiet": list(QUIET[choice])}, "settings-saved", {})
    if choice in start.LANGUAGES:
        return _saved(state, ctx, {"locale": choice}, "settings-saved", {})
    if choice == "tz":
        return _ask_zone(state)
    if choice == "quiet":
        options = [button(name, f"settings-quiet-{q}", q) for q in QUIET]
        return state.to(name, "quiet"), [Say("settings-quiet-ask", buttons=rows(*options, width=2))]
    if choice == "redo":
        return start.begin(state, ctx)
    return state, []


def _zone_choice(state: FlowState, choice: str, ctx: Context) -> Outcome:
    if choice in zones.REGIONS:
        picks = [
            button(name, "settings-zone", f"z{i}", city=zones.city(z))
            for i, z in enumerate(zones.REGIONS[choice])
        ]
        return state.at("tz", region=choice), [
            Say("settings-tz-pick", buttons=rows(*picks, width=2))
        ]
    region = zones.REGIONS.get(str(state.data.get("region")), ())
    if choice.startswith("z") and choice[1:].isdecimal() and int(choice[1:]) < len(region):
        zone = region[int(choice[1:])]
        return _saved(state, ctx, {"tz": zone}, "settings-tz-saved", {"tz": zone})
    return state, []


def _saved(
    state: FlowState, ctx: Context, values: dict[str, object], key: str, args: dict[str, str | int]
) -> Outcome:
    new, effects = menu.begin(state, ctx.with_profile(**values))
    # A new zone also takes away the location button, however the zone was chosen.
    said = Say(key, args, keyboard="clear" if "tz" in values else "")
    return new, [SetProfile(dict(values)), said, *effects]
