"""The overview: counts, clients created per day (an SVG chart drawn here, no script), and
the changes each door made lately.

Requests per door over the last 24 hours come from the per-door request counter
(rolodex.domain.usage: stored counts, plus this process's not yet flushed); the changes
(events) each door made among the account's last thousand are shown beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from starlette.responses import Response

from rolodex.db.prepared import Reader
from rolodex.domain import overview as activity
from rolodex.domain import usage

from .web import Ctx

DAYS = 14
DOOR_COLOURS = {
    "native": "#1f5fbf",
    "trackops": "#8a4fbf",
    "tevo": "#bf7a1f",
    "halo": "#1f8f6a",
    "kickserv": "#bf1f4f",
    "console": "#444c5c",
    "import": "#6a8f1f",
    "cli": "#7a7a7a",
    "system": "#aaaaaa",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    colour: str = "#1f5fbf"


def bars(values: list[tuple[date, int]], width: int = 640, height: int = 200) -> list[Bar]:
    """One bar a day, scaled to the tallest."""
    top = max((v for _, v in values), default=0) or 1
    step = width / max(len(values), 1)
    out = []
    for i, (day, value) in enumerate(values):
        h = (height - 20) * value / top
        out.append(Bar(i * step + 2, height - 20 - h, step - 4, h, day.strftime("%d %b"), value))
    return out


def stacked(
    per_door: dict[str, Any],
    columns: list[Any],
    labels: list[str],
    gap: float = 2,
    width: int = 640,
    height: int = 200,
) -> list[Bar]:
    """One stacked bar a column (a day, an hour), a segment per door, scaled to the tallest;
    `labels` name the columns."""
    totals = [sum(c.get(column, 0) for c in per_door.values()) for column in columns]
    top = max(totals, default=0) or 1
    step = width / max(len(columns), 1)
    out = []
    for i, (column, label) in enumerate(zip(columns, labels, strict=True)):
        y = height - 20.0
        for door in sorted(per_door):
            value = per_door[door].get(column, 0)
            if not value:
                continue
            h = (height - 20) * value / top
            y -= h
            colour = DOOR_COLOURS.get(door, "#999")
            out.append(Bar(i * step + gap, y, step - 2 * gap, h, f"{door} {label}", value, colour))
    return out


async def overview(ctx: Ctx) -> Response:
    account_id = ctx.account_id
    now_hour = usage.hour_now()

    def read(reader: Reader) -> dict[str, Any]:
        per_day = activity.created_per_day(reader, account_id, DAYS)
        per_door, seen = activity.recent_changes_per_door(reader, account_id)
        return {
            "requests": usage.recent(reader, account_id, now_hour),
            "counts": activity.counts(reader, account_id),
            "per_day": per_day,
            "per_door": per_door,
            "seen": seen,
        }

    data = await ctx.read(read)
    requests = usage.merged(data["requests"], ctx.runtime.requests.pending(account_id))
    hours = list(range(now_hour - usage.HOURS_SHOWN + 1, now_hour + 1))
    request_totals = {
        door: sum(n for h, n in c.items() if h in hours) for door, c in sorted(requests.items())
    }
    days = [d for d, _ in data["per_day"]]
    door_totals = {door: sum(c.values()) for door, c in data["per_door"].items()}
    return ctx.render(
        "overview.html",
        counts=data["counts"],
        cap=activity.COUNT_CAP,
        day_cap=activity.DAY_CAP,
        per_day=data["per_day"],
        created_bars=bars(data["per_day"]),
        door_bars=stacked(data["per_door"], days, [f"{day:%d %b}" for day in days]),
        door_totals=door_totals,
        colours=DOOR_COLOURS,
        seen=data["seen"],
        request_bars=stacked(
            requests,
            hours,
            [datetime.fromtimestamp(hour * 3600, UTC).strftime("%d %b %H:00") for hour in hours],
            gap=1,
        ),
        request_totals=request_totals,
        hour_labels=[
            (i * 640 / len(hours) + 640 / len(hours) / 2, f"{h % 24:02d}:00")
            for i, h in enumerate(hours)
            if i % 4 == 3
        ],
        labels=[
            (i * 640 / len(days) + 640 / len(days) / 2, d.strftime("%d %b"))
            for i, d in enumerate(days)
            if i % 2 == 0
        ],
    )
