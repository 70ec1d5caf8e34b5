"""The patient's side of booking, as issue 20 found it on a phone: a visit booked inside the
change window says so before and after; times come a day at a time; Reschedule never
offers the visit's own time; every visit type's weeks start on the same day; the waitlist
is offered after the times, never instead of one that suits. Clocks are pinned."""

import re
from datetime import UTC, time

import pytest
import time_machine

from intake.booking import any_clinician_value
from intake.models import Appointment
from tests.intake.booking_client import confirm, review
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db

MONDAY_10AM = local(2029, 12, 31, 10)  # the clinic's Monday, 10:00
SUNDAY_10AM = local(2030, 1, 6, 10)
SUNDAY_8PM = local(2030, 1, 6, 20)
WEEK_HEADING = re.compile(r'<h2 class="h4" id="week-heading">([^<]+)</h2>')
DAY_SUMMARIES = re.compile(r'<details class="slot-day"( open)?>\s*<summary><span[^>]*>([^<]+)<')


def any_value(*when) -> str:
    return any_clinician_value(local(*when).astimezone(UTC))


@pytest.fixture
def dana():
    return make_clinician("Dana Lee", hours=[(time(8), time(18))])


@pytest.fixture
def quick():
    """Bookable two hours ahead, every 30 minutes."""
    return make_type(
        name="Quick check", slug="quick", minimum_notice_hours=2, slot_interval_minutes=30
    )


@pytest.fixture
def evaluation():
    """Bookable a day ahead."""
    return make_type(name="Evaluation", slug="evaluation", minimum_notice_hours=24)


# Inside the change window


def test_check_page_warns_that_a_visit_inside_the_window_cannot_be_changed_online(
    client, dana, quick
):
    with time_machine.travel(MONDAY_10AM, tick=False):
        page = review(client, quick, any_value(2029, 12, 31, 15))

    body = page.content.decode()
    assert "You won’t be able to change this online" in body
    assert "less than 24 hours away" in body
    assert 'href="tel:' in body


def test_check_page_says_nothing_of_the_sort_for_a_visit_two_days_ahead(client, dana, quick):
    with time_machine.travel(MONDAY_10AM, tick=False):
        page = review(client, quick, any_value(2030, 1, 2, 15))

    assert "You won’t be able to change this online" not in page.content.decode()


def test_confirmation_of_a_visit_inside_the_window_says_to_call_not_to_change_online(
    client, dana, quick
):
    with time_machine.travel(MONDAY_10AM, tick=False):
        confirm(client, quick, any_value(2029, 12, 31, 15))
        (email,) = [m for m in deliver_queued_emails() if m.to == ["pat@example.com"]]

    assert "You can change it online" not in email.body
    assert (
        "Your visit is less than 24 hours away, so you won't be able to change it online. "
        "To cancel or move it, please call us at (608) 218-4215." in email.body
    )
    assert Appointment.objects.get().manage_token in email.body  # still there to see it


def test_confirmation_of_a_visit_outside_the_window_still_offers_changing_online(
    client, dana, quick
):
    with time_machine.travel(MONDAY_10AM, tick=False):
        confirm(client, quick, any_value(2030, 1, 2, 15))
        (email,) = [m for m in deliver_queued_emails() if m.to == ["pat@example.com"]]

    assert "You can change it online until 24 hours before." in email.body
    assert "won't be able to change it online" not in email.body


# Weeks and days


def test_every_visit_type_pages_by_weeks_starting_on_monday(client, dana, quick, evaluation):
    """On a Sunday a 2-hour notice starts today and a 24-hour one tomorrow: the first
    bookable day used to start the week, so one read Sunday-Saturday, the other
    Monday-Sunday."""
    with time_machine.travel(SUNDAY_10AM, tick=False):
        headings = [
            WEEK_HEADING.search(client.get(f"/book/{slug}/").content.decode()).group(1)
            for slug in ("quick", "evaluation")
        ]
        later = client.get("/book/quick/", {"start": "2030-01-09"}).content.decode()

    assert headings == [
        "Monday, December 31 to Sunday, January 6",  # Sunday's afternoon is still free
        "Monday, January 7 to Sunday, January 13",
    ]
    assert WEEK_HEADING.search(later).group(1) == "Monday, January 7 to Sunday, January 13"


def test_on_a_sunday_evening_the_first_page_is_the_coming_week(client, dana, quick):
    with time_machine.travel(SUNDAY_8PM, tick=False):
        body = client.get("/book/quick/").content.decode()

    assert WEEK_HEADING.search(body).group(1) == "Monday, January 7 to Sunday, January 13"
    assert "Earlier dates" in body  # the week ending tonight is still one click back


