"""The contact form as a patient meets it: what it asks, how it answers mistakes,
and what the success page says."""

import re
from datetime import timedelta
from html import escape

import pytest
from django.utils import timezone

from intake import selfcheck
from intake.forms.leads import issue_form_token
from intake.models import Lead, LeadSource, TriageOutcome
from tests.intake.leads_support import contact_data

pytestmark = pytest.mark.django_db


def test_contact_page_asks_what_the_clinic_needs_and_links_the_privacy_notice(client):
    response = client.get("/contact/")
    assert response.status_code == 200
    body = response.content.decode()
    for label in [
        "Your name",
        "Email address",
        "Phone number",
        "How should we contact you?",
        "When is the best time to reach you?",
        "What do you want to get back to?",
        "Where is the problem?",
        "How did you hear about us?",
        "I agree that the clinic may contact me",
    ]:
        assert label in body
    for activity in ["Running", "CrossFit", "Climbing", "Gymnastics", "Wrestling", "Overhead"]:
        assert activity in body
    assert 'read our <a href="/privacy/">privacy notice</a>' in body
    assert 'href="tel:+16082184215"' in body
    assert "no-store" in response["Cache-Control"]


def test_honeypot_is_hidden_from_people_and_screen_readers(client):
    body = client.get("/contact/").content.decode()
    assert '<div class="hp-field" aria-hidden="true">' in body
    assert 'name="website" value="" tabindex="-1" autocomplete="off"' in body


def test_home_page_and_header_link_to_the_contact_form(client):
    body = client.get("/").content.decode()
    assert body.count('href="/contact/"') >= 2  # the header and the home page's call to action


def test_valid_request_is_saved_and_redirects_to_a_success_page_without_personal_data(client):
    response = client.post("/contact/", contact_data())
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    lead = Lead.objects.get()
    assert (lead.name, lead.email, lead.phone) == (
        "Jane Runner",
        "jane@example.com",
        "+16085550199",
    )
    assert (lead.activity, lead.body_area, lead.preferred_time) == ("running", "knee", "morning")
    assert lead.message == "My knee hurts going down stairs after long runs."
    assert lead.heard_about == "friend"
    assert lead.source == LeadSource.CONTACT_FORM
    assert lead.consent_at is not None
    assert lead.answers == []

    done = client.get(response["Location"])
    assert done.status_code == 200
    text = done.content.decode()
    assert "What happens next?" in text
    assert "within one business day" in text
    assert 'href="tel:+16082184215"' in text
    assert "Jane" not in text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter your name."),
        ({"name": "12345"}, "name", "Enter your name using letters."),
        ({"email": "jane.example.com"}, "email", "Enter an email address like name@example.com."),
        ({"phone": "555"}, "phone", "Enter a phone number we can call, like (608) 555-0123."),
        (
            {"phone": "", "preferred_contact_method": "text"},
            "phone",
            "Enter a phone number so we can call or text you, or choose email.",
        ),
        ({"preferred_contact_method": None}, "preferred_contact_method", "Choose how you would"),
        ({"activity": ""}, "activity", "Choose the activity you want to get back to"),
        ({"body_area": "spleen"}, "body_area", "Choose one of the areas in the list."),
        ({"message": "x" * 3001}, "message", "Keep your message to 3000 characters or fewer"),
        ({"consent": None}, "consent", "Tick this box so we may contact you."),
    ],
)
def test_each_wrong_field_gets_its_own_message_and_the_input_is_kept(
    client, overrides, field, message
):
    data = contact_data(**overrides)
    response = client.post("/contact/", data)
    assert response.status_code == 200
    assert Lead.objects.count() == 0
    body = response.content.decode()
    assert list(response.context["form"].errors) == [field]
    # Beside the field, tied to it for screen readers, and in the summary at the top.
    assert f'id="id_{field}_error"' in body or field == "preferred_contact_method"
    assert message in body
    assert body.count(message) == 2
    assert response.context["form"][field].errors
    assert "<title>Error: Contact us" in body
    if field != "name":
        assert 'value="Jane Runner"' in body
    if field != "email":
        assert 'value="jane@example.com"' in body
    if field != "message":
        assert escape(data["message"]) in body


def test_wrong_radio_choice_message_sits_in_its_fieldset(client):
    response = client.post("/contact/", contact_data(preferred_contact_method=None))
    body = response.content.decode()
    fieldset = body[body.index('id="div_id_preferred_contact_method"') :]
    fieldset = fieldset[: fieldset.index("</fieldset>")]
    assert "Choose how you would like us to contact you." in fieldset
    assert 'href="#id_preferred_contact_method_0"' in body


def test_email_is_enough_when_the_person_asks_to_be_emailed(client):
    response = client.post("/contact/", contact_data(phone="", preferred_contact_method="email"))
    assert response.status_code == 302
    assert Lead.objects.get().phone == ""


def test_a_form_sent_back_too_fast_asks_to_send_again_and_keeps_input(client):
    response = client.post("/contact/", contact_data(form_token=issue_form_token(timezone.now())))
    assert response.status_code == 200
    assert Lead.objects.count() == 0
    body = response.content.decode()
    assert "That was very quick! Check your details, then press Send again." in body
    assert 'value="Jane Runner"' in body


