"""`{{ appointment|attendance_now }}`: the attendance buttons a schedule row shows now."""

from django import template
from django.utils import timezone

from intake.models import Appointment, AppointmentStatus

register = template.Library()


@register.filter
def attendance_now(appointment: Appointment) -> list[AppointmentStatus]:
    return appointment.attendance_choices(timezone.now())
