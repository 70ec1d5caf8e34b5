"""The staff's admin site: no admin page without the second factor, named for the clinic,
opening on the Today page, and showing each person only the sections they work in.

Signing in is two steps. The password step is Django's own login (django-axes counts
its failures); once it passes, staff go to the code step, or set up their authenticator
app if they have none yet. `has_permission` asks for both, so every admin page, including
those added with get_urls, is closed until the code step passes.

Technical models (task results, outcome tallies, export logs, rate-limit counters,
users and groups) are listed for superusers only, whatever permissions a group holds:
the front desk reads failed emails on the Today page, not in the task table.
"""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from clinic.staff import sessions, views
from clinic.staff.forms import PasswordAgainForm
from intake.views import calendar, report, today

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


class ClinicAdminSite(admin.AdminSite):
    """Named for the clinic, opening on Today, sections by role, behind the second factor."""

    site_header = f"{settings.CLINIC['short_name']}: staff"
    site_title = f"{settings.CLINIC['short_name']} staff"
    index_title = "Today"

    def has_permission(self, request: HttpRequest) -> bool:
        # OTPMiddleware gives every request.user its is_verified().
        return super().has_permission(request) and request.user.is_verified()  # type: ignore[union-attr]

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if _needs_second_factor(request):
            return redirect(views.with_next("admin:second_factor", request))
        response = super().login(request, extra_context)
        if request.method == "POST" and request.user.is_authenticated:
            sessions.password_typed(request)
            if request.user.is_staff and response.status_code == 302:
                return redirect(
                    views.with_next("admin:second_factor", request, response["Location"])
                )
        return response

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

    def index(self, request: HttpRequest, extra_context: dict | None = None) -> TemplateResponse:
        """Staff who work leads or appointments land on Today; anyone else on the sections."""
        if today.can_see_today(request.user):
            return today.today_view(request)
        return super().index(request, extra_context)

    def get_urls(self) -> list:
        return [
            # Django's own logout URL passes through has_permission, which would keep
            # someone between the two steps from signing out; the view itself is safe
            # for anyone.
            path("logout/", self.logout, name="logout"),
            path("second-factor/", views.second_factor, name="second_factor"),
            path("second-factor/set-up/", views.enrol, name="second_factor_enrol"),
            path(
                "second-factor/recovery-codes/",
                self.admin_view(views.recovery_codes),
                name="recovery_codes",
            ),
            path(
                "today/clinician/<int:clinician_id>/week/",
                self.admin_view(calendar.old_week_view),
                name="today_week",
            ),
            path(
                "today/appointment/<int:appointment_id>/attendance/",
                self.admin_view(today.attendance_view),
                name="today_attendance",
            ),
            path("figures/", self.admin_view(report.report_view), name="report"),
            path("figures.csv", self.admin_view(report.report_csv), name="report_csv"),
            *super().get_urls(),
        ]

    def confirm_password(self, request: HttpRequest, *, title: str) -> HttpResponse | None:
        """None if the password was typed recently enough (or just now); else the page asking.

        For admin actions: the page posts every field of the action back, with the
        password, so the same action runs again once it is right.
        """
        if sessions.password_is_recent(request):
            return None
        form = PasswordAgainForm(
            request.POST if "password" in request.POST else None, request=request
        )
        if form.is_valid():
            sessions.password_typed(request)
            return None
        carried = [
            (name, value)
            for name in request.POST
            if name not in {"password", "csrfmiddlewaretoken"}
            for value in request.POST.getlist(name)
        ]
        context = {
            **self.each_context(request),
            "title": title,
            "form": form,
            "carried": carried,
            "minutes": settings.STAFF_REAUTH_MINUTES,
        }
        return TemplateResponse(request, "admin/staff/password_again.html", context)


def _needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    verified = user.is_verified()  # type: ignore[union-attr]  # added by OTPMiddleware
    return user.is_authenticated and user.is_active and user.is_staff and not verified
