"""The summary's plain words: each stored answer shown with the question the patient
read and the label of the choice they picked, in the order the form asks them; an
answer whose question is unknown still shows; nothing a patient typed is reworded."""

import pytest
from django import forms

from intake.previsit import safety_spec
from intake.previsit_review import (
    Answer,
    Section,
    answer_sections,
    form_wording,
    red_flag_words,
)


class HistoryForm(forms.Form):
    """Stands in for the patient's history section (intake.forms.previsit)."""

    conditions = forms.MultipleChoiceField(
        label="Have you ever had any of these?",
        choices=[("lung", "Asthma or another lung condition"), ("heart", "Heart disease")],
    )
    pregnancy = forms.ChoiceField(
        label="Pregnancy or a recent baby",
        choices=[("not_relevant", "Does not apply to me"), ("pregnant", "I am pregnant now")],
    )
    medications = forms.CharField(label="Medicines you take")


def wording(form: type | None):
    """The stand-in's wording where the summary asks for the real history form's."""
    return form_wording(HistoryForm) if form is not None and form.__name__ == "HistoryForm" else {}


def test_answers_show_the_question_asked_and_the_choice_picked():
    answers = {
        "history": {
            "conditions": ["lung", "heart"],
            "pregnancy": "not_relevant",
            "medications": "not_relevant",
        }
    }

    (section,) = answer_sections(answers, wording=wording)

    assert section == Section(
        "Health history",
        [
            Answer(
                "Have you ever had any of these?", "Asthma or another lung condition, Heart disease"
            ),
            Answer("Pregnancy or a recent baby", "Does not apply to me"),
            # Typed text is never taken for a choice.
            Answer("Medicines you take", "not_relevant"),
        ],
    )


def test_sections_come_in_form_order_and_unknown_names_read_as_words():
    answers = {
        "history": {"surgeries": "", "new_question": True},
        "extra_notes": {"anything_else": "Left-handed"},
        "contact": {"date_of_birth": "1988-04-02", "emergency_phone": "+16085550199"},
        "measures": {"saved": True},
        "consent": {"versions": {"treatment": 1}},
    }

    sections = answer_sections(answers, wording=lambda form: {})

    assert sections == [
        Section(
            "Contact details",
            [Answer("Date of birth", "1988-04-02"), Answer("Emergency phone", "(608) 555-0199")],
        ),
        Section(
            "Health history", [Answer("Surgeries", "Not answered"), Answer("New question", "Yes")]
        ),
        Section("Extra notes", [Answer("Anything else", "Left-handed")]),
    ]


@pytest.mark.django_db
def test_safety_answers_read_as_the_self_check_asked_them():
    answers = {"safety": {"answers": {"injury": ["yes"], "walk_now": ["no"]}, "outcome": ""}}

    (section,) = answer_sections(answers, safety_spec=safety_spec(slugs=["runners-knee"]))

    assert section.title == "Safety questions"
    assert Answer("Can you take four steps on that leg now?", "No") in section.answers
    assert section.answers[0].question.startswith("Did your knee pain start with an injury")


def test_self_check_style_answers_show_each_question_as_asked():
    answers = {
        "red_flags": [
            {"question": "Any fever or night sweats?", "answer": ["Yes", "Night sweats"]},
        ]
    }

    (section,) = answer_sections(answers)

    assert section.answers == [Answer("Any fever or night sweats?", "Yes, Night sweats")]


def test_red_flag_outcome_reads_as_the_self_checks_label():
    assert red_flag_words("see_doctor") == "See a doctor first"
    assert red_flag_words("") == "No red-flag answers."
    assert red_flag_words("call_the_clinic") == "Call the clinic"


def test_a_question_gets_a_colon_only_when_it_has_no_punctuation_of_its_own():
    assert Answer("Date of birth", "1988-04-02").prompt == "Date of birth:"
    assert Answer("Can you walk now?", "No").prompt == "Can you walk now?"


def test_a_date_of_birth_reads_as_staff_say_it():
    """Stored as 1988-04-02 (what the date input sends); staff read April 2, 1988."""
    (section,) = answer_sections({"contact": {"date_of_birth": "1988-04-02"}})

    assert section.answers == [Answer("Date of birth", "April 2, 1988")]
