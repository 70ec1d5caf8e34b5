"""Admin for intake, one module per feature (imported here so autodiscovery finds them)."""

from intake.admin import (  # noqa: F401
    booking,
    clinic_details,
    closures,
    consent,
    leads,
    measures,
    previsit,
    programmes,
    readlog,
    selfcheck,
    series,
    waitlist,
)
