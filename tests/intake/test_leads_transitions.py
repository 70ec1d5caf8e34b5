"""A lead follows its appointments: booked, cancelled, completed, missed. One function
(`intake.leads.lead_after_appointment`) owns the moves; these tests go through the
flows that call it: booking, the patient's cancel, the Today page's buttons and the
appointment list's actions."""

from datetime import date, time

import pytest

from intake.attendance import record_attendance
from intake.booking import Patient, book_appointment, cancel_appointment, find_slots
from intake.leads import business_day
from intake.models import AppointmentStatus, CancelledBy, Clinician, Lead, LeadStatus
from tests.intake.booking_factories import local, make_clinician, make_type
from tests.intake.leads_support import make_lead

# Monday 14 January 2030, 10:00 in Madison: bookings are made from here.
MONDAY = local(2030, 1, 14, 10)


@pytest.fixture
def visit(db):
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(9), time(12))])
    return make_type(name="Initial evaluation", duration_minutes=60)


def book(visit, day: date, *, email: str = "sam@example.com", index: int = 0):
    slot = find_slots(appointment_type=visit, start_date=day, end_date=day, now=MONDAY)[index]
    return book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=Patient(name="Sam Climber", email=email, phone="+16085550142"),
        now=MONDAY,
    )


def test_booking_moves_the_persons_open_lead_to_scheduled_with_nothing_to_chase(visit):
    lead = make_lead(status=LeadStatus.CONTACTED, follow_up_due=date(2030, 1, 10))

    appointment = book(visit, date(2030, 1, 16))

    lead.refresh_from_db()
    assert appointment.lead == lead
    assert (lead.status, lead.follow_up_due) == (LeadStatus.SCHEDULED, None)


def test_cancelling_the_only_visit_asks_for_a_follow_up_call_next_business_day(visit):
    appointment = book(visit, date(2030, 1, 16))
    friday = local(2030, 1, 18, 16)

    cancel_appointment(
        appointment=appointment, reason="Feeling better", cancelled_by=CancelledBy.STAFF, now=friday
    )

    lead = Lead.objects.get()
    assert lead.status == LeadStatus.FOLLOW_UP
    assert lead.get_status_display() == "Needs a follow-up call"
    # Cancelled on a Friday: the call is due on Monday, not on Saturday.
    assert lead.follow_up_due == date(2030, 1, 21)
    assert "call to rebook" in lead.notes.get().text


def test_patient_cancelling_online_puts_the_lead_back_to_follow_up(visit):
    appointment = book(visit, date(2030, 1, 23))

    cancel_appointment(
        appointment=appointment, reason="", cancelled_by=CancelledBy.PATIENT, now=MONDAY
    )

    lead = Lead.objects.get()
    assert (lead.status, lead.follow_up_due) == (LeadStatus.FOLLOW_UP, date(2030, 1, 15))


def test_cancelling_one_of_two_booked_visits_keeps_the_lead_scheduled(visit):
    first = book(visit, date(2030, 1, 16))
    book(visit, date(2030, 1, 23))

    cancel_appointment(appointment=first, reason="", cancelled_by=CancelledBy.STAFF, now=MONDAY)

    lead = Lead.objects.get()
    assert (lead.status, lead.follow_up_due) == (LeadStatus.SCHEDULED, None)


def test_completed_visit_makes_the_lead_a_patient(visit):
    appointment = book(visit, date(2030, 1, 16))

    assert record_attendance(
        appointment=appointment, status=AppointmentStatus.COMPLETED, now=local(2030, 1, 16, 10)
    )

    lead = Lead.objects.get()
    assert lead.status == LeadStatus.BECAME_PATIENT
    assert "Came to the Initial evaluation on Wed Jan 16 at 9:00 AM" in lead.notes.get().text


def test_no_show_asks_for_a_follow_up_call_the_same_business_day(visit):
    appointment = book(visit, date(2030, 1, 16))
    wednesday = local(2030, 1, 16, 11)

    record_attendance(appointment=appointment, status=AppointmentStatus.NO_SHOW, now=wednesday)

    lead = Lead.objects.get()
    assert (lead.status, lead.follow_up_due) == (LeadStatus.FOLLOW_UP, date(2030, 1, 16))
    assert "Did not come" in lead.notes.get().text


def test_arrival_leaves_the_lead_scheduled_and_a_double_click_changes_nothing(visit):
    appointment = book(visit, date(2030, 1, 16))

    arrived_at = local(2030, 1, 16, 8, 50)
    assert record_attendance(
        appointment=appointment, status=AppointmentStatus.ARRIVED, now=arrived_at
    )
    assert not record_attendance(
        appointment=appointment, status=AppointmentStatus.ARRIVED, now=arrived_at
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ARRIVED
    assert Lead.objects.get().status == LeadStatus.SCHEDULED


def test_a_cancelled_visit_cannot_be_marked_completed(visit):
    appointment = book(visit, date(2030, 1, 16))
    cancel_appointment(appointment=appointment, reason="", cancelled_by=CancelledBy.STAFF)

    assert not record_attendance(appointment=appointment, status=AppointmentStatus.COMPLETED)

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert Lead.objects.get().status == LeadStatus.FOLLOW_UP


def test_appointment_list_action_marking_no_show_moves_the_lead(
    visit, client, group_member, time_machine
):
    appointment = book(visit, date(2030, 1, 16))
    time_machine.move_to(local(2030, 1, 16, 11), tick=False)
    client.force_login(group_member("Front desk"))

    response = client.post(
        "/admin/intake/appointment/",
        {"action": "mark_no_show", "_selected_action": [appointment.pk]},
    )

    assert response.status_code == 302
    assert Lead.objects.get().status == LeadStatus.FOLLOW_UP


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2030, 1, 18), date(2030, 1, 18)),  # Friday stays Friday
        (date(2030, 1, 19), date(2030, 1, 21)),  # Saturday goes to Monday
        (date(2030, 1, 20), date(2030, 1, 21)),  # Sunday goes to Monday
    ],
)
def test_follow_ups_never_fall_on_a_weekend(day, expected):
    assert business_day(day) == expected


def test_lead_page_lists_its_appointments_with_their_status(visit, client, group_member):
    first = book(visit, date(2030, 1, 16))
    book(visit, date(2030, 1, 23))
    cancel_appointment(appointment=first, reason="", cancelled_by=CancelledBy.STAFF, now=MONDAY)
    client.force_login(group_member("Front desk"))

    page = client.get(f"/admin/intake/lead/{Lead.objects.get().pk}/change/").content.decode()

    assert "Wed Jan 16, 2030 09:00 AM" in page
    assert "Wed Jan 23, 2030 09:00 AM" in page
    assert "Cancelled" in page
    assert page.count("Initial evaluation") >= 2
