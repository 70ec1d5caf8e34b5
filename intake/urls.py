from django.urls import path

from intake.views import booking

app_name = "intake"

urlpatterns: list = [
    # Self-check (intake/views/selfcheck.py)
    #
    # Contact requests (intake/views/contact.py)
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
]
