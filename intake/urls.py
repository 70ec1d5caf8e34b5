from django.urls import path  # noqa: F401

from intake.views import selfcheck

app_name = "intake"

urlpatterns: list = [
    # Self-check (intake/views/selfcheck.py)
    path("check/", selfcheck.questionnaire_list, name="selfcheck_list"),
    path("check/<slug:slug>/", selfcheck.start, name="selfcheck_start"),
    path("check/<slug:slug>/<int:step>/", selfcheck.answer_step, name="selfcheck_step"),
    #
    # Contact requests (intake/views/contact.py)
    #
    # Booking (intake/views/booking.py)
]
