"""Property tests: no input to a public page is a server error or comes back unescaped.

Every public form is driven directly with generated data (the profile's example count:
1,000 in CI), and every public URL with its GET parameters and POST fields as whole
requests (a tenth of that), in the charsets and encodings a script might send. Values
are arbitrary text and bytes, digits from other scripts ("²", "١"), dates near year 1
and 9999, slot values built from those, and a marker tag that must never reach a page
as markup. Any field may be missing.
"""

from datetime import UTC, date, datetime, time
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from intake import selfcheck
from intake.booking import BOOKABLE_YEARS, parse_day, parse_slot_value
from intake.forms.booking import BookingForm, CancelForm, TimeFilterForm
from intake.forms.leads import ContactForm, issue_form_token
from intake.forms.previsit import (
    ConsentForm,
    HistoryForm,
    MeasuresForm,
    ReasonsForm,
    SafetyForm,
)
from intake.forms.previsit import (
    ContactForm as PreVisitContactForm,
)
from intake.forms.selfcheck import StepForm
from intake.forms.waitlist import WaitlistChoiceForm, WaitlistJoinForm
from intake.models import (
    Appointment,
    Clinician,
    ConsentText,
    Measure,
    PreVisit,
    PreVisitKind,
    Questionnaire,
)
from intake.previsit import safety_questions, safety_spec
from tests.conftest import request_examples
from tests.intake.booking_factories import local, make_appointment, make_clinician, make_type

MARK = '<x-fuzz onmouseover="alert(1)">'
CONTACT_FIELDS = (
    "name",
    "email",
    "phone",
    "activity",
    "body_area",
    "message",
    "heard_about",
    "consent",
    "form_token",
    "website",
)

unicode_digits = st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=10)
# ASCII digits mixed with ones str.isdigit() accepts but int() refuses ("²", "①") or
# reads as a number from another script ("١", "２").
mixed_digits = st.text(st.sampled_from("0123456789²①١２"), min_size=1, max_size=4)
any_datetime = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1-1-1"]),
    st.one_of(unicode_digits, mixed_digits).map(lambda digits: f"{digits}-12-10"),
)
slot_starts = st.one_of(
    any_datetime.map(lambda moment: f"{moment:%Y%m%dT%H%M}Z"),
    st.sampled_from(["00010101T0000Z", "99991231T2359Z", "20261210T1500Z"]),
    st.one_of(mixed_digits, st.text(max_size=20)).map(lambda text: f"2026{text}T1500Z"),
)
slot_clinicians = st.one_of(
    st.just("any"),
    mixed_digits,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=6),
)
slot_values = st.builds(lambda who, when: f"{who}|{when}", slot_clinicians, slot_starts)
nasty = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=100).map(lambda raw: raw.decode("latin-1")),
    unicode_digits,
    dates,
    slot_values,
    st.text(max_size=20).map(lambda text: text + MARK),
    st.sampled_from(["", " ", "\x00", "a" * 5000, "on", "any", "back", "-1", "1e309"]),
)
# Fields that are parsed, not just stored, mostly get values shaped like what they parse,
# so the generator spends its examples near the edges (a "²" id, year 9999) rather than
# on text the first check already refuses.
SHAPED = {
    "slot": st.one_of(slot_values, slot_values, slot_values, nasty),
    "new_slot": st.one_of(slot_values, nasty),
    "start": st.one_of(dates, dates, nasty),
    "clinician": st.one_of(slot_clinicians, nasty),
}


def fields(names: tuple[str, ...]):
    """A POST or query dict with any of `names` present or missing, each with a nasty value."""
    return st.fixed_dictionaries({}, optional={name: SHAPED.get(name, nasty) for name in names})


def assert_safe(response) -> None:
    assert response.status_code < 500
    assert MARK not in response.content.decode("utf-8", errors="replace")


