from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen from the project's group helper when this migration was written: a
# migration must keep working whatever later happens to live project code.
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


def let_front_desk_see_email_tasks(apps, schema_editor):
    # An email that failed for good means a patient heard nothing: the front desk
    # must be able to find it and phone them. Viewing only; the rows hold a name
    # and an email address, never health details.
    grant(apps, {FRONT_DESK: [("django_tasks_database", "view_dbtaskresult")]})


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_scheduling_groups"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(let_front_desk_see_email_tasks, migrations.RunPython.noop)]
