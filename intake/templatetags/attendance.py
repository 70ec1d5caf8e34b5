"""`{{ appointment|attendance_now }}` and `{{ appointment|can_undo_now }}`: the attendance
buttons a schedule row shows now."""

from django import template
from django.utils import timezone

from intake.attendance import last_click_to_undo
from intake.models import Appointment, AppointmentStatus

register = template.Library()


@register.filter
def attendance_now(appointment: Appointment) -> list[AppointmentStatus]:
    return appointment.attendance_choices(timezone.now())


@register.filter
def can_undo_now(appointment: Appointment) -> bool:
    return last_click_to_undo(appointment, timezone.now()) is not None