@pytest.fixture
def booking_setup(db):
    """One clinician, one visit type, one booked appointment and its manage link."""
    Clinician.objects.all().delete()
    clinician = make_clinician("Dana Lee", hours=[(time(8), time(18))])
    visit = make_type(slug="consult", booking_window_days=28)
    appointment = make_appointment(
        clinician=clinician, appointment_type=visit, start=local(2030, 1, 7, 9)
    )
    token = appointment.issue_manage_token()
    appointment.save()
    return visit, token


@pytest.fixture
def previsit_token(booking_setup) -> str:
    """The before-visit form of the booked appointment, and its private link's token."""
    previsit = PreVisit(appointment=Appointment.objects.get(), kind=PreVisitKind.FIRST_VISIT)
    token = previsit.issue_token()
    previsit.save()
    return token


@pytest.fixture
def questionnaire(db) -> Questionnaire:
    return Questionnaire.objects.published().with_content().first()


# Form level: the profile's full example count.


def test_slot_and_day_parsers_answer_none_or_a_bookable_value_for_any_text():
    @given(st.one_of(slot_values, dates, nasty))
    def check(value: str) -> None:
        parsed = parse_slot_value(value)
        if parsed is not None:
            assert parsed[1].tzinfo is UTC and parsed[1].year in BOOKABLE_YEARS
        day = parse_day(value)
        assert day is None or day.year in BOOKABLE_YEARS

    check()


def test_contact_form_cleans_any_input_without_raising_and_escapes_it(db):
    @given(fields(CONTACT_FIELDS + ("preferred_contact_method", "preferred_time")), st.booleans())
    def check(data: dict, real_token: bool) -> None:
        if real_token:
            data["form_token"] = issue_form_token(datetime(2026, 1, 1, tzinfo=UTC))
        form = ContactForm(data)
        form.is_valid()
        form.is_bot()
        assert MARK not in str(form)

    check()


def test_booking_form_cleans_any_input_without_raising_and_escapes_it(booking_setup):
    visit, _ = booking_setup
    names = ("slot", "name", "email", "phone", "message", "selfcheck_token", "attach_answers")

    @given(fields(names))
    @example({"slot": "²|20261210T1500Z"})  # issue 10's first 500, always tried
    def check(data: dict) -> None:
        form = BookingForm(data, appointment_type=visit)
        if not form.is_valid():
            assert form.errors
        form.requested_start()
        assert MARK not in str(form)

    check()


def test_time_filter_and_cancel_forms_clean_any_input_without_raising(booking_setup):
    clinicians = list(Clinician.objects.bookable())

    @given(fields(("clinician", "start")), fields(("reason",)))
    def check(picker: dict, cancel: dict) -> None:
        form = TimeFilterForm(picker, clinicians=clinicians)
        form.chosen_clinician()
        start = form.chosen_start()
        assert start is None or start.year in BOOKABLE_YEARS
        cancel_form = CancelForm(cancel)
        cancel_form.is_valid()
        assert MARK not in str(form) + str(cancel_form)

    check()


WAITLIST_FIELDS = ("clinician", "weekdays", "parts_of_day", "from_date", "until_date")


def test_waitlist_forms_clean_any_input_without_raising_and_escape_it(booking_setup):
    visit, _ = booking_setup
    today = date(2026, 12, 6)

    @given(fields(WAITLIST_FIELDS + ("name", "email", "phone")))
    @example({"from_date": "9999-12-31", "until_date": "9999-12-31"})
    def check(data: dict) -> None:
        for form_class in (WaitlistJoinForm, WaitlistChoiceForm):
            form = form_class(data, appointment_type=visit, today=today)
            if form.is_valid():
                form.choice()
            else:
                assert form.errors
            assert MARK not in str(form)

    check()


