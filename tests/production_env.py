"""The environment a deploy sets, for tests that start Django in a child process as
production runs it: nothing from the test run (pytest-env) leaks in."""

import os

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7!kP2@qL9#mZ4$wR8%tY1^vB6&nC3*jH5(gF0)dS-aE_uI+oQ=",
    "DJANGO_ALLOWED_HOSTS": "www.peakendurancept.example",
}


def production_env(**overrides: str) -> dict[str, str]:
    """Only what a deploy must set: nothing from the test run (pytest-env) leaks in."""
    return {"PATH": os.environ["PATH"]} | PRODUCTION_ENV | overrides
