"""The patient's before-visit form through the test client: section by section, resumed
later, errors on the field with the input kept, and the pages behind a private link."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from intake.booking import cancel_appointment
from intake.models import (
    CancelledBy,
    ConsentKind,
    ConsentSignature,
    ConsentText,
    Measure,
    MeasureItem,
    MeasureResponse,
    PreVisit,
    PreVisitStatus,
)
from tests.intake.previsit_support import (
    CALM_SAFETY,
    CONTACT,
    REASONS,
    book,
    consent_data,
    fill_first_visit,
    form_of,
    measures_data,
    name_areas,
    section_url,
)
from tests.intake.selfcheck_expectations import INJURY_FOLLOW_UPS

pytestmark = pytest.mark.django_db


@pytest.fixture
def previsit() -> PreVisit:
    return form_of(book(message="Knee hurts on the downhills"))


def test_the_whole_first_visit_form_saves_section_by_section_and_ends_done(client, previsit):
    responses = fill_first_visit(client, previsit)

    assert [r.status_code for r in responses] == [302] * 6
    # Each section leads on to the next; the last one back to the overview.
    assert responses[0]["Location"] == section_url(previsit, "reasons")
    assert responses[-1]["Location"] == f"/before-your-visit/{previsit.token}/"
    previsit.refresh_from_db()
    assert previsit.status == PreVisitStatus.DONE
    assert previsit.completed_at is not None
    assert previsit.answers["contact"]["date_of_birth"] == "1988-04-23"
    assert previsit.answers["contact"]["emergency_phone"] == "+16085550199"
    assert previsit.answers["reasons"]["activities"] == ["running", "climbing"]
    assert previsit.answers["history"]["conditions"] == ["lung"]
    assert not previsit.needs_review
    overview = client.get(f"/before-your-visit/{previsit.token}/")
    assert "All done: thank you" in overview.content.decode()


def test_the_first_save_marks_it_in_progress_and_the_patient_resumes_where_they_left(
    client, previsit
):
    client.post(section_url(previsit, "contact"), CONTACT)
    previsit.refresh_from_db()
    assert previsit.status == PreVisitStatus.IN_PROGRESS

    # Later, in another browser: the overview offers the next section, the saved one is kept.
    later = type(client)()
    overview = later.get(f"/before-your-visit/{previsit.token}/")
    page = overview.content.decode()
    assert "Continue: What brings you in" in page
    assert page.count("Not done yet") == 5
    contact_again = later.get(section_url(previsit, "contact"))
    assert contact_again.context["form"].initial["emergency_name"] == "Sam Runner"


def test_sections_are_prefilled_from_the_booking_and_the_lead(client, previsit):
    contact = client.get(section_url(previsit, "contact"))
    assert contact.context["form"].initial["name"] == "Pat Runner"
    assert contact.context["form"].initial["phone"] == "(608) 555-0123"
    reasons = client.get(section_url(previsit, "reasons"))
    assert reasons.context["form"].initial["problem"] == "Knee hurts on the downhills"


def test_a_wrong_answer_is_named_on_its_field_and_the_rest_is_kept(client, previsit):
    data = {**CONTACT, "date_of_birth": "1988-02-30", "emergency_phone": "12"}

    response = client.post(section_url(previsit, "contact"), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["date_of_birth"] == [
        "Enter your date of birth as year-month-day, like 1988-04-23."
    ]
    assert "Enter a phone number we can call" in form.errors["emergency_phone"][0]
    page = response.content.decode()
    assert 'value="Sam Runner"' in page
    assert "Please fix these" in page
    assert "<title>Error:" in page
    previsit.refresh_from_db()
    assert previsit.status == PreVisitStatus.NOT_STARTED


def test_a_date_of_birth_in_the_future_or_foreign_digits_is_refused(client, previsit):
    for value in [f"{timezone.now().year + 1}-01-01", "١٩٨٨-٠٤-٢٣", "1850-01-01"]:
        data = {**CONTACT, "date_of_birth": value}
        response = client.post(section_url(previsit, "contact"), data)
        assert "date_of_birth" in response.context["form"].errors, value


def test_psfs_with_partial_answers_scores_the_mean_of_the_rated_activities(client, previsit):
    data = measures_data(
        psfs={"Running 10 km": "4", "": "", "Squatting": "7"},
        pain={"now": "3", "worst": "8"},
    )

    response = client.post(section_url(previsit, "measures"), data)

    assert response.status_code == 302
    psfs = MeasureResponse.objects.get(previsit=previsit, measure__slug="psfs")
    assert psfs.score == Decimal("5.50")
    assert [a["label"] for a in psfs.answers] == ["Running 10 km", "Squatting"]
    pain = MeasureResponse.objects.get(previsit=previsit, measure__slug="pain")
    assert [a["value"] for a in pain.answers] == [3, None, 8]
    assert pain.score == Decimal("5.50")


def test_a_psfs_activity_named_without_a_rating_is_refused_on_its_rating(client, previsit):
    data = measures_data(psfs={"Running 10 km": "4", "Climbing stairs": ""})

    response = client.post(section_url(previsit, "measures"), data)

    assert response.status_code == 200
    form = response.context["form"]
    (field,) = list(form.errors)
    assert field.endswith("_2_rating")
    assert form.errors[field] == ["Rate “Climbing stairs” from 0 to 10, or clear its name."]
    assert 'value="Climbing stairs"' in response.content.decode()
    assert not MeasureResponse.objects.filter(previsit=previsit).exists()


def test_a_psfs_rating_can_be_cleared_with_not_rated(client, previsit):
    psfs = {"Running 10 km": "4", "Squatting": "7"}
    client.post(section_url(previsit, "measures"), measures_data(psfs=psfs))

    page = client.get(section_url(previsit, "measures")).content.decode()
    cleared = measures_data(psfs={"Running 10 km": "4", "": ""})
    response = client.post(section_url(previsit, "measures"), cleared)

    assert "Not rated" in page
    assert response.status_code == 302
    saved = MeasureResponse.objects.get(previsit=previsit, measure__slug="psfs")
    assert [a["label"] for a in saved.answers] == ["Running 10 km"]


def test_a_rating_without_its_activity_asks_for_the_name(client, previsit):
    data = measures_data(psfs={"": "6"})

    response = client.post(section_url(previsit, "measures"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors.values()) == [["Name the activity you rated, or clear its rating."]]
    assert not MeasureResponse.objects.filter(previsit=previsit).exists()


def test_consent_records_version_typed_name_time_and_a_hashed_address(client, previsit):
    response = client.post(
        section_url(previsit, "consent"), consent_data("  Pat   Runner "), REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 302
    signatures = list(ConsentSignature.objects.filter(previsit=previsit).order_by("pk"))
    assert [(s.consent_text.kind, s.consent_text.version) for s in signatures] == [
        ("treatment", 1),
        ("privacy", 1),
    ]
    assert {s.typed_name for s in signatures} == {"Pat Runner"}
    assert all(s.signed_at for s in signatures)
    assert "203.0.113.9" not in signatures[0].client_address_hash
    assert len(signatures[0].client_address_hash) == 64


def test_a_new_consent_version_leaves_what_an_earlier_patient_signed(client, previsit):
    client.post(section_url(previsit, "consent"), consent_data())
    treatment_v1 = ConsentText.objects.get(kind=ConsentKind.TREATMENT, version=1)
    signed_body = treatment_v1.body
    ConsentText.objects.create(
        kind=ConsentKind.TREATMENT, version=2, title="Consent to treat", body="A new text."
    )

    signature = ConsentSignature.objects.get(previsit=previsit, consent_text__kind="treatment")
    assert signature.consent_text.version == 1
    assert signature.consent_text.body == signed_body
    # The next patient reads and signs version 2.
    other = form_of(book(days_ahead=9, email="lee@example.com"))
    page = client.get(section_url(other, "consent")).content.decode()
    assert "A new text." in page
    assert "Version 2" in page


def test_consent_needs_each_box_ticked_and_a_name(client, previsit):
    response = client.post(section_url(previsit, "consent"), {"agree_treatment": "on"})

    errors = response.context["form"].errors
    assert errors["agree_privacy"] == ["Tick the box to agree to the Privacy notice."]
    assert errors["typed_name"] == ["Type your full name to sign."]
    assert not ConsentSignature.objects.exists()


def test_a_wrong_token_gets_a_clear_not_found_page(client, previsit):
    response = client.get(f"/before-your-visit/{previsit.token}x/")

    assert response.status_code == 404
    assert "This link doesn’t work" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_unknown_section_is_not_found(client, previsit):
    assert client.get(section_url(previsit, "nope")).status_code == 404


def test_a_cancelled_visits_form_is_closed_with_the_phone_number(client, previsit):
    cancel_appointment(appointment=previsit.appointment, reason="", cancelled_by=CancelledBy.STAFF)

    response = client.get(f"/before-your-visit/{previsit.token}/")
    posted = client.post(section_url(previsit, "contact"), CONTACT)

    assert response.status_code == posted.status_code == 410
    page = response.content.decode()
    assert "was cancelled" in page
    assert "(608) 218-4215" in page
    previsit.refresh_from_db()
    assert "contact" not in previsit.answers


def test_the_link_closes_after_the_visit_plus_the_grace_period(client, previsit, settings):
    settings.PREVISIT_LINK_GRACE_HOURS = 1
    appointment = previsit.appointment
    appointment.set_times(timezone.now() - timedelta(hours=3), appointment.appointment_type)
    appointment.save()

    response = client.get(f"/before-your-visit/{previsit.token}/")

    assert response.status_code == 410
    assert "is over" in response.content.decode()


def test_the_pages_are_private_never_cached_and_not_indexed(client, previsit):
    for url in [f"/before-your-visit/{previsit.token}/", section_url(previsit, "history")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_the_safety_section_asks_only_the_visible_follow_ups(client, previsit):
    """A follow-up question is needed only after the answer that asks it: without
    JavaScript it comes on a second page, which carries the first page's answers."""
    name_areas(client, previsit, "knee")
    calm_without_injury = {k: v for k, v in CALM_SAFETY.items() if k not in INJURY_FOLLOW_UPS}
    assert client.post(section_url(previsit, "safety"), calm_without_injury).status_code == 302

    injured = {**calm_without_injury, "injury": "yes"}
    second = client.post(section_url(previsit, "safety"), injured)
    unanswered = client.post(section_url(previsit, "safety"), {**injured, "page": "2"})

    assert second.status_code == 200
    assert not second.context["form"].errors
    assert set(second.context["form"].pending) == INJURY_FOLLOW_UPS
    assert "A few more questions" in second.content.decode()
    assert '<input type="hidden" name="injury" value="yes">' in second.content.decode()
    errors = unanswered.context["form"].errors
    assert set(errors) == INJURY_FOLLOW_UPS
    assert errors["lift_leg"] == ["Choose yes or no."]


