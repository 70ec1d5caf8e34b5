"""The clinic's address, hours and directions: one record staff edit in the admin, shown
on every page and artefact a patient sees, never invented."""

import json
import re
from datetime import time, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from clinic.views import server_error
from education.models import ContentVersion
from intake import emails
from intake.booking import Patient, book_appointment, find_slots
from intake.clinic_details import clinic_details, forget_clinic_details, the_record
from intake.models import ClinicDetails, Clinician, OpeningHours
from tests.intake.booking_factories import make_clinician, make_type
from tests.intake.leads_support import make_lead
from tests.intake.queued_emails import deliver_queued_emails

ADDRESS = "1234 Example St, Suite 5"
MAP = "https://www.openstreetmap.org/#map=18/43.07/-89.40"


def json_ld(body: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(block.group(1))


def edit_in_admin(client, superuser, **changes):
    """Save the record through its admin page, as staff do, with Monday 7-6 hours."""
    client.force_login(superuser)
    page = client.get("/admin/intake/clinicdetails/", follow=True)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "hours-TOTAL_FORMS": "2",
            "hours-INITIAL_FORMS": "0",
            "hours-0-weekday": "0",
            "hours-0-opens": "07:00",
            "hours-0-closes": "18:00",
            "hours-1-weekday": "5",
            "hours-1-opens": "08:00",
            "hours-1-closes": "12:00",
            **changes,
        }
    )
    response = client.post(page.request["PATH_INFO"], data)
    client.logout()
    return response


@pytest.mark.django_db
def test_until_staff_enter_an_address_pages_say_only_madison_wi(client, superuser):
    for url in ("/", "/contact/", "/guides/"):
        body = client.get(url).content.decode()
        assert "Madison, WI" in body, url
        assert "Example St" not in body
    address = json_ld(client.get("/").content.decode())["address"]
    assert "streetAddress" not in address
    assert address["addressLocality"] == "Madison"
    client.force_login(superuser)
    admin_page = client.get("/admin/intake/clinicdetails/", follow=True).content.decode()
    assert "The street address is missing" in admin_page


@pytest.mark.django_db
def test_staff_edit_the_one_record_and_every_page_shows_it(client, superuser):
    response = edit_in_admin(
        client,
        superuser,
        street_address=ADDRESS,
        postal_code="53703",
        parking_notes="Free parking behind the building.",
        transit_notes="Bus route 2 stops at the door.",
        map_url=MAP,
        email="desk@peak.example",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ClinicDetails.objects.count() == 1

    line = f"{ADDRESS}, Madison, WI 53703"
    footer = client.get("/guides/").content.decode()
    assert line in footer and "desk@peak.example" in footer
    for url in ("/", "/contact/"):
        body = client.get(url).content.decode()
        assert line in body, url
        assert "Free parking behind the building." in body
        assert "Bus route 2 stops at the door." in body
        assert f'href="{MAP}"' in body
        assert re.search(r"<dt>Monday</dt><dd>7:00 AM to 6:00 PM</dd>", body)
        assert re.search(r"<dt>Sunday</dt><dd>Closed</dd>", body)
    data = json_ld(client.get("/").content.decode())
    assert data["address"]["streetAddress"] == ADDRESS
    assert data["address"]["postalCode"] == "53703"
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "07:00",
        "closes": "18:00",
    } in data["openingHoursSpecification"]
    assert client.get("/admin/intake/clinicdetails/add/").status_code in (302, 403)


@pytest.mark.django_db
def test_a_clinic_without_an_email_shows_no_empty_email_link(client):
    """The admin asks for an email, but a record saved another way may lack one; a link
    that opens a blank message with no address would only confuse a patient."""
    ClinicDetails.objects.filter(pk=1).update(email="")
    forget_clinic_details()
    for url in ("/", "/contact/", "/guides/"):
        body = client.get(url).content.decode()
        assert "mailto:" not in body, url
        assert "Email:" not in body, url
        footer = body[body.index("<footer") :]
        assert "Hours and directions" in footer
        assert "· ·" not in footer
    business = json_ld(client.get("/").content.decode())
    assert business["telephone"] == "+16082184215"
    assert "email" not in business


