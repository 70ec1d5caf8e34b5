"""The project's layout rules, checked from the source so they hold as the code grows:
apps never import `clinic`, education never imports intake, intake never imports clinic's
views, migrations never import live project code, and intake's views and admin never
write: every create, update, delete and cache write happens in the typed function of the
module that owns the rule (booking.py, leads.py...), so a patient's request and a staff
click go through the same code."""

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


def test_education_never_imports_intake():
    """Education is the public guides; it must work (and be testable) without intake."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(name for name in imported_modules(path))
        for path in (ROOT / "education").rglob("*.py")
        if any(name.split(".")[0] == "intake" for name in imported_modules(path))
    }
    assert offenders == {}


def test_intake_never_imports_the_clinic_site_views():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path))
        for path in (ROOT / "intake").rglob("*.py")
        if "clinic.views" in imported_modules(path)
        or any(
            isinstance(node, ast.ImportFrom) and node.module == "clinic" and "views" in names
            for node, names in _from_imports(path)
        )
    }
    assert offenders == {}


def _from_imports(path: Path) -> list[tuple[ast.ImportFrom, set[str]]]:
    tree = ast.parse(path.read_text())
    return [
        (node, {alias.name for alias in node.names})
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    ]


# What writes rows or the cache. `.update(` counts whatever it is called on (a dict's
# too): views and admin build dicts with `{**a, **b}`, so the rule needs no type guessing.
# `bump` is the project's own verb for a counter's atomic upsert (content version, tally).
ORM_WRITES = {
    "save",
    "delete",
    "update",
    "create",
    "get_or_create",
    "update_or_create",
    "bump",
    "save_m2m",
}
CACHE_WRITES = {"set", "add", "delete", "incr", "decr", "set_many", "delete_many", "clear", "touch"}
CACHE_NAMES = {"cache", "caches"}


def writes_in(path: Path) -> list[str]:
    """Each write call in the module, as "line: call"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        target = func.value if isinstance(func, ast.Attribute) else None
        while isinstance(target, ast.Subscript):  # caches["default"].set(...)
            target = target.value
        on_cache = isinstance(target, ast.Name) and target.id in CACHE_NAMES
        if (
            name in ORM_WRITES
            or name.startswith("bulk_")
            or (on_cache and name in CACHE_WRITES)
            or (on_cache and name == "get_or_set")
        ):
            found.append(f"{node.lineno}: {ast.unparse(func)}(")
    return found


def test_intake_views_and_admin_never_write():
    """Views and admin parse, call the owning module's function and render."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for package in ("views", "admin")
        for path in sorted((ROOT / "intake" / package).glob("*.py"))
        if (found := writes_in(path))
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
