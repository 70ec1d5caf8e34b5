"""The starter library: 20+ exercises seeded as complete drafts that no patient sees until
a clinician reviews and publishes them."""

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client

from education.models import Exercise, Status
from tests.education.conftest import EXERCISE_SLUGS, make_protocol, make_step

seeding = importlib.import_module("education.migrations.0015_seed_starter_exercises")
STARTER_SLUGS = [fields["slug"] for fields in seeding.EXERCISES]
WRITTEN = ("summary", "purpose", "equipment", "setup", "steps", "cues", "precautions")


@pytest.fixture
def starters(db) -> list[Exercise]:
    return list(Exercise.objects.filter(slug__in=STARTER_SLUGS))


def test_at_least_twenty_exercises_arrive_as_drafts_awaiting_review(starters):
    assert len(starters) == len(STARTER_SLUGS) >= 20
    assert {exercise.status for exercise in starters} == {Status.DRAFT}
    awaiting = Exercise.objects.awaiting_review()
    assert all(exercise in awaiting for exercise in starters)
    assert not any(exercise.reviewed_by or exercise.reviewed_on for exercise in starters)


def test_each_starter_exercise_is_complete_for_a_clinician_to_review(starters):
    for exercise in starters:
        for name in WRITTEN:
            assert getattr(exercise, name).strip(), (exercise.slug, name)
        for name in Exercise.markdown_fields:
            if name != "video_transcript":
                assert getattr(exercise, f"{name}_html").strip(), (exercise.slug, name)
        assert exercise.steps_html.startswith("<ol>"), exercise.slug  # numbered steps
        assert exercise.has_steps()


def test_the_library_does_not_repeat_an_exercise_the_clinic_has(starters):
    names = [name.lower() for name in Exercise.objects.values_list("name", flat=True)]
    assert len(names) == len(set(names))
    assert not set(STARTER_SLUGS) & set(EXERCISE_SLUGS)
    for slug in ("step-down", "side-lying-hip-abduction", "single-leg-banded-hip-abduction"):
        assert slug not in STARTER_SLUGS


def test_it_covers_knee_hip_ankle_and_core(starters):
    names = {exercise.name for exercise in starters}
    for expected in (
        "Wall sit",  # knee
        "Clamshell",  # hip
        "Eccentric heel drop",  # ankle
        "Dead bug",  # core
    ):
        assert expected in names


def _syllables(word: str) -> int:
    count = len(re.findall(r"[aeiouy]+", word.lower()))
    if word.lower().endswith("e") and not word.lower().endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(1, count)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade with a rough syllable count: enough to catch long, dense prose."""
    sentences = [s for s in re.split(r"[.!?\n]+", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def test_the_wording_reads_at_a_seventh_to_eighth_grade_level_or_below(starters):
    for exercise in starters:
        text = "\n".join(getattr(exercise, name) for name in WRITTEN)
        text = re.sub(r"^\s*(\d+\.|-)\s*", "", text, flags=re.M)  # list markers
        assert reading_grade(text) <= 8, exercise.slug


def test_no_starter_exercise_reaches_a_patient_until_published(starters):
    visitor = Client()
    sitemap = visitor.get("/sitemap.xml").content.decode()
    for exercise in starters:
        assert visitor.get(exercise.get_absolute_url()).status_code == 404, exercise.slug
        assert exercise.get_absolute_url() not in sitemap
    assert not Exercise.objects.published().filter(slug__in=STARTER_SLUGS).exists()


def test_undoing_the_seed_keeps_what_a_clinician_published_or_prescribed(starters):
    published, prescribed, *_ = starters
    published.status = Status.PUBLISHED
    published.save()
    make_step(make_protocol(), prescribed)

    seeding.unseed(apps, None)

    left = set(Exercise.objects.filter(slug__in=STARTER_SLUGS).values_list("slug", flat=True))
    assert left == {published.slug, prescribed.slug}
    assert Exercise.objects.filter(slug__in=EXERCISE_SLUGS).count() == 3

    seeding.seed(apps, None)  # and seeding again fills in the rest, once
    assert Exercise.objects.filter(slug__in=STARTER_SLUGS).count() == len(STARTER_SLUGS)


@pytest.mark.django_db(transaction=True)
def test_the_migration_can_be_undone_and_done_again():
    from django.core.management import call_command

    call_command("migrate", "education", "0014", verbosity=0)
    assert not Exercise.objects.filter(slug__in=STARTER_SLUGS).exists()
    assert Exercise.objects.filter(slug__in=EXERCISE_SLUGS).count() == 3

    # Every app: undoing education 0015 also undid the intake migrations that depend on it
    # (the groups tables, and those after them), and later tests need them back.
    call_command("migrate", verbosity=0)
    assert Exercise.objects.filter(slug__in=STARTER_SLUGS, status=Status.DRAFT).count() == len(
        STARTER_SLUGS
    )
