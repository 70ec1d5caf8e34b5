"""The team page: who patients may see at the clinic."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from intake.models import Clinician
from intake.structured_data import team_page


@require_safe
def team(request: HttpRequest) -> HttpResponse:
    clinicians = list(Clinician.objects.on_team_page())
    context = {"clinicians": clinicians, "structured_data": team_page(clinicians)}
    return render(request, "intake/team/clinician_list.html", context)
