"""Seed the runner's knee self-check: the seed article's signs plus every red flag in
shared/clinical/knee-red-flags.md. Clinicians own the wording and edit it in the admin.

The data lives here, not in app code, so this migration means the same thing forever.
"""

from django.db import migrations

SLUG = "runners-knee"
E = "emergency"
SD = "see_doctor"
PFP = "patellofemoral"
BOOK = "book_evaluation"


def yes(flags="", red=""):
    """A yes/no question where Yes raises the flags."""
    return [("yes", "Yes", flags, red), ("no", "No", "", "")]


def no(flags="", red=""):
    """A yes/no question where No raises the flags (being able to do it is the good answer)."""
    return [("yes", "Yes", "", ""), ("no", "No", flags, red)]


def question(step, key, text, choices, *, kind="yes_no", title="", help="", show_if=None):
    return {
        "step": step,
        "key": key,
        "text": text,
        "choices": choices,
        "kind": kind,
        "step_title": title,
        "help_text": help,
        "show_if": show_if,
    }


def rule(outcome, name, explanation, *, any="", at_least=1, all="", pain=None, links=()):
    return {
        "outcome": outcome,
        "name": name,
        "explanation": explanation,
        "any_flags": any,
        "any_at_least": at_least,
        "all_flags": all,
        "pain_at_least": pain,
        "links": list(links),
    }


AFTER_INJURY = ("injury", "yes")

QUESTIONS = [
    question(1, "age", "How old are you?", kind="single", title="About you and your knee", choices=[
        ("under_16", "Under 16", "age_under_16", ""),
        ("16_to_54", "16 to 54", "", ""),
        ("55_or_over", "55 or older", "age_55_plus", ""),
    ]),
    question(1, "injury", "Did your knee pain start with an injury in the last month, like a "
             "fall, a twist, a hit or a hard landing?", yes("recent_injury")),
    question(1, "where", "Where does your knee hurt the most?", kind="single", choices=[
        ("kneecap", "Around or behind the kneecap", "kneecap_pain", ""),
        ("inner_outer", "On the inner or outer side of the knee", "", ""),
        ("back", "At the back of the knee", "", ""),
        ("unsure", "Somewhere else, or it is hard to say", "", ""),
    ]),
    question(2, "out_of_place", "Does your knee or kneecap look out of place, or bent the wrong "
             "way?", yes("deformity", E), title="Right after your injury", show_if=AFTER_INJURY),
    question(2, "lift_leg", "Lying on your back, can you lift your injured leg off the bed with "
             "the knee kept straight?", no("cannot_lift_leg", E),
             help="Try it gently. Stop if it hurts a lot.", show_if=AFTER_INJURY),
    question(2, "tendon_gap", "Can you feel a dent or gap just above or just below your "
             "kneecap?", yes("tendon_gap", E), help="Compare it with your other knee.",
             show_if=AFTER_INJURY),
    question(2, "foot_colour", "Since the injury, is your foot or lower leg cold, pale, blue or "
             "numb?", yes("poor_circulation", E), show_if=AFTER_INJURY),
    question(3, "walk_then", "Right after the injury, could you take four steps on that leg?",
             no("cannot_walk_then", SD), title="More about your injury", help="A limp is OK.",
             show_if=AFTER_INJURY),
    question(3, "walk_now", "Can you take four steps on that leg now?", no("cannot_walk_now", SD),
             help="A limp is OK.", show_if=AFTER_INJURY),
    question(3, "fast_swelling", "Did your knee swell up a lot within a few hours of the injury?",
             yes("fast_swelling", SD), show_if=AFTER_INJURY),
    question(3, "bone_tender", "Does it hurt to press right on your kneecap, or on the bony bump "
             "on the outer side just below your knee?", yes("bone_tender", SD),
             show_if=AFTER_INJURY),
    question(3, "bend_90", "Can you bend your knee to a right angle, like when you sit on a "
             "chair?", no("cannot_bend_90", SD), show_if=AFTER_INJURY),
    question(4, "worse_with", "Which of these make your knee hurt more? Tick all that apply.",
             kind="multiple", title="How your knee feels",
             help="Leave them all blank if none of these make it worse.", choices=[
        ("stairs_down", "Going down stairs", "stairs_pain", ""),
        ("stairs_up", "Going up stairs", "stairs_pain", ""),
        ("downhill", "Walking or running downhill (more than uphill)", "downhill_worse", ""),
    ]),
    question(4, "builds", "Does the pain build up the longer you run or stay active?",
             yes("builds_with_activity")),
    question(4, "noises", "Does your knee crack, click or pop when you bend it?",
             yes("noisy_knee"), help="Many healthy knees make noises."),
    question(4, "pain", "How bad is your knee pain at its worst?", [], kind="pain_scale",
             help="0 means no pain. 10 means the worst pain you can imagine."),
    question(5, "locking", "Does your knee ever lock or get stuck, so you cannot straighten it "
             "until you wiggle it free?", yes("locking", SD), title="How your knee behaves"),
    question(5, "giving_way", "Does your knee give way or buckle under you?", kind="single",
             choices=[
        ("never", "No", "", ""),
        ("once", "It happened once", "", ""),
        ("often", "Yes, more than once", "giving_way", SD),
    ]),
    question(5, "swelling", "Does your knee swell up for no clear reason, or does the swelling "
             "keep coming back?", yes("unexplained_swelling", SD)),
    question(5, "hot_red", "Is your knee hot, red and swollen?", yes("hot_swollen_knee", SD)),
    question(6, "fever", "Do you have a fever or chills, or do you feel sick or unwell?",
             yes("fever", E), title="Your health", show_if=("hot_red", "yes")),
    question(6, "calf", "Do you have pain, tenderness or swelling in your calf (the back of your "
             "lower leg)?", yes("calf_pain", SD),
             help="This matters most after a long trip, surgery, or a long time in bed."),
    question(6, "night_pain", "Does your knee hurt at night or at rest, even when you change "
             "position?", yes("night_pain", SD)),
    question(6, "weight_cancer", "Have you lost weight without trying, or have you ever had "
             "cancer?", yes("weight_loss_or_cancer", SD)),
    question(6, "other_joints", "Are other joints painful and swollen too, or are your joints "
             "stiff for more than 30 minutes after you get up?", yes("inflammatory_signs", SD)),
    question(6, "nerves", "Do you have numbness, tingling or weakness that spreads down your "
             "leg?", yes("nerve_signs", SD)),
    question(6, "limp_hip", "Do you limp, or do you also have pain in your hip or groin?",
             yes("limp_or_hip_pain", SD), show_if=("age", "under_16")),
]  # fmt: skip

