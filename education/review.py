"""Clinical review: a clinician vouches that guides, protocols or exercises are still right.

The reviewer's name and the date come from their login and the clock, never from a typed
field, so "Reviewed by" on the public page is always someone who actually pressed it.
An exercise is published only with such a review: the starter library arrives as drafts
written for the clinic, and a clinician signs each one off as it goes live.
"""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from education.models import ExerciseQuerySet, ReviewedQuerySet, Status


def reviewer_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def mark_reviewed(*, rows: ReviewedQuerySet, by: User, now: datetime.datetime | None = None) -> int:
    """Record `by` as the reviewer of `rows` today; the public pages show it at once."""
    return rows.update(
        reviewed_by=reviewer_name(by),
        reviewed_on=timezone.localdate(now or timezone.now()),
        changed_since_review=False,
    )


def review_and_publish(
    *, rows: ExerciseQuerySet, by: User, now: datetime.datetime | None = None
) -> int:
    """Publish exercises as reviewed by `by` today: from now on patients see them."""
    return rows.update(
        status=Status.PUBLISHED,
        reviewed_by=reviewer_name(by),
        reviewed_on=timezone.localdate(now or timezone.now()),
        changed_since_review=False,
    )
