"""Clinicians edit the self-check in the admin, and test it there before patients see it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from intake.models import OutcomeRule, OutcomeTally, Question, Questionnaire, TriageOutcome
from tests.intake.selfcheck_client import SLUG, answer_all

pytestmark = pytest.mark.django_db

KNEECAP_ON_STAIRS = {"where": "kneecap", "worse_with": ["stairs_down"]}
PATELLOFEMORAL_PATTERN = {"where": "kneecap", "worse_with": ["stairs_down", "downhill"]}


def rule_form(rule: OutcomeRule, **changes) -> dict:
    fields = [
        "questionnaire",
        "outcome",
        "order",
        "name",
        "any_flags",
        "any_at_least",
        "all_flags",
        "pain_at_least",
        "explanation",
        "guide",
        "guide_label",
        "protocol",
        "protocol_label",
    ]
    data = model_to_dict(rule, fields=fields)
    data = {key: "" if value is None else value for key, value in data.items()}
    return {**data, **changes}


def test_a_clinicians_rule_edit_changes_what_patients_are_told(client, group_member):
    """One kneecap sign was not enough for the pattern; the clinician makes it enough."""
    assert answer_all(client, KNEECAP_ON_STAIRS).context["result"].outcome == (
        TriageOutcome.BOOK_EVALUATION
    )
    rule = OutcomeRule.objects.get(outcome=TriageOutcome.PATELLOFEMORAL)
    client.force_login(group_member("Clinician"))
    url = f"/admin/intake/outcomerule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, rule_form(rule, any_at_least=1))
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    result = answer_all(client, KNEECAP_ON_STAIRS).context["result"]
    assert result.outcome == TriageOutcome.PATELLOFEMORAL
    assert result.rule_name == rule.name


def test_a_misspelt_flag_is_refused_on_its_field(client, group_member):
    rule = OutcomeRule.objects.get(name="Calf pain, tenderness or swelling")
    client.force_login(group_member("Clinician"))
    response = client.post(
        f"/admin/intake/outcomerule/{rule.pk}/change/", rule_form(rule, any_flags="calf_pian")
    )
    assert response.status_code == 200
    assert "No answer raises: calf_pian." in response.content.decode()
    rule.refresh_from_db()
    assert rule.any_flags == "calf_pain"


def test_a_link_without_its_text_is_refused_on_the_text_field(client, group_member):
    rule = OutcomeRule.objects.get(outcome=TriageOutcome.PATELLOFEMORAL)
    client.force_login(group_member("Clinician"))
    response = client.post(
        f"/admin/intake/outcomerule/{rule.pk}/change/", rule_form(rule, guide_label="")
    )
    assert response.status_code == 200
    assert "Give a link both a page and its text." in response.content.decode()
    rule.refresh_from_db()
    assert rule.guide_label


def test_renaming_a_guides_slug_keeps_the_result_link_working(client):
    """Result links are foreign keys: the page follows the guide wherever its slug goes."""
    rule = OutcomeRule.objects.select_related("guide", "protocol").get(
        outcome=TriageOutcome.PATELLOFEMORAL
    )
    rule.guide.slug = "running-knee-pain"
    rule.guide.save()
    rule.protocol.slug = "kneecap-exercise-plan"
    rule.protocol.save()

    page = answer_all(client, PATELLOFEMORAL_PATTERN).content.decode()

    assert 'href="/guides/running-knee-pain/"' in page
    assert 'href="/protocols/kneecap-exercise-plan/"' in page
    assert "knee-pain-with-running" not in page
    assert client.get("/guides/running-knee-pain/").status_code == 200
    assert client.get("/protocols/kneecap-exercise-plan/").status_code == 200


def test_the_test_view_shows_the_outcome_and_the_rule_that_fired(client, group_member):
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    client.force_login(group_member("Clinician"))
    change = client.get(f"/admin/intake/questionnaire/{questionnaire.pk}/change/")
    test_url = f"/admin/intake/questionnaire/{questionnaire.pk}/test/"
    assert f'href="{test_url}"' in change.content.decode()
    page = client.get(test_url)
    assert page.status_code == 200
    assert "Asked only when" in page.content.decode()
    response = client.post(test_url, {"injury": "no", "out_of_place": "yes", "calf": "yes"})
    body = response.content.decode()
    assert "Outcome: See a doctor first" in body
    assert re.search(r'class="rule-name">Calf pain, tenderness or swelling<', body)
    assert "this answer was ignored" in body  # out of place is asked only after an injury
    assert OutcomeTally.objects.count() == 0  # a clinician's test is not a patient


def test_the_front_desk_neither_reads_nor_changes_the_self_check(client, group_member):
    """Issue 8: the front desk sees only leads, appointments and schedules; questionnaires
    are the clinicians' (the answers a lead sent stay on the lead page)."""
    rule = OutcomeRule.objects.get(name="Calf pain, tenderness or swelling")
    client.force_login(group_member("Front desk"))
    url = f"/admin/intake/outcomerule/{rule.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.post(url, rule_form(rule, outcome="book_evaluation")).status_code == 403
    rule.refresh_from_db()
    assert rule.outcome == TriageOutcome.SEE_DOCTOR
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    test_url = f"/admin/intake/questionnaire/{questionnaire.pk}/test/"
    assert client.get(test_url).status_code == 403