GUIDE = ("/guides/knee-pain-with-running/", "Read our guide: knee pain with running")
PROTOCOL = ("/protocols/runners-patellofemoral-pain/", "See the home exercise plan")

# Within an outcome, rules are tried in this order; the most time-critical come first.
RULES = [
    rule(E, "Knee or kneecap out of place", any="deformity", explanation=(
        "Your knee or kneecap may be broken or out of place. This can also hurt the blood "
        "vessels behind the knee. Do not try to push it back yourself. Keep the leg still and "
        "get help now.")),
    rule(E, "Possible torn tendon: cannot lift the straight leg, or a gap by the kneecap",
         any="cannot_lift_leg, tendon_gap", explanation=(
        "Not being able to lift your leg with the knee straight, or a dent next to your "
        "kneecap, can mean a torn tendon at the front of the knee. It needs to be checked and "
        "treated quickly.")),
    rule(E, "Cold, pale, blue or numb foot after an injury", any="poor_circulation",
         explanation=(
        "A cold, pale, blue or numb foot after an injury can mean the blood flow or the nerves "
        "to your leg are hurt. This needs care right away.")),
    rule(E, "Cannot take four steps since the injury, with fast swelling",
         all="cannot_walk_then, cannot_walk_now, fast_swelling", explanation=(
        "Not being able to take four steps since the injury, together with fast swelling, can "
        "mean a broken bone or a bad tear inside the knee.")),
    rule(E, "Hot, red, swollen knee with fever or feeling unwell", all="hot_swollen_knee, fever",
         explanation=(
        "A hot, red, swollen knee with a fever or feeling sick can mean an infection in the "
        "joint. A joint infection can damage the knee fast, so it needs treatment today.")),
    rule(SD, "Calf pain, tenderness or swelling", any="calf_pain", explanation=(
        "Pain, tenderness or swelling in the calf can be a sign of a blood clot, most of all "
        "after a long trip, surgery or time in bed. Please see a doctor today. If you get short "
        "of breath or have chest pain, call 911.")),
    rule(SD, "Hot, red, swollen knee", any="hot_swollen_knee", explanation=(
        "A hot, red, swollen knee needs a doctor's check today. If you get a fever or start to "
        "feel sick, go to an emergency department.")),
    rule(SD, "Injury with an Ottawa Knee Rule sign",
         any="cannot_walk_then, cannot_walk_now, bone_tender, cannot_bend_90", explanation=(
        "After an injury, trouble walking or bending the knee, or pain when you press on "
        "certain bones, can mean a broken bone. A doctor may want an X-ray before you start "
        "exercises.")),
    rule(SD, "Injury at age 55 or older", all="recent_injury, age_55_plus", explanation=(
        "At age 55 and older, a knee injury is more likely to crack a bone. A doctor may want "
        "an X-ray before you start exercises.")),
    rule(SD, "Fast swelling after an injury", any="fast_swelling", explanation=(
        "When a knee swells up within a few hours of an injury, there may be bleeding inside "
        "the joint, for example from a torn ligament. A doctor should check it before you run "
        "or exercise on it.")),
    rule(SD, "Knee locks or keeps giving way", any="locking, giving_way", explanation=(
        "A knee that locks or keeps giving way may have a torn meniscus (the knee's cushion) "
        "or a loose ligament. A doctor should check it first. Exercises alone may not fix it.")),
    rule(SD, "Swelling with no clear reason, or that keeps coming back",
         any="unexplained_swelling", explanation=(
        "Swelling with no clear reason, or swelling that keeps coming back, needs a doctor's "
        "check to find the cause.")),
    rule(SD, "Pain at night or at rest, weight loss, or cancer",
         any="night_pain, weight_loss_or_cancer", explanation=(
        "Pain at night or at rest that does not ease, weight loss you did not try for, or a "
        "history of cancer are signs a doctor should check. Most of the time it is not serious, "
        "but it is important to be sure.")),
    rule(SD, "Several painful joints or long morning stiffness", any="inflammatory_signs",
         explanation=(
        "Pain and swelling in several joints, or long stiffness in the morning, can be a sign "
        "of a kind of arthritis that doctors treat with medicine. Please see your doctor.")),
    rule(SD, "Numbness, tingling or weakness down the leg", any="nerve_signs", explanation=(
        "Numbness, tingling or weakness that spreads down the leg can come from a nerve, often "
        "in the lower back. A doctor should check it first.")),
    rule(SD, "Under 16 with a limp, or hip or groin pain", all="age_under_16, limp_or_hip_pain",
         explanation=(
        "In children and teens, knee pain with a limp, or with pain in the hip or groin, can "
        "come from the hip. A doctor should check the hip first.")),
    rule(PFP, "Patellofemoral pattern: kneecap pain plus 2 of stairs, building pain, downhill",
         all="kneecap_pain", any="stairs_pain, builds_with_activity, downhill_worse",
         at_least=2, links=[GUIDE, PROTOCOL], explanation=(
        "Your answers fit patellofemoral pain, the most common knee pain in runners. It is pain "
        "around or behind the kneecap. It often hurts more on stairs (mostly going down), "
        "builds up as a run goes on, and hurts more going downhill than uphill.\n\n"
        "The good news: it usually gets better with the right exercises. Strong hips and "
        "thighs help keep your knee lined up when you land on one leg. Our guide explains why, "
        "and our home exercise plan shows you how.\n\n"
        "If your knee cracks or pops, don't sweat it: noisy knees do not mean further damage.")),
    rule(BOOK, "Strong pain (7 or more out of 10) with no warning signs", pain=7, explanation=(
        "Your pain is strong, but your answers show no warning signs that need a doctor first. "
        "Please book an evaluation soon, so a physical therapist can find the cause and help "
        "you ease the pain. If it gets worse or something new starts, call us.")),
    rule(BOOK, "Noisy knees with no warning signs", all="noisy_knee", explanation=(
        "Noisy knees do not mean further damage. Cracking, clicking and popping are common in "
        "healthy knees. If you have noisy knees, don't sweat it.\n\n"
        "Your answers show no warning signs. If your knee hurts or stops you doing what you "
        "love, book an evaluation and we will help you get back to it.")),
]  # fmt: skip

