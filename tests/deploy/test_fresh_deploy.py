"""A fresh deploy needs `migrate` alone: no `createcachetable` or other hidden step."""

from tests.deploy.conftest import deploy_env, run_django

FIRST_VISITS = """
from django.core.cache import cache
from django.test import Client
client = Client()
print(client.get("/guides/knee-pain-with-running/").status_code)
print(client.get("/book/").status_code)
# Django's default cache: the database cache's table, which no extra command made.
print(cache.add("first-deploy", "kept", 60) and cache.get("first-deploy"))
"""


def test_a_fresh_deploy_serves_pages_and_has_its_cache_after_migrate_alone(
    fresh_database,
):
    """The database cache's table comes with the migrations."""
    printed = run_django(deploy_env(fresh_database), FIRST_VISITS)
    assert printed.split() == ["200", "200", "kept"]
