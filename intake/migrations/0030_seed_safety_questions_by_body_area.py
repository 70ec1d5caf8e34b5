"""Seed the before-your-first-visit safety questions for every body area but the knee, and
the general screening every patient answers, from shared/clinical/red-flags-by-region.md.

Each question is yes/no; Yes raises one flag named after the reference's ID (G-E1 ->
g_e1), marks the answer as a red flag on its own (the safety net), and one rule named by
the ID gives the outcome, so staff see which item fired. The sets are not self-checks
(not listed at /check/) and wait for a clinician's sign-off in the admin, but they are
asked from now on: a question awaiting sign-off is safer than a knee question put to a
shoulder patient.

A few items only apply to some patients (pregnant or a recent baby, diabetes, aged 8 to
16). Those are asked after a yes to a short question that says so, which the form
answers itself when it already knows (the date of birth, the health history).

The knee's "under 16 with a limp" item becomes same day, with the hip's advice, as the
reference asks for the hip's H-D2 (a slipped growth plate is often felt only in the knee).

The data lives here, not in app code, so this migration means the same thing forever.
"""

from django.db import migrations

E = "emergency"
SD = "see_doctor"
TODAY = True


def item(ref, tier, text, name, explanation, *, same_day=False, show_if=""):
    return {
        "ref": ref,
        "tier": tier,
        "text": text,
        "name": f"{ref} {name}",
        "explanation": explanation,
        "same_day": same_day,
        "show_if": show_if,
    }


def trigger(key, text, help_text=""):
    """A yes/no question that only decides whether the items after it are asked."""
    return {"trigger": key, "text": text, "help_text": help_text}