def test_people_who_are_not_staff_cannot_reach_the_test_view(client, django_user_model):
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    url = f"/admin/intake/questionnaire/{questionnaire.pk}/test/"
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("patient", password="pw-123456x"))
    assert client.get(url).status_code == 302


def test_groups_get_the_self_check_permissions():
    clinician = set(
        Group.objects.get(name="Clinician").permissions.values_list("codename", flat=True)
    )
    front_desk = set(
        Group.objects.get(name="Front desk").permissions.values_list("codename", flat=True)
    )
    for model in ("questionnaire", "question", "choice", "outcomerule"):
        assert {f"{a}_{model}" for a in ("view", "add", "change", "delete")} <= clinician
        assert not {f"{a}_{model}" for a in ("view", "add", "change", "delete")} & front_desk
    assert "view_outcometally" in clinician
    assert "view_outcometally" not in front_desk
    assert "change_outcometally" not in clinician


def test_admin_pages_for_questionnaires_questions_and_tallies_load(client, superuser):
    client.force_login(superuser)
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    question = Question.objects.get(key="fever")
    for url in [
        "/admin/intake/questionnaire/",
        f"/admin/intake/questionnaire/{questionnaire.pk}/change/",
        "/admin/intake/question/",
        f"/admin/intake/question/{question.pk}/change/",
        "/admin/intake/outcomerule/",
        "/admin/intake/outcometally/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/intake/outcometally/add/").status_code == 403


def test_a_follow_up_must_depend_on_an_earlier_step():
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    later = Question.objects.get(key="calf")  # step 6
    follow_up = Question(
        questionnaire=questionnaire,
        key="calf_how_long",
        text="How long has your calf hurt?",
        step=5,
        show_if_question=later,
        show_if_values="yes",
    )
    with pytest.raises(ValidationError, match="earlier step"):
        follow_up.full_clean()
    follow_up.show_if_question = Question.objects.get(key="injury")
    follow_up.show_if_values = "perhaps"
    with pytest.raises(ValidationError, match="Use values of that question"):
        follow_up.full_clean()
    follow_up.show_if_values = "yes"
    follow_up.full_clean()


def test_a_rule_needs_a_condition():
    rule = OutcomeRule(
        questionnaire=Questionnaire.objects.get(slug=SLUG),
        outcome=TriageOutcome.SEE_DOCTOR,
        name="Everything",
        explanation="See a doctor.",
    )
    with pytest.raises(ValidationError, match="at least one condition"):
        rule.full_clean()
