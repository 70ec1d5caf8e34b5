"""Seed the clinic's own article, "3 ways to Improve Knee Pain with Running".

Every sign, tip, explanation, cue, dose and takeaway is the clinic's wording from
shared/seed/knee-pain-with-running.txt, split into fields. Headings around it,
summaries and SEO text are ours. The reviewer is a placeholder for the clinical
team to replace with the clinician who signs the guide off.
"""

import datetime

from django.db import migrations

REVIEWED_BY = "Peak Endurance PT clinical team"
REVIEWED_ON = datetime.date(2026, 11, 25)

EXERCISES = [
    {
        "slug": "single-leg-banded-hip-abduction",
        "name": "Single-leg banded hip abduction",
        "summary": "Kicking out to the side against a resistance band.",
        "purpose": (
            "Strengthen your outer hips to improve single leg stability. Strong outer hips help "
            "keep the knee aligned when jumping onto a single leg (as in running). If the outer "
            "hip isn’t working to keep the pelvis level, the knee collapses toward the midline, "
            "resulting in sub-optimal loading of the patellofemoral joint."
        ),
        "equipment": "A resistance band",
    },
    {
        "slug": "step-down",
        "name": "Step-down",
        "summary": "Lowering yourself slowly from a stair or a book on one leg.",
        "purpose": (
            "Strengthen the quads to support the knee, especially for the phase of running when "
            "and just after you initially land on one leg. During this phase, the knee stops the "
            "body from falling all the way to the ground and softens the ground reaction force."
        ),
        "equipment": "A stair or a book",
        "setup": (
            "Stand on one foot on a slightly elevated surface (a stair, a book–whatever height "
            "isn’t uncomfortable to complete the exercise)."
        ),
        "steps": (
            "Bend the knee until the free foot reaches the ground, then straighten to return to "
            "the starting position."
        ),
        "cues": (
            "Keep the hips level and the knee tracking straight (rather than inward) as you "
            "complete the exercise."
        ),
    },
    {
        "slug": "forward-trunk-lean-wall-drill",
        "name": "Forward-trunk-lean wall drill",
        "summary": "Finding your best running lean by tipping toward a wall on one leg.",
        "purpose": (
            "Increase your forward trunk lean when you run. Leaning slightly forward shifts the "
            "work to your hip and reduces stress on the knee. As an added bonus, a slight forward "
            "lean (shoulders should be in front of your hips) also makes for more efficient "
            "running."
        ),
        "equipment": "A wall",
        "setup": (
            "To practice this, stand on one leg (as if you’re running) about a foot away from a "
            "wall."
        ),
        "steps": (
            "Practice leaning forward until you feel the point where you just start to lose your "
            "balance, then catch yourself on the wall. This point simulates your optimal trunk "
            "position when running."
        ),
        "cues": "Shoulders should be in front of your hips.",
    },
]

# (exercise slug, dose). Doses are exactly the seed's: "4 sets to fatigue, 3-4 times per
# week"; "3-4 sets of 10-15 reps, 3-4 times per week"; "10 times on each leg", then again
# "with eyes closed to help solidify where that point is".
STEPS = [
    (
        "single-leg-banded-hip-abduction",
        {"sets_min": 4, "to_fatigue": True, "frequency_min": 3, "frequency_max": 4},
    ),
    (
        "step-down",
        {
            "sets_min": 3,
            "sets_max": 4,
            "reps_min": 10,
            "reps_max": 15,
            "frequency_min": 3,
            "frequency_max": 4,
        },
    ),
    (
        "forward-trunk-lean-wall-drill",
        {
            "reps_min": 10,
            "per_side": "leg",
            "variation": "with eyes closed",
            "variation_reason": "to help solidify where that point is",
        },
    ),
]

