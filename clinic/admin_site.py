"""The staff's admin site: named for the clinic, opening on the Today page, and showing
each person only the sections they work in.

`StaffHome` holds all of that as a mixin; clinic/staff/site.py puts it on the site that
asks for the second factor.

Technical models (task results, outcome tallies, export logs, rate-limit counters,
users and groups) are listed for superusers only, whatever permissions a group holds:
the front desk reads failed emails on the Today page, not in the task table.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

from intake.views import today

TECHNICAL_MODELS = {
    ("auth", "group"),
    ("auth", "user"),
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
    ("intake", "readlogentry"),
    ("otp_static", "staticdevice"),
    ("otp_totp", "totpdevice"),
    ("django_tasks_database", "dbtaskresult"),
    ("intake", "leadexport"),
    ("intake", "outcometally"),
    ("intake", "ratelimitcounter"),
}


class StaffHome:
    """Mixed into an AdminSite: the clinic's name, Today as the home, sections by role."""

    site_header = f"{settings.CLINIC['short_name']}: staff"
    site_title = f"{settings.CLINIC['short_name']} staff"
    index_title = "Today"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list:
        apps = super().get_app_list(request, app_label)
        if request.user.is_superuser:
            return apps
        for app in apps:
            app["models"] = [
                model
                for model in app["models"]
                if (app["app_label"], model["object_name"].lower()) not in TECHNICAL_MODELS
            ]
        return [app for app in apps if app["models"]]

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """Staff who work leads or appointments land on Today; anyone else on the sections."""
        if today.can_see_today(request.user):
            return today.today_view(request)
        return super().index(request, extra_context)

    def get_urls(self) -> list:
        return [
            path(
                "today/clinician/<int:clinician_id>/week/",
                self.admin_view(today.week_view),
                name="today_week",
            ),
            path(
                "today/appointment/<int:appointment_id>/attendance/",
                self.admin_view(today.attendance_view),
                name="today_attendance",
            ),
            *super().get_urls(),
        ]
