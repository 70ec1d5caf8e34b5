"""Scoring outcome measures and reading change from them: no HTTP, and no queries of
their own (the series are built from responses fetched with
`MeasureResponse.objects.in_episodes_of(...).for_charts()`).

A score is worked out from the items the patient answered; an item left blank does
not count as zero (the mean and percentage use the answered items only; a sum with a
missing item is not comparable with a full one, so it is empty).

Change is read against the minimal clinically important difference (MCID): the first
scored visit of an episode of care is the baseline, and each later score is improved,
worse or no important change by the measure's MCID.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from intake.models.measures import Measure, MeasureResponse, Scoring

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ItemScale:
    scale_min: int
    scale_max: int


def score(
    *, scoring: str, values: Sequence[int | None], scales: Sequence[ItemScale]
) -> Decimal | None:
    """The measure's score from each item's answer (None: not answered), or None when
    nothing usable was answered."""
    answered = [
        (value, scale) for value, scale in zip(values, scales, strict=True) if value is not None
    ]
    if not answered:
        return None
    total = Decimal(sum(value for value, _ in answered))
    if scoring == Scoring.SUM:
        if len(answered) < len(values):
            return None
        result = total
    elif scoring == Scoring.MEAN:
        result = total / len(answered)
    elif scoring == Scoring.PERCENT:
        lowest = sum(scale.scale_min for _, scale in answered)
        span = sum(scale.scale_max - scale.scale_min for _, scale in answered)
        result = (total - lowest) * 100 / span
    else:
        raise ValueError(f"Unknown scoring {scoring!r}")
    return result.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


class Verdict(StrEnum):
    IMPROVED = "improved"
    WORSE = "worse"
    NO_IMPORTANT_CHANGE = "no important change"


def points(value: Decimal) -> str:
    """A score as clinicians say it: 2, 2.5, 6.33 (no trailing zeros)."""
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", ""} else text


@dataclass(frozen=True)
class Change:
    """How a score moved from the baseline to the latest visit, and whether it matters."""

    verdict: Verdict
    difference: Decimal  # latest minus baseline, in the score's units
    mcid: Decimal

    @property
    def important(self) -> bool:
        return self.verdict is not Verdict.NO_IMPORTANT_CHANGE

    def signed(self) -> str:
        """The difference with its sign, e.g. +3 or -1.5 (0 for none)."""
        return f"+{points(self.difference)}" if self.difference > 0 else points(self.difference)

    def describe(self) -> str:
        """In words, e.g. "improved by 3 points (the MCID is 2)"."""
        size = points(abs(self.difference))
        unit = "point" if abs(self.difference) == 1 else "points"
        mcid = f"the MCID is {points(self.mcid)}"
        if self.verdict is Verdict.NO_IMPORTANT_CHANGE:
            if self.difference == 0:
                return f"no change ({mcid})"
            return f"no important change: {size} {unit}, less than the MCID of {points(self.mcid)}"
        return f"{self.verdict} by {size} {unit} ({mcid})"


def change(*, baseline: Decimal, latest: Decimal, mcid: Decimal, higher_is_better: bool) -> Change:
    """Whether the patient improved, got worse or did not change importantly, and by how much.

    A change of exactly the MCID counts as important: the MCID is defined as the smallest
    change that matters to patients, so reaching it is enough. Which way is better comes
    from the measure (function scales go up as patients improve, pain goes down).
    """
    difference = latest - baseline
    if abs(difference) < mcid:
        verdict = Verdict.NO_IMPORTANT_CHANGE
    elif (difference > 0) == higher_is_better:
        verdict = Verdict.IMPROVED
    else:
        verdict = Verdict.WORSE
    return Change(verdict=verdict, difference=difference, mcid=mcid)


@dataclass(frozen=True)
class Point:
    """One visit's score in a series; `score` is None when the patient left it blank."""

    appointment_id: int
    visit_start: datetime
    first_visit: bool
    score: Decimal | None

    @property
    def score_text(self) -> str:
        return "not answered" if self.score is None else points(self.score)


@dataclass(frozen=True)
class Row:
    """A line of the table beside a chart: the visit, its score and the change so far."""

    point: Point
    change: Change | None


