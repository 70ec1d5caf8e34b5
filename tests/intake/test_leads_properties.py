"""Property tests of the contact form over generated input.

In each example about one field in twelve is wrong in some way, so roughly a
third of the examples are valid. Whatever arrives, the form never errors; a
wrong input saves nothing and names exactly the wrong fields; a valid input is
saved exactly as the patient meant it.

The form itself gets the profile's full example count (1,000 in CI, see
tests/conftest.py); whole POSTs, about ten times slower each, a tenth of that,
which is enough to prove the view saves what the form cleaned.
"""

from collections import Counter
from datetime import timedelta
from html import escape

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from intake.forms.leads import ContactForm, issue_form_token
from intake.models import Lead
from intake.models.leads import Activity, BodyArea, ContactMethod, HeardAbout, PreferredTime
from tests.conftest import request_examples

VALID_PHONES = ["6082184215", "6085550199", "4142771234", "3125550187", "7155559876"]
INVALID_PHONES = ["123", "call me", "608-555-01", "+44 20", "555-1234", "0000000000", "6" * 33]

letters = st.characters(categories=("Lu", "Ll", "Lo"))
name_chars = st.one_of(letters, st.characters(categories=("Mn",)), st.sampled_from(" -'."))
padding = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def valid_names(draw):
    core = draw(letters) + draw(st.text(name_chars, max_size=60))
    raw = draw(padding) + core + draw(padding)
    return raw, raw.strip()


invalid_names = st.one_of(
    st.sampled_from(["", " ", "\t "]),
    st.text(letters, min_size=121, max_size=130),
    st.text(st.sampled_from("0123456789 .-!?#"), min_size=1, max_size=20),
    st.tuples(letters, st.characters(categories=("Cc",)), letters).map("".join),
)


@st.composite
def valid_emails(draw):
    address = draw(
        st.from_regex(
            r"[a-zA-Z0-9]{1,20}(\.[a-z0-9]{1,10})?@[a-z0-9]{1,15}\.(com|org|net|us)",
            fullmatch=True,
        )
    )
    raw = draw(padding) + address + draw(padding)
    return raw, raw.strip()


local_parts = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)
invalid_emails = st.one_of(
    st.just(""),
    st.from_regex(r"[a-z0-9.]{1,30}", fullmatch=True),  # no @ at all
    local_parts.map(lambda local: f"{local}@"),
    local_parts.map(lambda local: f"@{local}.com"),
    st.tuples(local_parts, st.from_regex(r"[a-z]{1,10}", fullmatch=True))
    .filter(lambda parts: parts[1] != "localhost")
    .map(lambda parts: f"{parts[0]}@{parts[1]}"),  # no dot in the domain
    local_parts.map(lambda local: f"{local} jones@example.com"),
)


@st.composite
def valid_phones(draw):
    digits = draw(st.sampled_from(VALID_PHONES))
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    raw = draw(
        st.sampled_from(
            [
                f"({area}) {exchange}-{line}",
                f"{area}-{exchange}-{line}",
                f"{area}.{exchange}.{line}",
                f"+1 {area} {exchange} {line}",
                f"1{digits}",
                digits,
                f" {area} {exchange} {line} ",
            ]
        )
    )
    return raw, f"+1{digits}"


# Hypothesis leans towards the first item of a list, so the rare case goes last.
sometimes_wrong = st.sampled_from([False] * 11 + [True])


def choice(values, wrong):
    return st.sampled_from(values), st.sampled_from(wrong)


messages_ok = st.one_of(
    st.text(max_size=400).map(lambda text: text.replace("\x00", "")),
    st.just("a" * 3000),
)
messages_wrong = st.one_of(
    st.tuples(st.text(max_size=50), st.text(max_size=50)).map(lambda t: f"{t[0]}\x00{t[1]}"),
    st.text(min_size=0, max_size=20).map(lambda text: "b" * 3001 + text.replace("\x00", "")),
)