SETS = [
    ("general", "safety-general", "Safety questions: general health", [
        item("G-E1", E, "Do you have chest pain, pressure or squeezing that lasts more than a few "
             "minutes or keeps coming back, or pain in your arm, neck, jaw or back with shortness "
             "of breath, a cold sweat, feeling sick to your stomach, or feeling light-headed?",
             "Possible heart attack",
             "Chest pain like this, or arm, neck or jaw pain with these signs, can be a heart "
             "attack. Heart pain is often felt in the shoulder, arm or jaw."),
        item("G-E2", E, "Have you suddenly become short of breath, or do you have chest pain that "
             "is worse when you breathe in, or are you coughing up blood?",
             "Possible blood clot in the lung",
             "Sudden shortness of breath, chest pain when you breathe in, or coughing up blood "
             "can be a blood clot in the lung."),
        item("G-E3", E, "Today, has one side of your face drooped, has an arm or leg gone weak or "
             "numb, has your speech become slurred or mixed up, or have you suddenly lost sight "
             "or seen double?", "Possible stroke (F.A.S.T. signs)",
             "These can be signs of a stroke. Every minute counts."),
        item("G-E4", E, "Do you feel very ill with any of these: confused or slurred speech, "
             "shivering hard or very bad muscle pain, no pee all day, very hard to breathe, skin "
             "that is blotchy, bluish or very pale, or a feeling that you might die?",
             "Possible sepsis",
             "Feeling very ill with these signs can be sepsis, a life-threatening reaction to an "
             "infection."),
        trigger("pregnant_recent", "Are you pregnant, or did you have a baby in the last 12 "
                "months?"),
        item("G-E5", E, "Are you pregnant and have bleeding or fluid leaking from your vagina, "
             "regular painful tightenings of your belly (contractions), or is your baby moving "
             "less or not at all?", "Urgent pregnancy warning signs",
             "These are urgent warning signs in pregnancy.", show_if="pregnant_recent"),
        item("G-E6", E, "Have you had a seizure, a very bad headache with changes in your "
             "eyesight, or thoughts of hurting yourself or your baby?",
             "Urgent maternal warning signs",
             "During pregnancy or in the year after a baby, these are urgent warning signs. You "
             "are not alone, and help is there now.", show_if="pregnant_recent"),
        item("G-D1", SD, "Have you ever had cancer, and did this pain start without a clear "
             "injury?", "Past cancer with pain that started without an injury",
             "After cancer, new pain with no clear injury should be checked by a doctor first. "
             "Most of the time it is not serious, but it is important to be sure."),
        item("G-D2", SD, "Since this pain started, have you had fevers, chills or night sweats "
             "(waking up soaked), or lost weight without trying?",
             "Fever, night sweats or weight loss",
             "Fevers, night sweats or weight loss you did not try for can be signs of an "
             "infection or another illness. If you have a fever, see a doctor today.",
             same_day=TODAY),
        item("G-D3", SD, "Is the pain there all the time, even at rest, and does it wake you at "
             "night and not ease when you change position?", "Constant night pain",
             "Pain that never eases, even at rest or when you move, can come from something other "
             "than muscles and joints. A doctor should check it first."),
        item("G-D4", SD, "Is one calf, leg or arm newly painful, swollen, warm or red, especially "
             "after surgery, an injury, a cast, boot or crutches, a long trip, time in bed, or "
             "having a baby?", "Possible blood clot (DVT)",
             "This can be a blood clot. Please see a doctor today. If you get short of breath or "
             "chest pain, call 911.", same_day=TODAY),
        item("G-D5", SD, "Did this pain start with a serious accident, such as a car crash, a fall "
             "from a height, or a hard hit or heavy landing in sport, and no doctor has checked "
             "you since?", "Major accident not yet checked",
             "After a serious accident, a doctor should check for a broken bone first, today.",
             same_day=TODAY),
        item("G-D6", SD, "Do you have swelling, not just pain, in more than one joint, or in the "
             "small joints of your hands or feet, that has not gone away?",
             "Possible inflammatory arthritis",
             "Swelling in several joints can be a kind of arthritis that doctors treat with "
             "medicine. A doctor should see it within days."),
        item("G-D7", SD, "Are you pregnant and, when you exercise, do you get dizzy or faint, short "
             "of breath before you even start, a headache, or weak muscles that upset your "
             "balance, or have your face or hands suddenly swollen?",
             "Pregnancy warning signs with exercise",
             "Stop exercising and call your pregnancy care provider today.", same_day=TODAY,
             show_if="pregnant_recent"),
        item("G-D8", SD, "Did you have a baby in the last year, and do you have heavy bleeding "
             "(soaking a pad in an hour, or clots the size of an egg), a C-section or stitches "
             "wound that is red, leaking or not healing, a temperature of 100.4°F (38°C) or "
             "higher, or a headache that does not get better with medicine?",
             "Warning signs after having a baby",
             "After having a baby, these can be signs of bleeding, infection or high blood "
             "pressure. Call your doctor or midwife today.", same_day=TODAY,
             show_if="pregnant_recent"),
    ]),
    ("low_back", "safety-low-back", "Safety questions: low back", [
        item("LB-E1", E, "Since your back or leg pain started, is it new for you to have trouble "
             "starting to pee, a weak stream, not feeling when your bladder is full or when you "
             "pee, or any leaking of pee or poop that you cannot control?",
             "Bladder or bowel changes (possible cauda equina syndrome)",
             "With back pain, new bladder or bowel changes can mean the nerves at the bottom of "
             "the spine are squeezed. This needs care now to protect them."),
        item("LB-E2", E, "Is there numbness or tingling between your legs, around your bottom or on "
             "your genitals (for example, toilet paper feels different when you wipe), or new "
             "loss of feeling during sex or new trouble getting an erection?",
             "Saddle numbness or sexual changes (possible cauda equina syndrome)",
             "Numbness between the legs or new changes during sex can mean the nerves at the "
             "bottom of the spine are squeezed. This needs care now."),
        item("LB-E3", E, "Is it new for you to have pain, numbness or weakness going down both "
             "legs, or is weakness in a leg or foot getting worse (tripping, foot slapping, leg "
             "giving way)?", "Both legs, or worsening weakness",
             "Symptoms in both legs, or weakness that is getting worse, can mean a nerve is badly "
             "squeezed. This needs care now."),
        item("LB-E4", E, "Have you ever had cancer, and do you now have back pain together with new "
             "weakness, numbness or heaviness in your legs, or trouble walking?",
             "Past cancer with new leg weakness (possible spinal cord compression)",
             "After cancer, back pain with new leg weakness or numbness needs to be checked now."),
        item("LB-E5", E, "Did your back pain start with a big accident (car crash, fall from a "
             "height, heavy landing) and do you now have numbness, tingling or weakness in your "
             "legs?", "Accident with leg numbness or weakness (possible spinal fracture)",
             "After a big accident, numbness or weakness in the legs can mean a broken bone in "
             "the spine. Keep still and get help now."),
        item("LB-D1", SD, "Did your back pain start suddenly, after a small fall, a lift or even a "
             "cough, and are you 70 or older, or have you taken steroid tablets (such as "
             "prednisone) for months, or been told you have thin bones (osteoporosis)?",
             "Possible spinal compression fracture",
             "With thin bones, long-term steroids or at 70 and older, a small fall or lift can "
             "crack a bone in the back. A doctor may want an X-ray first."),
        item("LB-D2", SD, "Along with your back pain, do you have a fever, or did the pain start "
             "soon after a spine injection, spine surgery or an infection somewhere else (such "
             "as a urine or skin infection)?", "Possible spinal infection",
             "Back pain with a fever, or soon after a spine procedure or an infection, can mean "
             "an infection in the spine. See a doctor today.", same_day=TODAY),
        item("LB-D3", SD, "Did your back pain start before age 45, has it lasted more than 3 "
             "months, and does it wake you in the second half of the night and get better when "
             "you move about?", "Possible inflammatory back pain (axial spondyloarthritis)",
             "This pattern can be a kind of arthritis of the spine that doctors treat with "
             "medicine. Please see your doctor."),
    ]),
    ("neck", "safety-neck", "Safety questions: neck", [
        item("N-E1", E, "Along with new neck pain or headache, have you had dizziness or the room "
             "spinning, double vision, trouble speaking or swallowing, sudden falls without "
             "passing out, numbness of your face, throwing up, or a drooping eyelid?",
             "Possible neck artery tear or poor blood flow to the brain",
             "New neck pain or headache with these signs can mean a problem with a blood vessel "
             "in the neck. This needs care now."),
        item("N-E2", E, "Did a headache come on suddenly and very badly, like a thunderclap, the "
             "worst you have ever had?", "Thunderclap headache",
             "A sudden, very bad headache can mean bleeding in or around the brain."),
        item("N-E3", E, "Did your neck pain start with an injury that no doctor has checked, and "
             "are you 65 or older, or was it a fall from higher than 3 feet or 5 stairs, a dive or "
             "a hard blow to the top of your head, a fast car crash or rollover, or a bike crash, "
             "or did you have tingling in your arms or legs afterwards?",
             "High-risk neck injury (Canadian C-Spine Rule)",
             "After an injury like this, the neck needs an X-ray or scan before anyone moves it. "
             "Keep your neck still and get help now."),
        item("N-D1", SD, "Is your neck pain or headache new and unlike any you have had before, "
             "especially if it began after a neck injury, a sudden twist or jolt of the neck, or "
             "a recent infection?", "New, unusual neck pain or headache",
             "New neck pain or headache unlike any before can be the first sign of a problem with "
             "a blood vessel in the neck. See a doctor today.", same_day=TODAY),
        item("N-D2", SD, "Do your hands feel numb or clumsy (trouble with buttons, writing or your "
             "phone), or have you become unsteady when you walk, or started to drop things?",
             "Possible pressure on the spinal cord in the neck (myelopathy)",
             "Clumsy hands or unsteady walking can mean pressure on the spinal cord in the neck. "
             "A doctor should check it soon, because waiting can leave lasting damage."),
        item("N-D3", SD, "After a neck injury, or if you have rheumatoid arthritis, Down syndrome "
             "or a joint-hypermobility condition (such as Ehlers-Danlos syndrome): does moving "
             "your neck bring on numbness or tingling in your face, both arms or both legs, or do "
             "you feel your head is too heavy to hold up?", "Possible upper neck instability",
             "This can mean the top of the neck is not stable. A doctor should check it before "
             "any hands-on treatment of the neck."),
    ]),
    ("shoulder", "safety-shoulder", "Safety questions: shoulder", [
        item("S-E1", E, "Is the pain at the very tip of your shoulder, and do you also have belly "
             "pain, or did it start after a hard hit to your ribs or belly, or could you be "
             "pregnant?", "Shoulder-tip pain with belly pain, a hit or possible pregnancy",
             "Pain at the tip of the shoulder can come from bleeding or irritation inside the "
             "belly, such as a hurt spleen or a pregnancy outside the womb."),
        item("S-E2", E, "After a fall, a hard hit, a seizure or an electric shock, does your "
             "shoulder look out of shape, or can you hardly move it at all?",
             "Possible dislocation or fracture",
             "Your shoulder may be out of place or broken. Do not try to push it back yourself."),
        item("S-E3", E, "Is your shoulder hot, red and swollen, with a fever or feeling unwell?",
             "Possible joint infection",
             "A hot, red, swollen shoulder with a fever can be an infection in the joint. It needs "
             "treatment today."),
        item("S-E4", E, "Did you suddenly lose strength or feeling in your arm or hand?",
             "Sudden loss of strength or feeling in the arm",
             "A sudden loss of strength or feeling needs to be checked now."),
        item("S-D1", SD, "After a fall, a dislocation or a hard pull, can you no longer lift your "
             "arm up, even though you could before?", "Possible acute rotator cuff tear",
             "Not being able to lift your arm after an injury can mean a torn tendon. A doctor "
             "should check it soon, while a repair works best."),
        item("S-D2", SD, "Have you found a new lump or swelling around your shoulder, in your armpit "
             "or above your collarbone?", "New lump around the shoulder",
             "A new lump should be checked by a doctor soon. Most lumps are not serious, but it "
             "is important to be sure."),
        item("S-D3", SD, "Does your shoulder or arm pain come on when you walk, climb stairs or "
             "exercise, ease when you rest, and not change when you move your arm?",
             "Possible heart pain felt in the shoulder (angina)",
             "Pain that comes with effort and eases with rest can come from the heart. See a "
             "doctor today. If it comes at rest or lasts, call 911.", same_day=TODAY),
        item("S-D4", SD, "Are you over 50 with new aching and stiffness in both shoulders (or both "
             "hips) for more than 2 weeks, worst in the morning?",
             "Possible polymyalgia rheumatica",
             "Aching and stiffness in both shoulders or hips after 50 can be an illness doctors "
             "treat with medicine. If you also have a new headache, a sore scalp, jaw pain when "
             "you chew, or blurred or double vision, see a doctor today: it can harm your "
             "eyesight."),
        item("S-D5", SD, "Has one arm suddenly become swollen, heavy, or a bluish or red color, "
             "especially after hard or repeated overhead work, lifting, climbing or swimming?",
             "Possible blood clot in the arm",
             "A swollen, heavy or discoloured arm can be a blood clot. See a doctor today.",
             same_day=TODAY),
    ]),
    ("hip", "safety-hip", "Safety questions: hip and groin", [
        item("H-E1", E, "After a fall or injury, can you not stand or walk on that leg, or does the "
             "leg look shorter or turned out?", "Possible hip fracture or dislocation",
             "Your hip may be broken or out of place. Keep still and get help now."),
        trigger("age_8_to_16", "Are you 8 to 16 years old?"),
        item("H-E2", E, "Did hip, groin, thigh or knee pain come on so badly that you cannot put "
             "weight on the leg, even with crutches?",
             "Age 8 to 16, cannot bear weight (possible unstable slipped growth plate)",
             "At this age, this can mean the growth plate at the hip has slipped. Keep all weight "
             "off the leg and get help now.", show_if="age_8_to_16"),
        item("H-E3", E, "Is your hip or groin hot, swollen or very painful with a fever or feeling "
             "unwell, or can you not move the hip or put any weight on it?",
             "Possible hip infection",
             "This can be an infection of the hip joint or bone. It needs treatment today."),
        item("H-E4", E, "Do you have a lump in your groin that has become hard, tender or painful "
             "and will not go back in, or a groin lump with throwing up or not being able to "
             "poop or pass gas?", "Possible trapped hernia",
             "A groin lump like this can be a trapped hernia. It needs care now."),
        item("H-D1", SD, "Do you run or jump, and have deep groin or front-of-hip pain that comes on "
             "earlier in each session, hurts when you hop on that leg, or now hurts when you walk "
             "or at night?", "Possible femoral neck stress fracture",
             "This can be a stress fracture of the hip. Stop running until a doctor checks it. If "
             "walking hurts, see a doctor today."),
        item("H-D2", SD, "Do you have a limp, or pain in the hip, groin, thigh or knee?",
             "Age 8 to 16 with a limp or pain (possible slipped growth plate)",
             "At this age, a limp or pain in the hip, thigh or knee can come from the growth plate "
             "at the hip. It needs an X-ray today. Keep weight off the leg until then.",
             same_day=TODAY, show_if="age_8_to_16"),
        item("H-D3", SD, "Do you have deep groin pain, and have you taken steroid tablets for a long "
             "time, drink a lot of alcohol, or have sickle cell disease or another blood "
             "disorder?", "Possible loss of blood supply to the hip (avascular necrosis)",
             "With these, deep groin pain can mean the ball of the hip is losing its blood "
             "supply. A doctor should check it first."),
        item("H-D4", SD, "Along with hip or groin pain, do you have belly pain, a fever, pain or "
             "blood when you pee, or a swollen or painful testicle?",
             "Pain that may come from the belly, kidneys, bladder or testicle",
             "Pain from the belly, kidneys, bladder or testicle can be felt in the groin. See a "
             "doctor today.", same_day=TODAY),
        item("H-D5", SD, "Do you have a lump or bulge in your groin that comes and goes, for "
             "example when you cough or lift?", "Possible hernia",
             "A bulge that comes and goes can be a hernia. A doctor should check it, because it "
             "can get trapped."),
    ]),
    ("ankle_foot", "safety-ankle-foot", "Safety questions: ankle and foot", [
        item("A-E1", E, "After an injury, does your ankle or foot look out of shape, or is bone "
             "showing through the skin?", "Possible fracture-dislocation or open fracture",
             "Your ankle or foot may be broken or out of place. Keep still and get help now."),
        item("A-E2", E, "Since an injury, or in a cast, boot or tight bandage, is your foot cold, "
             "pale, blue or numb, or is pain in your shin or foot getting worse and worse, "
             "feeling tight, and much worse when your toes are moved?",
             "Poor blood supply or compartment syndrome",
             "This can mean the blood supply is cut off, or pressure is building inside the "
             "muscles. Loosen nothing yourself and get help now."),
        trigger("diabetes", "Do you have diabetes?"),
        item("A-E3", E, "Do you have a sore or wound on your foot with a fever or feeling unwell, "
             "redness spreading up your foot or leg, or a toe or patch of skin turning black?",
             "Diabetic foot emergency",
             "With diabetes, these signs can threaten the foot or your life.",
             show_if="diabetes"),
        item("A-D1", SD, "After a twist or injury, could you not take four steps right after it, "
             "and still cannot? Or does it hurt when you press on the back edge or tip of either "
             "ankle bone, the bony bump halfway along the outer edge of your foot, or the bony "
             "bump on the inner side of your midfoot?", "Ottawa ankle and foot rules",
             "After an injury, these signs mean an X-ray is needed to rule out a broken bone. See "
             "a doctor today.", same_day=TODAY),
        item("A-D2", SD, "Did you feel a sudden pop, or as if someone kicked you, at the back of "
             "your ankle or calf, and since then you cannot rise up on your toes on that leg, or "
             "you can feel a dip in the tendon?", "Possible Achilles tendon rupture",
             "This can be a torn Achilles tendon. See a doctor today.", same_day=TODAY),
        item("A-D3", SD, "Do you have pain in one spot on a bone of your foot or shin that comes on "
             "earlier in each run, hurts when you hop, or now hurts when you walk or at night?",
             "Possible bone stress injury",
             "This can be a stress fracture. Stop running until a doctor checks it."),
        item("A-D4", SD, "Do you have any new sore, blister or wound on your foot, or is your foot "
             "hot, red or swollen, even if it does not hurt much?",
             "Active diabetic foot problem",
             "With diabetes, a new sore or a hot, swollen foot needs the foot care team within 1 "
             "working day.", same_day=TODAY, show_if="diabetes"),
    ]),
    ("elbow_hand", "safety-elbow-hand", "Safety questions: elbow, wrist and hand", [
        item("W-E1", E, "After a fall or injury, does your elbow, wrist or a finger look out of "
             "shape or out of place?", "Possible dislocation or fracture",
             "It may be broken or out of place, and nerves or blood vessels can be pinched. Do not "
             "try to push it back yourself."),
        item("W-E2", E, "Since an injury, or in a cast or tight bandage, is your hand cold, pale, "
             "blue or numb, or is pain in your forearm or hand getting worse and worse, feeling "
             "tight, and much worse when your fingers are straightened?",
             "Poor blood supply or compartment syndrome",
             "This can mean the blood supply is cut off, or pressure is building inside the "
             "muscles. Get help now."),
        item("W-E3", E, "Is a finger swollen all the way around, held bent, sore along the palm "
             "side, and very painful to straighten, especially after a cut, splinter or bite?",
             "Possible tendon sheath infection",
             "This can be an infection deep in the finger. It needs surgery quickly."),
        item("W-E4", E, "Do you have a bite wound on your hand, or a cut over a knuckle from "
             "hitting someone's teeth?", "Bite or fight bite",
             "Bites carry germs deep into the hand and its joints. They need treatment today."),
        item("W-D1", SD, "Did you fall on an outstretched hand or bend your wrist back hard, and "
             "does it now hurt on the thumb side of your wrist, mostly when you press the hollow "
             "at the base of your thumb?", "Possible scaphoid fracture",
             "This can be a broken wrist bone that is easy to miss on a first X-ray. See a doctor "
             "today.", same_day=TODAY),
        item("W-D2", SD, "Did you feel a sudden pop at the front of your elbow while lifting or "
             "lowering something heavy, then bruising, and weakness when you turn your palm up?",
             "Possible biceps tendon rupture",
             "This can be a torn biceps tendon. A repair works best in the first few weeks, so "
             "see a doctor soon."),
    ]),
]  # fmt: skip