INTRO = (
    "This check is for runners and active people with knee pain. Answer a few short "
    "questions about your knee. At the end we will tell you what your answers suggest and "
    "what to do next: see a doctor first, try the exercises in our guide, or book a visit.\n\n"
    "It is not a diagnosis, and it takes about 3 minutes."
)


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    Question = apps.get_model("intake", "Question")
    Choice = apps.get_model("intake", "Choice")
    OutcomeRule = apps.get_model("intake", "OutcomeRule")
    questionnaire = Questionnaire.objects.create(
        title="Runner's knee self-check", slug=SLUG, intro=INTRO, published=True
    )
    by_key = {}
    for order, data in enumerate(QUESTIONS):
        show_if = data["show_if"]
        created = Question.objects.create(
            questionnaire=questionnaire,
            order=(order + 1) * 10,
            step=data["step"],
            step_title=data["step_title"],
            key=data["key"],
            kind=data["kind"],
            text=data["text"],
            help_text=data["help_text"],
            show_if_question=by_key[show_if[0]] if show_if else None,
            show_if_values=show_if[1] if show_if else "",
        )
        by_key[data["key"]] = created
        Choice.objects.bulk_create(
            Choice(
                question=created, order=index, value=value, label=label, flags=flags, red_flag=red
            )
            for index, (value, label, flags, red) in enumerate(data["choices"])
        )
    order_in_outcome = {}
    for data in RULES:
        outcome = data["outcome"]
        order_in_outcome[outcome] = order_in_outcome.get(outcome, 0) + 10
        (link_url, link_label), (second_url, second_label) = [*data["links"], ("", ""), ("", "")][
            :2
        ]
        OutcomeRule.objects.create(
            questionnaire=questionnaire,
            outcome=outcome,
            order=order_in_outcome[outcome],
            name=data["name"],
            any_flags=data["any_flags"],
            any_at_least=data["any_at_least"],
            all_flags=data["all_flags"],
            pain_at_least=data["pain_at_least"],
            explanation=data["explanation"],
            link_url=link_url,
            link_label=link_label,
            second_link_url=second_url,
            second_link_label=second_label,
        )


def unseed(apps, schema_editor):
    apps.get_model("intake", "Questionnaire").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_selfcheck_questionnaires")]

    operations = [migrations.RunPython(seed, unseed)]