SIGNS = [
    "Generalized pain around or beneath the kneecap",
    "Pain with stairs, especially going down",
    "Pain worsens as activity progresses",
    "Downhill walking and running are worse than uphill",
]
REASSURANCES = [
    "Importantly, joint cracking and popping is not indicative of a worsened condition. If you "
    "have noisy knees, don’t sweat it.",
]
TAKEAWAYS = [
    "The most common knee pain with running is pain around or beneath the kneecap, called "
    "patellofemoral pain.",
    "Noisy knees do not mean further damage.",
    "Hip strength, quad strength, and altering gait mechanics help improve knee pain in runners.",
]
# (exercise slug, advice, explanation)
TIPS = [
    (
        "single-leg-banded-hip-abduction",
        "Strengthen your outer hips to improve single leg stability.",
        "Strong outer hips help keep the knee aligned when jumping onto a single leg (as in "
        "running). If the outer hip isn’t working to keep the pelvis level, the knee collapses "
        "toward the midline, resulting in sub-optimal loading of the patellofemoral joint.",
    ),
    (
        "step-down",
        "Strengthen the quads to support the knee, especially for the phase of running when and "
        "just after you initially land on one leg.",
        "During this phase, the knee stops the body from falling all the way to the ground and "
        "softens the ground reaction force.",
    ),
    (
        "forward-trunk-lean-wall-drill",
        "Increase your forward trunk lean when you run.",
        "Leaning slightly forward shifts the work to your hip and reduces stress on the knee. As "
        "an added bonus, a slight forward lean (shoulders should be in front of your hips) also "
        "makes for more efficient running.",
    ),
]

BODY = """## What kind of knee pain do I have?

Knee pain may originate from a variety of structures, including the ligaments stabilizing the knee; the tendons connecting the knee musculature to the femur, kneecap (patella), and shin bone (tibia); or the cartilage and other “cushioning” structures around the knee. The most common type of knee pain occurring in runners is generalized pain on the front of the knee. This kind of pain is called patellofemoral knee pain, referring to the patella as it interacts with the femur.
"""


def seed(apps, schema_editor):
    Exercise = apps.get_model("education", "Exercise")
    Protocol = apps.get_model("education", "Protocol")
    ProtocolExercise = apps.get_model("education", "ProtocolExercise")
    Guide = apps.get_model("education", "Guide")
    GuidePoint = apps.get_model("education", "GuidePoint")
    Tip = apps.get_model("education", "Tip")

    exercises = {
        fields["slug"]: Exercise.objects.create(status="published", **fields)
        for fields in EXERCISES
    }
    protocol = Protocol.objects.create(
        slug="runners-patellofemoral-pain",
        title="Home exercises for runner’s knee pain",
        status="published",
        summary=(
            "Three exercises for pain around or beneath the kneecap when you run: stronger outer "
            "hips, stronger quads and a better forward lean."
        ),
        reviewed_by=REVIEWED_BY,
        reviewed_on=REVIEWED_ON,
    )
    steps = {
        slug: ProtocolExercise.objects.create(
            protocol=protocol, exercise=exercises[slug], order=order, **dose
        )
        for order, (slug, dose) in enumerate(STEPS, start=1)
    }
    guide = Guide.objects.create(
        slug="knee-pain-with-running",
        title="3 ways to Improve Knee Pain with Running",
        status="published",
        condition="Patellofemoral pain",
        summary=(
            "Pain around or beneath the kneecap is the most common knee pain in runners. "
            "Learn the signs, and three things you can do about it."
        ),
        body=BODY,
        signs_heading="What are common signs of patellofemoral knee pain?",
        tips_intro="3 tips to manage patellofemoral knee pain with running",
        protocol=protocol,
        reviewed_by=REVIEWED_BY,
        reviewed_on=REVIEWED_ON,
        seo_title="Knee pain with running: 3 ways to improve it",
        seo_description=(
            "Pain around or beneath the kneecap when you run: the common signs, why noisy knees "
            "are no cause for worry, and three exercises to try at home."
        ),
    )
    for kind, texts in (("sign", SIGNS), ("reassurance", REASSURANCES), ("takeaway", TAKEAWAYS)):
        for order, text in enumerate(texts, start=1):
            GuidePoint.objects.create(guide=guide, kind=kind, order=order, text=text)
    for order, (slug, advice, explanation) in enumerate(TIPS, start=1):
        Tip.objects.create(
            guide=guide, order=order, advice=advice, explanation=explanation, step=steps[slug]
        )


def unseed(apps, schema_editor):
    apps.get_model("education", "Guide").objects.filter(slug="knee-pain-with-running").delete()
    apps.get_model("education", "Protocol").objects.filter(
        slug="runners-patellofemoral-pain"
    ).delete()
    apps.get_model("education", "Exercise").objects.filter(
        slug__in=[fields["slug"] for fields in EXERCISES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
