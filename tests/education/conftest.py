"""Seeded knee-pain content (from the data migration) and small builders for more of it."""

import datetime
import itertools

import pytest

from education.models import Exercise, Guide, GuidePoint, Protocol, ProtocolExercise, Status, Tip

GUIDE_SLUG = "knee-pain-with-running"
PROTOCOL_SLUG = "runners-patellofemoral-pain"
EXERCISE_SLUGS = ["single-leg-banded-hip-abduction", "step-down", "forward-trunk-lean-wall-drill"]

_numbers = itertools.count(1)


def make_exercise(**fields) -> Exercise:
    n = next(_numbers)
    defaults = {
        "name": f"Exercise {n}",
        "slug": f"exercise-{n}",
        "status": Status.PUBLISHED,
        "summary": "A test movement.",
        "purpose": "It helps.",
        "setup": "Stand *tall*.",
        "steps": "1. Move\n2. Rest",
        "cues": "Breathe.",
    }
    return Exercise.objects.create(**defaults | fields)


def published_starter(slug: str) -> Exercise:
    """An exercise of the starter library (seeded as a draft), as a clinician publishes it."""
    Exercise.objects.filter(slug=slug).update(status=Status.PUBLISHED)
    return Exercise.objects.get(slug=slug)


def make_protocol(**fields) -> Protocol:
    n = next(_numbers)
    defaults = {
        "title": f"Protocol {n}",
        "slug": f"protocol-{n}",
        "status": Status.PUBLISHED,
        "summary": "A test protocol.",
        "reviewed_by": "A. Clinician, PT",
        "reviewed_on": datetime.date(2026, 1, 2),
    }
    return Protocol.objects.create(**defaults | fields)


def make_step(protocol: Protocol, exercise: Exercise | None = None, **dose) -> ProtocolExercise:
    return ProtocolExercise.objects.create(
        protocol=protocol,
        exercise=exercise or make_exercise(),
        **(dose or {"sets_min": 2, "reps_min": 8, "frequency_min": 3}),
    )


def make_guide(**fields) -> Guide:
    n = next(_numbers)
    defaults = {
        "title": f"Guide {n}",
        "slug": f"guide-{n}",
        "status": Status.PUBLISHED,
        "condition": "Test condition",
        "summary": "A test guide.",
        "body": "## What is it?\n\nA test.",
        "signs_heading": "What are the signs?",
        "reviewed_by": "A. Clinician, PT",
        "reviewed_on": datetime.date(2026, 1, 2),
    }
    return Guide.objects.create(**defaults | fields)


def add_tip(guide: Guide, step: ProtocolExercise, advice: str = "Do this.") -> Tip:
    return Tip.objects.create(guide=guide, step=step, advice=advice, explanation="Because.")


def add_point(guide: Guide, kind: str, text: str) -> GuidePoint:
    return GuidePoint.objects.create(guide=guide, kind=kind, text=text)


@pytest.fixture
def clinician(client, group_member):
    """A test client signed in as a member of the Clinician group."""
    client.force_login(group_member("Clinician"))
    return client


@pytest.fixture
def knee_guide(db) -> Guide:
    return Guide.objects.get(slug=GUIDE_SLUG)


@pytest.fixture
def knee_protocol(db) -> Protocol:
    return Protocol.objects.get(slug=PROTOCOL_SLUG)