def test_each_day_is_its_own_disclosure_with_only_the_first_open(client, dana, quick):
    with time_machine.travel(SUNDAY_8PM, tick=False):
        body = client.get("/book/quick/").content.decode()

    days = DAY_SUMMARIES.findall(body)
    assert [name for _, name in days][:2] == ["Monday, January 7", "Tuesday, January 8"]
    assert [bool(is_open) for is_open, _ in days] == [True] + [False] * 6
    # An hour's visit from 8:00 to 17:00, every 30 minutes.
    assert body.count("19 times</span></summary>") == 7


# Reschedule


@pytest.fixture
def booked(dana, quick):
    return make_appointment(clinician=dana, appointment_type=quick, start=local(2030, 1, 9, 10))


def test_reschedule_never_offers_the_visits_own_time(client, booked):
    with time_machine.travel(MONDAY_10AM, tick=False):
        page = client.get(
            f"/book/manage/{booked.manage_token}/reschedule/", {"start": "2030-01-07"}
        )

    values = re.findall(r'name="slot" value="([^"]+)"', page.content.decode())
    own = f"{booked.clinician_id}|{booked.start:%Y%m%dT%H%MZ}"
    assert f"{booked.clinician_id}|20300109T1530Z" in values  # 9:30, beside it: free
    assert own not in values
    assert len(values) == 7 * 19 - 1


def test_asking_for_the_visits_own_time_shows_the_times_again_not_a_move(client, booked):
    own = f"{booked.clinician_id}|{booked.start:%Y%m%dT%H%MZ}"
    with time_machine.travel(MONDAY_10AM, tick=False):
        page = client.get(f"/book/manage/{booked.manage_token}/reschedule/", {"slot": own})
        posted = client.post(f"/book/manage/{booked.manage_token}/reschedule/", {"slot": own})

    assert "Choose a new time" in page.content.decode()
    assert "Move your appointment?" not in page.content.decode()
    assert posted.status_code == 200
    booked.refresh_from_db()
    assert booked.start == local(2030, 1, 9, 10)


def test_reschedule_check_says_the_visit_would_move_until_confirmed(client, booked):
    new = f"{booked.clinician_id}|20300110T1500Z"  # Thursday 9:00
    with time_machine.travel(MONDAY_10AM, tick=False):
        body = client.get(
            f"/book/manage/{booked.manage_token}/reschedule/", {"slot": new}
        ).content.decode()

    assert "Your visit would move to Thursday, January 10, 2030 at 9:00 AM" in body
    assert "your quick check stays on Wednesday, January 9, 2030 at 10:00 AM" in body
    booked.refresh_from_db()
    assert booked.start == local(2030, 1, 9, 10)


# Where the waitlist is offered


def test_the_waitlist_comes_after_the_times_when_there_are_some(client, dana, quick):
    with time_machine.travel(SUNDAY_8PM, tick=False):
        body = client.get("/book/quick/").content.decode()

    link = body.index("None of these suit?")
    assert body.rindex('name="slot"') < body.index("Later dates") < link
    assert 'href="/book/quick/waitlist/">Tell me if a time opens that suits me' in body
    assert "Want us to tell you when a time opens?" not in body


def test_the_waitlist_is_the_main_way_on_when_a_week_has_no_times(client, dana, quick):
    with time_machine.travel(SUNDAY_8PM, tick=False):
        body = client.get("/book/quick/", {"start": "2029-12-31"}).content.decode()

    assert 'name="slot"' not in body
    assert "Want us to tell you when a time opens?" in body
    assert 'class="btn btn-primary" href="/book/quick/waitlist/">Join the waitlist' in body
    assert "None of these suit?" not in body


def test_the_reschedule_page_offers_no_second_waitlist_link(client, booked):
    with time_machine.travel(MONDAY_10AM, tick=False):
        body = client.get(f"/book/manage/{booked.manage_token}/reschedule/").content.decode()

    assert "/waitlist/" not in body


def test_moving_a_visit_into_the_window_says_so_before_and_in_the_email(client, booked):
    tomorrow_9am = f"{booked.clinician_id}|20300101T1500Z"  # Tuesday 9:00, 23 hours away
    with time_machine.travel(MONDAY_10AM, tick=False):
        check = client.get(
            f"/book/manage/{booked.manage_token}/reschedule/", {"slot": tomorrow_9am}
        ).content.decode()
        client.post(f"/book/manage/{booked.manage_token}/reschedule/", {"slot": tomorrow_9am})
        (email,) = [m for m in deliver_queued_emails() if m.to == [booked.patient_email]]

    assert "after this move you can’t change it online" in check
    assert "You can change it online" not in email.body
    assert "so you won't be able to change it online" in email.body
