"""The patient's self-check through real HTTP requests: steps, Back, refusals, results."""

import re
import time
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake import selfcheck
from intake.models import OutcomeTally, Question, Questionnaire, TriageOutcome
from tests.intake.selfcheck_client import CALM, SLUG, answer_all, step_data, step_url

pytestmark = pytest.mark.django_db

START = f"/check/{SLUG}/"


def text(response) -> str:
    return response.content.decode()


def checked(response, key: str) -> list[str]:
    """The values of the radios or boxes ticked for one question on the page."""
    return re.findall(rf'name="{key}" value="([^"]+)"[^>]*\bchecked\b', text(response))


def test_list_shows_published_self_checks_only(client):
    Questionnaire.objects.create(title="Draft shoulder check", slug="shoulder", intro="Soon.")
    response = client.get("/check/")
    assert response.status_code == 200
    assert f'href="{START}"' in text(response)
    assert "Runner&#x27;s knee self-check" in text(response)
    assert "Draft shoulder check" not in text(response)
    assert client.get("/check/shoulder/").status_code == 404


def test_header_and_home_page_lead_to_the_self_check(client):
    home = text(client.get("/"))
    # the nav link (inline on desktop, in the phone's menu) and the call to action
    assert home.count('href="/check/"') == 3
    assert "Self-check</a>" in home


def test_first_step_shows_the_intro_progress_and_a_fieldset_with_legend(client):
    response = client.get(START, follow=True)
    assert response.redirect_chain == [(f"{START}1/", 302)]
    body = text(response)
    assert "This check is for runners" in body
    assert re.search(r"<legend[^>]*>\s*<h2 id=\"step-heading\"[^>]*tabindex=\"-1\"", body)
    assert "Section 1 of 6" in body
    assert 'action="/check/runners-knee/1/"' in body
    assert response["Cache-Control"].count("no-store") == 1


@pytest.mark.parametrize(
    ("answers", "outcome", "rule", "shown"),
    [
        (
            {"injury": "yes", "out_of_place": "yes"},
            TriageOutcome.EMERGENCY,
            "Knee or kneecap out of place",
            ['href="tel:911"', "Get emergency care now", 'href="tel:+16082184215"'],
        ),
        (
            {"calf": "yes"},
            TriageOutcome.SEE_DOCTOR,
            "Calf pain, tenderness or swelling",
            ["See a doctor first", "blood clot", 'href="tel:+16082184215"'],
        ),
        (
            {"where": "kneecap", "worse_with": ["stairs_down", "downhill"]},
            TriageOutcome.PATELLOFEMORAL,
            "Patellofemoral pattern",
            [
                'href="/guides/knee-pain-with-running/"',
                'href="/protocols/runners-patellofemoral-pain/"',
                "Book a visit with my answers",
            ],
        ),
        (
            {},
            TriageOutcome.BOOK_EVALUATION,
            "No other rule matched",
            ["Book an evaluation", "Book a visit with my answers"],
        ),
        (
            {"noises": "yes"},
            TriageOutcome.BOOK_EVALUATION,
            "Noisy knees with no warning signs",
            ["Noisy knees do not mean further damage", "don&#x27;t sweat it"],
        ),
    ],
)
def test_each_outcome_is_reached_through_the_pages(client, answers, outcome, rule, shown):
    response = answer_all(client, answers)
    result = response.context["result"]
    assert result.outcome == outcome
    assert result.rule_name.startswith(rule)
    for snippet in shown:
        assert snippet in text(response)
    if outcome not in (TriageOutcome.EMERGENCY, TriageOutcome.SEE_DOCTOR):
        assert "tel:911" not in text(response)


def test_an_emergency_answer_ends_the_check_at_once(client):
    pages = []
    response = answer_all(client, {"injury": "yes", "tendon_gap": "yes"}, pages=pages)
    assert response.context["result"].outcome == TriageOutcome.EMERGENCY
    assert [page.context["step"] for page in pages[:-1]] == [1, 2]


