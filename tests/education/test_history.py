"""Clinicians restore an earlier version of a guide from its history; patients see it at once."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from education.history import CATEGORIES_STARTED
from education.models import Category, Guide, GuidePoint, PointKind, Tip
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


OLD_TIP = "Increase your forward trunk lean"
OLD_SIGN = "Pain with stairs, especially going down"


def _key(data: dict, prefix: str, value: str) -> str:
    """The form field of an inline row, found by what it holds now."""
    return next(k for k, v in data.items() if k.startswith(prefix) and v.startswith(value))


def edit_the_parts(client, guide: Guide) -> dict:
    """One admin save: a new title, a tip and a sign reworded, a takeaway deleted, a sign added."""
    url = f"/admin/education/guide/{guide.pk}/change/"
    data = change_form_data(client.get(url))
    data["title"] = "A title nobody approved"
    data[_key(data, "tips-", OLD_TIP)] = "Run with your chest up high."
    data[_key(data, "points", OLD_SIGN)] = "Pain everywhere, always."
    takeaway = guide.points.filter(kind=PointKind.TAKEAWAY).first()
    delete = _key(data, "points", str(takeaway.pk)).removesuffix("-id") + "-DELETE"
    data[delete] = "on"
    signs_prefix = _key(data, "points", "Pain everywhere").rsplit("-", 2)[0]  # points-0-text
    total = f"{signs_prefix}-TOTAL_FORMS"
    new = int(data[total])
    data[total] = str(new + 1)
    data[f"{signs_prefix}-{new}-order"] = "9"
    data[f"{signs_prefix}-{new}-text"] = "A sign nobody checked."
    assert client.post(url, data).status_code == 302
    return {"takeaway": takeaway.text}


def restore(client, guide: Guide, version):
    url = f"/admin/education/guide/{guide.pk}/history/{version.history_id}/"
    form = client.get(url).context["adminform"].form
    return client.post(url, _form_values(form))


def test_restoring_a_version_brings_back_its_signs_takeaways_and_tips(
    client, group_member, knee_guide
):
    client.force_login(group_member("Clinician"))
    before = knee_guide.history.latest("history_date")
    takeaway = edit_the_parts(client, knee_guide)["takeaway"]
    edited = Client().get(knee_guide.get_absolute_url()).content.decode()
    assert "Run with your chest up high." in edited and OLD_TIP not in edited

    response = restore(client, knee_guide, before)

    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("takeaways and tips are back as they were" in message for message in shown)
    for visitor in (Client(), Client(HTTP_COOKIE="messages=stale")):  # copy and kept parts
        page = visitor.get(knee_guide.get_absolute_url()).content.decode()
        assert f"{OLD_TITLE}</h1>" in page
        assert OLD_TIP in page and "chest up high" not in page
        assert OLD_SIGN in page and "Pain everywhere" not in page
        assert takeaway in page
        assert "A sign nobody checked." not in page
    signs = list(knee_guide.points.filter(kind=PointKind.SIGN).values_list("order", flat=True))
    assert signs == list(range(1, len(signs) + 1))  # numbered 1, 2, 3 with no repeats


def test_the_revert_page_shows_the_tips_and_signs_that_will_come_back(
    client, group_member, knee_guide
):
    client.force_login(group_member("Clinician"))
    before = knee_guide.history.latest("history_date")
    edit_the_parts(client, knee_guide)
    page = client.get(
        f"/admin/education/guide/{knee_guide.pk}/history/{before.history_id}/"
    ).content.decode()
    assert "Signs, reassurances, takeaways and tips in this version" in page
    assert OLD_TIP in page and OLD_SIGN in page
    assert "chest up high" not in page and "A sign nobody checked." not in page


def test_a_tip_whose_exercise_left_the_protocol_is_named_instead_of_restored(
    client, group_member, knee_guide
):
    client.force_login(group_member("Clinician"))
    before = knee_guide.history.latest("history_date")
    tip = knee_guide.tips.get(advice__startswith=OLD_TIP)
    step = tip.step
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(client.get(url))
    data[_key(data, "tips-", str(tip.pk)).removesuffix("-id") + "-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    step.tips.all().delete()  # other guides' tips on it, so the step can go
    step.delete()

    response = restore(client, knee_guide, before)

    assert response.status_code == 302
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert f"The tip “{tip.advice}” cannot come back" in shown
    assert not Tip.objects.filter(advice=tip.advice).exists()
    assert knee_guide.tips.exists()  # the others are back


def test_a_version_older_than_the_parts_history_leaves_them_as_they_are(
    client, group_member, knee_guide
):
    """Guides were recorded before their parts: for such a version the parts are unknown."""
    client.force_login(group_member("Clinician"))
    before = knee_guide.history.latest("history_date")
    edit_the_parts(client, knee_guide)
    later = timezone.now() + datetime.timedelta(days=1)
    for model in (GuidePoint, Tip):  # as if the parts' history had begun after that version
        model.history.filter(history_change_reason="Before history was kept").update(
            history_date=later
        )

    response = restore(client, knee_guide, before)

    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "older than their history" in shown
    page = Client().get(knee_guide.get_absolute_url()).content.decode()
    assert f"{OLD_TITLE}</h1>" in page  # the guide's own fields are restored
    assert "Run with your chest up high." in page  # its parts stay as they are


@pytest.fixture
def ankle(db) -> Category:
    return Category.objects.create(name="Ankle", slug="ankle", kind="body_area")


def change_categories(client, guide: Guide, categories: list[Category]) -> None:
    url = f"/admin/education/guide/{guide.pk}/change/"
    data = change_form_data(client.get(url))
    data["categories"] = [str(category.pk) for category in categories]
    assert client.post(url, data).status_code == 302


def listed_under(visitor: Client, slug: str) -> bool:
    return OLD_TITLE in visitor.get("/guides/", {"category": slug}).content.decode()


def test_restoring_a_version_brings_back_its_categories(client, group_member, knee_guide, ankle):
    client.force_login(group_member("Clinician"))
    before = knee_guide.history.latest("history_date")
    running = Category.objects.get(slug="running")
    anonymous = Client()
    assert listed_under(anonymous, "knee") and not listed_under(anonymous, "ankle")
    versions = knee_guide.history.count()
    change_categories(client, knee_guide, [running, ankle])
    assert listed_under(anonymous, "ankle") and not listed_under(anonymous, "knee")
    # One version per save (simple-history alone adds one per change of the categories).
    assert knee_guide.history.count() == versions + 1

    response = restore(client, knee_guide, before)

    assert response.status_code == 302
    assert set(knee_guide.categories.values_list("slug", flat=True)) == {"knee", "running"}
    # The next anonymous request gets the list as restored, not a kept copy.
    assert listed_under(anonymous, "knee") and not listed_under(anonymous, "ankle")


def test_the_revert_page_offers_the_versions_categories(client, group_member, knee_guide, ankle):
    client.force_login(group_member("Clinician"))
    before = knee_guide.history.latest("history_date")
    change_categories(client, knee_guide, [ankle])

    response = client.get(f"/admin/education/guide/{knee_guide.pk}/history/{before.history_id}/")

    chosen = response.context["adminform"].form["categories"].value()
    assert {Category.objects.get(pk=pk).slug for pk in chosen} == {"knee", "running"}
    page = response.content.decode()
    assert "Categories in this version" in page
    assert "<li>Knee</li>" in page and "<li>Ankle</li>" not in page


def test_a_version_older_than_the_categories_history_keeps_todays_categories(
    client, group_member, knee_guide, ankle
):
    client.force_login(group_member("Clinician"))
    first = knee_guide.history.earliest("history_date")
    change_categories(client, knee_guide, [ankle])
    # As if the categories' history had begun after that edit.
    knee_guide.history.filter(history_change_reason=CATEGORIES_STARTED).update(
        history_date=timezone.now() + datetime.timedelta(days=1)
    )
    version_url = f"/admin/education/guide/{knee_guide.pk}/history/{first.history_id}/"
    assert "older than the history of its categories" in client.get(version_url).content.decode()

    response = restore(client, knee_guide, first)

    assert response.status_code == 302
    shown = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "Its categories are the ones chosen under Topics" in shown
    assert list(knee_guide.categories.all()) == [ankle]
