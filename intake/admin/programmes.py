"""Home programmes in the admin: the clinician's editor (assign from an appointment or a
lead, start from a protocol or from scratch, library search, a dose and a note per
exercise), the programme's page (versions, adherence, ratings chart, flags, the step-up
suggestion) and the section on appointment and lead pages.

Every change goes through intake.programmes. The editor keeps its rows in the form itself
until Save: adding from the library or searching re-renders the page with everything
typed so far, so it works without JavaScript and nothing half-made is ever saved. Pain,
effort, notes and doses are health data: shown to staff who may read the intake answers
(clinicians), each showing written to the read log; the front desk sees that a programme
exists and its adherence.
"""

from typing import cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from education.models import Exercise, Protocol
from intake import programmes as flow
from intake.admin.staff_request import StaffRequest
from intake.forms.programmes import DoseForm, DoseFormSet, ProgrammeNoteForm, dose_initial
from intake.models import Appointment, Lead, Programme, ProgrammeExercise
from intake.models.previsit import can_read_answers
from intake.models.programmes import ProgrammeQuerySet

ROWS = "rows"
ROW_FIELDS = ("exercise", "sets", "reps", "hold_seconds", "per_side", "times", "per", "note")
MAX_ROWS = 30


def _is_id(text: str) -> bool:
    """ASCII digits only: "²" and "١" pass str.isdigit() but are no row's id."""
    return text.isascii() and text.isdigit()


def can_edit_programmes(user) -> bool:
    return user.has_perm("intake.change_programme") and can_read_answers(user)


def _raw_rows(data: QueryDict) -> list[dict[str, object]]:
    """The rows as typed, to show again after a search or an addition."""
    try:
        total = min(int(data.get(f"{ROWS}-TOTAL_FORMS", "0")), MAX_ROWS)
    except ValueError:
        total = 0
    rows = []
    for index in range(max(total, 0)):
        row: dict[str, object] = {
            name: data.get(f"{ROWS}-{index}-{name}", "") for name in ROW_FIELDS
        }
        row["DELETE"] = bool(data.get(f"{ROWS}-{index}-DELETE"))
        rows.append(row)
    return rows


def _new_row(exercise: Exercise) -> dict[str, object]:
    """A library exercise added by hand: 3 sets of 10 once a day, to change as needed."""
    return {"exercise": exercise.pk, "sets": 3, "reps": 10, "times": 1, "per": "day"}


class Patient:
    """Whose programme: from the appointment or the lead it was opened from."""

    def __init__(self, *, appointment: Appointment | None, lead: Lead | None) -> None:
        self.appointment, self.lead = appointment, lead
        if appointment is not None:
            self.patient_name, self.email = appointment.patient_name, appointment.patient_email
            self.back_url = reverse("admin:intake_appointment_change", args=[appointment.pk])
            self.query = f"appointment={appointment.pk}"
        elif lead is not None:
            self.patient_name, self.email = lead.name, lead.email
            self.back_url = reverse("admin:intake_lead_change", args=[lead.pk])
            self.query = f"lead={lead.pk}"
        else:
            raise ValueError("A programme's patient comes from an appointment or a lead.")

    def programmes(self) -> ProgrammeQuerySet:
        if self.appointment is not None:
            return Programme.objects.of_appointment(self.appointment)
        assert self.lead is not None  # __init__ refuses neither
        return Programme.objects.of_lead(self.lead)


def _patient(request: StaffRequest) -> Patient:
    appointment_id, lead_id = request.GET.get("appointment", ""), request.GET.get("lead", "")
    if _is_id(appointment_id):
        appointment = get_object_or_404(
            Appointment.objects.select_related("lead"), pk=appointment_id
        )
        return Patient(appointment=appointment, lead=None)
    if _is_id(lead_id):
        return Patient(appointment=None, lead=get_object_or_404(Lead, pk=lead_id))
    raise PermissionDenied("Open the programme from an appointment or a lead.")


