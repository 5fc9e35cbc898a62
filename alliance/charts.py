"""Charts drawn on the server as SVG: no script, nothing fetched from elsewhere, sharp on a phone.

The functions here turn numbers into geometry; templates/charts/ draws it. Every chart is
shown next to (or above) the same numbers as text, for screen readers and for people who would
rather read than look.
"""

import datetime
from dataclasses import dataclass

WIDTH = 400  # viewBox units; the SVG scales to its container
HEIGHT = 180
MARGIN = {"top": 10, "right": 16, "bottom": 24, "left": 28}


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in viewBox units
    label: str


@dataclass(frozen=True)
class StepChart:
    width: int
    height: int
    line: str  # SVG path of the step line
    area: str  # the same, closed down to the axis
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    limit_y: float | None  # a horizontal reference line (a cap), if any
    limit_label: str

    @property
    def plot_left(self) -> int:
        return MARGIN["left"]

    @property
    def plot_right(self) -> int:
        return self.width - MARGIN["right"]

    @property
    def baseline(self) -> int:
        return self.height - MARGIN["bottom"]


def _nice_step(top: int, most: int = 5) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if top / step <= most:
            return step
    return max(1, top // most)


def step_chart(
    series: list[tuple[datetime.date, int]], *, limit: int | None = None, limit_label: str = ""
) -> StepChart | None:
    """A count that changes on given days (members in a group, say), as a step line.

    `series` is (day, value) in date order; the value holds until the next day. `limit` draws a
    dashed reference line (the member cap). None when there is nothing to draw: no values, all
    of them zero, or a single day.
    """
    if not any(value for _day, value in series) or series[0][0] == series[-1][0]:
        return None
    first, last_day = series[0][0], series[-1][0]
    span = max((last_day - first).days, 1)
    # Headroom above the limit, so its line and label stay inside the picture.
    top = max([value for _day, value in series] + [(limit or 0) + 1, 1])
    step = _nice_step(top)
    top = -(-top // step) * step  # round up to a whole step
    left, right = MARGIN["left"], WIDTH - MARGIN["right"]
    upper, base = MARGIN["top"], HEIGHT - MARGIN["bottom"]

    def x(day: datetime.date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(base - (base - upper) * value / top, 1)

    points = [(x(day), y(value)) for day, value in series]
    line = f"M{points[0][0]},{points[0][1]}"
    for (_px, py), (nx, ny) in zip(points, points[1:], strict=False):
        line += f" H{nx} V{ny}" if ny != py else f" H{nx}"
    area = f"{line} V{base} H{points[0][0]} Z"
    return StepChart(
        width=WIDTH,
        height=HEIGHT,
        line=line,
        area=area,
        x_ticks=[Tick(x(day), label) for day, label in _time_marks(first, last_day)],
        y_ticks=[Tick(y(value), str(value)) for value in range(0, top + 1, step)],
        limit_y=y(limit) if limit is not None else None,
        limit_label=limit_label,
    )


def _time_marks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """A few month starts inside (first, last] to label the time axis: years when it is long."""
    months = (last.year - first.year) * 12 + last.month - first.month
    if months >= 24:
        every, label = 12 * max(1, -(-(last.year - first.year) // 7)), "%Y"
        day = datetime.date(first.year + 1, 1, 1)
    else:
        every, label = max(1, -(-months // 4)), "%Y-%m"
        day = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    marks = []
    while day <= last:
        marks.append((day, day.strftime(label)))
        year, month = divmod(day.month - 1 + every, 12)
        day = datetime.date(day.year + year, month + 1, 1)
    return marks


@dataclass(frozen=True)
class Bar:
    """A share of a whole, drawn as a progress bar."""

    label: str
    value: int
    total: int
    target: float | None = None  # the share that counts as enough, 0–1

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.value / self.total)) if self.total else 0

    @property
    def target_percent(self) -> int | None:
        return round(100 * self.target) if self.target is not None else None

    @property
    def short(self) -> bool:
        return self.target is not None and self.total > 0 and self.value / self.total < self.target
