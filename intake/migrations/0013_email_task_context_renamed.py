from django.db import migrations

TASK_PATH = "intake.tasks.send_email"


def rename(old: str, new: str):
    def run(apps, schema_editor):
        # send_email now takes Django's task context, which must be called `context`, so
        # the email's own template context became `email_context`. Queued emails (retries
        # waiting out an outage) must keep working after the deploy.
        results = apps.get_model("django_tasks_database", "DBTaskResult")
        changed = []
        for result in results.objects.filter(task_path=TASK_PATH).iterator():
            kwargs = result.args_kwargs.get("kwargs", {})
            if old in kwargs:
                kwargs[new] = kwargs.pop(old)
                changed.append(result)
        results.objects.bulk_update(changed, ["args_kwargs"], batch_size=500)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0012_selfcheck_links_to_guides_and_protocols"),
    ]

    operations = [
        migrations.RunPython(rename("context", "email_context"), rename("email_context", "context"))
    ]
