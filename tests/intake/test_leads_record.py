"""record_lead: one transaction for the lead, its duplicate flag and its emails."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake import selfcheck
from intake.leads import dashboard_figures, record_lead
from intake.models import Lead, LeadSource, LeadStatus
from intake.tasks import send_email
from tests.intake.leads_support import make_lead

pytestmark = pytest.mark.django_db


def test_new_lead_with_the_email_of_an_open_lead_is_flagged_and_linked():
    first = make_lead(email="Sam@Example.com", phone="")
    lead = record_lead(name="Sam", email="sam@example.com", source=LeadSource.CONTACT_FORM)
    assert lead.duplicate_of == first


def test_new_lead_with_the_phone_of_an_open_lead_is_flagged_and_linked():
    first = make_lead(email="other@example.com", phone="+16085550142")
    lead = record_lead(
        name="Sam", email="new@example.com", phone="+16085550142", source=LeadSource.BOOKING
    )
    assert lead.duplicate_of == first


def test_duplicate_links_to_the_earliest_open_lead():
    earliest = make_lead()
    make_lead()
    assert record_lead(name="Sam", email="sam@example.com", source="booking").duplicate_of == (
        earliest
    )


def test_closed_leads_and_blank_phones_do_not_make_duplicates():
    make_lead(status=LeadStatus.BECAME_PATIENT)
    make_lead(email="x@example.com", phone="")
    lead = record_lead(name="Sam", email="sam@example.com", phone="", source="contact_form")
    assert lead.duplicate_of is None
    notification = DBTaskResult.objects.order_by("enqueued_at").last()
    assert notification.args_kwargs["kwargs"]["email_context"]["possible_duplicate"] is False


def test_submission_key_makes_a_resend_return_the_first_lead():
    key = uuid.uuid4()
    first = record_lead(name="A", email="a@example.com", source="contact_form", submission_key=key)
    again = record_lead(name="B", email="b@example.com", source="contact_form", submission_key=key)
    assert again == first
    assert Lead.objects.count() == 1
    assert DBTaskResult.objects.count() == 2


def test_lead_and_emails_are_kept_or_dropped_together(monkeypatch):
    """If queueing an email fails, the lead is not half-saved without its emails."""

    real_task = send_email
    calls = []

    def enqueue_then_fail(**kwargs):
        calls.append(kwargs["template"])
        if len(calls) == 2:
            raise DatabaseError("queue table unavailable")
        return real_task.enqueue(**kwargs)

    monkeypatch.setattr("intake.emails.send_email", SimpleNamespace(enqueue=enqueue_then_fail))
    with pytest.raises(DatabaseError):
        record_lead(name="A", email="a@example.com", source="contact_form")
    assert calls == ["lead_acknowledgement", "lead_notification"]
    assert Lead.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_booking_can_add_a_note_and_skip_the_acknowledgement():
    lead = record_lead(
        name="Pat",
        email="pat@example.com",
        source=LeadSource.BOOKING,
        note="Booked online: evaluation on Tue 3 Dec at 9:00",
        acknowledge=False,
    )
    assert lead.notes.get().text == "Booked online: evaluation on Tue 3 Dec at 9:00"
    [only] = DBTaskResult.objects.all()
    assert only.args_kwargs["kwargs"]["to"] == ["frontdesk@peakendurancept.com"]


def test_handoff_with_an_unknown_outcome_keeps_answers_but_not_the_outcome():
    lead = record_lead(
        name="Pat",
        email="pat@example.com",
        source=LeadSource.SELF_CHECK,
        handoff=selfcheck.SelfCheckHandoff(
            questionnaire="knee-pain",
            outcome="made-up",
            rule="r",
            answers=[{"question": "Q", "answer": "A"}],
        ),
    )
    assert (lead.triage_outcome, lead.answers) == ("", [{"question": "Q", "answer": "A"}])


def test_open_and_overdue_querysets():
    new = make_lead(follow_up_due=date(2020, 1, 1))
    make_lead(status=LeadStatus.NOT_A_FIT, follow_up_due=date(2020, 1, 1))
    later = make_lead(status=LeadStatus.SCHEDULED, follow_up_due=date(2999, 1, 1))
    assert set(Lead.objects.open()) == {new, later}
    assert list(Lead.objects.overdue(date(2026, 1, 1))) == [new]


def test_dashboard_figures_count_this_week_overdue_and_conversion_by_source(
    django_assert_num_queries,
):
    for status in [LeadStatus.BECAME_PATIENT, LeadStatus.NEW, LeadStatus.NOT_A_FIT]:
        make_lead(status=status, source=LeadSource.CONTACT_FORM)
    make_lead(status=LeadStatus.BECAME_PATIENT, source=LeadSource.BOOKING)
    make_lead(follow_up_due=date(2020, 1, 1), source=LeadSource.SELF_CHECK)
    with django_assert_num_queries(2):
        figures = dashboard_figures(timezone.now())
    assert figures["new_this_week"] == 5
    assert figures["overdue"] == 1
    rates = {row.source: (row.converted, row.total, row.rate) for row in figures["conversion"]}
    assert rates == {
        "Contact form": (1, 3, 33),
        "Self-check": (0, 1, 0),
        "Booking": (1, 1, 100),
        "Waitlist": (0, 0, None),  # patients who joined the waitlist with no lead before
    }
