"""What clinicians see of a patient's outcome measures in the admin, what the front desk
does not, and how clinicians keep the measures themselves."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import Measure, MeasureResponse, PreVisit, ReadAction, ReadLogEntry
from tests.intake.leads_support import make_lead
from tests.intake.previsit_factories import make_episode, make_previsit

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinician(client, group_member):
    client.force_login(group_member("Clinician"))
    return client


@pytest.fixture
def front_desk(client, group_member):
    client.force_login(group_member("Front desk"))
    return client


def appointment_page(forms: list[PreVisit]) -> str:
    return f"/admin/intake/appointment/{forms[-1].appointment_id}/change/"


def lead_page(lead) -> str:
    return f"/admin/intake/lead/{lead.pk}/change/"


def test_clinician_sees_each_measure_as_a_chart_and_a_table_on_the_appointment_page(clinician):
    forms = make_episode(
        psfs=[{"Running 5 km": 2}, {"Running 5 km": 5}, {"Running 5 km": 7}],
        pain_now=[7, 6, 6],
    )

    page = clinician.get(appointment_page(forms)).content.decode()

    assert "Outcome measures" in page
    assert page.count('<svg class="outcome-svg" role="img"') == 3  # PSFS, its activity, pain
    assert "Patient-Specific Functional Scale, 3 visits: from 2 to 7, improved by 5 points" in (
        page
    )
    assert "Pain rating, 3 visits: from 7 to 6, no important change: 1 point, less than" in page
    assert "Clinically important change:\n    <strong>yes</strong>" in page
    assert "Clinically important change:\n    <strong>no</strong>" in page
    assert "this visit" in page


def test_clinician_sees_the_patients_charts_on_the_lead_page(clinician):
    lead = make_lead()
    make_episode(psfs=[{"Climbing": 3}, {"Climbing": 6}], lead=lead)

    page = clinician.get(lead_page(lead)).content.decode()

    assert "Patient-Specific Functional Scale: Climbing" in page
    assert "+3: improved" in page


def test_a_lead_without_forms_says_no_measures_yet(clinician):
    page = clinician.get(lead_page(make_lead())).content.decode()

    assert "No outcome measures answered yet" in page


def test_front_desk_sees_no_scores_on_the_appointment_or_lead_page(front_desk):
    lead = make_lead()
    forms = make_episode(psfs=[{"Running 5 km": 2}, {"Running 5 km": 5}], lead=lead)

    for url in (appointment_page(forms), lead_page(lead)):
        response = front_desk.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Outcome measures" not in page
        assert "Running 5 km" not in page
        assert "outcome-svg" not in page


def read_log() -> list[tuple]:
    return list(
        ReadLogEntry.objects.order_by("pk").values_list(
            "lead", "appointment", "user__username", "action"
        )
    )


def test_each_showing_of_the_scores_on_an_appointment_page_is_in_the_read_log(client, group_member):
    """The scores are before-visit answers: the page logs them as the summary does."""
    client.force_login(group_member("Clinician"))
    lead = make_lead()
    forms = make_episode(psfs=[{"Running 5 km": 2}, {"Running 5 km": 5}], lead=lead)
    visit = forms[-1].appointment

    client.get(appointment_page(forms))
    client.get(appointment_page(forms))

    seen = (lead.pk, visit.pk, "clinician", ReadAction.VIEWED_PREVISIT)
    assert read_log() == [seen, seen]


def test_an_appointment_page_without_scores_or_for_the_front_desk_logs_no_read(
    client, group_member
):
    lead = make_lead()
    forms = make_episode(psfs=[{"Running 5 km": 2}], lead=lead)
    visit_without_scores = make_previsit(lead=make_lead(email="other@example.com"))
    client.force_login(group_member("Clinician"))
    page = client.get(f"/admin/intake/appointment/{visit_without_scores.appointment_id}/change/")
    assert "No outcome measures answered yet" in page.content.decode()

    client.force_login(group_member("Front desk"))
    client.get(appointment_page(forms))

    assert read_log() == []


def test_the_lead_page_with_scores_still_logs_one_view_of_the_lead(client, group_member):
    client.force_login(group_member("Clinician"))
    lead = make_lead()
    make_episode(psfs=[{"Climbing": 3}, {"Climbing": 6}], lead=lead)

    page = client.get(lead_page(lead)).content.decode()

    assert "Patient-Specific Functional Scale: Climbing" in page
    assert read_log() == [(lead.pk, None, "clinician", ReadAction.VIEWED)]


def test_front_desk_cannot_open_the_answers_list(front_desk):
    assert front_desk.get("/admin/intake/measureresponse/").status_code == 403


@pytest.mark.parametrize("page_of", [appointment_page, lead_page])
def test_the_outcome_charts_cost_the_same_queries_at_1_and_10_visits(clinician, page_of):
    def count(visits: int) -> int:
        lead = make_lead(email=f"visits{visits}@example.com")
        forms = make_episode(
            psfs=[{"Running": n % 11, "Lifting": 5} for n in range(visits)],
            pain_now=[n % 11 for n in range(visits)],
            lead=lead,
        )
        url = page_of(forms) if page_of is appointment_page else page_of(lead)
        clinician.get(url)  # the session and permissions, once
        with CaptureQueriesContext(connection) as queries:
            response = clinician.get(url)
        assert response.content.decode().count('class="dot"') == visits * 4
        return len(queries)

    one, ten = count(1), count(10)

    assert one == ten, f"{one} queries at 1 visit, {ten} at 10"


def test_answers_cannot_be_changed_even_by_a_superuser(client, superuser):
    [form] = make_episode(psfs=[{"Running": 4}])
    response = MeasureResponse.objects.get(previsit=form)
    client.force_login(superuser)
    url = f"/admin/intake/measureresponse/{response.pk}/change/"

    page = client.get(url)
    posted = client.post(url, {"score": "10"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    response.refresh_from_db()
    assert response.score == 4
    assert client.get("/admin/intake/measureresponse/add/").status_code == 403


def measure_form(**overrides) -> dict:
    data = {
        "name": "Lower Extremity Function",
        "slug": "lower-extremity",
        "instructions": "Rate each activity.",
        "active": "on",
        "position": "3",
        "scoring": "sum",
        "higher_is_better": "on",
        "mcid": "9",
        "max_items": "5",
        "source": "Our own wording.",
        "licence": "Clinic's own.",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, key in enumerate(["stairs", "squat"]):
        data |= {
            f"items-{n}-position": str(n),
            f"items-{n}-key": key,
            f"items-{n}-text": f"How hard is {key}?",
            f"items-{n}-scale_min": "0",
            f"items-{n}-scale_max": "4",
            f"items-{n}-min_label": "Extreme difficulty",
            f"items-{n}-max_label": "No difficulty",
        }
    return data | overrides


def errors(response) -> str:
    return " ".join(re.sub(r"\s+", " ", response.content.decode()).split("errorlist")[1:])


def test_clinician_adds_a_measure_with_its_items(clinician):
    response = clinician.post("/admin/intake/measure/add/", measure_form())

    assert response.status_code == 302
    measure = Measure.objects.get(slug="lower-extremity")
    assert [item.key for item in measure.items.all()] == ["stairs", "squat"]


def test_a_measure_whose_items_patients_name_must_have_exactly_one_item(clinician):
    response = clinician.post("/admin/intake/measure/add/", measure_form(patient_names_items="on"))

    assert response.status_code == 200
    assert "so it has exactly one item" in response.content.decode()
    assert 'value="Lower Extremity Function"' in response.content.decode()  # input kept
    assert not Measure.objects.filter(slug="lower-extremity").exists()


def test_an_item_whose_highest_answer_is_not_above_its_lowest_is_refused(clinician):
    response = clinician.post(
        "/admin/intake/measure/add/", measure_form(**{"items-1-scale_max": "0"})
    )

    assert response.status_code == 200
    assert "The highest answer must be above the lowest." in response.content.decode()
    assert not Measure.objects.filter(slug="lower-extremity").exists()


def test_the_measure_page_shows_its_source_and_licence(clinician):
    psfs = Measure.objects.get(slug="psfs")

    page = clinician.get(f"/admin/intake/measure/{psfs.pk}/change/").content.decode()
    listing = clinician.get("/admin/intake/measure/").content.decode()

    assert "Stratford P, Gill C" in page
    assert "Free to use in clinical practice." in page
    assert "Free to use in clinical practice." in listing


def test_a_patients_two_episodes_are_charted_apart_on_the_lead_page(clinician):
    from datetime import timedelta

    from django.utils import timezone

    lead = make_lead()
    make_episode(
        psfs=[{"Squats": 2}, {"Squats": 7}],
        lead=lead,
        first_start=timezone.now() - timedelta(days=300),
    )
    make_episode(psfs=[{"Running": 4}], lead=lead)

    page = clinician.get(lead_page(lead)).content.decode()

    assert page.count('<h3 class="outcome-episode">Episode of care from') == 2
    assert '<h4 class="outcome-title">Patient-Specific Functional Scale: Squats</h4>' in page
    assert "not yet known</strong>: one score so far" in page


@pytest.mark.parametrize(
    "garbage",
    [
        {"mcid": "NaN"},
        {"mcid": "1e400"},
        {"items-0-scale_max": "99999999999999999999"},
        {"items-TOTAL_FORMS": "lots"},
        {"items-0-key": "not a slug!"},
        {"scoring": "median"},
        {"name": "\x00"},
    ],
)
def test_bad_input_on_the_measure_form_is_a_clear_error_not_a_crash(clinician, garbage):
    response = clinician.post("/admin/intake/measure/add/", measure_form(**garbage))

    assert response.status_code == 200
    assert "Please correct the error" in response.content.decode()
    assert not Measure.objects.filter(slug="lower-extremity").exists()


def test_once_patients_have_answered_the_scoring_cannot_change(clinician):
    make_episode(psfs=[{"Running": 4}])
    psfs = Measure.objects.get(slug="psfs")

    page = clinician.get(f"/admin/intake/measure/{psfs.pk}/change/").content.decode()

    assert 'name="scoring"' not in page
    assert 'name="patient_names_items"' not in page
    assert 'name="mcid"' in page  # the MCID may be revised: it only changes the reading


def test_a_visit_without_a_form_shows_the_patients_other_visits_scores(clinician):
    """Measures may be asked only every Nth follow-up (FOLLOW_UP_MEASURES_EVERY)."""
    from datetime import timedelta

    from tests.intake.booking_factories import make_appointment, make_type

    lead = make_lead()
    forms = make_episode(psfs=[{"Running": 2}, {"Running": 6}], lead=lead)
    visit_without_form = make_appointment(
        clinician=forms[0].appointment.clinician,
        appointment_type=make_type(),
        start=forms[-1].appointment.start + timedelta(days=7),
        lead=lead,
    )

    page = clinician.get(f"/admin/intake/appointment/{visit_without_form.pk}/change/")

    text = page.content.decode()
    assert "This visit has no before-visit form" in text
    assert "Patient-Specific Functional Scale: Running" in text
    assert "this visit" not in text


def test_the_measure_lists_show_numbers_as_the_charts_print_them(clinician):
    make_episode(psfs=[{"Running": 4, "Stairs": 7}], pain_now=[6])

    answers = clinician.get("/admin/intake/measureresponse/").content.decode()
    measures = clinician.get("/admin/intake/measure/").content.decode()

    assert '<td class="field-score_shown">5.5</td>' in answers
    assert "5.50" not in answers
    assert '<td class="field-mcid_shown">2</td>' in measures
    assert "2.00" not in measures
