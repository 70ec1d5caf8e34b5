from django.db import migrations

from clinic.groups import CLINICIAN, FRONT_DESK, grant

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
