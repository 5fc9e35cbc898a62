"""Charts drawn on the server as SVG: no script, nothing fetched from elsewhere, sharp on a phone.

The functions here turn numbers into geometry; templates/charts/ draws it. Every chart is
shown next to (or above) the same numbers as text, for screen readers and for people who would
rather read than look.
"""

import datetime
import math
from dataclasses import dataclass

# viewBox units. The SVG scales to its container, its text with it: the picture is about as many
# units wide as a phone draws it in pixels (309px on a 375px phone), so that letters FONT units
# high are still 12px or more there. A desktop draws it larger, and site.css's letters smaller.
WIDTH = 320
HEIGHT = 150
MARGIN = {"top": 12, "right": 16, "bottom": 24, "left": 28}  # the left grows for long labels
FONT = 13  # site.css's size for chart text on a phone (to 480px), its largest: margins hold it
GAP = 6  # between a y label and the plot (templates/charts/step.html: plot_left - 6)


def text_width(label: str) -> float:
    """About how wide a label is drawn at FONT, on the wide side: CJK characters a full em,
    others (digits, Latin letters) at most 0.64 of one, as DejaVu Sans's digits are."""
    return sum(FONT if ord(char) >= 0x2E80 else 0.64 * FONT for char in label)


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in viewBox units
    label: str
    # Where the label's middle is drawn, if not at the tick: moved in just enough to be whole
    # when the tick is near the picture's edge (an SVG cuts off what falls outside it).
    label_at: float | None = None

    @property
    def label_x(self) -> float:
        return self.at if self.label_at is None else self.label_at


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
    left: int = MARGIN["left"]  # where the plot starts: after the widest y label

    @property
    def plot_left(self) -> int:
        return self.left

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
    upper, base = MARGIN["top"], HEIGHT - MARGIN["bottom"]

    def y(value: float) -> float:
        return round(base - (base - upper) * value / top, 1)

    # The limit's label sits 4 units above its line: a step more when it would reach the top.
    while limit is not None and y(limit) - 4 - FONT < 0:
        top += step
    y_values = range(0, top + 1, step)
    widest = max(text_width(str(value)) for value in y_values)
    left, right = max(MARGIN["left"], math.ceil(widest) + GAP + 2), WIDTH - MARGIN["right"]

    def x(day: datetime.date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

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
        x_ticks=[_x_tick(x(day), label) for day, label in _time_marks(first, last_day)],
        y_ticks=[Tick(y(value), str(value)) for value in y_values],
        limit_y=y(limit) if limit is not None else None,
        limit_label=limit_label,
        left=left,
    )


def _x_tick(at: float, label: str) -> Tick:
    """A time mark, its label moved inside the picture (1 unit from its edge) if need be."""
    half = text_width(label) / 2
    label_at = round(min(max(at, half + 1), WIDTH - 1 - half), 1)
    return Tick(at, label, label_at if label_at != at else None)


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
