from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import ConsentKind, ConsentText, PreVisit, PreVisitKind
from tests.intake.booking_factories import make_appointment, make_clinician, make_type

pytestmark = pytest.mark.django_db


def a_visit():
    return make_appointment(
        clinician=make_clinician(),
        appointment_type=make_type(),
        start=timezone.now() + timedelta(days=3),
    )


def test_the_link_token_finds_its_form_and_only_its_hash_is_stored():
    appointment = a_visit()
    previsit = PreVisit(appointment=appointment, kind=PreVisitKind.FIRST_VISIT)
    token = previsit.issue_token()
    previsit.save()
    assert token not in previsit.token_hash
    assert PreVisit.objects.by_token(token).get() == previsit
    assert previsit.token == token
    assert not PreVisit.objects.by_token(token + "x").exists()


def test_the_link_closes_after_the_visit_plus_the_grace_period(settings):
    settings.PREVISIT_LINK_GRACE_HOURS = 72
    appointment = a_visit()
    previsit = PreVisit(appointment=appointment, kind=PreVisitKind.FIRST_VISIT)
    assert previsit.link_open(appointment.end + timedelta(hours=71))
    assert not previsit.link_open(appointment.end + timedelta(hours=72))


def test_a_cancelled_visits_link_is_closed():
    appointment = a_visit()
    appointment.status = "cancelled"
    previsit = PreVisit(appointment=appointment, kind=PreVisitKind.FIRST_VISIT)
    assert not previsit.link_open(timezone.now())


def test_the_newest_version_of_each_consent_text_is_current():
    ConsentText.objects.create(kind=ConsentKind.TREATMENT, version=2, title="T", body="New")
    current = ConsentText.objects.current()
    assert [(text.kind, text.version) for text in current] == [("treatment", 2), ("privacy", 1)]
