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


LEAD_PERMISSIONS = [
    ("intake", f"{action}_{model}")
    for model in ("lead", "leadnote")
    for action in ("view", "add", "change")
]


def grant_lead_permissions(apps, schema_editor):
    grant(apps, {FRONT_DESK: LEAD_PERMISSIONS, CLINICIAN: LEAD_PERMISSIONS})


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_lead_permissions, migrations.RunPython.noop)]
