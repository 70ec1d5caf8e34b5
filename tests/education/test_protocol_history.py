"""Clinicians restore an earlier version of a protocol: its steps and doses come back too.

Guide tips point at protocol steps (the exercise and dose a tip asks for), so a restore
never removes a step a tip still uses, and a step that comes back can carry its tip again.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from education.history import HISTORY_STARTED
from education.models import Exercise, Protocol, ProtocolExercise, Tip
from tests.education.admin_forms import _form_values, change_form_data
from tests.education.conftest import (
    GUIDE_SLUG,
    PROTOCOL_SLUG,
    add_tip,
    make_step,
    published_starter,
)

OLD_DOSE = "3-4 sets of 10-15 reps, 3-4 times per week"
NEW_DOSE = "2 sets of 10-15 reps, 3-4 times per week"


@pytest.fixture
def wall_sit(knee_protocol) -> ProtocolExercise:
    """A step no guide tip uses, so a clinician may take it out."""
    exercise = published_starter("wall-sit")
    return make_step(knee_protocol, exercise, sets_min=3, hold_seconds=30)


def _prefix(data: dict, step: ProtocolExercise) -> str:
    return next(k for k, v in data.items() if k.endswith("-id") and v == str(step.pk))[:-3]


def edit_steps(client, protocol: Protocol, *, dose=None, remove=(), add=None) -> None:
    """One admin save of the protocol: a new dose for step-down, steps removed, one added."""
    url = f"/admin/education/protocol/{protocol.pk}/change/"
    data = change_form_data(client.get(url))
    data["summary"] = "A summary nobody approved."
    if dose:
        prefix = _prefix(data, protocol.steps.get(exercise__slug="step-down"))
        data[f"{prefix}-sets_min"], data[f"{prefix}-sets_max"] = dose
    for step in remove:
        data[f"{_prefix(data, step)}-DELETE"] = "on"
    if add:
        new = int(data["steps-TOTAL_FORMS"])
        data["steps-TOTAL_FORMS"] = str(new + 1)
        data |= {f"steps-{new}-exercise": str(add.pk), f"steps-{new}-order": "9"}
        data |= {f"steps-{new}-sets_min": "1", f"steps-{new}-reps_min": "5"}
    response = client.post(url, data)
    assert response.status_code == 302, [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms
    ]


def restore(client, protocol: Protocol, version):
    url = f"/admin/education/protocol/{protocol.pk}/history/{version.history_id}/"
    form = client.get(url).context["adminform"].form
    return client.post(url, _form_values(form))


def messages_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_restoring_a_protocol_version_brings_back_its_steps_and_doses(
    clinician, knee_protocol, wall_sit
):
    before = knee_protocol.history.latest("history_date")
    anonymous = Client()
    assert OLD_DOSE in anonymous.get(f"/protocols/{PROTOCOL_SLUG}/").content.decode()
    added = published_starter("calf-raise")
    edit_steps(clinician, knee_protocol, dose=("2", ""), remove=[wall_sit], add=added)
    edited = anonymous.get(f"/protocols/{PROTOCOL_SLUG}/").content.decode()
    assert NEW_DOSE in edited and "Wall sit" not in edited and "Calf raise" in edited

    response = restore(clinician, knee_protocol, before)

    assert response.status_code == 302
    assert "The steps are back as they were in the version saved" in messages_of(response)
    protocol_page = anonymous.get(f"/protocols/{PROTOCOL_SLUG}/").content.decode()
    assert OLD_DOSE in protocol_page and NEW_DOSE not in protocol_page
    assert "Wall sit" in protocol_page and "Calf raise" not in protocol_page
    assert "A summary nobody approved." not in protocol_page
    # The guide's tips show their step's dose: the guide page changed on the same request.
    guide_page = anonymous.get(f"/guides/{GUIDE_SLUG}/").content.decode()
    assert OLD_DOSE in guide_page and NEW_DOSE not in guide_page
    assert ProtocolExercise.objects.filter(pk=wall_sit.pk).exists()  # with its own id
    assert knee_protocol.steps.count() == 4
    assert Protocol.objects.get(pk=knee_protocol.pk).changed_since_review


def test_the_revert_page_lists_the_steps_that_will_come_back(clinician, knee_protocol, wall_sit):
    before = knee_protocol.history.latest("history_date")
    edit_steps(clinician, knee_protocol, dose=("2", ""), remove=[wall_sit])

    page = clinician.get(
        f"/admin/education/protocol/{knee_protocol.pk}/history/{before.history_id}/"
    ).content.decode()

    assert "Steps in this version" in page
    assert f"<strong>Step-down:</strong> {OLD_DOSE}" in page
    assert "<strong>Wall sit:</strong> 3 sets of 30-second holds" in page
    assert NEW_DOSE not in page


def test_a_step_a_guide_tip_uses_stays_and_is_named(clinician, knee_guide, knee_protocol):
    """Removing it would leave the tip without an exercise or dose on the guide's page."""
    before = knee_protocol.history.latest("history_date")
    edit_steps(clinician, knee_protocol, add=published_starter("calf-raise"))
    calf_raise = knee_protocol.steps.get(exercise__slug="calf-raise")
    add_tip(knee_guide, calf_raise, advice="Rise onto your toes.")
    version_url = f"/admin/education/protocol/{knee_protocol.pk}/history/{before.history_id}/"
    note = (
        "The step “Calf raise” stays: the guide “3 ways to Improve Knee Pain with Running” "
        "has the tip “Rise onto your toes.” on it."
    )
    assert note in clinician.get(version_url).content.decode()

    response = restore(clinician, knee_protocol, before)

    assert note in messages_of(response)
    assert ProtocolExercise.objects.filter(pk=calf_raise.pk).exists()
    page = Client().get(f"/guides/{GUIDE_SLUG}/").content.decode()
    assert "Rise onto your toes." in page


