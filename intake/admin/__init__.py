"""Admin for intake, one module per feature (imported here so autodiscovery finds them)."""

import intake.admin.scheduling  # noqa: F401
from intake.admin import leads  # noqa: F401
