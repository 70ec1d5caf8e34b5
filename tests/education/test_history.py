"""Clinicians restore an earlier version of a guide from its history; patients see it at once."""

from django.test import Client

from education.models import Guide
from tests.education.admin_forms import _form_values, change_form_data

OLD_TITLE = "3 ways to Improve Knee Pain with Running"


def test_a_clinician_restores_the_version_before_an_edit(client, group_member, knee_guide):
    client.force_login(group_member("Clinician"))
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(client.get(url))
    data["title"] = "A title nobody approved"
    data["body"] += "\n\nA paragraph added by mistake."
    assert client.post(url, data).status_code == 302
    anonymous = Client()
    assert (
        "A title nobody approved" in anonymous.get(knee_guide.get_absolute_url()).content.decode()
    )

    history = client.get(f"/admin/education/guide/{knee_guide.pk}/history/").content.decode()
    assert "A title nobody approved" in history or "Changed" in history
    before = knee_guide.history.filter(title=OLD_TITLE).latest("history_date")
    version_url = f"/admin/education/guide/{knee_guide.pk}/history/{before.history_id}/"
    form = client.get(version_url).context["adminform"].form
    assert client.post(version_url, _form_values(form)).status_code == 302

    restored = Guide.objects.get(pk=knee_guide.pk)
    assert restored.title == OLD_TITLE
    assert "added by mistake" not in restored.body_html
    assert restored.changed_since_review  # a clinician should look at it again
    page = anonymous.get(knee_guide.get_absolute_url()).content.decode()
    assert f"{OLD_TITLE}</h1>" in page
    assert "added by mistake" not in page


def test_the_front_desk_cannot_restore(client, group_member, knee_guide):
    client.force_login(group_member("Front desk"))
    before = knee_guide.history.earliest("history_date")
    version_url = f"/admin/education/guide/{knee_guide.pk}/history/{before.history_id}/"
    # The front desk does not work on content, so it may not even read a guide's history.
    assert client.get(version_url).status_code == 403
    assert client.post(version_url, {"title": "Changed"}).status_code == 403
    assert Guide.objects.get(pk=knee_guide.pk).changed_since_review is False
