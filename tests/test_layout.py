"""The project's layout rules, checked from the source so they hold as the code grows:
apps never import `clinic`, and migrations never import live project code."""

import ast
import json
import re
from pathlib import Path

import pytest

from tests.education.conftest import GUIDE_SLUG

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"clinic", "education", "intake"}
# A custom constraint class a migration names must stay importable for Django to
# load the migration at all, like a custom field: the one allowed exception.
ALLOWED_IN_MIGRATIONS = {"intake.constraints"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_education_never_imports_the_clinic_package():
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path))
        for path in (ROOT / "education").rglob("*.py")
        if any(name.split(".")[0] == "clinic" for name in imported_modules(path))
    }
    assert offenders == {}


@pytest.mark.parametrize("app", ["education", "intake"])
def test_migrations_import_no_live_project_code(app):
    offenders = {
        path.name: sorted(found)
        for path in (ROOT / app / "migrations").glob("0*.py")
        if (
            found := {
                name
                for name in imported_modules(path)
                if name.split(".")[0] in PROJECT_PACKAGES and name not in ALLOWED_IN_MIGRATIONS
            }
        )
    }
    assert offenders == {}


@pytest.mark.django_db
def test_a_guide_names_the_same_clinic_as_the_home_page(client):
    """Education builds its publisher from settings; search engines must still see one clinic."""

    def json_ld(path: str) -> dict:
        body = client.get(path).content.decode()
        match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
        assert match, f"no JSON-LD on {path}"
        return json.loads(match.group(1))

    # The home page also carries what staff keep in the admin (street address, hours,
    # email); the guide's publisher, built from settings, names the same clinic by @id.
    same = ("@type", "@id", "name", "url", "telephone")
    home = json_ld("/")
    publisher = json_ld(f"/guides/{GUIDE_SLUG}/")["publisher"]
    assert {key: publisher[key] for key in same} == {key: home[key] for key in same}