def test_self_check_step_form_cleans_any_input_without_raising(questionnaire):
    spec = selfcheck.load_spec(questionnaire)
    questions = selfcheck.step_questions(spec, selfcheck.first_step(spec), {})

    @given(fields(tuple(q.key for q in questions) + ("action", "state")))
    def check(data: dict) -> None:
        form = StepForm(data, questions=questions)
        if form.is_valid():
            form.answers()
        else:
            form.answers_so_far()
        assert MARK not in str(form)

    check()


PREVISIT_FIELDS = {
    "contact": ("name", "email", "phone", "date_of_birth", "emergency_name", "emergency_phone"),
    "reasons": ("problem", "body_area", "activities", "goals"),
    "history": ("conditions", "other_conditions", "surgeries", "medications", "pregnancy"),
    "consent": ("agree_treatment", "agree_privacy", "typed_name"),
}


def test_before_visit_forms_clean_any_input_without_raising_and_escape_it(db):
    measures = list(Measure.objects.active().with_items())
    texts = ConsentText.objects.current()
    questions = safety_questions(safety_spec())
    psfs = next(m for m in measures if m.patient_names_items)
    measure_names = tuple(
        f"m{m.pk}_{suffix}"
        for m in measures
        for suffix in ["1_name", "1_rating", "2_name", "2_rating", "now", "worst"]
    )

    @given(
        fields(PREVISIT_FIELDS["contact"] + PREVISIT_FIELDS["reasons"]),
        fields(PREVISIT_FIELDS["history"] + PREVISIT_FIELDS["consent"]),
        fields(tuple(q.key for q in questions)),
        fields(measure_names),
        st.booleans(),
    )
    def check(personal: dict, history: dict, safety: dict, rated: dict, follow_up: bool) -> None:
        named = {psfs.pk: ["Running", MARK]} if follow_up else {}
        forms = [
            PreVisitContactForm(personal),
            ReasonsForm(personal),
            HistoryForm(history),
            ConsentForm(history, texts=texts),
            SafetyForm(safety, questions=questions),
            MeasuresForm(rated, measures=measures, named=named),
        ]
        for form in forms:
            if form.is_valid():
                form.answers()
            else:
                assert form.errors
                form.problems()
        if forms[-1].is_valid():
            forms[-1].measure_answers()
        assert MARK not in "".join(str(form) for form in forms)

    check()


# Request level: every public URL, a tenth of the examples, as a script would send them.

CHARSETS = [None, None, None, "utf-8", "utf-7", "latin-1", "no-such-charset"]


def encode_body(data: dict, charset: str | None, multipart: bool) -> tuple[bytes, str]:
    encoding = "utf-8" if charset in (None, "no-such-charset") else charset
    if multipart:
        parts = [
            b'--B\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (key.encode(), value.encode(encoding, errors="replace"))
            for key, value in data.items()
        ]
        content_type = "multipart/form-data; boundary=B"
        body = b"".join(parts) + b"--B--\r\n"
    else:
        content_type = "application/x-www-form-urlencoded"
        body = "&".join(
            f"{quote_from_bytes(key.encode())}="
            f"{quote_from_bytes(value.encode(encoding, errors='replace'))}"
            for key, value in data.items()
        ).encode()
    if charset:
        content_type += f"; charset={charset}"
    return body, content_type


BOOKING_FIELDS = ("slot", "new_slot", "name", "email", "phone", "message", "selfcheck_token")


