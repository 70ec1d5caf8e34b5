"""Staff see the waitlist working: entries with their offers, times freed today and
whether they were filled, and the weekly fill rate."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from intake.models import FreedTime, FreedTimeStatus, WaitlistEntry
from intake.waitlist import run_offer_round
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.waitlist_factories import NOW, freed_at, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana():
    return make_clinician("Dana Lee", hours=[(time(8), time(19))])


@pytest.fixture
def visit():
    return make_type(name="Follow-up visit", duration_minutes=60)


def freed(dana, visit, *, freed_at_: object, filled_after: timedelta | None = None) -> FreedTime:
    filled = None
    if filled_after is not None:
        filled = make_appointment(
            clinician=dana, appointment_type=visit, start=freed_at_ + timedelta(days=3)
        )
    return FreedTime.objects.create(
        clinician=dana,
        appointment_type=visit,
        start=freed_at_ + timedelta(days=3),
        freed_at=freed_at_,
        status=FreedTimeStatus.FILLED if filled else FreedTimeStatus.UNFILLED,
        filled_by=filled,
        filled_at=freed_at_ + filled_after if filled_after is not None else None,
    )


def test_weekly_figures_give_fill_rate_and_median_minutes_to_fill(dana, visit):
    monday = local(2030, 1, 7, 9)
    freed(dana, visit, freed_at_=monday, filled_after=timedelta(minutes=10))
    freed(dana, visit, freed_at_=monday + timedelta(hours=1), filled_after=timedelta(minutes=30))
    freed(dana, visit, freed_at_=monday + timedelta(days=2), filled_after=timedelta(minutes=50))
    freed(dana, visit, freed_at_=monday + timedelta(days=3))
    freed(dana, visit, freed_at_=monday - timedelta(days=1))  # the Sunday: the week before

    this_week, last_week = FreedTime.objects.weekly_figures(today=date(2030, 1, 9), weeks=2)

    assert (this_week.monday, this_week.freed, this_week.filled) == (date(2030, 1, 7), 4, 3)
    assert this_week.fill_rate == 75
    assert this_week.median_minutes_to_fill == 30
    assert (last_week.freed, last_week.filled, last_week.fill_rate) == (1, 0, 0)


def test_today_lists_the_times_freed_today_and_whether_they_were_filled(
    client, group_member, dana, visit
):
    now = timezone.now()
    freed(dana, visit, freed_at_=now, filled_after=timedelta(minutes=12))
    freed(dana, visit, freed_at_=now - timedelta(seconds=1))
    client.force_login(group_member("Front desk"))

    page = client.get("/admin/").text

    assert "Times freed today" in page
    assert "filled from the waitlist in 12 min" in page
    assert "nobody on the waitlist took it" in page


def test_the_freed_times_list_shows_the_figures_in_fixed_queries(
    client, group_member, dana, visit, django_assert_max_num_queries
):
    client.force_login(group_member("Clinician"))
    for n in range(3):
        freed(dana, visit, freed_at_=timezone.now() - timedelta(days=n), filled_after=timedelta(5))
    with django_assert_max_num_queries(12) as few:
        client.get("/admin/intake/freedtime/")
    for n in range(3, 30):
        freed(dana, visit, freed_at_=timezone.now() - timedelta(days=n), filled_after=timedelta(5))

    with django_assert_max_num_queries(len(few)):
        page = client.get("/admin/intake/freedtime/").text

    assert "How the waitlist fills freed times, per week" in page


def test_the_waitlist_lists_entries_with_their_offers_in_fixed_queries(
    client, group_member, dana, visit, django_assert_max_num_queries
):
    client.force_login(group_member("Front desk"))
    join(visit)
    with django_assert_max_num_queries(12) as few:
        client.get("/admin/intake/waitlistentry/")
    for _ in range(20):
        join(visit)

    with django_assert_max_num_queries(len(few)):
        page = client.get("/admin/intake/waitlistentry/").text
    assert "Waiting 1" in page or "Waiting" in page


def test_a_clinician_sets_priority_and_that_entry_is_offered_first(
    client, group_member, dana, visit
):
    first, second = join(visit, now=NOW - timedelta(days=3)), join(visit)
    client.force_login(group_member("Clinician"))

    response = client.post(
        f"/admin/intake/waitlistentry/{second.pk}/change/", {"priority": "5"} | inline_management()
    )

    assert response.status_code == 302
    second.refresh_from_db()
    assert second.priority == 5
    appointment = make_appointment(clinician=dana, appointment_type=visit, start=freed_at(9))
    freed_time = FreedTime.objects.create(
        clinician=dana, appointment_type=visit, start=appointment.start, freed_at=NOW
    )
    appointment.delete()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.WAITLIST_ROUND_SIZE", 1)
        [offer] = run_offer_round(freed_time_id=freed_time.pk, now=NOW)
    assert offer.entry == second
    assert WaitlistEntry.objects.get(pk=first.pk).priority == 0


def inline_management() -> dict:
    return {
        "offers-TOTAL_FORMS": "0",
        "offers-INITIAL_FORMS": "0",
        "offers-MIN_NUM_FORMS": "0",
        "offers-MAX_NUM_FORMS": "1000",
    }


def test_front_desk_and_clinicians_see_the_waitlist_after_a_fresh_migrate():
    for name in ("Front desk", "Clinician"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_waitlistentry", "change_waitlistentry", "view_freedtime"} <= codenames


def test_the_front_desk_puts_a_caller_on_the_waitlist_from_their_lead(
    client, group_member, dana, visit
):
    from tests.intake.leads_support import make_lead

    lead = make_lead(name="Cal Caller", email="cal@example.com")
    client.force_login(group_member("Front desk"))
    lead_page = client.get(f"/admin/intake/lead/{lead.pk}/change/").text
    assert f"/admin/intake/waitlistentry/for-lead/{lead.pk}/" in lead_page
    form = client.get(f"/admin/intake/waitlistentry/for-lead/{lead.pk}/").text
    assert 'value="cal@example.com"' in form
    today = timezone.localdate()

    response = client.post(
        f"/admin/intake/waitlistentry/for-lead/{lead.pk}/",
        {
            "visit_type": visit.pk,
            "clinician": "any",
            "from_date": today.isoformat(),
            "until_date": (today + timedelta(days=20)).isoformat(),
            "name": "Cal Caller",
            "email": "cal@example.com",
            "phone": "(608) 555-0199",
        },
    )

    assert response.url == f"/admin/intake/lead/{lead.pk}/change/"
    entry = WaitlistEntry.objects.get()
    assert (entry.email, entry.appointment_type) == ("cal@example.com", visit)
    assert entry.lead == lead
    assert list(lead.notes.values_list("text", flat=True)) == [
        "Joined the waitlist for Follow-up visit."
    ]
    lead_page = client.get(f"/admin/intake/lead/{lead.pk}/change/").text
    assert f'href="/admin/intake/waitlistentry/{entry.pk}/change/">Follow-up visit</a>' in lead_page
    assert "with any clinician" in lead_page


def test_a_staff_until_date_beyond_the_window_is_named_on_the_field(client, group_member, dana):
    from tests.intake.leads_support import make_lead

    short = make_type(booking_window_days=7)
    lead = make_lead(name="Cal Caller", email="cal@example.com")
    client.force_login(group_member("Front desk"))
    today = timezone.localdate()

    response = client.post(
        f"/admin/intake/waitlistentry/for-lead/{lead.pk}/",
        {
            "visit_type": short.pk,
            "clinician": "any",
            "from_date": today.isoformat(),
            "until_date": (today + timedelta(days=20)).isoformat(),
            "name": "Cal Caller",
            "email": "cal@example.com",
            "phone": "(608) 555-0199",
        },
    )

    assert response.status_code == 200
    assert "We book up to 7 days ahead" in response.text
    assert not WaitlistEntry.objects.exists()
