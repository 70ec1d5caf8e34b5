from django.db import migrations

from clinic.groups import FRONT_DESK, grant


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
