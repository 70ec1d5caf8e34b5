"""The clinic's article, carried over word for word onto the right pages."""

import html
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.education.conftest import EXERCISE_SLUGS, GUIDE_SLUG, PROTOCOL_SLUG

# A copy of the clinic's article (shared/seed/knee-pain-with-running.txt), kept with the tests.
SEED = Path(__file__).with_name("knee-pain-with-running.txt")

HIP_ADVICE = "Strengthen your outer hips to improve single leg stability."
HIP_WHY = (
    "Strong outer hips help keep the knee aligned when jumping onto a single leg (as in running). "
    "If the outer hip isn’t working to keep the pelvis level, the knee collapses toward the "
    "midline, resulting in sub-optimal loading of the patellofemoral joint."
)
QUAD_ADVICE = (
    "Strengthen the quads to support the knee, especially for the phase of running when and just "
    "after you initially land on one leg."
)
QUAD_WHY = (
    "During this phase, the knee stops the body from falling all the way to the ground and "
    "softens the ground reaction force."
)
STEP_DOWN_SETUP = (
    "Stand on one foot on a slightly elevated surface (a stair, a book–whatever height isn’t "
    "uncomfortable to complete the exercise)."
)
STEP_DOWN_STEPS = (
    "Bend the knee until the free foot reaches the ground, then straighten to return to the "
    "starting position."
)
STEP_DOWN_CUE = (
    "Keep the hips level and the knee tracking straight (rather than inward) as you complete the "
    "exercise."
)
LEAN_ADVICE = "Increase your forward trunk lean when you run."
LEAN_WHY = (
    "Leaning slightly forward shifts the work to your hip and reduces stress on the knee. As an "
    "added bonus, a slight forward lean (shoulders should be in front of your hips) also makes "
    "for more efficient running."
)
LEAN_SETUP = (
    "To practice this, stand on one leg (as if you’re running) about a foot away from a wall."
)
LEAN_CUE = "Shoulders should be in front of your hips"
LEAN_STEPS = (
    "Practice leaning forward until you feel the point where you just start to lose your "
    "balance, then catch yourself on the wall. This point simulates your optimal trunk position "
    "when running."
)
HIP_DOSE = "4 sets to fatigue, 3-4 times per week"
STEP_DOWN_DOSE = "3-4 sets of 10-15 reps, 3-4 times per week"
LEAN_DOSE = "10 times on each leg"
EYES_CLOSED = "with eyes closed to help solidify where that point is"
LEAN_VARIATION = "Repeat 10 times on each leg " + EYES_CLOSED

EXERCISE_TEXT = {
    "single-leg-banded-hip-abduction": [HIP_ADVICE, HIP_WHY, "kicking out to the side", HIP_DOSE],
    "step-down": [QUAD_ADVICE, QUAD_WHY, STEP_DOWN_SETUP, STEP_DOWN_STEPS, STEP_DOWN_DOSE],
    "forward-trunk-lean-wall-drill": [
        LEAN_ADVICE, LEAN_WHY, LEAN_SETUP, LEAN_STEPS, LEAN_DOSE, EYES_CLOSED
    ],
}  # fmt: skip
# Each cue belongs under its own heading, not just anywhere on the page (the lean cue's words
# also appear in the "why" paragraph).
EXERCISE_CUE = {"step-down": STEP_DOWN_CUE, "forward-trunk-lean-wall-drill": LEAN_CUE}

# The article's sentences that the site gives in structured form instead of word for word:
# the dose sentences become each exercise's "How much" and "Then" lines. Every other sentence
# of the article must be on the guide page exactly as the clinic wrote it.
RESTRUCTURED = {
    "CALL US TODAY (608) 218-4215": ["Call (608) 218-4215"],
    "Try single-leg banded hip abduction (kicking out to the side), 4 sets to fatigue, "
    "3-4 times per week.": [
        "Try this: Single-leg banded hip abduction Kicking out to the side",
        f"How much: {HIP_DOSE}",
    ],
    "Do 3-4 sets of 10-15 reps, 3-4 times per week.": [f"How much: {STEP_DOWN_DOSE}"],
    "Repeat finding that position 10 times on each leg.": [f"{LEAN_CUE}. How much: {LEAN_DOSE}"],
    "Then repeat the drill 10 times on each leg again but with eyes closed to help solidify "
    "where that point is.": [f"Then: {LEAN_VARIATION}."],
}


