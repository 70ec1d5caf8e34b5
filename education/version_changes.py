"""What each version of a guide or protocol changed in its parts, in plain words.

simple-history's History list shows the changes to the row's own fields. To find the
version to go back to, a clinician also needs "Tip changed: ...", "Sign added: ...",
"Step removed: Step-down" and "Categories: added Running". Everything is read through
education.history.History, so the page costs the same few queries however many versions
the history holds.
"""

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from education.history import History, VersionParts, exercise_names
from education.models import Category, PointKind, ProtocolExercise, Tip

# Each starts a line of the History list: shorter than the kinds' own labels.
LABELS = {
    PointKind.SIGN: "Sign",
    PointKind.REASSURANCE: "Reassurance note",
    PointKind.TAKEAWAY: "Key takeaway",
    "tips": "Tip",
    "steps": "Step",
}


@dataclass(frozen=True)
class Change:
    """One line of a version's changes: "Step removed" and "Step-down"."""

    what: str
    detail: str = ""


def changes_by_version(model: type[Any], owner_id: int) -> dict[int, list[Change]]:
    """Each version's changes to its parts (by history_id); the first version has none."""
    history = History(model, owner_id)
    exercises = {
        record.exercise_id
        for recorded in history.parts
        if recorded.part.model is ProtocolExercise
        for record in recorded.records
    }
    words = _Words(exercise_names(exercises))
    return {
        version.history_id: [
            *_category_changes(before.categories, after.categories),
            *_part_changes(before, after, words),
        ]
        for (_, before), (version, after) in pairwise(history.each())
    }


def _category_changes(before: list[Category] | None, after: list[Category] | None) -> list[Change]:
    if before is None or after is None:  # older than their history: not known
        return []
    added = ", ".join(category.name for category in after if category not in before)
    removed = ", ".join(category.name for category in before if category not in after)
    said = [f"{verb} {names}" for verb, names in (("added", added), ("removed", removed)) if names]
    return [Change("Categories", "; ".join(said))] if said else []


class _Words:
    """How a line names a row: by its text, its advice or its exercise (and dose)."""

    def __init__(self, exercise_names: dict[int, str]) -> None:
        self.exercise_names = exercise_names

    def name(self, row: Any) -> str:
        if isinstance(row, ProtocolExercise):
            return self.exercise_names.get(row.exercise_id, "An exercise since deleted")
        if isinstance(row, Tip):
            return row.advice
        return row.text

    def in_full(self, row: Any) -> str:
        """The name, and for a step its dose: "Step-down: 3 sets of 10 reps"."""
        if isinstance(row, ProtocolExercise):
            return f"{self.name(row)}: {row.dose_text()}"
        return self.name(row)

    def change(self, old: Any, new: Any) -> str:
        """ "old → new"; a step that kept its exercise: "Step-down: old dose → new dose"."""
        before, after = self.in_full(old), self.in_full(new)
        if before == after:  # what changed is not shown here, e.g. a tip's explanation
            return after
        shared = f"{self.name(new)}: "
        if isinstance(new, ProtocolExercise) and before.startswith(shared):
            return f"{shared}{before.removeprefix(shared)} → {after.removeprefix(shared)}"
        return f"{before} → {after}"


def _part_changes(before: VersionParts, after: VersionParts, words: _Words) -> list[Change]:
    if before.rows is None or after.rows is None:  # older than the parts' history
        return []
    changes = []
    for name, rows in after.rows.items():
        old_lists, new_lists = _lists(name, before.rows[name]), _lists(name, rows)
        for label in {**old_lists, **new_lists}:
            changes += _list_changes(
                label, old_lists.get(label, []), new_lists.get(label, []), words
            )
    return changes


def _lists(name: str, rows: list[Any]) -> dict[str, list[Any]]:
    """The rows as patients meet them, one list per label: signs apart from takeaways."""
    lists: dict[str, list[Any]] = {}
    for row in rows:
        lists.setdefault(LABELS[row.kind if name == "points" else name], []).append(row)
    return lists


def _list_changes(label: str, old: list, new: list, words: _Words) -> list[Change]:
    was = {row.pk: row for row in old}
    now = {row.pk: row for row in new}
    changes = [Change(f"{label} removed", words.name(row)) for row in old if row.pk not in now]
    for row in new:
        if row.pk not in was:
            changes.append(Change(f"{label} added", words.name(row)))
        elif _content(row) != _content(was[row.pk]):
            changes.append(Change(f"{label} changed", words.change(was[row.pk], row)))
    if [pk for pk in was if pk in now] != [pk for pk in now if pk in was]:
        changes.append(Change(f"{label}s reordered"))
    return changes


def _content(row: Any) -> list[object]:
    """What patients read of the row: every recorded field but its position."""
    fields = type(row).history.model.tracked_fields
    return [getattr(row, field.attname) for field in fields if field.name != "order"]
