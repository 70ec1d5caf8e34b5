"""Admin for intake, one module per feature (imported here so autodiscovery finds them)."""

from intake.admin import (
    leads,  # noqa: F401
    questionnaires,  # noqa: F401
)