@dataclass(frozen=True)
class Series:
    """One patient's scores on one measure, or on one activity they named for the PSFS,
    over the visits of one episode of care, in visit order."""

    measure_name: str
    activity: str  # the activity the patient named, or "" for the measure's score
    scale_min: Decimal
    scale_max: Decimal
    mcid: Decimal
    higher_is_better: bool
    points: tuple[Point, ...]
    # For a measure whose items the patient names (the PSFS): each visit's rating per
    # activity (by appointment, then activity key), so a change compares only the
    # activities rated at both visits, never an average over different ones.
    ratings: Mapping[int, Mapping[str, Decimal]] | None = field(
        default=None, compare=False, hash=False
    )

    @property
    def title(self) -> str:
        return f"{self.measure_name}: {self.activity}" if self.activity else self.measure_name

    @property
    def scored(self) -> list[Point]:
        return [point for point in self.points if point.score is not None]

    @property
    def baseline(self) -> Point | None:
        """The first visit with a score: every later score is compared with it."""
        scored = self.scored
        return scored[0] if scored else None

    @property
    def latest(self) -> Point | None:
        """The last visit with a score, when there is one after the baseline."""
        scored = self.scored
        return scored[-1] if len(scored) > 1 else None

    def compared(self, point: Point) -> tuple[Decimal, Decimal, int] | None:
        """(baseline, this visit, how many activities) on the like-for-like footing: the
        scores themselves, or for named activities the means over those rated both times."""
        baseline = self.baseline
        if baseline is None or baseline.score is None or point.score is None or point is baseline:
            return None
        if self.ratings is None:
            return baseline.score, point.score, 0
        before = self.ratings.get(baseline.appointment_id, {})
        after = self.ratings.get(point.appointment_id, {})
        both = [key for key in before if key in after]
        if not both:
            return None
        return _mean(before[key] for key in both), _mean(after[key] for key in both), len(both)

    def change_at(self, point: Point) -> Change | None:
        compared = self.compared(point)
        if compared is None:
            return None
        before, after, _ = compared
        return change(
            baseline=before, latest=after, mcid=self.mcid, higher_is_better=self.higher_is_better
        )

    def change(self) -> Change | None:
        """From the baseline to the latest visit; None with fewer than two scores."""
        latest = self.latest
        return self.change_at(latest) if latest else None

    def rows(self) -> list[Row]:
        return [Row(point=point, change=self.change_at(point)) for point in self.points]

    def summary(self) -> str:
        """The change in one sentence, for the chart's accessible name and the table."""
        visits = f"{len(self.points)} visit{'s' if len(self.points) != 1 else ''}"
        baseline, latest, moved = self.baseline, self.latest, self.change()
        if baseline is None or baseline.score is None:
            return f"{self.title}, {visits}: not answered yet."
        if latest is None or latest.score is None or moved is None:
            start = points(baseline.score)
            return f"{self.title}, {visits}: {start} at the start, no later score yet."
        important = "yes" if moved.important else "no"
        before, after, count = self.compared(latest) or (baseline.score, latest.score, 0)
        over = ""
        if self.ratings is not None:
            activities = "activities" if count != 1 else "activity"
            over = f" Compared over the {count} {activities} rated both times."
        return (
            f"{self.title}, {visits}: from {points(before)} to {points(after)}, "
            f"{moved.describe()}. Clinically important change: {important}.{over}"
        )


@dataclass(frozen=True)
class Episode:
    """An episode of care: the first-visit form's scores and its follow-ups', per measure."""

    started: datetime
    series: tuple[Series, ...]


def score_range(measure: Measure) -> tuple[Decimal, Decimal]:
    """The lowest and highest score a measure can give: a chart's y axis.

    Reads `measure.items.all()`, so prefetch the items when charting many responses.
    """
    items = list(measure.items.all())
    if measure.scoring == Scoring.PERCENT or not items:
        return Decimal(0), Decimal(100)
    if measure.scoring == Scoring.SUM:
        # Patient-named items are all rated on the one item's scale, up to max_items times.
        scales = items * measure.max_items if measure.patient_names_items else items
        return (
            Decimal(sum(item.scale_min for item in scales)),
            Decimal(sum(item.scale_max for item in scales)),
        )
    return (
        Decimal(min(item.scale_min for item in items)),
        Decimal(max(item.scale_max for item in items)),
    )