def article_sentences() -> list[str]:
    """The guide part of the seed (before the mission), one heading, bullet or sentence each."""
    article = SEED.read_text().split("Our Mission:")[0]
    lines = (line.strip().removeprefix("•").strip() for line in article.splitlines())
    return [sentence for line in lines for sentence in re.split(r"(?<=[.?!])\s+", line) if sentence]


def page_text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def test_every_expected_string_is_the_clinics_own_wording():
    """Guards the assertions below: a typo here would otherwise test a typo on the page."""
    seed = re.sub(r"\s+", " ", SEED.read_text()).lower()
    expected = [text for texts in EXERCISE_TEXT.values() for text in texts]
    for text in [*expected, *EXERCISE_CUE.values()]:
        assert text.lower() in seed, text
    assert set(RESTRUCTURED) <= set(article_sentences())


@pytest.mark.django_db
def test_guide_page_carries_every_sentence_of_the_clinics_article(client):
    response = client.get(f"/guides/{GUIDE_SLUG}/")
    assert response.status_code == 200
    text = page_text(response)
    for sentence in article_sentences():
        for expected in RESTRUCTURED.get(sentence, [sentence]):
            assert expected in text, expected
    assert "Reviewed by Peak Endurance PT clinical team, November 25, 2026" in text


@pytest.mark.django_db
def test_guide_page_asks_the_patients_questions_and_offers_next_steps(client):
    body = client.get(f"/guides/{GUIDE_SLUG}/").content.decode()
    assert "<h2>What kind of knee pain do I have?</h2>" in body
    assert ">What are common signs of patellofemoral knee pain?</h2>" in body
    assert ">What can I do about it?</h2>" in body
    assert ">What should I do next?</h2>" in body
    assert f'href="/protocols/{PROTOCOL_SLUG}/print/"' in body
    assert 'href="tel:+16082184215"' in body
    for slug in EXERCISE_SLUGS:
        assert f'href="/exercises/{slug}/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("slug", EXERCISE_SLUGS)
def test_each_exercise_page_shows_its_explanation_cues_and_dose(client, slug):
    response = client.get(f"/exercises/{slug}/")
    assert response.status_code == 200
    text = page_text(response).lower()
    for expected in EXERCISE_TEXT[slug]:
        assert expected.lower() in text, expected
    if cue := EXERCISE_CUE.get(slug):
        assert f"what should i pay attention to? {cue.lower()}" in text
    # Only its own dose: the other exercises' doses belong on their own pages.
    for other, texts in EXERCISE_TEXT.items():
        if other != slug:
            assert texts[-1].lower() not in text
    assert 'href="tel:+16082184215"' in response.content.decode()


@pytest.mark.django_db
def test_protocol_page_lists_the_three_exercises_in_order_with_their_doses(client):
    response = client.get(f"/protocols/{PROTOCOL_SLUG}/")
    assert response.status_code == 200
    text = page_text(response)
    positions = [
        text.index(f"Single-leg banded hip abduction Kicking out to the side against a resistance "
                   f"band. How much: {HIP_DOSE}"),
        text.index(f"Step-down Lowering yourself slowly from a stair or a book on one leg. "
                   f"How much: {STEP_DOWN_DOSE}"),
        text.index(f"Forward-trunk-lean wall drill Finding your best running lean by tipping "
                   f"toward a wall on one leg. How much: {LEAN_DOSE} Then: {LEAN_VARIATION}."),
    ]  # fmt: skip
    assert positions == sorted(positions)
    assert f'href="/guides/{GUIDE_SLUG}/"' in response.content.decode()


@pytest.mark.django_db
def test_printable_handout_has_every_dose_cue_date_and_its_address(client, settings):
    settings.SITE_URL = "https://www.peakendurancept.example"
    response = client.get(f"/protocols/{PROTOCOL_SLUG}/print/")
    assert response.status_code == 200
    text = page_text(response)
    for expected in [
        STEP_DOWN_SETUP,
        STEP_DOWN_STEPS,
        STEP_DOWN_CUE,
        LEAN_SETUP,
        LEAN_STEPS,
        LEAN_CUE,
    ]:
        assert expected in text
    assert f"{HIP_DOSE[0].upper()}{HIP_DOSE[1:]}." in text
    assert f"{STEP_DOWN_DOSE}." in text
    assert f"{LEAN_DOSE}. {LEAN_VARIATION}." in text
    assert f"Printed {date_format(timezone.localdate(), 'F j, Y')}" in text
    assert f"https://www.peakendurancept.example/protocols/{PROTOCOL_SLUG}/print/" in text
    assert "(608) 218-4215" in text
