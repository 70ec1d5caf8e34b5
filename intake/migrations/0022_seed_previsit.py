"""Seed the before-visit form: the two outcome measures, the first consent texts, which
appointment types send which form, and who may see what.

The measures' wording is the project's own. The clinic edits all of it in the admin.
"""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen from the project's group names when this migration was written.
CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"

MEASURES = [
    {
        "slug": "psfs",
        "name": "Patient-Specific Functional Scale",
        "instructions": (
            "Name up to five activities that you find hard, or cannot do, because of this "
            "problem: the things you most want back, like running 5 km, carrying your baby "
            "up the stairs or a pull-up. Then rate how well you can do each one today."
        ),
        "scoring": "mean",
        "higher_is_better": True,
        "mcid": Decimal("2.00"),
        "patient_names_items": True,
        "max_items": 5,
        "source": (
            "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on "
            "individual patients: a report of a patient specific measure. Physiotherapy "
            "Canada 1995;47:258-263."
        ),
        "licence": (
            "Free to use in clinical practice. The wording patients read here is the clinic's own."
        ),
        "position": 1,
        "items": [
            {
                "key": "activity",
                "text": "How well can you do this activity today?",
                "min_label": "Unable to do it",
                "max_label": "As well as before the problem",
            }
        ],
    },
    {
        "slug": "pain",
        "name": "Pain rating",
        "instructions": ("Rate your pain from 0 (no pain) to 10 (the worst pain you can imagine)."),
        "scoring": "mean",
        "higher_is_better": False,
        "mcid": Decimal("2.00"),
        "patient_names_items": False,
        "max_items": 3,
        "source": "Numeric pain rating scale (0-10), in wide clinical use.",
        "licence": "Public domain. The wording patients read here is the clinic's own.",
        "position": 2,
        "items": [
            {"key": "now", "text": "Your pain right now"},
            {"key": "best", "text": "Your pain at its least in the last 24 hours"},
            {"key": "worst", "text": "Your pain at its worst in the last 24 hours"},
        ],
    },
]

CONSENT_TEXTS = [
    {
        "kind": "treatment",
        "title": "Consent to treat",
        "body": (
            "I agree to be examined and treated by the physical therapists of Peak Endurance "
            "Performance & Physical Therapy. Treatment may include exercise, hands-on "
            "techniques, education and advice for home.\n\n"
            "My therapist will explain what they suggest and why, and I may ask questions, "
            "decline any part of it or stop treatment at any time.\n\n"
            "Physical therapy can cause short-lived soreness. I will tell my therapist about "
            "any change in my health, and about anything that worries me during a visit."
        ),
    },
    {
        "kind": "privacy",
        "title": "Privacy notice",
        "body": (
            "The clinic keeps what you tell us on this form, and what happens at your visits, "
            "to treat you. Only the clinicians who treat you read your health answers; the "
            "front desk sees whether the form is done, not what it says.\n\n"
            "We never send your health details by email. You can ask to see what we hold "
            "about you, or to correct it, by phoning (608) 218-4215."
        ),
    },
]


def seed(apps, schema_editor):
    Measure = apps.get_model("intake", "Measure")
    MeasureItem = apps.get_model("intake", "MeasureItem")
    ConsentText = apps.get_model("intake", "ConsentText")
    AppointmentType = apps.get_model("intake", "AppointmentType")
    for fields in MEASURES:
        fields = dict(fields)
        items = fields.pop("items")
        measure, created = Measure.objects.get_or_create(slug=fields["slug"], defaults=fields)
        if created:
            for position, item in enumerate(items):
                MeasureItem.objects.create(
                    measure=measure,
                    position=position,
                    min_label=item.get("min_label", "No pain"),
                    max_label=item.get("max_label", "Worst pain imaginable"),
                    key=item["key"],
                    text=item["text"],
                )
    for fields in CONSENT_TEXTS:
        ConsentText.objects.get_or_create(kind=fields["kind"], version=1, defaults=fields)
    AppointmentType.objects.filter(slug="initial-evaluation").update(before_visit="first_visit")
    AppointmentType.objects.filter(slug="follow-up").update(before_visit="follow_up")


def perms(model, *actions):
    return [("intake", f"{action}_{model}") for action in actions]


# Clinicians read the answers, mark red flags reviewed and keep the measures and consent
# texts; the front desk sees only whether a form is done (no view_previsit_answers).
CLINICIAN_PERMISSIONS = [
    *perms("previsit", "view", "change"),
    ("intake", "view_previsit_answers"),
    *perms("measure", "view", "add", "change"),
    *perms("measureitem", "view", "add", "change", "delete"),
    *perms("measureresponse", "view"),
    *perms("consenttext", "view", "add", "change"),
    *perms("consentsignature", "view"),
]
FRONT_DESK_PERMISSIONS = [*perms("previsit", "view")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in {
        CLINICIAN: CLINICIAN_PERMISSIONS,
        FRONT_DESK: FRONT_DESK_PERMISSIONS,
    }.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("intake", "0021_previsit_and_measures")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
