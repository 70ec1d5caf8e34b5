"""Showing stored E.164 phone numbers the way people write them."""

import phonenumbers


def display_phone(e164: str) -> str:
    """+16085550123 as (608) 555-0123; numbers outside North America keep their +."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
