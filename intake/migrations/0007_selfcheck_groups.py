from django.db import migrations

from clinic.groups import CLINICIAN, FRONT_DESK, grant

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
