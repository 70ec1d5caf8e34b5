from django.urls import path

from intake.views import booking, leads, previsit, programmes, selfcheck, team, waitlist

app_name = "intake"

urlpatterns: list = [
    # Self-check (intake/views/selfcheck.py)
    path("check/", selfcheck.questionnaire_list, name="selfcheck_list"),
    path("check/<slug:slug>/", selfcheck.start, name="selfcheck_start"),
    path("check/<slug:slug>/<int:step>/", selfcheck.answer_step, name="selfcheck_step"),
    path("check/<slug:slug>/result/", selfcheck.result, name="selfcheck_result"),
    #
    # Contact requests, recorded as leads (intake/views/leads.py)
    path("contact/", leads.contact, name="contact"),
    path("contact/thanks/", leads.contact_done, name="contact_done"),
    #
    # Who patients may see (intake/views/team.py)
    path("team/", team.team, name="team"),
    #
    # Booking (intake/views/booking.py)
    path("book/", booking.booking_start, name="booking_start"),
    path("book/cancelled/", booking.booking_cancelled, name="booking_cancelled"),
    path("book/manage/<str:token>/", booking.booking_manage, name="booking_manage"),
    path("book/manage/<str:token>/cancel/", booking.booking_cancel, name="booking_cancel"),
    path(
        "book/manage/<str:token>/reschedule/",
        booking.booking_reschedule,
        name="booking_reschedule",
    ),
    path("book/<slug:slug>/", booking.booking_times, name="booking_times"),
    path("book/<slug:slug>/details/", booking.booking_details, name="booking_details"),
    path("book/<slug:slug>/review/", booking.booking_review, name="booking_review"),
    path("book/<slug:slug>/confirm/", booking.booking_confirm, name="booking_confirm"),
    #
    # The waitlist, behind private links (intake/views/waitlist.py)
    path("book/<slug:slug>/waitlist/", waitlist.waitlist_join, name="waitlist_join"),
    path(
        "book/manage/<str:token>/waitlist/",
        waitlist.waitlist_join_from_visit,
        name="waitlist_join_from_visit",
    ),
    path("waitlist/<str:token>/", waitlist.waitlist_entry, name="waitlist_entry"),
    path("waitlist/<str:token>/leave/", waitlist.waitlist_leave, name="waitlist_leave"),
    path("waitlist/offer/<str:token>/", waitlist.waitlist_offer, name="waitlist_offer"),
    #
    # Before your visit, behind the private link (intake/views/previsit.py)
    path("before-your-visit/<str:token>/", previsit.previsit_overview, name="previsit"),
    path(
        "before-your-visit/<str:token>/<slug:section>/",
        previsit.previsit_section,
        name="previsit_section",
    ),
    #
    # A patient's home exercise programme, behind its private link (intake/views/programmes.py)
    path("my-exercises/<str:token>/", programmes.programme_page, name="programme"),
    path("my-exercises/<str:token>/log/", programmes.programme_log, name="programme_log"),
    path(
        "my-exercises/<str:token>/reminders/",
        programmes.programme_reminders,
        name="programme_reminders",
    ),
    path("my-exercises/<str:token>/print/", programmes.programme_print, name="programme_print"),
]
