import pytest
from django.contrib.auth.models import Group


@pytest.mark.django_db
def test_front_desk_and_clinicians_can_work_leads_after_a_fresh_migrate():
    for name in ("Front desk", "Clinician"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_lead", "change_lead", "add_leadnote"} <= codenames
