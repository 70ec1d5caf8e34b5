"""The patient's booking journey at /book/: type, time, details, confirm."""

import re
from datetime import time

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from intake import selfcheck
from intake.booking import SlotTaken, parse_slot_value
from intake.models import (
    Appointment,
    AppointmentMode,
    Clinician,
    Lead,
    LeadSource,
    LeadStatus,
    TriageOutcome,
)
from tests.intake.booking_client import (
    KEY,
    PATIENT,
    SLOT_VALUES,
    arrive_with_answers,
    confirm,
    first_slot,
    press_confirm,
    review,
)
from tests.intake.booking_factories import make_appointment, make_clinician, make_type


@pytest.fixture
def consult(db):
    """A bookable clinician every day 8:00-18:00 and a 15-minute phone consult."""
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(8), time(18))])
    return make_type(
        name="Free phone consult",
        slug="consult",
        duration_minutes=15,
        slot_interval_minutes=15,
        mode=AppointmentMode.PHONE,
        price_text="Free",
        booking_window_days=28,
    )


def test_type_list_shows_each_active_visit_with_length_and_price(
    client, consult, django_assert_num_queries
):
    make_type(name="Retired visit", slug="retired", active=False)

    with django_assert_num_queries(1):
        page = client.get("/book/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Free phone consult" in body
    assert "15 minutes · By phone · Free" in body
    assert 'href="/book/consult/"' in body
    assert "Retired visit" not in body
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_times_page_lists_free_times_by_day_in_central_time(
    client, consult, django_assert_num_queries
):
    # The type, the clinician list, and the slot finder's fixed five (closures the fifth).
    with django_assert_num_queries(7):
        page = client.get("/book/consult/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "All times are Central Time" in body
    values = SLOT_VALUES.findall(body)
    assert values and all(value.startswith("any|") for value in values)
    assert re.search(r">\d{1,2}:\d{2} [AP]M<span class=\"visually-hidden\"> on \w+day", body)
    assert "Later dates" in body


def test_times_page_pages_through_dates_and_filters_by_clinician(client, consult):
    other = make_clinician("Sam Ortiz", hours=[(time(8), time(9))], position=5)
    first_page = client.get("/book/consult/")
    later = re.search(
        r'name="start" value="([\d-]+)">\s*<button[^>]*>Later dates', first_page.content.decode()
    )

    second_page = client.get("/book/consult/", {"start": later.group(1), "clinician": "any"})
    assert "Earlier dates" in second_page.content.decode()
    assert (
        SLOT_VALUES.findall(second_page.content.decode())[0]
        > SLOT_VALUES.findall(first_page.content.decode())[-1]
    )

    only_sam = client.get("/book/consult/", {"clinician": other.pk})
    values = SLOT_VALUES.findall(only_sam.content.decode())
    assert values and all(value.startswith(f"{other.pk}|") for value in values)


def test_bad_filter_values_fall_back_to_defaults_instead_of_failing(client, consult):
    page = client.get("/book/consult/", {"clinician": "nope", "start": "not-a-date"})
    assert page.status_code == 200
    assert SLOT_VALUES.findall(page.content.decode())


def test_patient_books_a_consult_and_lands_on_their_private_page(client, consult):
    slot = first_slot(client, consult)

    details = client.get("/book/consult/details/", {"slot": slot})
    assert details.status_code == 200
    assert "with Dana Lee" in details.content.decode()
    assert "We call you on this number." in details.content.decode()
    checked = review(client, consult, SLOT_VALUES.findall(details.content.decode())[0])
    assert "Check and confirm your booking" in checked.content.decode()
    assert "(608) 555-0123" in checked.content.decode()
    assert Appointment.objects.count() == 0  # nothing is booked before "Confirm"

    done = press_confirm(client, consult, checked)

    assert done.status_code == 302
    assert re.fullmatch(r"/book/manage/[\w-]{40,}/", done["Location"])
    assert "pat" not in done["Location"].lower()
    appointment = Appointment.objects.get()
    assert appointment.patient_name == "Pat Runner"
    assert appointment.patient_phone == "+16085550123"
    assert appointment.start == parse_slot_value(slot)[1]
    lead = appointment.lead
    assert (lead.source, lead.status) == (LeadSource.BOOKING, LeadStatus.SCHEDULED)
    assert lead.message == PATIENT["message"]
    assert DBTaskResult.objects.count() == 2  # patient confirmation and staff notice
    page = client.get(done["Location"])
    assert "You’re booked" in page.content.decode()
    assert "Free phone consult" in page.content.decode()


def test_change_details_reopens_the_form_filled_in(client, consult):
    checked = review(client, consult, first_slot(client, consult))
    assert 'href="/book/consult/details/"' in checked.content.decode()  # "Change details"

    page = client.get("/book/consult/details/")

    body = page.content.decode()
    assert "Your details" in body
    assert "with Dana Lee" in body
    assert 'value="Pat Runner"' in body
    assert "errorlist" not in body and "invalid-feedback" not in body


def test_wrong_details_are_explained_on_the_field_and_input_is_kept(client, consult):
    slot = first_slot(client, consult)

    page = review(client, consult, slot, email="not-an-email", phone="12", name="")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Enter a valid email address." in body
    assert "Enter a phone number we can call" in body
    assert "This field is required." in body
    assert 'value="not-an-email"' in body
    assert PATIENT["message"] in body
    assert Appointment.objects.count() == 0


def test_an_email_too_long_to_store_is_refused_on_the_details_page(client, consult):
    """The column holds 254 characters: a longer address once passed the details and check
    pages and then failed at Confirm with the "site is having trouble" page."""
    slot = first_slot(client, consult)
    email = "a" * 300 + "@example.com"  # 312 characters, valid in form

    page = review(client, consult, slot, email=email)

    assert page.status_code == 200
    assert page.context["form"].errors["email"] == [
        "This email address is too long for us to store: use one of at most 254 characters "
        "(this one has 312)."
    ]
    assert f'value="{email}"' in page.content.decode()
    assert Appointment.objects.count() == 0


def test_losing_the_slot_before_confirming_offers_the_nearest_free_times(client, consult):
    slot = first_slot(client, consult)
    clinician_id, start = parse_slot_value(
        client.get("/book/consult/details/", {"slot": slot}).context["form"].initial["slot"]
    )
    # Someone else takes it while our patient reads the confirm page.
    make_appointment(
        clinician=Clinician.objects.get(pk=clinician_id), appointment_type=consult, start=start
    )

    page = review(client, consult, f"{clinician_id}|{start:%Y%m%dT%H%MZ}")

    body = page.content.decode()
    assert page.status_code == 200
    assert "That time was just taken" in body
    assert 'value="Pat Runner"' in body  # details kept
    alternatives = re.findall(r'name="new_slot"[^>]*value="([^"]+)"', body)
    assert alternatives
    retry = review(
        client, consult, f"{clinician_id}|{start:%Y%m%dT%H%MZ}", new_slot=alternatives[0]
    )
    assert "Check and confirm your booking" in retry.content.decode()
    assert Appointment.objects.count() == 1


def test_a_race_lost_inside_booking_shows_the_taken_page_not_an_error(client, consult, monkeypatch):
    def taken(**kwargs):
        raise SlotTaken()

    monkeypatch.setattr("intake.booking.book_appointment", taken)
    slot = first_slot(client, consult)

    sent = confirm(client, consult, slot)
    page = client.get(sent["Location"])

    assert (sent.status_code, sent["Location"]) == (302, "/book/consult/review/")
    assert page.status_code == 200
    assert "Check and confirm your booking" in page.content.decode()


@pytest.mark.parametrize(
    "slot", ["", "garbage", "any|2020", "99999|20300101T1500Z", "1|19990101T1500Z"]
)
def test_nonsense_or_past_slots_never_error(client, consult, slot):
    assert client.get("/book/consult/details/", {"slot": slot}).status_code == 200
    page = review(client, consult, slot)
    assert page.status_code == 200
    assert "That time was just taken" in page.content.decode() or "Please choose a time" in (
        page.content.decode()
    )
    assert Appointment.objects.count() == 0


def test_unknown_or_inactive_type_is_a_404(client, consult):
    make_type(slug="retired", active=False)
    assert client.get("/book/retired/").status_code == 404
    assert client.get("/book/nope/details/").status_code == 404


def selfcheck_token(outcome: str) -> str:
    return selfcheck.dump_handoff(
        selfcheck.SelfCheckHandoff(
            questionnaire="knee-pain",
            outcome=outcome,
            rule="night-pain" if outcome != TriageOutcome.BOOK_EVALUATION else "default",
            answers=[{"question": "Does it wake you at night?", "answer": "Yes"}],
        )
    )


@pytest.mark.parametrize(
    ("outcome", "advice"),
    [
        (TriageOutcome.EMERGENCY, "Call 911 or go to the nearest emergency department now."),
        (TriageOutcome.SEE_DOCTOR, "Please call your doctor or visit urgent care."),
    ],
)
def test_red_flag_self_check_shows_its_medical_advice_before_booking(
    client, consult, outcome, advice
):
    token = selfcheck_token(outcome)

    arrived = arrive_with_answers(client, token)
    start = client.get(arrived["Location"])
    times = client.get("/book/consult/")
    slot = SLOT_VALUES.findall(times.content.decode())[0]
    details = client.get("/book/consult/details/", {"slot": slot})

    assert (arrived.status_code, arrived["Location"]) == (302, "/book/")
    for page in (start, times, details):
        assert page.status_code == 200
        assert advice in page.content.decode()
        assert token not in page.content.decode()  # it stays in the cookie, never in a page


def test_the_hand_off_waits_in_a_private_cookie_for_the_booking_pages_only(client, consult):
    arrived = arrive_with_answers(client, selfcheck_token(TriageOutcome.BOOK_EVALUATION))
    cookie = arrived.cookies["selfcheck_handoff"]
    assert cookie["path"] == "/book/"
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 4 * 60 * 60


def test_an_altered_hand_off_is_dropped_and_booking_goes_on(client, consult):
    arrived = arrive_with_answers(client, "not-a-token")
    assert "selfcheck_handoff" not in arrived.cookies
    assert client.get("/book/").status_code == 200


def test_arriving_with_answers_ticks_the_box_and_the_check_page_says_they_are_sent(client, consult):
    arrive_with_answers(client, selfcheck_token(TriageOutcome.BOOK_EVALUATION))
    slot = first_slot(client, consult)
    details = client.get("/book/consult/details/", {"slot": slot})
    assert re.search(r'name="attach_answers"[^>]*checked', details.content.decode())
    resolved = details.context["form"].initial["slot"]

    checked = review(client, consult, resolved, attach_answers="on")
    body = checked.content.decode()
    assert "Your self-check answers will be sent to the clinic" in body
    assert 'href="/book/consult/details/#id_attach_answers"' in body  # a way to change it
    done = press_confirm(client, consult, checked)

    lead = Lead.objects.get()
    assert lead.triage_outcome == TriageOutcome.BOOK_EVALUATION
    assert lead.answers == [{"question": "Does it wake you at night?", "answer": "Yes"}]
    # Sent: the hand-off and the self-check's answers are cleared from the browser.
    assert done.cookies["selfcheck_handoff"]["max-age"] == 0
    assert done.cookies["selfcheck"]["path"] == "/check/knee-pain/"
    assert done.cookies["selfcheck"]["max-age"] == 0


def test_self_check_answers_stay_private_when_the_patient_unticks_the_box(client, consult):
    arrive_with_answers(client, selfcheck_token(TriageOutcome.BOOK_EVALUATION))
    slot = first_slot(client, consult)

    checked = review(client, consult, slot, email="quiet@example.com")
    assert "stay private" in checked.content.decode()
    press_confirm(client, consult, checked)

    lead = Lead.objects.get()
    assert lead.triage_outcome == ""
    assert lead.answers == []


def test_booking_joins_the_patients_open_lead_instead_of_starting_another(client, consult):
    existing = Lead.objects.create(name="Pat", email="PAT@example.com", status=LeadStatus.NEW)
    Lead.objects.create(name="Pat", email="pat@example.com", status=LeadStatus.NOT_A_FIT)

    confirm(client, consult, first_slot(client, consult))

    existing.refresh_from_db()
    assert Appointment.objects.get().lead == existing
    assert existing.status == LeadStatus.SCHEDULED
    assert existing.phone == "+16085550123"
    assert PATIENT["message"] in existing.notes.get().text
    assert Lead.objects.count() == 2


def test_booking_joins_an_open_lead_found_by_phone_when_the_email_differs(client, consult):
    existing = Lead.objects.create(
        name="Pat", email="pat.work@example.com", phone="+16085550123", status=LeadStatus.CONTACTED
    )

    confirm(client, consult, first_slot(client, consult))

    existing.refresh_from_db()
    assert Appointment.objects.get().lead == existing
    assert existing.status == LeadStatus.SCHEDULED
    assert Lead.objects.count() == 1


def test_booking_after_a_contact_request_starts_with_the_same_contact_details(client, consult):
    from tests.intake.leads_support import contact_data

    client.post("/contact/", contact_data())
    thanks = client.get("/contact/thanks/").content.decode()
    assert 'href="/book/"' in thanks

    slot = first_slot(client, consult)
    details = client.get(f"/book/{consult.slug}/details/", {"slot": slot}).content.decode()

    assert 'value="Jane Runner"' in details
    assert 'value="jane@example.com"' in details
    assert 'value="(608) 555-0199"' in details
    assert "My knee hurts" not in details  # the message stays with the lead, not the session


def test_home_page_and_header_link_to_booking(client, db):
    body = client.get("/").content.decode()
    assert 'href="/book/"' in body
    assert "Book online" in body


def test_review_and_confirm_are_their_own_addresses_and_only_confirm_books(client, consult):
    slot = first_slot(client, consult)

    checked = review(client, consult, slot)
    body = checked.content.decode()

    assert Appointment.objects.count() == 0
    assert 'action="/book/consult/confirm/"' in body
    # Typing either address, or arriving with no details yet, leads back into the flow.
    assert client.get("/book/consult/confirm/")["Location"] == "/book/consult/review/"
    assert client.get("/book/consult/review/").status_code == 200
    assert Client().get("/book/consult/review/")["Location"] == "/book/consult/"
    assert press_confirm(client, consult, checked).status_code == 302
    assert Appointment.objects.count() == 1


def test_confirming_again_shows_the_first_booking_never_a_second(client, consult):
    """Reload or Forward after "Confirm booking", or a double click, books once."""
    checked = review(client, consult, first_slot(client, consult))

    first = press_confirm(client, consult, checked)
    again = press_confirm(client, consult, checked)
    back_to_review = client.get("/book/consult/review/")
    typed_confirm = client.get("/book/consult/confirm/")

    assert Appointment.objects.count() == 1
    for response in (again, back_to_review, typed_confirm):
        assert (response.status_code, response["Location"]) == (302, first["Location"])


def test_the_check_page_after_a_booking_staff_deleted_starts_over_without_an_error(client, consult):
    checked = review(client, consult, first_slot(client, consult))
    press_confirm(client, consult, checked)
    Appointment.objects.all().delete()

    again = client.get("/book/consult/review/")

    assert (again.status_code, again["Location"]) == (302, "/book/consult/")
    assert press_confirm(client, consult, checked)["Location"] == "/book/consult/review/"
    assert Appointment.objects.count() == 0


def test_a_second_confirm_from_another_tab_finds_the_first_booking(client, consult):
    """The one-time key is stored on the booking, so a confirm from any session finds it."""
    checked = review(client, consult, first_slot(client, consult))
    first = press_confirm(client, consult, checked)
    other_tab = Client()
    key = KEY.search(checked.content.decode()).group(1)
    assert other_tab.post("/book/consult/confirm/", {"key": key})["Location"] == first["Location"]
    assert Appointment.objects.count() == 1


def test_wrong_details_are_summarised_at_the_top_for_focus(client, consult):
    page = review(client, consult, first_slot(client, consult), email="not-an-email")

    body = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'id="error-summary"[^>]*tabindex="-1"[^>]*data-focus-on-load', body)
    assert 'href="#id_email"' in body
    assert Appointment.objects.count() == 0
