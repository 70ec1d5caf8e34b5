"""Schema.org descriptions of guides and protocols, for search engines.

Built from settings (SITE_URL, CLINIC) rather than from the project package, so
education stays an app that never imports `clinic`. The publisher is the same
MedicalBusiness node the home page describes (same @id), so search engines
join the two.
"""

from typing import Any

from django.conf import settings

from education.models import Guide, Protocol, ProtocolExercise


def absolute_url(path: str) -> str:
    """The public address of a path on this site, from SITE_URL rather than the Host header."""
    return f"{settings.SITE_URL}{path}"


def clinic_business() -> dict:
    """The clinic that publishes the page, as a MedicalBusiness specialising in physiotherapy."""
    clinic = settings.CLINIC
    return {
        "@type": "MedicalBusiness",
        "@id": absolute_url("/#clinic"),
        "name": clinic["name"],
        "url": absolute_url("/"),
        "telephone": clinic["phone_e164"],
        "medicalSpecialty": "Physiotherapy",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": clinic["city"],
            "addressRegion": clinic["region"],
            "addressCountry": clinic["country"],
        },
    }


def guide_page(guide: Guide) -> dict:
    """A MedicalWebPage about the guide's MedicalCondition, with its signs."""
    page: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "name": guide.page_title(),
        "headline": guide.title,
        "description": guide.meta_description(),
        "url": absolute_url(guide.get_absolute_url()),
        "inLanguage": "en-US",
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": {
            "@type": "MedicalCondition",
            "name": guide.condition,
            "signOrSymptom": [
                {"@type": "MedicalSignOrSymptom", "name": sign.text} for sign in guide.signs()
            ],
        },
        "publisher": clinic_business(),
    }
    if guide.reviewed_on and not guide.changed_since_review:  # a review covers the text as it was
        page["lastReviewed"] = guide.reviewed_on
        page["reviewedBy"] = {"@type": "Person", "name": guide.reviewed_by}
    return page


def _step_plan(step: ProtocolExercise) -> dict:
    plan: dict[str, Any] = {
        "@type": "ExercisePlan",
        "name": step.exercise.name,
        "url": absolute_url(step.exercise.get_absolute_url()),
        "description": step.dose_text(),
    }
    if step.reps_min is not None:
        plan["repetitions"] = {
            "@type": "QuantitativeValue",
            "minValue": step.reps_min,
            "maxValue": step.reps_max or step.reps_min,
        }
    if frequency := step.frequency_text():
        plan["activityFrequency"] = frequency
    return plan


def exercise_plan(protocol: Protocol) -> dict:
    """The protocol as an ExercisePlan whose parts are its exercises and doses."""
    return {
        "@type": "ExercisePlan",
        "name": protocol.title,
        "description": protocol.summary,
        "url": absolute_url(protocol.get_absolute_url()),
        "dateModified": protocol.updated_at,
        "hasPart": [_step_plan(step) for step in protocol.steps.all()],
        "publisher": clinic_business(),
    }
