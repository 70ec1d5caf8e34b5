"""The before-visit form's sections as pages: each builds its form, gathers what its page
shows, and submits it through the typed functions of `intake.previsit`.

The view looks a page up by the section the URL names and calls the same four methods
on whichever it gets, so adding a section never adds a branch to the view. No HTTP
here: the view hands in the POST data and the client's address.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django import forms

from intake import previsit as flow
from intake.forms.previsit import (
    ConsentForm,
    ContactForm,
    HistoryForm,
    MeasuresForm,
    ReasonsForm,
    SafetyForm,
    measures_initial,
)
from intake.models import ConsentText, Measure, MeasureResponse, PreVisit
from intake.models.leads import Activity


@dataclass(frozen=True)
class Saved:
    """What saving a section means for the patient: whether an answer calls for care."""

    red_flag: bool = False


class SectionPage:
    """One section's page. `context` is what the template needs besides the form; the
    form and `submit` receive it, so nothing is read twice."""

    section: flow.Section

    @property
    def template(self) -> str:
        return f"intake/previsit/section_{self.section.slug}.html"

    def context(self, previsit: PreVisit) -> dict:
        return {}

    def form(self, previsit: PreVisit, data: Mapping | None, context: dict) -> forms.Form:
        raise NotImplementedError

    def is_complete(self, form: forms.Form) -> bool:
        return form.is_valid()

    def submit(
        self,
        *,
        previsit: PreVisit,
        form: forms.Form,
        context: dict,
        client_address: str,
        now: datetime,
    ) -> Saved:
        raise NotImplementedError


class PlainPage(SectionPage):
    """A section whose answers are plain data on the form: saved as they are."""

    form_class: type[forms.Form]

    def initial(self, previsit: PreVisit) -> dict:
        return {}

    def form(self, previsit: PreVisit, data: Mapping | None, context: dict) -> forms.Form:
        saved = previsit.answers.get(self.section.slug)
        return self.form_class(data, initial=saved or self.initial(previsit))

    def submit(self, *, previsit, form, context, client_address, now) -> Saved:
        flow.save_section(previsit=previsit, section=self.section, data=form.answers(), now=now)
        return Saved()


class ContactPage(PlainPage):
    section = flow.CONTACT
    form_class = ContactForm

    def initial(self, previsit: PreVisit) -> dict:
        """What the booking already told us."""
        appointment = previsit.appointment
        return {
            "name": appointment.patient_name,
            "email": appointment.patient_email,
            "phone": appointment.patient_phone_display,
        }


class ReasonsPage(PlainPage):
    section = flow.REASONS
    form_class = ReasonsForm

    def context(self, previsit: PreVisit) -> dict:
        lead = previsit.appointment.lead
        return {"selfcheck_answers": lead.answers if lead else []}

    def form(self, previsit: PreVisit, data: Mapping | None, context: dict) -> forms.Form:
        saved = dict(previsit.answers.get(self.section.slug) or {})
        if isinstance(saved.get("body_area"), str):  # saved when it was one area
            saved["body_area"] = [saved["body_area"]]
        return self.form_class(data, initial=saved or self.initial(previsit))

    def initial(self, previsit: PreVisit) -> dict:
        """What the patient's lead (and its self-check, the runner's knee) told us."""
        lead = previsit.appointment.lead
        if lead is None:
            return {}
        sent_selfcheck = bool(lead.answers)
        activity = lead.activity or (Activity.RUNNING if sent_selfcheck else "")
        area = lead.body_area or ("knee" if sent_selfcheck else "")
        return {
            "problem": lead.message,
            "body_area": [area] if area else [],
            "activities": [activity] if activity else [],
        }


class HistoryPage(PlainPage):
    section = flow.HISTORY
    form_class = HistoryForm


class SafetyPage(SectionPage):
    section = flow.SAFETY

    def context(self, previsit: PreVisit) -> dict:
        areas = flow.safety_areas(previsit)
        spec = flow.safety_spec(areas=areas)
        questions = flow.safety_questions(spec) if spec else []
        return {
            "spec": spec,
            "areas": areas,
            "questions": questions,
            "reasons_saved": flow.REASONS.slug in previsit.answers,
        }

    def form(self, previsit: PreVisit, data: Mapping | None, context: dict) -> SafetyForm:
        saved = previsit.answers.get(self.section.slug) or {}
        questions = context["questions"]
        return SafetyForm(
            data,
            questions=questions,
            answers=saved.get("answers"),
            known=flow.known_safety_answers(previsit),
            prefill=flow.safety_prefill(previsit, questions),
        )

    def is_complete(self, form: forms.Form) -> bool:
        # Valid, and no follow-on question still to ask on a second page.
        return isinstance(form, SafetyForm) and form.is_complete()

    def submit(self, *, previsit, form, context, client_address, now) -> Saved:
        if context["spec"] is None:
            # Nothing is set up to ask: the section counts as answered.
            data = {"answers": {}, "areas": context["areas"]}
            flow.save_section(previsit=previsit, section=self.section, data=data, now=now)
            return Saved()
        result = flow.save_safety(
            previsit=previsit,
            spec=context["spec"],
            areas=context["areas"],
            answers=form.answers(),
            now=now,
        )
        return Saved(red_flag=result.calls_for_care)


class MeasuresPage(SectionPage):
    section = flow.MEASURES

    def context(self, previsit: PreVisit) -> dict:
        measures = list(Measure.objects.active().with_items())
        return {"measures": measures, "named": self.named(previsit, measures)}

    def named(self, previsit: PreVisit, measures: list[Measure]) -> dict[int, list[str]]:
        return {}

    def form(self, previsit: PreVisit, data: Mapping | None, context: dict) -> MeasuresForm:
        responses = MeasureResponse.objects.filter(previsit=previsit).select_related("measure")
        initial = measures_initial(responses, context["named"])
        return MeasuresForm(
            data, measures=context["measures"], named=context["named"], initial=initial
        )

    def submit(self, *, previsit, form, context, client_address, now) -> Saved:
        flow.save_measures(previsit=previsit, answers=form.measure_answers(), now=now)
        return Saved()


class CheckInPage(MeasuresPage):
    """The follow-up's "How are you doing?": the measures, with the activities the
    patient named at the start of the episode fixed."""

    section = flow.CHECK_IN

    def named(self, previsit: PreVisit, measures: list[Measure]) -> dict[int, list[str]]:
        return {
            m.pk: flow.episode_activities(previsit, m) for m in measures if m.patient_names_items
        }


class ConsentPage(SectionPage):
    section = flow.CONSENT

    def context(self, previsit: PreVisit) -> dict:
        texts = ConsentText.objects.current()
        signed = set(previsit.signatures.values_list("consent_text_id", flat=True))
        return {"texts": texts, "signed": signed}

    def form(self, previsit: PreVisit, data: Mapping | None, context: dict) -> ConsentForm:
        return ConsentForm(data, texts=context["texts"])

    def submit(self, *, previsit, form, context, client_address, now) -> Saved:
        flow.sign_consents(
            previsit=previsit,
            texts=context["texts"],
            typed_name=form.cleaned_data["typed_name"],
            client_address=client_address,
            now=now,
        )
        return Saved()


PAGES: dict[flow.Section, SectionPage] = {
    page.section: page
    for page in (
        ContactPage(),
        ReasonsPage(),
        HistoryPage(),
        SafetyPage(),
        MeasuresPage(),
        CheckInPage(),
        ConsentPage(),
    )
}


def page_for(previsit: PreVisit, slug: str) -> SectionPage | None:
    """The page of the section this form asks under that name, or None."""
    section = flow.section_named(previsit, slug)
    return PAGES[section] if section is not None else None
