"""Restoring an earlier version of a guide: its own fields and the parts it had then.

django-simple-history records every save of a guide, of each of its signs, reassurances
and takeaways (GuidePoint) and of each tip. A "version" in the guide's history is one
save of the guide row; what patients read after that save is the row plus its parts as
they stood until the guide was next saved. The admin saves the guide before its inlines,
so the parts edited in the same save are recorded just after the guide's record and
before the next one: the parts of a version are the parts as of the next version's time
(or now, for the latest).

The guide's row is restored by simple-history's own "Revert" form (the clinician may
adjust it before saving); `restore_parts` then brings back the parts in the same
transaction. A tip whose exercise has since been taken out of its protocol cannot come
back (the tip needs that dose); it is left out and named, and any other tip stays as it is.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from education.models import Guide, GuidePoint, PointKind, ProtocolExercise, Tip

# Written by migration 0011 on the records it made of the parts that existed then.
HISTORY_STARTED = "Before history was kept"


@dataclass(frozen=True)
class GuideParts:
    """A guide's signs, reassurances, takeaways and tips at one version, in reading order."""

    points: list[GuidePoint] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[GuidePoint]:
        return [point for point in self.points if point.kind == kind]

    def signs(self) -> list[GuidePoint]:
        return self.of_kind(PointKind.SIGN)

    def reassurances(self) -> list[GuidePoint]:
        return self.of_kind(PointKind.REASSURANCE)

    def takeaways(self) -> list[GuidePoint]:
        return self.of_kind(PointKind.TAKEAWAY)


def _end_of(version) -> datetime.datetime:
    """When the version stopped being what patients read: the guide's next save, or now."""
    later = (
        Guide.history.filter(id=version.id, history_date__gt=version.history_date)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return later or timezone.now()


def _parts_history_started() -> datetime.datetime | None:
    """When parts were first recorded; None when every part ever saved was recorded."""
    starts = [
        model.history.filter(history_change_reason=HISTORY_STARTED).aggregate(
            start=Min("history_date")
        )["start"]
        for model in (GuidePoint, Tip)
    ]
    return min(filter(None, starts), default=None)


def parts_at(version) -> GuideParts | None:
    """The parts the guide had at this version of its history (a HistoricalGuide).

    None when the version is older than the parts' history, so nobody knows what they were.
    """
    until = _end_of(version)
    started = _parts_history_started()
    if started is not None and until < started:
        return None
    return GuideParts(
        points=list(
            GuidePoint.history.as_of(until).filter(guide_id=version.id).order_by("order", "id")
        ),
        tips=list(Tip.history.as_of(until).filter(guide_id=version.id).order_by("order", "id")),
    )


@dataclass(frozen=True)
class Restored:
    """What restore_parts did: whether the parts were known; tips it could not bring back."""

    parts_known: bool
    tips_left_out: list[Tip] = field(default_factory=list)


def restore_parts(*, guide: Guide, version) -> Restored:
    """Make the guide's points and tips what they were at `version` (a HistoricalGuide).

    Rows added since are deleted, rows deleted since come back with their own id, the rest
    get their old text and order. Each write is recorded in the history, like an edit.
    """
    parts = parts_at(version)
    if parts is None:
        return Restored(parts_known=False)
    existing_steps = set(
        ProtocolExercise.objects.filter(pk__in={tip.step_id for tip in parts.tips}).values_list(
            "pk", flat=True
        )
    )
    tips = [tip for tip in parts.tips if tip.step_id in existing_steps]
    left_out = [tip for tip in parts.tips if tip.step_id not in existing_steps]
    with transaction.atomic():
        guide.points.exclude(pk__in=[point.pk for point in parts.points]).delete()
        # A tip that cannot come back keeps its current row, if it still has one.
        guide.tips.exclude(pk__in=[tip.pk for tip in parts.tips]).delete()
        for row in [*parts.points, *tips]:
            row._change_reason = "Restored with the guide"
            row.save()
        guide.renumber_parts()
    return Restored(parts_known=True, tips_left_out=left_out)
