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


CONTENT = ("questionnaire", "question", "choice", "outcomerule")


def grant_selfcheck_permissions(apps, schema_editor):
    """Clinicians own the self-check content; the front desk may read it (and the tallies)."""
    grant(
        apps,
        {
            CLINICIAN: [
                ("intake", f"{action}_{model}")
                for model in CONTENT
                for action in ("view", "add", "change", "delete")
            ]
            + [("intake", "view_outcometally")],
            FRONT_DESK: [("intake", f"view_{model}") for model in (*CONTENT, "outcometally")],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_seed_runners_knee_selfcheck"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_selfcheck_permissions, migrations.RunPython.noop)]
