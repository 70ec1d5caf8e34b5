"""Scoring outcome measures: pure functions over plain values, no database.

A score is worked out from the items the patient answered; an item left blank does
not count as zero (the mean and percentage use the answered items only; a sum with a
missing item is not comparable with a full one, so it is empty).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from intake.models.measures import Scoring

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
