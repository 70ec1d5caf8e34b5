"""The front desk types in a caller who describes a red flag: the lead is urgent, due
today and both emails go out, as after the online self-check."""

import os
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from intake.leads import business_day
from intake.models import Lead
from tests.browser.conftest import assert_accessible, sign_in_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, only when SHOTS_DIR names a folder for them."""
    if folder := os.environ.get("SHOTS_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_front_desk_adds_an_urgent_caller_who_is_called_today(
    live_server, page, group_member, settings, width
):
    settings.CLINIC_NOTIFY_EMAIL = "desk@peak.example"
    page.set_viewport_size({"width": width, "height": 900})
    group_member("Front desk", username="desk")
    sign_in_at(page, live_server.url + "/admin/intake/lead/add/", "desk")
    assert_accessible(page)

    page.get_by_label("Name").fill("Phoned In")
    page.get_by_label("Email").fill("phoned@example.com")
    page.get_by_label("Phone").fill("608-555-0177")
    page.get_by_label("Triage outcome").select_option(label="See a doctor first")
    shot(page, f"lead-by-phone-1-add-{width}")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    assert "was added successfully" in page.locator(".messagelist").inner_text()
    lead = Lead.objects.get(name="Phoned In")
    assert lead.is_urgent and lead.follow_up_due == business_day(timezone.localdate())
    page.goto(live_server.url + "/admin/intake/lead/")
    assert "Urgent: call today" in page.locator("#result_list").inner_text()
    shot(page, f"lead-by-phone-2-list-{width}")
    assert_accessible(page)
    # Its status moves through the actions and the appointments, not a free field.
    page.goto(f"{live_server.url}/admin/intake/lead/{lead.pk}/change/")
    assert page.locator("select[name=status]").count() == 0
    assert "New" in page.locator(".field-status").inner_text()
    shot(page, f"lead-by-phone-3-change-{width}")

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == ["desk@peak.example", "phoned@example.com"]
