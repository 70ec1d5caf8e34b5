"""The summary's plain words: stored answers of any shape read as a clinician would say
them, in the order the form asks them, and nothing a patient typed is reworded."""

from intake.previsit_review import Answer, Section, answer_sections, red_flag_words


def test_sections_come_in_form_order_with_readable_questions_and_answers():
    answers = {
        "history": {"pregnant_or_postpartum": False, "surgeries": "", "conditions": ["Asthma"]},
        "extra_notes": {"anything_else": "Left-handed"},
        "contact": {"date_of_birth": "1988-04-02", "emergency_contact": None},
    }

    sections = answer_sections(answers)

    assert [section.title for section in sections] == [
        "Contact details",
        "Health history",
        "Extra notes",
    ]
    assert sections[0].answers == [
        Answer("Date of birth", "1988-04-02"),
        Answer("Emergency contact", "Not answered"),
    ]
    assert sections[1].answers == [
        Answer("Pregnant or postpartum", "No"),
        Answer("Surgeries", "Not answered"),
        Answer("Conditions", "Asthma"),
    ]


def test_text_the_patient_typed_is_kept_as_typed():
    typed = "knee_pain on the left -- worse on stairs"

    sections = answer_sections({"about": {"what_brings_you_in": typed}})

    assert sections == [Section("What brings them in", [Answer("What brings you in", typed)])]


def test_self_check_style_answers_show_each_question_as_asked():
    answers = {
        "red_flags": [
            {"question": "Did the pain start with a fall or a blow?", "answer": "No"},
            {"question": "Any fever or night sweats?", "answer": ["Yes", "Night sweats"]},
        ]
    }

    (section,) = answer_sections(answers)

    assert section.title == "Red-flag answers"
    assert section.answers == [
        Answer("Did the pain start with a fall or a blow?", "No"),
        Answer("Any fever or night sweats?", "Yes, Night sweats"),
    ]


def test_red_flag_outcome_reads_as_the_self_checks_label():
    assert red_flag_words("see_doctor") == "See a doctor first"
    assert red_flag_words("") == "No red-flag answers."
    assert red_flag_words("call_the_clinic") == "Call the clinic"
