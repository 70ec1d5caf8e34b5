"""Seed a starter library of lower-limb and trunk exercises, as drafts awaiting clinical review.

The wording is the project's own, written in plain language for patients, so a clinician
reviews, corrects and publishes each one (the admin's "Review and publish") rather than
writing it from nothing. As drafts, none is shown to patients or offered for a programme
until then, so no content version changes here. Exercises the clinic already has
(step-down, single-leg banded hip abduction, the forward-trunk-lean wall drill) are not
repeated; a slug already taken is left alone.

Reversing removes only the exercises still as seeded here: still drafts, with this
summary, and in no protocol. One a clinician has published or prescribed is the clinic's.
"""

import markdown
import nh3
from django.db import migrations

# education/rendering.py as it was when this migration was written, frozen here so that a
# later change to the live renderer cannot change what this migration does.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "blockquote", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
MARKDOWN_FIELDS = ("purpose", "setup", "steps", "cues", "precautions")


def render(text):
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES
    )


EXERCISES = [
    {
        "slug": "bridge",
        "name": "Bridge",
        "summary": "Lying on your back and lifting your hips off the floor.",
        "purpose": (
            "Builds strength in the muscles at the back of your hips (your glutes) and the "
            "back of your thighs. Strong glutes take load off your knees and lower back when "
            "you walk, run, climb stairs or lift."
        ),
        "equipment": "A mat or a carpeted floor",
        "setup": (
            "Lie on your back with your knees bent and your feet flat on the floor, about hip "
            "width apart. Rest your arms by your sides."
        ),
        "steps": (
            "1. Tighten your belly a little, as if bracing for a light poke.\n"
            "2. Push through your heels and lift your hips until your body makes a straight "
            "line from your shoulders to your knees.\n"
            "3. Hold for a moment at the top.\n"
            "4. Lower your hips slowly back to the floor."
        ),
        "cues": (
            "- Squeeze your buttocks to lift, rather than arching your lower back.\n"
            "- Keep your knees pointing straight ahead, not falling in or out.\n"
            "- Breathe out as you lift."
        ),
        "precautions": (
            "Stop if you feel sharp pain in your back or knees. A cramp in the back of your "
            "thigh is common: move your feet a little closer to your buttocks."
        ),
    },
    {
        "slug": "single-leg-bridge",
        "name": "Single-leg bridge",
        "summary": "A bridge with one foot on the floor and the other leg held up.",
        "purpose": (
            "A harder bridge that makes each hip work on its own. It helps when one side is "
            "weaker, and it trains the hip to keep your pelvis level, as it must when you run "
            "or climb stairs."
        ),
        "equipment": "A mat or a carpeted floor",
        "setup": (
            "Lie on your back with both knees bent and feet flat. Lift one foot and straighten "
            "that leg, keeping your thighs level with each other."
        ),
        "steps": (
            "1. Push through the heel of the foot on the floor.\n"
            "2. Lift your hips until your body is straight from shoulders to knee.\n"
            "3. Hold for a moment, keeping both hips at the same height.\n"
            "4. Lower slowly. Finish all your reps, then switch legs."
        ),
        "cues": (
            "- Keep your hips level, as if balancing a glass of water on your belly.\n"
            "- Keep the knee of the working leg in line with your foot."
        ),
        "precautions": (
            "Master the two-leg bridge first. Stop if you feel sharp pain in your back, hip or "
            "knee."
        ),
    },
    {
        "slug": "clamshell",
        "name": "Clamshell",
        "summary": "Lying on your side and opening your top knee like a clam shell.",
        "purpose": (
            "Strengthens the muscles on the outside and back of your hip. These muscles help "
            "keep your knee in line over your foot when you stand on one leg, walk or run."
        ),
        "equipment": "A mat. A loop band around your thighs makes it harder.",
        "setup": (
            "Lie on one side with your hips and knees bent, knees stacked on top of each "
            "other and your heels in line with your buttocks. Rest your head on your arm."
        ),
        "steps": (
            "1. Keep your feet together.\n"
            "2. Lift your top knee as far as you can without rolling your hips back.\n"
            "3. Hold for a moment.\n"
            "4. Lower the knee slowly. Finish your reps, then turn over and do the other side."
        ),
        "cues": (
            "- Stack your hips one on top of the other and keep them still.\n"
            "- The movement is small. Feel it in the side of your buttock, not your back."
        ),
        "precautions": "Stop if you feel pinching or sharp pain in the front of your hip.",
    },
    {
        "slug": "step-up",
        "name": "Step-up",
        "summary": "Stepping up onto a stair or a sturdy box with one leg doing the work.",
        "purpose": (
            "Builds strength in the front of your thigh (quads) and your hip for stairs, hills "
            "and getting up from low seats. It also trains balance on one leg."
        ),
        "equipment": "A stair or a sturdy step, and a rail or wall to hold if needed",
        "setup": (
            "Stand facing a bottom stair. Put your whole foot on the step. Hold the rail "
            "lightly if you need to."
        ),
        "steps": (
            "1. Lean forward a little and push through the foot on the step.\n"
            "2. Stand up tall on the step. Try not to push off with the foot on the floor.\n"
            "3. Step back down slowly with the same leg that came up last.\n"
            "4. Finish your reps, then switch legs."
        ),
        "cues": (
            "- Keep your knee in line with your second toe.\n"
            "- Keep your hips level as you rise.\n"
            "- Go slowly on the way down."
        ),
        "precautions": (
            "Start with a low step. Stop if your knee pain goes up during the exercise or is "
            "worse the next morning."
        ),
    },
    {
        "slug": "wall-sit",
        "name": "Wall sit",
        "summary": "Holding a half-sitting position with your back against a wall.",
        "purpose": (
            "Builds strength in the front of your thighs while your knee stays still. Holding "
            "still like this often calms down a sore knee or tendon, and it gets your legs "
            "ready for more."
        ),
        "equipment": "A wall",
        "setup": (
            "Stand with your back against a wall and your feet about a foot and a half in front "
            "of it, hip width apart."
        ),
        "steps": (
            "1. Slide your back down the wall until your knees are bent. Go only as low as is "
            "comfortable.\n"
            "2. Hold that position for the time your therapist gave you.\n"
            "3. Slide back up the wall to stand."
        ),
        "cues": (
            "- Keep your knees over your ankles, not past your toes.\n"
            "- Keep your weight even on both feet.\n"
            "- Keep breathing. Do not hold your breath."
        ),
        "precautions": (
            "Some effort and burning in the thighs is normal. Stop if you feel sharp pain in "
            "your knee, and do not go lower than your therapist suggested."
        ),
    },
    {
        "slug": "split-squat",
        "name": "Split squat",
        "summary": "Lowering straight down with one foot in front of the other.",
        "purpose": (
            "Builds strength in the thigh and hip of your front leg, and trains balance. It "
            "copies the way your legs work when you run, climb or get down to the floor."
        ),
        "equipment": "A chair or wall to hold for balance, if needed",
        "setup": (
            "Stand with one foot a long step in front of the other, both feet pointing "
            "forward. Lift the back heel so you are on the ball of that foot."
        ),
        "steps": (
            "1. Bend both knees and lower your body straight down.\n"
            "2. Stop when your back knee is close to the floor, or sooner if it hurts.\n"
            "3. Push through your front foot to come back up.\n"
            "4. Finish your reps, then switch legs."
        ),
        "cues": (
            "- Keep your chest up and your body upright.\n"
            "- Keep your front knee in line with your second toe.\n"
            "- Most of your weight stays on the front foot."
        ),
        "precautions": (
            "Hold on to something if your balance is shaky. Stop if you feel sharp pain in "
            "either knee."
        ),
    },
    {
        "slug": "calf-raise",
        "name": "Calf raise",
        "summary": "Rising up onto your toes on both feet, then lowering slowly.",
        "purpose": (
            "Builds strength in your calf muscles and Achilles tendons. Strong calves push you "
            "forward when you walk and run, and absorb the load each time you land."
        ),
        "equipment": "A wall or counter to hold lightly",
        "setup": (
            "Stand with your feet hip width apart, facing a wall or counter. Rest your "
            "fingertips on it for balance."
        ),
        "steps": (
            "1. Rise up onto the balls of your feet as high as you can.\n"
            "2. Pause at the top for a moment.\n"
            "3. Lower your heels slowly, taking about three seconds."
        ),
        "cues": (
            "- Keep your weight over your big toe and second toe, not rolling to the outside.\n"
            "- Keep your knees straight but not locked."
        ),
        "precautions": (
            "Stop if you feel sharp pain in your heel or the back of your ankle. Mild soreness "
            "that settles by the next day is fine."
        ),
    },
    {
        "slug": "single-leg-calf-raise",
        "name": "Single-leg calf raise",
        "summary": "Rising up onto the toes of one foot, then lowering slowly.",
        "purpose": (
            "A harder calf raise that puts your whole body weight through one calf and "
            "Achilles tendon. Runners need this strength: each stride loads the calf with "
            "several times your body weight."
        ),
        "equipment": "A wall or counter to hold lightly",
        "setup": (
            "Stand on one foot facing a wall or counter, fingertips resting on it. Bend the "
            "other knee so that foot is off the floor."
        ),
        "steps": (
            "1. Rise up onto the ball of your foot as high as you can.\n"
            "2. Pause at the top.\n"
            "3. Lower your heel slowly, taking about three seconds.\n"
            "4. Finish your reps, then switch legs."
        ),
        "cues": (
            "- Go as high on every rep as on the first.\n"
            "- Use the wall for balance only, not to help you up."
        ),
        "precautions": (
            "Do the two-leg calf raise well first. Stop if you feel sharp pain in your heel or "
            "Achilles."
        ),
    },
    {
        "slug": "bent-knee-calf-raise",
        "name": "Bent-knee calf raise",
        "summary": "A calf raise with your knees slightly bent.",
        "purpose": (
            "Bending the knee shifts the work to the deeper calf muscle (the soleus). This "
            "muscle does much of the work in running and often needs its own training after an "
            "Achilles or calf problem."
        ),
        "equipment": "A wall or counter to hold lightly",
        "setup": (
            "Stand facing a wall or counter with your fingertips on it. Bend your knees a "
            "little, as if starting to sit."
        ),
        "steps": (
            "1. Keep your knees bent the same amount the whole time.\n"
            "2. Rise up onto the balls of your feet.\n"
            "3. Pause at the top.\n"
            "4. Lower your heels slowly."
        ),
        "cues": (
            "- Your knees should not straighten as you rise.\n"
            "- Keep your weight over your big toe and second toe."
        ),
        "precautions": "Stop if you feel sharp pain in your heel, ankle or knee.",
    },
    {
        "slug": "eccentric-heel-drop",
        "name": "Eccentric heel drop",
        "summary": "Lowering your heel slowly below the edge of a step on one leg.",
        "purpose": (
            "Loads the Achilles tendon and calf as they lengthen. This slow lowering is a "
            "well-studied way to help a sore Achilles tendon get stronger and less painful "
            "over several weeks."
        ),
        "equipment": "A stair with a rail to hold",
        "setup": (
            "Stand on a stair facing up, with the balls of your feet on the edge and your "
            "heels hanging off. Hold the rail."
        ),
        "steps": (
            "1. Rise up onto your toes using both feet.\n"
            "2. Lift the good foot off the step.\n"
            "3. Lower the heel of the sore side slowly below the step, taking about three "
            "seconds.\n"
            "4. Put the good foot back down and use both feet to rise again."
        ),
        "cues": (
            "- Only the lowering is done on one leg.\n"
            "- Move slowly and smoothly, without bouncing at the bottom."
        ),
        "precautions": (
            "Some discomfort in the tendon is expected. It should settle by the next morning. "
            "If pain is sharp, or worse the next day, do fewer and call us."
        ),
    },
    {
        "slug": "short-foot",
        "name": "Short foot",
        "summary": "Lifting the arch of your foot by pulling the ball of the foot toward the heel.",
        "purpose": (
            "Strengthens the small muscles inside your foot that hold up your arch. A stronger "
            "arch helps with balance and can ease pain in the foot, shin and knee."
        ),
        "equipment": "None",
        "setup": (
            "Sit in a chair with your bare feet flat on the floor. Later you can do it standing."
        ),
        "steps": (
            "1. Keep your toes relaxed and flat.\n"
            "2. Draw the ball of your foot toward your heel so your arch lifts. Your foot gets "
            "a little shorter.\n"
            "3. Hold for the time your therapist gave you.\n"
            "4. Relax."
        ),
        "cues": (
            "- Do not curl your toes. They stay long on the floor.\n"
            "- Keep the ball of your big toe pressing down."
        ),
        "precautions": "Stop if your foot cramps. Rest, then try a smaller lift.",
    },
    {
        "slug": "toe-yoga",
        "name": "Toe yoga",
        "summary": "Lifting your big toe while the other toes stay down, then the other way round.",
        "purpose": (
            "Trains you to control your big toe and small toes on their own. Good toe control "
            "helps balance and pushing off when you walk and run."
        ),
        "equipment": "None",
        "setup": "Sit in a chair with your bare feet flat on the floor.",
        "steps": (
            "1. Press your small toes down and lift only your big toe.\n"
            "2. Lower it.\n"
            "3. Now press your big toe down and lift your four small toes.\n"
            "4. Lower them. That is one rep."
        ),
        "cues": (
            "- Keep your ankle and the rest of your foot still.\n"
            "- It is hard at first. Help with your fingers if you need to."
        ),
        "precautions": "Stop if your foot cramps, and rest before trying again.",
    },
    {
        "slug": "single-leg-balance",
        "name": "Single-leg balance",
        "summary": "Standing on one leg and keeping steady.",
        "purpose": (
            "Trains the nerves and muscles that keep you steady. It helps you recover from an "
            "ankle sprain, lowers the chance of another one and makes walking and running "
            "steadier."
        ),
        "equipment": "A counter or sturdy chair within reach",
        "setup": "Stand next to a counter or sturdy chair, close enough to catch yourself.",
        "steps": (
            "1. Lift one foot off the floor.\n"
            "2. Balance on the other leg for the time your therapist gave you.\n"
            "3. Put the foot down. Switch legs."
        ),
        "cues": (
            "- Stand tall and keep your hips level.\n"
            "- Keep a soft bend in the standing knee.\n"
            "- Look at a point straight ahead."
        ),
        "precautions": (
            "Always have something to hold within reach. To make it harder later, your "
            "therapist may have you close your eyes or stand on a pillow."
        ),
    },
    {
        "slug": "banded-ankle-eversion",
        "name": "Banded ankle eversion",
        "summary": "Turning your foot outward against a resistance band.",
        "purpose": (
            "Strengthens the muscles on the outside of your lower leg (the peroneals). They "
            "protect the ankle from rolling over, so they matter most after an ankle sprain."
        ),
        "equipment": "A resistance band",
        "setup": (
            "Sit on the floor with your legs straight. Loop the band around the outside of one "
            "foot. Hold the ends, or tie them to something on the inside of that foot."
        ),
        "steps": (
            "1. Keep your heel on the floor.\n"
            "2. Turn your foot out to the side, away from the other foot, against the band.\n"
            "3. Hold for a moment.\n"
            "4. Return slowly. Finish your reps, then switch feet."
        ),
        "cues": (
            "- Move only your foot and ankle. Your knee and leg stay still.\n"
            "- Control the band on the way back."
        ),
        "precautions": "Stop if you feel sharp pain in your ankle.",
    },
    {
        "slug": "straight-leg-raise",
        "name": "Straight-leg raise",
        "summary": "Lying on your back and lifting one straight leg.",
        "purpose": (
            "Strengthens the front of your thigh and hip without bending the knee. It is often "
            "one of the first exercises after knee surgery or a knee injury."
        ),
        "equipment": "A mat, a bed or a carpeted floor",
        "setup": (
            "Lie on your back. Bend one knee with that foot flat. Keep the other leg straight."
        ),
        "steps": (
            "1. Tighten the thigh of the straight leg so the knee is fully straight.\n"
            "2. Keep it tight and lift the leg until it is level with the other knee.\n"
            "3. Hold for a moment.\n"
            "4. Lower slowly. Finish your reps, then switch legs if your therapist asked you "
            "to."
        ),
        "cues": (
            "- Keep the knee straight the whole time. If it bends, tighten the thigh again "
            "first.\n"
            "- Keep your lower back resting on the floor."
        ),
        "precautions": "Stop if you feel pain in your lower back or the front of your hip.",
    },
    {
        "slug": "quad-set",
        "name": "Quad set",
        "summary": "Tightening the muscle on the front of your thigh with your leg straight.",
        "purpose": (
            "Wakes up the front thigh muscle (the quads) after knee pain, swelling or surgery. "
            "It helps you get your knee fully straight, which you need to walk well."
        ),
        "equipment": "A small rolled towel",
        "setup": (
            "Sit or lie with your leg straight in front of you. Place a small rolled towel "
            "under your knee."
        ),
        "steps": (
            "1. Tighten the muscle on the front of your thigh.\n"
            "2. Press the back of your knee down into the towel.\n"
            "3. Hold for the time your therapist gave you.\n"
            "4. Relax completely."
        ),
        "cues": (
            "- Your kneecap should move up a little toward your hip.\n- Keep your buttocks relaxed."
        ),
        "precautions": "Stop if you feel sharp pain in your knee.",
    },
    {
        "slug": "hamstring-bridge-walkout",
        "name": "Hamstring bridge walkout",
        "summary": "Holding a bridge and walking your feet away, then back.",
        "purpose": (
            "Builds strength in the muscles at the back of your thighs (the hamstrings) as "
            "they lengthen. Runners and field-sport players need this to protect against "
            "hamstring strains."
        ),
        "equipment": "A mat or a carpeted floor",
        "setup": (
            "Lie on your back with your knees bent and feet flat. Lift your hips into a bridge."
        ),
        "steps": (
            "1. Keep your hips up.\n"
            "2. Take small steps with your heels, walking your feet away from you. Go until "
            "your legs are nearly straight, or less if you start to lose the bridge.\n"
            "3. Walk your feet back in the same small steps.\n"
            "4. Lower your hips. That is one rep."
        ),
        "cues": (
            "- Keep your hips as high as you can as you walk out.\n"
            "- Small steps make it easier to control."
        ),
        "precautions": (
            "A hamstring cramp is common: lower your hips and rest. Stop if you feel a sudden, "
            "sharp pain in the back of your thigh."
        ),
    },
    {
        "slug": "assisted-nordic-curl",
        "name": "Assisted Nordic curl",
        "summary": "Kneeling with your feet held and lowering yourself forward slowly.",
        "purpose": (
            "One of the best exercises to make the hamstrings stronger as they lengthen. "
            "Regular Nordic curls lower the chance of a hamstring strain in sports with "
            "sprinting."
        ),
        "equipment": (
            "A padded mat, something to hook your heels under (a sofa or a partner), and a "
            "resistance band tied above you or a box to catch yourself"
        ),
        "setup": (
            "Kneel on a padded mat with your body upright. Hook your heels under something "
            "that will not move, or have a partner hold your ankles."
        ),
        "steps": (
            "1. Keep a straight line from your knees to your shoulders.\n"
            "2. Lean forward slowly from the knees, resisting with the back of your thighs.\n"
            "3. When you cannot hold it any longer, catch yourself with your hands or the "
            "band.\n"
            "4. Push back up with your hands and return to kneeling."
        ),
        "cues": (
            "- Do not bend at the hips. Move as one straight piece.\n"
            "- Lower as slowly as you can.\n"
            "- Use the band or your hands as much as you need."
        ),
        "precautions": (
            "Expect sore hamstrings for a few days after the first sessions. Start with a few "
            "reps. Stop if you feel a sudden sharp pain in the back of your thigh."
        ),
    },
    {
        "slug": "side-plank",
        "name": "Side plank",
        "summary": "Holding your body straight while propped on one forearm.",
        "purpose": (
            "Strengthens the muscles along the side of your trunk and your outer hip. They "
            "keep your pelvis and spine steady when you stand on one leg, carry things and "
            "run."
        ),
        "equipment": "A mat",
        "setup": (
            "Lie on your side with your elbow under your shoulder and your forearm on the "
            "floor. To start, bend your knees so your body rests on your knees and forearm."
        ),
        "steps": (
            "1. Lift your hips so your body is in a straight line.\n"
            "2. Hold for the time your therapist gave you.\n"
            "3. Lower your hips. Switch sides."
        ),
        "cues": (
            "- Keep your hips stacked and pushed forward, not sagging or piking back.\n"
            "- Press the floor away with your forearm so your shoulder does not sink.\n"
            "- Keep breathing."
        ),
        "precautions": (
            "Stop if you feel pain in your shoulder or lower back. Start with short holds on "
            "your knees."
        ),
    },
    {
        "slug": "dead-bug",
        "name": "Dead bug",
        "summary": "Lying on your back and reaching out one arm and the opposite leg.",
        "purpose": (
            "Trains the deep muscles of your belly to keep your lower back steady while your "
            "arms and legs move. This control helps with lifting, running and back pain."
        ),
        "equipment": "A mat",
        "setup": (
            "Lie on your back. Lift your arms straight up toward the ceiling. Lift your legs "
            "so your hips and knees are bent at right angles."
        ),
        "steps": (
            "1. Press your lower back gently into the floor.\n"
            "2. Slowly reach one arm back over your head and straighten the opposite leg "
            "toward the floor.\n"
            "3. Go only as far as you can without your back arching.\n"
            "4. Come back to the start. Switch sides."
        ),
        "cues": ("- Breathe out as you reach.\n- Move slowly. Your back stays still on the floor."),
        "precautions": (
            "Stop if you feel pain in your lower back. Make it easier by moving only your legs."
        ),
    },
    {
        "slug": "bird-dog",
        "name": "Bird dog",
        "summary": "On hands and knees, reaching out one arm and the opposite leg.",
        "purpose": (
            "Trains the muscles along your spine, your belly and your hips to work together. "
            "It builds a steady back for lifting and carrying."
        ),
        "equipment": "A mat",
        "setup": (
            "Get on your hands and knees, with your hands under your shoulders and your knees "
            "under your hips. Keep your back flat."
        ),
        "steps": (
            "1. Tighten your belly a little.\n"
            "2. Reach one arm forward and the opposite leg back, until both are level with "
            "your body.\n"
            "3. Hold for a moment.\n"
            "4. Bring them back slowly. Switch sides."
        ),
        "cues": (
            "- Keep your hips level, as if a cup of water sat on your lower back.\n"
            "- Reach long rather than high."
        ),
        "precautions": (
            "Put a folded towel under your knees if they are sore. Stop if you feel pain in "
            "your back or wrists."
        ),
    },
    {
        "slug": "front-plank",
        "name": "Front plank",
        "summary": "Holding your body straight, resting on your forearms and toes.",
        "purpose": (
            "Strengthens the muscles all around your trunk. A strong trunk keeps your spine "
            "steady and passes force between your legs and arms."
        ),
        "equipment": "A mat",
        "setup": (
            "Lie face down. Put your elbows under your shoulders and your forearms on the "
            "floor. To start, stay on your knees."
        ),
        "steps": (
            "1. Lift your body so you rest on your forearms and toes (or knees).\n"
            "2. Make a straight line from your head to your heels (or knees).\n"
            "3. Hold for the time your therapist gave you.\n"
            "4. Lower to the floor and rest."
        ),
        "cues": (
            "- Do not let your hips sag or push up high.\n"
            "- Squeeze your buttocks a little and pull your belly in.\n"
            "- Keep breathing."
        ),
        "precautions": (
            "Stop if you feel pain in your lower back or shoulders. Shorter holds with good "
            "form are better than long ones with sagging hips."
        ),
    },
    {
        "slug": "copenhagen-plank-short-lever",
        "name": "Copenhagen plank (short lever)",
        "summary": "A side plank with your top knee resting on a bench.",
        "purpose": (
            "Strengthens the muscles on the inside of your thigh (the adductors) and the side "
            "of your trunk. Strong adductors help prevent groin strains in running, kicking "
            "and skating sports."
        ),
        "equipment": "A bench, a sturdy chair or a sofa, and a mat",
        "setup": (
            "Lie on your side next to a bench, propped on your forearm. Rest the inside of "
            "your top knee on the bench. Keep your bottom leg on the floor under the bench."
        ),
        "steps": (
            "1. Press your top knee down into the bench.\n"
            "2. Lift your hips until your body is straight from shoulders to knee.\n"
            "3. Hold for the time your therapist gave you.\n"
            "4. Lower your hips. Switch sides."
        ),
        "cues": (
            "- The knee on the bench does the work, not the foot on the floor.\n"
            "- Keep your hips stacked and pushed forward."
        ),
        "precautions": (
            "Stop if you feel pain in your groin or inner knee. Put a cushion under the knee "
            "on the bench if it presses."
        ),
    },
    {
        "slug": "kneeling-hip-flexor-stretch",
        "name": "Kneeling hip flexor stretch",
        "summary": "Kneeling on one knee and easing your hips forward to stretch the front of the hip.",
        "purpose": (
            "Stretches the muscles at the front of your hip. They get tight from long hours of "
            "sitting and can pull on your lower back."
        ),
        "equipment": "A cushion or folded towel for your knee",
        "setup": (
            "Kneel on one knee on a cushion, with the other foot flat in front of you and both "
            "knees bent at about right angles."
        ),
        "steps": (
            "1. Tuck your tailbone under, as if flattening your lower back.\n"
            "2. Squeeze the buttock of the kneeling leg.\n"
            "3. Shift your body forward a little until you feel a stretch at the front of the "
            "hip of the kneeling leg.\n"
            "4. Hold for the time your therapist gave you, breathing slowly. Switch sides."
        ),
        "cues": (
            "- Stay tall. Do not lean forward or arch your back.\n- A small move forward is enough."
        ),
        "precautions": (
            "You should feel a gentle stretch, never pain. Stop if your knee hurts on the "
            "floor or you feel pinching in the front of the hip."
        ),
    },
    {
        "slug": "hip-hinge-romanian-deadlift",
        "name": "Hip hinge (Romanian deadlift)",
        "summary": "Bending forward from your hips with a flat back, then standing up tall.",
        "purpose": (
            "Teaches you to bend from the hips instead of rounding your back, the safe way to "
            "pick things up. It also builds strength in your hamstrings and glutes."
        ),
        "equipment": ("A broomstick to learn the movement; later a weight your therapist chooses"),
        "setup": (
            "Stand with your feet hip width apart and your knees slightly bent. To learn it, "
            "hold a broomstick along your back, touching your head, your upper back and your "
            "tailbone."
        ),
        "steps": (
            "1. Push your hips back, as if closing a drawer behind you with your buttocks.\n"
            "2. Let your body tip forward with your back flat. Keep the stick touching all "
            "three points.\n"
            "3. Stop when you feel a stretch in the back of your thighs.\n"
            "4. Squeeze your buttocks and push your hips forward to stand up tall."
        ),
        "cues": (
            "- Your knees stay softly bent the whole time. The hips do the moving.\n"
            "- Keep your back flat, not rounded.\n"
            "- With a weight, keep it close to your legs."
        ),
        "precautions": ("Learn it without weight first. Stop if you feel pain in your lower back."),
    },
    {
        "slug": "monster-walk",
        "name": "Monster walk",
        "summary": "Walking forward with wide steps against a band around your legs.",
        "purpose": (
            "Strengthens the outer hip muscles while you move. They keep your knees from "
            "falling inward when you walk, run and land."
        ),
        "equipment": "A loop resistance band",
        "setup": (
            "Put a loop band around your legs just above your knees, or around your ankles to "
            "make it harder. Stand with your feet hip width apart and bend your knees a "
            "little, as in a small squat."
        ),
        "steps": (
            "1. Step forward and out to the side at an angle with one foot.\n"
            "2. Step forward and out with the other foot.\n"
            "3. Keep walking like this for the number of steps your therapist gave you.\n"
            "4. Walk backward the same way."
        ),
        "cues": (
            "- Keep tension in the band the whole time: do not let your feet come together.\n"
            "- Keep your knees over your toes, not falling inward.\n"
            "- Stay low and keep your body still."
        ),
        "precautions": "Stop if you feel pain in your knees or hips.",
    },
    {
        "slug": "lateral-band-walk",
        "name": "Lateral band walk",
        "summary": "Stepping sideways against a band around your legs.",
        "purpose": (
            "Strengthens the muscles on the outside of your hips. They hold your pelvis level "
            "when you stand on one leg, and help keep your knees in line."
        ),
        "equipment": "A loop resistance band",
        "setup": (
            "Put a loop band around your legs just above your knees, or around your ankles to "
            "make it harder. Stand with your feet hip width apart and bend your knees a "
            "little."
        ),
        "steps": (
            "1. Step out to the side with one foot.\n"
            "2. Bring the other foot part of the way in, keeping the band tight.\n"
            "3. Take the number of steps your therapist gave you.\n"
            "4. Step back the other way."
        ),
        "cues": (
            "- Keep your toes pointing forward.\n"
            "- Keep your body upright. Do not lean or sway side to side.\n"
            "- Move slowly and keep the band tight."
        ),
        "precautions": "Stop if you feel pain in your knees or hips.",
    },
]


def seed(apps, schema_editor):
    Exercise = apps.get_model("education", "Exercise")
    taken = set(Exercise.objects.values_list("slug", flat=True))
    Exercise.objects.bulk_create(
        Exercise(
            status="draft",
            **fields,
            **{f"{name}_html": render(fields[name]) for name in MARKDOWN_FIELDS},
        )
        for fields in EXERCISES
        if fields["slug"] not in taken
    )


def unseed(apps, schema_editor):
    Exercise = apps.get_model("education", "Exercise")
    for fields in EXERCISES:
        Exercise.objects.filter(
            slug=fields["slug"],
            summary=fields["summary"],
            status="draft",
            protocol_steps__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0014_exercise_clinical_review")]

    operations = [migrations.RunPython(seed, unseed)]
