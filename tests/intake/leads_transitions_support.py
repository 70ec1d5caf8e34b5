"""Booking a visit for a lead from a fixed Monday, as the lead-transition tests do."""

from datetime import date

from intake.booking import Patient, book_appointment, find_slots
from intake.models import Appointment, AppointmentType
from tests.intake.booking_factories import local

# Monday 14 January 2030, 10:00 in Madison: bookings are made from here.
MONDAY = local(2030, 1, 14, 10)


def book(visit: AppointmentType, day: date, *, email: str = "sam@example.com") -> Appointment:
    """The first free time on `day`, booked online by Sam (which opens Sam's lead)."""
    slot = find_slots(appointment_type=visit, start_date=day, end_date=day, now=MONDAY)[0]
    return book_appointment(
        slot=slot,
        appointment_type=visit,
        patient=Patient(name="Sam Climber", email=email, phone="+16085550142"),
        now=MONDAY,
    )
