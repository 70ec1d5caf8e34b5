from django.urls import path  # noqa: F401

from intake.views import contact, selfcheck

app_name = "intake"

urlpatterns: list = [
    # Self-check (intake/views/selfcheck.py)
    path("check/", selfcheck.questionnaire_list, name="selfcheck_list"),
    path("check/<slug:slug>/", selfcheck.start, name="selfcheck_start"),
    path("check/<slug:slug>/<int:step>/", selfcheck.answer_step, name="selfcheck_step"),
    #
    # Contact requests (intake/views/contact.py)
    path("contact/", contact.contact, name="contact"),
    path("contact/thanks/", contact.contact_done, name="contact_done"),
    #
    # Booking (intake/views/booking.py)
]
