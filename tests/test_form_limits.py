"""Every form field that feeds a model field carries that field's limits.

A value the database would refuse (too long for the column, not one of the choices,
outside the column's integer range, too many digits) must get a message on the field
while the person can still fix it, never an error page when the row is written.

The walk covers every form class in the project's modules and every admin add form
(with its inlines). A ModelForm feeds the model fields of the same name; a plain form
names what it feeds in `saved_to` ("app.Model.field"), and a plain form that feeds no
model says so with an empty `saved_to`, so a new form cannot slip past this test.
"""

import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import validators
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test import RequestFactory
from django.urls import resolve

PROJECT_PACKAGES = ("clinic", "education", "intake")
PROJECT_APPS = {"education", "intake"}
# The column ranges PostgreSQL (production) enforces; SQLite takes any 64-bit integer.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def project_modules():
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in info.name or ".management." in info.name:
                continue
            yield importlib.import_module(info.name)


def project_form_classes() -> list[type[forms.BaseForm]]:
    found = {}
    for module in project_modules():
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


def fields_of(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """The fields of a form as shown: an instance's, when it needs no arguments (its
    __init__ may narrow choices), else the class's declared fields."""
    parameters = list(inspect.signature(form_class.__init__).parameters.values())[1:]
    needs_arguments = any(
        p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        for p in parameters
    )
    return form_class.base_fields if needs_arguments else form_class().fields


def model_field(label: str) -> models.Field:
    app_label, model_name, field_name = label.split(".")
    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def pairs_of(form_class: type[forms.BaseForm], fields: dict[str, forms.Field]):
    """(form field name, form field, model field, whether the model validates it too)."""
    meta = getattr(form_class, "_meta", None)
    model = getattr(meta, "model", None)
    if model is not None:
        model_fields = {f.name: f for f in model._meta.concrete_fields}
        for name, field in fields.items():
            if name in model_fields:
                # A ModelForm runs the model field's own validators on the fields it lists.
                yield name, field, model_fields[name], name in (meta.fields or ())
    for name, labels in vars(form_class).get("saved_to", {}).items():
        for label in labels:
            yield name, fields[name], model_field(label), False


def choice_values(field: forms.Field) -> list:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            values.extend(v for v, _ in label)
        else:
            values.append(value)
    return [v for v in values if v not in ("", None)]


def bounds(field: forms.Field) -> tuple:
    """The lowest and highest integer the field lets through, None when unbounded."""
    low = high = None
    for validator in field.validators:
        if isinstance(validator, validators.MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, validators.MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def problems_with(name: str, field: forms.Field, target: models.Field, model_validates: bool):
    where = f"{name} -> {target.model.__name__}.{target.name}"
    if target.is_relation or isinstance(field, forms.ModelChoiceField):
        return
    if isinstance(field, forms.ChoiceField):
        values = choice_values(field)
        if target.choices:
            allowed = {str(value) for value in dict(target.flatchoices)}
            extra = {str(value) for value in values} - allowed
            if extra:
                yield f"{where}: offers {sorted(extra)} the model does not allow"
        if target.max_length and any(len(str(value)) > target.max_length for value in values):
            yield f"{where}: a choice is longer than {target.max_length}"
        if isinstance(target, models.IntegerField):
            low, high = INTEGER_RANGES[target.get_internal_type()]
            if any(not low <= int(value) <= high for value in values):
                yield f"{where}: a choice is outside {low}..{high}"
        return
    if target.choices:
        yield f"{where}: free input feeds a field with choices"
    if target.max_length is not None:
        limit = getattr(field, "cleaned_max_length", None) or getattr(field, "max_length", None)
        if limit is None or limit > target.max_length:
            yield f"{where}: max_length {limit}, the model holds {target.max_length}"
    if isinstance(target, models.IntegerField):
        if model_validates:
            return  # the model field's validators hold the range of the database in use
        low, high = INTEGER_RANGES[target.get_internal_type()]
        field_low, field_high = bounds(field)
        if field_low is None or field_low < low or field_high is None or field_high > high:
            yield f"{where}: accepts {field_low}..{field_high}, the column holds {low}..{high}"
    digits = (getattr(field, "max_digits", None), getattr(field, "decimal_places", None))
    if isinstance(target, models.DecimalField) and digits != (
        target.max_digits,
        target.decimal_places,
    ):
        yield f"{where}: digits ({field.max_digits}, {field.decimal_places}) differ"


def admin_forms(request) -> list[tuple[str, type[forms.BaseForm]]]:
    found = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        label = f"admin {model.__name__}"
        found.append((label, model_admin.get_form(request)))
        for inline in model_admin.get_inline_instances(request):
            found.append(
                (f"{label} inline {inline.model.__name__}", inline.get_formset(request).form)
            )
    return found


@pytest.fixture
def admin_request(db):
    request = RequestFactory().get("/admin/")
    request.resolver_match = resolve("/admin/")
    request.user = get_user_model().objects.create_superuser("limits", "l@example.com", "pw")
    return request


def test_every_plain_form_says_which_model_fields_it_feeds():
    undeclared = [
        f"{form_class.__module__}.{form_class.__qualname__}"
        for form_class in project_form_classes()
        if not issubclass(form_class, forms.BaseModelForm) and "saved_to" not in vars(form_class)
    ]
    assert undeclared == [], undeclared


def test_every_form_field_carries_the_limits_of_the_model_field_it_feeds(admin_request):
    walked = [(f"{c.__module__}.{c.__qualname__}", c) for c in project_form_classes()]
    walked += admin_forms(admin_request)
    problems, pairs = [], 0
    for label, form_class in walked:
        for pair in pairs_of(form_class, fields_of(form_class)):
            pairs += 1
            problems += [f"{label}: {problem}" for problem in problems_with(*pair)]
    assert problems == [], "\n".join(problems)
    assert pairs > 100  # the walk really found the forms and their model fields


def test_the_walk_catches_a_field_longer_than_its_column():
    """The checker itself: an email field without the column's 254 is reported."""

    class TooLong(forms.Form):
        email = forms.EmailField()
        saved_to = {"email": ("intake.Appointment.patient_email",)}

    problems = list(problems_with(*next(pairs_of(TooLong, TooLong.base_fields))))
    assert problems == ["email -> Appointment.patient_email: max_length 320, the model holds 254"]


def test_the_walk_catches_an_integer_beyond_its_column():
    class TooBig(forms.Form):
        position = forms.IntegerField(min_value=0, max_value=Decimal(10**6))
        saved_to = {"position": ("intake.Clinician.position",)}

    assert list(problems_with(*next(pairs_of(TooBig, TooBig.base_fields)))) == [
        "position -> Clinician.position: accepts 0..1000000, the column holds 0..32767"
    ]
