"""Staff groups ("Clinician", "Front desk") and their permissions, granted from data migrations.

Each app's data migration calls `grant` for its own models, so a group's
permissions grow with the apps instead of living in one list that must know them all.
"""

from django.contrib.auth.management import create_permissions

CLINICIAN = "Clinician"
FRONT_DESK = "Front desk"


def grant(apps, grants: dict[str, list[tuple[str, str]]]) -> None:
    """Give each named group the (app_label, codename) permissions, creating what is missing.

    Permissions are normally created after migrate finishes; creating them here
    lets a fresh database get its groups in the same migrate run.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, wanted in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
