"""Slot and date values arrive from URLs and forms; only well-formed, bookable ones parse."""

from datetime import UTC, date, datetime

import pytest

from intake.booking import parse_day, parse_slot_value


def test_slot_value_names_a_clinician_or_any_and_a_utc_start():
    assert parse_slot_value("12|20261210T1500Z") == (12, datetime(2026, 12, 10, 15, tzinfo=UTC))
    assert parse_slot_value("any|20261210T1500Z") == (None, datetime(2026, 12, 10, 15, tzinfo=UTC))


@pytest.mark.parametrize(
    "value",
    [
        "²|20261210T1500Z",  # str.isdigit() is true for a superscript two; int() refuses it
        "١|20261210T1500Z",  # Arabic-Indic one
        "any|２０２６1210T1500Z",  # full-width digits, which strptime would accept
        "any|00010101T0000Z",  # a day before it is datetime.min: arithmetic overflows
        "any|99991231T2359Z",
        "any|20261310T1500Z",
        "any|20261210T2500Z",
        "any|20261210T1500",
        "-1|20261210T1500Z",
        "1|",
        "|",
        "",
        "any|20261210T1500Z\n",
    ],
)
def test_slot_value_with_foreign_digits_or_out_of_range_dates_is_refused(value):
    assert parse_slot_value(value) is None


def test_day_is_iso_in_ascii_digits_within_the_bookable_years():
    assert parse_day("2026-12-10") == date(2026, 12, 10)
    for value in ["9999-12-31", "0001-01-01", "2026-02-30", "２０２６-12-10", "2026-1-5", "", None]:
        assert parse_day(value) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slot", ["²|20261210T1500Z", "any|00010101T0000Z", "any|99991231T2359Z", "1|99991231T2359Z"]
)
def test_booking_pages_answer_a_malformed_slot_with_the_form_not_a_server_error(client, slot):
    from tests.intake.booking_factories import make_clinician, make_type

    make_clinician()
    make_type(slug="consult")
    page = client.get("/book/consult/details/", {"slot": slot})
    assert page.status_code == 200
    data = {"slot": slot, "name": "Pat", "email": "pat@example.com", "phone": "6085550123"}
    page = client.post("/book/consult/details/", data)
    assert page.status_code == 200
    assert page.context["form"].has_error("slot", "invalid_slot")
    assert "That time was just taken" in page.content.decode()  # with times to choose
    # Nothing was drafted, so the later steps lead back into the flow, never to an error.
    assert client.get("/book/consult/review/").status_code == 302
    assert client.post("/book/consult/confirm/", {"key": slot}).status_code == 302


@pytest.mark.django_db
def test_time_picker_ignores_a_start_date_at_the_end_of_the_calendar(client):
    from tests.intake.booking_factories import make_clinician, make_type

    make_clinician()
    make_type(slug="consult")
    for start in ["9999-12-31", "0001-01-01", "２０２６-12-10"]:
        assert client.get("/book/consult/", {"start": start}).status_code == 200
