from django.db import migrations
from django.db.models import Q

# Frozen here: a migration must keep working whatever later happens to live project code.
FRONT_DESK = "Front desk"
# The front desk works leads, appointments and clinicians' schedules (Today shows the rest
# it needs, failed emails included). Content and questionnaires are the clinicians'; the
# self-check tallies and visit-type settings are for whoever runs the site.
NOT_FRONT_DESK_WORK = Q(content_type__app_label="education") | Q(
    content_type__app_label="intake",
    content_type__model__in=(
        "questionnaire",
        "question",
        "choice",
        "outcomerule",
        "outcometally",
        "appointmenttype",
    ),
)


def narrow_front_desk(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=FRONT_DESK).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(NOT_FRONT_DESK_WORK))


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0016_lead_follow_up_and_arrived_statuses"),
        ("education", "0003_education_groups"),
    ]

    operations = [migrations.RunPython(narrow_front_desk, migrations.RunPython.noop)]
