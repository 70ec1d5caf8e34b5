"""Staff groups ("Clinician", "Front desk", "Owner") and their permissions: this table is the one
definition.

A migration never imports live project code, so each migration that sets the groups
freezes a copy of this table: `python -m clinic.groups NAME` writes that migration,
generated from here. tests/test_groups.py checks that a fresh migrate gives each group
exactly this table, and that the newest frozen copy is this table; change a group here,
then generate a migration.
"""

import pprint
import sys
from pathlib import Path

CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"
OWNER = "Owner"


def _perms(app: str, model: str, *actions: str) -> set[tuple[str, str]]:
    return {(app, f"{action}_{model}") for action in actions}


def _every(app: str, *models: str) -> set[tuple[str, str]]:
    return {
        pair for model in models for pair in _perms(app, model, "add", "change", "delete", "view")
    }


_LEADS = _perms("intake", "lead", "view", "add", "change") | _perms(
    "intake", "leadnote", "view", "add", "change"
)

# Both see the waitlist, its freed times and offers. Clinicians set an entry's priority;
# the front desk also puts callers on it and takes people off it.
_WAITLIST = (
    _perms("intake", "waitlistentry", "view")
    | _perms("intake", "freedtime", "view")
    | _perms("intake", "waitlistoffer", "view")
)

# Clinicians edit what patients read (guides, exercises, protocols, self-checks, forms
# and measures), see the schedule, record how visits went, enter their own time off, read
# before-visit answers, and assign home programmes and read what patients log. The front
# desk works leads (and exports them), runs the schedule (hours, time off, bookings), keeps
# the clinic's details, sees email tasks, and sees that a programme exists and its
# adherence (nothing a patient logs).
GROUP_PERMISSIONS: dict[str, frozenset[tuple[str, str]]] = {
    CLINICIAN: frozenset(
        _every(
            "education",
            "category",
            "exercise",
            "guide",
            "guidepoint",
            "protocol",
            "protocolexercise",
            "tip",
        )
        | _every("intake", "choice", "outcomerule", "question", "questionnaire")
        | _LEADS
        | _perms("intake", "appointment", "view", "change")
        # Correcting how a past visit went (with a reason) is a clinician's call.
        | _perms("intake", "attendancechange", "view", "add")
        | _perms("intake", "appointmenttype", "view")
        | _perms("intake", "clinicdetails", "view")
        | _perms("intake", "clinician", "view")
        | _perms("intake", "consentsignature", "view")
        | _perms("intake", "consenttext", "view", "add", "change")
        | _perms("intake", "measure", "view", "add", "change")
        | _perms("intake", "measureitem", "view", "add", "change", "delete")
        | _perms("intake", "measureresponse", "view")
        | _perms("intake", "openinghours", "view")
        | _perms("intake", "outcometally", "view")
        | _perms("intake", "previsit", "view", "change")
        | {("intake", "view_previsit_answers")}
        | _perms("intake", "programme", "view", "add", "change")
        | _perms("intake", "programmeversion", "view")
        | _perms("intake", "programmesession", "view")
        | _perms("intake", "specialty", "view")
        | _perms("intake", "timeoff", "view", "add", "change")
        # Either may close the clinic for a day (a holiday, snow) or open it again.
        | _every("intake", "clinicclosure")
        | _perms("intake", "weeklyavailability", "view")
        | _WAITLIST
        | _perms("intake", "waitlistentry", "change")
        | {("intake", "view_report")}
    ),
    FRONT_DESK: frozenset(
        _LEADS
        | {("intake", "export_lead"), ("django_tasks_database", "view_dbtaskresult")}
        | _perms("intake", "appointment", "view", "add", "change")
        | _perms("intake", "attendancechange", "view")
        | _perms("intake", "clinicdetails", "view", "change")
        | _perms("intake", "clinician", "view", "change")
        | _every("intake", "clinicclosure", "openinghours", "timeoff", "weeklyavailability")
        | _perms("intake", "previsit", "view")
        | _perms("intake", "programme", "view")
        | _perms("intake", "specialty", "view", "add", "change")
        | _WAITLIST
        | _perms("intake", "waitlistentry", "change", "delete")
    ),
    # Whoever runs the business reads the figures (counts, never who the patients were),
    # the waitlist's fill rate beside them, and the hours and time off the figures are
    # measured against. Someone who also treats or books is in that group too.
    OWNER: frozenset(
        {("intake", "view_report")}
        | _perms("intake", "freedtime", "view")
        | _perms("intake", "clinician", "view")
        | _perms("intake", "weeklyavailability", "view")
        | _perms("intake", "timeoff", "view")
    ),
}


MIGRATION = """from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen from clinic/groups.py by `python -m clinic.groups`: a migration must keep
# working whatever later happens to live project code. Each group gets exactly these.
GROUP_PERMISSIONS = {table}


def set_group_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in wanted
            ]
        )


class Migration(migrations.Migration):
    dependencies = {dependencies}

    operations = [migrations.RunPython(set_group_permissions, migrations.RunPython.noop)]
"""


def frozen_table() -> dict[str, list[tuple[str, str]]]:
    """The table as plain sorted lists, as a migration freezes it."""
    return {group: sorted(wanted) for group, wanted in sorted(GROUP_PERMISSIONS.items())}


def migration_source(dependencies: list[tuple[str, str]]) -> str:
    return MIGRATION.format(
        table=pprint.pformat(frozen_table(), width=90, sort_dicts=False),
        dependencies=pprint.pformat(dependencies, width=90),
    )


def _latest(app: str) -> tuple[str, str]:
    folder = Path(__file__).resolve().parent.parent / app / "migrations"
    return app, max(path.stem for path in folder.glob("0*.py"))


if __name__ == "__main__":
    # python -m clinic.groups NAME: intake/migrations/<next>_NAME.py, after the newest of
    # each app's migrations, so every permission named exists by then.
    intake_app, newest = _latest("intake")
    number = int(newest[:4]) + 1
    target = Path(__file__).resolve().parent.parent / "intake" / "migrations"
    path = target / f"{number:04d}_{sys.argv[1]}.py"
    dependencies = [
        (intake_app, newest),
        _latest("education"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]
    path.write_text(migration_source(dependencies))
    print(path)
