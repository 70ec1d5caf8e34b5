"""Self-check result links become foreign keys to the guide and protocol they point at.

Existing links were typed paths (/guides/<slug>/, /protocols/<slug>/): each is
mapped to its row by slug. A path that names no guide or protocol stops the
migration with the rule's name, rather than dropping a link patients see.
The URL shapes are frozen here: this migration imports no live project code.
"""

import re

import django.db.models.deletion
from django.db import migrations, models

GUIDE_PATH = re.compile(r"^/guides/(?P<slug>[-\w]+)/$")
PROTOCOL_PATH = re.compile(r"^/protocols/(?P<slug>[-\w]+)/$")


def paths_to_keys(apps, schema_editor):
    OutcomeRule = apps.get_model("intake", "OutcomeRule")
    Guide = apps.get_model("education", "Guide")
    Protocol = apps.get_model("education", "Protocol")
    for rule in OutcomeRule.objects.all():
        for url, label in [
            (rule.link_url, rule.link_label),
            (rule.second_link_url, rule.second_link_label),
        ]:
            if not url:
                continue
            if match := GUIDE_PATH.match(url):
                rule.guide = Guide.objects.filter(slug=match["slug"]).first()
                rule.guide_label = label
                found = rule.guide
            elif match := PROTOCOL_PATH.match(url):
                rule.protocol = Protocol.objects.filter(slug=match["slug"]).first()
                rule.protocol_label = label
                found = rule.protocol
            else:
                found = None
            if found is None:
                raise RuntimeError(
                    f"Self-check rule {rule.name!r} links to {url!r}, which is no guide or "
                    "protocol. Point it at one (or clear it) in the admin, then migrate again."
                )
        rule.save(update_fields=["guide", "guide_label", "protocol", "protocol_label"])


def keys_to_paths(apps, schema_editor):
    OutcomeRule = apps.get_model("intake", "OutcomeRule")
    for rule in OutcomeRule.objects.select_related("guide", "protocol"):
        links = []
        if rule.guide:
            links.append((f"/guides/{rule.guide.slug}/", rule.guide_label))
        if rule.protocol:
            links.append((f"/protocols/{rule.protocol.slug}/", rule.protocol_label))
        (rule.link_url, rule.link_label), (rule.second_link_url, rule.second_link_label) = [
            *links,
            ("", ""),
            ("", ""),
        ][:2]
        rule.save(update_fields=["link_url", "link_label", "second_link_url", "second_link_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0003_education_groups"),
        ("intake", "0011_front_desk_sees_email_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcomerule",
            name="guide",
            field=models.ForeignKey(
                blank=True,
                help_text="Optional guide to point the patient to.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="education.guide",
            ),
        ),
        migrations.AddField(
            model_name="outcomerule",
            name="guide_label",
            field=models.CharField(
                blank=True,
                help_text="The guide link's text, e.g. “Read our guide”.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="outcomerule",
            name="protocol",
            field=models.ForeignKey(
                blank=True,
                help_text="Optional home exercise plan to point the patient to.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="education.protocol",
            ),
        ),
        migrations.AddField(
            model_name="outcomerule",
            name="protocol_label",
            field=models.CharField(
                blank=True,
                help_text="The exercise plan link's text, e.g. “See the home exercise plan”.",
                max_length=100,
            ),
        ),
        migrations.RunPython(paths_to_keys, keys_to_paths),
        migrations.RemoveField(
            model_name="outcomerule",
            name="link_label",
        ),
        migrations.RemoveField(
            model_name="outcomerule",
            name="link_url",
        ),
        migrations.RemoveField(
            model_name="outcomerule",
            name="second_link_label",
        ),
        migrations.RemoveField(
            model_name="outcomerule",
            name="second_link_url",
        ),
    ]
