"""The front desk's lead admin: who may see what, and what the worklist does."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.leads import business_day, record_export
from intake.models import Lead, LeadNote, LeadSource, LeadStatus, ReadLogEntry
from intake.models.leads import LeadExport
from tests.intake.leads_support import make_lead
from tests.intake.queued_emails import deliver_queued_emails

pytestmark = pytest.mark.django_db

SECRET_NAME = "Quinn Confidential"
SECRET_MESSAGE = "Pelvic pain since my second delivery"


@pytest.fixture
def lead():
    lead = make_lead(
        name=SECRET_NAME,
        email="quinn@example.com",
        message=SECRET_MESSAGE,
        answers=[{"question": "Where is the pain?", "answer": "Pelvic floor"}],
    )
    lead.status = LeadStatus.CONTACTED
    lead.save()  # a second history row to look at
    return lead


def lead_urls(lead: Lead) -> dict[str, str]:
    history_id = lead.history.earliest().history_id
    base = f"/admin/intake/lead/{lead.pk}"
    return {
        "changelist": "/admin/intake/lead/",
        "changelist search": "/admin/intake/lead/?q=quinn",
        "raw id popup": "/admin/intake/lead/?_popup=1&_to_field=id",
        "change": f"{base}/change/",
        "history": f"{base}/history/",
        "history version": f"{base}/history/{history_id}/",
        "delete": f"{base}/delete/",
        "add": "/admin/intake/lead/add/",
        "export log": "/admin/intake/leadexport/",
        "autocomplete": "/admin/autocomplete/?app_label=intake&model_name=lead"
        "&field_name=duplicate_of&term=quinn",
        "object shortcut": f"/admin/r/{_content_type_id()}/{lead.pk}/",
    }


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Lead).pk


def export(client, leads) -> object:
    return client.post(
        "/admin/intake/lead/",
        {"action": "export_csv", "_selected_action": [lead.pk for lead in leads]},
    )


def as_user(client, who: str, staff_user, group_member):
    if who == "staff without permission":
        client.force_login(staff_user)
    elif who in {"Front desk", "Clinician"}:
        client.force_login(group_member(who))
    return client


def assert_no_lead_data(response) -> None:
    body = response.content.decode(errors="replace")
    assert SECRET_NAME not in body
    assert SECRET_MESSAGE not in body
    assert "quinn@example.com" not in body


@pytest.mark.parametrize("who", ["anonymous", "staff without permission"])
def test_people_without_lead_permission_get_no_lead_data_from_any_url(
    client, lead, who, staff_user, group_member
):
    client = as_user(client, who, staff_user, group_member)
    for name, url in lead_urls(lead).items():
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302, name
            assert response["Location"].startswith("/admin/login/"), name
        else:
            assert response.status_code in {403, 404}, (name, response.status_code)
        assert_no_lead_data(response)
    response = export(client, [lead])
    assert response.status_code in {302, 403}
    assert_no_lead_data(response)
    assert LeadExport.objects.count() == 0
    index = client.get("/admin/", follow=True)
    assert "Leads at a glance" not in index.content.decode()


@pytest.mark.parametrize("group", ["Front desk", "Clinician"])
def test_front_desk_and_clinicians_can_read_and_work_leads(
    client, lead, group, staff_user, group_member
):
    client = as_user(client, group, staff_user, group_member)
    expected = {
        "changelist": 200,
        "changelist search": 200,
        "raw id popup": 200,
        "change": 200,
        "history": 200,
        "history version": 200,
        "add": 200,
        "delete": 403,  # nobody deletes leads by hand: purge_leads does, by the rules
        "export log": 403,
        "autocomplete": 200,  # names they may already see in the changelist
        "object shortcut": 404,  # leads have no public page
    }
    for name, url in lead_urls(lead).items():
        response = client.get(url)
        assert response.status_code == expected[name], (name, response.status_code)
        if expected[name] != 200:
            assert_no_lead_data(response)
    assert SECRET_NAME in client.get("/admin/intake/lead/").content.decode()
    assert "Leads at a glance" in client.get("/admin/").content.decode()


def test_only_the_front_desk_may_export_and_every_export_is_recorded(
    client, lead, staff_user, group_member
):
    clinician = as_user(client, "Clinician", staff_user, group_member)
    refused = export(clinician, [lead])
    assert "text/csv" not in refused["Content-Type"]
    assert LeadExport.objects.count() == 0
    assert "Export selected leads" not in clinician.get("/admin/intake/lead/").content.decode()

    desk = group_member("Front desk")
    client.force_login(desk)
    assert "Export selected leads" in client.get("/admin/intake/lead/").content.decode()
    other = make_lead(name='=HYPERLINK("http://evil")', email="x@example.com")
    response = export(client, [lead, other])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="leads-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["id", "received", "name", "email", "phone"]
    assert [row[2] for row in rows[1:]] == [SECRET_NAME, '\'=HYPERLINK("http://evil")']
    body = response.content.decode()
    assert SECRET_MESSAGE not in body  # no health details in files that leave the system
    assert "Pelvic floor" not in body
    record = LeadExport.objects.get()
    assert (record.exported_by, record.row_count) == (desk, 2)


def test_changelist_makes_the_same_number_of_queries_for_10_and_100_rows(
    client, group_member, django_user_model
):
    client.force_login(group_member("Front desk"))
    staff = [
        django_user_model.objects.create_user(username=f"desk{n}", is_staff=True) for n in range(5)
    ]

    def add_leads(count: int) -> None:
        for n in range(count):
            lead = make_lead(
                name=f"Lead {n}",
                email=f"lead{n}@example.com",
                status=list(LeadStatus)[n % len(LeadStatus)],
                source=list(LeadSource)[n % len(LeadSource)],
                assigned_to=staff[n % len(staff)] if n % 3 else None,
                follow_up_due=date(2020, 1, 1) + timedelta(days=n) if n % 2 else None,
                triage_outcome="patellofemoral" if n % 4 == 0 else "",
            )
            LeadNote.objects.create(lead=lead, author=staff[0], text="Called, left a message")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/intake/lead/")
        assert response.status_code == 200
        return len(queries), response.context["cl"].result_count

    add_leads(10)
    ten, shown = count_queries()
    assert shown == 10
    add_leads(90)
    hundred, shown = count_queries()
    assert shown == 100
    print(f"\nlead changelist queries: {ten} at 10 rows, {hundred} at 100 rows")
    assert ten == hundred


def test_overdue_filter_shows_open_leads_past_their_follow_up_date(client, group_member):
    client.force_login(group_member("Front desk"))
    make_lead(name="Late Larry", follow_up_due=date.today() - timedelta(days=1))
    make_lead(name="Closed Cleo", follow_up_due=date(2020, 1, 1), status=LeadStatus.NOT_A_FIT)
    make_lead(name="Future Fay", follow_up_due=date.today() + timedelta(days=3))
    body = client.get("/admin/intake/lead/?follow_up=overdue").content.decode()
    assert "Late Larry" in body
    assert "(overdue)" in body
    assert "Closed Cleo" not in body
    assert "Future Fay" not in body


def test_search_finds_a_phone_number_typed_the_usual_way(client, group_member):
    client.force_login(group_member("Front desk"))
    make_lead(name="Phone Phil", phone="+16085550142", email="phil@example.com")
    make_lead(name="Other Olga", phone="+16085550143", email="olga@example.com")
    body = client.get("/admin/intake/lead/", {"q": "(608) 555-0142"}).content.decode()
    assert "Phone Phil" in body
    assert "Other Olga" not in body


def test_mark_contacted_and_assign_to_me_are_recorded_with_who_did_it(client, group_member):
    desk = group_member("Front desk")
    client.force_login(desk)
    new = make_lead(name="New Nina")
    scheduled = make_lead(name="Booked Bo", status=LeadStatus.SCHEDULED)
    ids = [new.pk, scheduled.pk]
    client.post("/admin/intake/lead/", {"action": "mark_contacted", "_selected_action": ids})
    new.refresh_from_db()
    scheduled.refresh_from_db()
    assert new.status == LeadStatus.CONTACTED
    assert scheduled.status == LeadStatus.SCHEDULED  # never moved backwards
    latest = new.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (desk, "Marked contacted")

    client.post("/admin/intake/lead/", {"action": "assign_to_me", "_selected_action": ids})
    assert set(Lead.objects.values_list("assigned_to", flat=True)) == {desk.pk}
    assert scheduled.history.latest().history_user == desk


def test_staff_close_a_lead_or_ask_for_a_follow_up_through_the_list_actions(client, group_member):
    """Status is read-only on the change page: these named steps replace typing it in."""
    desk = group_member("Front desk")
    client.force_login(desk)
    quiet = make_lead(
        name="Quiet Quinn", status=LeadStatus.CONTACTED, follow_up_due=date(2031, 1, 2)
    )
    patient = make_lead(name="Done Dana", status=LeadStatus.BECAME_PATIENT)
    ids = [quiet.pk, patient.pk]

    client.post("/admin/intake/lead/", {"action": "mark_needs_follow_up", "_selected_action": ids})
    quiet.refresh_from_db()
    assert quiet.status == LeadStatus.FOLLOW_UP
    response = client.post(
        "/admin/intake/lead/",
        {"action": "close_as_no_response", "_selected_action": ids},
        follow=True,
    )

    quiet.refresh_from_db()
    patient.refresh_from_db()
    assert (quiet.status, quiet.follow_up_due) == (LeadStatus.NO_RESPONSE, None)
    assert patient.status == LeadStatus.BECAME_PATIENT  # closed leads keep their outcome
    assert "1 closed as no response. 1 already there or closed" in response.content.decode()
    latest = quiet.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (desk, "Closed: No response")


def test_change_page_shows_answers_readably_and_notes_get_their_author(client, group_member):
    clinician = group_member("Clinician")
    client.force_login(clinician)
    lead = make_lead(
        answers=[
            {"question": "Where is the pain?", "answer": "Around the kneecap"},
            {"question": "Any swelling?", "answer": "No"},
        ],
        triage_outcome="patellofemoral",
    )
    page = client.get(f"/admin/intake/lead/{lead.pk}/change/").content.decode()
    assert re.search(r"<dt>Where is the pain\?</dt>\s*<dd>Around the kneecap</dd>", page)
    assert re.search(r"<dt>Any swelling\?</dt>\s*<dd>No</dd>", page)

    form = {
        # Status is read-only on the page (it moves through named steps): a posted one is
        # ignored.
        "status": "not_a_fit",
        "assigned_to": "",
        "follow_up_due": "2031-01-02",
        "duplicate_of": "",
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "preferred_contact_method": "",
        "preferred_time": "",
        "activity": "",
        "body_area": "",
        "message": "",
        "heard_about": "",
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-text": "Left a voicemail",
    }
    response = client.post(f"/admin/intake/lead/{lead.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    note = LeadNote.objects.get()
    assert (note.author, note.text) == (clinician, "Left a voicemail")
    latest = lead.history.latest()
    assert (latest.status, latest.follow_up_due, latest.history_user) == (
        "new",
        date(2031, 1, 2),
        clinician,
    )
    history = client.get(f"/admin/intake/lead/{lead.pk}/history/").content.decode()
    assert clinician.username in history


def test_history_cannot_be_used_to_rewrite_a_lead(client, group_member):
    client.force_login(group_member("Front desk"))
    lead = make_lead(name="Original")
    first = lead.history.earliest()
    lead.name = "Corrected"
    lead.save()
    response = client.post(
        f"/admin/intake/lead/{lead.pk}/history/{first.history_id}/", {"name": "Original"}
    )
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.name == "Corrected"


def test_dashboard_shows_lead_figures_in_a_constant_number_of_queries(client, group_member):
    client.force_login(group_member("Front desk"))
    make_lead(status=LeadStatus.BECAME_PATIENT)
    make_lead(follow_up_due=date(2020, 1, 1))

    def dashboard_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/admin/").content.decode()
        return len(queries), body

    few, body = dashboard_queries()
    assert "Leads at a glance" in body
    assert "<strong>2</strong> new this week" in body
    assert "<strong>1</strong> overdue follow-up" in body
    assert "<strong>50%</strong> (1 of 2 became patients)" in body
    for _ in range(20):
        make_lead()
    many, _ = dashboard_queries()
    assert few == many


def test_lead_typed_in_by_staff_gets_e164_phone_its_source_and_the_duplicate_flag(
    client, group_member
):
    desk = group_member("Front desk")
    client.force_login(desk)
    first = make_lead(phone="+16085550142", email="first@example.com")
    form = {
        "status": "new",
        "assigned_to": "",
        "follow_up_due": "",
        "duplicate_of": "",
        "name": "Walk In",
        "email": "walkin@example.com",
        "phone": "(608) 555-0142",
        "preferred_contact_method": "phone",
        "preferred_time": "",
        "activity": "",
        "body_area": "",
        "message": "",
        "heard_about": "",
        "source": "booking",
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/admin/intake/lead/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    lead = Lead.objects.get(name="Walk In")
    assert (lead.phone, lead.source, lead.duplicate_of) == ("+16085550142", "booking", first)
    assert lead.history.get().history_user == desk

    form["phone"] = "555"
    response = client.post("/admin/intake/lead/add/", form)
    assert response.status_code == 200
    assert "Enter a phone number we can call" in response.content.decode()


def test_an_urgent_caller_typed_in_by_staff_is_due_today_and_emailed_as_online(
    client, group_member, settings
):
    """The front desk adds a caller who describes a red flag: the lead is urgent, due
    the same business day, and both emails go out, exactly as after the online self-check."""
    settings.CLINIC_NOTIFY_EMAIL = "desk@peak.example"
    client.force_login(group_member("Front desk"))
    form = {
        "name": "Phoned In",
        "email": "phoned@example.com",
        "phone": "608-555-0177",
        "source": "contact_form",
        "triage_outcome": "see_doctor",
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-text": "Calf swollen since a long flight",
    }
    for name in (
        "assigned_to",
        "follow_up_due",
        "duplicate_of",
        "preferred_contact_method",
        "preferred_time",
        "activity",
        "body_area",
        "message",
        "heard_about",
    ):
        form[name] = ""

    response = client.post("/admin/intake/lead/add/", form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    lead = Lead.objects.get(name="Phoned In")
    assert lead.is_urgent
    assert lead.follow_up_due == business_day(timezone.localdate())
    assert LeadNote.objects.get(lead=lead).text == "Calf swollen since a long flight"
    sent = deliver_queued_emails()
    assert sorted(message.to[0] for message in sent) == ["desk@peak.example", "phoned@example.com"]
    (notification,) = [m for m in sent if m.to == ["desk@peak.example"]]
    assert notification.subject.startswith("Urgent: please call today")


def test_an_export_keeps_its_log_rows_together_or_not_at_all(group_member, monkeypatch):
    """A failure half-way through writing the log leaves no export row without its reads."""
    leads = [make_lead(), make_lead()]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ReadLogEntry.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        record_export(leads=leads, by=group_member("Front desk"))

    assert LeadExport.objects.count() == 0


def test_the_lead_page_calls_the_phone_in_one_tap_written_as_people_say_it(client, group_member):
    client.force_login(group_member("Front desk"))
    lead = make_lead(phone="+16085550199")

    page = client.get(f"/admin/intake/lead/{lead.pk}/change/").content.decode()

    assert '<a href="tel:+16085550199">Call (608) 555-0199</a>' in page
    assert 'value="(608) 555-0199"' in page
    assert "field-call" not in client.get("/admin/intake/lead/add/").content.decode()


def test_a_note_is_labelled_with_the_clinics_clock_not_utc(client, group_member):
    """A note written at 23:44 UTC is 5:44 PM in Madison in December; the page shows
    both the label and the note's time, so they must agree."""
    client.force_login(group_member("Front desk"))
    lead = make_lead()
    note = LeadNote.objects.create(lead=lead, text="Left a voicemail")
    LeadNote.objects.filter(pk=note.pk).update(created_at=datetime(2026, 12, 6, 23, 44, tzinfo=UTC))

    page = client.get(f"/admin/intake/lead/{lead.pk}/change/").content.decode()

    assert "Note of Sun Dec 6 at 5:44 PM" in page
    assert "2026-12-06 23:44" not in page and f"Note on {lead.pk}" not in page
