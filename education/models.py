"""Patient education: condition guides, their exercises, and home-exercise protocols."""

import calendar
import datetime
import mimetypes
import re
from typing import Any, Self

import psycopg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import InterfaceError, OperationalError, connections, models, transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from education import content_version, version_listener
from education.pictures import Picture, store_picture, upload_place
from education.rendering import render_markdown
from education.videos import store_captions, store_video


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (staff only)"
    PUBLISHED = "published", "Published"


class ContentVersionQuerySet(models.QuerySet):
    def current(self) -> str:
        """The number the public pages' copy is keyed by (education/page_cache.py).

        On PostgreSQL from what this process's listening connection vouches for
        (education/version_listener.py), else from Redis when the copies are shared there
        (education/content_version.py), else from the database. Inside a transaction
        always from the database: it may hold an edit nobody else can see yet.
        """
        if connections[self.db].in_atomic_block:
            return self._read(upcoming=False)[0]
        if (listening := version_listener.listener(self.db)) is not None:
            known = listening.known()
            if known.version is not None:
                return known.version
            if known.ticket is not None:
                version, next_publication = self._read(upcoming=True)
                listening.remember(version, next_publication, known.ticket)
                return version
        if shared := content_version.shared_version():
            return shared
        return self._from_database()

    def _from_database(self) -> str:
        """The version read from the database, and shared through Redis when copies are."""
        if not content_version.is_shared():
            return self._read(upcoming=False)[0]
        version, next_publication = self._read(upcoming=True)
        now = timezone.now()
        seconds = (next_publication - now).total_seconds() if next_publication else 3600
        content_version.share_version(version, seconds=seconds)
        return version

    def _read(self, *, upcoming: bool) -> tuple[str, datetime.datetime | None]:
        """The version, and with `upcoming` when the next scheduled guide goes live.

        Plain SQL because every anonymous page view may ask: the ORM would spend six times
        longer building this one-row query than the database spends answering it.
        """
        connection = connections[self.db]
        quote = connection.ops.quote_name
        versions, guides = quote(ContentVersion._meta.db_table), quote(Guide._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # A guide scheduled to go live changes pages without any save: the latest
        # publication time already passed is part of the version.
        columns = f"number, (SELECT MAX(publish_at) FROM {guides} WHERE publish_at <= %s)"
        params = [now]
        if upcoming:
            columns += f", (SELECT MIN(publish_at) FROM {guides} WHERE publish_at > %s)"
            params.append(now)
        sql = f"SELECT {columns} FROM {versions} WHERE id = %s"
        row = _query_as_health_check(connection, sql, [*params, ContentVersion.SINGLETON])
        if row is None:  # only after a flush (tests); the migration creates the row
            self.get_or_create(pk=ContentVersion.SINGLETON)
            return self._read(upcoming=upcoming)
        number, latest_publication = row[:2]  # datetimes, or text on SQLite
        version = f"{number}-" + "".join(filter(str.isalnum, str(latest_publication or "")))
        return version, _as_datetime(row[2]) if upcoming else None

    def bump(self) -> None:
        """Make every copied public page stale, for every worker and host at once.

        Called inside the transaction of the write it announces, so no visitor can see the
        new number before the new content, nor the new content under the old number. Once
        that transaction commits, PostgreSQL tells every listening worker, and the number
        kept in Redis moves on.
        """
        if not self.filter(pk=ContentVersion.SINGLETON).update(number=F("number") + 1):
            # Only after a flush (tests); the migration creates the row.
            self.get_or_create(pk=ContentVersion.SINGLETON)
        version_listener.notify(self.db)
        if content_version.is_shared():
            transaction.on_commit(self._from_database, using=self.db)


def _as_datetime(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """SQLite gives a sub-select's datetime back as text (UTC, as Django stores it)."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def _query_as_health_check(connection, sql: str, params: list) -> tuple | None:
    """One round trip where Django's connection health check would make it two.

    With CONN_MAX_AGE, Django checks a kept connection (`SELECT 1` on PostgreSQL) before a
    request's first query, so a database restarted since then is reconnected to instead of
    failing the request. Here the query itself is the check: if it fails because the
    connection is dead, the connection is closed and the query runs once more on a new one.
    A failure on a live connection (a statement timeout) is raised as it is.
    """
    check_pending = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if check_pending:
        connection.health_check_done = True
        try:
            return _fetch_one(connection, sql, params)
        except (OperationalError, InterfaceError):
            if connection.is_usable():
                raise
            connection.close()
    return _fetch_one(connection, sql, params)


class _PreparedCursor(psycopg.Cursor):
    """Sends its query's parameters apart from it and has PostgreSQL keep the plan.

    Django's cursors put the parameters into the SQL text on the client, so PostgreSQL
    parses and plans the version read anew on every request: measured per read, 120 us of
    the server's CPU and 90 us of the worker's, against 28 us and 38 us prepared
    (bench/README.md). Prepared once per connection, under a name only psycopg knows.
    """

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


# psycopg prepares only while its threshold is set; Django turns it off (for connection
# poolers in transaction mode). Set this high, no other query reaches it: Django's own
# cursors bind on the client, and those are never prepared whatever the threshold.
PREPARE_ONLY_WHEN_ASKED = 2**31


def _fetch_one(connection, sql: str, params: list) -> tuple | None:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = PREPARE_ONLY_WHEN_ASKED
    # Django's wrapper, as connection.cursor() gives: errors become Django's, tests and
    # debug logging see the query.
    connection.validate_thread_sharing()
    cursor = _PreparedCursor(raw)
    wrapped = (
        connection.make_debug_cursor(cursor)
        if connection.queries_logged
        else connection.make_cursor(cursor)
    )
    with wrapped:
        wrapped.execute(sql, params)
        return wrapped.fetchone()


class ContentVersion(models.Model):
    """One counter for all patient-facing content: any edit of it moves the number on.

    One number for everything (not one per guide) because pages show each other's
    content: a guide shows its protocol's exercises, a protocol lists its guides.
    Edits are rare, so dropping every copy on each one costs little.
    """

    SINGLETON = 1

    number = models.PositiveBigIntegerField(default=0, help_text="Moves on with every edit.")
    objects = ContentVersionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Content version {self.number}"


class ContentQuerySet(models.QuerySet):
    """Bulk writes (admin actions, bulk delete) reach the public at once, like single saves."""

    def update(self, **kwargs) -> int:
        with transaction.atomic(using=self.db):
            rows = super().update(**kwargs)
            ContentVersion.objects.using(self.db).bump()
        return rows

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=self.db):
            deleted = super().delete()
            ContentVersion.objects.using(self.db).bump()
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]


class Content(models.Model):
    """Anything a patient reads: saving or deleting it bumps the content version.

    Markdown fields are rendered to sanitised HTML here, once per save, into the
    matching `<field>_html` column the templates show, so no request parses Markdown.
    """

    markdown_fields: tuple[str, ...] = ()
    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Browsers send a text box's lines ended by CR LF: stored as sent, an unchanged
        # text would differ from the seeded one, show as a change in History and flag the
        # guide for review.
        for field in self._meta.concrete_fields:
            if isinstance(field, models.TextField) and "\r" in (getattr(self, field.attname) or ""):
                setattr(self, field.attname, normalize_newlines(getattr(self, field.attname)))
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            rendered = {f"{name}_html" for name in self.markdown_fields if name in update_fields}
            kwargs["update_fields"] = {*update_fields, *rendered}
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            ContentVersion.objects.using(self._state.db).bump()

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            ContentVersion.objects.using(self._state.db).bump()
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]


def _html_field() -> models.TextField:
    return models.TextField(blank=True, editable=False, default="")


class PublishableQuerySet(ContentQuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: User | AnonymousUser) -> "PublishableQuerySet":
        """Staff preview drafts at their public address; everyone else sees published rows only."""
        return self if user.is_staff else self.published()


class Publishable(Content):
    """What guides, exercises and protocols share: a draft/published status staff set."""

    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        help_text="Drafts are visible only to staff, at the same address the public will use.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class ReviewedQuerySet(PublishableQuerySet):
    def review_due(self, now: datetime.datetime | None = None) -> "ReviewedQuerySet":
        """Rows a clinician should check: never reviewed, reviewed too long ago, or changed since.

        "Too long" is settings.CONTENT_REVIEW_MONTHS (12 by default).
        """
        today = timezone.localdate(now or timezone.now())
        oldest = _months_before(today, settings.CONTENT_REVIEW_MONTHS)
        return self.filter(
            Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=oldest) | Q(changed_since_review=True)
        )


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


class ClinicallyReviewed(models.Model):
    """Who last checked a guide, protocol or exercise, and when; from their login, not typed."""

    reviewed_by = models.CharField(
        max_length=120,
        blank=True,
        editable=False,
        help_text='Shown as "Reviewed by <name>": the clinician who last marked it reviewed.',
    )
    reviewed_on = models.DateField(
        null=True, blank=True, editable=False, help_text="When it was last clinically reviewed."
    )
    changed_since_review = models.BooleanField(
        default=False,
        editable=False,
        help_text="Edited in the admin after its last review: due for another.",
    )

    class Meta:
        abstract = True

    def has_review_line(self) -> bool:
        """Whether the page says who reviewed it, or that an edit awaits review
        (templates/education/review_line.html)."""
        return self.reviewed_on is not None or self.changed_since_review

    def review_due(self, now: datetime.datetime | None = None) -> bool:
        today = timezone.localdate(now or timezone.now())
        return (
            self.reviewed_on is None
            or self.reviewed_on < _months_before(today, settings.CONTENT_REVIEW_MONTHS)
            or self.changed_since_review
        )


class PerSide(models.TextChoices):
    NONE = "", "Not per side"
    LEG = "leg", "On each leg"
    ARM = "arm", "On each arm"
    SIDE = "side", "On each side"


class PointKind(models.TextChoices):
    SIGN = "sign", "Sign or symptom"
    REASSURANCE = "reassurance", "Reassurance note"
    TAKEAWAY = "takeaway", "Key takeaway"


ORDER_HELP = "Lower numbers come first."


class ExerciseQuerySet(ReviewedQuerySet):
    """`published()` is the only way exercises reach patients: pages, protocols, programmes."""

    def awaiting_review(self) -> "ExerciseQuerySet":
        """Drafts no clinician has signed off yet (or edited since): what staff review next."""
        return self.filter(status=Status.DRAFT).filter(
            Q(reviewed_on__isnull=True) | Q(changed_since_review=True)
        )


class Exercise(ClinicallyReviewed, Publishable):
    """One exercise a patient can do at home, with why it helps and how to do it well.

    A draft is seen by staff only, and reaches patients once a clinician reviews and
    publishes it (education/review.py): never on a page, a handout or a programme before.
    """

    name = models.CharField(
        max_length=120, help_text='The exercise\'s name, e.g. "Step-down". Shown as the heading.'
    )
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The last part of the page address. Keep it stable."
    )
    summary = models.CharField(
        max_length=200,
        help_text="One plain sentence describing the movement. Shown in lists and search results.",
    )
    purpose = models.TextField(
        help_text="Why this exercise helps, in plain words. Markdown: blank line between "
        "paragraphs, **bold**, - for bullet lists."
    )
    equipment = models.CharField(
        max_length=200, blank=True, help_text='What the patient needs, e.g. "A resistance band".'
    )
    setup = models.TextField(
        blank=True, help_text="How to get into the starting position. Markdown."
    )
    steps = models.TextField(
        blank=True, help_text="How to do the movement. Markdown: 1. 2. 3. for numbered steps."
    )
    cues = models.TextField(
        blank=True,
        help_text="What to pay attention to while doing it, e.g. keep the hips level. Markdown.",
    )
    precautions = models.TextField(
        blank=True, help_text="When to stop or take care. Markdown. Leave empty if none."
    )
    image = models.FileField(
        upload_to="exercises/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
        help_text="Optional photo or drawing of the exercise: JPEG, PNG or WebP, at least 320 "
        "pixels on each side, up to 15 MB and 40 megapixels. Phone- and desktop-sized copies "
        "are made when you save; location and camera details are removed.",
    )
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    image_alt = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it. Required with an image.",
    )
    video = models.FileField(
        upload_to="exercises/videos/",
        blank=True,
        help_text="Optional short video of the exercise (under a minute is best): MP4 with "
        "H.264 video and AAC sound, or WebM. It plays in the browser's own player, only when "
        "the patient presses play. A video needs a poster picture, captions and the text "
        "below.",
    )
    video_poster = models.FileField(
        "poster picture",
        upload_to="exercises/posters/",
        blank=True,
        help_text="The still picture shown before the video plays, the same shape as the "
        "video: JPEG, PNG or WebP, at least 320 pixels on each side. Required with a video.",
    )
    video_poster_renditions = models.JSONField(default=dict, blank=True, editable=False)
    video_captions = models.FileField(
        "captions",
        upload_to="exercises/captions/",
        blank=True,
        help_text="What is said in the video, as a WebVTT (.vtt) file saved as UTF-8: the "
        "line WEBVTT, then for each caption a time line such as 00:00:01.000 --> "
        "00:00:04.000 and its text. Plain text only: tags and styles are removed. "
        "Required with a video.",
    )
    video_transcript = models.TextField(
        "what the video shows, step by step",
        blank=True,
        help_text="For people who cannot watch or hear the video; shown under it. Markdown: "
        "1. 2. 3. for numbered steps. Required with a video.",
    )
    purpose_html = _html_field()
    setup_html = _html_field()
    steps_html = _html_field()
    cues_html = _html_field()
    precautions_html = _html_field()
    video_transcript_html = _html_field()
    objects = ExerciseQuerySet.as_manager()  # type: ignore[misc]
    markdown_fields = ("purpose", "setup", "steps", "cues", "precautions", "video_transcript")
    # Each save is kept, so a clinician can restore an earlier version from the admin.
    history = HistoricalRecords(excluded_fields=[f"{name}_html" for name in markdown_fields])

    class Meta:
        ordering = ["name"]
        constraints = [
            # Patients who cannot watch or hear it get the captions and the text instead.
            models.CheckConstraint(
                condition=Q(video="")
                | (~Q(video_poster="") & ~Q(video_captions="") & ~Q(video_transcript="")),
                name="exercise_video_has_poster_captions_and_text",
                violation_error_message="A video needs a poster picture, captions and a "
                "description of what it shows.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("education:exercise_detail", kwargs={"slug": self.slug})

    def picture(self) -> Picture | None:
        """The resized copies of the image, for templates/education/picture.html."""
        return Picture.from_json(self.image_renditions, self.image.storage)

    def poster(self) -> Picture | None:
        """The resized copies of the video's poster, for templates/education/video.html."""
        return Picture.from_json(self.video_poster_renditions, self.video_poster.storage)

    def video_type(self) -> str:
        """The video's content type, for its <source type>: the stored name says what it is,
        as it does for the server (education.videos.store_video names it by its bytes)."""
        return mimetypes.guess_type(self.video.name or "")[0] or "video/mp4"

    def can_be_prescribed(self) -> bool:
        """Whether it may go on a patient's protocol or programme: drafts never do."""
        return self.is_published

    def has_steps(self) -> bool:
        """Whether the page has steps to show (the rendered text, which is what pages load)."""
        return bool(self.steps_html.strip())

    def clean(self) -> None:
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": ValidationError("Describe the image.", code="image_alt_required")}
            )


def attach_picture(*, exercise: Exercise, upload: File | None) -> None:
    """Give the exercise the renditions of a checked upload (or none, when cleared).

    The original upload is not kept: only the resized, EXIF-free copies are stored.
    """
    if not upload:
        exercise.image, exercise.image_renditions = "", {}
        return
    folder, storage = upload_place(Exercise, "image")
    picture = store_picture(upload=upload, folder=folder, storage=storage)
    exercise.image, exercise.image_renditions = picture.fallback(), picture.to_json()


def attach_video_files(*, exercise: Exercise, uploads: dict[str, File | None]) -> None:
    """Store the checked uploads of the video, its poster and its captions that changed.

    `uploads` maps "video", "video_poster" or "video_captions" to the new upload, or to
    None when staff cleared it. The video is kept as it is, under a name that says what
    its bytes are; the poster becomes resized, EXIF-free copies like the image; the
    captions are kept as the plain WebVTT education.videos.clean_captions rewrites them to.
    """
    for name, upload in uploads.items():
        folder, storage = upload_place(Exercise, name)
        if not upload:
            setattr(exercise, name, "")
            if name == "video_poster":
                exercise.video_poster_renditions = {}
        elif name == "video":
            exercise.video = store_video(upload=upload, folder=folder, storage=storage)
        elif name == "video_poster":
            picture = store_picture(upload=upload, folder=folder, storage=storage)
            exercise.video_poster = picture.fallback()
            exercise.video_poster_renditions = picture.to_json()
        else:
            exercise.video_captions = store_captions(upload=upload, folder=folder, storage=storage)


class ProtocolQuerySet(ReviewedQuerySet):
    def with_page_content(self, user: User | AnonymousUser) -> "ProtocolQuerySet":
        """Everything the protocol page and its handout show `user`, in a fixed number of queries.

        Patients get only the steps whose exercise is published; staff previewing see all.
        """
        steps = ProtocolExercise.objects.visible_to(user).select_related("exercise")
        return self.prefetch_related(
            Prefetch("steps", queryset=steps),
            Prefetch("guides", queryset=Guide.objects.published()),
        )


class Protocol(ClinicallyReviewed, Publishable):
    """A home-exercise protocol: an ordered list of exercises with the dose for each."""

    title = models.CharField(max_length=150, help_text="The protocol's name, shown as its heading.")
    slug = models.SlugField(
        max_length=150, unique=True, help_text="The last part of the page address. Keep it stable."
    )
    summary = models.CharField(
        max_length=250,
        help_text="One or two plain sentences: who this is for and what it does. "
        "Shown under the heading and in search results.",
    )
    instructions = models.TextField(
        blank=True, help_text="General advice for the whole protocol. Markdown. Optional."
    )
    instructions_html = _html_field()
    objects = ProtocolQuerySet.as_manager()  # type: ignore[misc]
    history = HistoricalRecords(excluded_fields=["instructions_html"])
    markdown_fields = ("instructions",)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:protocol_detail", kwargs={"slug": self.slug})

    def get_print_url(self) -> str:
        return reverse("education:protocol_print", kwargs={"slug": self.slug})


def _span(low: int, high: int | None) -> str:
    """3 or 3-4: the range a clinician gives, written with the hyphen the clinic uses."""
    return f"{low}-{high}" if high is not None and high != low else f"{low}"


class ProtocolExerciseQuerySet(ContentQuerySet):
    def published(self) -> "ProtocolExerciseQuerySet":
        """Steps whose exercise patients may see: a draft exercise's step stays hidden."""
        return self.filter(exercise__status=Status.PUBLISHED)

    def visible_to(self, user: User | AnonymousUser) -> "ProtocolExerciseQuerySet":
        return self if user.is_staff else self.published()


class ProtocolExercise(Content):
    """One exercise in a protocol, in order, with its dose ("3-4 sets of 10-15 reps...")."""

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="steps", help_text="The protocol."
    )
    exercise = models.ForeignKey(
        Exercise,
        on_delete=models.PROTECT,
        related_name="protocol_steps",
        help_text="The exercise to do.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text=ORDER_HELP)
    sets_min = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Number of sets (the lower end of a range). Optional."
    )
    sets_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper end of a range of sets, e.g. 4 in 3-4 sets."
    )
    reps_min = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Repetitions (the lower end of a range)."
    )
    reps_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Upper end of a range of repetitions, e.g. 15 in 10-15."
    )
    to_fatigue = models.BooleanField(
        default=False, help_text='Repeat until tired ("to fatigue") instead of a number of reps.'
    )
    hold_seconds = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long to hold each repetition, in seconds."
    )
    per_side = models.CharField(
        max_length=5,
        choices=PerSide,
        blank=True,
        default=PerSide.NONE,
        help_text='Whether the dose is done on each leg, arm or side ("10 times on each leg").',
    )
    frequency_min = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="Days per week (the lower end of a range).",
    )
    frequency_max = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="Upper end of a range of days per week, e.g. 4 in 3-4 times per week.",
    )
    variation = models.CharField(
        max_length=150,
        blank=True,
        help_text='A way to repeat the exercise after the main dose, e.g. "with eyes closed". '
        'Shown as "Repeat 10 times on each leg with eyes closed".',
    )
    variation_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text='Why the variation helps, e.g. "to help solidify where that point is".',
    )
    objects = ProtocolExerciseQuerySet.as_manager()  # type: ignore[misc]
    # Kept so that restoring a version of the protocol brings back its steps too
    # (education/history.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "protocol exercise"
        constraints = [
            models.CheckConstraint(
                condition=Q(sets_max__isnull=True)
                | Q(sets_min__isnull=False, sets_max__gte=F("sets_min")),
                name="protocolexercise_sets_range",
                violation_error_message="The most sets must be at least the fewest sets.",
            ),
            models.CheckConstraint(
                condition=Q(reps_max__isnull=True)
                | Q(reps_min__isnull=False, reps_max__gte=F("reps_min")),
                name="protocolexercise_reps_range",
                violation_error_message="The most reps must be at least the fewest reps.",
            ),
            models.CheckConstraint(
                condition=Q(frequency_max__isnull=True)
                | Q(frequency_min__isnull=False, frequency_max__gte=F("frequency_min")),
                name="protocolexercise_frequency_range",
                violation_error_message="The most days per week must be at least the fewest.",
            ),
            models.CheckConstraint(
                condition=Q(to_fatigue=False) | Q(reps_min__isnull=True),
                name="protocolexercise_reps_or_fatigue",
                violation_error_message='Give a number of reps or "to fatigue", not both.',
            ),
            models.CheckConstraint(
                condition=Q(sets_min__isnull=False)
                | Q(reps_min__isnull=False)
                | Q(to_fatigue=True)
                | Q(hold_seconds__isnull=False),
                name="protocolexercise_has_a_dose",
                violation_error_message="Give a dose: sets, reps, to fatigue or a hold.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise.name}: {self.dose_text()}"

    def amount_text(self) -> str:
        """How much to do in one session: "4 sets to fatigue", "10 times on each leg"."""
        side = f" on each {self.per_side}" if self.per_side else ""
        sets = _span(self.sets_min, self.sets_max) if self.sets_min is not None else ""
        reps = _span(self.reps_min, self.reps_max) if self.reps_min is not None else ""
        hold = _span(self.hold_seconds, None) if self.hold_seconds is not None else ""
        set_word = "set" if sets == "1" else "sets"
        if sets and self.to_fatigue:
            text = f"{sets} {set_word} to fatigue{side}"
        elif sets and reps:
            text = f"{sets} {set_word} of {reps} reps{side}"
        elif sets and hold:
            return f"{sets} {set_word} of {hold}-second holds{side}"
        elif sets:
            text = f"{sets} {set_word}{side}"
        elif self.to_fatigue:
            text = f"to fatigue{side}"
        elif reps:
            text = ("once" if reps == "1" else f"{reps} times") + side
        else:
            return f"hold for {hold} seconds{side}"
        return f"{text}, holding each for {hold} seconds" if hold else text

    def frequency_text(self) -> str:
        """'3-4 times per week'; empty when the protocol does not say how often."""
        if self.frequency_min is None:
            return ""
        if self.frequency_max is not None and self.frequency_max != self.frequency_min:
            return f"{self.frequency_min}-{self.frequency_max} times per week"
        return {1: "once per week", 2: "twice per week", 7: "every day"}.get(
            self.frequency_min, f"{self.frequency_min} times per week"
        )

    def dose_text(self) -> str:
        """The dose as a clinician says it: "3-4 sets of 10-15 reps, 3-4 times per week"."""
        return ", ".join(part for part in (self.amount_text(), self.frequency_text()) if part)

    def variation_text(self) -> str:
        """'Repeat 10 times on each leg with eyes closed'; empty when there is no variation."""
        if not self.variation:
            return ""
        return f"Repeat {self.amount_text()} {self.variation}"


class CategoryKind(models.TextChoices):
    BODY_AREA = "body_area", "Body area"
    ACTIVITY = "activity", "Activity"


class Category(Content):
    """A way patients look for guides: where it hurts (knee, hip) or what they do (running)."""

    name = models.CharField(max_length=60, help_text='Shown as a filter on /guides/, e.g. "Knee".')
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in the address: /guides/?category=<slug>."
    )
    kind = models.CharField(
        max_length=10, choices=CategoryKind, help_text="Body areas and activities are listed apart."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class GuideHistory(HistoricalRecords):
    """A guide's history, with its categories read at each save of the guide.

    simple-history would also record a whole new version at each change of the categories,
    and the admin saves them just after the guide: one edit would show as two or three
    versions. Here each save records the categories as they were at that moment, so a
    version's categories are those recorded with the next version, like its other parts
    (education/history.py).
    """

    def m2m_changed(self, *args, **kwargs) -> None:
        return


class GuideQuerySet(ReviewedQuerySet):
    def published(self) -> "GuideQuerySet":
        """Published, and past the time it was scheduled for, if any."""
        now = timezone.now()
        return super().published().filter(Q(publish_at__isnull=True) | Q(publish_at__lte=now))

    def search(self, text: str) -> "GuideQuerySet":
        """Guides matching the words a patient typed, best first.

        PostgreSQL: full-text search (stemmed, so "running" finds "run") over the title,
        condition, summary and body, ranked with the title weighted most. Elsewhere
        (SQLite in development): every word must appear in one of those fields.
        """
        words = text.split()
        if not words:
            return self
        if connections[self.db].vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config="english")
                + SearchVector("condition", "summary", weight="B", config="english")
                + SearchVector("body", weight="C", config="english")
            )
            query = SearchQuery(text, search_type="websearch", config="english")
            return (
                self.annotate(document=vector, rank=SearchRank(vector, query))
                .filter(document=query)
                .order_by("-rank", "title")
            )
        matches = self
        for word in words:
            matches = matches.filter(
                Q(title__icontains=word)
                | Q(condition__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
            )
        return matches

    def with_page_content(self) -> "GuideQuerySet":
        """The guide, its points and its tips (with exercise and dose) in three queries.

        Only the columns the page shows: the Markdown sources and the columns of the
        joined rows would be most of what each query reads, converts and compiles.
        """
        exercise = ["name", "slug", "status", "summary", "setup_html", "steps_html", "cues_html"]
        exercise += ["image", "image_alt", "image_renditions", "video"]
        dose = [field.name for field in ProtocolExercise._meta.concrete_fields]
        return (
            self.select_related("protocol")
            .defer(*Guide.markdown_fields, "created_at")
            .defer("protocol__instructions", "protocol__instructions_html")
            .prefetch_related(
                Prefetch("points", queryset=GuidePoint.objects.only("guide", "kind", "text")),
                Prefetch(
                    "tips",
                    queryset=Tip.objects.select_related("step__exercise").only(
                        "guide",
                        "advice",
                        "explanation_html",
                        *(f"step__{name}" for name in dose),
                        *(f"step__exercise__{name}" for name in exercise),
                    ),
                ),
            )
        )


class Guide(ClinicallyReviewed, Publishable):
    """A condition guide: what the problem is, how to recognise it and what helps."""

    title = models.CharField(
        max_length=150, help_text="The guide's heading, e.g. “3 ways to Improve Knee Pain…”."
    )
    slug = models.SlugField(
        max_length=150, unique=True, help_text="The last part of the page address. Keep it stable."
    )
    condition = models.CharField(
        max_length=120,
        help_text='The condition the guide is about, e.g. "Patellofemoral pain". '
        "Used for search engines.",
    )
    summary = models.CharField(
        max_length=250, help_text="One or two plain sentences shown in the list of guides."
    )
    body = models.TextField(
        help_text="The opening sections, in Markdown: a line starting with ## is a section "
        "heading (write it as the question patients ask), ### a smaller heading under it; "
        "leave a blank line between paragraphs; **two stars** make bold; lines starting "
        "with - make a bullet list, 1. 2. 3. a numbered one; [words](https://...) is a link. "
        "For example:<br><code>## What kind of knee pain do I have?<br><br>Most runners "
        "feel it **around the kneecap**.<br><br>- Pain on stairs<br>- Pain after sitting"
        "</code><br>The headings patients will see are listed below after saving."
    )
    signs_heading = models.CharField(
        max_length=150,
        help_text="The question heading above the signs and symptoms, "
        'e.g. "What are common signs of patellofemoral knee pain?".',
    )
    body_html = _html_field()
    tips_intro = models.CharField(
        max_length=150,
        blank=True,
        help_text='A line introducing the tips, e.g. "3 tips to manage patellofemoral knee pain '
        'with running".',
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="To publish later: set the status to Published and pick the date and time "
        "(clinic time) it should appear. Empty: it appears as soon as it is published.",
    )
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="guides",
        help_text="Where it hurts and what the patient does: how they find the guide on /guides/.",
    )
    protocol = models.ForeignKey(
        Protocol,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guides",
        help_text="The home-exercise protocol this guide recommends (offered as a printable "
        "handout).",
    )
    seo_title = models.CharField(
        max_length=70,
        blank=True,
        help_text="Title for search results and browser tabs (up to 70 characters). "
        "Empty: the heading is used.",
    )
    seo_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Description for search results (up to 160 characters). "
        "Empty: the summary is used.",
    )
    objects = GuideQuerySet.as_manager()  # type: ignore[misc]
    history = GuideHistory(excluded_fields=["body_html"], m2m_fields=["categories"])
    markdown_fields = ("body",)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:guide_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """What patients see now: published and not waiting for its scheduled time."""
        scheduled = self.publish_at is not None and self.publish_at > timezone.now()
        return self.status == Status.PUBLISHED and not scheduled

    def page_title(self) -> str:
        return self.seo_title or self.title

    def meta_description(self) -> str:
        return self.seo_description or self.summary

    def outline(self) -> list[tuple[int, str]]:
        """The body's headings as (level, text), in the order patients meet them."""
        return [
            (int(level), strip_tags(text))
            for level, text in re.findall(r"<h([2-4])>(.*?)</h\1>", self.body_html, re.S)
        ]

    def renumber_parts(self) -> None:
        """Number each kind of point, and the tips, 1, 2, 3... in their current order.

        Editors may type the same position twice or leave gaps; what they see after saving
        is the order patients get, with no number used twice in a list.
        """
        # Points and tips: rows of two models, each with its `order`.
        lists: list[models.QuerySet[Any]] = [self.points.filter(kind=kind) for kind in PointKind]
        lists.append(self.tips.all())
        for rows in lists:
            changed = []
            for position, row in enumerate(rows.order_by("order", "pk"), start=1):
                if row.order != position:
                    row.order = position
                    changed.append(row)
            # Recorded, so a restored version has its parts in the order patients saw.
            bulk_update_with_history(changed, rows.model, ["order"])

    # These read the prefetched points, so the page needs no query per kind.
    def signs(self) -> list["GuidePoint"]:
        return [point for point in self.points.all() if point.kind == PointKind.SIGN]

    def reassurances(self) -> list["GuidePoint"]:
        return [point for point in self.points.all() if point.kind == PointKind.REASSURANCE]

    def takeaways(self) -> list["GuidePoint"]:
        return [point for point in self.points.all() if point.kind == PointKind.TAKEAWAY]


