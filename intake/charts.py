"""A small line chart of one patient's scores, drawn as SVG on the server.

No chart library and no JavaScript: the admin's pages work without scripts, print, and
pass the CSP, and a handful of points needs only arithmetic. This module works out the
geometry; templates/admin/intake/measures/_chart.html draws it, with a table of the same
numbers beside it, since a chart alone tells a screen reader nothing.

Visits are evenly spaced along the x axis in visit order (labelled with their dates),
as on a paper progress chart: a clinician reads "visit by visit", and even spacing keeps
the labels of visits a few days apart from running into each other. The y axis is the
measure's whole scale, so a change looks as big as it is. The band is the baseline plus
and minus the MCID: a score inside it is no important change; on its edge or outside,
it is.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from intake.measures import Series, points

WIDTH = 560
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 52  # room for the y labels and the dates
MAX_DATE_LABELS = 8


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    score: str


@dataclass(frozen=True)
class Label:
    position: float  # x for a date, y for a score tick
    text: str


@dataclass(frozen=True)
class Band:
    top: float
    height: float
    label: str
    label_y: float


@dataclass(frozen=True)
class Chart:
    """The geometry of one series' chart, in SVG user units."""

    chart_id: str
    series: Series
    dots: tuple[Dot, ...]
    line: str  # the points of the polyline, "x,y x,y"
    band: Band | None
    y_ticks: tuple[Label, ...]
    dates: tuple[Label, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = HEIGHT - BOTTOM

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def direction(self) -> str:
        return "Higher is better" if self.series.higher_is_better else "Lower is better"


def outcome_chart(*, series: Series, chart_id: str) -> Chart:
    """The chart of `series`; `chart_id` makes its element ids unique on the page."""
    low, high = series.scale_min, series.scale_max
    span = (high - low) or Decimal(1)
    plot_height = HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        clamped = min(max(value, low), high)
        return round(TOP + float((high - clamped) / span) * plot_height, 1)

    step = (WIDTH - LEFT - RIGHT) / max(len(series.points), 1)
    xs = [round(LEFT + step * (index + 0.5), 1) for index in range(len(series.points))]
    dots = tuple(
        Dot(x=x, y=y(point.score), score=points(point.score))
        for x, point in zip(xs, series.points, strict=True)
        if point.score is not None
    )
    every = -(-len(xs) // MAX_DATE_LABELS)  # ceiling division: at most 8 dates fit
    dates = tuple(
        Label(position=x, text=_short_date(point.visit_start))
        for index, (x, point) in enumerate(zip(xs, series.points, strict=True))
        if index % every == 0 or index == len(xs) - 1
    )
    return Chart(
        chart_id=chart_id,
        series=series,
        dots=dots,
        line=" ".join(f"{dot.x},{dot.y}" for dot in dots),
        band=_band(series, y),
        y_ticks=tuple(Label(position=y(value), text=points(value)) for value in _ticks(low, high)),
        dates=dates,
    )


def _band(series: Series, y) -> Band | None:
    baseline = series.baseline
    if baseline is None or baseline.score is None:
        return None
    upper, lower = y(baseline.score + series.mcid), y(baseline.score - series.mcid)
    label = f"Baseline {points(baseline.score)} ± MCID {points(series.mcid)}"
    # The label sits inside the band's top edge, or just under it when the band is thin.
    return Band(top=upper, height=round(lower - upper, 1), label=label, label_y=upper + 13)


def _ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Round-numbered ticks, at most six, always including both ends of the scale."""
    span = high - low
    step = next(
        (Decimal(s) for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if span / s <= 5),
        span / 5,
    )
    ticks, value = [], low
    while value < high:
        ticks.append(value)
        value += step
    return [*ticks, high]


def _short_date(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local:%b} {local.day}"


# A home programme's pain and effort ratings (intake.programmes): the same drawing
# rules, a 0-10 scale, and days spaced by date (sessions are days, and gaps matter).


@dataclass(frozen=True)
class RatingLine:
    name: str
    css_class: str
    dots: tuple[Dot, ...]
    line: str


@dataclass(frozen=True)
class RatingsChart:
    chart_id: str
    lines: tuple[RatingLine, ...]
    y_ticks: tuple[Label, ...]
    dates: tuple[Label, ...]
    width: int = WIDTH
    height: int = 220
    left: int = LEFT
    right: float = WIDTH - RIGHT
    top: int = TOP
    bottom: float = 220 - 40


def ratings_chart(*, days: list, first, last, chart_id: str) -> RatingsChart:
    """`days`: (date, pain or None, effort or None), any order; x from `first` to `last`."""
    height, bottom_margin = 220, 40
    plot_height = height - TOP - bottom_margin
    span_days = max((last - first).days, 1)

    def x(day) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span_days, 1)

    def y(value: int) -> float:
        return round(TOP + (10 - value) / 10 * plot_height, 1)

    lines = []
    for index, (name, css_class) in enumerate((("Pain", "pain"), ("Effort", "effort")), start=1):
        dots = tuple(
            Dot(x=x(row[0]), y=y(row[index]), score=str(row[index]))
            for row in sorted(days, key=lambda row: row[0])
            if row[index] is not None and first <= row[0] <= last
        )
        lines.append(RatingLine(name, css_class, dots, " ".join(f"{d.x},{d.y}" for d in dots)))
    last_index = (last - first).days
    step = max(1, last_index // 6)
    dates = tuple(
        Label(position=x(first + timedelta(days=n)), text=_day_label(first + timedelta(days=n)))
        for n in range(0, last_index + 1, step)
    )
    return RatingsChart(
        chart_id=chart_id,
        lines=tuple(lines),
        y_ticks=tuple(Label(position=y(v), text=str(v)) for v in (0, 2, 4, 6, 8, 10)),
        dates=dates,
    )


def _day_label(day) -> str:
    return f"{day:%b} {day.day}"
