from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClinicConfig(AppConfig):
    default = True
    name = "clinic"
    verbose_name = "Clinic site"

    def ready(self) -> None:
        from clinic import checks  # noqa: F401 - registers the multi-server deploy check


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the clinic's site (second factor, password again before exports)."""

    default = False  # "clinic" in INSTALLED_APPS means ClinicConfig
    default_site = "clinic.admin_site.ClinicAdminSite"