def _patient_of(request: StaffRequest, programme: Programme) -> Patient | None:
    """The page the editor was opened from, else the programme's own visit or lead."""
    if _is_id(request.GET.get("appointment", "")) or _is_id(request.GET.get("lead", "")):
        return _patient(request)
    if programme.appointment_id:
        return Patient(appointment=programme.appointment, lead=None)
    if programme.lead_id:
        return Patient(appointment=None, lead=programme.lead)
    return None


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("patient_name", "status", "started_on", "ended_on")
    list_filter = ("status",)
    search_fields = ("patient_name", "patient_email")
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Programmes are assigned from an appointment or a lead (assign_view).
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Ended, never deleted: the versions are the record of what the patient was given.
        # purge_leads removes them with the lead.
        return False

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("assign/", wrap(self.assign_view), name="intake_programme_assign"),
            path("<int:programme_id>/edit/", wrap(self.edit_view), name="intake_programme_edit"),
            path("<int:programme_id>/end/", wrap(self.end_view), name="intake_programme_end"),
            path("<int:programme_id>/seen/", wrap(self.seen_view), name="intake_programme_seen"),
            path(
                "<int:programme_id>/step-up/<int:row_id>/",
                wrap(self.step_up_view),
                name="intake_programme_step_up",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url="", extra_context=None):
        """The programme's own page: the section the appointment and lead pages show."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        programme = get_object_or_404(Programme, pk=object_id if _is_id(object_id) else None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(programme),
            "original": programme,
            # The admin lets in only signed-in staff (intake/admin/staff_request.py).
            **programme_section_context(
                cast(StaffRequest, request), Programme.objects.filter(pk=programme.pk)
            ),
        }
        return TemplateResponse(request, "admin/intake/programme/detail.html", context)

    # The editor.

    def assign_view(self, request: StaffRequest) -> HttpResponse:
        """A new programme for the patient of ?appointment= or ?lead= (their active one,
        if any, opens in the editor instead)."""
        user = request.user
        if not (user.has_perm("intake.add_programme") and can_edit_programmes(user)):
            raise PermissionDenied
        patient = _patient(request)
        if not patient.email:
            messages.error(request, "Add the patient's email first: the link goes by email.")
            return redirect(patient.back_url)
        current = patient.programmes().active().first()
        if current is not None:
            return redirect(
                reverse("admin:intake_programme_edit", args=[current.pk]) + f"?{patient.query}"
            )
        protocol = None
        if _is_id(request.GET.get("protocol", "")):
            protocol = Protocol.objects.published().filter(pk=request.GET["protocol"]).first()
        rows = (
            [dose_initial(dose) for dose in flow.doses_from_protocol(protocol)] if protocol else []
        )

        def write(doses, note, email_patient) -> str:
            flow.assign_programme(
                patient_name=patient.patient_name,
                patient_email=patient.email,
                doses=doses,
                note=note,
                by=request.user,
                now=timezone.now(),
                appointment=patient.appointment,
                lead=patient.lead,
            )
            return f"Programme sent: {patient.patient_name} is being emailed the link."

        return self._editor(
            request,
            patient=patient,
            programme=None,
            rows=rows,
            note="",
            write=write,
            protocols=Protocol.objects.published().order_by("title") if not rows else None,
            protocol=protocol,
        )

    def edit_view(self, request: StaffRequest, programme_id: int) -> HttpResponse:
        if not can_edit_programmes(request.user):
            raise PermissionDenied
        programme = get_object_or_404(Programme.objects.active(), pk=programme_id)
        patient = _patient_of(request, programme)
        rows = [
            dose_initial(flow.Dose.of(row))
            for row in programme.exercises.select_related("exercise")
        ]

        def write(doses, note, email_patient) -> str:
            version = flow.revise_programme(
                programme=programme,
                doses=doses,
                note=note,
                by=request.user,
                now=timezone.now(),
                email_patient=email_patient,
            )
            if version is None:
                return "Nothing changed: no new version."
            told = " The patient is being emailed that it changed." if email_patient else ""
            return f"Saved as version {version.number}.{told}"

        return self._editor(
            request,
            patient=patient,
            programme=programme,
            rows=rows,
            note=programme.note,
            write=write,
        )

    def _editor(
        self, request, *, patient, programme, rows, note, write, protocols=None, protocol=None
    ) -> HttpResponse:
        results = None
        if request.method == "POST":
            formset = DoseFormSet(request.POST, prefix=ROWS)
            note_form = ProgrammeNoteForm(request.POST)
            action = request.POST.get("action", "")
            added = request.POST.get("add", "")
            if action == "save" and formset.is_valid() and note_form.is_valid():
                try:
                    text = write(
                        formset.doses(),
                        note_form.cleaned_data["note"],
                        note_form.cleaned_data["email_patient"],
                    )
                except flow.DraftExercise as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, text)
                    back = (
                        patient.back_url
                        if patient
                        else reverse("admin:intake_programme_change", args=[programme.pk])
                    )
                    return redirect(back)
            elif action != "save":
                rows = _raw_rows(request.POST)
                present = {str(row["exercise"]) for row in rows}
                if _is_id(added) and added not in present and len(rows) < MAX_ROWS:
                    exercise = Exercise.objects.published().filter(pk=added).first()
                    if exercise is not None:
                        rows.append(_new_row(exercise))
                formset = DoseFormSet(initial=rows, prefix=ROWS)
                note_form = ProgrammeNoteForm(
                    initial={
                        "note": request.POST.get("note", ""),
                        "email_patient": bool(request.POST.get("email_patient")),
                    }
                )
                query = request.POST.get("q", "").strip()[:100]
                if action == "search":
                    results = Exercise.objects.published()
                    for word in query.split():
                        results = results.filter(name__icontains=word)
                    results = results.exclude(pk__in=[int(p) for p in present if _is_id(p)])
                    results = results.only("pk", "name", "summary")[:25]
        else:
            formset = DoseFormSet(initial=rows, prefix=ROWS)
            note_form = ProgrammeNoteForm(initial={"note": note, "email_patient": True})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Exercise programme for {(patient or programme).patient_name}",
            "patient": patient,
            "programme": programme,
            "formset": formset,
            "note_form": note_form,
            "names": self._names(formset),
            "results": results,
            "query": request.POST.get("q", "") if request.method == "POST" else "",
            "protocols": protocols,
            "protocol": protocol,
            "warn_over": flow.WARN_OVER_EXERCISES,
        }
        context["kept"] = sum(1 for form in formset.forms if not self._left_out(form))
        return TemplateResponse(request, "admin/intake/programme/programme_form.html", context)

    @staticmethod
    def _left_out(form) -> bool:
        value = form["DELETE"].value()
        return value not in (None, False, "", "False", "false", "0")

    @staticmethod
    def _names(formset) -> dict[str, Exercise]:
        """The library's exercises the rows name, for their headings (one query)."""
        values = {str(form["exercise"].value()) for form in formset.forms}
        ids = [int(value) for value in values if _is_id(value)]
        exercises = Exercise.objects.filter(pk__in=ids).only("pk", "name", "status")
        return {str(exercise.pk): exercise for exercise in exercises}

    # One-click writes from the programme's section.

    def end_view(self, request: StaffRequest, programme_id: int) -> HttpResponse:
        programme = self._for_post(request, programme_id)
        if flow.end_programme(programme=programme, by=request.user, now=timezone.now()):
            messages.success(request, f"Ended. {programme.patient_name} is being emailed.")
        else:
            messages.warning(request, "It had already ended.")
        return redirect(_back(request, programme))

    def seen_view(self, request: StaffRequest, programme_id: int) -> HttpResponse:
        programme = self._for_post(request, programme_id)
        flow.mark_flags_seen(programme=programme, now=timezone.now())
        messages.success(request, f"{programme.patient_name}: flags marked seen.")
        return redirect(_back(request, programme))

    def step_up_view(self, request: StaffRequest, programme_id: int, row_id: int) -> HttpResponse:
        """Approve a step up for one exercise, with the dose the clinician left in the form."""
        programme = self._for_post(request, programme_id)
        row = get_object_or_404(
            ProgrammeExercise.objects.select_related("exercise"), pk=row_id, programme=programme
        )
        form = DoseForm(request.POST, prefix="step")
        if not form.is_valid() or form.cleaned_data["exercise"] != row.exercise:
            messages.error(request, "That dose is not valid: check the numbers and try again.")
            return redirect(_back(request, programme))
        version = flow.approve_progression(
            programme=programme, row=row, to=form.dose(), by=request.user, now=timezone.now()
        )
        if version is None:
            messages.warning(request, "Nothing changed: no new version.")
        else:
            messages.success(
                request, f"Stepped up {row.exercise.name}: saved as version {version.number}."
            )
        return redirect(_back(request, programme))

    def _for_post(self, request: StaffRequest, programme_id: int) -> Programme:
        if request.method != "POST" or not can_edit_programmes(request.user):
            raise PermissionDenied
        return get_object_or_404(Programme, pk=programme_id)