def test_a_step_brought_back_lets_its_guide_tip_come_back(clinician, knee_guide, knee_protocol):
    guide_before = knee_guide.history.latest("history_date")
    protocol_before = knee_protocol.history.latest("history_date")
    step_down = knee_protocol.steps.get(exercise__slug="step-down")
    tip = step_down.tips.get()
    # A clinician takes the tip out of the guide, then the step out of the protocol.
    url = f"/admin/education/guide/{knee_guide.pk}/change/"
    data = change_form_data(clinician.get(url))
    tip_id = next(
        k
        for k, v in data.items()
        if k.startswith("tips-") and k.endswith("-id") and v == str(tip.pk)
    )
    data[tip_id.removesuffix("-id") + "-DELETE"] = "on"
    assert clinician.post(url, data).status_code == 302
    edit_steps(clinician, knee_protocol, remove=[step_down])

    assert restore(clinician, knee_protocol, protocol_before).status_code == 302
    guide_url = f"/admin/education/guide/{knee_guide.pk}/history/{guide_before.history_id}/"
    form = clinician.get(guide_url).context["adminform"].form
    response = clinician.post(guide_url, _form_values(form))

    assert "cannot come back" not in messages_of(response)
    assert Tip.objects.get(pk=tip.pk).step_id == step_down.pk
    page = Client().get(f"/guides/{GUIDE_SLUG}/").content.decode()
    assert tip.advice in page and OLD_DOSE in page


def test_a_step_whose_exercise_was_deleted_cannot_come_back(clinician, knee_protocol, wall_sit):
    before = knee_protocol.history.latest("history_date")
    edit_steps(clinician, knee_protocol, dose=("2", ""), remove=[wall_sit])
    Exercise.objects.filter(slug="wall-sit").delete()

    response = restore(clinician, knee_protocol, before)

    assert response.status_code == 302
    assert "The step “Wall sit” cannot come back: that exercise has been deleted." in (
        messages_of(response)
    )
    page = Client().get(f"/protocols/{PROTOCOL_SLUG}/").content.decode()
    assert OLD_DOSE in page  # the other steps are back


def test_a_version_older_than_the_steps_history_leaves_them_as_they_are(clinician, knee_protocol):
    """Protocols were recorded before their steps: for such a version the steps are unknown."""
    before = knee_protocol.history.latest("history_date")
    edit_steps(clinician, knee_protocol, dose=("2", ""))
    ProtocolExercise.history.filter(history_change_reason=HISTORY_STARTED).update(
        history_date=timezone.now() + datetime.timedelta(days=1)
    )

    response = restore(clinician, knee_protocol, before)

    assert "Its steps are unchanged: that version is older than their history." in (
        messages_of(response)
    )
    page = Client().get(f"/protocols/{PROTOCOL_SLUG}/").content.decode()
    assert "A summary nobody approved." not in page  # the protocol's own fields are restored
    assert NEW_DOSE in page  # its steps stay as they are


@pytest.mark.parametrize("model", ["guide", "protocol"])
@pytest.mark.parametrize("path", ["x/history/1/", "1/history/x/", "1/history/99999/"])
def test_a_mistyped_version_address_is_not_found_not_an_error(clinician, db, model, path):
    assert clinician.get(f"/admin/education/{model}/{path}").status_code == 404