@st.composite
def submissions(draw):
    """(POST data, expected saved values or None, the fields that must show an error)."""
    wrong = set()
    expected = {}
    data = {}

    def pick(field, valid, invalid, expect=lambda raw: raw):
        if draw(sometimes_wrong):
            wrong.add(field)
            data[field] = draw(invalid)
        else:
            raw = draw(valid)
            data[field] = raw
            expected[field] = expect(raw)

    def pick_pair(field, valid_pairs, invalid):
        if draw(sometimes_wrong):
            wrong.add(field)
            data[field] = draw(invalid)
        else:
            data[field], expected[field] = draw(valid_pairs)

    pick_pair("name", valid_names(), invalid_names)
    pick_pair("email", valid_emails(), invalid_emails)
    pick("preferred_contact_method", *choice(ContactMethod.values, ["", "fax", "PHONE"]))
    phone_kind = draw(st.sampled_from(["valid"] * 6 + ["blank"] * 3 + ["invalid"]))
    if phone_kind == "valid":
        data["phone"], expected["phone"] = draw(valid_phones())
    elif phone_kind == "blank":
        data["phone"] = expected["phone"] = ""
        if data["preferred_contact_method"] in {"phone", "text"}:
            wrong.add("phone")  # they asked for a call or a text
    else:
        data["phone"] = draw(st.sampled_from(INVALID_PHONES))
        wrong.add("phone")
    pick("preferred_time", *choice(PreferredTime.values, ["", "night"]))
    pick("activity", *choice(Activity.values, ["", "skiing"]))
    pick("body_area", *choice(BodyArea.values, ["", "spleen"]))
    pick("message", messages_ok, messages_wrong, expect=str.strip)
    pick("heard_about", *choice(["", *HeardAbout.values], ["tv", "radio"]))
    if draw(sometimes_wrong):
        wrong.add("consent")
        if draw(st.booleans()):
            data["consent"] = ""
    else:
        data["consent"] = "on"

    now = timezone.now()
    token_kind = draw(st.sampled_from(["good"] * 17 + ["missing", "too fast", "tampered"]))
    good_token = issue_form_token(now - timedelta(minutes=1))
    data["form_token"] = {
        "good": good_token,
        "missing": "",
        "too fast": issue_form_token(now),
        "tampered": good_token[:-4] + "AAAA",
    }[token_kind]
    if token_kind != "good":
        wrong.add("__all__")

    bot = draw(st.sampled_from([False] * 19 + [True]))
    if bot:
        data["website"] = draw(st.text(min_size=1, max_size=20).filter(lambda t: "\x00" not in t))
    return data, (None if wrong else expected), wrong, bot


@pytest.mark.django_db
def test_contact_form_accepts_exactly_the_valid_submissions_and_cleans_them_as_meant():
    tried = Counter()

    @given(submissions())
    def check(submission) -> None:
        data, expected, wrong, bot = submission
        tried["inputs"] += 1
        form = ContactForm(data)
        if bot:
            tried["bots"] += 1
            assert form.is_bot()
        elif expected is None:
            tried["invalid"] += 1
            assert not form.is_valid()
            assert set(form.errors) == wrong
            if data["name"]:
                assert f'value="{escape(data["name"])}"' in str(form)
        else:
            tried["valid"] += 1
            assert form.is_valid(), form.errors
            assert {field: form.cleaned_data[field] for field in expected} == expected

    check()
    examples = hypothesis_settings.default.max_examples
    print(f"\ncontact form property test: {dict(tried)}")
    assert tried["inputs"] >= examples
    assert tried["valid"] > examples // 10
    assert tried["invalid"] > examples // 10


@pytest.mark.django_db
@override_settings(CONTACT_RATE_LIMIT=1_000_000)
def test_contact_page_never_fails_saves_valid_input_exactly_and_nothing_else(client):
    tried = Counter()

    @hypothesis_settings(max_examples=request_examples())
    @given(submissions())
    def check(submission) -> None:
        data, expected, wrong, bot = submission
        tried["inputs"] += 1
        before = Lead.objects.count()
        response = client.post("/contact/", data)
        assert response.status_code in {200, 302}  # never a server error, never a 4xx

        if bot:
            assert response.status_code == 302
            assert Lead.objects.count() == before
        elif expected is None:
            assert response.status_code == 200
            assert Lead.objects.count() == before
            assert set(response.context["form"].errors) == wrong
            body = response.content.decode()
            if data["name"]:
                assert f'value="{escape(data["name"])}"' in body
        else:
            assert response.status_code == 302, response.context["form"].errors
            assert Lead.objects.count() == before + 1
            lead = Lead.objects.latest("pk")
            saved = {field: getattr(lead, field) for field in expected}
            assert saved == expected
            assert lead.consent_at is not None

    check()
    assert tried["inputs"] >= request_examples()
