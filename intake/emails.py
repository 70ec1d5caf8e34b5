"""Every email intake sends is built here: who gets it, what it may say, what is attached.

Flows (`intake.booking`, `intake.leads`) decide and write; they call one function
here to queue each email through `intake.tasks.send_email`, which renders
`emails/<template>_subject.txt` and `emails/<template>.txt` off the request path.
Keeping the contexts in one module makes one rule easy to check: no email holds a
patient's message, self-check answers or triage outcome, because email is not a
private channel.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar.enums import STATUS

from intake import times
from intake.clinic_details import clinic_details
from intake.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    CancelledBy,
    Lead,
    PreVisit,
    Programme,
)
from intake.phone import display_phone
from intake.tasks import attachment, send_email

if TYPE_CHECKING:
    from intake.booking import Slot
    from intake.models import WaitlistEntry, WaitlistOffer


def manage_url(token: str) -> str:
    return settings.SITE_URL + reverse("intake:booking_manage", args=[token])


def previsit_url(token: str) -> str:
    return settings.SITE_URL + reverse("intake:previsit", args=[token])


def _booking_context(appointment: Appointment) -> dict:
    """What booking emails may say. Never the message or self-check answers: email is
    not a private channel."""
    appointment_type = appointment.appointment_type
    return {
        "patient_name": appointment.patient_name,
        "type_name": appointment_type.name,
        "is_phone": appointment_type.is_phone,
        "patient_phone": display_phone(appointment.patient_phone),
        "when": times.when(appointment.start),
        "duration_minutes": appointment_type.duration_minutes,
        "clinician": str(appointment.clinician),
        "price_text": appointment_type.price_text,
        "late_cancel_hours": settings.BOOKING_LATE_CANCEL_HOURS,
    }


def queue_booking_patient_email(
    appointment: Appointment,
    template: str,
    *,
    token: str | None = None,
    previous_start: datetime | None = None,
    with_invite: bool = True,
    alternatives: Sequence["Slot"] = (),
    previsit: PreVisit | None = None,
    now: datetime | None = None,
    why: str = "",
) -> None:
    """`alternatives`: free times to offer when the clinic had to cancel. `previsit`: the
    before-visit form whose private link the email carries (only the link: the answers
    are health data). `now` decides whether the visit can still be changed online: one
    booked or moved inside the late-cancel window is told to call instead. `why`: a
    sentence for the patient on why the clinic cancelled (a closure's reason, written for
    patients; never a staff note)."""
    context = _booking_context(appointment)
    context["can_change_online"] = appointment.can_change(now or timezone.now())
    if why:
        context["why"] = why
    if previsit is not None:
        context["previsit_url"] = previsit_url(previsit.token)
        context["previsit_kind"] = previsit.kind
    context["by_clinic"] = appointment.cancelled_by == CancelledBy.STAFF
    if alternatives:
        context["alternatives"] = [
            f"{times.when(slot.start)} with {slot.clinician_name}" for slot in alternatives
        ]
        context["book_url"] = settings.SITE_URL + appointment.appointment_type.get_absolute_url()
    url = manage_url(token) if token else None
    if url:
        context["manage_url"] = url
    if previous_start:
        context["previous_when"] = times.when(previous_start)
    attachments = []
    if with_invite:
        cancelled = appointment.status == AppointmentStatus.CANCELLED
        invite = appointment_ics(appointment, manage_url=url, cancelled=cancelled)
        attachments.append(attachment("appointment.ics", invite, "text/calendar"))
    send_email.enqueue(
        template=template,
        to=[appointment.patient_email],
        email_context=context,
        attachments=attachments,
    )


def queue_previsit_reminder(previsit: PreVisit) -> None:
    """The one reminder to fill in the before-visit form: the visit and the link, nothing
    the patient has typed into it."""
    context = {
        **_booking_context(previsit.appointment),
        "previsit_url": previsit_url(previsit.token),
        "previsit_kind": previsit.kind,
    }
    send_email.enqueue(
        template="previsit_reminder",
        to=[previsit.appointment.patient_email],
        email_context=context,
    )


def queue_previsit_urgent(previsit: PreVisit) -> None:
    """Tell the front desk at once that a before-visit answer needs a call today: the
    patient's name, phone and visit and a link to the appointment, never the answer, the
    outcome or the body area (email is not a private channel)."""
    appointment = previsit.appointment
    context = {
        **_booking_context(appointment),
        "admin_url": settings.SITE_URL
        + reverse("admin:intake_appointment_change", args=[appointment.pk]),
    }
    send_email.enqueue(
        template="previsit_urgent", to=[settings.CLINIC_NOTIFY_EMAIL], email_context=context
    )


def queue_booking_staff_email(
    appointment: Appointment, template: str, *, previous_start: datetime | None = None
) -> None:
    """Type, time, clinician and an admin link: staff open the admin for who and why."""
    context = {
        "type_name": appointment.appointment_type.name,
        "when": times.when(appointment.start),
        "clinician": str(appointment.clinician),
        "cancelled_by": appointment.get_cancelled_by_display(),
        "admin_url": settings.SITE_URL
        + reverse("admin:intake_appointment_change", args=[appointment.pk]),
    }
    if previous_start:
        context["previous_when"] = times.when(previous_start)
    send_email.enqueue(template=template, to=[settings.CLINIC_NOTIFY_EMAIL], email_context=context)


def appointment_ics(
    appointment: Appointment, *, manage_url: str | None = None, cancelled: bool = False
) -> bytes:
    """An iCalendar file for the appointment; the same UID on every update (the SEQUENCE
    grows with each reschedule) so calendar apps move or remove the one event.

    Times carry TZID=America/Chicago with its VTIMEZONE, so the event shows at the
    right local time whatever zone the patient's calendar is in.
    """
    return _calendar([_appointment_event(appointment, manage_url, cancelled)], cancelled)


def series_ics(appointments: Sequence[Appointment], *, cancelled: bool = False) -> bytes:
    """One iCalendar file holding every visit of a series, each the event its own emails
    update (same UID), so a later move or cancel of one visit changes that one."""
    events = [
        _appointment_event(
            appointment,
            manage_url(appointment.manage_token) if appointment.manage_token else None,
            cancelled,
        )
        for appointment in appointments
    ]
    return _calendar(events, cancelled)


def _appointment_event(
    appointment: Appointment, manage_url: str | None, cancelled: bool
) -> icalendar.Event:
    clinic = clinic_details()
    appointment_type = appointment.appointment_type
    if appointment_type.is_phone:
        location = f"Phone call: we call you at {display_phone(appointment.patient_phone)}"
    else:
        location = clinic.location_line
    lines = [
        f"{appointment_type.name} with {appointment.clinician}.",
        f"To change it, call {clinic.phone_display}.",
    ]
    if manage_url:
        lines.append(f"Cancel or reschedule online: {manage_url}")
    tz = times.clinic_zone()
    return icalendar.Event.new(
        uid=f"appointment-{appointment.pk}@{settings.SITE_URL.split('://', 1)[-1]}",
        summary=f"{appointment_type.name}: {clinic.short_name}",
        start=appointment.start.astimezone(tz),
        end=appointment.end.astimezone(tz),
        stamp=timezone.now().astimezone(UTC),
        sequence=appointment.sequence + (1 if cancelled else 0),
        location=location,
        description="\n".join(lines),
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        url=manage_url,
    )


def _calendar(events: list[icalendar.Event], cancelled: bool) -> bytes:
    clinic = clinic_details()
    calendar = icalendar.Calendar.new(
        prodid=f"-//{clinic.short_name}//Online booking//EN",
        method="CANCEL" if cancelled else "PUBLISH",
        subcomponents=events,
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _series_context(series: AppointmentSeries, appointments: Sequence[Appointment]) -> dict:
    """What a series email may say: the visits' times, type and clinician, never why."""
    first = appointments[0]
    return {
        **_booking_context(first),
        "weekdays": series.weekdays_display(),
        "visits": [
            {
                "when": times.when(appointment.start),
                "clinician": str(appointment.clinician),
                "manage_url": manage_url(appointment.manage_token)
                if appointment.manage_token
                else "",
            }
            for appointment in appointments
        ],
    }