def test_the_emergency_result_shows_the_911_box_alone(client):
    """Nothing to book or send competes with "Call 911" on an emergency result."""
    response = answer_all(client, {"injury": "yes", "out_of_place": "yes"})

    body = text(response)
    assert "Get emergency care now" in body
    assert "Book a visit with my answers" not in body
    assert "Send my answers to the clinic" not in body
    assert 'action="/book/"' not in body


def test_result_offers_to_send_the_answers_in_a_signed_token_only(client):
    response = answer_all(client, {"calf": "yes"})
    assert response.redirect_chain[-1] == (f"{START}result/", 302)
    body = text(response)
    forms = re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', body, re.S)
    assert [action for action, _ in forms] == ["/book/", "/contact/"]
    for _, form in forms:
        names = re.findall(r'name="([^"]+)"', form)
        assert sorted(names) == ["csrfmiddlewaretoken", "selfcheck_token"]
    token = re.search(r'name="selfcheck_token" value="([^"]+)"', body).group(1)
    sent = selfcheck.load_handoff(token)
    assert sent.questionnaire == SLUG
    assert sent.outcome == TriageOutcome.SEE_DOCTOR
    assert sent.rule == "Calf pain, tenderness or swelling"
    questions = [item["question"] for item in sent.answers]
    assert {"question": "How old are you?", "answer": "16 to 54"} in sent.answers
    assert any(item["question"].startswith("Do you have pain, tenderness") for item in sent.answers)
    assert not any("kneecap look out of place" in question for question in questions)  # not asked


@pytest.mark.parametrize(
    "answers",
    [
        {"injury": "yes", "out_of_place": "yes"},
        {"injury": "yes", "tendon_gap": "yes"},
        {"calf": "yes"},
        {"where": "kneecap", "worse_with": ["stairs_down", "downhill"]},
        {},
        {"noises": "yes"},
        {"injury": "yes"},
        {"hot_red": "yes", "swelling": "no"},
        {"age": "under_16"},
    ],
)
def test_progress_only_grows_and_its_total_never_changes(client, answers):
    """Every outcome's path: "Section N of M" moves forward only, with the same M."""
    pages = []
    answer_all(client, answers, pages=pages)
    shown = [
        tuple(map(int, re.search(r"Section (\d+) of (\d+)", text(page)).groups()))
        for page in pages[:-1]
    ]
    numbers = [number for number, _ in shown]
    assert numbers == sorted(set(numbers))
    assert {total for _, total in shown} == {6}


def test_sections_that_do_not_apply_are_skipped_not_renumbered(client):
    first = client.get(START, follow=True)
    no_injury = client.post(step_url(first), step_data(first, CALM), follow=True)
    assert no_injury.context["step"] == 4  # the injury sections are skipped
    assert "Section 4 of 6" in text(no_injury)
    client.get(START)
    injured = client.post(step_url(first), step_data(first, {**CALM, "injury": "yes"}), follow=True)
    assert "Section 2 of 6" in text(injured)


def post(client, page, answers, action="next"):
    return client.post(step_url(page), step_data(page, answers, action=action), follow=True)


def test_back_keeps_every_answer_given(client):
    answers = {**CALM, "injury": "yes", "walk_then": "no"}
    first = client.get(START, follow=True)
    second = post(client, first, answers)
    third = post(client, second, answers)
    assert third.context["step"] == 3
    # Tick one answer on step 3, then go Back: step 2 shows what was chosen there...
    back_to_two = post(client, third, {"walk_then": "no"}, action="back")
    assert back_to_two.context["step"] == 2
    assert checked(back_to_two, "lift_leg") == ["yes"]
    back_to_one = post(client, back_to_two, {}, action="back")
    assert back_to_one.context["step"] == 1
    assert checked(back_to_one, "injury") == ["yes"]
    assert checked(back_to_one, "age") == ["16_to_54"]
    # ...and going forward again, steps 2 and 3 still hold their answers.
    again_two = post(client, back_to_one, answers)
    again_three = post(client, again_two, {})
    assert again_three.context["step"] == 3
    assert checked(again_three, "walk_then") == ["no"]