def page_queries(client, previsit) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for section in ("", "contact", "reasons", "history", "safety", "measures", "consent"):
        url = section_url(previsit, section) if section else f"/before-your-visit/{previsit.token}/"
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[section or "overview"] = len(queries)
    return counts


def test_each_page_takes_the_same_few_queries_however_much_is_saved(client, previsit):
    """At most 5 queries a page, empty or filled in, with 2 measures or 4."""
    empty = page_queries(client, previsit)
    fill_first_visit(client, previsit)
    for slug in ("odi", "lefs"):
        measure = Measure.objects.create(
            name=slug, slug=slug, instructions="Rate it.", mcid=Decimal(5), position=9
        )
        for key in ("a", "b", "c"):
            MeasureItem.objects.create(
                measure=measure, key=key, text=key, min_label="Low", max_label="High"
            )
    filled = page_queries(client, previsit)

    assert filled == empty
    assert max(filled.values()) <= 5


def test_the_reasons_section_shows_the_self_check_answers_sent_with_the_booking(client):
    appointment = book()
    appointment.lead.answers = [{"question": "Does it wake you at night?", "answer": "No"}]
    appointment.lead.activity = ""
    appointment.lead.save()

    response = client.get(section_url(form_of(appointment), "reasons"))

    assert "Does it wake you at night?" in response.content.decode()
    assert response.context["form"].initial["activities"] == ["running"]
    assert response.context["form"].initial["body_area"] == ["knee"]


def test_reasons_needs_a_problem_and_a_goal(client, previsit):
    response = client.post(section_url(previsit, "reasons"), {**REASONS, "goals": ""})
    assert response.context["form"].errors == {"goals": ["Tell us at least one goal."]}


@pytest.mark.parametrize("typed", ["x", "Pat", "Pat 3", "P4t Runner", "!! ??"])
def test_a_signature_needs_two_words_of_letters(client, previsit, typed):
    response = client.post(section_url(previsit, "consent"), consent_data(typed))

    assert response.status_code == 200
    assert response.context["form"].errors["typed_name"] == [
        "Type your first and last name, in letters, like Pat Rivera."
    ]
    assert f'value="{typed}"' in response.content.decode()


@pytest.mark.parametrize("typed", ["Pat Runner", "pat q. runner", "Pát Rúnner", "Mary-Jo O'Brien"])
def test_a_name_of_letters_signs(client, previsit, typed):
    response = client.post(section_url(previsit, "consent"), consent_data(typed))

    assert response.status_code == 302
