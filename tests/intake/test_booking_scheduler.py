"""The front desk's scheduler: free times at a glance (the same rules as online, or past
them with the named confirmation), a click to a filled-in booking form, booking from a
lead, a patient search, and free times nearby after a clash, on Book and on Move."""

import re
from datetime import UTC, time, timedelta
from html import unescape

import pytest
from django.utils import timezone
from hypothesis import example, given

import tests.test_public_input as fuzz
from intake.booking import BOOKABLE_YEARS, staff_times
from intake.forms.booking import SchedulerForm, StaffBookingForm, booking_prefill, scheduler_page
from intake.models import Appointment, Clinician, Lead, LeadSource, LeadStatus, TimeOff
from tests.intake.booking_factories import (
    local,
    make_appointment,
    make_clinician,
    make_type,
    monday_a_week_ahead,
)
from tests.intake.staff_booking_form import booking_data, split

ADD = "/admin/intake/appointment/add/"
SCHEDULE = "/admin/intake/appointment/schedule/"


@pytest.fixture
def desk(client, group_member):
    client.force_login(group_member("Front desk"))
    return client


@pytest.fixture
def dana(db):
    Clinician.objects.all().delete()
    return make_clinician("Dana Lee", hours=[(time(9), time(12))], weekdays=range(5))


@pytest.fixture
def visit(db):
    return make_type(name="Initial evaluation", slug="evaluation", minimum_notice_hours=24)


def monday(hour: int = 9, minute: int = 0):
    day = monday_a_week_ahead(timezone.localdate())
    return local(day.year, day.month, day.day, hour, minute)


def time_links(html: str) -> list[str]:
    """The booking-form addresses the scheduler's time buttons open."""
    return [
        unescape(link)
        for link in re.findall(r'href="(/admin/intake/appointment/add/\?[^"]+)"', html)
    ]