def queue_series_booked(
    series: AppointmentSeries, appointments: Sequence[Appointment], *, now: datetime
) -> None:
    """One email for repeating visits: every visit with its own manage link, one calendar
    file with every event, and the first visit's before-visit form link if it has one."""
    context = _series_context(series, appointments)
    # Imported here: intake.previsit imports this module.
    from intake.previsit import first_visit_form_to_finish

    previsit = first_visit_form_to_finish(appointments[0], now=now)
    if previsit is not None:
        context["previsit_url"] = previsit_url(previsit.token)
    send_email.enqueue(
        template="series_booked",
        to=[series.patient_email],
        email_context=context,
        attachments=[attachment("appointments.ics", series_ics(appointments), "text/calendar")],
    )


def queue_series_cancelled(series: AppointmentSeries, appointments: Sequence[Appointment]) -> None:
    """One email for the cancelled rest of a series, with one calendar file removing them."""
    send_email.enqueue(
        template="series_cancelled",
        to=[series.patient_email],
        email_context=_series_context(series, appointments),
        attachments=[
            attachment(
                "appointments.ics", series_ics(appointments, cancelled=True), "text/calendar"
            )
        ],
    )


def queue_lead_emails(lead: Lead, *, acknowledge: bool) -> None:
    """Queue the emails about a new lead. Neither holds health details: no message,
    body area, answers or outcome. Staff follow the link to read those in the admin."""
    if acknowledge:
        send_email.enqueue(
            template="lead_acknowledgement",
            to=[lead.email],
            email_context={
                "name": lead.name,
                "contact_method": lead.get_preferred_contact_method_display(),
            },
        )
    send_email.enqueue(
        template="lead_notification",
        to=[settings.CLINIC_NOTIFY_EMAIL],
        email_context={
            "lead_id": lead.pk,
            "admin_url": settings.SITE_URL + reverse("admin:intake_lead_change", args=[lead.pk]),
            "possible_duplicate": lead.duplicate_of_id is not None,
            # Only that it is urgent, never why: the outcome is health data.
            "urgent": lead.is_urgent,
        },
    )


