"""The weekly figures page and its CSV: clinic/admin_site.py routes to these.

Read-only: they parse the range, ask intake.report, and render.
"""

import csv

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from intake import report as figures
from intake.clinic_details import first_working_weekday
from intake.forms.report import ReportRangeForm
from intake.spreadsheets import safe_cell


def can_see_report(user) -> bool:
    return user.has_perm("intake.view_report")


@require_GET
def report_view(request: HttpRequest) -> TemplateResponse:
    form, report = _form_and_report(request)
    context = {
        **admin.site.each_context(request),
        "title": "Figures: visits, cancellations and how full the hours were",
        "form": form,
        "report": report,
        "csv_query": request.GET.urlencode(),
        "sees_waitlist": request.user.has_perm("intake.view_freedtime"),
        "default_weeks": figures.DEFAULT_WEEKS,
        "late_cancel_hours": settings.BOOKING_LATE_CANCEL_HOURS,
        "national": {
            "rate": figures.NATIONAL_NO_SHOW_RATE,
            "source": figures.NATIONAL_NO_SHOW_SOURCE,
            "url": figures.NATIONAL_NO_SHOW_URL,
        },
    }
    return TemplateResponse(request, "admin/report/report.html", context)


@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    """The week-by-week table as a spreadsheet; an unusable range shows the page's message."""
    form, report = _form_and_report(request)
    if report is None:
        return report_view(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"figures-{report.first_day:%Y-%m-%d}-to-{report.last_day:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(figures.CSV_HEADER)
    writer.writerows([safe_cell(cell) for cell in row] for row in figures.csv_rows(report))
    return response


def _form_and_report(request: HttpRequest) -> tuple[ReportRangeForm, figures.Report | None]:
    if not can_see_report(request.user):
        raise PermissionDenied
    first_weekday = first_working_weekday()
    first_day, last_day = figures.default_range(timezone.localdate(), first_weekday)
    if "first_day" in request.GET or "last_day" in request.GET:
        form = ReportRangeForm(request.GET)
        if not form.is_valid():
            return form, None
        first_day, last_day = figures.whole_weeks(
            form.cleaned_data["first_day"], form.cleaned_data["last_day"], first_weekday
        )
    form = ReportRangeForm(initial={"first_day": first_day, "last_day": last_day})
    return form, figures.weekly_report(first_day=first_day, last_day=last_day)
