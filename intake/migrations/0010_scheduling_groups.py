from django.db import migrations

from clinic.groups import CLINICIAN, FRONT_DESK, grant


def perms(model: str, *actions: str) -> list[tuple[str, str]]:
    return [("intake", f"{action}_{model}") for action in actions]


# The front desk runs the schedule: hours, time off, bookings. Clinicians see the
# schedule, record how visits went and enter their own time off.
FRONT_DESK_PERMISSIONS = [
    *perms("clinician", "view", "change"),
    *perms("weeklyavailability", "view", "add", "change", "delete"),
    *perms("timeoff", "view", "add", "change", "delete"),
    *perms("appointmenttype", "view"),
    *perms("appointment", "view", "add", "change"),
]
CLINICIAN_PERMISSIONS = [
    *perms("clinician", "view"),
    *perms("weeklyavailability", "view"),
    *perms("timeoff", "view", "add", "change"),
    *perms("appointmenttype", "view"),
    *perms("appointment", "view", "change"),
]


def grant_scheduling_permissions(apps, schema_editor):
    grant(apps, {FRONT_DESK: FRONT_DESK_PERMISSIONS, CLINICIAN: CLINICIAN_PERMISSIONS})


class Migration(migrations.Migration):
    dependencies = [("intake", "0009_seed_scheduling")]

    operations = [migrations.RunPython(grant_scheduling_permissions, migrations.RunPython.noop)]
