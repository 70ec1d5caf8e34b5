"""Exercises record their clinical review (who and when) like guides and protocols."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0013_protocol_steps_and_categories_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="changed_since_review",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Edited in the admin after its last review: due for another.",
            ),
        ),
        migrations.AddField(
            model_name="exercise",
            name="reviewed_by",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text='Shown as "Reviewed by <name>": the clinician who last marked it reviewed.',
                max_length=120,
            ),
        ),
        migrations.AddField(
            model_name="exercise",
            name="reviewed_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="When it was last clinically reviewed.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalexercise",
            name="changed_since_review",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Edited in the admin after its last review: due for another.",
            ),
        ),
        migrations.AddField(
            model_name="historicalexercise",
            name="reviewed_by",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text='Shown as "Reviewed by <name>": the clinician who last marked it reviewed.',
                max_length=120,
            ),
        ),
        migrations.AddField(
            model_name="historicalexercise",
            name="reviewed_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="When it was last clinically reviewed.",
                null=True,
            ),
        ),
    ]
