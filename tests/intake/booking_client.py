"""Drive the booking pages (/book/) through the real HTTP flow with Django's test client,
as a patient does: pick a time, send the details, check them, confirm."""

import re

SLOT_VALUES = re.compile(r'name="slot" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')
PATIENT = {
    "name": "Pat Runner",
    "email": "pat@example.com",
    "phone": "(608) 555-0123",
    "message": "Left knee hurts on downhill runs.",
}


def first_slot(client, appointment_type) -> str:
    page = client.get(f"/book/{appointment_type.slug}/")
    return SLOT_VALUES.findall(page.content.decode())[0]


def send_details(client, appointment_type, slot: str, **overrides):
    """Press "Continue" on the details page; a redirect to the check page when all is well."""
    data = {**PATIENT, "slot": slot, **overrides}
    return client.post(f"/book/{appointment_type.slug}/details/", data)


def review(client, appointment_type, slot: str, **overrides):
    """Send the details and follow on to the check-and-confirm page (or the form again)."""
    sent = send_details(client, appointment_type, slot, **overrides)
    if sent.status_code != 302:
        return sent
    return client.get(sent["Location"])


def press_confirm(client, appointment_type, page):
    key = KEY.search(page.content.decode()).group(1)
    return client.post(f"/book/{appointment_type.slug}/confirm/", {"key": key})


def confirm(client, appointment_type, slot: str, **overrides):
    """Details, check, then "Confirm booking"; returns the last response."""
    page = review(client, appointment_type, slot, **overrides)
    if KEY.search(page.content.decode()) is None:
        return page
    return press_confirm(client, appointment_type, page)


def arrive_with_answers(client, token: str):
    """Press "Book a visit with my answers" on the self-check result."""
    return client.post("/book/", {"selfcheck_token": token})
