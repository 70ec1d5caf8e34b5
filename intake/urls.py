from django.urls import path  # noqa: F401

app_name = "intake"

urlpatterns: list = [
    # Self-check (intake/views/selfcheck.py)
    #
    # Contact requests (intake/views/contact.py)
    #
    # Booking (intake/views/booking.py)
]