INTRO = (
    "Questions that check for signs a doctor should see first. Asked in the "
    "before-your-first-visit form; not a self-check."
)

KNEE_LIMP_RULE = "Under 16 with a limp, or hip or groin pain"
KNEE_LIMP_OLD = (
    "In children and teens, knee pain with a limp, or with pain in the hip or groin, can "
    "come from the hip. A doctor should check the hip first."
)
KNEE_LIMP_NEW = (
    "In children and teens, knee pain with a limp, or with pain in the hip or groin, can "
    "come from the growth plate at the hip. It needs an X-ray today. Keep weight off the "
    "leg until a doctor has checked it."
)


def flag(ref):
    return ref.lower().replace("-", "_")


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    Question = apps.get_model("intake", "Question")
    Choice = apps.get_model("intake", "Choice")
    OutcomeRule = apps.get_model("intake", "OutcomeRule")
    for area, slug, title, entries in SETS:
        questionnaire = Questionnaire.objects.create(
            title=title, slug=slug, intro=INTRO, published=False, safety_area=area
        )
        triggers = {}
        order_in_outcome = {E: 0, SD: 0}
        for order, entry in enumerate(entries, start=1):
            if "trigger" in entry:
                question = Question.objects.create(
                    questionnaire=questionnaire,
                    order=order * 10,
                    step=1,
                    key=entry["trigger"],
                    text=entry["text"],
                    help_text=entry["help_text"],
                )
                Choice.objects.create(question=question, order=0, value="yes", label="Yes")
                Choice.objects.create(question=question, order=1, value="no", label="No")
                triggers[entry["trigger"]] = question
                continue
            code = flag(entry["ref"])
            parent = triggers.get(entry["show_if"])
            question = Question.objects.create(
                questionnaire=questionnaire,
                order=order * 10,
                step=2 if parent else 1,
                key=code,
                text=entry["text"],
                show_if_question=parent,
                show_if_values="yes" if parent else "",
            )
            Choice.objects.create(
                question=question, order=0, value="yes", label="Yes", flags=code,
                red_flag=entry["tier"],
            )  # fmt: skip
            Choice.objects.create(question=question, order=1, value="no", label="No")
            order_in_outcome[entry["tier"]] += 10
            OutcomeRule.objects.create(
                questionnaire=questionnaire,
                outcome=entry["tier"],
                order=order_in_outcome[entry["tier"]],
                name=entry["name"],
                any_flags=code,
                same_day=entry["same_day"],
                explanation=entry["explanation"],
            )
    Questionnaire.objects.filter(slug="runners-knee").update(safety_area="knee")
    OutcomeRule.objects.filter(questionnaire__slug="runners-knee", name=KNEE_LIMP_RULE).update(
        same_day=True, explanation=KNEE_LIMP_NEW
    )


