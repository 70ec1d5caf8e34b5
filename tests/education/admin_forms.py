"""Post an admin change form back the way a browser would, with only some values changed."""

from django.forms import CheckboxInput, Form


def _form_values(form: Form) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                values[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            values[bound.html_name] = [str(item) for item in value]
        else:
            values[bound.html_name] = "" if value is None else str(value)
    return values


def change_form_data(response) -> dict[str, object]:
    """The current values of an admin change form and all its inlines, ready to POST."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data
