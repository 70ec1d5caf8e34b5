"""The read log: every look at a lead's health details and every export, by whom and when,
seen only by superusers, and gone with the lead's details."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake.models import LeadStatus, ReadAction, ReadLogEntry
from tests.intake.leads_support import make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    lead = make_lead(
        name="Quinn Private",
        message="Pelvic pain since my second delivery",
        answers=[{"question": "Where is the pain?", "answer": "Pelvic floor"}],
    )
    lead.status = LeadStatus.CONTACTED
    lead.save()  # a second version in the history
    return lead


def export(client, leads, **extra):
    data = {"action": "export_csv", "_selected_action": [lead.pk for lead in leads], **extra}
    return client.post("/admin/intake/lead/", data)


def entries() -> list[tuple]:
    return list(ReadLogEntry.objects.order_by("pk").values_list("lead", "user__username", "action"))


def test_opening_a_lead_is_logged_but_the_list_is_not(client, group_member, lead):
    desk = group_member("Front desk")
    client.force_login(desk)

    client.get("/admin/intake/lead/")
    assert entries() == []
    page = client.get(f"/admin/intake/lead/{lead.pk}/change/")

    assert "Pelvic floor" in page.content.decode()
    assert entries() == [(lead.pk, "front_desk", ReadAction.VIEWED)]
    assert ReadLogEntry.objects.get().created_at > timezone.now() - timedelta(minutes=1)


def test_opening_an_earlier_version_is_logged(client, group_member, lead):
    client.force_login(group_member("Clinician"))
    version = lead.history.earliest().history_id

    page = client.get(f"/admin/intake/lead/{lead.pk}/history/{version}/")

    assert page.status_code == 200
    assert entries() == [(lead.pk, "clinician", ReadAction.VIEWED_HISTORY)]
    assert client.get(f"/admin/intake/lead/{lead.pk}/history/999999/").status_code == 404
    assert len(entries()) == 1


def test_an_export_logs_every_lead_in_it(client, group_member, lead):
    other = make_lead(name="Ola Other")
    client.force_login(group_member("Front desk"))

    response = export(client, [lead, other])

    assert response["Content-Type"].startswith("text/csv")
    assert sorted(entries()) == sorted(
        [(lead.pk, "front_desk", ReadAction.EXPORTED), (other.pk, "front_desk", "exported")]
    )


def test_an_export_asks_for_the_password_again_after_15_minutes(client, group_member, lead):
    client.force_login(group_member("Front desk"))
    later = timezone.now() + timedelta(minutes=16)

    with mock.patch("django.utils.timezone.now", return_value=later):
        asked = export(client, [lead])
        wrong = export(client, [lead], password="not-it")
        right = export(client, [lead], password="pw-group-123")
        # Typed just now: the next export goes straight through.
        again = export(client, [lead])

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "type your password again" in page
    assert f'name="_selected_action" value="{lead.pk}"' in page
    assert 'name="action" value="export_csv"' in page
    assert "That is not your password." in wrong.content.decode()
    assert right["Content-Type"].startswith("text/csv")
    assert "Quinn Private" in right.content.decode()
    assert again["Content-Type"].startswith("text/csv")
    assert [action for _, _, action in entries()] == ["exported", "exported"]


def test_only_superusers_see_the_read_log(client, group_member, superuser, lead):
    desk = group_member("Front desk")
    client.force_login(desk)
    client.get(f"/admin/intake/lead/{lead.pk}/change/")

    assert client.get("/admin/intake/readlogentry/").status_code == 403
    assert "Read log" not in client.get("/admin/").content.decode()

    client.force_login(superuser)
    listing = client.get("/admin/intake/readlogentry/")
    assert listing.status_code == 200
    assert "front_desk" in listing.content.decode()
    assert "Read log" in client.get("/admin/").content.decode()
    entry = ReadLogEntry.objects.get(user=desk)
    assert client.post(f"/admin/intake/readlogentry/{entry.pk}/delete/").status_code == 403


def test_the_log_goes_when_purge_leads_anonymises_the_lead(client, group_member, lead):
    kept = make_lead(name="Kim Kept")
    client.force_login(group_member("Front desk"))
    client.get(f"/admin/intake/lead/{lead.pk}/change/")
    client.get(f"/admin/intake/lead/{kept.pk}/change/")
    lead.status = LeadStatus.NOT_A_FIT
    lead.save()
    type(lead).objects.filter(pk=lead.pk).update(updated_at=timezone.now() - timedelta(days=400))

    call_command("purge_leads", "--days", "365")

    assert entries() == [(kept.pk, "front_desk", ReadAction.VIEWED)]
