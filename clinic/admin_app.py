from django.contrib.admin.apps import AdminConfig


class ClinicAdminConfig(AdminConfig):
    """Django's admin with the clinic's own site (clinic/admin_site.py) as `admin.site`.

    In a module of its own: INSTALLED_APPS imports it before any model can load, and
    the site itself needs intake's views.
    """

    default_site = "clinic.admin_site.ClinicAdminSite"
