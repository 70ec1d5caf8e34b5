from django.urls import path  # noqa: F401

from intake.views import contact

app_name = "intake"

urlpatterns: list = [
    # Self-check (intake/views/selfcheck.py)
    #
    # Contact requests (intake/views/contact.py)
    path("contact/", contact.contact, name="contact"),
    path("contact/thanks/", contact.contact_done, name="contact_done"),
    #
    # Booking (intake/views/booking.py)
]
