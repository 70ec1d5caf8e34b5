from django.db import migrations

from clinic.groups import FRONT_DESK, grant


def grant_export(apps, schema_editor):
    # Only the front desk takes call lists out of the system; clinicians work
    # leads on screen, so they do not get the export.
    grant(apps, {FRONT_DESK: [("intake", "export_lead")]})


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_lead_contact_details")]

    operations = [migrations.RunPython(grant_export, migrations.RunPython.noop)]