def episodes(*, responses: Iterable[MeasureResponse]) -> list[Episode]:
    """Group responses (from `MeasureResponse.objects.in_episodes_of(...).for_charts()`)
    into episodes of care, oldest first, each with a series per measure in the clinic's
    order and, for a measure whose items the patient names (the PSFS), one per activity.

    Activities are matched by name, ignoring case and spaces at the ends, since the
    follow-up form repeats the names the patient typed at the start.
    """
    by_episode: dict[int, list[MeasureResponse]] = {}
    for response in sorted(responses, key=lambda r: r.previsit.appointment.start):
        previsit = response.previsit
        by_episode.setdefault(previsit.episode_id or previsit.pk, []).append(response)
    result = [
        Episode(
            started=grouped[0].previsit.appointment.start,
            series=tuple(_series_of_episode(grouped)),
        )
        for grouped in by_episode.values()
    ]
    return sorted(result, key=lambda episode: episode.started)


def _series_of_episode(responses: list[MeasureResponse]) -> list[Series]:
    by_measure: dict[int, list[MeasureResponse]] = {}
    for response in responses:
        by_measure.setdefault(response.measure_id, []).append(response)
    ordered = sorted(
        by_measure.values(), key=lambda rs: (rs[0].measure.position, rs[0].measure.name)
    )
    series = []
    for measure_responses in ordered:
        measure = measure_responses[0].measure
        low, high = score_range(measure)
        common: dict[str, Any] = {
            "measure_name": measure.name,
            "mcid": measure.mcid,
            "higher_is_better": measure.higher_is_better,
        }
        series.append(
            Series(
                activity="",
                scale_min=low,
                scale_max=high,
                points=tuple(_point(r, r.score) for r in measure_responses),
                ratings=_ratings(measure_responses) if measure.patient_names_items else None,
                **common,
            )
        )
        if measure.patient_names_items:
            series.extend(_activity_series(measure, measure_responses, common))
    return series


def _activity_series(
    measure: Measure, responses: list[MeasureResponse], common: dict
) -> list[Series]:
    items = list(measure.items.all())
    # Each named activity is rated on the measure's one item's scale.
    low = Decimal(min((item.scale_min for item in items), default=0))
    high = Decimal(max((item.scale_max for item in items), default=10))
    names: dict[str, str] = {}  # matching key -> the name as first typed
    visits: dict[str, list[Point]] = {}
    for response in responses:
        for answer in response.answers if isinstance(response.answers, list) else []:
            label = str(answer.get("label") or "").strip() if isinstance(answer, dict) else ""
            if not label:
                continue
            key = " ".join(label.casefold().split())
            names.setdefault(key, label)
            value = answer.get("value")
            rated = type(value) is int  # not a bool or a string: a blank stays blank
            visits.setdefault(key, []).append(_point(response, Decimal(value) if rated else None))
    return [
        Series(activity=names[key], scale_min=low, scale_max=high, points=tuple(seen), **common)
        for key, seen in visits.items()
    ]


def activity_key(label: str) -> str:
    """Activities match by name, ignoring case and spaces: the follow-up repeats the names."""
    return " ".join(label.casefold().split())


def _rated(answer: object) -> tuple[str, Decimal] | None:
    """(activity key, rating) of one stored answer, or None when unnamed or unrated."""
    if not isinstance(answer, dict):
        return None
    label = str(answer.get("label") or "").strip()
    value = answer.get("value")
    if not label or type(value) is not int:  # not a bool or a string: a blank stays blank
        return None
    return activity_key(label), Decimal(value)


def _ratings(responses: list[MeasureResponse]) -> dict[int, dict[str, Decimal]]:
    ratings: dict[int, dict[str, Decimal]] = {}
    for response in responses:
        answers = response.answers if isinstance(response.answers, list) else []
        rated = dict(filter(None, (_rated(answer) for answer in answers)))
        ratings[response.previsit.appointment_id] = rated
    return ratings


def _mean(values: Iterable[Decimal]) -> Decimal:
    values = list(values)
    return sum(values, Decimal(0)) / len(values)


def _point(response: MeasureResponse, score: Decimal | None) -> Point:
    previsit = response.previsit
    return Point(
        appointment_id=previsit.appointment_id,
        visit_start=previsit.appointment.start,
        first_visit=previsit.episode_id is None,
        score=score,
    )
