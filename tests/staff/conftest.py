import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """These tests type many passwords; the production hasher makes each take most of a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
