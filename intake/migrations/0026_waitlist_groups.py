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


# Both see the waitlist, its freed times and offers. Clinicians set an entry's priority;
# the front desk also takes people off the list (a caller who no longer needs a time).
FRONT_DESK_PERMISSIONS = [
    *perms("waitlistentry", "view", "change", "delete"),
    *perms("freedtime", "view"),
    *perms("waitlistoffer", "view"),
]
CLINICIAN_PERMISSIONS = [
    *perms("waitlistentry", "view", "change"),
    *perms("freedtime", "view"),
    *perms("waitlistoffer", "view"),
]


def grant_waitlist_permissions(apps, schema_editor):
    grant(apps, {FRONT_DESK: FRONT_DESK_PERMISSIONS, CLINICIAN: CLINICIAN_PERMISSIONS})


class Migration(migrations.Migration):
    dependencies = [("intake", "0025_waitlist")]

    operations = [migrations.RunPython(grant_waitlist_permissions, migrations.RunPython.noop)]
