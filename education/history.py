"""Restoring an earlier version of a guide or protocol: its own fields and the parts it had then.

django-simple-history records every save of a guide and of each of its parts (signs,
reassurances and takeaways, which are GuidePoints, and tips), every save of a protocol and
of each of its steps (ProtocolExercise), and with each save of a guide its categories. A
"version" in a history is one save of the guide or protocol row; what patients read after
that save is the row plus its parts as they stood until the row was next saved. The admin
saves the row before its inlines and categories, so the parts edited in the same save are
recorded just after the row's record and before the next one: the parts of a version are
the parts as of the next version's time (or now, for the latest), and its categories are
those recorded with the next version (models.GuideHistory).

The row, and a guide's categories (a field of its form), are restored by simple-history's
own "Revert" form, which the clinician may adjust before saving; `restore_parts` then
brings back the parts in the same transaction.

Parts point at rows outside them: a guide's tip at a protocol's step (for its exercise and
dose), a step at an exercise. A row whose step or exercise has since been deleted cannot come
back; it is left out and named, and its current row, if any, stays as it is. A step the
version did not have is removed, unless a guide's tip still uses it (the tip would lose its
dose): it stays and is named. A step that comes back keeps its id, so restoring a guide's
version whose tip used it brings that tip back too.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Min, prefetch_related_objects
from django.utils import timezone

from education.models import (
    Category,
    Exercise,
    Guide,
    GuidePoint,
    PointKind,
    Protocol,
    ProtocolExercise,
    Tip,
)

# Written by migrations 0011 and 0012 on the first records of the parts that existed then.
HISTORY_STARTED = "Before history was kept"
# Written by migration 0012 on a version of each guide that existed then: the first to
# record its categories.
CATEGORIES_STARTED = "Categories recorded from here on"


@dataclass(frozen=True)
class Part:
    """A kind of row a guide or protocol is made of, recorded and restored with it."""

    name: str
    model: type[Any]  # a model simple-history records (its `history` is added at run time)
    owner: str  # its foreign key to the guide or protocol
    needs: str = ""  # a foreign key to a row outside it that must exist for it to come back
    used_by: str = ""  # rows outside it that point at it and stop it being removed


PARTS: dict[type[models.Model], tuple[Part, ...]] = {
    Guide: (Part("points", GuidePoint, "guide"), Part("tips", Tip, "guide", needs="step")),
    Protocol: (Part("steps", ProtocolExercise, "protocol", needs="exercise", used_by="tips"),),
}


def _row(record: Any) -> Any:
    """The part as this record saw it (without simple-history's query for excluded fields)."""
    fields = {field.attname: getattr(record, field.attname) for field in record.tracked_fields}
    return record.instance_type(**fields)


def _started(model: type[Any], reason: str) -> datetime.datetime | None:
    """When the model's history began, from its first records; None if all saves are recorded."""
    first_records = model.history.filter(history_change_reason=reason)
    return first_records.aggregate(start=Min("history_date"))["start"]


class Recorded:
    """Every recorded save of one kind of part of one guide or protocol, oldest first."""

    def __init__(self, part: Part, owner_id: int) -> None:
        self.part = part
        self.records = list(
            part.model.history.filter(**{f"{part.owner}_id": owner_id}).order_by(
                "history_date", "history_id"
            )
        )

    def at(self, when: datetime.datetime) -> list[Any]:
        """The rows as they stood at `when`, in reading order."""
        latest = {}
        for record in self.records:
            if record.history_date > when:
                break
            latest[record.id] = record
        rows = [_row(record) for record in latest.values() if record.history_type != "-"]
        return sorted(rows, key=lambda row: (row.order, row.pk))


@dataclass(frozen=True)
class VersionParts:
    """What a guide or protocol was made of at one version, in reading order.

    `rows` (points, tips or steps by name) is None when the version is older than the
    parts' history, `categories` when it is older than theirs (or for a protocol): nobody
    knows what they were.
    """

    rows: dict[str, list[Any]] | None
    categories: list[Category] | None = None

    def of_kind(self, kind: str) -> list[GuidePoint]:
        return [point for point in (self.rows or {}).get("points", []) if point.kind == kind]

    def signs(self) -> list[GuidePoint]:
        return self.of_kind(PointKind.SIGN)

    def reassurances(self) -> list[GuidePoint]:
        return self.of_kind(PointKind.REASSURANCE)

    def takeaways(self) -> list[GuidePoint]:
        return self.of_kind(PointKind.TAKEAWAY)

    def tips(self) -> list[Tip]:
        return (self.rows or {}).get("tips", [])

    def steps(self) -> list[ProtocolExercise]:
        return (self.rows or {}).get("steps", [])


class History:
    """One guide's or protocol's recorded versions and parts, read in a fixed number of queries.

    `versions` are oldest first; `at(version)` says what any of them was made of.
    """

    def __init__(self, model: type[Any], owner_id: int) -> None:
        self.versions = list(
            model.history.filter(id=owner_id)
            .order_by("history_date", "history_id")
            .only("id", "history_id", "history_date", "history_change_reason")
        )
        self.parts = [Recorded(part, owner_id) for part in PARTS[model]]
        starts = [_started(part.model, HISTORY_STARTED) for part in PARTS[model]]
        # None when every part ever saved was recorded.
        self.parts_started = min(filter(None, starts), default=None)
        self.categories = _RecordedCategories(owner_id) if model is Guide else None
        self.now = timezone.now()
        self._index = {version.history_id: i for i, version in enumerate(self.versions)}

    def end_of(self, version) -> datetime.datetime:
        """When the version stopped being what patients read: the next save, or now."""
        later = self._next(version)
        return later.history_date if later else self.now

    def _next(self, version):
        later = self.versions[self._index[version.history_id] + 1 :]
        return later[0] if later else None

    def at(self, version) -> VersionParts:
        until = self.end_of(version)
        if self.parts_started is not None and until < self.parts_started:
            rows = None
        else:
            rows = {recorded.part.name: recorded.at(until) for recorded in self.parts}
        categories = self.categories.of(self._next(version)) if self.categories else None
        return VersionParts(rows=rows, categories=categories)

    def each(self) -> list[tuple[Any, VersionParts]]:
        """Every version with what it was made of, oldest first."""
        return [(version, self.at(version)) for version in self.versions]


class _RecordedCategories:
    """A guide's categories as recorded with each of its versions (models.GuideHistory)."""

    def __init__(self, guide_id: int) -> None:
        recorded = Guide.history.model.categories.model.objects.filter(guide_id=guide_id)
        self.by_version: dict[int, list[Category]] = {}
        for row in recorded.select_related("category"):
            if row.category is not None:  # None: the category was deleted since
                self.by_version.setdefault(row.history_id, []).append(row.category)
        self.current = list(Category.objects.filter(guides=guide_id))
        self.started = _started(Guide, CATEGORIES_STARTED)

    def of(self, next_version) -> list[Category] | None:
        """The categories of the version before `next_version` (None: the latest's, now's)."""
        if next_version is None:
            return self.current
        if self.started is not None and next_version.history_date < self.started:
            return None
        return sorted(self.by_version.get(next_version.history_id, []), key=str)


def exercise_names(ids: set[int]) -> dict[int, str]:
    """Exercises' names by id, also of exercises deleted since (their last recorded name)."""
    names = dict(Exercise.objects.filter(pk__in=ids).values_list("pk", "name"))
    if gone := set(ids) - set(names):
        recorded = Exercise.history.filter(id__in=gone).order_by("history_date", "history_id")
        names.update(recorded.values_list("id", "name"))  # the latest record wins
    return names


def parts_at(version) -> VersionParts:
    """What the guide or protocol was made of at this version of its history."""
    return History(version.instance_type, version.id).at(version)


def categories_at(version) -> list[Category] | None:
    """A guide's categories at this version of its history; None when not known."""
    return parts_at(version).categories


@dataclass(frozen=True)
class Restored:
    """What restoring a version's parts did, or would do.

    `parts_known` is False when the version is older than its parts' history; then nothing
    is done. `left_out`: the version's rows that could not come back, as their step or
    exercise is gone. `kept`: rows the version did not have that stay, each with the rows
    still using it.
    """

    parts: VersionParts
    back: dict[str, list[Any]] = field(default_factory=dict)
    left_out: list[Any] = field(default_factory=list)
    kept: list[tuple[Any, list[Any]]] = field(default_factory=list)

    @property
    def parts_known(self) -> bool:
        return self.parts.rows is not None


def plan_restore(*, owner: Guide | Protocol, version) -> Restored:
    """What restore_parts would do: shown on the revert page before anyone presses Revert."""
    parts = parts_at(version)
    if parts.rows is None:
        return Restored(parts=parts)
    back, left_out, kept = {}, [], []
    for part in PARTS[type(owner)]:
        rows = parts.rows[part.name]
        missing = _missing_needs(part, rows)
        back[part.name] = [row for row in rows if row.pk not in missing]
        if part.needs:  # the revert page names each step's exercise
            prefetch_related_objects(back[part.name], part.needs)
        left_out += [row for row in rows if row.pk in missing]
        if part.used_by:
            added_since = part.model.objects.filter(**{part.owner: owner}).exclude(
                pk__in=[row.pk for row in rows]
            )
            kept += _in_use(part, added_since)
    return Restored(parts=parts, back=back, left_out=left_out, kept=kept)


def _missing_needs(part: Part, rows: list[Any]) -> set[int]:
    """The rows (their ids) whose step or exercise has been deleted since."""
    if not part.needs:
        return set()
    target = part.model._meta.get_field(part.needs)
    ids = {getattr(row, target.attname) for row in rows}
    existing = set(target.related_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return {row.pk for row in rows if getattr(row, target.attname) not in existing}


def _in_use(part: Part, rows: models.QuerySet) -> list[tuple[models.Model, list[Any]]]:
    """The rows something outside still points at, which may not be deleted, with those users."""
    relation = part.model._meta.get_field(part.used_by)  # e.g. a step's tips
    users = relation.related_model.objects.filter(**{f"{relation.field.name}__in": rows})
    by_row: dict[int, list[Any]] = {}
    for user in users.select_related(_part_of(relation.related_model).owner):  # a tip's guide
        by_row.setdefault(getattr(user, relation.field.attname), []).append(user)
    return [(row, by_row[row.pk]) for row in rows if row.pk in by_row]


def _part_of(model: type[models.Model]) -> Part:
    return next(part for parts in PARTS.values() for part in parts if part.model is model)


def restore_parts(*, owner: Guide | Protocol, version) -> Restored:
    """Make the parts of `owner` what they were at `version` (a record of its history).

    Rows added since are deleted (unless still in use), rows deleted since come back with
    their own id, the rest get their old text, dose and order. Each write is recorded in
    the history, like an edit, and moves the content version on with it.
    """
    plan = plan_restore(owner=owner, version=version)
    if not plan.parts_known or plan.parts.rows is None:
        return plan
    reason = f"Restored with the {owner._meta.verbose_name}"
    with transaction.atomic():
        for part in PARTS[type(owner)]:
            # A row that cannot come back keeps its current row, if it still has one.
            wanted = [row.pk for row in plan.parts.rows[part.name]]
            wanted += [row.pk for row, _ in plan.kept if isinstance(row, part.model)]
            part.model.objects.filter(**{part.owner: owner}).exclude(pk__in=wanted).delete()
            for row in plan.back[part.name]:
                row._change_reason = reason
                row.save()
        if isinstance(owner, Guide):
            owner.renumber_parts()
    return plan