class GuidePoint(Content):
    """A short statement in a guide: a sign or symptom, a reassurance, or a key takeaway.

    One table for the three kinds keeps the guide page at a fixed, small number of queries.
    """

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="points", help_text="The guide."
    )
    kind = models.CharField(
        max_length=12,
        choices=PointKind,
        help_text="Signs are listed under the signs heading; reassurance notes follow them; "
        "key takeaways close the guide.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text=ORDER_HELP)
    text = models.TextField(help_text="The statement, in the patient's words where possible.")
    # Kept so that restoring a version of the guide brings back its points too
    # (education/history.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "sign, reassurance or takeaway"
        verbose_name_plural = "signs, reassurances and takeaways"

    def __str__(self) -> str:
        return self.text


class Tip(Content):
    """Advice in a guide, tied to the protocol exercise (and so the dose) that carries it out."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="tips", help_text="The guide."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text=ORDER_HELP)
    advice = models.CharField(
        max_length=250,
        help_text='The tip in one sentence, e.g. "Increase your forward trunk lean when you run."',
    )
    explanation = models.TextField(help_text="Why it helps, in plain words. Markdown.")
    explanation_html = _html_field()
    step = models.ForeignKey(
        ProtocolExercise,
        on_delete=models.PROTECT,
        related_name="tips",
        help_text="The exercise to do and its dose, as set in a protocol.",
    )
    # Kept so that restoring a version of the guide brings back its tips too.
    history = HistoricalRecords(excluded_fields=["explanation_html"])
    markdown_fields = ("explanation",)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.advice
