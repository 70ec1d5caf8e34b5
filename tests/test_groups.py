"""The staff groups get exactly the permissions clinic/groups.py defines, on a fresh
migrate, and the newest migration's frozen copy of that table is the table itself."""

import importlib
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from clinic.groups import CLINICIAN, FRONT_DESK, GROUP_PERMISSIONS, frozen_table

MIGRATIONS = Path(__file__).resolve().parent.parent / "intake" / "migrations"


@pytest.mark.django_db
def test_a_fresh_migrate_gives_each_group_exactly_the_permissions_defined_in_one_place():
    granted = {
        group.name: frozenset(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.prefetch_related("permissions")
    }
    assert granted == GROUP_PERMISSIONS


@pytest.mark.django_db
def test_front_desk_and_clinicians_can_work_leads_after_a_fresh_migrate():
    for name in (CLINICIAN, FRONT_DESK):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_lead", "change_lead", "add_leadnote"} <= codenames
    assert ("intake", "export_lead") in GROUP_PERMISSIONS[FRONT_DESK]


def test_the_newest_frozen_copy_is_the_table_in_clinic_groups():
    """A change to the table needs a new migration: `python -m clinic.groups NAME`."""
    newest = max(
        path.stem
        for path in MIGRATIONS.glob("0*.py")
        if "set_group_permissions" in path.read_text()
    )
    frozen = importlib.import_module(f"intake.migrations.{newest}").GROUP_PERMISSIONS
    assert {group: sorted(map(tuple, wanted)) for group, wanted in frozen.items()} == frozen_table()