@pytest.mark.django_db
def test_emails_from_a_clinic_without_an_email_sign_off_with_the_phone_alone():
    ClinicDetails.objects.filter(pk=1).update(email="")
    forget_clinic_details()
    emails.queue_lead_emails(make_lead(email="sam@example.com"), acknowledge=True)

    (acknowledgement,) = [m for m in deliver_queued_emails() if m.to == ["sam@example.com"]]

    assert "(608) 218-4215\n" in acknowledgement.body
    assert "·" not in acknowledgement.body


@pytest.mark.django_db
def test_the_clinics_email_is_in_the_signature_and_for_search_engines(client):
    emails.queue_lead_emails(make_lead(email="sam@example.com"), acknowledge=True)

    (acknowledgement,) = [m for m in deliver_queued_emails() if m.to == ["sam@example.com"]]

    assert "(608) 218-4215 · hello@peakendurancept.com" in acknowledgement.body
    assert json_ld(client.get("/").content.decode())["email"] == "hello@peakendurancept.com"


@pytest.mark.django_db
def test_a_map_link_must_point_at_openstreetmap(client, superuser):
    response = edit_in_admin(client, superuser, map_url="https://maps.example.com/peak")
    assert response.status_code == 200
    assert "Use a link to openstreetmap.org." in response.content.decode()


@pytest.mark.django_db
def test_pages_read_the_details_without_a_query_each(client, django_assert_num_queries):
    client.get("/")  # sessions, content types and the like warm up
    clinic_details()
    with django_assert_num_queries(0):
        client.get("/")


@pytest.mark.django_db(transaction=True)
def test_booking_pages_emails_and_calendar_file_carry_the_address(client, superuser):
    edit_in_admin(client, superuser, street_address=ADDRESS, map_url=MAP)
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(0), time(23, 45))])
    visit = make_type(name="Initial evaluation", slug="evaluation", booking_window_days=28)
    start = timezone.now() + timedelta(days=3)
    # The clinic opens on Mondays and Saturdays only: a week holds one of them.
    slot = find_slots(
        appointment_type=visit, start_date=start.date(), end_date=start.date() + timedelta(7)
    )[0]
    sent = client.post(
        "/book/evaluation/details/",
        {"slot": slot.value, "name": "Pat", "email": "pat@example.com", "phone": "6085550123"},
    )
    review = client.get(sent["Location"]).content.decode()
    assert f"In person at {ADDRESS}, Madison, WI" in review
    assert f'href="{MAP}"' in review
    key = re.search(r'name="key" value="([^"]+)"', review).group(1)
    manage = client.get(client.post("/book/evaluation/confirm/", {"key": key})["Location"])
    assert f"In person at {ADDRESS}, Madison, WI" in manage.content.decode()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    (message,) = [m for m in mail.outbox if "pat@example.com" in m.to]
    assert f"in person at {ADDRESS}, Madison, WI." in message.body
    assert f"Map: {MAP}" in message.body
    event = icalendar.Calendar.from_ical(message.attachments[0].content).walk("VEVENT")[0]
    assert str(event["LOCATION"]).endswith(f"{ADDRESS}, Madison, WI")


@pytest.mark.django_db
def test_the_calendar_file_says_only_the_city_until_an_address_is_entered(db):
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(0), time(23, 45))])
    visit = make_type(name="Initial evaluation", slug="evaluation")
    start = timezone.now() + timedelta(days=3)
    slot = find_slots(
        appointment_type=visit, start_date=start.date(), end_date=start.date() + timedelta(1)
    )[0]
    appointment = book_appointment(
        slot=slot, appointment_type=visit, patient=Patient(name="P", email="p@x.org", phone="")
    )
    event = icalendar.Calendar.from_ical(emails.appointment_ics(appointment)).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == ("Peak Endurance Performance & Physical Therapy, Madison, WI")


