from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen from the project's group helper when this migration was written: a
# migration must keep working whatever later happens to live project code.
CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"


def grant(apps, grants):
    """Give each named group the (app_label, codename) permissions, creating what is missing."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


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