def unseed(apps, schema_editor):
    Questionnaire = apps.get_model("intake", "Questionnaire")
    Question = apps.get_model("intake", "Question")
    Choice = apps.get_model("intake", "Choice")
    OutcomeRule = apps.get_model("intake", "OutcomeRule")
    OutcomeTally = apps.get_model("intake", "OutcomeTally")
    slugs = [slug for _, slug, _, _ in SETS]
    # Children first, and a follow-on unlinked from the question that asks for it (it
    # protects it).
    Choice.objects.filter(question__questionnaire__slug__in=slugs).delete()
    OutcomeRule.objects.filter(questionnaire__slug__in=slugs).delete()
    OutcomeTally.objects.filter(questionnaire__slug__in=slugs).delete()
    questions = Question.objects.filter(questionnaire__slug__in=slugs)
    questions.update(show_if_question=None)
    # Nothing refers to them any more; Django's collector trips over the historical
    # model's link to itself when unmigrating, so delete the rows directly.
    questions._raw_delete(schema_editor.connection.alias)
    Questionnaire.objects.filter(slug__in=slugs).delete()
    OutcomeRule.objects.filter(questionnaire__slug="runners-knee", name=KNEE_LIMP_RULE).update(
        same_day=False, explanation=KNEE_LIMP_OLD
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0029_safety_questionnaires_by_body_area")]

    operations = [migrations.RunPython(seed, unseed)]
