"""Attendance that can be corrected: a click is undone the same day, a clinician corrects
it later with a reason, every change is written down, and the lead follows."""

from datetime import date, time

import pytest

from intake.attendance import correct_attendance, record_attendance, undo_attendance
from intake.models import AppointmentStatus, AttendanceChange, Clinician, Lead, LeadStatus
from tests.intake.booking_factories import local, make_clinician, make_type
from tests.intake.leads_transitions_support import book

pytestmark = pytest.mark.django_db

VISIT_DAY = date(2030, 1, 16)  # a Wednesday; the visit is at 9:00


@pytest.fixture
def visit(db):
    Clinician.objects.all().delete()
    make_clinician("Dana Lee", hours=[(time(9), time(12))])
    return book(make_type(name="Initial evaluation", duration_minutes=60), VISIT_DAY)


def history(appointment) -> list[tuple[str | None, str, str, str]]:
    return [
        (
            getattr(change.changed_by, "username", None),
            change.from_status,
            change.to_status,
            change.kind,
        )
        for change in AttendanceChange.objects.filter(appointment=appointment)
    ]


def test_a_no_show_undone_the_same_day_puts_the_visit_and_the_lead_back(visit, group_member):
    desk = group_member("Front desk")
    record_attendance(
        appointment=visit, status=AppointmentStatus.NO_SHOW, by=desk, now=local(2030, 1, 16, 9, 20)
    )
    assert Lead.objects.get().status == LeadStatus.FOLLOW_UP

    assert undo_attendance(appointment=visit, by=desk, now=local(2030, 1, 16, 9, 25))

    visit.refresh_from_db()
    lead = Lead.objects.get()
    assert visit.status == AppointmentStatus.BOOKED
    assert (lead.status, lead.follow_up_due) == (LeadStatus.SCHEDULED, None)
    assert "taken back" in lead.notes.order_by("created_at").last().text
    assert history(visit) == [
        ("front_desk", "booked", "no_show", "click"),
        ("front_desk", "no_show", "booked", "undo"),
    ]
    assert AttendanceChange.objects.last().created_at == local(2030, 1, 16, 9, 25)
    # One undo, not a redo: the undo itself is not undone.
    assert not undo_attendance(appointment=visit, by=desk, now=local(2030, 1, 16, 9, 30))


def test_completed_undone_goes_back_to_arrived(visit, group_member):
    desk = group_member("Front desk")
    record_attendance(
        appointment=visit, status=AppointmentStatus.ARRIVED, by=desk, now=local(2030, 1, 16, 8, 45)
    )
    record_attendance(
        appointment=visit, status=AppointmentStatus.COMPLETED, by=desk, now=local(2030, 1, 16, 10)
    )
    assert Lead.objects.get().status == LeadStatus.BECAME_PATIENT

    undo_attendance(appointment=visit, by=desk, now=local(2030, 1, 16, 10, 1))

    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.ARRIVED
    assert Lead.objects.get().status == LeadStatus.SCHEDULED


def test_the_next_day_only_a_clinicians_correction_with_a_reason_changes_it(visit, group_member):
    desk, clinician = group_member("Front desk"), group_member("Clinician")
    record_attendance(
        appointment=visit, status=AppointmentStatus.COMPLETED, by=desk, now=local(2030, 1, 16, 10)
    )
    next_day = local(2030, 1, 17, 8)

    assert not undo_attendance(appointment=visit, by=desk, now=next_day)
    with pytest.raises(ValueError, match="reason"):
        correct_attendance(
            appointment=visit, status=AppointmentStatus.NO_SHOW, reason=" ", by=clinician
        )
    assert correct_attendance(
        appointment=visit,
        status=AppointmentStatus.NO_SHOW,
        reason="Marked the wrong Maria: this one never came.",
        by=clinician,
        now=next_day,
    )

    visit.refresh_from_db()
    lead = Lead.objects.get()
    assert visit.status == AppointmentStatus.NO_SHOW
    assert (lead.status, lead.follow_up_due) == (LeadStatus.FOLLOW_UP, date(2030, 1, 17))
    correction = AttendanceChange.objects.last()
    assert (correction.changed_by, correction.reason, correction.created_at) == (
        clinician,
        "Marked the wrong Maria: this one never came.",
        next_day,
    )
    assert history(visit)[-1] == ("clinician", "completed", "no_show", "correction")


def test_a_visit_that_has_not_begun_cannot_be_corrected(visit, group_member):
    assert not correct_attendance(
        appointment=visit,
        status=AppointmentStatus.COMPLETED,
        reason="Early",
        by=group_member("Clinician"),
        now=local(2030, 1, 16, 8, 59),
    )
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED


def test_a_clinician_corrects_a_past_visit_on_its_page_and_the_desk_may_not(
    visit, client, group_member, time_machine
):
    time_machine.move_to(local(2030, 1, 18, 9), tick=False)
    record_attendance(
        appointment=visit, status=AppointmentStatus.NO_SHOW, now=local(2030, 1, 16, 9, 20)
    )
    url = f"/admin/intake/appointment/{visit.pk}/attendance/"
    client.force_login(group_member("Front desk"))
    assert (
        "Correct attendance"
        not in client.get(f"/admin/intake/appointment/{visit.pk}/change/").content.decode()
    )
    assert client.post(url, {"to_status": "completed", "reason": "x"}).status_code == 403

    client.force_login(group_member("Clinician"))
    assert (
        "Correct attendance"
        in client.get(f"/admin/intake/appointment/{visit.pk}/change/").content.decode()
    )
    no_reason = client.post(url, {"to_status": "completed", "reason": ""})
    assert no_reason.status_code == 200
    assert "This field is required." in no_reason.content.decode()
    assert 'value="completed" selected' in no_reason.content.decode()

    done = client.post(
        url, {"to_status": "completed", "reason": "Seen; desk clicked the row below."}
    )

    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
    assert Lead.objects.get().status == LeadStatus.BECAME_PATIENT
    assert history(visit)[-1] == ("clinician", "no_show", "completed", "correction")
    page = client.get(f"/admin/intake/appointment/{visit.pk}/change/").content.decode()
    assert (
        "Fri Jan 18 at 9:00 AM No-show → Completed, by clinician "
        "(corrected: Seen; desk clicked the row below.)"
    ) in page
