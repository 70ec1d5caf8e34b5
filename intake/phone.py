"""Showing stored phone numbers the way people write them."""

from phonenumber_field.phonenumber import PhoneNumber, to_python


def display_phone(number: PhoneNumber | str) -> str:
    """+16085550123 as (608) 555-0123; numbers outside North America keep their +."""
    parsed = to_python(number)
    if not isinstance(parsed, PhoneNumber) or not parsed.is_valid():
        return str(number)
    return parsed.as_national if parsed.country_code == 1 else parsed.as_international


def as_e164(text: str) -> str:
    """A phone number as staff type it ("608-555-0142") in its stored E.164 form, or ""
    when the text is not a valid number (a name, an email, a few digits)."""
    parsed = to_python(text, region="US")
    if not isinstance(parsed, PhoneNumber) or not parsed.is_valid():
        return ""
    return str(parsed.as_e164)