def test_every_step_answers_with_a_redirect_so_reload_sends_nothing_again(client):
    """The browser's Back and Reload fetch each step by GET and show its answers."""
    first = client.get(START, follow=True)
    sent = client.post(step_url(first), step_data(first, {**CALM, "injury": "yes"}))
    assert (sent.status_code, sent["Location"]) == (302, f"{START}2/")
    # Browser Back to step 1: its answers are ticked; Reload gives the same page.
    for _ in range(2):
        again = client.get(f"{START}1/")
        assert again.status_code == 200
        assert checked(again, "injury") == ["yes"]
    # Forward to step 2 still works; a step not reached yet does not.
    assert client.get(f"{START}2/").status_code == 200
    assert client.get(f"{START}3/").status_code == 400


def test_after_the_result_back_shows_the_last_step_and_reload_counts_once(client):
    answer_all(client, {})
    assert client.get(f"{START}result/").status_code == 200  # Reload
    assert OutcomeTally.objects.get().count == 1
    back = client.get(f"{START}6/")
    assert back.status_code == 200
    assert checked(back, "nerves") == ["no"]


def test_the_answers_cookie_is_private_to_the_check_and_short_lived(client):
    first = client.get(START, follow=True)
    response = client.post(step_url(first), step_data(first, CALM))
    cookie = response.cookies["selfcheck"]
    assert cookie["path"] == START
    assert cookie["httponly"] and cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 4 * 60 * 60
    assert "16_to_54" not in cookie.value  # compressed and signed, not plain text
    assert selfcheck.load_progress(first.context["spec"], cookie.value).answers["age"] == [
        "16_to_54"
    ]


def test_starting_over_forgets_the_answers(client):
    answer_all(client, {"calf": "yes"})
    restarted = client.get(START, follow=True)
    assert checked(restarted, "age") == []
    assert client.get(f"{START}result/").status_code == 400


def test_follow_up_questions_appear_only_after_the_answer_they_depend_on(client):
    def fields_seen(answers):
        pages = []
        answer_all(client, answers, pages=pages)
        return {key for page in pages[:-1] for key in page.context["form"].fields}

    calm = fields_seen({})
    assert not calm & {"out_of_place", "walk_now", "fever", "limp_hip"}
    assert {"out_of_place", "walk_now", "bend_90"} <= fields_seen({"injury": "yes"})
    assert "fever" in fields_seen({"hot_red": "yes", "swelling": "no"}) - calm
    assert "limp_hip" in fields_seen({"age": "under_16"})


def test_answers_to_follow_ups_no_longer_asked_do_not_count(client):
    """Say "injury", answer a warning sign, go back and say "no injury": the sign is dropped."""
    answers = {**CALM, "injury": "yes", "walk_then": "no"}
    first = client.get(START, follow=True)
    second = post(client, first, answers)
    third = post(client, second, answers)
    back_two = post(client, third, answers, action="back")
    back_one = post(client, back_two, answers, action="back")
    response = post(client, back_one, {**answers, "injury": "no"})
    while "result" not in response.context:
        response = post(client, response, CALM)
    assert response.context["result"].outcome == TriageOutcome.BOOK_EVALUATION
    assert "four steps" not in text(response)


def test_a_missing_answer_is_shown_on_its_question_and_other_answers_are_kept(client):
    first = client.get(START, follow=True)
    response = client.post(step_url(first), step_data(first, {"age": "55_or_over"}))
    body = text(response)
    assert response.status_code == 200
    assert response.context["step"] == 1
    assert 'role="alert"' in body and 'href="#id_injury_0"' in body
    assert re.search(r'<fieldset aria-describedby="id_injury_error">', body)
    assert re.search(r'id="id_injury_error".*?Choose yes or no\.', body, re.S)
    assert checked(response, "age") == ["55_or_over"]
    assert "Error: Section 1 of 6" in body


def test_an_answer_that_was_not_offered_is_refused_on_its_question(client):
    first = client.get(START, follow=True)
    response = client.post(step_url(first), step_data(first, {**CALM, "injury": "maybe"}))
    assert response.status_code == 200
    assert "Choose one of the answers shown." in text(response)
    assert response.context["step"] == 1


