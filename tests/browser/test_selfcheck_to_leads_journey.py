"""From a self-check result to a lead the front desk can read: the two features joined.

A patient finishes the self-check, presses "Send my answers to the clinic", sees
their answers on the contact form with the box ticked and sends it. The lead
keeps the answers, outcome and rule; a Front desk user reads them on the lead's
admin page, reached from the staff email, and neither email carries them.
"""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from intake.models import Lead, LeadSource, TriageOutcome
from tests.browser.conftest import assert_accessible, sign_in_at
from tests.browser.selfcheck_pages import KNEECAP_PATTERN, answer_every_step
from tests.intake.selfcheck_client import CALM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shown_answers(page) -> list[dict[str, str]]:
    """The question/answer pairs of the answer list on the page, as the patient reads them."""
    return page.evaluate(
        """() => [...document.querySelectorAll('dl.answer-list dt')].map(dt => ({
            question: dt.textContent.trim(), answer: dt.nextElementSibling.textContent.trim()}))"""
    )


def test_self_check_answers_reach_the_front_desk_but_no_email(
    live_server, page, settings, group_member
):
    settings.CONTACT_MIN_FILL_SECONDS = 0  # a script types faster than any person
    page.goto(f"{live_server.url}/check/runners-knee/")
    answer_every_step(page, {**CALM, **KNEECAP_PATTERN})
    assert "patellofemoral" in page.locator("#result-heading").inner_text()
    on_result = shown_answers(page)
    where = {
        "question": "Where does your knee hurt the most?",
        "answer": "Around or behind the kneecap",
    }
    assert where in on_result

    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers to the clinic").click()
    assert page.url == f"{live_server.url}/contact/"  # the answers are not in the address
    section = page.get_by_role("region", name="Your self-check answers")
    assert "Consistent with patellofemoral pain" in section.inner_text()
    assert page.get_by_label("Where is the problem?").input_value() == "knee"  # pre-selected
    # The answers come after the name fields, folded away until the patient opens them.
    assert page.locator("#id_name").bounding_box()["y"] < section.bounding_box()["y"]
    assert not page.locator("details.selfcheck-answers").get_attribute("open")
    page.locator("details.selfcheck-answers summary").click()
    assert shown_answers(page) == on_result
    assert page.get_by_label("Attach my self-check answers").is_checked()
    assert page.get_by_role("alert").count() == 0  # nothing filled in yet, so no errors
    assert_accessible(page)

    page.get_by_label("Your name").fill("Jane Runner")
    page.get_by_label("Email address").fill("jane@example.com")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("What do you want to get back to?").select_option("running")
    page.get_by_label("I agree that the clinic may contact me").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my request").click()
    assert page.url == f"{live_server.url}/contact/thanks/"
    assert_accessible(page)
    # Sent: the answers are gone from the browser, so the result cannot be shown again.
    page.goto(f"{live_server.url}/check/runners-knee/result/")
    assert page.get_by_role("heading", level=1).inner_text() == "Please start the self-check again"

    lead = Lead.objects.get()
    assert lead.source == LeadSource.SELF_CHECK
    assert lead.triage_outcome == TriageOutcome.PATELLOFEMORAL
    assert lead.triage_rule.startswith("Patellofemoral pattern")
    assert lead.answers == on_result

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "frontdesk@peakendurancept.com",
        "jane@example.com",
    ]
    health_details = [
        lead.triage_rule,
        TriageOutcome.PATELLOFEMORAL.label,
        *(item["question"] for item in on_result),
        *(item["answer"] for item in on_result if item["answer"] not in {"Yes", "No"}),
    ]
    for message in mail.outbox:
        for detail in health_details:
            assert detail not in message.subject, detail
            assert detail not in message.body, detail
    [notification] = [m for m in mail.outbox if m.to == ["frontdesk@peakendurancept.com"]]
    admin_path = re.search(r"/admin/intake/lead/\d+/change/", notification.body).group()

    desk = group_member("Front desk")
    sign_in_at(page, f"{live_server.url}{admin_path}", desk.username)  # the link in the staff email
    assert page.url == f"{live_server.url}{admin_path}"
    assert shown_answers(page) == on_result
    assert (
        "Consistent with patellofemoral pain" in page.locator(".field-triage_outcome").inner_text()
    )
