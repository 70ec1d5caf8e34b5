"""Seed what online booking needs on a fresh install: three appointment types and one
placeholder clinician with weekday hours. All of it is ordinary admin-editable data:
the clinic renames the clinician (or adds real ones and unticks "bookable"), and
adjusts prices, buffers and hours in the admin."""

from datetime import time

from django.db import migrations

SELF_PAY = "Self-pay. Call us for current rates; we can give you a receipt for your insurer."

TYPES = [
    {
        "slug": "free-phone-consult",
        "name": "Free phone consult",
        "description": "Not sure physical therapy is right for you? A therapist calls you "
        "to talk through your problem and what we can do. No exam, no cost.",
        "duration_minutes": 15,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 5,
        "slot_interval_minutes": 15,
        "minimum_notice_hours": 2,
        "booking_window_days": 28,
        "mode": "phone",
        "price_text": "Free",
        "position": 1,
    },
    {
        "slug": "initial-evaluation",
        "name": "Initial evaluation",
        "description": "Your first visit: we listen to your story, test how you move, find "
        "the cause of your pain and start your treatment and home plan.",
        "duration_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "slot_interval_minutes": 30,
        "minimum_notice_hours": 24,
        "booking_window_days": 42,
        "mode": "in_person",
        "price_text": SELF_PAY,
        "position": 2,
    },
    {
        "slug": "follow-up",
        "name": "Follow-up visit",
        "description": "For current patients: treatment, progress checks and updates "
        "to your home exercises.",
        "duration_minutes": 45,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "slot_interval_minutes": 15,
        "minimum_notice_hours": 12,
        "booking_window_days": 42,
        "mode": "in_person",
        "price_text": SELF_PAY,
        "position": 3,
    },
]

# Monday to Friday, with a lunch hour.
WEEKDAY_HOURS = [
    (day, start, end)
    for day in range(5)
    for start, end in [(time(8), time(12)), (time(13), time(17))]
]


def seed(apps, schema_editor):
    AppointmentType = apps.get_model("intake", "AppointmentType")
    Clinician = apps.get_model("intake", "Clinician")
    WeeklyAvailability = apps.get_model("intake", "WeeklyAvailability")
    for fields in TYPES:
        AppointmentType.objects.get_or_create(slug=fields["slug"], defaults=fields)
    if not Clinician.objects.exists():
        clinician = Clinician.objects.create(
            name="Peak Endurance physical therapist",
            credentials="PT, DPT",
            bio="Placeholder: edit this clinician in the admin (name, credentials, bio, "
            "photo, hours), or add your clinicians and untick “bookable” here.",
            bookable=True,
        )
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(clinician=clinician, weekday=day, start=start, end=end)
            for day, start, end in WEEKDAY_HOURS
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0008_scheduling")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