def public_pages(
    token: str, questionnaire: str, previsit: str
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(method, path, the parameters or fields it reads) for every public page."""
    handoff = ("selfcheck_token",)
    before = f"/before-your-visit/{previsit}"
    return [
        ("get", f"{before}/", ()),
        ("get", f"{before}x/", ()),
        *[("post", f"{before}/{section}/", names) for section, names in PREVISIT_FIELDS.items()],
        ("post", f"{before}/safety/", ("age", "injury", "lift_leg", "fever", "hot_red")),
        ("post", f"{before}/measures/", ("m1_1_name", "m1_1_rating", "m2_now", "m2_worst")),
        ("post", f"{before}/nope/", ("name",)),
        ("get", "/", ()),
        ("get", "/guides/", ()),
        ("get", "/check/", ()),
        ("get", f"/check/{questionnaire}/", ()),
        ("post", f"/check/{questionnaire}/1/", ("state", "action", "q1", "q2")),
        ("post", f"/check/{questionnaire}/99999999999999999999/", ("state", "action")),
        ("get", "/contact/", ()),
        ("post", "/contact/", CONTACT_FIELDS + handoff),
        ("get", "/book/", ()),
        ("post", "/book/", handoff),
        ("get", "/book/consult/", ("clinician", "start")),
        ("post", "/book/consult/", ("clinician", "start") + handoff),
        ("get", "/book/consult/details/", ("slot",)),
        ("post", "/book/consult/details/", BOOKING_FIELDS),
        ("post", "/book/consult/review/", BOOKING_FIELDS + ("attach_answers",)),
        ("post", "/book/consult/confirm/", BOOKING_FIELDS + ("attach_answers",)),
        ("get", f"/book/manage/{token}/", ()),
        ("post", f"/book/manage/{token}/cancel/", ("reason",)),
        ("get", f"/book/manage/{token}/reschedule/", ("slot", "clinician", "start")),
        ("post", f"/book/manage/{token}/reschedule/", ("slot",)),
        ("post", "/book/consult/waitlist/", WAITLIST_FIELDS + ("name", "email", "phone")),
        ("post", f"/book/manage/{token}/waitlist/", WAITLIST_FIELDS),
        ("get", f"/waitlist/{token}/", ()),
        ("post", f"/waitlist/{token}/leave/", ()),
        ("post", f"/waitlist/offer/{token}/", ("answer",)),
    ]


def request_check(client: Client, method: str, path: str, names: tuple[str, ...]):
    """A property test sending `path` its fields (and one it does not expect) as a script might."""

    @settings(max_examples=request_examples())
    @given(fields(names + ("unexpected",)), st.sampled_from(CHARSETS), st.booleans())
    def check(data: dict, charset: str | None, multipart: bool) -> None:
        if method == "get":
            response = client.get(path, data)
        else:
            body, content_type = encode_body(data, charset, multipart)
            response = client.generic("POST", path, body, content_type=content_type)
        assert_safe(response)

    return check


def test_no_public_page_errors_or_echoes_markup_whatever_arrives(
    booking_setup, questionnaire, previsit_token
):
    _, token = booking_setup
    client = Client(raise_request_exception=False)
    for method, path, names in public_pages(token, questionnaire.slug, previsit_token):
        request_check(client, method, path, names)()


def test_a_public_address_with_foreign_digits_or_bytes_is_not_found_not_an_error(client, db):
    for path in [
        "/check/x/99999999999999999999999/",
        "/book/manage/%00/",
        "/book/manage/%FF%FE/",
        "/before-your-visit/%00/",
        "/before-your-visit/%FF%FE/contact/",
        "/book/%C2%B2/",
        "/guides/%00/",
        "/?%FF=%FF",
        "/book/" + "x" * 3000 + "/",
    ]:
        assert_safe(client.get(path))


def test_a_form_sent_in_another_charset_is_refused_not_an_error(
    booking_setup, questionnaire, previsit_token
):
    """Django refuses a urlencoded body that is not UTF-8 when the CSRF check first reads it;
    that must stay a 4xx page, as in production where the check is on."""
    _, token = booking_setup
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/contact/")  # the CSRF cookie a browser would hold
    csrf = client.cookies["csrftoken"].value
    for method, path, _ in public_pages(token, questionnaire.slug, previsit_token):
        if method == "post":
            response = client.generic(
                "POST",
                path,
                f"csrfmiddlewaretoken={csrf}&name=%2BAGEAYgBj-",
                content_type="application/x-www-form-urlencoded; charset=utf-7",
            )
            assert 400 <= response.status_code < 500, path