def test_scheduler_shows_the_online_free_times_by_day_each_opening_the_filled_in_form(
    desk, dana, visit
):
    make_appointment(clinician=dana, appointment_type=visit, start=monday(10))

    page = desk.get(SCHEDULE, {"appointment_type": visit.pk, "day": f"{monday():%Y-%m-%d}"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Monday, " in html and "<details" in html
    links = [link for link in time_links(html) if f"{monday():%Y-%m-%d}" in link]
    # 9:00 and 11:00 are free on Monday; 10:00 is booked.
    assert [re.search(r"start=[^&]+", link).group(0) for link in links] == [
        f"start={monday():%Y-%m-%d}T09:00",
        f"start={monday():%Y-%m-%d}T11:00",
    ]
    form = desk.get(links[0]).content.decode()
    assert f'value="{monday():%Y-%m-%d}"' in form
    assert 'value="09:00"' in form
    assert re.search(rf'<option value="{dana.pk}" selected>', form)
    assert re.search(rf'<option value="{visit.pk}" selected>', form)


def test_outside_times_ask_for_the_named_confirmation_when_booked(desk, dana, visit):
    page = desk.get(
        SCHEDULE,
        {"appointment_type": visit.pk, "day": f"{monday():%Y-%m-%d}", "outside_rules": "on"},
    ).content.decode()
    assert "asks to confirm" in page
    early = f"start={monday():%Y-%m-%d}T07:00"
    assert any(early in link for link in time_links(page))

    response = desk.post(ADD, booking_data(dana, visit, monday(7)))

    assert response.status_code == 200
    assert "is outside Dana Lee&#x27;s hours" in response.content.decode()
    assert not Appointment.objects.exists()


def test_scheduler_queries_stay_the_same_for_one_or_many_clinicians_and_visits(
    desk, dana, visit, django_assert_max_num_queries
):
    params = {"appointment_type": visit.pk, "outside_rules": "on", "q": "pat"}
    # 14 for the week's times (closures among them), 4 more past the rules, 2 for the
    # search (measured).
    with django_assert_max_num_queries(20) as few:
        desk.get(SCHEDULE, params)
    for n in range(6):
        other = make_clinician(f"Clinician {n}", hours=[(time(8), time(18))], position=n + 1)
        for day in range(5):
            make_appointment(
                clinician=other,
                appointment_type=visit,
                start=monday(9) + timedelta(days=day),
                patient_name=f"Pat {n} {day}",
            )
        Lead.objects.create(name=f"Pat Lead {n}", email=f"pat{n}@example.com")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = desk.get(SCHEDULE, params)
    assert "Clinician 5" in page.content.decode()


def test_patient_search_finds_leads_and_earlier_visits_by_name_phone_or_email_up_to_ten(
    desk, dana, visit, django_assert_max_num_queries
):
    lead = Lead.objects.create(name="Pat Caller", email="pat@example.com", phone="+16085550142")
    make_appointment(
        clinician=dana, appointment_type=visit, start=monday(), patient_name="Robin Walk-in"
    )
    for term in ("caller", "(608) 555-0142", "PAT@example"):
        html = desk.get(SCHEDULE, {"q": term}).content.decode()
        assert f"lead={lead.pk}" in html, term
    assert "Book for Robin Walk-in" in desk.get(SCHEDULE, {"q": "robin"}).content.decode()

    for n in range(15):
        Lead.objects.create(name=f"Sam {n}", email=f"sam{n}@example.com")
    with django_assert_max_num_queries(30):
        html = desk.get(SCHEDULE, {"q": "sam"}).content.decode()
    assert html.count("Book for Sam") == 10
    assert "Showing the first 10" in html


def test_booking_from_a_lead_fills_in_their_details_and_links_the_visit_to_that_lead(
    desk, dana, visit
):
    # Written in under an old address: matching by email would not find this lead.
    lead = Lead.objects.create(
        name="Pat Caller",
        email="old@example.com",
        phone="+16085550142",
        source=LeadSource.CONTACT_FORM,
    )
    lead_page = desk.get(f"/admin/intake/lead/{lead.pk}/change/").content.decode()
    assert f"{SCHEDULE}?lead={lead.pk}" in lead_page

    scheduler = desk.get(SCHEDULE, {"lead": lead.pk}).content.decode()
    assert "Booking for <strong>Pat Caller</strong>" in scheduler
    link = next(link for link in time_links(scheduler) if f"lead={lead.pk}" in link)
    form = desk.get(link).content.decode()
    assert 'value="Pat Caller"' in form and 'value="old@example.com"' in form
    assert 'value="(608) 555-0142"' in form

    data = booking_data(dana, visit, monday(), lead=lead.pk, patient_email="new@example.com")
    response = desk.post(link, data)

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert appointment.lead == lead
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SCHEDULED
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [
        "clinician=abc&appointment_type=-1&start=nonsense&lead=%00",
        "clinician=99999999999999999999999&start=2026-13-45T25:61&lead=1.5",
        "start=0001-01-01T00:00&appointment_type=%EF%BC%91&lead=999999",
        "start=2026-12-08T09:00:00Z&clinician=&clinician=1&lead=[]",
        "start=%D9%A2%D9%A0%D9%A2%D9%A6-12-08T09:00",
        "appointment=x&lead=&day=2026-02-30&outside_rules=maybe&q=" + "x" * 500,
    ],
)
def test_prefill_and_scheduler_ignore_bad_values(desk, dana, visit, query):
    form = desk.get(f"{ADD}?{query}")
    assert form.status_code == 200
    assert "errornote" not in form.content.decode()
    assert desk.get(f"{SCHEDULE}?{query}").status_code == 200


def test_prefill_contract_fills_each_field_it_names(desk, dana, visit):
    lead = Lead.objects.create(name="Pat Caller", email="pat@example.com")
    html = desk.get(
        ADD,
        {
            "clinician": dana.pk,
            "appointment_type": visit.pk,
            "start": "2027-03-14T02:30",  # skipped by the spring clock change: still shown
            "lead": lead.pk,
        },
    ).content.decode()
    assert 'value="2027-03-14"' in html
    assert 'value="Pat Caller"' in html
    assert f'name="lead" value="{lead.pk}"' in html
    assert 'type="date"' in html and 'type="time"' in html


def test_a_clash_on_book_offers_free_times_nearby_and_one_click_books_one(desk, dana, visit):
    make_appointment(clinician=dana, appointment_type=visit, start=monday(9))

    refused = desk.post(ADD, booking_data(dana, visit, monday(9)))

    html = refused.content.decode()
    assert "already has an appointment at that time" in html
    assert "Free times nearby" in html
    chosen = f"{dana.pk}|{monday(10).astimezone(UTC):%Y%m%dT%H%MZ}"
    assert chosen in re.findall(r'name="use_time" value="([^"]+)"', html)
    booked = desk.post(ADD, {**booking_data(dana, visit, monday(9)), "use_time": chosen})
    assert booked.status_code == 302
    assert Appointment.objects.filter(start=monday(10), patient_name="Phone Caller").exists()


def test_move_starts_from_the_current_clinician_and_time_and_a_clash_offers_nearby_times(
    desk, dana, visit
):
    moving = make_appointment(clinician=dana, appointment_type=visit, start=monday(9))
    make_appointment(clinician=dana, appointment_type=visit, start=monday(11))
    url = f"/admin/intake/appointment/{moving.pk}/move/"

    form = desk.get(url).content.decode()
    assert re.search(rf'<option value="{dana.pk}" selected>', form)
    assert f'value="{monday():%Y-%m-%d}"' in form and 'value="09:00"' in form

    refused = desk.post(url, {"clinician": dana.pk, **split(monday(11)), "email_patient": "on"})
    html = refused.content.decode()
    assert "Free times nearby" in html
    chosen = f"{dana.pk}|{monday(10).astimezone(UTC):%Y%m%dT%H%MZ}"
    assert chosen in html
    moved = desk.post(url, {"clinician": dana.pk, **split(monday(11)), "use_time": chosen})
    assert moved.status_code == 302
    moving.refresh_from_db()
    assert moving.start == monday(10)


def test_time_off_and_lead_dates_use_the_browsers_own_pickers(desk, dana):
    time_off = desk.get("/admin/intake/timeoff/add/").content.decode()
    assert 'type="date"' in time_off and 'type="time"' in time_off
    assert "DateTimeShortcuts" not in time_off
    lead = Lead.objects.create(name="Pat", email="pat@example.com")
    lead_page = desk.get(f"/admin/intake/lead/{lead.pk}/change/").content.decode()
    assert re.search(r'<input type="date" name="follow_up_due"', lead_page)


def test_scheduler_prefill_and_staff_booking_form_take_any_input_without_raising(dana, visit):
    """Whatever an address or a post holds: no exception, nothing echoed as markup."""
    shown = ("appointment_type", "clinician", "day", "outside_rules", "lead", "appointment", "q")
    posted_names = (
        "use_time",
        "clinician",
        "appointment_type",
        "start_0",
        "start_1",
        "patient_name",
        "patient_email",
        "patient_phone",
        "lead",
        "confirmed",
    )
    today = timezone.localdate()

    @given(fuzz.fields((*shown, "start")), fuzz.fields(posted_names))
    @example({"start": "9999-12-31T23:59", "day": "9999-12-31"}, {"use_time": "1|99991231T2359Z"})
    def check(params: dict, posted: dict) -> None:
        form = SchedulerForm.read(params, today=today)
        page = scheduler_page(form, now=timezone.now())
        assert all(day["date"].year in BOOKABLE_YEARS for day in page["days"][:1])
        booking_prefill(params)
        staff_form = StaffBookingForm(posted)
        if not staff_form.is_valid():
            assert staff_form.errors
        assert fuzz.MARK not in str(form) + str(staff_form)

    check()


def test_the_scheduler_is_linked_where_the_desk_looks(desk, dana, visit):
    lead = Lead.objects.create(name="Pat Caller", email="pat@example.com")
    today = desk.get("/admin/").content.decode()
    assert f'href="{SCHEDULE}"' in today
    assert f"{SCHEDULE}?lead={lead.pk}" in today  # beside the new lead
    assert f'href="{SCHEDULE}"' in desk.get("/admin/intake/appointment/").content.decode()
    assert f'href="{SCHEDULE}"' in desk.get(ADD).content.decode()


def test_a_clinician_sees_the_free_times_but_only_the_desk_books_them(
    client, group_member, dana, visit
):
    """Clinicians may look (they view appointments) but not add one, as in the admin."""
    client.force_login(group_member("Clinician"))
    page = client.get(SCHEDULE, {"day": f"{monday():%Y-%m-%d}"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "9:00 AM" in html
    assert time_links(html) == []
    assert client.get(ADD).status_code == 403


def test_staff_times_past_the_rules_never_offer_a_clash_time_off_or_a_passed_time(dana, visit):
    day = monday().date()
    make_appointment(clinician=dana, appointment_type=visit, start=monday(7))
    TimeOff.objects.create(clinician=dana, start=monday(18), end=monday(20))
    now = monday(6, 30)

    offers = staff_times(
        appointment_type=visit, first_day=day, last_day=day, outside_rules=True, now=now
    )

    starts = {f"{offer.slot.local_start:%H:%M}": offer.usual for offer in offers}
    # 6:00 has passed, 7:00 is booked, 18:00-20:00 is time off; 9-11 need no confirmation
    # but sit inside the 24-hour notice here, so nothing is "usual" this close.
    assert list(starts) == [
        "08:00",
        "09:00",
        "10:00",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
        "17:00",
        "20:00",
    ]
    assert not any(starts.values())
    later = staff_times(
        appointment_type=visit, first_day=day, last_day=day, now=monday(6, 30) - timedelta(days=3)
    )
    assert [f"{o.slot.local_start:%H:%M}" for o in later] == ["09:00", "10:00", "11:00"]
    assert all(offer.usual for offer in later)