def programme_url(token: str) -> str:
    return settings.SITE_URL + reverse("intake:programme", args=[token])


def queue_programme_email(programme: Programme, template: str) -> None:
    """An email about a home programme: the patient's name and the private link, never an
    exercise, a dose or anything the patient logged (email is not a private channel)."""
    send_email.enqueue(
        template=template,
        to=[programme.patient_email],
        email_context={
            "patient_name": programme.patient_name,
            "programme_url": programme_url(programme.token),
        },
    )


def waitlist_url(token: str) -> str:
    return settings.SITE_URL + reverse("intake:waitlist_entry", args=[token])


def offer_url(token: str) -> str:
    return settings.SITE_URL + reverse("intake:waitlist_offer", args=[token])


def queue_waitlist_joined(entry: "WaitlistEntry") -> None:
    """The private link to see, change or leave the waitlist; the visit type, nothing more."""
    send_email.enqueue(
        template="waitlist_joined",
        to=[entry.email],
        email_context={
            "patient_name": entry.name,
            "type_name": entry.appointment_type.name,
            "clinician": str(entry.clinician) if entry.clinician else "any clinician",
            "from_date": f"{entry.from_date:%A, %B} {entry.from_date.day}",
            "until_date": f"{entry.until_date:%A, %B} {entry.until_date.day}",
            "entry_url": waitlist_url(entry.token),
        },
    )


def queue_waitlist_offer(offer: "WaitlistOffer") -> None:
    """The freed time, its clinician and type, how long it is held, and the private link
    where the patient takes it or passes. No health details."""
    assert offer.entry is not None  # offers are only made to entries on the list
    freed = offer.freed_time
    send_email.enqueue(
        template="waitlist_offer",
        to=[offer.entry.email],
        email_context={
            "patient_name": offer.entry.name,
            "type_name": freed.appointment_type.name,
            "when": times.when(freed.start),
            "clinician": str(freed.clinician),
            "moves_visit": offer.entry.has_later_visit(freed.start),
            "hold_until": times.clock(offer.hold_until),
            "offer_url": offer_url(offer.token),
            "entry_url": waitlist_url(offer.entry.token),
        },
    )
