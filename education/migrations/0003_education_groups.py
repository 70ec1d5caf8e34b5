from django.db import migrations

from clinic.groups import CLINICIAN, FRONT_DESK, grant

MODELS = ("guide", "guidepoint", "tip", "exercise", "protocol", "protocolexercise")


def grant_education_permissions(apps, schema_editor):
    """Clinicians write patient education; the front desk reads it to answer callers."""
    grant(
        apps,
        {
            CLINICIAN: [
                ("education", f"{action}_{model}")
                for model in MODELS
                for action in ("add", "change", "view", "delete")
            ],
            FRONT_DESK: [("education", f"view_{model}") for model in MODELS],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0002_seed_knee_pain_guide"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_education_permissions, migrations.RunPython.noop)]