def test_opening_a_later_step_by_its_address_is_refused_with_a_message(client):
    response = client.get(f"/check/{SLUG}/3/")
    assert response.status_code == 400
    assert "Please start the self-check again" in text(response)
    assert "answered in order" in text(response)
    assert f'href="{START}"' in text(response)


def test_skipping_ahead_to_a_step_not_reached_is_refused(client):
    first = client.get(START, follow=True)
    response = client.post(f"/check/{SLUG}/4/", step_data(first, CALM))
    assert response.status_code == 400
    assert "answered in order" in text(response)


def test_answers_kept_too_long_are_refused(client, monkeypatch):
    first = client.get(START, follow=True)
    later = time.time() + selfcheck.MAX_AGE_SECONDS + 60
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    response = client.post(step_url(first), step_data(first, CALM))
    assert response.status_code == 400
    assert "expired" in text(response)


def test_answers_from_before_the_questions_changed_are_refused(client):
    first = client.get(START, follow=True)
    second = post(client, first, CALM)
    Question.objects.filter(key="builds").update(key="builds_up")
    response = client.post(step_url(second), step_data(second, CALM))
    assert response.status_code == 400
    assert "questions changed" in text(response)


def test_an_altered_or_foreign_cookie_is_refused(client):
    first = client.get(START, follow=True)
    value = client.cookies["selfcheck"].value
    client.cookies["selfcheck"] = value[:-2] + "xx"
    tampered = client.post(step_url(first), step_data(first, CALM))
    assert tampered.status_code == 400
    assert "could not read your answers" in text(tampered)
    other = Questionnaire.objects.create(title="Other", slug="other", intro="x", published=True)
    Question.objects.create(questionnaire=other, key="age", text="Age?", kind="yes_no")
    other_start = client.get("/check/other/")
    client.cookies["selfcheck"] = other_start.cookies["selfcheck"].value
    foreign = client.post(f"/check/{SLUG}/1/", step_data(first, CALM))
    assert foreign.status_code == 400
    assert "another self-check" in text(foreign)


def test_nothing_answered_is_stored_only_the_anonymous_tally(client):
    def row_counts():
        return {model: model.objects.count() for model in apps.get_models()}

    before = row_counts()
    answer_all(client, {"calf": "yes", "injury": "yes", "walk_now": "no"})
    after = row_counts()
    changed = {model.__name__ for model in before if before[model] != after[model]}
    assert changed == {"OutcomeTally"}
    tally = OutcomeTally.objects.get()
    assert (tally.outcome, tally.count) == (TriageOutcome.SEE_DOCTOR, 1)
    assert "sessionid" not in client.cookies


def test_each_result_adds_one_to_the_days_tally(client):
    for _ in range(2):
        answer_all(client, {})
    answer_all(client, {"calf": "yes"})
    counts = dict(OutcomeTally.objects.values_list("outcome", "count"))
    assert counts == {TriageOutcome.BOOK_EVALUATION: 2, TriageOutcome.SEE_DOCTOR: 1}


def test_answers_never_travel_in_a_url(client):
    pages = []
    answer_all(client, {"injury": "yes", "calf": "yes"}, pages=pages)
    for page in pages:
        assert page.request["QUERY_STRING"] == ""
        for action in re.findall(r'action="([^"]*)"', text(page)):
            assert "?" not in action


def test_every_step_and_the_result_take_the_same_number_of_queries(client):
    counts = []
    response = client.get(START, follow=True)
    while "result" not in response.context:
        data = step_data(response, {**CALM, "injury": "yes", "hot_red": "yes"})
        with CaptureQueriesContext(connection) as queries:
            response = client.post(step_url(response), data, follow=True)
        counts.append(len(queries))
    # questionnaire, questions (with the follow-up's parent), choices, rules: 4 for the
    # POST and 4 for the page it redirects to, plus the one upsert of the anonymous tally.
    assert counts == [8, 8, 8, 8, 8, 9]
