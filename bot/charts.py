"""Pictures: progress and trust charts, drawn with matplotlib's Agg backend only when asked for."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ANSWERS = ("kept", "partly", "slipped", "skipped")
COLOURS = {"kept": "#4c9a6a", "partly": "#e0b84c", "slipped": "#c8664f", "skipped": "#b8b8b8"}
POINTS = {"kept": 1.0, "partly": 0.5, "slipped": 0.0}
LINE = "#2f4858"


@contextmanager
def _chart(title: str, png: list[bytes]) -> Iterator[Axes]:
    """One phone-wide chart: the caller draws on the axes, the PNG bytes land in `png`."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 3.2), dpi=100)
    try:
        yield axis
        axis.set_title(title)
        axis.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        png.append(buffer.getvalue())
    finally:
        plt.close(figure)


def progress_png(
    checkins: dict[str, str], today: date, labels: dict[str, str], weeks: int = 4
) -> bytes:
    """Bars for each day's answer and a line for the rolling score, as PNG bytes."""
    from matplotlib.patches import Rectangle

    days = [today - timedelta(days=n) for n in range(weeks * 7 - 1, -1, -1)]
    png: list[bytes] = []
    with _chart(labels["title"], png) as axis:
        for index, day in enumerate(days):
            answer = checkins.get(day.isoformat())
            if answer in COLOURS:
                axis.bar(index, 1, color=COLOURS[answer], width=0.8)
        axis.plot(range(len(days)), _rolling(checkins, days), color=LINE, linewidth=2)
        axis.set_ylim(0, 1.05)
        axis.set_yticks([0, 0.5, 1], ["0%", "50%", "100%"])
        ticks = list(range(0, len(days), 7))
        axis.set_xticks(ticks, [days[i].strftime("%d.%m") for i in ticks])
        handles = [Rectangle((0, 0), 1, 1, color=COLOURS[a]) for a in ANSWERS]
        axis.legend(handles, [labels[a] for a in ANSWERS], loc="upper left", ncols=4, fontsize=8)
    return png[0]


def trust_png(weeks: dict[str, int | None], title: str, shown: int = 12) -> bytes:
    """The weekly 0-10 trust answers as a line, skipped weeks left as gaps, as PNG bytes."""
    days = sorted(weeks)[-shown:]
    scores = [float("nan") if weeks[d] is None else float(weeks[d] or 0) for d in days]
    png: list[bytes] = []
    with _chart(title, png) as axis:
        axis.plot(range(len(days)), scores, color=LINE, linewidth=2, marker="o")
        axis.set_ylim(-0.3, 10.3)
        axis.set_yticks([0, 5, 10])
        axis.set_xticks(range(len(days)), [f"{d[8:10]}.{d[5:7]}" for d in days])
    return png[0]


def _rolling(checkins: dict[str, str], days: list[date], window: int = 7) -> list[float]:
    """The share of kept days ("partly" half) over the previous week, day by day."""
    scores: list[float] = []
    for day in days:
        recent = [checkins.get((day - timedelta(days=n)).isoformat()) for n in range(window)]
        answered = [POINTS[a] for a in recent if a in POINTS]
        # A gap, not a zero, where nothing was answered: silence is not failure.
        scores.append(sum(answered) / len(answered) if answered else float("nan"))
    return scores
