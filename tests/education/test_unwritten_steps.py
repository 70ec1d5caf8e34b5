"""An exercise without written steps says the physical therapist will show it, wherever its
steps would be (its page, a guide's tip, the handout), until someone writes them."""

import pytest
from django.test import Client

from education.models import Exercise

SHOW_YOU = "Your physical therapist will show you this one."


@pytest.fixture
def hip_abduction(db) -> Exercise:
    exercise = Exercise.objects.get(slug="single-leg-banded-hip-abduction")
    assert not exercise.steps  # as seeded: the clinic's article gives no steps for it
    return exercise


def pages(exercise, knee_guide, knee_protocol) -> list[str]:
    return [
        exercise.get_absolute_url(),
        knee_guide.get_absolute_url(),
        knee_protocol.get_print_url(),
    ]


def test_an_exercise_without_steps_says_the_therapist_will_show_it(
    client, hip_abduction, knee_guide, knee_protocol
):
    page = client.get(hip_abduction.get_absolute_url()).content.decode()
    assert "How do I do it?" in page
    assert page.count(SHOW_YOU) == 1
    for url in pages(hip_abduction, knee_guide, knee_protocol)[1:]:
        # Once: the step-down and the wall drill on the same page have their steps.
        assert client.get(url).content.decode().count(SHOW_YOU) == 1, url


def test_the_sentence_goes_as_soon_as_steps_are_written(hip_abduction, knee_guide, knee_protocol):
    urls = pages(hip_abduction, knee_guide, knee_protocol)
    for url in urls:
        Client().get(url)  # kept for visitors
    hip_abduction.steps = "1. Loop the band around your ankles.\n2. Kick out to the side."
    hip_abduction.save()
    for url in urls:
        page = Client().get(url).content.decode()
        assert SHOW_YOU not in page, url
        assert "Kick out to the side." in page, url


def test_an_exercise_with_steps_shows_them(client, db):
    page = client.get("/exercises/step-down/").content.decode()
    assert "Bend the knee until the free foot reaches the ground" in page
    assert SHOW_YOU not in page
