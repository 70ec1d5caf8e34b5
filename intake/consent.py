"""Consent texts change; what a patient agreed to never does.

A version that anyone has signed is frozen: saving an edit of it makes the next version
(which `ConsentText.objects.current()` then gives new patients), and the signed row keeps
the words its signatures point at. A version nobody has signed yet may be corrected in
place, so a typo fixed the same morning does not leave a trail of versions.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from intake.models import ConsentText


def save_consent_text(*, text: ConsentText, edited_by: AbstractBaseUser) -> ConsentText:
    """Save a staff member's new or edited text and return the row that holds it: `text`
    itself, which becomes a new version (a new row) when the one edited has signatures.

    The edited row is locked while deciding: on PostgreSQL a signature being written
    for it waits (its foreign key takes a share lock), so a text cannot be corrected in
    place at the moment someone signs it.
    """
    with transaction.atomic():
        if text.pk is None:
            return _as_next_version(text, edited_by)
        stored = ConsentText.objects.select_for_update().get(pk=text.pk)
        if (stored.title, stored.body) == (text.title, text.body):
            return text
        if stored.signatures.exists():
            return _as_next_version(text, edited_by)
        text.save(update_fields=["title", "body"])
        return text


def _as_next_version(text: ConsentText, edited_by: AbstractBaseUser) -> ConsentText:
    # Locking the kind's versions makes two editors saving at once take turns, so each
    # gets its own number rather than one failing on the unique version.
    versions = ConsentText.objects.select_for_update().filter(kind=text.kind)
    text.pk = None
    text._state.adding = True  # Django's documented way to save a copy as a new row
    text.version = max(versions.values_list("version", flat=True), default=0) + 1
    text.created_by = edited_by
    text.save()
    return text