def _back(request: HttpRequest, programme: Programme) -> str:
    """Back to the page the button was on (an appointment's, a lead's, the programme's)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:intake_programme_change", args=[programme.pk])


def programme_section_context(request: StaffRequest, programmes: ProgrammeQuerySet) -> dict:
    """The "Home exercise programme" section's context for a page: for staff who may
    see programmes; the health parts for clinicians only, each showing logged."""
    user = request.user
    if not user.has_perm("intake.view_programme"):
        return {}
    health = can_read_answers(user)
    rows = list(programmes.with_clinician_content().order_by("-created_at"))
    today = flow.today_local(timezone.now())
    found = flow.summaries(rows, today=today, include_health=health)
    if health:
        for programme in rows:
            flow.record_programme_read(programme=programme, user=user)
    return {
        "home_programmes": found,
        "can_edit_programmes": can_edit_programmes(user),
        "programme_next": request.get_full_path(),
    }


class ProgrammesOnChangePage:
    """Mixed into the appointment's and the lead's admin: their change page shows the
    patient's home programmes (templates/admin/intake/programme/_section.html)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            if isinstance(obj, Appointment):
                programmes = Programme.objects.of_appointment(obj)
                context["programme_query"] = f"appointment={obj.pk}"
            else:
                programmes = Programme.objects.of_lead(obj)
                context["programme_query"] = f"lead={obj.pk}"
            context |= programme_section_context(request, programmes)
        # A mixin for ModelAdmin subclasses, which have render_change_form.
        return super().render_change_form(  # type: ignore[misc]
            request, context, add, change, form_url, obj
        )
