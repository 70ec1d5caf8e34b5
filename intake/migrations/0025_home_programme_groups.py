"""Who works with home programmes: clinicians assign, change and end them and read the
logs (pain, effort, notes: health data, behind view_previsit_answers, which they hold);
the front desk sees that a programme exists and its adherence, nothing it logs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"


def perms(model, *actions):
    return [("intake", f"{action}_{model}") for action in actions]


CLINICIAN_PERMISSIONS = [
    *perms("programme", "view", "add", "change"),
    *perms("programmeversion", "view"),
    *perms("programmesession", "view"),
]
FRONT_DESK_PERMISSIONS = [*perms("programme", "view")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in {
        CLINICIAN: CLINICIAN_PERMISSIONS,
        FRONT_DESK: FRONT_DESK_PERMISSIONS,
    }.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("intake", "0024_home_programmes")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
