"""Clinical review: a clinician vouches that guides or protocols are still right.

The reviewer's name and the date come from their login and the clock, never from a typed
field, so "Reviewed by" on the public page is always someone who actually pressed it.
"""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from education.models import ReviewedQuerySet


def reviewer_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def mark_reviewed(*, rows: ReviewedQuerySet, by: User, now: datetime.datetime | None = None) -> int:
    """Record `by` as the reviewer of `rows` today; the public pages show it at once."""
    return rows.update(
        reviewed_by=reviewer_name(by),
        reviewed_on=timezone.localdate(now or timezone.now()),
        changed_since_review=False,
    )
