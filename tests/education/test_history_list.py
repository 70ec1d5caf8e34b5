"""A guide's or protocol's History list says what each version changed in its parts too."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from education.models import Category, Guide, PointKind, Protocol, ProtocolExercise
from tests.education.admin_forms import _form_values, change_form_data
from tests.education.conftest import make_exercise

OLD_TIP = "Increase your forward trunk lean when you run."
OLD_SIGN = "Pain with stairs, especially going down"


def history_rows(client, obj: Guide | Protocol) -> list[str]:
    """Each version's row of the History list as a reader sees it, newest first."""
    page = client.get(f"/admin/education/{obj._meta.model_name}/{obj.pk}/history/")
    body = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(html.unescape(strip_tags(row)).split()) for row in rows]


def save(client, obj: Guide | Protocol, change) -> None:
    """One admin save of the change form, with `change` applied to the values it posts."""
    url = f"/admin/education/{obj._meta.model_name}/{obj.pk}/change/"
    data = change_form_data(client.get(url))
    change(data)
    assert client.post(url, data).status_code == 302


def key(data: dict, prefix: str, value: str) -> str:
    """The field of an inline row, found by what it holds now."""
    return next(k for k, v in data.items() if k.startswith(prefix) and v.startswith(value))


def row_of(data: dict, prefix: str, row) -> str:
    """The inline form of a row ("steps-1"), found by its id."""
    return next(
        k
        for k, v in data.items()
        if k.startswith(prefix) and k.endswith("-id") and v == str(row.pk)
    )[:-3]


def test_a_guide_version_lists_its_changed_tips_signs_takeaways_and_categories(
    clinician, knee_guide
):
    takeaway = knee_guide.points.filter(kind=PointKind.TAKEAWAY).first()
    ankle = Category.objects.create(name="Ankle", slug="ankle", kind="body_area")
    running = Category.objects.get(slug="running")

    def edit(data):
        data["title"] = "Knee pain and running"
        data[key(data, "tips-", OLD_TIP)] = "Run with your chest up high."
        data[key(data, "points", OLD_SIGN)] = "Pain on stairs."
        data[row_of(data, "points", takeaway) + "-DELETE"] = "on"
        signs = key(data, "points", "Pain on stairs.").rsplit("-", 2)[0]
        new = int(data[f"{signs}-TOTAL_FORMS"])
        data[f"{signs}-TOTAL_FORMS"] = str(new + 1)
        data[f"{signs}-{new}-order"], data[f"{signs}-{new}-text"] = "9", "Swelling after runs."
        data["categories"] = [str(running.pk), str(ankle.pk)]

    save(clinician, knee_guide, edit)

    latest, earlier = history_rows(clinician, knee_guide)[:2]
    assert "Title: 3 ways to Improve Knee Pain with Running → Knee pain and running" in latest
    assert f"Tip changed: {OLD_TIP} → Run with your chest up high." in latest
    assert f"Sign changed: {OLD_SIGN} → Pain on stairs." in latest
    assert "Sign added: Swelling after runs." in latest
    assert f"Key takeaway removed: {takeaway.text}" in latest
    assert "Categories: added Ankle; removed Knee" in latest
    assert "changed" not in earlier and "added" not in earlier  # only the save's own row


def test_reordering_signs_is_said_once_not_per_sign(clinician, knee_guide):
    signs = list(knee_guide.points.filter(kind=PointKind.SIGN))

    def reverse(data):
        for position, sign in enumerate(reversed(signs), start=1):
            data[row_of(data, "points", sign) + "-order"] = str(position)

    save(clinician, knee_guide, reverse)

    latest = history_rows(clinician, knee_guide)[0]
    assert "Signs reordered" in latest
    assert "Sign changed" not in latest


def test_a_protocol_version_lists_its_removed_and_changed_steps(clinician, knee_protocol):
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    step_down.tips.all().delete()  # a step a tip uses cannot be taken out
    abduction = knee_protocol.steps.get(exercise__slug="single-leg-banded-hip-abduction")

    def edit(data):
        data[row_of(data, "steps-", step_down) + "-DELETE"] = "on"
        data[row_of(data, "steps-", abduction) + "-sets_min"] = "3"

    save(clinician, knee_protocol, edit)

    latest = history_rows(clinician, knee_protocol)[0]
    assert "Step removed: Step-down" in latest
    assert (
        "Step changed: Single-leg banded hip abduction: 4 sets to fatigue, 3-4 times per week "
        "→ 3 sets to fatigue, 3-4 times per week"
    ) in latest


def test_a_restore_is_listed_with_the_steps_it_brought_back(clinician, knee_protocol):
    before = knee_protocol.history.latest("history_date")
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    step_down.tips.all().delete()
    save(
        clinician,
        knee_protocol,
        lambda data: data.update({row_of(data, "steps-", step_down) + "-DELETE": "on"}),
    )
    url = f"/admin/education/protocol/{knee_protocol.pk}/history/{before.history_id}/"
    form = clinician.get(url).context["adminform"].form
    assert clinician.post(url, _form_values(form)).status_code == 302

    latest = history_rows(clinician, knee_protocol)[0]
    assert "Step added: Step-down" in latest
    assert "Restored with the protocol" not in latest  # the steps' reason, not the version's


def history_queries(client, obj: Guide | Protocol) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/admin/education/{obj._meta.model_name}/{obj.pk}/history/")
    return len(queries)


@pytest.mark.parametrize("model", [Guide, Protocol])
def test_the_history_list_costs_the_same_queries_however_many_versions(clinician, db, model):
    obj = model.objects.get()
    versions = len(history_rows(clinician, obj))
    few = history_queries(clinician, obj)
    for n in range(4):
        if model is Guide:

            def edit(data, n=n):
                data[key(data, "tips-", OLD_TIP[:20])] = f"{OLD_TIP} ({n})"
                data["title"] = f"Knee pain, take {n}"

        else:
            ProtocolExercise.objects.create(
                protocol=obj, exercise=make_exercise(), sets_min=n + 1, reps_min=5
            )

            def edit(data, n=n):
                data["summary"] = f"Take {n}."

        save(clinician, obj, edit)

    assert len(history_rows(clinician, obj)) == versions + 4
    assert history_queries(clinician, obj) == few