@pytest.mark.django_db
def test_the_front_desk_keeps_the_address_up_to_date(client, group_member):
    response = edit_in_admin(client, group_member("Front desk"), street_address=ADDRESS)

    assert response.status_code == 302
    assert ADDRESS in client.get("/").content.decode()


@pytest.mark.django_db
def test_clinicians_may_read_the_clinic_details_but_not_change_them(client, group_member):
    client.force_login(group_member("Clinician"))
    page = client.get("/admin/intake/clinicdetails/", follow=True)

    assert page.status_code == 200
    assert "Madison" in page.content.decode()
    refused = client.post(page.request["PATH_INFO"], {"street_address": ADDRESS})
    assert refused.status_code == 403
    assert ADDRESS not in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_edit_reaches_public_pages_already_kept_for_visitors(client, superuser):
    """Kept copies of guide pages print the address and phone: an edit replaces them."""
    before = Client().get("/guides/").content.decode()
    assert "Example St" not in before
    assert "(608) 218-4215" in before

    response = edit_in_admin(
        client,
        superuser,
        street_address=ADDRESS,
        phone_display="(608) 555-0199",
        phone_e164="+16085550199",
    )
    assert response.status_code == 302

    after = Client().get("/guides/").content.decode()
    assert ADDRESS in after
    assert "(608) 555-0199" in after and "(608) 218-4215" not in after


@pytest.mark.django_db
def test_another_worker_never_keeps_a_public_page_with_the_old_phone(client, superuser):
    """The edit moves the content version; a worker whose details were read before it must
    read them again before it renders the page kept for everyone under the new version."""
    before = clinic_details()
    response = edit_in_admin(
        client, superuser, phone_display="(608) 555-0199", phone_e164="+16085550199"
    )
    assert response.status_code == 302
    forget_clinic_details(before)  # another worker: its copy, read seconds before the edit

    for visitor in (Client(), Client()):  # the first renders and keeps it; the second reads it
        page = visitor.get("/guides/").content.decode()
        assert "(608) 555-0199" in page and "(608) 218-4215" not in page
    # Visitors with a cookie get the guide rendered around parts kept per version.
    stale_cookie = Client()
    stale_cookie.cookies["messages"] = "stale"
    page = stale_cookie.get("/guides/knee-pain-with-running/").content.decode()
    assert "(608) 555-0199" in page and "(608) 218-4215" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("edit", ["record", "hours", "delete hours"])
def test_an_edit_from_the_shell_reaches_kept_public_pages_too(edit):
    """A data migration or the shell saves the models directly; the version still moves,
    so kept pages never show the old phone or hours for the day they are kept."""
    record = the_record()
    hours = OpeningHours.objects.create(clinic=record, weekday=0, opens=time(7), closes=time(18))
    version = ContentVersion.objects.get().number

    if edit == "record":
        record.phone_display = "(608) 555-0199"
        record.save()
    elif edit == "hours":
        hours.closes = time(17)
        hours.save()
    else:
        hours.delete()

    assert ContentVersion.objects.get().number == version + 1


@pytest.mark.django_db
def test_the_server_error_page_shows_the_phone_staff_keep_without_asking_the_database(
    client, superuser, monkeypatch, django_assert_num_queries
):
    """A 500 may come from the database; the page uses this worker's copy of the details."""
    edit_in_admin(client, superuser, phone_display="(608) 555-0199", phone_e164="+16085550199")
    clinic_details()  # this worker's copy, read on an earlier page

    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)

    body = response.content.decode()
    assert response.status_code == 500
    assert 'href="tel:+16085550199"' in body and "(608) 555-0199" in body
