"""Consent texts change; what a patient agreed to never does.

A version that anyone has signed is frozen: saving an edit of it makes the next version
(which `ConsentText.objects.current()` then gives new patients), and the signed row keeps
the words its signatures point at. A version nobody has signed yet may be corrected in
place, so a typo fixed the same morning does not leave a trail of versions.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.text import normalize_newlines

from intake.models import ConsentText


def save_consent_text(*, text: ConsentText, edited_by: User) -> ConsentText:
    """Save a staff member's new or edited text and return the row that holds it: `text`
    itself, which becomes a new version (a new row) when the one edited has signatures.

    Every version of the kind is locked while deciding, in one order for everyone, so
    two editors saving at once take turns (each gets its own number) without
    deadlocking; and on PostgreSQL a signature being written for the edited version
    waits (its foreign key takes a share lock), so a text is never corrected in place at
    the moment someone signs it.
    """
    # Browsers send a text box's lines ended by CR LF; compared as sent, saving a signed
    # text unchanged would make a new version of the same words.
    text.body = normalize_newlines(text.body)
    with transaction.atomic():
        versions = ConsentText.objects.select_for_update().filter(kind=text.kind).order_by("pk")
        stored = {version.pk: version for version in versions}.get(text.pk)
        if stored is None:
            return _as_next_version(text, edited_by)
        if (stored.title, stored.body) == (text.title, text.body):
            return text
        if stored.signatures.exists():
            return _as_next_version(text, edited_by)
        text.save(update_fields=["title", "body"])
        return text


def _as_next_version(text: ConsentText, edited_by: User) -> ConsentText:
    # Read afresh after the locks: on PostgreSQL this sees a version another editor
    # committed while this one waited.
    newest = ConsentText.objects.filter(kind=text.kind).aggregate(newest=Max("version"))
    text.pk = None
    text._state.adding = True  # Django's documented way to save a copy as a new row
    text.version = (newest["newest"] or 0) + 1
    text.created_by = edited_by
    text.save()
    return text