def test_sending_again_after_too_fast_works(client, monkeypatch):
    from tests.intake.leads_support import Clock

    clock = Clock(monkeypatch)
    token = issue_form_token(clock.now)
    assert client.post("/contact/", contact_data(form_token=token)).status_code == 200
    clock.advance(seconds=5)
    assert client.post("/contact/", contact_data(form_token=token)).status_code == 302
    assert Lead.objects.count() == 1


@pytest.mark.parametrize("token", ["", "garbage", "tampered"])
def test_missing_or_altered_form_token_saves_nothing_and_offers_a_fresh_one(client, token):
    if token == "tampered":
        good = issue_form_token(timezone.now() - timedelta(minutes=5))
        token = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    response = client.post("/contact/", contact_data(form_token=token))
    assert response.status_code == 200
    assert Lead.objects.count() == 0
    assert "This form was out of date" in response.content.decode()
    fresh = response.context["form"]["form_token"].value()
    assert fresh and fresh != token


def _handoff_token(**changes) -> str:
    data = {
        "questionnaire": "knee-pain",
        "outcome": TriageOutcome.PATELLOFEMORAL,
        "rule": "pain_around_kneecap_with_stairs",
        "answers": [
            {"question": "Where is the pain?", "answer": "Around or behind the kneecap"},
            {"question": "Does it hurt on stairs?", "answer": "Yes, going down"},
        ],
    }
    data.update(changes)
    return selfcheck.dump_handoff(selfcheck.SelfCheckHandoff(**data))


def arrive_with_answers(client, token: str):
    """Press "Send my answers to the clinic" on the self-check result."""
    arrived = client.post("/contact/", {"selfcheck_token": token})
    assert (arrived.status_code, arrived["Location"]) == (302, "/contact/")
    return client.get("/contact/")


def test_handoff_from_self_check_shows_form_with_answers_summary_and_ticked_box(client):
    token = _handoff_token()
    response = arrive_with_answers(client, token)
    assert response.status_code == 200
    body = response.content.decode()
    assert Lead.objects.count() == 0
    assert "Error:" not in body  # an unbound form: no errors for fields not yet filled in
    assert "Attach my self-check answers" in body
    assert response.context["form"]["attach_selfcheck"].value() is True
    assert 'id="id_attach_selfcheck" checked' in body
    assert "Consistent with patellofemoral pain" in body
    assert "Does it hurt on stairs?" in body
    assert "Yes, going down" in body
    assert token not in body  # the hand-off waits in a cookie, not in the page


def test_handoff_preselects_the_knee_and_puts_the_answers_after_the_name_collapsed(client):
    body = arrive_with_answers(client, _handoff_token()).content.decode()
    assert re.search(r'<option value="knee" selected>Knee</option>', body)
    assert body.index('id="id_name"') < body.index("Does it hurt on stairs?")
    assert re.search(r"<details[^>]*>\s*<summary>Show your 2 answers</summary>", body)


def test_submitting_with_the_box_ticked_attaches_answers_outcome_and_rule(client):
    arrive_with_answers(client, _handoff_token())
    response = client.post("/contact/", contact_data(attach_selfcheck="on"))
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.source == LeadSource.SELF_CHECK
    assert lead.triage_outcome == TriageOutcome.PATELLOFEMORAL
    assert lead.triage_rule == "pain_around_kneecap_with_stairs"
    assert lead.answers[1] == {"question": "Does it hurt on stairs?", "answer": "Yes, going down"}
    # Sent: the hand-off and the self-check's own answers are cleared from the browser.
    assert response.cookies["selfcheck_handoff"]["max-age"] == 0
    assert response.cookies["selfcheck"]["path"] == "/check/knee-pain/"


def test_unticking_the_box_sends_the_request_without_answers(client):
    arrive_with_answers(client, _handoff_token())
    response = client.post("/contact/", contact_data())
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.source, lead.triage_outcome, lead.answers) == (LeadSource.CONTACT_FORM, "", [])


def test_a_tampered_handoff_token_is_ignored(client):
    token = _handoff_token()
    forged = token.replace(token.split(":")[0], _handoff_token(outcome="emergency").split(":")[0])
    client.post("/contact/", {"selfcheck_token": forged})
    client.cookies["selfcheck_handoff"] = forged
    shown = client.get("/contact/").content.decode()
    assert "Attach my self-check answers" not in shown
    assert "Around or behind the kneecap" not in shown

    response = client.post("/contact/", contact_data(attach_selfcheck="on"))
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.source, lead.triage_outcome, lead.answers) == (LeadSource.CONTACT_FORM, "", [])


def test_handoff_errors_keep_the_answers_on_offer_and_focus_the_summary(client):
    arrive_with_answers(client, _handoff_token())
    response = client.post("/contact/", contact_data(attach_selfcheck="on", email="nope"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attach my self-check answers" in body
    assert re.search(r'id="error-summary"[^>]*tabindex="-1"[^>]*data-focus-on-load', body)
